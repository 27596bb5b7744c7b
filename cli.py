"""The ``lcpg`` command line.

Commands are short: parse options, call one use case in ``services``, render the result. Errors
of our own (``lcpg.errors.LcpgError``) become a message and exit status 1 in one place
(``LcpgGroup.invoke``); bad arguments exit 2 (click). Heavy modules are imported inside the
commands so that ``lcpg --help`` starts fast.
"""

from __future__ import annotations

import errno
import os
import sys
import traceback
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from lcpg.bootstrap import App, Settings
from lcpg.domain.dates import FIRST_DATE, LAST_DATE
from lcpg.domain.wording import (
    WEEKDAYS,
    clock,
    day_month,
    moment,
    short_weekday,
    short_weekday_date,
)

if TYPE_CHECKING:
    from cycle.planner import Plan
    from lcpg.notify.messages import OutgoingMessage
    from lcpg.services.demo import DemoResult
    from lcpg.services.national_demo import NationalDemoResult
    from lcpg.services.planning import PlanResult, SaveResult
    from lcpg.services.register import WriteResult
    from lcpg.services.terms import TermsImport


F = TypeVar("F", bound=Callable[..., Any])

pass_app = click.make_pass_decorator(App)


class LcpgGroup(click.Group):
    """A group that turns our own errors, and any database error (locked too long, not
    reachable, a change refused: ``lcpg.store.database.database_failure``), into a one-line message
    and exit status 1, never a traceback with SQL and the values it was writing."""

    def invoke(self, ctx: click.Context) -> Any:
        from lcpg.errors import LcpgError

        try:
            return super().invoke(ctx)
        except LcpgError as exc:
            raise click.ClickException(str(exc)) from exc
        except OSError as exc:
            if exc.errno == errno.EPIPE or not _raised_writing_output(exc):
                # A closed pipe (`lcpg check | head -1`): click's ``main`` exits 1 quietly,
                # as Python's documentation advises for SIGPIPE.
                raise
            _silence_stdout()
            raise click.ClickException(
                f"could not write the output: {exc.strerror or exc}"
            ) from exc
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
            raise click.ClickException(str(failure)) from exc


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


def _in_range(
    day: date, value: Any, param: click.Parameter | None, ctx: click.Context | None
) -> None:
    """Refuse (exit status 2) a date outside the range lcpg accepts (``lcpg.domain.dates``)."""
    from lcpg.domain.dates import in_range, out_of_range

    if not in_range(day):
        raise click.BadParameter(out_of_range(str(value)), ctx, param)


class IsoDate(click.ParamType[date]):
    """A calendar date written YYYY-MM-DD, in the range lcpg accepts (``lcpg.domain.dates``)."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            day = date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date in the form YYYY-MM-DD", param, ctx)
        _in_range(day, value, param, ctx)
        return day


ISO_DATE = IsoDate()
YEAR = click.IntRange(FIRST_DATE.year, LAST_DATE.year)
"""A year in the range lcpg accepts."""


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


def serve_limit_options(command: F) -> F:
    """``--request-timeout`` and the other limits of ``lcpg.web.limits.LIMIT_SETTINGS``, each
    defaulting to its ``LCPG_SERVE_*`` variable, then to ``ServeLimits``."""
    from lcpg.web.limits import LIMIT_SETTINGS

    for setting in reversed(LIMIT_SETTINGS):
        command = click.option(
            setting.option,
            setting.name,
            type=click.IntRange(setting.low, setting.high),
            default=None,
            help=f"{setting.help} [default: {setting.default}; ${setting.env}]",
        )(command)
    return command


def body_option(
    help_text: str = "Only this body (a slug such as lcpg-gravesham).",
) -> Callable[[F], F]:
    return click.option("--body", metavar="SLUG", help=help_text)


def as_of_option(help_text: str) -> Callable[[F], F]:
    return click.option("--as-of", "as_of", type=ISO_DATE, help=help_text)


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


@click.group(cls=LcpgGroup, context_settings={"help_option_names": ["-h", "--help"]})
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


@main.command()
@click.option(
    "--public-url",
    metavar="URL",
    help="Where lcpg serve is reachable (e.g. https://lcpg.example.org/), for the links in "
    "e-mails and feed pages; stored in the database ($LCPG_PUBLIC_URL wins over it).",
)
@pass_app
def init(app: App, public_url: str | None) -> None:
    """Create or upgrade the database and add the blueprint's bodies."""
    from lcpg.services.public_url import PUBLIC_URL_ENV, resolve_public_urls
    from lcpg.services.register import init_database

    result = init_database(app, public_url)
    if result.revision_before == result.revision_after:
        click.echo(f"Database {result.database} is up to date (schema {result.revision_after}).")
    elif result.revision_before is None:
        click.echo(f"Created database {result.database} (schema {result.revision_after}).")
    else:
        click.echo(
            f"Upgraded database {result.database} from schema {result.revision_before} "
            f"to {result.revision_after}."
        )
    click.echo(f"Blueprint: {result.blueprint}.")
    if result.bodies_added:
        click.echo(f"Added {len(result.bodies_added)} bodies: {', '.join(result.bodies_added)}.")
    if result.bodies_updated:
        click.echo(
            f"Updated {len(result.bodies_updated)} bodies: {', '.join(result.bodies_updated)}."
        )
    if not (result.bodies_added or result.bodies_updated):
        click.echo(f"All {result.bodies_unchanged} bodies already match the blueprint.")
    urls = resolve_public_urls(app)
    click.echo(f"Public address: {urls.base} (from {urls.source}).")
    if urls.local:
        click.echo(
            "  Only this machine can open it: links in e-mails and feed pages need the address "
            f"where lcpg serve is reachable. Set {PUBLIC_URL_ENV}, or run "
            "lcpg init --public-url https://lcpg.example.org/ (your address)."
        )


