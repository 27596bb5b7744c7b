"""Calendar expansion bombs (issue 13): small files whose series would take minutes and
gigabytes to expand. Each must be refused, or read, within seconds: one budget of occurrences
for the whole file, counted by the expansion's own rules, a walk through each rule that stops
at the end of the window and one budget of steps for the whole file, and linear line
unfolding.

Each read runs under an alarm, so a regression fails here instead of hanging the suite.
"""

from __future__ import annotations

from datetime import date, time
from zoneinfo import ZoneInfo

import pytest

from calendars.ics_import import MAX_EVENTS, MAX_STEPS, CalendarRead, read_calendar
from lcpg.errors import InputError
from tests.time_limit import within

LONDON = ZoneInfo("Europe/London")
WINDOW = (date(2016, 12, 4), date(2028, 12, 4))
SECONDS = 20


def read(data: bytes, seconds: int = SECONDS) -> CalendarRead:
    with within(seconds, "read_calendar"):
        return read_calendar(data, "bomb.ics", LONDON, WINDOW, time(10, 0), 120)


def calendar(*lines: str) -> bytes:
    body = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Example Org//Tests//EN", *lines]
    return "\r\n".join([*body, "END:VCALENDAR", ""]).encode()


def event(*lines: str, uid: str = "bomb@example.org") -> tuple[str, ...]:
    return ("BEGIN:VEVENT", f"UID:{uid}", "SUMMARY:Bomb", *lines, "END:VEVENT")


def refused(data: bytes) -> str:
    with pytest.raises(InputError) as raised:
        read(data)
    return " ".join(problem.message for problem in raised.value.problems)


@pytest.mark.parametrize(
    "lines",
    [
        # UNTIL a date on a UTC start: dateutil refuses the rule, recurring_ical_events repairs it.
        ("DTSTART:20260101T100000Z", "RRULE:FREQ=SECONDLY;UNTIL=20270101"),
        # UNTIL a local time on a UTC start: the same.
        ("DTSTART:20260101T100000Z", "RRULE:FREQ=MINUTELY;UNTIL=20270101T000000"),
    ],
    ids=["secondly-until-date", "minutely-until-local"],
)
def test_a_series_the_counter_could_not_read_is_still_bounded(lines: tuple[str, ...]) -> None:
    assert f"more than {MAX_EVENTS}" in refused(calendar(*event(*lines)))


def test_the_budget_is_for_the_whole_file_not_each_series() -> None:
    # 200 series of 9,000 hours each: every one under the limit, 1.8 million together.
    series = [
        line
        for number in range(200)
        for line in event(
            f"DTSTART:20260101T{number % 24:02d}0000Z",
            "RRULE:FREQ=HOURLY;INTERVAL=3;COUNT=9000",
            uid=f"hourly{number}@example.org",
        )
    ]
    assert f"more than {MAX_EVENTS}" in refused(calendar(*series))


def test_series_under_the_budget_together_are_read() -> None:
    series = [
        line
        for number in range(20)
        for line in event(
            f"DTSTART:20260101T{number:02d}0000Z",
            "RRULE:FREQ=WEEKLY;COUNT=100",
            uid=f"weekly{number}@example.org",
        )
    ]
    assert len(read(calendar(*series)).events) == 2000


def test_a_long_folded_line_is_unfolded_in_linear_time() -> None:
    folded = "DESCRIPTION:" + "a" * 60 + "".join("\r\n " + "a" * 73 for _ in range(150_000))
    data = calendar(*event("DTSTART:20260101T100000Z", folded))
    assert len(read(data).events) == 1


@pytest.mark.parametrize("freq", ["YEARLY", "DAILY", "HOURLY"])
def test_a_rule_that_matches_no_day_is_refused_at_once(freq: str) -> None:
    lines = ("DTSTART:20260131T100000Z", f"RRULE:FREQ={freq};BYMONTH=2;BYMONTHDAY=31")
    assert "repeats on no day" in refused(calendar(*event(*lines)))


def test_a_rule_that_matches_some_day_is_read() -> None:
    # The last day of February, whether the 28th or the 29th: 2024 to 2028.
    lines = ("DTSTART:20240229T100000Z", "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1")
    assert len(read(calendar(*event(*lines))).events) == 5


def test_a_file_over_the_size_limit_is_refused_before_it_is_read() -> None:
    data = calendar(*event("DTSTART:20260101T100000Z", "DESCRIPTION:" + "a" * (25 << 20)))
    assert "more than the 25 MB" in refused(data)


