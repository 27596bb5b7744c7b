"""CHWB meeting dates from the blueprint's recurrence rule."""

from __future__ import annotations

from datetime import date, datetime, time

from domain.blueprint import Cadence


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