@main.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("lcpg-demo"),
    show_default=True,
    help="Folder for the files the demo writes.",
)
@as_of_option("Build the demo history up to this date (default: today).")
@click.option(
    "--years",
    type=click.IntRange(1, 50),
    help="Years of meeting history to build (default: 2).",
)
@click.option(
    "--scale",
    "counties",
    type=click.IntRange(1, 999),
    metavar="COUNTIES",
    help="Build a synthetic national register of this many counties instead (see above).",
)
@pass_app
def demo(app: App, out: Path, as_of: date | None, years: int | None, counties: int | None) -> None:
    """Load the fictional Kent demo register (if the database is empty) and show it.

    With --scale COUNTIES, fill an empty database with a synthetic national register instead:
    COUNTIES copies of the blueprint's districts (slugs c001-ashford, ...), each with the
    demo's members, roles, meetings and attendance over --years (default 2). The synthetic
    blueprint is written to OUT/national-COUNTIES.toml: the database does not record it, so
    pass it to every later command (--blueprint, or LCPG_BLUEPRINT). The demo then saves next
    year's plan, records a compliance check and writes OUT/compliance.html, the feeds
    (OUT/feeds/) and the register as CSV files (OUT/register/). It draws no year-at-a-glance
    calendar and composes no e-mails (one row or message per district). 150 counties over ten
    years take several minutes and a few GiB of memory. A database that already holds a
    register is refused.
    """
    if counties is not None:
        from lcpg.services.national_demo import run_national_demo

        result = run_national_demo(app, as_of or app.today(), counties, years or 2, out)
        click.echo(_national_demo_report(result))
        return
    from lcpg.services.demo import run_demo

    click.echo(_demo_report(run_demo(app, as_of or app.today(), out, years=years)))


