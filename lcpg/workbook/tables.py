"""Reading a workbook source into plain tables of text: the I/O half of import.

A source is a folder of CSV files (``people.csv``, ``memberships.csv``, ``meetings.csv``,
``attendance.csv``) or an ``.xlsx`` workbook with sheets of those names (file and sheet names
are matched case-insensitively). Any subset of the four may be present, but at least one.
``read_tables`` checks only what concerns files: that they can be read, are UTF-8, have a header
row with every column. Whether the values make sense is ``lcpg.workbook.parse``'s business.

Rows are numbered as a spreadsheet numbers them (the header is row 1) and completely blank rows
are skipped but still counted, so a row number in a message is the row the user sees.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from lcpg.domain.cells import MAX_CELL_LENGTH, too_long, unguard
from lcpg.domain.characters import control_character
from lcpg.errors import InputError, InputProblem
from lcpg.workbook.hidden_cells import HiddenCell, hidden_cells
from lcpg.workbook.schema import TABLES, TableSpec, header_name
from lcpg.workbook.values import cell_text

_EXPECTED_FILES = ", ".join(spec.file_name for spec in TABLES)
_EXPECTED_SHEETS = ", ".join(spec.name for spec in TABLES)


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: its number in the file (header = 1) and its cells, which ``get`` finds
    by header name.

    ``columns`` maps each trimmed, lower-cased header name to its cell's index; one mapping
    is shared by every row of a table (a national register has two million rows: a mapping
    each would cost hundreds of MiB). Cells are text, not yet trimmed.
    """

    number: int
    cells: Sequence[str]
    columns: Mapping[str, int]

    def get(self, column: str) -> str:
        """The cell text in ``column``, or the empty string when there is no such column (or
        the row is shorter than the header)."""
        index = self.columns.get(column)
        return self.cells[index] if index is not None and index < len(self.cells) else ""


@dataclass(frozen=True)
class Table:
    """One table of a source. ``label`` names it in messages: ``people.csv`` for a CSV file,
    ``register.xlsx, sheet people`` for a sheet."""

    name: str
    label: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]

    @classmethod
    def from_rows(
        cls,
        name: str,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        label: str | None = None,
    ) -> Table:
        """A table built in memory, as if read from a file whose data rows start on row 2.

        ``label`` defaults to ``NAME.csv``. Short rows are padded with empty cells.
        """
        names = tuple(header_name(cell) for cell in header)
        columns = _columns(names)
        return cls(
            name=name,
            label=label or f"{name}.csv",
            header=names,
            rows=tuple(Row(number, cells, columns) for number, cells in enumerate(rows, start=2)),
        )


@dataclass(frozen=True)
class Tables:
    """The tables read from one source (``source`` is its path, for ``InputError``)."""

    source: str
    tables: tuple[Table, ...]

    def get(self, name: str) -> Table | None:
        """The table called ``name`` (``people``, ...), or None when the source lacks it."""
        return next((table for table in self.tables if table.name == name), None)


def read_tables(path: Path) -> Tables:
    """Read the CSV folder or ``.xlsx`` workbook at ``path`` into tables of text.

    Tables are returned in the order people, memberships, meetings, attendance. Raises
    ``InputError`` listing every file-level problem together: ``path`` missing or neither a
    folder nor an ``.xlsx`` file; none of the four tables present; a file that is not UTF-8
    (with the row where decoding failed) or not valid CSV (a quote never closed, say); a CSV row
    with more cells than its header (an unquoted comma); a workbook that cannot be opened; an
    empty file or sheet; a header row lacking a column (one problem per column) or repeating one;
    two files or sheets whose names differ only in case or spaces; a cell holding a control
    character (``lcpg.domain.characters``) or longer than ``lcpg.domain.cells.MAX_CELL_LENGTH``.
    """
    source = str(path)
    if not path.exists():
        raise InputError(source, [InputProblem(source, "no such file or folder")])
    if path.is_dir():
        return _read_folder(path)
    if path.suffix.lower() == ".xlsx":
        return _read_workbook(path)
    hint = (
        f"; to import one CSV file, put it in a folder and name it one of {_EXPECTED_FILES}"
        if path.suffix.lower() == ".csv"
        else ""
    )
    message = (
        f"expected a folder of CSV files ({_EXPECTED_FILES}) or an .xlsx workbook; "
        f"{path.name!r} is neither{hint}"
    )
    raise InputError(source, [InputProblem(source, message)])


