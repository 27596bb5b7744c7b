"""What the year-at-a-glance shows, as plain frozen data (see ``lcpg.yearview.render``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

# The row group whose rows the cycles' LCPG windows are shaded across.
LCPG_GROUP = "lcpg"


class MarkStatus(StrEnum):
    """How a meeting is drawn. ``proposed``: placed by the planner, not yet saved."""

    HELD = "held"
    CONFIRMED = "confirmed"
    PLANNED = "planned"
    PROPOSED = "proposed"
    CANCELLED = "cancelled"


class ClosureKind(StrEnum):
    BANK_HOLIDAY = "bank-holiday"
    SCHOOL_HOLIDAY = "school-holiday"


@dataclass(frozen=True)
class Row:
    """One body's row, top to bottom in the order given. ``group`` lets rows be banded
    ("county", "lcpg"); ``key`` is the body slug."""

    key: str
    label: str
    group: str


@dataclass(frozen=True)
class Mark:
    """One meeting on a row. ``title`` is the hover text (date, time, venue, reason)."""

    row: str
    start: datetime
    status: MarkStatus
    title: str


@dataclass(frozen=True)
class Window:
    """A cycle's LCPG window (both ends inclusive), shaded across the LCPG rows."""

    start: date
    end: date
    label: str


@dataclass(frozen=True)
class Closure:
    """Days when meetings are avoided: a bank holiday (one day) or a school holiday (a
    range), both ends inclusive."""

    start: date
    end: date
    kind: ClosureKind
    name: str


@dataclass(frozen=True)
class ProblemMark:
    """A planning problem for one row over a span (its cycle), drawn in red."""

    row: str
    start: date
    end: date
    message: str


@dataclass(frozen=True)
class YearView:
    """Everything the picture shows for ``year``. Marks, windows, closures and problems may
    reach outside the year (a cycle straddling New Year); the picture clips them."""

    year: int
    title: str
    rows: tuple[Row, ...]
    marks: tuple[Mark, ...]
    windows: tuple[Window, ...]
    closures: tuple[Closure, ...]
    problems: tuple[ProblemMark, ...]
    notes: tuple[str, ...] = ()