@main.command("import")
@click.argument("path", type=click.Path(exists=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the input and report what would change.")
@pass_app
def import_(app: App, path: Path, dry_run: bool) -> None:
    """Import a folder of CSV files or an .xlsx workbook: all of it, or nothing.

    PATH holds people, memberships, meetings and attendance (any of them). Records are added
    or updated by key, never deleted; importing the same data again changes nothing. Meetings
    are found by their id (as exported), else by body and start; a row that would give a body
    a second meeting in a cycle is refused.
    """
    from lcpg.services.register import import_register

    click.echo(_change_report(import_register(app, path, dry_run=dry_run)))


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@pass_app
def export(app: App, path: Path) -> None:
    """Write the register to PATH: an .xlsx workbook, or else a folder of CSV files."""
    from lcpg.services.register import export_register

    result = export_register(app, path)
    click.echo(f"Exported {_counted(result.counts)} to {path}.")


@main.group()
def bodies() -> None:
    """The bodies that meet: CHWB, Chairs Group, Safeguarding Group, LCPGs, Local HWBs."""


@bodies.command("list")
@as_of_option("Count members current on this date (default: today).")
@format_option("table", "json", "csv")
@pass_app
def bodies_list(app: App, as_of: date | None, fmt: str) -> None:
    """List every body with its members, meetings held and next meeting."""
    from lcpg.output import render
    from lcpg.services.register import list_bodies

    rows = [
        {
            "slug": b.body.slug,
            "name": b.body.name,
            "kind": b.body.kind,
            "district": b.body.district,
            "members": b.current_members,
            "held": b.held_meetings,
            "next_meeting": b.next_meeting,
        }
        for b in list_bodies(app, as_of or app.today())
    ]
    columns = ["slug", "name", "kind", "district", "members", "held", "next_meeting"]
    click.echo(render(rows, columns, fmt))


WEEKDAY_CHOICES = ("mon", "tue", "wed", "thu", "fri")


class ClockTime(click.ParamType[time]):
    """A time of day written HH:MM (24-hour)."""

    name = "HH:MM"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> time:
        if isinstance(value, time):
            return value
        try:
            return time.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a time in the form HH:MM", param, ctx)


@bodies.command("set")
@click.argument("slug")
@click.option("--weekday", type=click.Choice(WEEKDAY_CHOICES), help="Preferred weekday.")
@click.option("--time", "at", type=ClockTime(), help="Preferred start time, e.g. 10:00.")
@click.option("--venue", help="Where the body usually meets.")
@pass_app
def bodies_set(
    app: App, slug: str, weekday: str | None, at: time | None, venue: str | None
) -> None:
    """Set a body's preferred weekday, time and venue for the planner."""
    from lcpg.services.planning import set_preferences

    if weekday is None and at is None and venue is None:
        raise click.UsageError("give at least one of --weekday, --time and --venue.")
    number = WEEKDAY_CHOICES.index(weekday) if weekday else None
    body = set_preferences(app, slug, number, at, venue)
    parts = []
    if body.preferred_weekday is not None:
        parts.append(f"on {WEEKDAYS[body.preferred_weekday]}s")
    if body.preferred_time is not None:
        parts.append(f"at {clock(body.preferred_time)}")
    if body.venue:
        parts.append(f"at {body.venue}")
    click.echo(f"{body.name} ({body.slug}) prefers to meet {' '.join(parts)}.")


class ChwbDateTime(click.ParamType[date]):
    """A CHWB date: YYYY-MM-DD (a ``date``: the blueprint's usual time applies) or
    YYYY-MM-DDTHH:MM (a ``datetime``)."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        text = str(value)
        try:
            day = date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
        except ValueError:
            self.fail(f"{value!r} is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM)", param, ctx)
        _in_range(day, value, param, ctx)
        return day


@main.command()
@click.option("--year", type=YEAR, required=True, help="The year to plan.")
@click.option(
    "--chwb",
    "chwb",
    type=ChwbDateTime(),
    multiple=True,
    help="A CHWB date of the year (repeat for each); default: the register, else the rule.",
)
@click.option("--save", is_flag=True, help="Write the plan as planned meetings.")
@as_of_option("Plan as if today were this date: nothing is placed on or before it.")
@click.option("--strict", is_flag=True, help="Exit with status 1 when the plan has problems.")
@format_option("table", "json")
@pass_app
@click.pass_context
def plan(
    ctx: click.Context,
    app: App,
    year: int,
    chwb: tuple[date, ...],
    save: bool,
    as_of: date | None,
    strict: bool,
    fmt: str,
) -> None:
    """Plan the year's cycle: CHWB, then every LCPG, then the Chairs Group."""
    from lcpg.services.planning import make_plan, save_plan

    usual = app.blueprint.cadence.chwb_first.time()
    given = tuple(d if isinstance(d, datetime) else datetime.combine(d, usual) for d in chwb)
    outside = [d.date().isoformat() for d in given if d.year != year]
    if outside:
        raise click.BadParameter(f"not in {year}: {', '.join(outside)}", param_hint="--chwb")
    result = make_plan(app, year, given, as_of or app.today())
    saved = save_plan(app, result.plan) if save else None
    if fmt == "json":
        click.echo(_plan_json(result.plan, app.blueprint.zone))
    else:
        click.echo(_plan_table(result))
    if saved is not None:
        click.echo(_saved_report(saved), err=fmt == "json")
    if strict and result.plan.problems:
        ctx.exit(1)


@main.command()
@click.option("--year", type=YEAR, required=True, help="The year to draw.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="FILE.html (printable page) or FILE.svg (picture only).",
)
@as_of_option("Draw as if today were this date (proposals only after it).")
@pass_app
def calendar(app: App, year: int, out: Path, as_of: date | None) -> None:
    """Draw the year at a glance: every body's meetings, windows, holidays and problems."""
    from lcpg.services.calendar import FORMATS, write_year_calendar

    if out.suffix.lower() not in FORMATS:
        raise click.BadParameter("must end in .html or .svg", param_hint="--out")
    result = write_year_calendar(app, year, out, as_of or app.today())
    click.echo(
        f"Wrote {result.path}: {result.meetings} meetings ({result.proposed} proposed, not yet "
        f"saved), {result.problems} problem{'s' if result.problems != 1 else ''}."
    )


@main.command("check")
@as_of_option("Check as of this date (default: today).")
@body_option("Only this body's findings (a slug such as lcpg-sevenoaks).")
@format_option("text", "json", "csv", "html", default="text")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning"]),
    help="Exit with status 1 when a finding this serious (or worse) is found.",
)
@click.option("--record", is_flag=True, help="Record this check, to compare next time.")
@pass_app
@click.pass_context
def check_command(
    ctx: click.Context,
    app: App,
    as_of: date | None,
    body: str | None,
    fmt: str,
    fail_on: str | None,
    record: bool,
) -> None:
    """Check the register against the blueprint's rules.

    Compares with the last check recorded before the date and says what is new and what was
    resolved since.
    """
    from lcpg.services.compliance import run_check
    from rules.findings import Severity
    from rules.reporters import render

    if record and body is not None:
        raise click.UsageError(
            "--record records the whole check (later checks and e-mails compare with it); "
            "leave out --body."
        )
    result = run_check(app, as_of or app.today(), body, record)
    click.echo(render(result.report, fmt, result.comparison), nl=False)  # ends with one already
    if result.recorded is not None:
        click.echo(f"Recorded as check {result.recorded}.", err=True)
    worst = result.report.worst
    if fail_on is not None and worst is not None and worst.rank >= Severity(fail_on).rank:
        ctx.exit(1)


@main.group(invoke_without_command=True)
@format_option("table", "json", "csv")
@pass_app
@click.pass_context
def history(ctx: click.Context, app: App, fmt: str) -> None:
    """Recorded checks (`lcpg check --record`): list them, or show one as it was."""
    if ctx.invoked_subcommand is not None:
        return
    from lcpg.output import render
    from lcpg.services.compliance import recorded_checks

    rows = [
        {
            "check": run.id,
            "as_of": run.as_of,
            "recorded_at": f"{run.recorded_at:%Y-%m-%d %H:%M} UTC",
            **{s: run.counts.get(s, 0) for s in ("error", "warning", "info")},
        }
        for run in recorded_checks(app)
    ]
    click.echo(render(rows, ["check", "as_of", "recorded_at", "error", "warning", "info"], fmt))


@history.command("show")
@click.argument("check_id", metavar="CHECK", type=int)
@format_option("text", "json", "csv", "html", default="text")
@pass_app
def history_show(app: App, check_id: int, fmt: str) -> None:
    """Show recorded check CHECK exactly as it was found."""
    from lcpg.services.compliance import recorded_check
    from rules.reporters import render

    click.echo(render(recorded_check(app, check_id), fmt), nl=False)


@main.command("rules")
@format_option("table", "json", default="table")
@pass_app
def rules_command(app: App, fmt: str) -> None:
    """List every compliance rule with its severity, the bodies it applies to and its clause."""
    from lcpg.output import render
    from lcpg.services.compliance import rules_of

    rows = [
        {
            "id": rule.id,
            "severity": settings.severity.value if settings else "off",
            "applies_to": settings.applies_to if settings else rule.applies_to,
            "what it flags": rule.title,
            "clause": settings.clause if settings else "",
        }
        for rule, settings in rules_of(app)
    ]
    columns = ["id", "severity", "applies_to", "what it flags"]
    click.echo(render(rows, [*columns, "clause"] if fmt == "json" else columns, fmt))


@main.group()
def ics() -> None:
    """Calendar feeds to subscribe to, and calendar files to record meetings from."""


@ics.command("export")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for the feeds (created if missing).",
)
@base_url_option("Where the feeds are published, for the links in index.html")
@pass_app
def ics_export(app: App, out: Path, base_url: str | None) -> None:
    """Write every feed (<body-slug>.ics, county.ics) and index.html into OUT."""
    from lcpg.services.feeds import export_feeds

    feeds = export_feeds(app, out, feeds_address(app, base_url))
    events = sum(f.events for f in feeds if f.path.stem != "county")
    click.echo(
        f"Wrote {len(feeds)} feeds ({events:,} meetings) and {out / 'index.html'} "
        "(subscription links)."
    )