def read_csv_table(path: Path, spec: TableSpec) -> Table:
    """Read the one CSV file at ``path`` as the table ``spec`` describes, with the checks
    ``read_tables`` makes on a CSV file (``lcpg terms import`` reads its ``name,start,end``
    file so). Raises ``InputError`` for ``path`` listing every problem; a missing file is one.
    """
    source = str(path)
    if not path.is_file():
        raise InputError(source, [InputProblem(source, "no such file")])
    problems: list[InputProblem] = []
    table = _read_csv(path, spec, problems)
    if problems or table is None:
        raise InputError(source, problems)
    return table


def _read_folder(folder: Path) -> Tables:
    problems: list[InputProblem] = []
    tables: list[Table] = []
    try:
        entries = sorted(entry for entry in folder.iterdir() if entry.is_file())
    except OSError as exc:
        message = f"cannot be read ({exc.strerror or exc})"
        raise InputError(str(folder), [InputProblem(str(folder), message)]) from None
    for spec in TABLES:
        found = [entry for entry in entries if entry.name.lower() == spec.file_name]
        if len(found) > 1:
            names = " and ".join(entry.name for entry in found)
            problems.append(
                InputProblem(str(folder), f"both {names} found: keep one {spec.file_name}")
            )
        elif found:
            table = _read_csv(found[0], spec, problems)
            if table is not None:
                tables.append(table)
    if not tables and not problems:
        message = f"no workbook tables in this folder: expected at least one of {_EXPECTED_FILES}"
        problems.append(InputProblem(str(folder), message))
    if problems:
        raise InputError(str(folder), problems)
    return Tables(str(folder), tuple(tables))


def _read_csv(file: Path, spec: TableSpec, problems: list[InputProblem]) -> Table | None:
    label = file.name
    try:
        data = file.read_bytes()
    except OSError as exc:
        problems.append(InputProblem(label, f"cannot be read ({exc.strerror or exc})"))
        return None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode Text"; told apart, or its first byte would be the message.
        message = "not UTF-8 text: the file is UTF-16 (save it as 'CSV UTF-8')"
        problems.append(InputProblem(label, message))
        return None
    # Excel's "CSV UTF-8" starts with a byte order mark; it is not part of the header.
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        message = (
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be decoded "
            "(save the file as 'CSV UTF-8')"
        )
        problems.append(InputProblem(label, message, row=data.count(b"\n", 0, exc.start) + 1))
        return None
    del data  # the text and the rows read from it are enough to hold at once
    # Strict: a quote left open would otherwise swallow the rest of the file into one value.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[list[str]] = []
    try:
        # Cells written by `lcpg export` are guarded against formula injection: unguard them.
        records.extend([unguard(cell) for cell in row] for row in reader)
    except csv.Error as exc:
        message = f"not valid CSV: {_csv_reason(str(exc))}"
        problems.append(InputProblem(label, message, row=len(records) + 1))
        return None
    del reader, text
    table = _table(spec, label, "file", records, problems)
    longer = _longer_than_header(records) if table is not None else []
    problems.extend(InputProblem(label, message, row=row) for row, message in longer)
    return None if longer else table


def _csv_reason(error: str) -> str:
    """What the ``csv`` module's complaint means, in the user's words."""
    if error == "unexpected end of data":
        return (
            'a quoted value is never closed (a " is missing), so the rest of the file would '
            "be one value"
        )
    if error.startswith("',' expected after '\"'"):
        return (
            'text after the closing " of a quoted value (a " inside a quoted value is written "")'
        )
    if error.startswith("field larger than field limit"):
        # Far beyond the limit every value has (domain.cells): reading stopped there.
        return f"a value longer than the {MAX_CELL_LENGTH:,} characters a spreadsheet cell holds"
    return error


