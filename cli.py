"""The ``lcpg`` command line: the group, the options commands share, and the one place that
turns errors into exit statuses.

The commands themselves live in ``lcpg.commands``, one module per command group, each with its
own report formatting. The group loads a command's module only when that command runs (click's
lazy-loading pattern, ``LcpgGroup``), and ``lcpg --help`` lists the commands from the table
``lcpg.commands.COMMANDS``, so starting ``lcpg`` imports nothing a command does not need.

Errors of our own (``lcpg.errors.LcpgError``) become a message and exit status 1 in
``LcpgGroup.invoke``; bad arguments exit 2 (click); a check or plan that finds what
``--fail-on`` or ``--strict`` asked about exits 3 (``ExitStatus``).
"""

from __future__ import annotations

import errno
import importlib
import os
import sys
import traceback
from collections.abc import Callable
from datetime import date
from enum import IntEnum
from pathlib import Path
from typing import Any, TypeVar

import click

from lcpg.bootstrap import App, Settings
from lcpg.commands import COMMANDS
from lcpg.commands.params import ISO_DATE

F = TypeVar("F", bound=Callable[..., Any])

pass_app = click.make_pass_decorator(App)


class ExitStatus(IntEnum):
    """What ``lcpg``'s exit status tells a script; each member's meaning is in ``--help``."""

    SUCCESS = 0
    FAILED = 1
    USAGE = 2
    FOUND = 3

    @property
    def meaning(self) -> str:
        return {
            ExitStatus.SUCCESS: "success",
            ExitStatus.FAILED: "could not run (bad input, the database, the network: "
            "the message says why)",
            ExitStatus.USAGE: "bad usage (an unknown command or option, a bad value)",
            ExitStatus.FOUND: "ran, and found what --fail-on (lcpg check) or --strict "
            "(lcpg plan) asked about",
        }[self]


EXIT_STATUS_HELP = "\b\nExit status:\n" + "\n".join(
    f"  {status.value}  {status.meaning}" for status in ExitStatus
)


class CouldNotRun(click.ClickException):
    """An expected failure, reported as one line: exit status 1."""

    exit_code = ExitStatus.FAILED


class LcpgGroup(click.Group):
    """The ``lcpg`` group: loads a command's module only when it is needed, and turns our own
    errors, and any database error (locked too long, not reachable, a change refused:
    ``lcpg.store.database.database_failure``), into a one-line message and exit status 1, never
    a traceback with SQL and the values it was writing."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        lazy = COMMANDS.get(cmd_name)
        if lazy is None:
            return super().get_command(ctx, cmd_name)
        module, _, name = lazy.path.partition(":")
        command = getattr(importlib.import_module(module), name)
        assert isinstance(command, click.Command), lazy.path
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from ``COMMANDS``, importing none of them, shortened as click
        shortens a command's help."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(map(len, names))
        rows = []
        for name in names:
            lazy = COMMANDS.get(name)
            command = click.Command(name, help=lazy.summary) if lazy else self.commands[name]
            if not command.hidden:
                rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        from lcpg.errors import LcpgError

        try:
            return super().invoke(ctx)
        except LcpgError as exc:
            raise CouldNotRun(str(exc)) from exc
        except OSError as exc:
            if exc.errno == errno.EPIPE or not _raised_writing_output(exc):
                # A closed pipe (`lcpg check | head -1`): click's ``main`` exits 1 quietly,
                # as Python's documentation advises for SIGPIPE.
                raise
            _silence_stdout()
            raise CouldNotRun(f"could not write the output: {exc.strerror or exc}") from exc
        except Exception as exc:
            app = ctx.obj
            if not isinstance(app, App):
                raise
            # Imported only now: a command that never touched the database has not loaded
            # SQLAlchemy, and its exception cannot be a database failure.
            from lcpg.store.database import database_failure

            failure = database_failure(exc, app.settings.database_url, app.settings.busy_timeout)
            if failure is None:
                raise
            raise CouldNotRun(str(failure)) from exc


def _raised_writing_output(exc: OSError) -> bool:
    """Whether ``exc`` was raised by ``click.echo`` writing the command's output (every
    command writes its output that way): standard output on a full disk (``> /dev/full``), a
    closed pipe, a terminal gone away. Files a command writes map their own ``OSError`` to
    ``OutputError`` naming the file."""
    frames = [frame for frame, _ in traceback.walk_tb(exc.__traceback__)]
    return bool(frames) and frames[-1].f_code is click.echo.__code__


def _silence_stdout() -> None:
    """Point standard output at the null device, so that Python's flush at exit does not fail
    again with the same error (and print a second one) on output still buffered."""
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (click's test runner)
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, descriptor)
    finally:
        os.close(null)


def format_option(*choices: str, default: str = "table") -> Callable[[F], F]:
    """``--format`` with the given choices."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default,
        show_default=True,
        help="Output format.",
    )