@ics.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--body", metavar="SLUG", required=True, help="The body whose meetings these are.")
@click.option(
    "--status",
    type=click.Choice(["held", "planned"]),
    help="Record every meeting so (default: held before today, planned from today).",
)
@click.option("--dry-run", is_flag=True, help="Check the file and report what would change.")
@as_of_option(
    "Read the file as if today were this date: meetings before it are held, and those of the "
    "ten years before it to two years after are read (default: today)."
)
@pass_app
def ics_import(
    app: App, file: Path, body: str, status: str | None, dry_run: bool, as_of: date | None
) -> None:
    """Record a body's meetings from an Outlook, Google or Apple calendar export (.ics)."""
    from lcpg.domain.model import MeetingStatus
    from lcpg.domain.wording import plural
    from lcpg.services.ics_import import import_calendar

    imported = import_calendar(
        app, file, body, MeetingStatus(status) if status else None, dry_run, as_of or app.today()
    )
    click.echo(_change_report(imported.result))
    first, last = imported.window
    notes = []
    if imported.all_day:
        notes.append(
            f"{plural(imported.all_day, 'all-day event', 'all-day events')} recorded at the "
            "body's usual time"
        )
    if imported.duplicates:
        notes.append(f"{plural(imported.duplicates, 'duplicate event', 'duplicate events')} merged")
    click.echo(
        f"{plural(imported.events, 'event', 'events')} dated {first.isoformat()} to "
        f"{last.isoformat()} read from "
        f"{file}" + "".join(f"; {n}" for n in notes) + "."
    )


@main.group()
def terms() -> None:
    """School term dates: the planner avoids the holidays between terms."""


@terms.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report what would change.")
@pass_app
def terms_import(app: App, file: Path, dry_run: bool) -> None:
    """Record term dates from an .ics calendar (each all-day event one term) or a CSV file
    with the header name,start,end. A year imported replaces that year's shipped dates."""
    from lcpg.services.terms import import_terms

    click.echo(_terms_report(import_terms(app, file, dry_run)))


@terms.command("list")
@format_option("table", "json", "csv")
@pass_app
def terms_list(app: App, fmt: str) -> None:
    """List the academic years with term dates, and where each year's dates come from."""
    from lcpg.output import render
    from lcpg.services.terms import list_years

    rows = [
        {
            "year": y.label,
            "first_day": y.start,
            "last_day": y.end,
            "terms": y.terms,
            "from": y.origin,
            "source": y.source,
            "replaces": y.overrides,
        }
        for y in list_years(app)
    ]
    columns = ["year", "first_day", "last_day", "terms", "from", "source", "replaces"]
    click.echo(render(rows, columns, fmt))


def _terms_report(imported: TermsImport) -> str:
    lines = ["Dry run: nothing was written."] if imported.dry_run else []
    count = len(imported.changes)
    lines.append(f"{count} academic year{'s' if count != 1 else ''} in {imported.source}:")
    verb = {"added": "added", "replaced": "replaces the dates imported before"}
    for change in imported.changes:
        year = change.year
        what = verb.get(change.change, "unchanged")
        if change.shipped and change.change != "unchanged":
            what += f" (overrides the shipped {change.shipped})"
        lines.append(
            f"  {year.label}: {len(year.terms)} term{'s' if len(year.terms) != 1 else ''}, "
            f"{short_weekday_date(year.start, pad=True)} to "
            f"{short_weekday_date(year.end, pad=True)}: {what}"
        )
    if not imported.changed:
        lines.append("Nothing to change: these term dates are already recorded.")
    return "\n".join(lines)


