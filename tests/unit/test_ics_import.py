"""read_calendar on calendar exports: real-looking files from Outlook, Google and Apple under
``tests/fixtures/ics/``, and small inline calendars for single behaviours, broken ones included.
Broken files as a user hands them in, each with its exact message, are the malformed-input
corpus (``tests/fixtures/malformed/ics/``, run by ``tests/cli/test_malformed_inputs.py``).

Times are checked as the register keeps them: naive wall-clock times in Europe/London, so a
10:00 meeting in July (BST) and one in January (GMT) both read 10:00. Organisers are fictional,
at example.org.
"""

from __future__ import annotations

import codecs
import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from calendars.ics_import import CalendarEvent, CalendarRead, known_zone, read_calendar
from lcpg.errors import InputError, InputProblem
from tests.conftest import FIXTURES

ICS = FIXTURES / "ics"
MALFORMED = FIXTURES / "malformed" / "ics"
LONDON = ZoneInfo("Europe/London")
WINDOW = (date(2008, 3, 20), date(2020, 3, 20))
TEN = time(10, 0)


def read(
    data: bytes,
    source: str = "test.ics",
    window: tuple[date, date] = WINDOW,
    all_day_time: time = TEN,
    minutes: int = 120,
) -> CalendarRead:
    return read_calendar(data, source, LONDON, window, all_day_time, minutes)


def fixture(name: str) -> bytes:
    return (ICS / name).read_bytes()


def starts(events: tuple[CalendarEvent, ...]) -> list[datetime]:
    return [event.start for event in events]


def problems(data: bytes, source: str = "test.ics") -> list[InputProblem]:
    with pytest.raises(InputError) as raised:
        read(data, source)
    assert raised.value.source == source
    return raised.value.problems


def calendar(*lines: str, header: tuple[str, ...] = ()) -> bytes:
    """A calendar around ``lines`` (CRLF, as RFC 5545 has it)."""
    body = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Example Org//Tests//EN", *header]
    return "\r\n".join([*body, *lines, "END:VCALENDAR", ""]).encode()


def event(*lines: str, uid: str = "e1@example.org") -> tuple[str, ...]:
    return ("BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20180301T090000Z", *lines, "END:VEVENT")


# Outlook: Windows zone name with its own VTIMEZONE, CRLF, a series with an exception


def test_outlook_fixture_is_written_as_outlook_writes_it() -> None:
    data = fixture("outlook.ics")
    assert data.count(b"\r\n") == data.count(b"\n")
    assert b'TZID="GMT Standard Time"' in data
    assert b"X-MS-OLK-" in data


def test_outlook_series_is_expanded_with_its_exdate_and_moved_occurrence() -> None:
    events = read(fixture("outlook.ics")).events
    # Every two months on the second Thursday, six times: 10 May is excluded (EXDATE) and
    # 12 July moved to 19 July at 14:00 (RECURRENCE-ID).
    assert starts(events) == [
        datetime(2018, 1, 11, 10, 0),
        datetime(2018, 3, 8, 10, 0),
        datetime(2018, 7, 19, 14, 0),
        datetime(2018, 9, 13, 10, 0),
        datetime(2018, 11, 8, 10, 0),
    ]
    moved = events[2]
    assert moved.end == datetime(2018, 7, 19, 16, 0)
    assert moved.summary == "Gravesham LCPG (moved)"
    assert moved.location == "Cascade Centre, Gravesend"
    assert events[0].location == "Civic Centre, Windmill Street, Gravesend"
    # The UID is folded over two lines in the file; every occurrence carries it whole.
    assert len({e.uid for e in events}) == 1
    assert events[0].uid.startswith("040000008200E00074C5B7101A82E008") and " " not in events[0].uid
    assert not any(e.cancelled or e.all_day for e in events)


def test_outlook_times_keep_their_wall_clock_across_the_clock_changes() -> None:
    # GMT in January and March, BST in July and September, GMT again in November: a zone
    # mistaken for plain UTC would put the summer meetings an hour out.
    events = read(fixture("outlook.ics")).events
    assert [e.start.time() for e in events] == [TEN, TEN, time(14, 0), TEN, TEN]
    assert all(e.start.tzinfo is None and e.end.tzinfo is None for e in events)


