"""The workbook format: the four tables, their columns in export order, and what each holds.

Import and export share this one description, so a column added here is read, checked and
written everywhere. Column names are lower case; a file's header is matched case-insensitively
after trimming (see ``header_name``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ColumnKind(StrEnum):
    """What a column holds, which decides how a spreadsheet cell becomes text."""

    TEXT = "text"
    DATE = "date"
    DATETIME = "datetime"


@dataclass(frozen=True)
class TableSpec:
    """One table: ``people.csv`` in a folder, or the sheet ``people`` in a workbook.

    ``columns`` are all required in the header (a misspelt optional column would otherwise be
    ignored as an extra column and its values silently lost) and are written in this order.
    """

    name: str
    columns: tuple[str, ...]
    dates: frozenset[str] = frozenset()
    datetimes: frozenset[str] = frozenset()

    @property
    def file_name(self) -> str:
        """The CSV file name in a folder: ``people.csv``."""
        return f"{self.name}.csv"

    def kind(self, column: str) -> ColumnKind:
        """What ``column`` holds; columns not in the table are text."""
        if column in self.dates:
            return ColumnKind.DATE
        if column in self.datetimes:
            return ColumnKind.DATETIME
        return ColumnKind.TEXT


PEOPLE = TableSpec("people", ("email", "name", "organisation"))
MEMBERSHIPS = TableSpec(
    "memberships",
    ("body", "email", "sector", "roles", "start", "end"),
    dates=frozenset({"start", "end"}),
)
MEETINGS = TableSpec(
    "meetings",
    ("body", "start", "end", "venue", "status"),
    datetimes=frozenset({"start", "end"}),
)
ATTENDANCE = TableSpec(
    "attendance",
    ("body", "meeting_start", "email", "status"),
    datetimes=frozenset({"meeting_start"}),
)

TABLES: tuple[TableSpec, ...] = (PEOPLE, MEMBERSHIPS, MEETINGS, ATTENDANCE)
"""Every table, in the order they are read, checked and written (people before the rows that
refer to them, meetings before their attendance)."""


def header_name(cell: str) -> str:
    """The name a header cell is matched by: trimmed and lower case."""
    return cell.strip().lower()