LOOPBACK = ("127.0.0.1", "localhost", "::1")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True)
@click.option("--threads", type=click.IntRange(1, 64), default=8, show_default=True)
@serve_limit_options
@pass_app
def serve(app: App, /, host: str, port: int, threads: int, **limits: int | None) -> None:
    """Serve the calendar feeds and the dashboard (waitress, a production WSGI server).

    With the team's password configured ($LCPG_DASHBOARD_PASSWORD or its hash in
    $LCPG_DASHBOARD_PASSWORD_HASH) the dashboard always asks for it; served beyond this machine
    (another --host, a proxy in $LCPG_TRUSTED_PROXIES, a public URL elsewhere) it needs one.
    Feeds never ask.

    Slow clients are cut off: a request must arrive whole within the request timeout, one
    address holds a limited number of connections, and request bodies over 64 KiB are
    refused (see the options below).
    """
    import os

    from lcpg.services.process_log import log_to_stderr
    from lcpg.services.public_url import listening_url, resolve_public_urls
    from lcpg.services.web import web_settings
    from lcpg.web.app import create_app, redact_server_logs
    from lcpg.web.limits import resolve_limits
    from lcpg.web.server import create_server

    serve_limits = resolve_limits(limits, os.environ)
    app.unit_of_work()  # refuse to start on a database that is not set up
    settings = web_settings(
        beyond_this_machine=host not in LOOPBACK,
        urls=resolve_public_urls(app),
        listening=listening_url(host, port),
    )
    flask_app = create_app(app, settings)
    log_to_stderr()  # the database going away and coming back is logged
    redact_server_logs()
    server = create_server(
        flask_app,
        host=host,
        port=port,
        threads=threads,
        limits=serve_limits,
        trusted=settings.trusted_proxies,
    )

    login = "password required" if settings.require_login else "no login (this machine only)"
    click.echo(f"Serving http://{host}:{port}/ (feeds at /feeds/, dashboard: {login}).")
    server.print_listen("Serving on http://{}:{}")
    server.run()


@main.group()
def feeds() -> None:
    """Personal calendar feeds."""


@feeds.group()
def token() -> None:
    """Personal feed tokens: create, list and revoke them."""


class EmailAddress(click.ParamType[str]):
    """An e-mail address, checked and normalised as the register's are
    (``lcpg.domain.addresses``): an unusual one is a usage error naming why."""

    name = "EMAIL"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from lcpg.domain.addresses import AddressError, normalise_address

        try:
            return normalise_address(str(value))
        except AddressError as exc:
            self.fail(str(exc), param, ctx)


@token.command("create")
@click.argument("email", type=EmailAddress())
@base_url_option("Where the feeds are published")
@pass_app
def token_create(app: App, email: str, base_url: str | None) -> None:
    """Create a personal feed for EMAIL and print its address (shown only now)."""
    from lcpg.services.tokens import create_token

    feeds = feeds_address(app, base_url)
    secret = create_token(app, email)
    address = f"{feeds}/p/{secret}.ics"
    click.echo(f"Personal feed for {email} (keep it private; it is shown only once):")
    click.echo(f"  {address}")
    click.echo(f"  webcal://{address.partition('://')[2]}")


@token.command("list")
@click.argument("email", required=False)
@format_option("table", "json", "csv")
@pass_app
def token_list(app: App, email: str | None, fmt: str) -> None:
    """List personal feed tokens (of EMAIL, or everyone's); never the secrets."""
    from lcpg.output import render
    from lcpg.services.tokens import list_tokens

    rows = [
        {"id": t.id, "email": t.email, "created": t.created_at, "revoked": t.revoked_at}
        for t in list_tokens(app, email)
    ]
    click.echo(render(rows, ["id", "email", "created", "revoked"], fmt))


@token.command("revoke")
@click.argument("email")
@pass_app
def token_revoke(app: App, email: str) -> None:
    """Revoke every personal feed token of EMAIL: their feed addresses stop working."""
    from lcpg.services.tokens import revoke_tokens

    count = revoke_tokens(app, email)
    click.echo(f"Revoked {count} token{'s' if count != 1 else ''} of {email}.")


class IsoWeek(click.ParamType[str]):
    """An ISO week written YYYY-Www (2027-W05), all in the range lcpg accepts."""

    name = "YYYY-Www"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from lcpg.notify.messages import week_monday

        text = str(value).upper()
        try:
            monday = week_monday(text)
        except ValueError:
            self.fail(f"{value!r} is not an ISO week like 2027-W05", param, ctx)
        _in_range(monday, value, param, ctx)
        _in_range(monday + timedelta(days=6), value, param, ctx)
        return text


@main.group()
def email() -> None:
    """The weekly compliance e-mails: to the team, and to each district's chair and
    co-ordinator."""


