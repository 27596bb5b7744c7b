"""CHWB meeting dates from the blueprint's recurrence rule."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from lcpg.domain.blueprint import Cadence


def chwb_dates(cadence: Cadence, start: date, end: date) -> list[datetime]:
    """The CHWB meetings the blueprint's RRULE gives from ``start`` to ``end`` (both inclusive).

    The rule is anchored at ``cadence.chwb_first`` (its date sets the months, its time the hour),
    so that "every two months" lands in the same months every year.
    """
    from dateutil.rrule import rrulestr

    rule = rrulestr(cadence.chwb_rrule, dtstart=cadence.chwb_first)
    return list(
        rule.between(datetime.combine(start, time.min), datetime.combine(end, time.max), inc=True)
    )


RULE = "the blueprint's rule"
REGISTER = "the register"
GIVEN = "--chwb"


@dataclass(frozen=True)
class ChwbDate:
    """A CHWB meeting time and where it came from (``RULE``, ``REGISTER`` or ``GIVEN``)."""

    start: datetime
    source: str


def merge_chwb_dates(
    rule: Sequence[datetime],
    recorded: Sequence[datetime],
    given: Sequence[datetime] = (),
    given_year: int | None = None,
    tolerance: timedelta = timedelta(days=28),
) -> list[ChwbDate]:
    """The CHWB dates to plan with, sorted.

    Each date of ``rule`` is replaced by the ``recorded`` CHWB meeting (from the register)
    of the same year nearest to it within ``tolerance``: the board moved it, and the register
    knows. (A December CHWB never stands in for the next January's: each year's dates are that
    year's, as with ``given``.) Recorded
    meetings near no rule date are added. Then, when ``given`` (``--chwb``) dates are supplied
    for ``given_year``, they replace every date of that year.
    """
    merged: list[ChwbDate] = []
    unused = sorted(recorded)
    for day in sorted(rule):
        near = [r for r in unused if r.year == day.year and abs(r - day) <= tolerance]
        if near:
            chosen = min(near, key=lambda r: abs(r - day))
            unused.remove(chosen)
            merged.append(ChwbDate(chosen, REGISTER))
        else:
            merged.append(ChwbDate(day, RULE))
    merged.extend(ChwbDate(r, REGISTER) for r in unused)
    if given and given_year is not None:
        merged = [d for d in merged if d.start.year != given_year]
        merged.extend(ChwbDate(g, GIVEN) for g in given)
    return sorted(merged, key=lambda d: d.start)
