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

    ``columns`` are written in this order and are all required in the header (a misspelt
    column would otherwise be ignored as an extra column and its values silently lost), except
    the ``optional`` ones that files written by older versions lack. ``one_of`` lists sets of
    optional columns of which the header must hold at least one set completely (attendance
    names its meeting by ``meeting_id``, or by ``body`` and ``meeting_start``).
    """

    name: str
    columns: tuple[str, ...]
    dates: frozenset[str] = frozenset()
    datetimes: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()
    one_of: tuple[tuple[str, ...], ...] = ()

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
# ``id`` is the meeting's identity as its calendar UID (``lcpg.domain.model.meeting_uid``); files
# written before it existed have none, and their meetings are found by body and start.
MEETINGS = TableSpec(
    "meetings",
    ("id", "body", "start", "end", "venue", "status"),
    datetimes=frozenset({"start", "end"}),
    optional=frozenset({"id"}),
)
# ``body`` and ``meeting_start`` are written beside ``meeting_id`` for people to read; either
# names the meeting (older files have only them).
ATTENDANCE = TableSpec(
    "attendance",
    ("meeting_id", "body", "meeting_start", "email", "status"),
    datetimes=frozenset({"meeting_start"}),
    optional=frozenset({"meeting_id", "body", "meeting_start"}),
    one_of=(("meeting_id",), ("body", "meeting_start")),
)

TABLES: tuple[TableSpec, ...] = (PEOPLE, MEMBERSHIPS, MEETINGS, ATTENDANCE)
"""Every table, in the order they are read, checked and written (people before the rows that
refer to them, meetings before their attendance)."""


def header_name(cell: str) -> str:
    """The name a header cell is matched by: trimmed and lower case."""
    return cell.strip().lower()
