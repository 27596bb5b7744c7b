"""School term dates from a CSV file with the header ``name,start,end`` (ISO dates, both days
included): the file is read by ``lcpg.workbook.tables.read_csv_table`` (the same checks as
``lcpg import``: UTF-8, a header with every column, no control characters), and its rows are
turned into ``lcpg.domain.term_import.TermEntry`` values here (pure).
"""

from __future__ import annotations

from datetime import date

from lcpg.domain.term_import import CSV_FIELDS, TermEntry
from lcpg.errors import InputError, InputProblem
from lcpg.workbook.schema import TableSpec
from lcpg.workbook.tables import Table
from lcpg.workbook.values import parse_date

TERMS = TableSpec("terms", ("name", "start", "end"), dates=frozenset({"start", "end"}))


def terms_from_table(table: Table, source: str) -> list[TermEntry]:
    """Every row of ``table`` as a term, in file order.

    Raises ``InputError`` for ``source`` listing every cell that is empty or not a
    ``YYYY-MM-DD`` date, with its row and column.
    """
    problems: list[InputProblem] = []
    entries: list[TermEntry] = []
    for row in table.rows:
        values: dict[str, date] = {}
        name = row.get(CSV_FIELDS.name).strip()
        if not name:
            problems.append(InputProblem(table.label, "a value is required", row.number, "name"))
        for column in (CSV_FIELDS.start, CSV_FIELDS.end):
            text = row.get(column).strip()
            if not text:
                problems.append(
                    InputProblem(table.label, "a value is required", row.number, column)
                )
                continue
            try:
                values[column] = parse_date(text)
            except ValueError as exc:
                problems.append(InputProblem(table.label, str(exc), row.number, column))
        if name and len(values) == 2:
            entries.append(TermEntry(name, values["start"], values["end"], row.number))
    if problems:
        raise InputError(source, problems)
    return entries
