"""Writing a register as a workbook: an ``.xlsx`` file or a folder of CSV files.

The output is what import reads: the same tables and columns (``lcpg.workbook.schema``), the same
text forms (``lcpg.workbook.values``), so reading back what ``write_register(path, r)`` wrote gives
``r``'s people, memberships, meetings and attendance. Each meeting's ``id`` is its calendar
UID (``lcpg.domain.model.meeting_uid``), the same as in the feeds, and attendance names its meeting
by it (``meeting_id``) as well as by body and start, for people to read.

Rows are sorted, so writing the same register twice gives the same CSV bytes and exports can
be compared with ``diff``. Every file is written to a temporary file beside it and then renamed
over the target, so a failure never leaves a half-written file behind.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from lcpg.domain.cells import guard, too_long
from lcpg.domain.model import Attendance, Meeting, Membership, meeting_uid
from lcpg.domain.register import Register
from lcpg.errors import OutputError
from lcpg.files import replace_atomically
from lcpg.workbook.schema import ATTENDANCE, MEETINGS, MEMBERSHIPS, PEOPLE, TableSpec
from lcpg.workbook.values import format_date, format_datetime, format_roles

if TYPE_CHECKING:
    from openpyxl.styles import Font
    from openpyxl.worksheet.worksheet import Worksheet

_Rows = list[list[str]]
# Rows in one .xlsx sheet, header included (Excel's limit; a national register's ten years of
# attendance is about two million rows).
XLSX_MAX_ROWS = 1_048_576
_MAX_COLUMN_WIDTH = 50


def write_register(path: Path, register: Register, blueprint_slug: str) -> list[Path]:
    """Write the people, memberships, meetings and attendance of ``register`` to ``path``;
    meeting ids are written as the calendar UIDs of blueprint ``blueprint_slug``'s feeds.

    A ``path`` ending in ``.xlsx`` (any case) becomes one workbook with the sheets ``people``,
    ``memberships``, ``meetings`` and ``attendance``, every cell written as text (a control
    character, which a workbook cannot hold, as a space); any other ``path`` becomes a folder
    (created with its parents) holding ``people.csv``, ``memberships.csv``, ``meetings.csv``
    and ``attendance.csv`` (UTF-8 without a byte order mark, ``\\n`` line ends). All four
    tables are always written, header first, even when empty. Existing files of those names
    are replaced; other files in the folder are left alone.

    Returns the files written. Raises ``ValueError`` when an attendance record refers to a
    meeting that is not in ``register`` (its body and start could not be written),
    ``OutputError`` (before writing anything) when a table has more rows than an ``.xlsx``
    sheet holds or a value is longer than a cell holds (``lcpg.domain.cells.MAX_CELL_LENGTH``,
    which every import enforces: only a register filled before it did can hold one), and
    ``OSError`` when a file cannot be written.
    """
    tables = _register_rows(register, blueprint_slug)
    _refuse_long_values(path, tables)
    if path.suffix.lower() == ".xlsx":
        for spec, rows in tables:
            if len(rows) + 1 > XLSX_MAX_ROWS:
                raise OutputError(
                    f"cannot write {path}: its {spec.name} sheet would have {len(rows) + 1:,} "
                    f"rows, more than an .xlsx sheet holds ({XLSX_MAX_ROWS:,}); export to a "
                    "folder of CSV files instead (a path not ending in .xlsx)"
                )
        return [_write_workbook(path, tables)]
    return _write_folder(path, tables)


def _refuse_long_values(path: Path, tables: list[tuple[TableSpec, _Rows]]) -> None:
    """Raise ``OutputError`` for the first value longer than a cell holds: Excel (and openpyxl)
    would cut it silently, and import would refuse it, so the export would not read back."""
    for spec, rows in tables:
        for number, row in enumerate(rows, start=2):
            for column, value in zip(spec.columns, row, strict=False):
                reason = too_long(value)
                if reason is not None:
                    raise OutputError(
                        f"cannot write {path}: {spec.name} row {number}, column {column!r} "
                        f"{reason}; shorten it (import a corrected workbook) and export again"
                    )


def _register_rows(register: Register, blueprint_slug: str) -> list[tuple[TableSpec, _Rows]]:
    """The four tables of ``register`` as rows of cell text, in the order they are written.

    People are sorted by email; memberships by body, email, sector and start (open starts
    first); meetings by start, then body; attendance by its meeting's start and body, then
    email. Raises ``ValueError`` for attendance at a meeting that is not in ``register``.
    """
    meetings = {meeting.id: meeting for meeting in register.meetings}

    def meeting_of(record: Attendance) -> Meeting:
        try:
            return meetings[record.meeting_id]
        except KeyError:
            raise ValueError(
                f"attendance of {record.email} refers to meeting {record.meeting_id}, "
                "which is not in the register"
            ) from None

    def membership_order(m: Membership) -> tuple[str, str, str, bool, date, bool, date]:
        return (
            m.body,
            m.email,
            m.sector,
            m.start is not None,
            m.start or date.min,
            m.end is None,
            m.end or date.max,
        )

    people = [
        [p.email, p.name, p.organisation] for p in sorted(register.people, key=lambda p: p.email)
    ]
    memberships = [
        [m.body, m.email, m.sector, format_roles(m.roles), format_date(m.start), format_date(m.end)]
        for m in sorted(register.memberships, key=membership_order)
    ]
    uids = {m.id: meeting_uid(m.id, blueprint_slug) for m in register.meetings}
    meetings_rows = [
        [
            uids[m.id],
            m.body,
            format_datetime(m.start),
            format_datetime(m.end),
            m.venue,
            m.status.value,
        ]
        for m in sorted(register.meetings, key=lambda m: (m.start, m.body, m.id))
    ]
    attended = [(meeting_of(a), a) for a in register.attendance]
    attendance = [
        [uids[meeting.id], meeting.body, format_datetime(meeting.start), a.email, a.status.value]
        for meeting, a in sorted(attended, key=lambda pair: _attendance_order(*pair))
    ]
    return [
        (PEOPLE, people),
        (MEMBERSHIPS, memberships),
        (MEETINGS, meetings_rows),
        (ATTENDANCE, attendance),
    ]


def _attendance_order(meeting: Meeting, record: Attendance) -> tuple[object, ...]:
    return (meeting.start, meeting.body, record.email, record.status.value)


def _write_folder(folder: Path, tables: list[tuple[TableSpec, _Rows]]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for spec, rows in tables:
        target = folder / spec.file_name

        def write(temporary: Path, spec: TableSpec = spec, rows: _Rows = rows) -> None:
            with temporary.open("x", encoding="utf-8", newline="") as stream:
                plain = csv.writer(stream, lineterminator="\n")
                quoted = csv.writer(stream, lineterminator="\n", quoting=csv.QUOTE_ALL)
                # Guarded against formula injection: Excel opens these files (domain.cells).
                for row in [list(spec.columns), *([guard(v) for v in r] for r in rows)]:
                    # csv quotes a field holding "\n" but not one holding a lone "\r", which
                    # every reader takes for the end of the row.
                    (quoted if any("\r" in value for value in row) else plain).writerow(row)

        replace_atomically(target, write)
        written.append(target)
    return written


def _write_workbook(path: Path, tables: list[tuple[TableSpec, _Rows]]) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    default_sheet = workbook.active
    if default_sheet is not None:
        workbook.remove(default_sheet)
    bold = Font(bold=True)
    for spec, rows in tables:
        sheet = workbook.create_sheet(spec.name)
        _fill_sheet(sheet, spec.columns, rows, bold)
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_atomically(path, lambda temporary: workbook.save(temporary))
    return path


def _fill_sheet(sheet: Worksheet, header: Sequence[str], rows: _Rows, bold: Font) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.utils import get_column_letter

    widths = [len(name) for name in header]
    for row_number, values in enumerate([list(header), *rows], start=1):
        for column_number, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_number, column=column_number)
            if value:
                # A workbook cannot hold control characters (openpyxl refuses them). Both
                # imports refuse them, but a register written before they did may hold one:
                # a space rather than no export at all.
                cell.value = ILLEGAL_CHARACTERS_RE.sub(" ", value)
                # Text, never a formula ("=Hall" is a venue) nor a date Excel would re-format.
                cell.data_type = "s"
                cell.number_format = "@"
            if row_number == 1:
                cell.font = bold
            widths[column_number - 1] = max(widths[column_number - 1], len(value))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, _MAX_COLUMN_WIDTH)
    sheet.freeze_panes = "A2"
