"""Over-long text: one limit on a value, however it comes in, and no silent cut on the way out.

A 290 KB ``.xlsx`` once stored a 300,000,000-character name: XML compresses that well. Every
way in (CSV, ``.xlsx``, calendar files, ``lcpg bodies set --venue``) refuses a value longer
than ``lcpg.domain.cells.MAX_CELL_LENGTH``, the 32,767 characters an Excel cell holds, so every
value the register holds exports to a workbook and reads back unchanged. The corpus in
``tests/fixtures/malformed/`` holds the small cases (``long-venue``, ``long-cell.xlsx``,
``long-summary.ics``); here are the limit itself, a compressed bomb and the export.
"""

from __future__ import annotations

import dataclasses
from io import BytesIO
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile

import pytest
from openpyxl import Workbook

from lcpg.domain.cells import MAX_CELL_LENGTH, too_long
from lcpg.errors import OutputError
from lcpg.workbook.writer import write_register
from tests.cli.commands import run
from tests.samples import small_register


def test_the_limit_is_a_spreadsheet_cell() -> None:
    assert too_long("x" * MAX_CELL_LENGTH) is None
    assert too_long("x" * (MAX_CELL_LENGTH + 1)) == (
        "is 32,768 characters long, more than the 32,767 a spreadsheet cell holds"
    )


def bomb(path: Path, length: int) -> Path:
    """A small ``.xlsx`` whose one person's name is ``length`` characters long: written into
    the XML, since openpyxl itself cuts a value at 32,767 characters."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "people"
    sheet.append(["email", "name", "organisation"])
    sheet.append(["cy.lane@example.org", "PLACEHOLDER", "Kent County Council (fictional)"])
    built = BytesIO()
    book.save(built)
    with ZipFile(built) as source, ZipFile(path, "w", ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(b">PLACEHOLDER<", b">" + b"A" * length + b"<")
            target.writestr(item, data)
    return path


def test_a_compressed_workbook_with_a_huge_name_is_refused(db: str, tmp_path: Path) -> None:
    workbook = bomb(tmp_path / "bomb.xlsx", 5_000_000)
    assert workbook.stat().st_size < 50_000  # a small file...

    code, output = run(db, "import", str(workbook))

    assert code == 1, output  # ...refused with its cell, not stored
    assert (
        "bomb.xlsx, sheet people, row 2, column 'name': is 5,000,000 characters long, "
        "more than the 32,767 a spreadsheet cell holds"
    ) in output
    assert run(db, "members", "list", "--format", "csv")[1].count("cy.lane") == 0


def test_a_venue_longer_than_a_cell_is_refused_by_bodies_set(db: str) -> None:
    code, output = run(db, "bodies", "set", "lcpg-dover", "--venue", "Hall " * 7000)

    assert code == 1
    assert "the venue is 35,000 characters long" in output
    assert run(db, "bodies", "set", "lcpg-dover", "--venue", "Hall " * 6000)[0] == 0


@pytest.mark.parametrize("target", ["register.xlsx", "register"])
def test_export_refuses_a_value_it_would_cut(tmp_path: Path, target: str) -> None:
    # A register filled before imports refused long values may still hold one.
    register = small_register()
    first, *rest = register.meetings
    long = dataclasses.replace(first, venue="Hall " * 7000)
    register = dataclasses.replace(register, meetings=(long, *rest))

    with pytest.raises(OutputError, match=r"meetings row \d, column 'venue' is 35,000 characters"):
        write_register(tmp_path / target, register, "kent")
    assert list(tmp_path.iterdir()) == []  # nothing written, not a cut copy
