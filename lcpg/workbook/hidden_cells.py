"""Cells of an ``.xlsx`` sheet that show a value in Excel but hold none for a reader.

Import reads what each cell holds (``lcpg.workbook.tables``): for a formula, the result Excel saved
with it. Two kinds of cell show the user a value and yet give the reader nothing:

- a formula saved without its result, as programs other than Excel write them;
- a cell inside merged cells other than the first, which shows the first cell's value.

Read as empty, such a cell would be reported as "a value is required" where the user sees one,
or an optional value (a venue) would be silently lost. ``hidden_cells`` finds them so that the
reader can say what they are.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


@dataclass(frozen=True)
class HiddenCell:
    """A cell (``row`` and ``column`` counted from 1) whose value a reader does not get, and
    ``why``: the sentence for the user, saying what the cell is and what to do."""

    row: int
    column: int
    why: str


def hidden_cells(path: Path) -> dict[str, list[HiddenCell]]:
    """The formulas and merged cells of every sheet in the workbook at ``path``, by sheet title.

    Every formula is listed (whether its result was saved is for the caller to see, from the
    value it read), and every merged cell but the first of its range. Raises what openpyxl
    raises for a file it cannot open.
    """
    from openpyxl import load_workbook

    # Not read-only: only a fully loaded sheet knows its merged cells.
    workbook = load_workbook(path, data_only=False)
    try:
        return {sheet.title: list(_hidden(sheet)) for sheet in workbook.worksheets}
    finally:
        workbook.close()


def _hidden(sheet: Worksheet) -> Iterator[HiddenCell]:
    for row_number, row in enumerate(sheet.iter_rows(min_row=1, min_col=1), start=1):
        for column_number, cell in enumerate(row, start=1):
            if cell.data_type == "f":
                formula = getattr(cell.value, "text", None) or str(cell.value)
                why = (
                    f"holds the formula {formula} but no result of it: open the workbook in "
                    "Excel and save it, or type the value"
                )
                yield HiddenCell(row_number, column_number, why)
    for merged in sheet.merged_cells.ranges:
        why = (
            f"part of the merged cells {merged.coord}, whose value is in their first row only: "
            "unmerge them and fill in every row"
        )
        for row_number, column_number in merged.cells:
            if (row_number, column_number) != (merged.min_row, merged.min_col):
                yield HiddenCell(row_number, column_number, why)