@email.command("preview")
@click.option("--week", type=IsoWeek(), help="The week (default: this week).")
@click.option(
    "--to", "to", type=EmailAddress(), metavar="ADDRESS", help="Only the messages to this address."
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write each message as an .eml file into this folder (Outlook opens them).",
)
@pass_app
def email_preview(app: App, week: str | None, to: str | None, out: Path | None) -> None:
    """Compose the week's e-mails without sending them."""
    from lcpg.services.email_preview import PreviewIncomplete, email_settings_from, preview_week
    from lcpg.services.public_url import PUBLIC_URL_ENV, resolve_public_urls

    urls = resolve_public_urls(app)
    if urls.local:
        click.echo(
            f"Warning: the links point at {', '.join(urls.local)}, which only this machine can "
            f"open; `lcpg email send` refuses them until {PUBLIC_URL_ENV} (or lcpg init "
            "--public-url) says where lcpg serve is reachable.",
            err=True,
        )
    settings = email_settings_from(urls=urls)
    try:
        messages = preview_week(app, week, app.today(), to, out, settings)
    except PreviewIncomplete as incomplete:
        # The others are listed (and written) as usual; then the error names each left out.
        _list_previewed(incomplete.messages, out)
        raise
    _list_previewed(messages, out)


def _list_previewed(messages: list[OutgoingMessage], out: Path | None) -> None:
    for message in messages:
        click.echo(f"{message.recipient:<40} {message.subject}")
    where = f" into {out}" if out else ""
    click.echo(
        f"{len(messages)} message{'s' if len(messages) != 1 else ''} composed{where}; none sent."
    )


@email.command("send")
@click.option("--week", type=IsoWeek(), help="The week (default: this week).")
@click.option(
    "--allow-local-links",
    is_flag=True,
    help="Send even though the links point at this machine (no $LCPG_PUBLIC_URL set).",
)
@pass_app
def email_send(app: App, week: str | None, allow_local_links: bool) -> None:
    """Send the week's e-mails: each once, however often this runs ($LCPG_SMTP_URL, else
    .eml files in $LCPG_OUTBOX_DIR), and any left unsent in the 4 weeks before; exits 1 when
    any is left unsent. Refuses links that only this machine can open unless
    --allow-local-links: set $LCPG_PUBLIC_URL (or lcpg init --public-url)."""
    from lcpg.services.email import send_week

    result = send_week(app, week, app.today(), allow_local_links=allow_local_links)
    earlier = f" ({result.earlier_sent} of earlier weeks)" if result.earlier_sent else ""
    click.echo(
        f"Week {result.week}: {result.sent} sent{earlier} to {result.destination}, "
        f"{result.already_sent} already sent before, {result.pending} pending."
    )


@main.group()
def scheduler() -> None:
    """The weekly e-mails and nightly feed export, on a schedule."""


@scheduler.command("run")
@pass_app
def scheduler_run(app: App) -> None:
    """Run the schedule in the foreground until stopped (SIGTERM or Ctrl-C): the form a
    service manager runs. Start only one."""
    from lcpg.services.scheduling import run_scheduler

    run_scheduler(app)


@scheduler.command("status")
@format_option("table", "json")
@pass_app
def scheduler_status(app: App, fmt: str) -> None:
    """Show the scheduled jobs and when each runs next."""
    from lcpg.output import render
    from lcpg.services.scheduling import status

    jobs = status(app)
    rows = [
        {"job": j.id, "what": j.name, "when": j.trigger, "next_run": j.next_run_time} for j in jobs
    ]
    if not jobs and fmt == "table":
        click.echo(
            "No scheduler has run on this database yet: start one with `lcpg scheduler run`."
        )
        return
    click.echo(render(rows, ["job", "what", "when", "next_run"], fmt))


@main.group()
def members() -> None:
    """Who sits on which body, for which sector, with which roles."""


@members.command("list")
@body_option()
@as_of_option("Members current on this date (default: today).")
@click.option("--all", "all_dates", is_flag=True, help="Every membership, past and future too.")
@format_option("table", "json", "csv")
@pass_app
def members_list(app: App, body: str | None, as_of: date | None, all_dates: bool, fmt: str) -> None:
    """List memberships with sector, roles and dates."""
    from lcpg.output import render
    from lcpg.services.register import list_members

    if all_dates and as_of is not None:
        raise click.UsageError("--all and --as-of cannot be used together.")
    listing = list_members(app, body, None if all_dates else (as_of or app.today()))
    rows = [
        {
            "body": m.membership.body,
            "name": m.person.name,
            "email": m.person.email,
            "organisation": m.person.organisation,
            "sector": m.membership.sector,
            "roles": m.membership.roles,
            "start": m.membership.start,
            "end": m.membership.end,
        }
        for m in listing
    ]
    columns = ["body", "name", "email", "organisation", "sector", "roles", "start", "end"]
    click.echo(render(rows, columns, fmt))


@main.group()
def meetings() -> None:
    """Meetings of every body: planned, confirmed, held and cancelled."""


@meetings.command("list")
@body_option()
@click.option("--from", "since", type=ISO_DATE, help="Only meetings on or after this date.")
@click.option("--to", "until", type=ISO_DATE, help="Only meetings on or before this date.")
@click.option(
    "--status",
    type=click.Choice(["planned", "confirmed", "held", "cancelled"]),
    help="Only meetings with this status.",
)
@format_option("table", "json", "csv")
@pass_app
def meetings_list(
    app: App,
    body: str | None,
    since: date | None,
    until: date | None,
    status: str | None,
    fmt: str,
) -> None:
    """List meetings in date order."""
    from lcpg.domain.model import MeetingStatus
    from lcpg.output import render
    from lcpg.services.register import list_meetings

    found = list_meetings(app, body, since, until, MeetingStatus(status) if status else None)
    rows = [
        {
            "body": m.body,
            "start": m.start,
            "end": m.end,
            "venue": m.venue,
            "status": m.status,
            "id": m.id,
        }
        for m in found
    ]
    click.echo(render(rows, ["body", "start", "end", "venue", "status", "id"], fmt))


