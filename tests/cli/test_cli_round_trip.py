"""A spreadsheet round trip never duplicates a meeting (issue 12), as the team would meet it:
export the register, re-plan so that planned meetings move, then import the older export.

Meetings carry their identity in the ``id`` column (the calendar UID of the feeds), so the old
rows find the meetings they describe wherever those have moved; an old file without ids that
would give a body a second meeting in a cycle is refused, naming the file and row.
"""

from __future__ import annotations

import csv
import itertools
import json
from datetime import datetime
from pathlib import Path

import pytest

from tests.cli.commands import run
from tests.database_dump import dump

AS_OF = "2026-11-22"
BODY = "lcpg-gravesham"


def meetings(db: str, body: str) -> list[dict[str, str]]:
    code, out = run(db, "meetings", "list", "--body", body, "--format", "json")
    assert code == 0, out
    found: list[dict[str, str]] = json.loads(out)
    return found


def most_in_one_cycle(db: str, body: str) -> int:
    """The most active meetings ``body`` has between one CHWB meeting and the next."""
    active = ("planned", "confirmed", "held")
    chwb = sorted(m["start"] for m in meetings(db, "chwb") if m["status"] in active)
    starts = [m["start"] for m in meetings(db, body) if m["status"] in active]
    return max(
        sum(1 for start in starts if opening <= start < closing)
        for opening, closing in itertools.pairwise(chwb)
    )


def replan_gravesham_on_wednesdays(db: str) -> None:
    assert run(db, "bodies", "set", BODY, "--weekday", "wed")[0] == 0
    code, out = run(db, "plan", "--year", "2027", "--save", "--as-of", AS_OF)
    assert code == 0, out
    assert f"moved {BODY}" in out


@pytest.fixture
def demo_db(database_url: str, tmp_path: Path) -> str:
    code, out = run(database_url, "demo", "--as-of", AS_OF, "--out", str(tmp_path / "demo"))
    assert code == 0, out
    return database_url


def test_importing_an_older_export_after_a_replan_adds_no_meeting(
    demo_db: str, tmp_path: Path
) -> None:
    old = tmp_path / "old"
    assert run(demo_db, "export", str(old))[0] == 0
    replan_gravesham_on_wednesdays(demo_db)
    assert most_in_one_cycle(demo_db, BODY) == 1

    code, out = run(demo_db, "import", str(old), "--dry-run")
    assert code == 0, out
    assert f"meeting {BODY} 2027-03-22T14:00: start 2027-03-17T14:00 -> 2027-03-22T14:00" in out

    code, out = run(demo_db, "import", str(old))

    assert code == 0, out
    meetings_line = next(line for line in out.splitlines() if line.startswith("meetings"))
    assert meetings_line.split()[1] == "0", out  # none added
    assert most_in_one_cycle(demo_db, BODY) == 1
    # The old rows are the same meetings, so importing them puts them back where they were.
    assert {m["start"] for m in meetings(demo_db, BODY)} == {
        row["start"] for row in csv.DictReader((old / "meetings.csv").open()) if row["body"] == BODY
    }


@pytest.mark.parametrize("fmt", ["old", "old.xlsx"])
def test_an_old_export_without_ids_is_refused_row_by_row(
    demo_db: str, tmp_path: Path, fmt: str
) -> None:
    old = tmp_path / "old"
    assert run(demo_db, "export", str(old))[0] == 0
    without_ids = strip_id_columns(old, tmp_path / "no-ids")
    if fmt.endswith(".xlsx"):
        without_ids = csv_folder_as_workbook(without_ids, tmp_path / fmt)
    replan_gravesham_on_wednesdays(demo_db)
    before = dump(demo_db)

    for dry_run in ([], ["--dry-run"]):
        code, out = run(demo_db, "import", str(without_ids), *dry_run)

        assert code == 1, out
        label = "meetings.csv" if fmt == "old" else f"{fmt}, sheet meetings"
        refused = [line for line in out.splitlines() if "second lcpg-gravesham meeting" in line]
        assert len(refused) == 6, out  # one per cycle of 2027
        assert all(f"{label}, row " in line for line in refused), refused
        assert all("column 'start'" in line and "an id column" in line for line in refused)
        assert dump(demo_db) == before


def test_an_old_export_without_ids_still_imports_where_nothing_moved(
    demo_db: str, tmp_path: Path
) -> None:
    old = tmp_path / "old"
    assert run(demo_db, "export", str(old))[0] == 0
    before = dump(demo_db)
    code, out = run(demo_db, "import", str(strip_id_columns(old, tmp_path / "no-ids")))
    assert code == 0, out
    assert out.startswith("Nothing to change"), out
    assert dump(demo_db) == before