# Rules that match rarely or never, beyond what is refused up front: dateutil stepped through
# them period by period to the year 9999 (10 s for the first, from 2026) or from the year 1.
# Each is read up to the end of the window, or refused for the steps it takes.
RARE = {
    "daily-bysetpos": ("DTSTART:20260105T100000Z", "RRULE:FREQ=DAILY;BYSETPOS=2"),
    "weekly-bysetpos": ("DTSTART:20260105T100000Z", "RRULE:FREQ=WEEKLY;BYSETPOS=8;BYDAY=MO,TU"),
    "week-53-of-june": ("DTSTART:20260105T100000Z", "RRULE:FREQ=DAILY;BYWEEKNO=53;BYMONTH=6"),
    "fifth-monday-of-february": (
        "DTSTART:20260105T100000Z",
        "RRULE:FREQ=MONTHLY;BYDAY=5MO;BYMONTH=2",
    ),
    "monthly-bysetpos-40": ("DTSTART:20260105T100000Z", "RRULE:FREQ=MONTHLY;BYSETPOS=40;BYDAY=MO"),
    "huge-interval": ("DTSTART:20260105T100000Z", "RRULE:FREQ=DAILY;INTERVAL=1000000000"),
}
# Short deadlines, still generous: each is read in a fraction of a second, and the first
# took dateutil 10 s.
QUICK = 5


@pytest.mark.parametrize("lines", RARE.values(), ids=RARE.keys())
def test_a_rule_that_rarely_matches_is_read_up_to_the_window_end(lines: tuple[str, ...]) -> None:
    # Only the start is an occurrence in the window (a start is one, whatever its rule says).
    assert len(read(calendar(*event(*lines)), QUICK).events) == 1


# Rules whose walk from their start to the window end is too long to take: begun in the year
# 1, or repeating every second but looked for minute by minute within one hour a day.
LONG = {
    "leap-days-since-year-1": (
        "DTSTART:00010101T100000Z",
        "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29",
    ),
    "bysetpos-since-year-1": ("DTSTART:00010101T100000Z", "RRULE:FREQ=DAILY;BYSETPOS=2"),
    "secondly-at-one-time": (
        "DTSTART:20160101T100000Z",
        "RRULE:FREQ=SECONDLY;BYHOUR=10;BYMINUTE=0;BYSECOND=0;BYDAY=MO",
    ),
    "secondly-leap-days-since-year-1": (
        "DTSTART:00010101T100000",
        "RRULE:FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=29;BYHOUR=3;BYMINUTE=0;BYSECOND=0",
    ),
}


@pytest.mark.parametrize("lines", LONG.values(), ids=LONG.keys())
def test_a_rule_too_long_to_follow_is_refused(lines: tuple[str, ...]) -> None:
    with pytest.raises(InputError) as raised:
        read(calendar(*event(*lines)), QUICK)
    assert f"more than {MAX_STEPS:,} steps" in str(raised.value)


def test_the_steps_are_one_budget_for_the_whole_file() -> None:
    # 40 daily series since 1990, each within the budget alone, 530,000 steps together.
    series = [
        line
        for number in range(40)
        for line in event(
            "DTSTART:19900101T100000Z",
            "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29",
            uid=f"leap{number}@example.org",
        )
    ]
    assert f"more than {MAX_STEPS:,} steps" in refused(calendar(*series))


def test_a_rule_dateutil_cannot_follow_is_an_input_error() -> None:
    # Every 1,440 minutes from 10:00 is always 10:00, never 05:00: dateutil finds that out
    # only when it steps through the rule.
    lines = ("DTSTART:20260105T100000Z", "RRULE:FREQ=MINUTELY;INTERVAL=1440;BYHOUR=5")
    message = refused(calendar(*event(*lines)))
    assert "RRULE cannot be followed" in message


@pytest.mark.parametrize(
    "part",
    ["INTERVAL=0", "INTERVAL=-3", "BYMINUTE=-1", "BYHOUR=25", "BYMONTHDAY=0", "BYDAY=60MO"],
)
def test_a_value_outside_its_range_is_refused(part: str) -> None:
    # Found by the property test: dateutil divided by INTERVAL=0, and failed on BYMINUTE=-1.
    lines = ("DTSTART;VALUE=DATE:20260105", f"RRULE:FREQ=MINUTELY;{part}")
    assert "is outside the range allowed" in refused(calendar(*event(*lines)))


