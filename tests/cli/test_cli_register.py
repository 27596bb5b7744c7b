"""The command line: init, the read commands and their formats, errors and exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from lcpg.bootstrap import App, Settings
from lcpg.services.register import write_incoming
from tests.conftest import FIXTURES
from tests.samples import small_register


def run(*args: str, db: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--db", db, *args], catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def db(database_url: str) -> str:
    code, _ = run("init", db=database_url)
    assert code == 0
    app = App(Settings.resolve(database_url=database_url))
    write_incoming(app, small_register(), "test", dry_run=False)
    app.close()
    return database_url


def test_init_creates_then_reports_up_to_date(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sub' / 'lcpg.db'}"
    code, out = run("init", db=url)
    assert code == 0
    assert "Created database" in out and "Added 22 bodies" in out
    code, out = run("init", db=url)
    assert code == 0
    assert "is up to date" in out and "All 22 bodies already match the blueprint." in out


def test_init_with_a_second_blueprint(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wessex.db'}"
    blueprint = str(FIXTURES / "blueprints" / "wessex.toml")
    code, out = run("--blueprint", blueprint, "init", db=url)
    assert code == 0, out
    assert "Wessex Children's Partnerships" in out and "Added 8 bodies" in out
    code, out = run("--blueprint", blueprint, "bodies", "list", "--format", "json", db=url)
    assert [b["slug"] for b in json.loads(out)][3:6] == [
        "lcpg-casterbridge",
        "lcpg-budmouth",
        "lcpg-sandbourne",
    ]


def test_broken_blueprint_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('slug = "x"\n', encoding="utf-8")
    code, out = run("--blueprint", str(bad), "init", db=f"sqlite:///{tmp_path / 'x.db'}")
    assert code == 1
    assert f"Error: blueprint {bad} is not valid:" in out
    assert "  cadence: required key is missing" in out
    assert not (tmp_path / "x.db").exists()


def test_commands_before_init_say_what_to_do(tmp_path: Path) -> None:
    code, out = run("bodies", "list", db=f"sqlite:///{tmp_path / 'none.db'}")
    assert code == 1
    assert "is not set up yet: run `lcpg init`" in out
    assert not (tmp_path / "none.db").exists()


def test_bad_database_url_is_a_clear_error() -> None:
    code, out = run("bodies", "list", db="not a url")
    assert code == 1 and "not a database URL" in out


def test_bodies_list_table(db: str) -> None:
    code, out = run("bodies", "list", "--as-of", "2018-02-01", db=db)
    assert code == 0
    line = next(line for line in out.splitlines() if line.startswith("lcpg-sevenoaks"))
    assert "Sevenoaks LCPG" in line and "2018-03-14T10:00" in line


def test_members_list_formats_and_dates(db: str) -> None:
    code, out = run(
        "members",
        "list",
        "--body",
        "lcpg-sevenoaks",
        "--as-of",
        "2018-02-01",
        "--format",
        "json",
        db=db,
    )
    assert code == 0
    rows = json.loads(out)
    assert [(r["email"], r["roles"]) for r in rows] == [("ada.finch@example.org", "chair")]
    code, out = run("members", "list", "--all", "--format", "csv", db=db)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 2
    bo = next(r for r in rows if r["email"] == "bo.reed@example.org")
    assert (bo["roles"], bo["start"], bo["end"]) == (
        "coordinator;safeguarding-lead",
        "2016-05-01",
        "2017-09-30",
    )


def test_meetings_list_filters(db: str) -> None:
    code, out = run("meetings", "list", "--status", "held", "--format", "json", db=db)
    assert code == 0
    (meeting,) = json.loads(out)
    assert meeting["body"] == "lcpg-sevenoaks" and meeting["start"] == "2018-03-14T10:00"
    code, out = run("meetings", "list", "--from", "2018-03-15", db=db)
    assert code == 0 and out.strip() == "(none)"


def test_unknown_body_names_the_known_ones(db: str) -> None:
    code, out = run("members", "list", "--body", "lcpg-sevenoak", db=db)
    assert code == 1
    assert "no body 'lcpg-sevenoak'" in out and "lcpg-sevenoaks" in out


def test_bad_arguments_exit_2(db: str) -> None:
    code, out = run("members", "list", "--as-of", "14/03/2018", db=db)
    assert code == 2 and "is not a date in the form YYYY-MM-DD" in out
    code, out = run("members", "list", "--all", "--as-of", "2018-01-01", db=db)
    assert code == 2


def test_help_starts_without_heavy_imports() -> None:
    heavy = ["sqlalchemy", "alembic", "pydantic", "openpyxl", "dateutil", "tabulate", "holidays"]
    probe = (
        "import sys, cli\n"
        "try:\n    cli.main(['--help'], standalone_mode=False)\n"
        "finally:\n"
        f"    print(sorted({{m.split('.')[0] for m in sys.modules}} & set({heavy!r})))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "Plan and check the meeting cycle" in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "[]"
