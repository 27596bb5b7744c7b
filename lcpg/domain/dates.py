"""The one range of dates lcpg accepts from its users.

Every date a user gives (a cell of a CSV file or workbook, a term date, a calendar's events,
``--as-of``, ``--from``, ``--to``, ``--week``, ``--year``, ``--chwb``) must lie between
``FIRST_DATE`` and ``LAST_DATE``. Python's dates end at 9999-12-31, and the planner, the checker
and the calendars compute dates a year or two either side of the ones they are given (a cycle's
window, the weeks before a weekly e-mail, term dates of the next academic year), so a date
near Python's ends used to overflow into a traceback; these bounds leave centuries of room
either side of any real register. ``--year`` had the same bounds before they were named here.
"""

from __future__ import annotations

from datetime import date, datetime

FIRST_DATE = date(1900, 1, 1)
LAST_DATE = date(2999, 12, 31)
ACCEPTED = f"{FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()}"
"""The accepted range as written in messages."""


def in_range(day: date | datetime) -> bool:
    """Whether ``day`` (a date, or the date of a date-time) lies in the accepted range."""
    if isinstance(day, datetime):
        day = day.date()
    return FIRST_DATE <= day <= LAST_DATE


def out_of_range(text: str) -> str:
    """The message for a date written ``text`` that lies outside the accepted range."""
    return f"{text!r} is outside the dates lcpg accepts ({ACCEPTED})"
