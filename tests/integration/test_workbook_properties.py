"""Property tests of workbook import through real files: whatever a cell holds, a CSV folder or an
``.xlsx`` workbook either imports or is refused with ``InputError`` naming the file, the row and
the column, never with another exception; and a register written out reads back the same.

The files are written to a temporary folder per example (not ``tmp_path``: hypothesis runs many
examples per test). Names and addresses are generated; the domain is example.org.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from lcpg.blueprints import KENT
from lcpg.domain.blueprint import load_blueprint
from lcpg.domain.model import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
    Membership,
    Person,
    meeting_identity,
)
from lcpg.domain.register import Register
from lcpg.errors import InputError
from lcpg.workbook import read_register, write_register
from lcpg.workbook.schema import TABLES, TableSpec
from tests.samples import small_register

BLUEPRINT = load_blueprint(KENT)
BODIES = sorted(body.slug for body in BLUEPRINT.bodies_list())
SPECS = {spec.name: spec for spec in TABLES}
EXISTING = small_register()

# Values that pass, so that a row is not refused for its first column every time.
PLAUSIBLE: dict[str, Sequence[str]] = {
    "email": [p.email for p in EXISTING.people] + ["New.Person@example.org"],
    "body": ["lcpg-sevenoaks", "chwb", "LCPG-Dover"],
    "sector": ["police", "additional", "Housing"],
    "roles": ["", "chair", "coordinator; hwb-link"],
    "start": ["", "2018-03-14", "2018-03-14T10:00", "2018-03-14 10:00:00"],
    "end": ["", "2018-12-31", "2018-03-14T12:00"],
    "meeting_start": ["2018-03-14T10:00", "2018-06-13T10:00"],
    "status": ["held", "planned", "present", "apologies"],
}
EXAMPLES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def cell_text(column: str) -> st.SearchStrategy[str]:
    return st.one_of(st.text(max_size=30), st.sampled_from(PLAUSIBLE.get(column, ["", "x"])))


@st.composite
def tables(draw: st.DrawFn, cell: st.SearchStrategy[object] | None = None) -> dict[str, list]:
    """Some of the four tables: a header (its columns in any order, perhaps an extra one) and
    up to four rows of any cells, some short or long."""
    names = draw(st.lists(st.sampled_from(list(SPECS)), min_size=1, max_size=4, unique=True))
    drawn = {}
    for name in names:
        spec = SPECS[name]
        header = draw(st.permutations(list(spec.columns)))
        if draw(st.booleans()):
            header.append("notes")
        rows = []
        for _ in range(draw(st.integers(0, 4))):
            width = draw(st.integers(len(header) - 1, len(header) + 1))
            rows.append(
                [
                    draw(cell if cell is not None else cell_text(header[i % len(header)]))
                    for i in range(width)
                ]
            )
        drawn[name] = [header, *rows]
    return drawn


def assert_imports_or_names_the_place(
    path: Path, drawn: dict[str, list], label: str = "{name}.csv"
) -> None:
    try:
        read_register(path, BLUEPRINT, BODIES, EXISTING)
    except InputError as error:
        assert error.problems
        labels = {label.format(name=name): SPECS[name] for name in drawn}
        for problem in error.problems:
            assert problem.file in labels, problem
            spec: TableSpec = labels[problem.file]
            last_row = len(drawn[spec.name])
            assert problem.row is None or 1 <= problem.row <= last_row, problem
            assert problem.column is None or problem.column in spec.columns, problem
            assert problem.message.strip(), problem


@EXAMPLES
@given(tables())
def test_any_text_in_any_csv_cell_imports_or_names_file_row_and_column(
    drawn: dict[str, list],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for name, rows in drawn.items():
            with (Path(folder) / f"{name}.csv").open("w", encoding="utf-8", newline="") as file:
                csv.writer(file).writerows(rows)
        assert_imports_or_names_the_place(Path(folder), drawn)


# What an .xlsx cell can hold: text without the control characters a workbook cannot store,
# numbers, dates and times, booleans, nothing.
WORKBOOK_CELLS = st.one_of(
    st.text(max_size=30).filter(lambda text: not ILLEGAL_CHARACTERS_RE.search(text)),
    st.sampled_from([value for values in PLAUSIBLE.values() for value in values]),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 1, 1)),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 1, 1)),
    st.times(),
    st.booleans(),
    st.none(),
)


@EXAMPLES
@given(tables(WORKBOOK_CELLS))
def test_any_value_in_any_xlsx_cell_imports_or_names_sheet_row_and_column(
    drawn: dict[str, list],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "register.xlsx"
        book = openpyxl.Workbook()
        book.remove(book["Sheet"])
        for name, rows in drawn.items():
            sheet = book.create_sheet(name)
            for row in rows:
                sheet.append(row)
        book.save(path)
        assert_imports_or_names_the_place(path, drawn, "register.xlsx, sheet {name}")


# Registers as import builds them: values trimmed, line breaks \n, no control characters,
# keys unique.
TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\t\n"), max_size=20
).map(str.strip)
DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))


@st.composite
def registers(draw: st.DrawFn) -> Register:
    # Dot-atoms, as an address must have (no dot first, last or twice: domain.addresses).
    dot_atom = r"[a-z][a-z0-9]{0,4}(\.[a-z0-9]{1,3})?"
    locals_ = draw(st.lists(st.from_regex(dot_atom, fullmatch=True), max_size=4))
    emails = sorted({f"{local}@example.org" for local in locals_})
    people = tuple(Person(email, draw(TEXT.filter(bool)), draw(TEXT)) for email in emails)
    memberships: dict[tuple[str, str, str, date | None], Membership] = {}
    for email in emails:
        for _ in range(draw(st.integers(0, 2))):
            start = draw(st.none() | DAYS)
            end = draw(st.none() | DAYS)
            if start is not None and end is not None and end < start:
                start, end = end, start
            membership = Membership(
                draw(st.sampled_from(BODIES)),
                email,
                draw(st.sampled_from(BLUEPRINT.sector_slugs)),
                tuple(sorted(draw(st.sets(st.sampled_from(BLUEPRINT.role_slugs), max_size=2)))),
                start,
                end,
            )
            memberships.setdefault((membership.body, email, membership.sector, start), membership)
    meetings: dict[tuple[str, datetime], Meeting] = {}
    for _ in range(draw(st.integers(0, 4))):
        body = draw(st.sampled_from(BODIES))
        start = datetime.combine(
            draw(DAYS), draw(st.times().map(lambda t: t.replace(microsecond=0)))
        )
        end = start + timedelta(minutes=draw(st.integers(1, 600)))
        status = draw(st.sampled_from(list(MeetingStatus)))
        meeting = Meeting(meeting_identity(body, start), body, start, end, draw(TEXT), status)
        meetings.setdefault((body, start), meeting)
    attendance: dict[tuple[str, str], Attendance] = {}
    if emails and meetings:
        for _ in range(draw(st.integers(0, 4))):
            meeting = draw(st.sampled_from(list(meetings.values())))
            email = draw(st.sampled_from(emails))
            answer = draw(st.sampled_from(list(AttendanceStatus)))
            attendance.setdefault((meeting.id, email), Attendance(meeting.id, email, answer))
    return Register(
        people=people,
        memberships=tuple(memberships.values()),
        meetings=tuple(meetings.values()),
        attendance=tuple(attendance.values()),
    )


def as_sets(register: Register) -> tuple[frozenset[object], ...]:
    return tuple(
        frozenset(records)
        for records in (
            register.people,
            register.memberships,
            register.meetings,
            register.attendance,
        )
    )


@pytest.mark.parametrize("target", ["folder", "register.xlsx"])
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(register=registers())
def test_export_then_import_gives_the_register_back(target: str, register: Register) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / target
        write_register(path, register, BLUEPRINT.slug)
        read = read_register(path, BLUEPRINT, BODIES, Register())
    assert as_sets(read) == as_sets(register)
