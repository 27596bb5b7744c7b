"""Exit statuses a script can tell apart: 0 success, 1 could not run, 2 bad usage, 3 found what
`--fail-on` or `--strict` asked about; and `lcpg --help` says so."""

from __future__ import annotations

from pathlib import Path

import click
from click.testing import CliRunner

from cli import CouldNotRun, ExitStatus, main
from tests.cli.commands import run

AS_OF = "2018-01-01"
# Three CHWB dates in eleven days leave the LCPGs of the first cycle no legal day.
CROWDED = ("--chwb", "2018-01-10", "--chwb", "2018-01-20", "--chwb", "2018-03-14")


def test_the_statuses_are_the_documented_numbers() -> None:
    assert [int(s) for s in ExitStatus] == [0, 1, 2, 3]
    # click's own exceptions give 1 and 2: the enum must agree with them.
    assert click.ClickException.exit_code == CouldNotRun.exit_code == ExitStatus.FAILED
    assert click.UsageError.exit_code == ExitStatus.USAGE


def test_help_lists_every_exit_status() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == ExitStatus.SUCCESS
    lines = result.output.splitlines()
    start = lines.index("  Exit status:")
    assert lines[start + 1 : start + 5] == [
        "    0  success",
        "    1  could not run (bad input, the database, the network: the message says why)",
        "    2  bad usage (an unknown command or option, a bad value)",
        "    3  ran, and found what --fail-on (lcpg check) or --strict (lcpg plan) asked about",
    ]


def test_check_exits_0_without_fail_on_and_3_when_it_finds_what_it_asked_about(db: str) -> None:
    assert run(db, "check", "--as-of", AS_OF)[0] == ExitStatus.SUCCESS
    code, out = run(db, "check", "--as-of", AS_OF, "--fail-on", "error")
    assert code == ExitStatus.FOUND
    assert "errors" in out  # the report is still printed
    # A body without findings: --fail-on has nothing to find.
    args = ("check", "--as-of", AS_OF, "--body", "safeguarding-group", "--fail-on", "warning")
    assert run(db, *args)[0] == ExitStatus.SUCCESS


def test_plan_strict_exits_3_on_problems_and_0_without(db: str) -> None:
    args = ("plan", "--year", "2018", "--as-of", "2017-12-01")
    assert run(db, *args, *CROWDED)[0] == ExitStatus.SUCCESS
    code, out = run(db, *args, *CROWDED, "--strict")
    assert code == ExitStatus.FOUND and "Problems (" in out
    code, out = run(db, *args, "--strict")
    assert code == ExitStatus.SUCCESS, out


def test_could_not_run_exits_1(tmp_path: Path) -> None:
    code, out = run(f"sqlite:///{tmp_path / 'none.db'}", "check", "--fail-on", "error")
    assert code == ExitStatus.FAILED
    assert out.startswith("Error: the database") and "is not set up yet" in out


def test_bad_usage_exits_2(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'none.db'}"
    assert run(database, "check", "--fail-on", "sometimes")[0] == ExitStatus.USAGE
    assert run(database, "plan", "--strict")[0] == ExitStatus.USAGE  # --year is required
    assert run(database, "no-such-command")[0] == ExitStatus.USAGE
