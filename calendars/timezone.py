"""A VTIMEZONE for a zone in the yearly-rule form that Outlook, Google and Apple all read.

The zone's rules are derived from its own transitions in ``REFERENCE_YEAR`` (zoneinfo is the
source of truth): each change of offset becomes a STANDARD or DAYLIGHT block whose DTSTART is
the wall-clock time *before* the change (RFC 5545) and whose RRULE names the month and the
weekday of the month (``-1SU``: the last Sunday). For Europe/London that is the familiar block:
BST from 01:00 on the last Sunday of March, GMT from 02:00 on the last Sunday of October.

Why not icalendar's own ``Timezone.from_tzinfo``: icalendar 7.3 writes a list of RDATEs and puts
the spring change an hour late, and Outlook prefers the yearly rule. A zone without daylight
saving gets one STANDARD block.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

# Rules are read from a recent year; the tests check them against zoneinfo from 1996 (when
# the UK and EU rules last changed) to 2037.
REFERENCE_YEAR = 2024
RULE_START_YEAR = 1970
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class _Change:
    """One yearly change of offset, as the wall clock before it sees it."""

    local_before: datetime
    offset_from: timedelta
    offset_to: timedelta
    name: str


def _changes(zone: ZoneInfo, year: int) -> list[_Change]:
    """The changes of offset in ``year``: found a day at a time, then the hour within the day."""
    changes = []
    day = datetime(year, 1, 1, tzinfo=UTC)
    offset = day.astimezone(zone).utcoffset()
    while day.year == year:
        following = day + timedelta(days=1)
        if following.astimezone(zone).utcoffset() != offset:
            moment = day
            while (moment + timedelta(hours=1)).astimezone(zone).utcoffset() == offset:
                moment += timedelta(hours=1)
            after = moment + timedelta(hours=1)
            new_offset = after.astimezone(zone).utcoffset()
            assert offset is not None and new_offset is not None
            # The change happens on the hour in every zone this is used for (UK, EU).
            changes.append(
                _Change(
                    (after + offset).replace(tzinfo=None),
                    offset,
                    new_offset,
                    after.astimezone(zone).tzname() or "",
                )
            )
            offset = new_offset
        day = following
    return changes


def _nth_weekday(day: date) -> int:
    """1 for the first such weekday of the month ... or -1 for the last."""
    if (day + timedelta(days=7)).month != day.month:
        return -1
    return (day.day - 1) // 7 + 1


def _first_occurrence(year: int, month: int, weekday: int, nth: int) -> date:
    if nth > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    last = (date(year, month % 12 + 1, 1) if month < 12 else date(year + 1, 1, 1)) - timedelta(
        days=1
    )
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def vtimezone(name: str) -> Timezone:
    """The VTIMEZONE component for the IANA zone ``name`` (e.g. ``Europe/London``), a fresh
    object each call (components are mutable; the work behind them is done once)."""
    component = Timezone.from_ical(_vtimezone_bytes(name))
    assert isinstance(component, Timezone)
    return component


@cache
def vtimezone_bytes(name: str) -> bytes:
    """``vtimezone(name)`` as content lines, computed once (for writers that splice it in)."""
    return _vtimezone_bytes(name)


@cache
def _vtimezone_bytes(name: str) -> bytes:
    return bytes(_build(name).to_ical())


def _build(name: str) -> Timezone:
    zone = ZoneInfo(name)
    component = Timezone()
    component.add("tzid", name)
    changes = _changes(zone, REFERENCE_YEAR)
    if not changes:
        offset = datetime(REFERENCE_YEAR, 1, 1, tzinfo=zone).utcoffset() or timedelta(0)
        standard = TimezoneStandard()
        standard.add("tzname", datetime(REFERENCE_YEAR, 1, 1, tzinfo=zone).tzname())
        standard.add("tzoffsetfrom", offset)
        standard.add("tzoffsetto", offset)
        standard.add("dtstart", datetime(RULE_START_YEAR, 1, 1))
        component.add_component(standard)
        return component
    for change in changes:
        day = change.local_before.date()
        nth = _nth_weekday(day)
        weekday = day.weekday()
        block = TimezoneDaylight() if change.offset_to > change.offset_from else TimezoneStandard()
        block.add("tzname", change.name)
        block.add("tzoffsetfrom", change.offset_from)
        block.add("tzoffsetto", change.offset_to)
        first = _first_occurrence(RULE_START_YEAR, day.month, weekday, nth)
        block.add("dtstart", datetime.combine(first, change.local_before.time()))
        block.add(
            "rrule",
            vRecur({"FREQ": "YEARLY", "BYMONTH": day.month, "BYDAY": f"{nth}{WEEKDAYS[weekday]}"}),
        )
        component.add_component(block)
    return component
