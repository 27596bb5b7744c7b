"""Words for dates, times, counts and lists: the one place lcpg turns them into English.

The same on every machine: month and day names come from ``MONTHS`` and ``WEEKDAYS``, never
from ``strftime("%b")``, ``%B``, ``%a`` or ``%A``, which follow the process locale
(``LC_TIME``) and would give "Mär" or "Mittwoch" on a German desktop. Digits (``%Y``, ``%m``,
``%H:%M``) do not depend on the locale, but times are written here too so that each kind of
text has one spelling.

Days are written without a leading zero (``7 Mar 2018``); ``pad=True`` gives two digits
(``07 Mar 2018``) for the command line's columns, which line up.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Final

__all__ = [
    "MONTHS",
    "WEEKDAYS",
    "clock",
    "day_month",
    "hours",
    "listing",
    "long_date",
    "long_span",
    "long_weekday_date",
    "moment",
    "plural",
    "short_date",
    "short_span",
    "short_weekday",
    "short_weekday_date",
    "weekday",
]

MONTHS: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

WEEKDAYS: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
"""Monday first, as ``date.weekday()`` counts."""


def _day_number(day: date, pad: bool) -> str:
    return f"{day.day:02d}" if pad else str(day.day)


def weekday(day: date) -> str:
    """``Wednesday``."""
    return WEEKDAYS[day.weekday()]


def short_weekday(day: date) -> str:
    """``Wed``."""
    return WEEKDAYS[day.weekday()][:3]


def day_month(day: date, *, pad: bool = False) -> str:
    """``14 Mar`` (``07 Mar`` with ``pad``)."""
    return f"{_day_number(day, pad)} {MONTHS[day.month - 1][:3]}"


def short_date(day: date, *, pad: bool = False) -> str:
    """``14 Mar 2018``."""
    return f"{day_month(day, pad=pad)} {day.year}"


def short_weekday_date(day: date, *, pad: bool = False) -> str:
    """``Wed 14 Mar 2018``."""
    return f"{short_weekday(day)} {short_date(day, pad=pad)}"


def long_date(day: date) -> str:
    """``14 March 2018``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def long_weekday_date(day: date) -> str:
    """``Wednesday 14 March 2018``."""
    return f"{weekday(day)} {long_date(day)}"


def clock(when: datetime | time) -> str:
    """``10:00``: hours and minutes, 24-hour clock."""
    return f"{when.hour:02d}:{when.minute:02d}"


def moment(when: datetime, *, pad: bool = False, year: bool = True) -> str:
    """``Wed 14 Mar 2018 10:00`` (``Wed 14 Mar 10:00`` without the ``year``)."""
    day = (
        short_weekday_date(when, pad=pad)
        if year
        else f"{short_weekday(when)} {day_month(when, pad=pad)}"
    )
    return f"{day} {clock(when)}"


def hours(start: datetime, end: datetime) -> str:
    """``10:00–12:00`` (an en dash, as in print); just ``10:00`` when ``end`` is not after
    ``start``."""
    return f"{clock(start)}–{clock(end)}" if end > start else clock(start)


def short_span(start: date, end: date) -> str:
    """``6 Jan – 3 Feb 2027``, ``16 Dec 2026 – 27 Jan 2027``, or one day when equal."""
    if start == end:
        return short_date(start)
    if start.year == end.year:
        return f"{day_month(start)} – {short_date(end)}"
    return f"{short_date(start)} – {short_date(end)}"


def long_span(start: date, end: date) -> str:
    """``23 November to 13 December 2026`` (the year once when both share it)."""
    if start.year != end.year:
        return f"{long_date(start)} to {long_date(end)}"
    return f"{start.day} {MONTHS[start.month - 1]} to {long_date(end)}"


def plural(count: int, one: str, many: str | None = None) -> str:
    """``1 body``, ``15 bodies``, ``0 bodies``; ``many`` defaults to ``one`` + ``s``."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def listing(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"