# Google: X-WR-TIMEZONE with UTC times, an all-day event, a cancelled one


def test_google_utc_times_are_converted_to_london_wall_clock() -> None:
    events = read(fixture("google.ics")).events
    assert starts(events) == [
        datetime(2018, 1, 17, 10, 0),  # 10:00Z in GMT
        datetime(2018, 3, 21, 10, 0),
        datetime(2018, 5, 16, 10, 0),  # 09:00Z in BST
        datetime(2018, 7, 18, 10, 0),
        datetime(2018, 9, 19, 10, 0),  # all day
        datetime(2018, 11, 14, 10, 0),  # 10:00Z after the October change
    ]
    assert events[2].end == datetime(2018, 5, 16, 12, 0)


def test_google_all_day_event_starts_at_the_given_time_and_lasts_the_default() -> None:
    result = read(fixture("google.ics"), all_day_time=time(9, 30), minutes=90)
    workshop = next(e for e in result.events if e.all_day)
    assert workshop.start == datetime(2018, 9, 19, 9, 30)
    assert workshop.end == datetime(2018, 9, 19, 11, 0)
    assert workshop.summary == "Dartford LCPG priorities workshop"
    assert result.all_day == 1


def test_google_cancelled_event_is_read_as_cancelled() -> None:
    events = read(fixture("google.ics")).events
    assert [e.start.date() for e in events if e.cancelled] == [date(2018, 7, 18)]


def test_x_wr_timezone_keeps_a_utc_series_on_its_wall_clock_time() -> None:
    # Google repeats a series at the same time of day in the calendar's zone: 10:00Z in
    # January is 10:00 in London, and so is the July occurrence (not 11:00 BST).
    data = calendar(
        *event(
            "DTSTART:20180117T100000Z", "DURATION:PT2H", "RRULE:FREQ=MONTHLY;INTERVAL=6;COUNT=2"
        ),
        header=("X-WR-TIMEZONE:Europe/London",),
    )
    events = read(data).events
    assert starts(events) == [datetime(2018, 1, 17, 10, 0), datetime(2018, 7, 17, 10, 0)]
    assert events[1].end == datetime(2018, 7, 17, 12, 0)


def test_x_wr_timezone_places_floating_times_in_that_zone() -> None:
    data = calendar(
        *event("DTSTART:20180117T100000", "DTEND:20180117T110000"),
        header=("X-WR-TIMEZONE:America/New_York",),
    )
    [only] = read(data).events
    assert (only.start, only.end) == (datetime(2018, 1, 17, 15, 0), datetime(2018, 1, 17, 16, 0))


def test_floating_times_without_x_wr_timezone_are_already_local() -> None:
    data = calendar(*event("DTSTART:20180711T100000", "DTEND:20180711T113000"))
    [only] = read(data).events
    assert (only.start, only.end) == (datetime(2018, 7, 11, 10, 0), datetime(2018, 7, 11, 11, 30))


# Apple: Europe/London with Apple's VTIMEZONE, a quarterly series


def test_apple_quarterly_series_with_its_swanley_meeting() -> None:
    events = read(fixture("apple.ics")).events
    assert starts(events) == [
        datetime(2017, 3, 15, 10, 0),
        datetime(2017, 6, 14, 10, 0),
        datetime(2017, 9, 13, 10, 0),
        datetime(2017, 12, 13, 10, 0),
        datetime(2018, 3, 14, 10, 0),
        datetime(2018, 6, 13, 10, 0),
        datetime(2018, 9, 12, 10, 0),
        datetime(2018, 12, 12, 10, 0),
    ]
    swanley = events[4]
    assert swanley.location == "Community Centre, Swanley"
    assert swanley.summary == "Sevenoaks LCPG (in Swanley)"
    assert all(e.end - e.start == events[0].end - events[0].start for e in events)
    assert events[5].location == "Council Offices, Argyle Road, Sevenoaks"


# Lengths, windows, other zones


