"""Threat: a calendar expansion bomb in any form. Random RRULEs (every FREQ, INTERVAL, COUNT
and UNTIL as a date, a local or a UTC time, BYxxx lists holding nonsense values too) on random
starts (a date, a floating, UTC or zoned time, the zone defined in the file by a VTIMEZONE that
itself repeats, every second even) give events or the module's own ``InputError``, never
another exception, and each file is read in seconds.

An alarm stops a read that would hang, so a regression fails here instead of hanging the suite.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.time_limit import within
from tests.unit.test_ics_import_properties import read_or_refuse

SECONDS = 20
# Generous: a read takes well under a second; the alarm above catches a hang.
RULES = settings(
    max_examples=200,
    deadline=timedelta(seconds=10),
    suppress_health_check=[HealthCheck.too_slow],
)
FREQUENCIES = ["SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"]
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def numbers(low: int, high: int) -> st.SearchStrategy[str]:
    """A BYxxx list: mostly values in range, sometimes out of it or zero."""
    value = st.one_of(st.integers(low, high), st.integers(-1000, 1000))
    return st.lists(value, min_size=1, max_size=4).map(lambda v: ",".join(map(str, v)))


moments = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59))
near = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2030, 12, 31))


@st.composite
def until(draw: st.DrawFn) -> str:
    moment = draw(st.one_of(near, moments))
    form = draw(st.sampled_from(["date", "local", "utc"]))
    if form == "date":
        return f"{moment:%Y%m%d}"
    return f"{moment:%Y%m%dT%H%M%S}" + ("Z" if form == "utc" else "")


@st.composite
def rule(draw: st.DrawFn, frequencies: list[str] = FREQUENCIES) -> str:
    parts = [f"FREQ={draw(st.sampled_from(frequencies))}"]
    if draw(st.booleans()):
        parts.append(f"INTERVAL={draw(st.one_of(st.integers(1, 10), st.integers(0, 2**31)))}")
    ending = draw(st.sampled_from(["none", "count", "until"]))
    if ending == "count":
        parts.append(f"COUNT={draw(st.one_of(st.integers(1, 50), st.integers(-5, 10**6)))}")
    elif ending == "until":
        parts.append(f"UNTIL={draw(until())}")
    ordinal = st.one_of(st.just(""), st.integers(-60, 60).map(str))
    by = {
        "BYSECOND": numbers(0, 60),
        "BYMINUTE": numbers(0, 59),
        "BYHOUR": numbers(0, 23),
        "BYDAY": st.lists(
            st.tuples(ordinal, st.sampled_from(DAYS)).map("".join), min_size=1, max_size=3
        ).map(",".join),
        "BYMONTHDAY": numbers(-31, 31),
        "BYYEARDAY": numbers(-366, 366),
        "BYWEEKNO": numbers(-53, 53),
        "BYMONTH": numbers(1, 12),
        "BYSETPOS": numbers(-366, 366),
    }
    for name in draw(st.lists(st.sampled_from(sorted(by)), max_size=4, unique=True)):
        parts.append(f"{name}={draw(by[name])}")
    if draw(st.booleans()):
        parts.append(f"WKST={draw(st.sampled_from(DAYS))}")
    return ";".join(parts)


@st.composite
def vtimezone(draw: st.DrawFn) -> list[str]:
    """A zone of the file's own, its observances repeating by random rules (every second,
    too), as the VTIMEZONE bombs of issue 13 did."""
    lines = ["BEGIN:VTIMEZONE", "TZID:Custom Zone"]
    for kind, offsets in (("STANDARD", ("+0100", "+0000")), ("DAYLIGHT", ("+0000", "+0100"))):
        lines += [
            f"BEGIN:{kind}",
            f"DTSTART:{draw(st.one_of(near, moments)):%Y%m%dT%H%M%S}",
            f"TZOFFSETFROM:{offsets[0]}",
            f"TZOFFSETTO:{offsets[1]}",
        ]
        if draw(st.booleans()):
            lines.append(f"RRULE:{draw(rule())}")
        lines.append(f"END:{kind}")
    return [*lines, "END:VTIMEZONE"]


@st.composite
def calendars(draw: st.DrawFn) -> bytes:
    moment = draw(st.one_of(near, moments))
    form = draw(st.sampled_from(["date", "floating", "utc", "london", "custom"]))
    zone: list[str] = []
    if form == "date":
        start = f"DTSTART;VALUE=DATE:{moment:%Y%m%d}"
    elif form == "floating":
        start = f"DTSTART:{moment:%Y%m%dT%H%M%S}"
    elif form == "utc":
        start = f"DTSTART:{moment:%Y%m%dT%H%M%S}Z"
    elif form == "london":
        start = f"DTSTART;TZID=Europe/London:{moment:%Y%m%dT%H%M%S}"
    else:
        start = f'DTSTART;TZID="Custom Zone":{moment:%Y%m%dT%H%M%S}'
        zone = draw(vtimezone())
    events = []
    for number in range(draw(st.integers(1, 3))):
        events += [
            "BEGIN:VEVENT",
            f"UID:series{number}@example.org",
            "SUMMARY:Meeting",
            start,
            *(f"RRULE:{draw(rule())}" for _ in range(draw(st.integers(0, 2)))),
            "END:VEVENT",
        ]
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Example Org//Tests//EN", *zone, *events]
    return "\r\n".join([*lines, "END:VCALENDAR", ""]).encode()


@RULES
@given(calendars())
def test_any_rule_on_any_start_gives_events_or_the_modules_own_error(data: bytes) -> None:
    with within(SECONDS, "read_calendar"):
        read_or_refuse(data)


@RULES
@given(st.sampled_from(["SECONDLY", "MINUTELY", "YEARLY"]).flatmap(lambda f: rule([f])), moments)
def test_a_zone_repeating_every_second_or_by_any_yearly_rule_is_read_or_refused(
    zone_rule: str, start: datetime
) -> None:
    # Yearly rules are the ones a zone may have, so the ones read: with random BYxxx lists they
    # may still change the offset every second of some days.
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Example Org//Tests//EN",
        "BEGIN:VTIMEZONE",
        "TZID:Custom Zone",
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0000",
        f"RRULE:{zone_rule}",
        "END:STANDARD",
        "END:VTIMEZONE",
        "BEGIN:VEVENT",
        "UID:meeting@example.org",
        "SUMMARY:Meeting",
        f'DTSTART;TZID="Custom Zone":{start:%Y%m%dT%H%M%S}',
        "RRULE:FREQ=WEEKLY;COUNT=10",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
    with within(SECONDS, "read_calendar"):
        read_or_refuse("\r\n".join(lines).encode())