def _plan_json(plan: Plan, zone: tzinfo) -> str:
    """The plan as DESIGN.md section 6 fixes it: times in ISO 8601 with their UTC offset."""
    import json

    def stamp(moment: datetime) -> str:
        return moment.replace(tzinfo=zone).isoformat(timespec="minutes")

    return json.dumps(
        {
            "year": plan.year,
            "meetings": [
                {
                    "body": m.body,
                    "start": stamp(m.start),
                    "end": stamp(m.end),
                    "cycle": m.cycle.isoformat() if m.cycle else None,
                    "reason": m.reason,
                }
                for m in plan.meetings
            ],
            "problems": [
                {
                    "body": p.body,
                    "cycle": p.cycle.isoformat() if p.cycle else None,
                    "message": p.message,
                    "closest": p.closest.isoformat() if p.closest else None,
                }
                for p in plan.problems
            ],
        },
        indent=2,
        ensure_ascii=False,
    )


def _plan_table(result: PlanResult) -> str:
    from lcpg.output import render

    plan = result.plan
    sources = sorted({d.source for d in result.chwb if d.start.year == plan.year})
    lines = [f"Plan for {plan.year} (CHWB dates from {', '.join(sources) or 'nowhere'}):", ""]
    rows = [
        {
            "cycle": m.cycle,
            "body": m.body,
            "when": f"{short_weekday(m.start)} {m.start:%Y-%m-%d %H:%M}",
            "action": m.placement.value
            + (f" from {day_month(m.previous_start, pad=True)}" if m.previous_start else ""),
            "reason": m.reason,
        }
        for m in plan.meetings
    ]
    lines.append(render(rows, ["cycle", "body", "when", "action", "reason"], "table"))
    if plan.problems:
        lines += ["", f"Problems ({len(plan.problems)}):"]
        for p in plan.problems:
            cycle = f"cycle of CHWB {p.cycle.isoformat()}, " if p.cycle else ""
            closest = (
                f" Closest legal option: {short_weekday_date(p.closest, pad=True)}."
                if p.closest
                else ""
            )
            lines.append(f"  {p.body} ({cycle.rstrip(', ') or 'no cycle'}): {p.message}.{closest}")
    else:
        lines += ["", "No problems: every meeting follows the blueprint."]
    lines += [f"Note: {note}" for note in plan.notes]
    return "\n".join(lines)


def _saved_report(saved: SaveResult) -> str:
    lines = [
        f"Saved: {len(saved.added)} new, {len(saved.moved)} moved, {saved.unchanged} unchanged, "
        f"{saved.kept} held or confirmed left as they are."
    ]
    lines += [
        f"  moved {m.body}: {moment(m.previous_start, pad=True, year=False)} -> "
        f"{moment(m.start, pad=True, year=False)}"
        for m in saved.moved
        if m.previous_start is not None
    ]
    return "\n".join(lines)


def _counted(counts: dict[str, int]) -> str:
    """``{"people": 3, "attendance": 1200}`` as "3 people, 1,200 attendance records"."""
    labels = {"attendance": "attendance records"}
    return ", ".join(f"{n:,} {labels.get(kind, kind)}" for kind, n in counts.items())


UPDATES_SHOWN = 20


def _change_report(result: WriteResult) -> str:
    from lcpg.output import render

    summary = result.changes.summary()
    table = render(
        [{"records": kind, **counts} for kind, counts in summary.items()],
        ["records", "added", "updated", "unchanged"],
        "table",
    )
    if result.changes.is_empty:
        total = sum(counts["unchanged"] for counts in summary.values())
        return (
            f"Nothing to change: all {total} records in {result.source} "
            "are already in the register."
        )
    if result.dry_run:
        heading = (
            f"Dry run: importing {result.source} would change the register as below. "
            "Nothing was written."
        )
    else:
        heading = f"Imported {result.source}:"
    updates = _update_lines(result)
    if updates:
        verb = "would change" if result.dry_run else "changed"
        table += f"\n\nRecords already in the register that this {verb}:\n" + "\n".join(updates)
    return f"{heading}\n\n{table}"


