"""Commands are loaded lazily: `lcpg --help` lists them from `lcpg.commands.COMMANDS` without
importing one, and a command imports its own module, not the others'."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from cli import main
from lcpg.commands import COMMANDS

# Modules of the commands that none of `check`, `plan` and `ics export` needs.
OTHERS = ("flask", "waitress", "apscheduler", "openpyxl", "alembic", "jinja2.sandbox")


def imported_by(*args: str, cwd: Path | None = None) -> set[str]:
    """The modules a fresh `lcpg ARGS` process has imported when it ends (whatever its status)."""
    probe = (
        "import sys, cli\n"
        "try:\n"
        f"    cli.main({list(args)!r}, standalone_mode=False)\n"
        "finally:\n"
        "    print('\\n'.join(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False, cwd=cwd
    )
    return set(out.stdout.split())


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_summary_in_the_table_is_the_commands_help(name: str) -> None:
    module, _, attribute = COMMANDS[name].path.partition(":")
    command = getattr(importlib.import_module(module), attribute)
    assert command.name == name
    listed = click.Command(name, help=COMMANDS[name].summary)
    for limit in (30, 45, 62, 200):  # narrow and wide terminals shorten differently
        assert listed.get_short_help_str(limit) == command.get_short_help_str(limit)


def test_every_command_is_in_the_table() -> None:
    package = importlib.import_module("lcpg.commands")
    found = set()
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"lcpg.commands.{info.name}")
        commands = {
            name: value
            for name, value in vars(module).items()
            if isinstance(value, click.Command)
            and getattr(value.callback, "__module__", None) == module.__name__
        }
        nested = {
            id(sub)
            for group in commands.values()
            if isinstance(group, click.Group)
            for sub in group.commands.values()
        }
        found |= {f"{module.__name__}:{n}" for n, c in commands.items() if id(c) not in nested}
    assert found == {lazy.path for lazy in COMMANDS.values()}


def test_help_imports_no_command_module() -> None:
    modules = imported_by("--help")
    assert not {m for m in modules if m.startswith("lcpg.commands.")} - {"lcpg.commands.params"}


def test_a_command_imports_its_module_only(tmp_path: Path) -> None:
    modules = imported_by("--db", f"sqlite:///{tmp_path / 'none.db'}", "check", cwd=tmp_path)
    assert "lcpg.commands.check" in modules  # it ran (and failed: no database)
    commands = {m for m in modules if m.startswith("lcpg.commands.")}
    assert commands == {"lcpg.commands.params", "lcpg.commands.check"}
    assert not {m for m in modules if m.split(".")[0] in OTHERS or m in OTHERS}


def test_a_commands_own_help_shows_its_options() -> None:
    result = CliRunner().invoke(main, ["ics", "export", "--help"])
    assert result.exit_code == 0 and "--base-url URL" in result.output
    result = CliRunner().invoke(main, ["nonesuch"])
    assert result.exit_code == 2 and "No such command 'nonesuch'" in result.output


def test_a_command_added_to_the_group_is_listed_and_runs_beside_the_table() -> None:
    @click.command("zz-probe")
    def probe() -> None:
        """Say hello from a command defined outside lcpg.commands."""
        click.echo("hello")

    main.add_command(probe)
    try:
        listed = CliRunner().invoke(main, ["--help"]).output
        assert "  zz-probe   Say hello from a command defined outside lcpg.commands.\n" in listed
        assert listed.index("  check ") < listed.index("  zz-probe ")
        result = CliRunner().invoke(main, ["zz-probe"])
        assert result.exit_code == 0 and result.output == "hello\n"
    finally:
        main.commands.pop("zz-probe")