def _longer_than_header(records: Sequence[Sequence[str]]) -> list[tuple[int, str]]:
    """Each row (number, message) with a non-empty cell beyond the header's last column.

    In a CSV file that is an unquoted comma splitting a value: ``Kent Police, North`` read as
    two cells would silently lose the second. Empty cells beyond it (trailing commas) are fine.
    """
    if not records:
        return []
    width = len(records[0])
    found: list[tuple[int, str]] = []
    for number, record in enumerate(records[1:], start=2):
        cells = list(record)
        while cells and not cells[-1].strip():
            cells.pop()
        if len(cells) <= width:
            continue
        message = (
            f"{len(cells)} cells where the header has {width} columns: a value that holds "
            "a comma must be in double quotes"
        )
        # A space after the comma is the usual sign of where a value was split.
        split = next((i for i in range(1, len(cells)) if cells[i].startswith(" ")), None)
        if split is not None:
            message += f' ("{cells[split - 1]},{cells[split]}")'
        found.append((number, message))
    return found


def _read_workbook(path: Path) -> Tables:
    from openpyxl import load_workbook

    source = str(path)
    problems: list[InputProblem] = []
    tables: list[Table] = []
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    # A damaged or foreign file fails deep inside openpyxl or zipfile with many exception
    # types; every one of them means the same thing to the user.
    except Exception as exc:
        raise InputError(source, [_not_a_workbook(path, exc)]) from None
    try:
        hidden = hidden_cells(path)
    except Exception as exc:  # as above
        workbook.close()
        raise InputError(source, [_not_a_workbook(path, exc)]) from None
    try:
        for spec in TABLES:
            named = [s for s in workbook.worksheets if header_name(s.title) == spec.name]
            if len(named) > 1:
                # Sheet names are matched as file names are: one of the two would be ignored.
                names = " and ".join(repr(s.title) for s in named)
                problems.append(
                    InputProblem(source, f"sheets {names} found: keep one {spec.name} sheet")
                )
                continue
            if not named:
                continue
            sheet = named[0]
            label = f"{path.name}, sheet {sheet.title}"
            # Some writers store wrong sheet dimensions, which would cut rows short.
            sheet.reset_dimensions()
            try:
                cells = [list(row) for row in sheet.iter_rows(values_only=True)]
            except Exception as exc:  # as above: a damaged sheet inside a valid zip
                problems.append(_not_a_workbook(path, exc))
                continue
            records = [_sheet_row(spec, cells[0] if cells else [], row) for row in cells]
            table = _table(spec, label, "sheet", records, problems)
            if table is None:
                continue
            unseen = _unseen_values(table, records, hidden.get(sheet.title, []))
            problems.extend(unseen)
            if not unseen:
                tables.append(table)
        if not tables and not problems:
            found = ", ".join(sheet.title for sheet in workbook.worksheets) or "none"
            message = f"no sheet named {_EXPECTED_SHEETS} (sheets found: {found})"
            problems.append(InputProblem(source, message))
    finally:
        workbook.close()
    if problems:
        raise InputError(source, problems)
    return Tables(source, tuple(tables))


def _unseen_values(
    table: Table, records: Sequence[Sequence[str]], hidden: Sequence[HiddenCell]
) -> list[InputProblem]:
    """A problem for each data cell of ``table``'s columns that was read empty but shows a
    value in Excel: a formula saved without its result, or a merged cell after the first."""
    found: list[InputProblem] = []
    for cell in sorted(hidden, key=lambda cell: (cell.row, cell.column)):
        index = cell.column - 1
        if cell.row < 2 or index >= len(table.header) or not table.header[index]:
            continue
        record = records[cell.row - 1] if cell.row <= len(records) else []
        if index < len(record) and record[index].strip():
            continue  # a formula whose result was saved: the result is the value
        found.append(InputProblem(table.label, cell.why, cell.row, table.header[index]))
    return sorted(
        found, key=lambda problem: (problem.row or 0, table.header.index(problem.column or ""))
    )


# The first bytes of the files most often renamed .xlsx by mistake.
_OLE2_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # Excel 97-2003 .xls (and other OLE2 files)
_ZIP_MAGIC = b"PK"


