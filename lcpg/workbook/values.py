"""The text form of values in a workbook cell: dates, date-times and role lists.

Import reads these forms and export writes them, so a register survives a round trip exactly.
Dates are ``YYYY-MM-DD``; date-times are local wall-clock times ``YYYY-MM-DDTHH:MM`` (a space
instead of the ``T`` and trailing seconds are accepted; seconds are written only when not zero);
roles are ``;``-separated slugs. Spreadsheet cells that are not text (numbers, Excel dates) are
turned into these forms by ``cell_text`` before anything is checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from lcpg.domain.dates import in_range, out_of_range
from lcpg.workbook.schema import ColumnKind

DATE_FORM = "YYYY-MM-DD, e.g. 2018-03-14"
DATETIME_FORM = "YYYY-MM-DDTHH:MM, e.g. 2018-03-14T10:00"
ROLE_SEPARATOR = ";"

_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DATETIME = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?")


def format_date(value: date | None) -> str:
    """``YYYY-MM-DD``, or the empty string for None (an open end)."""
    return "" if value is None else value.isoformat()


def format_datetime(value: datetime | None) -> str:
    """``YYYY-MM-DDTHH:MM`` (``:SS`` added only when not zero), or the empty string for None."""
    if value is None:
        return ""
    return value.isoformat(timespec="seconds" if value.second else "minutes")


def format_roles(roles: Iterable[str]) -> str:
    """Role slugs joined by ``;``."""
    return ROLE_SEPARATOR.join(roles)


def split_roles(text: str) -> list[str]:
    """The role slugs in a cell: split on ``;``, trimmed, empty parts dropped (``"chair; "``)."""
    return [part.strip() for part in text.split(ROLE_SEPARATOR) if part.strip()]


def parse_date(text: str) -> date:
    """The date written as ``YYYY-MM-DD``.

    Raises ``ValueError`` with a message for the user (quoting ``text`` and the expected form)
    when ``text`` is in another form, names a day that does not exist, or one outside the
    dates lcpg accepts (``lcpg.domain.dates``).
    """
    match = _DATE.fullmatch(text)
    if match is None:
        raise ValueError(f"malformed date {text!r} (expected {DATE_FORM})")
    year, month, day = (int(part) for part in match.groups())
    try:
        value = date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"invalid date {text!r}: {exc}") from None
    if not in_range(value):
        raise ValueError(f"date {out_of_range(text)}")
    return value


def parse_datetime(text: str) -> datetime:
    """The local date-time written as ``YYYY-MM-DDTHH:MM`` (or with a space, or seconds).

    Raises ``ValueError`` with a message for the user, like ``parse_date``.
    """
    match = _DATETIME.fullmatch(text)
    if match is None:
        raise ValueError(f"malformed date-time {text!r} (expected {DATETIME_FORM})")
    year, month, day, hour, minute, second = (int(part or 0) for part in match.groups())
    try:
        # Naive on purpose: the register holds wall-clock times in the blueprint's zone.
        value = datetime(year, month, day, hour, minute, second)
    except ValueError as exc:
        raise ValueError(f"invalid date-time {text!r}: {exc}") from None
    if not in_range(value):
        raise ValueError(f"date-time {out_of_range(text)}")
    return value


def cell_text(value: object, kind: ColumnKind) -> str:
    """The text of a spreadsheet cell value, as if it had been typed in the form above.

    Excel has no date-only cells: a date arrives as a ``datetime`` at midnight, so outside
    date-time columns a midnight ``datetime`` is written as a date (a membership ``start`` cell
    is a date). A ``datetime`` with a time in a date column keeps its time, so that the checker
    reports it instead of silently dropping the time. Whole numbers lose their ``.0``.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):  # before int: bool is an int
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        # Excel stores times as fractions of a day; undo float noise below one second.
        try:
            moment = (value + timedelta(microseconds=500_000)).replace(microsecond=0)
        except OverflowError:  # the last second of 9999, which the date's check refuses
            moment = value.replace(microsecond=0)
        if kind is not ColumnKind.DATETIME and moment.time() == time(0, 0):
            return format_date(moment.date())
        return format_datetime(moment)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, time):
        return value.isoformat(timespec="seconds" if value.second else "minutes")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