def test_exported_id_is_the_feed_uid(demo_db: str, tmp_path: Path) -> None:
    assert run(demo_db, "export", str(tmp_path / "register"))[0] == 0
    assert run(demo_db, "ics", "export", "--out", str(tmp_path / "feeds"))[0] == 0
    with (tmp_path / "register" / "meetings.csv").open(encoding="utf-8") as stream:
        exported = {
            (row["body"], datetime.fromisoformat(row["start"])): row["id"]
            for row in csv.DictReader(stream)
        }
    from icalendar import Calendar

    feed = Calendar.from_ical((tmp_path / "feeds" / f"{BODY}.ics").read_bytes())
    events = list(feed.walk("VEVENT"))
    assert events
    for event in events:
        start = event.decoded("DTSTART").replace(tzinfo=None)
        assert exported[(BODY, start)] == str(event["UID"])


def test_an_export_restored_into_a_new_database_keeps_every_calendar_uid(
    demo_db: str, tmp_path: Path
) -> None:
    replan_gravesham_on_wednesdays(demo_db)  # moved meetings: ids no longer follow their start
    assert run(demo_db, "export", str(tmp_path / "register.xlsx"))[0] == 0
    other = f"sqlite:///{tmp_path / 'restored.db'}"
    assert run(other, "init")[0] == 0

    code, out = run(other, "import", str(tmp_path / "register.xlsx"))

    assert code == 0, out
    for db, folder in ((demo_db, "feeds"), (other, "restored-feeds")):
        assert run(db, "ics", "export", "--out", str(tmp_path / folder))[0] == 0
    for body in (BODY, "chwb", "county"):
        assert feed_uids(tmp_path / "restored-feeds" / f"{body}.ics") == feed_uids(
            tmp_path / "feeds" / f"{body}.ics"
        )


def test_meetings_of_a_body_may_swap_places_in_one_import(demo_db: str, tmp_path: Path) -> None:
    folder = tmp_path / "register"
    assert run(demo_db, "export", str(folder))[0] == 0
    with (folder / "meetings.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    planned = [r for r in rows if r["body"] == BODY and r["status"] == "planned"]
    first, second = planned[0], planned[1]
    first["start"], second["start"] = second["start"], first["start"]
    first["end"], second["end"] = second["end"], first["end"]
    with (folder / "meetings.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    (folder / "attendance.csv").unlink()

    code, out = run(demo_db, "import", str(folder))

    assert code == 0, out
    after = {m["id"]: m["start"] for m in meetings(demo_db, BODY)}
    assert after[first["id"].split("@")[0]] == first["start"]
    assert after[second["id"].split("@")[0]] == second["start"]


def test_importing_an_older_feed_after_a_replan_adds_no_meeting(
    demo_db: str, tmp_path: Path
) -> None:
    # The feeds and the workbook agree on a meeting's identity, and so does ics import: an
    # event with one of this register's UIDs is that meeting, wherever it has moved since.
    assert run(demo_db, "ics", "export", "--out", str(tmp_path / "feeds"))[0] == 0
    replan_gravesham_on_wednesdays(demo_db)

    code, out = run(
        demo_db,
        "ics",
        "import",
        str(tmp_path / "feeds" / f"{BODY}.ics"),
        "--body",
        BODY,
        "--as-of",
        AS_OF,
    )

    assert code == 0, out
    meetings_line = next(line for line in out.splitlines() if line.startswith("meetings"))
    assert meetings_line.split()[1] == "0", out  # none added
    assert most_in_one_cycle(demo_db, BODY) == 1


def test_a_feed_imported_for_another_body_moves_none_of_its_meetings(
    demo_db: str, tmp_path: Path
) -> None:
    assert run(demo_db, "ics", "export", "--out", str(tmp_path / "feeds"))[0] == 0
    replan_gravesham_on_wednesdays(demo_db)
    before = meetings(demo_db, BODY)

    feed = str(tmp_path / "feeds" / f"{BODY}.ics")
    code, out = run(demo_db, "ics", "import", feed, "--body", "lcpg-dover", "--as-of", AS_OF)

    assert code == 0, out
    assert meetings(demo_db, BODY) == before  # its UIDs name Gravesham's meetings, not Dover's


def feed_uids(path: Path) -> set[str]:
    from icalendar import Calendar

    return {str(e["UID"]) for e in Calendar.from_ical(path.read_bytes()).walk("VEVENT")}


def strip_id_columns(folder: Path, target: Path) -> Path:
    """A copy of the CSV export in ``folder`` as an older lcpg wrote it: no ``id`` column in
    meetings.csv and no ``meeting_id`` in attendance.csv."""
    target.mkdir()
    for source in folder.glob("*.csv"):
        with source.open(encoding="utf-8", newline="") as stream:
            rows = list(csv.reader(stream))
        drop = {i for i, name in enumerate(rows[0]) if name in ("id", "meeting_id")}
        with (target / source.name).open("w", encoding="utf-8", newline="") as stream:
            csv.writer(stream).writerows(
                [cell for i, cell in enumerate(row) if i not in drop] for row in rows
            )
    return target


def csv_folder_as_workbook(folder: Path, target: Path) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for source in sorted(folder.glob("*.csv")):
        sheet = workbook.create_sheet(source.stem)
        with source.open(encoding="utf-8", newline="") as stream:
            for row in csv.reader(stream):
                sheet.append(row)
    workbook.save(target)
    return target
