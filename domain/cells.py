"""Spreadsheet cells that cannot run as formulas: CSV formula injection, guarded both ways.

Excel and LibreOffice run a CSV cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or
carriage return before one) as a formula, so a venue called ``=HYPERLINK(...)`` would be live
in the team's spreadsheet. ``guard`` puts an apostrophe in front of such a cell, which
spreadsheets show as plain text; ``unguard`` takes exactly one off again, so a workbook
written and read back is unchanged, even for a value that itself starts with an apostrophe.
"""

from __future__ import annotations

from typing import Final

FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def _risky(value: str) -> bool:
    return value.lstrip("'").startswith(FORMULA_STARTS)


def guard(value: str) -> str:
    """``value`` with an apostrophe in front when a spreadsheet would read it as a formula."""
    return "'" + value if _risky(value) else value


def unguard(value: str) -> str:
    """The value ``guard`` was given: one leading apostrophe off a guarded cell."""
    return value[1:] if value.startswith("'") and _risky(value) else value