def test_event_without_an_end_lasts_the_default_and_duration_is_honoured() -> None:
    data = calendar(
        *event("DTSTART;TZID=Europe/London:20180110T100000", uid="a@example.org"),
        *event("DTSTART;TZID=Europe/London:20180307T100000", "DURATION:PT90M", uid="b@example.org"),
        *event(
            "DTSTART;TZID=Europe/London:20180509T100000",
            "DTEND;TZID=Europe/London:20180509T100000",
            uid="c@example.org",
        ),
    )
    events = read(data, minutes=120).events
    assert [e.end - e.start for e in events] == [
        datetime(1, 1, 1, 2) - datetime(1, 1, 1),
        datetime(1, 1, 1, 1, 30) - datetime(1, 1, 1),
        datetime(1, 1, 1, 2) - datetime(1, 1, 1),
    ]


def test_the_window_includes_both_ends_and_stops_an_endless_series() -> None:
    data = calendar(*event("DTSTART;TZID=Europe/London:20180101T100000", "RRULE:FREQ=MONTHLY"))
    events = read(data, window=(date(2018, 3, 1), date(2018, 6, 1))).events
    assert starts(events) == [datetime(2018, m, 1, 10, 0) for m in (3, 4, 5, 6)]


def test_a_series_repeating_too_often_to_be_meetings_is_refused_not_expanded() -> None:
    # Every minute for the twelve years read is six million occurrences: expanding them all
    # would hang the import. A body meets at most daily, so the count gives it away quickly.
    data = calendar(
        *event(
            "SUMMARY:Sevenoaks LCPG",
            "DTSTART;TZID=Europe/London:20180110T100000",
            "RRULE:FREQ=MINUTELY",
            uid="often@example.org",
        )
    )
    assert [(p.row, p.message) for p in problems(data)] == [
        (
            4,
            "the event 'Sevenoaks LCPG' (UID often@example.org) repeats more than 10000 times "
            "by 2020-03-20: a body does not meet that often (is it a series that repeats every "
            "minute or hour?)",
        )
    ]


def test_a_daily_series_over_the_whole_window_is_read() -> None:
    data = calendar(*event("DTSTART;TZID=Europe/London:20080320T100000", "RRULE:FREQ=DAILY"))
    events = read(data).events
    assert len(events) == (WINDOW[1] - WINDOW[0]).days + 1
    assert events[-1].start == datetime(2020, 3, 20, 10, 0)


def test_the_window_is_read_in_the_target_zone() -> None:
    # 23:30Z on 31 May is 00:30 on 1 June in London: inside a window that starts in June.
    data = calendar(*event("DTSTART:20180531T233000Z", "DTEND:20180601T003000Z"))
    events = read(data, "t.ics", (date(2018, 6, 1), date(2018, 6, 30))).events
    assert starts(events) == [datetime(2018, 6, 1, 0, 30)]


def test_windows_zone_name_without_a_vtimezone_is_mapped_to_iana() -> None:
    data = calendar(
        *event(
            'DTSTART;TZID="W. Europe Standard Time":20180711T100000',
            'DTEND;TZID="W. Europe Standard Time":20180711T120000',
        )
    )
    [only] = read(data).events
    assert only.start == datetime(2018, 7, 11, 9, 0)  # Berlin is an hour ahead of London


def test_a_zone_defined_only_by_the_files_own_vtimezone_is_used() -> None:
    data = calendar(
        "BEGIN:VTIMEZONE",
        "TZID:Customized Time Zone",
        "BEGIN:STANDARD",
        "DTSTART:16010101T000000",
        "TZOFFSETFROM:+0300",
        "TZOFFSETTO:+0300",
        "END:STANDARD",
        "END:VTIMEZONE",
        *event(
            "DTSTART;TZID=Customized Time Zone:20180110T130000",
            "DTEND;TZID=Customized Time Zone:20180110T150000",
        ),
    )
    [only] = read(data).events
    assert (only.start, only.end) == (datetime(2018, 1, 10, 10, 0), datetime(2018, 1, 10, 12, 0))


def test_known_zone_names() -> None:
    assert known_zone("Europe/London") == ZoneInfo("Europe/London")
    assert known_zone("GMT Standard Time") == ZoneInfo("Europe/London")
    assert known_zone("/example.org/20180101_1/Europe/London") == ZoneInfo("Europe/London")
    assert known_zone("Mars/Olympus") is None
    assert known_zone("") is None
    assert known_zone("../../etc/passwd") is None


