"""Small date helpers for the demo: month arithmetic, weekdays and working days."""

from __future__ import annotations

from collections.abc import Container
from datetime import date, timedelta


def months_before(day: date, months: int) -> date:
    """The first day of the month ``months`` calendar months before ``day``'s month."""
    index = day.year * 12 + (day.month - 1) - months
    return date(index // 12, index % 12 + 1, 1)


def years_before(day: date, years: int) -> date:
    """The same day ``years`` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def last_day_before(day: date, month: int, day_of_month: int) -> date:
    """The latest ``month``/``day_of_month`` strictly before ``day`` ("the last 30 September")."""
    candidate = date(day.year, month, day_of_month)
    return candidate if candidate < day else date(day.year - 1, month, day_of_month)


def weekday_on_or_after(day: date, weekday: int) -> date:
    """The first date on or after ``day`` falling on ``weekday`` (Monday is 0)."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The ``n``-th ``weekday`` of the month (``n`` from 1): the second Tuesday, ..."""
    return weekday_on_or_after(date(year, month, 1), weekday) + timedelta(weeks=n - 1)


def is_working_day(day: date, holidays: Container[date]) -> bool:
    """Monday to Friday and not a bank holiday."""
    return day.weekday() < 5 and day not in holidays


def working_day_on_or_after(day: date, holidays: Container[date]) -> date:
    """``day``, or the next working day when it is a weekend or a bank holiday."""
    while not is_working_day(day, holidays):
        day += timedelta(days=1)
    return day


def first_of_next_month(day: date) -> date:
    """The first day of the month after ``day``'s."""
    return months_before(day, -1)
