"""Spreadsheet cells that cannot run as formulas: CSV formula injection, guarded both ways.

Excel and LibreOffice run a CSV cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or
carriage return before one) as a formula, so a venue called ``=HYPERLINK(...)`` would be live
in the team's spreadsheet. ``guard`` puts an apostrophe in front of such a cell, which
spreadsheets show as plain text; ``unguard`` takes exactly one off again, so a workbook
written and read back is unchanged, even for a value that itself starts with an apostrophe.

``MAX_CELL_LENGTH`` is the one limit on the length of a text value, however it comes in (a
CSV or ``.xlsx`` import, a calendar file, a command option): Excel's own limit on a cell, so
every value lcpg holds can be exported to a workbook and read back unchanged.
"""

from __future__ import annotations

from typing import Final

FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_LENGTH: Final = 32_767
"""Characters a text value may hold: Excel's limit on a cell (longer ones it cuts off)."""


def too_long(value: str) -> str | None:
    """Why ``value`` is refused when it is longer than ``MAX_CELL_LENGTH``, else None."""
    if len(value) <= MAX_CELL_LENGTH:
        return None
    return (
        f"is {len(value):,} characters long, more than the {MAX_CELL_LENGTH:,} a spreadsheet "
        "cell holds"
    )


def _risky(value: str) -> bool:
    return value.lstrip("'").startswith(FORMULA_STARTS)


def guard(value: str) -> str:
    """``value`` with an apostrophe in front when a spreadsheet would read it as a formula."""
    return "'" + value if _risky(value) else value


def unguard(value: str) -> str:
    """The value ``guard`` was given: one leading apostrophe off a guarded cell."""
    return value[1:] if value.startswith("'") and _risky(value) else value