def _update_lines(result: WriteResult) -> list[str]:
    """One line per updated record, naming it and each field's old and new value."""
    from lcpg.domain.model import Attendance, Meeting, Membership, Person
    from lcpg.output import plain_value

    def label(record: object) -> str:
        if isinstance(record, Person):
            return f"person {record.email}"
        if isinstance(record, Membership):
            since = f", from {record.start.isoformat()}" if record.start else ""
            return f"membership {record.body} {record.email} ({record.sector}{since})"
        if isinstance(record, Meeting):
            return f"meeting {record.body} {record.start.isoformat(timespec='minutes')}"
        if isinstance(record, Attendance):
            meeting = result.meetings.get(record.meeting_id)
            where = label(meeting) if meeting else f"meeting {record.meeting_id}"
            return f"attendance of {record.email} at {where}"
        return repr(record)

    def shown(value: object) -> str:
        text = plain_value(value)
        return "(empty)" if text in (None, "") else str(text)

    lines: list[str] = []
    changes = result.changes
    for kind in (changes.people, changes.memberships, changes.meetings, changes.attendance):
        updates = [c for c in kind.changes if not c.is_addition]
        for change in updates[:UPDATES_SHOWN]:
            diffs = "; ".join(
                f"{name} {shown(before)} -> {shown(after)}"
                for name, before, after in change.field_changes()
            )
            lines.append(f"  {label(change.after)}: {diffs}")
        if len(updates) > UPDATES_SHOWN:
            lines.append(f"  ... and {len(updates) - UPDATES_SHOWN} more")
    return lines


def _demo_report(result: DemoResult) -> str:
    from lcpg.output import render

    lines = [f"lcpg demo, as of {result.today.isoformat()}", ""]
    lines.append(f"  database   {result.database}")
    lines.append(f"  blueprint  {result.blueprint}")
    if result.loaded is not None:
        added = {kind: c["added"] for kind, c in result.loaded.changes.summary().items()}
        lines.append(f"  register   loaded the fictional demo register: {_counted(added)}")
    else:
        lines.append("  register   already holds data, so the demo register was not loaded")
    if result.planned is not None:
        lines.append(
            f"  plan       {len(result.planned.added)} meetings planned for "
            f"{result.next_year} and saved "
            "(`lcpg plan --year` shows why each sits where it does)"
        )
    lines.append(
        f"  calendar   {result.calendar.path}  (the year at a glance; open it in a browser, "
        "prints on one A4 page)"
    )
    counts = result.findings
    lines.append(
        f"  check      {result.compliance}  ({counts['error']} errors, {counts['warning']} "
        f"warnings, {counts['info']} info as of {result.today.isoformat()}; `lcpg check`)"
    )
    lines.append(
        f"  feeds      {result.feeds / 'index.html'}  ({result.feed_count} calendar feeds to "
        "subscribe to; `lcpg ics export`)"
    )
    lines.append(
        f"  e-mails    {result.outbox}  ({result.emails_sent} compliance e-mails for this week, "
        "as .eml files; `lcpg email preview`)"
    )
    lines.append(
        f"  workbook   {result.workbook}  (the register as a spreadsheet; "
        "`lcpg import` reads it back)"
    )
    if result.scenarios:
        lines += ["", "What the demo register shows (fictional people, example.org addresses):"]
        lines += [f"  - {scenario}" for scenario in result.scenarios]
    lines += ["", f"LCPG meetings held in the 12 months to {result.today.isoformat()}:", ""]
    lines.append(
        render(
            [
                {
                    "body": s.body,
                    "held": s.held,
                    "cancelled": s.cancelled,
                    "last held": s.last_held,
                    "longest gap (days)": s.longest_gap_days,
                }
                for s in result.standings
            ],
            ["body", "held", "cancelled", "last held", "longest gap (days)"],
            "table",
        )
    )
    lines += [
        "",
        "Look around:",
        "  lcpg bodies list",
        f"  lcpg plan --year {result.next_year}",
        "  lcpg check --body lcpg-sevenoaks",
        f"  lcpg members list --body {result.example_bodies[0]}",
        f"  lcpg meetings list --body {result.example_bodies[1]} --status held",
        f"  lcpg export {result.workbook.parent / 'register-csv'}",
    ]
    return "\n".join(lines)


def _national_demo_report(result: NationalDemoResult) -> str:
    added = {kind: c["added"] for kind, c in result.loaded.changes.summary().items()}
    counts = result.findings
    blueprint = result.blueprint_path.resolve()
    lines = [
        f"lcpg demo --scale {result.counties} --years {result.years}, "
        f"as of {result.today.isoformat()}",
        "",
        f"  blueprint  {result.blueprint_path}  ({result.blueprint}: "
        f"{result.districts:,} districts)",
        f"  database   {result.database}",
        f"  register   loaded a synthetic register: {_counted(added)}",
        f"  plan       {len(result.planned.added):,} meetings planned for {result.next_year} "
        "and saved",
        f"  check      {result.compliance}  ({counts['error']:,} errors, "
        f"{counts['warning']:,} warnings, {counts['info']:,} info as of "
        f"{result.today.isoformat()}; recorded)",
        f"  feeds      {result.feeds / 'index.html'}  ({result.feed_count:,} calendar feeds)",
        f"  workbook   {result.workbook}  (the register as CSV files, which `lcpg import` "
        "reads back; an .xlsx sheet holds at most 1,048,576 rows)",
        "  not done   the year-at-a-glance calendar and this week's e-mails (one row or message",
        "             per district): `lcpg calendar` and `lcpg email preview` make them",
        "",
        "The database does not record the synthetic blueprint: point every later command at it,",
        f"  export LCPG_BLUEPRINT={blueprint}",
        "or pass it each time:",
        f"  lcpg --blueprint {blueprint} check",
        f"  lcpg --blueprint {blueprint} plan --year {result.next_year}",
        f"  lcpg --blueprint {blueprint} ics export --out feeds",
        "(with the same --db or LCPG_DATABASE_URL as this run).",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