def test_events_of_every_calendar_in_one_file_are_read() -> None:
    first = calendar(*event("DTSTART;TZID=Europe/London:20180110T100000", uid="a@example.org"))
    second = calendar(*event("DTSTART;TZID=Europe/London:20180307T100000", uid="b@example.org"))
    events = read(first + second).events
    assert [e.uid for e in events] == ["a@example.org", "b@example.org"]


def test_a_calendar_without_events_in_the_window_gives_none() -> None:
    assert read(calendar()).events == ()
    data = calendar(*event("DTSTART;TZID=Europe/London:19990110T100000"))
    assert read(data, "old.ics").events == ()


# Duplicates


def test_duplicates_are_merged_by_start_time() -> None:
    result = read(fixture("duplicates.ics"))
    assert [(e.start, e.uid) for e in result.events] == [
        # "a" sorts first but is cancelled: the meeting that did take place is kept.
        (datetime(2018, 1, 10, 10, 0), "dup-2018-01-b@example.org"),
        (datetime(2018, 3, 7, 10, 0), "dup-2018-03-c@example.org"),
        # 09:00Z and 10:00 Europe/London are the same moment in May.
        (datetime(2018, 5, 9, 10, 0), "dup-2018-05-e@example.org"),
        (datetime(2018, 7, 11, 10, 0), "dup-2018-07-g@example.org"),
        # Same day, another time: a different meeting.
        (datetime(2018, 7, 11, 14, 0), "dup-2018-07-h@example.org"),
    ]
    assert [e.uid for e in result.duplicates] == [
        "dup-2018-01-a@example.org",
        "dup-2018-03-d@example.org",
        "dup-2018-05-f@example.org",
        "dup-2018-07-g@example.org",  # the same event exported twice
    ]
    assert not any(e.cancelled for e in result.events)


def test_duplicates_are_merged_the_same_whatever_the_order_of_the_file() -> None:
    text = fixture("duplicates.ics").decode()
    blocks = re.findall(r"BEGIN:VEVENT\n.*?END:VEVENT\n", text, flags=re.DOTALL)
    head = text[: text.index("BEGIN:VEVENT")]
    reversed_file = (head + "".join(reversed(blocks)) + "END:VCALENDAR\n").encode()
    assert read(reversed_file) == read(fixture("duplicates.ics"))


def test_a_timed_event_is_kept_over_an_all_day_event_at_the_same_time() -> None:
    data = calendar(
        *event("DTSTART;VALUE=DATE:20180711", uid="a@example.org"),
        *event("DTSTART;TZID=Europe/London:20180711T100000", uid="b@example.org"),
    )
    result = read(data, all_day_time=TEN)
    assert [(e.uid, e.all_day) for e in result.events] == [("b@example.org", False)]
    assert result.all_day == 0


def test_separate_events_that_share_a_uid_are_all_kept() -> None:
    # Some tools write every meeting of a series as its own event under one UID;
    # recurring_ical_events alone would keep only the first.
    data = calendar(
        *event("DTSTART;TZID=Europe/London:20180110T100000", uid="same@example.org"),
        *event("DTSTART;TZID=Europe/London:20180307T100000", uid="same@example.org"),
    )
    events = read(data).events
    assert starts(events) == [datetime(2018, 1, 10, 10, 0), datetime(2018, 3, 7, 10, 0)]
    assert {e.uid for e in events} == {"same@example.org"}


# Encodings


def test_utf8_with_a_byte_order_mark_is_read() -> None:
    assert read(codecs.BOM_UTF8 + fixture("google.ics")) == read(fixture("google.ics"))


def test_utf16_file_is_refused() -> None:
    data = fixture("google.ics").decode().encode("utf-16")
    [problem] = problems(data)
    assert problem.message == "not UTF-8 text: the file is UTF-16 (export or save it as UTF-8)"


# Broken files: each gives every problem, with its line


def test_empty_file_is_not_a_calendar() -> None:
    [problem] = problems(b"\r\n\r\n")
    assert problem.message == "not an iCalendar file: it is empty"


def test_file_cut_between_events_is_refused() -> None:
    data = calendar(*event("DTSTART:20180110T100000")).removesuffix(b"END:VCALENDAR\r\n")
    [problem] = problems(data)
    assert problem.message.startswith("the file is cut short: it ends inside the VCALENDAR")


