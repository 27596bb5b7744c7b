"""Calendar expansion bombs (issue 13): small files whose series would take minutes and
gigabytes to expand. Each must be refused, or read, within seconds: one budget of occurrences
for the whole file, counted by the expansion's own rules, and linear line unfolding.

Each read runs under an alarm, so a regression fails here instead of hanging the suite.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, time
from types import FrameType
from zoneinfo import ZoneInfo

import pytest

from calendars.ics_import import MAX_EVENTS, CalendarRead, read_calendar
from errors import InputError

LONDON = ZoneInfo("Europe/London")
WINDOW = (date(2016, 12, 4), date(2028, 12, 4))
SECONDS = 20


@contextmanager
def bounded(seconds: int = SECONDS) -> Iterator[None]:
    def stop(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"read_calendar ran past {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def read(data: bytes) -> CalendarRead:
    with bounded():
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
