"""`lcpg import` and `lcpg export` as a user runs them: round trips, dry runs, re-imports, and
a database left exactly as it was (compared as a full dump). Malformed input, file by file
with its exact message, is the corpus run by ``test_malformed_inputs.py``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from tests.cli.commands import run
from tests.database_dump import dump
from tests.samples import ATTENDANCE, MEMBERSHIPS, PEOPLE, csv_folder


def test_import_then_reimport_changes_nothing(db: str, tmp_path: Path) -> None:
    folder = csv_folder(tmp_path / "in")
    code, out = run(db, "import", str(folder))
    assert code == 0, out
    assert "Imported" in out
    assert out.count(" 0 ") >= 1
    before = dump(db)
    code, out = run(db, "import", str(folder))
    assert code == 0
    assert out.startswith("Nothing to change: all 8 records")
    assert dump(db) == before


def test_dry_run_reports_and_writes_nothing(db: str, tmp_path: Path) -> None:
    before = dump(db)
    code, out = run(db, "import", str(csv_folder(tmp_path / "in")), "--dry-run")
    assert code == 0
    assert "Dry run" in out and "Nothing was written" in out
    people_line = next(line for line in out.splitlines() if line.startswith("people"))
    assert people_line.split()[1:] == ["2", "0", "0"]
    assert dump(db) == before


@pytest.mark.parametrize("fmt", ["csv-folder", "workbook.xlsx"])
def test_export_then_import_round_trips(db: str, tmp_path: Path, fmt: str) -> None:
    assert run(db, "import", str(csv_folder(tmp_path / "in")))[0] == 0
    target = tmp_path / fmt
    code, out = run(db, "export", str(target))
    assert code == 0, out
    assert "Exported 2 people, 2 memberships, 2 meetings, 2 attendance" in out
    before = dump(db)
    code, out = run(db, "import", str(target))
    assert code == 0
    assert out.startswith("Nothing to change")
    assert dump(db) == before


def test_export_into_a_fresh_database_reproduces_the_register(db: str, tmp_path: Path) -> None:
    assert run(db, "import", str(csv_folder(tmp_path / "in")))[0] == 0
    assert run(db, "export", str(tmp_path / "out.xlsx"))[0] == 0
    other = f"sqlite:///{tmp_path / 'other.db'}"
    assert run(other, "init")[0] == 0
    assert run(other, "import", str(tmp_path / "out.xlsx"))[0] == 0
    for args in (["members", "list", "--all"], ["meetings", "list"]):
        assert run(other, *args, "--format", "json")[1] == run(db, *args, "--format", "json")[1]


def test_missing_path_is_a_clear_error(db: str, tmp_path: Path) -> None:
    code, out = run(db, "import", str(tmp_path / "nowhere"))
    assert code == 1 and "nowhere" in out


def test_demo_loads_once_and_prints_where_things_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["demo", "--as-of", "2026-11-22"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "sqlite:///lcpg.db" in out
    assert "loaded the fictional demo register" in out
    assert "Sevenoaks LCPG meets quarterly" in out
    assert "lcpg members list --body lcpg-maidstone" in out
    assert "meetings planned for 2027 and saved" in out
    assert (tmp_path / "lcpg-demo" / "calendar-2027.html").exists()
    assert (tmp_path / "lcpg-demo" / "feeds" / "county.ics").exists()
    assert "lcpg-demo/feeds/index.html  (16 calendar feeds" in out
    assert "lcpg-demo/register.xlsx" in out
    assert (tmp_path / "lcpg.db").exists() and (tmp_path / "lcpg-demo" / "register.xlsx").exists()
    sevenoaks = next(line for line in out.splitlines() if line.startswith("lcpg-sevenoaks"))
    assert sevenoaks.split()[1] == "4"  # quarterly: four held meetings in twelve months
    gravesham = next(line for line in out.splitlines() if line.startswith("lcpg-gravesham"))
    assert int(gravesham.split()[1]) >= 6
    before = dump("sqlite:///lcpg.db")
    again = CliRunner().invoke(main, ["demo", "--as-of", "2026-11-22"], catch_exceptions=False)
    assert again.exit_code == 0
    assert "already holds data, so the demo register was not loaded" in again.output
    assert dump("sqlite:///lcpg.db") == before
    shutil.rmtree(tmp_path / "lcpg-demo")


def test_demo_with_another_blueprint_claims_no_kent_scenario(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import FIXTURES

    monkeypatch.chdir(tmp_path)
    wessex = str(FIXTURES / "blueprints" / "wessex.toml")
    result = CliRunner().invoke(
        main, ["--blueprint", wessex, "demo", "--as-of", "2026-11-22"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "Wessex Children's Partnerships" in result.output
    for kent_only in ("Sevenoaks", "Dartford", "Maidstone", "lcpg-maidstone"):
        assert kent_only not in result.output
    assert "lcpg members list --body lcpg-casterbridge" in result.output


def test_dry_run_names_each_record_that_would_change(db: str, tmp_path: Path) -> None:
    assert run(db, "import", str(csv_folder(tmp_path / "in")))[0] == 0
    edited = csv_folder(
        tmp_path / "edited",
        people=PEOPLE.replace("Bo Reed,", "Bo Reed-Hart,"),
        memberships=MEMBERSHIPS.replace("chair,2018-01-01,", "chair,2018-01-01,2019-03-31"),
        attendance=ATTENDANCE.replace(
            "bo.reed@example.org,apologies", "bo.reed@example.org,represented"
        ),
    )
    before = dump(db)
    code, out = run(db, "import", str(edited), "--dry-run")
    assert code == 0, out
    assert "Records already in the register that this would change:" in out
    assert "  person bo.reed@example.org: name Bo Reed -> Bo Reed-Hart" in out
    assert (
        "  membership lcpg-sevenoaks ada.finch@example.org (voluntary-sector, from 2018-01-01): "
        "end (empty) -> 2019-03-31" in out
    )
    assert (
        "  attendance of bo.reed@example.org at meeting lcpg-sevenoaks 2018-03-14T10:00: "
        "status apologies -> represented" in out
    )
    assert dump(db) == before
    code, out = run(db, "import", str(edited))
    assert code == 0 and "that this changed:" in out
    assert dump(db) != before


def test_export_to_an_unwritable_place_is_a_clear_error(db: str, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    code, out = run(db, "export", str(blocker))
    assert code == 1
    assert f"Error: cannot write {blocker}: File exists" in out
    code, out = run(db, "export", str(blocker / "register.xlsx"))
    assert code == 1 and "cannot write" in out