def test_stray_lines_and_mismatched_ends_are_refused() -> None:
    data = calendar(
        "BEGIN:VEVENT",
        "UID:x@example.org",
        "DTSTART:20180110T100000",
        "this line was pasted in by mistake",
        "END:VTODO",
    )
    assert [(p.row, p.message) for p in problems(data)] == [
        (7, "not an iCalendar line: 'this line was pasted in by mistake'"),
        (8, "END:VTODO where END:VEVENT was expected"),
    ]


def test_control_characters_are_refused_with_their_line() -> None:
    # RFC 5545 allows none but tab in a value; PostgreSQL could not store a NUL in a venue.
    data = calendar(*event("DTSTART:20180110T100000", "LOCATION:Council\x00 Offices\tRoom 2"))
    assert [(p.row, p.message) for p in problems(data)] == [
        (8, "holds a control character (U+0000), which iCalendar does not allow")
    ]


def test_a_zone_defined_by_another_file_is_still_unknown_here() -> None:
    # icalendar caches VTIMEZONEs process-wide; a TZID must be defined in the file itself.
    defined = calendar(
        "BEGIN:VTIMEZONE",
        "TZID:Mars/Olympus",
        "BEGIN:STANDARD",
        "DTSTART:16010101T000000",
        "TZOFFSETFROM:+0000",
        "TZOFFSETTO:+0000",
        "END:STANDARD",
        "END:VTIMEZONE",
        *event("DTSTART;TZID=Mars/Olympus:20180110T100000"),
    )
    assert starts(read(defined).events) == [datetime(2018, 1, 10, 10, 0)]
    [problem] = problems((MALFORMED / "unknown-tzid.ics").read_bytes())
    assert "Mars/Olympus" in problem.message


def test_a_tzid_too_long_to_be_a_zone_is_reported_as_unknown() -> None:
    # Such a name makes icalendar's own lookup fail; it is caught before icalendar reads it.
    data = calendar(*event(f"DTSTART;TZID={'Z' * 300}:20180110T100000"))
    [problem] = problems(data)
    assert problem.row == 7
    assert problem.message.startswith("unknown time zone 'ZZZZ")
    assert len(problem.message) < 200


def test_unknown_x_wr_timezone_is_refused() -> None:
    data = calendar(*event("DTSTART:20180110T100000Z"), header=("X-WR-TIMEZONE:Mars/Olympus",))
    assert [(p.row, p.message) for p in problems(data)] == [
        (4, "unknown time zone 'Mars/Olympus' in X-WR-TIMEZONE: not an IANA or Windows zone name")
    ]


def test_unreadable_times_and_backwards_events_are_refused() -> None:
    data = calendar(
        *event("DTSTART:2018", "SUMMARY:Bad start", uid="a@example.org"),
        *event(
            "DTSTART:20180110T100000",
            "DTEND:20180110T090000",
            "SUMMARY:Backwards",
            uid="b@example.org",
        ),
        *event("DTSTART:20180110T100000", "RRULE:FREQ=SOMETIMES", uid="c@example.org"),
    )
    found = [(p.row, p.message) for p in problems(data)]
    assert found[0][0] == 4
    assert found[0][1].startswith("the event 'Bad start' (UID a@example.org): DTSTART cannot be")
    assert found[1] == (
        10,
        "the event 'Backwards' (UID b@example.org) ends before it starts (DTEND is before DTSTART)",
    )
    assert found[2][0] == 17
    assert found[2][1].startswith("an event (UID c@example.org): RRULE cannot be read")
    assert len(found) == 3


def test_an_unreadable_recurrence_id_is_reported_not_a_crash() -> None:
    # icalendar raises on reading a broken property's value, not only when parsing it.
    data = calendar(
        *event("DTSTART:20180110T100000", "RECURRENCE-ID;TZID=Europe/London:20180110T100000ABC")
    )
    [problem] = problems(data)
    assert problem.row == 4
    assert problem.message.startswith("an event (UID e1@example.org): RECURRENCE-ID cannot be read")


def test_every_problem_of_a_file_is_reported_together() -> None:
    data = calendar(
        *event("SUMMARY:No start", uid="a@example.org"),
        *event("DTSTART;TZID=Mars/Olympus:20180110T100000", uid="b@example.org"),
    )
    assert [p.row for p in problems(data)] == [4, 12]