def _not_a_workbook(path: Path, exc: Exception) -> InputProblem:
    try:
        with path.open("rb") as stream:
            start = stream.read(4096)
    except OSError:
        start = _ZIP_MAGIC
    if start.startswith(_OLE2_MAGIC):
        message = (
            "not an .xlsx workbook but an Excel 97-2003 (.xls) file: save it from Excel as "
            "Excel Workbook (.xlsx)"
        )
        return InputProblem(str(path), message)
    if not start.startswith(_ZIP_MAGIC) and _is_text(start):
        message = (
            "not an .xlsx workbook but a text file (a CSV file renamed?): put CSV files in a "
            f"folder as {_EXPECTED_FILES}, or save the workbook from Excel as .xlsx"
        )
        return InputProblem(str(path), message)
    reason = str(exc) or type(exc).__name__
    return InputProblem(
        str(path), f"not a valid .xlsx workbook ({reason}); save it from Excel as .xlsx"
    )


def _is_text(start: bytes) -> bool:
    """Whether the first bytes of a file look like text (UTF-8, no NUL); the last character
    may be cut by the 4096-byte read."""
    try:
        start.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(start) - 3:
            return False
    return b"\x00" not in start


def _sheet_row(spec: TableSpec, header: Sequence[object], row: Sequence[object]) -> list[str]:
    """The text of a sheet row; each cell is converted for the column its header names."""
    texts: list[str] = []
    for index, value in enumerate(row):
        title = header[index] if index < len(header) else None
        column = header_name(title) if isinstance(title, str) else ""
        texts.append(cell_text(value, spec.kind(column)))
    return texts


def _table(
    spec: TableSpec,
    label: str,
    noun: str,
    records: Sequence[Sequence[str]],
    problems: list[InputProblem],
) -> Table | None:
    """Check the header of ``records`` (row 1) and turn the rest into rows, or record problems."""
    expected = ", ".join(spec.columns)
    if all(_is_blank(record) for record in records):
        problems.append(
            InputProblem(label, f"the {noun} is empty: a header row is required ({expected})")
        )
        return None
    header = tuple(header_name(cell) for cell in records[0])
    if not any(header):
        message = f"row 1 is empty: the first row must be the header ({expected})"
        problems.append(InputProblem(label, message, row=1))
        return None
    found = len(problems)
    for column in spec.columns:
        count = header.count(column)
        if count == 0 and column not in spec.optional:
            message = f"the header has no column {column!r} (expected columns: {expected})"
            problems.append(InputProblem(label, message, row=1, column=column))
        elif count > 1:
            message = f"column {column!r} appears {count} times in the header"
            problems.append(InputProblem(label, message, row=1, column=column))
    if spec.one_of and not any(all(c in header for c in names) for names in spec.one_of):
        # Name the column missing from the set the header has begun (a misspelt
        # meeting_start beside body), else the first set's.
        started = max(spec.one_of, key=lambda names: sum(c in header for c in names))
        missing = next(c for c in started if c not in header)
        ways = " or by ".join(" and ".join(repr(c) for c in names) for names in spec.one_of)
        message = (
            f"the header has no column {missing!r} (each row names its meeting by {ways}; "
            f"expected columns: {expected})"
        )
        problems.append(InputProblem(label, message, row=1, column=missing))
    if len(problems) > found:
        return None
    columns = _columns(header)
    rows = tuple(
        Row(number, record, columns)
        for number, record in enumerate(itertools.islice(records, 1, None), start=2)
        if not _is_blank(record)
    )
    for row in rows:
        # Only the table's own columns: extra columns are ignored, whatever they hold.
        for column in spec.columns:
            text = row.get(column)
            character = control_character(text)
            if character is not None:
                message = f"holds a control character ({character}), which is not text: delete it"
                problems.append(InputProblem(label, message, row=row.number, column=column))
            length = too_long(text)
            if length is not None:
                problems.append(InputProblem(label, length, row=row.number, column=column))
    if len(problems) > found:
        return None
    return Table(spec.name, label, header, rows)


def _columns(header: Sequence[str]) -> dict[str, int]:
    """Each header name's cell index. Unnamed columns are ignored; of two columns with the
    same name, the first counts."""
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        if name and name not in columns:
            columns[name] = index
    return columns


def _is_blank(record: Iterable[str]) -> bool:
    return all(not cell.strip() for cell in record)
