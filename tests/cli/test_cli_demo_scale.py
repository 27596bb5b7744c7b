"""`lcpg demo --scale` as a user runs it, on both databases: a small synthetic national
register, the files it writes, later commands pointed at its blueprint, and the refusals."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from tests.database_dump import dump

AS_OF = "2026-11-22"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def national(database_url: str, tmp_path: Path) -> tuple[str, Path, str]:
    """Two counties over two years in an empty database: (url, out folder, output)."""
    out = tmp_path / "national"
    code, output = run(
        "--db", database_url, "demo", "--scale", "2", "--years", "2", "--as-of", AS_OF,
        "--out", str(out),
    )  # fmt: skip
    assert code == 0, output
    return database_url, out, output


def test_scale_demo_writes_the_blueprint_and_says_how_to_use_it(
    national: tuple[str, Path, str],
) -> None:
    url, out, output = national
    blueprint = out / "national-2.toml"
    assert blueprint.exists() and (out / "terms" / "kent-2017-18.toml").exists()
    assert f"export LCPG_BLUEPRINT={blueprint.resolve()}" in output
    assert "24 districts" in output
    assert "meetings planned for 2027 and saved" in output
    assert (out / "compliance.html").exists()
    assert (out / "feeds" / "lcpg-c002-tunbridge-wells.ics").exists()
    assert (out / "feeds" / "index.html").exists()
    assert not (out / "calendar-2027.html").exists()  # said as not done, and not done
    assert "not done" in output

    # Later commands, pointed at the synthetic blueprint, see both counties.
    code, listed = run("--db", url, "--blueprint", str(blueprint), "bodies", "list", "--format",
                       "json")  # fmt: skip
    assert code == 0, listed
    slugs = {row["slug"] for row in json.loads(listed)}
    assert {"lcpg-c001-ashford", "lcpg-c002-thanet", "hwb-west-kent-c002"} <= slugs
    code, report = run("--db", url, "--blueprint", str(blueprint), "check", "--as-of", AS_OF,
                       "--format", "json")  # fmt: skip
    assert code == 0, report
    assert json.loads(report)["as_of"] == AS_OF


def test_scale_demo_register_round_trips_through_its_csv_export(
    national: tuple[str, Path, str], tmp_path: Path
) -> None:
    url, out, _ = national
    with (out / "register" / "meetings.csv").open(encoding="utf-8") as f:
        bodies = {row["body"] for row in csv.DictReader(f)}
    assert {"lcpg-c001-sevenoaks", "lcpg-c002-sevenoaks", "chwb"} <= bodies
    # The exported register imports into a fresh database set up with the same blueprint.
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    blueprint = str(out / "national-2.toml")
    assert run("--db", fresh, "--blueprint", blueprint, "init")[0] == 0
    code, output = run("--db", fresh, "--blueprint", blueprint, "import", str(out / "register"))
    assert code == 0, output
    assert run("--db", url, "--blueprint", blueprint, "export", str(tmp_path / "a"))[0] == 0
    assert run("--db", fresh, "--blueprint", blueprint, "export", str(tmp_path / "b"))[0] == 0
    for name in ("people.csv", "memberships.csv", "attendance.csv"):
        assert (tmp_path / "a" / name).read_text() == (tmp_path / "b" / name).read_text()


def test_scale_demo_refuses_a_database_that_holds_a_register(
    national: tuple[str, Path, str], tmp_path: Path
) -> None:
    url, _, _ = national
    before = dump(url)
    code, output = run("--db", url, "demo", "--scale", "1", "--out", str(tmp_path / "again"))
    assert code == 1
    assert "already holds a register" in output and "--db" in output
    assert not (tmp_path / "again").exists()  # nothing written
    assert dump(url) == before


def test_scale_demo_refuses_a_database_set_up_for_another_blueprint(
    database_url: str, tmp_path: Path
) -> None:
    assert run("--db", database_url, "init")[0] == 0  # Kent's 22 bodies
    code, output = run("--db", database_url, "demo", "--scale", "1", "--out", str(tmp_path / "o"))
    assert code == 1
    assert "already holds another blueprint's (22 bodies)" in output
    assert not (tmp_path / "o").exists()


def test_scale_and_years_are_checked(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    assert run("--db", db, "demo", "--scale", "0")[0] == 2
    assert run("--db", db, "demo", "--scale", "1000")[0] == 2
    assert run("--db", db, "demo", "--scale", "1", "--years", "0")[0] == 2
    assert not (tmp_path / "x.db").exists()


def test_plain_demo_takes_years_of_history(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'kent.db'}"
    code, output = run("--db", db, "demo", "--years", "3", "--as-of", AS_OF,
                       "--out", str(tmp_path / "demo"))  # fmt: skip
    assert code == 0, output
    assert "loaded the fictional demo register" in output
    code, listed = run("--db", db, "meetings", "list", "--body", "lcpg-gravesham", "--status",
                       "held", "--format", "json")  # fmt: skip
    first = min(row["start"] for row in json.loads(listed))
    assert first < "2024-06-01"  # three years back (two, the default, start in 2025)
