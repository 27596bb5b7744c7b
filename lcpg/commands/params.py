"""The command line's own parameter types: dates, years, weeks, times of day and e-mail
addresses, each refusing (exit status 2) what lcpg would not accept.

Light on purpose: ``cli.py`` imports this module for ``--as-of`` while building ``lcpg --help``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import click

from lcpg.domain.dates import FIRST_DATE, LAST_DATE

YEAR = click.IntRange(FIRST_DATE.year, LAST_DATE.year)
"""A year in the range lcpg accepts."""


def refuse_out_of_range(
    day: date, value: Any, param: click.Parameter | None, ctx: click.Context | None
) -> None:
    """Refuse (exit status 2) a date outside the range lcpg accepts (``lcpg.domain.dates``)."""
    from lcpg.domain.dates import in_range, out_of_range

    if not in_range(day):
        raise click.BadParameter(out_of_range(str(value)), ctx, param)


class IsoDate(click.ParamType[date]):
    """A calendar date written YYYY-MM-DD, in the range lcpg accepts (``lcpg.domain.dates``)."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            day = date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date in the form YYYY-MM-DD", param, ctx)
        refuse_out_of_range(day, value, param, ctx)
        return day


ISO_DATE = IsoDate()


class ClockTime(click.ParamType[time]):
    """A time of day written HH:MM (24-hour)."""

    name = "HH:MM"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> time:
        if isinstance(value, time):
            return value
        try:
            return time.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a time in the form HH:MM", param, ctx)


class ChwbDateTime(click.ParamType[date]):
    """A CHWB date: YYYY-MM-DD (a ``date``: the blueprint's usual time applies) or
    YYYY-MM-DDTHH:MM (a ``datetime``)."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        text = str(value)
        try:
            day = date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
        except ValueError:
            self.fail(f"{value!r} is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM)", param, ctx)
        refuse_out_of_range(day, value, param, ctx)
        return day


class IsoWeek(click.ParamType[str]):
    """An ISO week written YYYY-Www (2027-W05), all in the range lcpg accepts."""

    name = "YYYY-Www"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from lcpg.notify.messages import week_monday

        text = str(value).upper()
        try:
            monday = week_monday(text)
        except ValueError:
            self.fail(f"{value!r} is not an ISO week like 2027-W05", param, ctx)
        refuse_out_of_range(monday, value, param, ctx)
        refuse_out_of_range(monday + timedelta(days=6), value, param, ctx)
        return text


class EmailAddress(click.ParamType[str]):
    """An e-mail address, checked and normalised as the register's are
    (``lcpg.domain.addresses``): an unusual one is a usage error naming why."""

    name = "EMAIL"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from lcpg.domain.addresses import AddressError, normalise_address

        try:
            return normalise_address(str(value))
        except AddressError as exc:
            self.fail(str(exc), param, ctx)