def body_option(
    help_text: str = "Only this body (a slug such as lcpg-gravesham).",
) -> Callable[[F], F]:
    return click.option("--body", metavar="SLUG", help=help_text)


def as_of_option(help_text: str) -> Callable[[F], F]:
    """``--as-of DATE``, which gives the command a ``date`` always: the one given, else the
    App's today (``App.today``). Whether it was given: ``as_of_given``."""
    return click.option("--as-of", "as_of", type=ISO_DATE, callback=_as_of_or_today, help=help_text)


def _as_of_or_today(ctx: click.Context, param: click.Parameter, value: date | None) -> date:
    if value is not None:
        return value
    return ctx.find_object(App).today()  # type: ignore[union-attr]  # main always sets one


def as_of_given(ctx: click.Context) -> bool:
    """Whether ``--as-of`` was given (on the command line, or by a caller of the command)."""
    return ctx.get_parameter_source("as_of") is not click.core.ParameterSource.DEFAULT


def base_url_option(help_text: str) -> Callable[[F], F]:
    # No default here: the command asks services.public_url (LCPG_FEEDS_URL, LCPG_PUBLIC_URL,
    # then the address `lcpg init --public-url` stored, then the default).
    return click.option(
        "--base-url",
        metavar="URL",
        help=f"{help_text} (default: $LCPG_FEEDS_URL, else <$LCPG_PUBLIC_URL>/feeds).",
    )


def feeds_address(app: App, base_url: str | None) -> str:
    """``--base-url`` checked, else the feeds' public address (``lcpg.services.public_url``)."""
    from lcpg.services.public_url import check_url, resolve_public_urls

    if base_url is not None:
        return check_url(base_url, "--base-url").rstrip("/")
    return resolve_public_urls(app).feeds


@click.group(
    cls=LcpgGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=EXIT_STATUS_HELP,
)
@click.option(
    "--db",
    metavar="URL",
    help="Database URL (default: $LCPG_DATABASE_URL, else sqlite:///lcpg.db).",
)
@click.option(
    "--blueprint",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Blueprint file (default: $LCPG_BLUEPRINT, else the shipped Kent blueprint).",
)
@click.version_option(package_name="lcpg")
@click.pass_context
def main(ctx: click.Context, db: str | None, blueprint: Path | None) -> None:
    """Plan and check the meeting cycle of Kent's Local Children's Partnership Groups.

    Start with `lcpg demo` to load a fictional register, or `lcpg init` and `lcpg import`.
    """
    app = App(Settings.resolve(database_url=db, blueprint_path=blueprint), on_lock_wait=_lock_wait)
    ctx.obj = app
    ctx.call_on_close(app.close)


def _lock_wait(timeout: float) -> None:
    click.echo(
        f"Waiting for another program to finish writing to the database (up to {timeout:g} s)...",
        err=True,
    )


if __name__ == "__main__":
    main()