@pytest.mark.parametrize("rule", ["FREQ=MONTHLY;BYDAY=8MO", "FREQ=YEARLY;BYMONTH=12;BYDAY=-6FR"])
def test_an_ordinal_day_past_a_months_fifth_is_refused_in_a_rule_counting_in_months(
    rule: str,
) -> None:
    # Found by the property test: dateutil indexed past December's end on a ninth Monday.
    lines = ("DTSTART;VALUE=DATE:20000101", f"RRULE:{rule};BYHOUR=0;BYMINUTE=0")
    assert "outside the range allowed, in a month (1 to 5" in refused(calendar(*event(*lines)))


def test_an_ordinal_day_counts_in_the_year_in_a_yearly_rule_without_months() -> None:
    lines = ("DTSTART;VALUE=DATE:20260518", "RRULE:FREQ=YEARLY;BYDAY=20MO;COUNT=2")
    assert [e.start.date().isoformat() for e in read(calendar(*event(*lines))).events] == [
        "2026-05-18",
        "2027-05-17",
    ]


def test_more_events_than_the_budget_are_refused_before_they_are_parsed() -> None:
    events = [
        line
        for number in range(MAX_EVENTS + 1)
        for line in event("DTSTART:20260101T100000Z", uid=f"single{number}@example.org")
    ]
    message = refused(calendar(*events))
    assert f"holds {MAX_EVENTS + 1:,} events, more than the {MAX_EVENTS:,}" in message


def zoned(
    standard_rule: str, standard_start: str = "16010101T020000", winter: str = "+0000"
) -> bytes:
    """A calendar with an Outlook-style zone of its own (observances from 1601), its STANDARD
    part repeating by ``standard_rule``, and a weekly series in that zone."""
    return calendar(
        "BEGIN:VTIMEZONE",
        "TZID:Custom Zone",
        "BEGIN:STANDARD",
        f"DTSTART:{standard_start}",
        "TZOFFSETFROM:+0100",
        f"TZOFFSETTO:{winter}",
        f"RRULE:{standard_rule}",
        "END:STANDARD",
        "BEGIN:DAYLIGHT",
        "DTSTART:16010101T010000",
        f"TZOFFSETFROM:{winter}",
        "TZOFFSETTO:+0100",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "END:DAYLIGHT",
        "END:VTIMEZONE",
        *event('DTSTART;TZID="Custom Zone":20260105T100000', "RRULE:FREQ=WEEKLY;COUNT=3"),
    )


def test_an_outlook_zone_from_1601_is_read_in_its_own_offsets() -> None:
    read_ = read(zoned("FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"))
    # 10:00 in winter (offset +00:00) is 10:00 in London.
    assert [event.start.hour for event in read_.events] == [10, 10, 10]


def test_each_file_is_read_in_its_own_zones_not_an_earlier_files_of_the_same_name() -> None:
    # icalendar keeps the first definition of a TZID for the life of the process: a later
    # file (or a hostile earlier one) must not decide what "Custom Zone" means.
    yearly = "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"
    assert read(zoned(yearly, winter="-0500")).events[0].start.hour == 15
    assert read(zoned(yearly)).events[0].start.hour == 10


@pytest.mark.parametrize("frequency", ["SECONDLY", "MINUTELY", "HOURLY", "DAILY", "MONTHLY"])
def test_a_zone_rule_that_is_not_yearly_is_refused_before_it_is_followed(frequency: str) -> None:
    # dateutil steps a zone's rule from its start to each time read, uncapped: every second
    # from the year 2000 took it past 20 s.
    message = refused(zoned(f"FREQ={frequency}", "20000101T000000"))
    assert f"repeats {frequency.lower()}" in message
    assert "FREQ=YEARLY" in message


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=1;BYMINUTE=0,1,2,3,4,5,6,7,8,9,10,11,12,13",
        # A burst every five years, begun on the last hour of a year, is still counted.
        "FREQ=YEARLY;INTERVAL=5;BYYEARDAY="
        + ",".join(map(str, range(1, 32)))
        + ";BYHOUR=0,6,12,18",
    ],
    ids=["every-minute-of-a-day", "burst-every-five-years"],
)
def test_a_yearly_zone_rule_changing_too_often_is_refused(rule: str) -> None:
    assert "more than 12 times a year" in refused(zoned(rule, "16011231T230000"))
