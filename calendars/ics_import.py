"""Calendar exports (``.ics`` from Outlook, Google or Apple) to meeting records: the pure half of
``lcpg ics import``.

``read_calendar`` takes the bytes of a file and returns its events in a window, each as naive
wall-clock times in the register's zone (see ``lcpg.domain.model``): recurring series are expanded
(RRULE, RDATE, EXDATE, and occurrences moved or cancelled by a RECURRENCE-ID override) with
``recurring_ical_events``; Google's ``X-WR-TIMEZONE`` is applied with ``x_wr_timezone`` first;
UTC times are converted and floating times are taken as already local. It does no I/O and reads
no clock: the file comes in as bytes, the window and the defaults as arguments.

A file is checked before anything is taken from it, and every problem found is raised together
as one ``InputError``: text that is not UTF-8 or holds control characters, a file that is not
iCalendar or is cut short, an event without a start (or with a start, end or rule that cannot be
read, or that ends before it starts), a time zone that neither the file defines nor anyone
knows, a rule that matches no date or has a value outside RFC 5545's range, a file over
``MAX_BYTES``, more VEVENTs or more occurrences in the file (each series counted from its start)
than a body could meet (``MAX_EVENTS``, one budget for the whole file), and rules that take more
than ``MAX_STEPS`` steps to follow (dateutil's walk through each rule stops at the end of the
window). ``row`` in each problem is the line of the file (where it is known).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from itertools import islice
from math import gcd
from types import FunctionType
from typing import Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dateutil.rrule
import icalendar
import recurring_ical_events  # type: ignore[import-untyped]
import x_wr_timezone  # type: ignore[import-untyped]
from icalendar import Calendar, Component, vRecur

# icalendar ships the CLDR table of Windows zone names ("GMT Standard Time" -> Europe/London),
# which it uses itself to resolve the TZIDs Outlook writes. Checking names against the same table
# means that what this module accepts is exactly what icalendar will convert.
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON
from recurring_ical_events.util import convert_to_datetime  # type: ignore[import-untyped]

from lcpg.domain.cells import too_long
from lcpg.domain.characters import control_character
from lcpg.errors import InputError, InputProblem

# Properties of an event that say when it happens: a problem in any of them makes its times
# unknowable, so it is reported (problems in others, a DESCRIPTION say, do not matter here).
_TIME_PROPERTIES = ("DTSTART", "DTEND", "DURATION", "RECURRENCE-ID", "RRULE", "RDATE", "EXDATE")
# Problems of one kind listed one by one before the rest are summed up: a file of garbage should
# give a readable message, not thousands of lines.
_MAX_LISTED = 10
MAX_EVENTS = 10_000
"""The most occurrences the whole file may have up to the end of the window read, each series
counted from its start: a body meeting daily for the twelve years ``lcpg ics import`` reads
has fewer than 4,400. More means series repeating every minute or hour, whose expansion would
take the import hours and all the memory there is."""
MAX_STEPS = 400_000
"""The most periods (years, months, weeks or days, as each rule repeats) the rules of the whole
file may step through, from each series' start to the end of the window, matched or not: a
daily rule from 1990 steps through 14,000. A rule that almost never matches (``BYSETPOS=2`` on
a daily rule, the 53rd week of June) would otherwise be stepped through day by day to the
year 9999, and one starting in the year 1 from then on."""
MAX_ZONE_CHANGES = 12
"""The most times a year a VTIMEZONE rule may change the offset (published zones change it at
most twice): dateutil steps through every change from the rule's start to each time it reads."""

MAX_BYTES = 25 * 1024 * 1024
"""The largest file read (25 MB), refused before it is parsed: a register's calendar of twelve
years is well under 1 MB."""


def too_large(size: int) -> str:
    """The message for a calendar file of ``size`` bytes, over ``MAX_BYTES``."""
    return (
        f"the file is {size / 1024 / 1024:.1f} MB, more than the "
        f"{MAX_BYTES // 1024 // 1024} MB a calendar may be"
    )


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# A content line is NAME, then parameters after ";" or the value after ":" (RFC 5545 3.1).
_CONTENT_LINE = re.compile(r"[A-Za-z0-9-]+[;:]")


@dataclass(frozen=True)
class CalendarEvent:
    """One occurrence of an event, as the register would record it.

    ``start`` and ``end`` are naive wall-clock times in the target zone, ``end`` after
    ``start``. An all-day event (``all_day``) starts at the given time of day on its first day
    and lasts the default length, as does an event with no (or no positive) length.
    ``cancelled`` is True for STATUS:CANCELLED. ``uid`` is the event's UID ("" when it has
    none); the occurrences of a series share it.
    """

    start: datetime
    end: datetime
    summary: str
    location: str
    cancelled: bool
    all_day: bool
    uid: str


@dataclass(frozen=True)
class CalendarRead:
    """What a calendar file holds in a window: ``events`` in order of start, one per start
    time, and the ``duplicates`` merged into them (events that start at the same time as one
    kept, in the order they were dropped)."""

    events: tuple[CalendarEvent, ...]
    duplicates: tuple[CalendarEvent, ...]

    @property
    def all_day(self) -> int:
        """How many of ``events`` were all-day events (given a time of day on import)."""
        return sum(1 for event in self.events if event.all_day)


def read_calendar(
    data: bytes,
    source: str,
    zone: ZoneInfo,
    between: tuple[date, date],
    all_day_time: time,
    default_minutes: int,
) -> CalendarRead:
    """Every event of the iCalendar file ``data`` whose start falls in ``between`` (first and
    last day inclusive, in ``zone``), with recurring series expanded.

    Times are converted to ``zone`` and made naive; an all-day event starts at
    ``all_day_time``; an all-day event, an event with no DTEND or DURATION and one of zero
    length last ``default_minutes``. Events that start at the same time are one meeting: the
    one kept is the first not cancelled, then timed before all-day, then by UID, so the result
    does not depend on the order of the file. A file with no events in the window gives none.

    Raises ``InputError`` (``source`` names the file in it) listing every problem: not UTF-8
    (UTF-8 with a byte order mark is fine); not iCalendar, or cut short before END:VCALENDAR;
    an event without DTSTART, with a start, end, duration or rule that cannot be read, or that
    ends before it starts; a TZID (or X-WR-TIMEZONE) that is neither defined by a VTIMEZONE in
    the file nor a known IANA or Windows zone name.
    """
    prepared, layout, problems = _checked(data, source)
    queries = [_query(calendar, problems) for calendar in prepared]
    # After _query: it gives each further event repeating a UID one of its own.
    named = {
        str(event.get("UID", "")): (_describe(event), line)
        for event, line in reversed(_event_lines(prepared, layout))
    }
    problems.raise_any()
    _bound_walks([query for query, _ in queries], between[1])
    _spend_budget([query for query, _ in queries], named, between[1], problems)
    problems.raise_any()
    occurrences = [
        event
        for query, original_uid in queries
        for event in _occurrences(
            query,
            original_uid,
            zone,
            between,
            all_day_time,
            timedelta(minutes=default_minutes),
            problems,
        )
    ]
    problems.raise_any()
    return _merge(occurrences)


@dataclass(frozen=True)
class DatedEvent:
    """One VEVENT of a file as written, not expanded: ``start`` and ``end`` are its DTSTART
    and DTEND values (a ``date`` for an all-day event, a ``datetime`` for a timed one, None when
    absent), ``recurring`` is True when it has an RRULE, RDATE or RECURRENCE-ID, and ``line`` is
    the line it begins on (None when it cannot be told)."""

    line: int | None
    summary: str
    start: date | None
    end: date | None
    recurring: bool


def read_dated_events(data: bytes, source: str) -> tuple[DatedEvent, ...]:
    """Every VEVENT of the iCalendar file ``data`` in file order, unexpanded, for a caller that
    wants the events themselves (``lcpg terms import``: each all-day event one term).

    The file is checked as ``read_calendar`` checks it, and the same ``InputError`` raised.
    """
    prepared, layout, _ = _checked(data, source)
    return tuple(
        DatedEvent(
            line=line,
            summary=str(event.get("SUMMARY", "")).strip(),
            start=_as_date(_moment(event, "DTSTART")),
            end=_as_date(_moment(event, "DTEND")),
            recurring=any(name in event for name in ("RRULE", "RDATE", "RECURRENCE-ID")),
        )
        for event, line in _event_lines(prepared, layout)
    )


def _as_date(value: object) -> date | None:
    return value if isinstance(value, date) else None


def _checked(data: bytes, source: str) -> tuple[list[Calendar], _Layout, _Problems]:
    """The file's calendars in RFC 5545 form, with every problem of text, shape, time zones and
    event times raised together; and where things are in it, and an empty list of problems for
    what the caller checks next."""
    if len(data) > MAX_BYTES:
        raise _fail(source, too_large(len(data)))
    text = _decode(data, source)
    layout = _scan(text, source)
    problems = _Problems(source)
    # Checked before icalendar reads the file: it fails on some names (one too long to be a
    # file name, say) with a message that would hide the real problem.
    for tzid, line in layout.unknown_tzids().items():
        problems.add(_unknown_tzid(tzid), line)
    try:
        # Bytes, not text: icalendar 7 takes a str without line breaks for a file to open.
        calendars = _parse(text.encode("utf-8"), source)
    except InputError:
        problems.raise_any()
        raise
    # A time zone's own rules are expanded by icalendar as soon as a time in it is read, so they
    # are held to RFC 5545's ranges first, like an event's (dateutil loops on a BYMINUTE of -307).
    if not _zone_rules_in_range(calendars, problems):
        problems.raise_any()
    prepared = [_standardise(calendar, layout, problems) for calendar in calendars]
    _check_events([c for c in prepared if c is not None], layout, problems)
    problems.raise_any()
    return [c for c in prepared if c is not None], layout, problems


# Reading the text


@dataclass
class _Problems:
    """The problems found so far, raised together by ``raise_any``."""

    source: str
    found: list[InputProblem] = field(default_factory=list)

    def add(self, message: str, line: int | None = None) -> None:
        self.found.append(InputProblem(self.source, message, row=line))

    def raise_any(self) -> None:
        """Raise them all, in the order of their lines (those without a line last)."""
        if self.found:
            ordered = sorted(self.found, key=lambda p: (p.row is None, p.row or 0))
            raise InputError(self.source, ordered)


def _fail(source: str, message: str, line: int | None = None) -> InputError:
    return InputError(source, [InputProblem(source, message, row=line)])


def _decode(data: bytes, source: str) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _fail(source, "not UTF-8 text: the file is UTF-16 (export or save it as UTF-8)")
    try:
        # Some Windows tools start UTF-8 files with a byte order mark; it is not content.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        message = (
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be decoded "
            "(export or save the calendar as UTF-8)"
        )
        raise _fail(source, message, line) from None


@dataclass(frozen=True)
class _Layout:
    """Where things are in the file, for messages: the line each VEVENT begins on (in file
    order), and the first line each TZID parameter value and each X-WR-TIMEZONE is on; and the
    TZIDs that the file's VTIMEZONEs define."""

    events: tuple[int, ...]
    tzids: dict[str, int]
    x_wr_timezones: dict[str, int]
    defined_tzids: frozenset[str]

    def unknown_tzids(self) -> dict[str, int]:
        """Each TZID used but neither defined in the file nor a known zone, with its line."""
        return {
            tzid: line
            for tzid, line in self.tzids.items()
            if tzid not in self.defined_tzids and known_zone(tzid) is None
        }


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Content lines with folding undone (RFC 5545 3.1), each with the line it starts on.
    Blank lines are left out."""
    # Parts are gathered and joined once: adding each to the line so far would copy it every
    # time, quadratic in the length of a line folded many times (a hostile file's).
    parts: list[tuple[int, list[str]]] = []
    for number, physical in enumerate(_LINE_BREAK.split(text), start=1):
        if physical[:1] in (" ", "\t") and parts:
            parts[-1][1].append(physical[1:])
        elif physical.strip():
            parts.append((number, [physical]))
    return [(number, "".join(pieces)) for number, pieces in parts]


def _split_content_line(line: str) -> tuple[str, str, str]:
    """NAME, parameters and value of a content line (a ":" inside a quoted parameter value
    does not end the parameters)."""
    quoted = False
    for index, character in enumerate(line):
        if character == '"':
            quoted = not quoted
        elif character == ":" and not quoted:
            head, value = line[:index], line[index + 1 :]
            name, _, parameters = head.partition(";")
            return name.upper(), parameters, value
    return line.upper(), "", ""


def _tzid_parameter(parameters: str) -> str | None:
    match = re.search(r'(?:^|;)TZID=("[^"]*"|[^;]*)', parameters, re.IGNORECASE)
    return match.group(1).strip('"') if match else None


def _note_line_problems(
    number: int, line: str, bad_lines: list[int], controlled: list[int], problems: _Problems
) -> bool:
    """Whether ``line`` (line ``number``) is an iCalendar content line. A line that is not one
    is added to ``bad_lines``, one that holds a control character to ``controlled``; the first
    ``_MAX_LISTED`` of each are reported to ``problems`` (the rest are summed up by
    ``_scan_summary_problems``). A control character is only looked for in a content line."""
    if not _CONTENT_LINE.match(line):
        bad_lines.append(number)
        if len(bad_lines) <= _MAX_LISTED:
            problems.add(f"not an iCalendar line: {_clip(line)!r}", number)
        return False
    character = control_character(line)
    if character is not None:
        controlled.append(number)
        if len(controlled) <= _MAX_LISTED:
            message = f"holds a control character ({character}), which iCalendar does not allow"
            problems.add(message, number)
    return True


def _scan_summary_problems(
    problems: _Problems,
    controlled: Sequence[int],
    bad_lines: Sequence[int],
    unclosed: tuple[str, int] | None,
    last_line: int,
    events: Sequence[int],
) -> None:
    """Report what ``_scan`` can only tell once the lines are read: how many more lines than
    those listed were bad, a block still open at the end (``unclosed``: its name and the line
    it began on, or None when none is or the scan stopped early) and too many VEVENTs."""
    if len(controlled) > _MAX_LISTED:
        problems.add(f"{len(controlled) - _MAX_LISTED} more lines that hold control characters")
    if len(bad_lines) > _MAX_LISTED:
        problems.add(f"{len(bad_lines) - _MAX_LISTED} more lines that are not iCalendar lines")
    if unclosed is not None:
        block, begun = unclosed
        problems.add(
            f"the file is cut short: it ends inside the {block} begun on line {begun}, "
            "without END:VCALENDAR (export the calendar again)",
            last_line,
        )
    if len(events) > MAX_EVENTS:
        # Each VEVENT is at least one occurrence; refused here, before icalendar builds them
        # all (24 MB of events took it half a minute and 700 MB).
        problems.add(
            f"the calendar holds {len(events):,} events, more than the {MAX_EVENTS:,} a body "
            "could meet",
            events[MAX_EVENTS],
        )


def _scan(text: str, source: str) -> _Layout:
    """Check the file's shape line by line (icalendar forgives too much: it reads a file cut
    short, or with stray text, without a word) and note where things are."""
    lines = _logical_lines(text)
    if not lines:
        raise _fail(source, "not an iCalendar file: it is empty")
    first_line, first = lines[0]
    if first.strip().upper() != "BEGIN:VCALENDAR":
        raise _fail(
            source, "not an iCalendar file: it does not begin with BEGIN:VCALENDAR", first_line
        )
    problems = _Problems(source)
    bad_lines: list[int] = []
    controlled: list[int] = []
    open_blocks: list[tuple[str, int]] = []
    events: list[int] = []
    tzids: dict[str, int] = {}
    x_wr_timezones: dict[str, int] = {}
    defined_tzids: set[str] = set()
    stopped = False
    for number, line in lines:
        if not _note_line_problems(number, line, bad_lines, controlled, problems):
            continue
        name, parameters, value = _split_content_line(line)
        block = value.strip().upper()
        if not open_blocks and not (name == "BEGIN" and block == "VCALENDAR"):
            problems.add("text after END:VCALENDAR (only another VCALENDAR may follow)", number)
            stopped = True
            break
        if name == "BEGIN":
            open_blocks.append((block, number))
            if block == "VEVENT":
                events.append(number)
        elif name == "END":
            if open_blocks and open_blocks[-1][0] == block:
                open_blocks.pop()
            else:
                expected = f"END:{open_blocks[-1][0]}" if open_blocks else "nothing"
                problems.add(f"END:{block} where {expected} was expected", number)
                stopped = True
                break
        elif name == "X-WR-TIMEZONE":
            x_wr_timezones.setdefault(value.strip(), number)
        elif name == "TZID" and open_blocks and open_blocks[-1][0] == "VTIMEZONE":
            defined_tzids.add(value.strip())
        tzid = _tzid_parameter(parameters)
        if tzid is not None:
            tzids.setdefault(tzid, number)
    # A scan stopped early has reported why; the blocks it left open say nothing more.
    unclosed = open_blocks[-1] if open_blocks and not stopped else None
    _scan_summary_problems(problems, controlled, bad_lines, unclosed, lines[-1][0], events)
    problems.raise_any()
    return _Layout(tuple(events), tzids, x_wr_timezones, frozenset(defined_tzids))


def _clip(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 3] + "..."


def _parse(data: bytes, source: str) -> list[Calendar]:
    # icalendar keeps the first VTIMEZONE of each TZID it parses for the life of the process and
    # reads every later file's times by it: starting afresh makes each file mean its own zones
    # (choosing the provider again starts an empty cache: ``TZP._use``).
    icalendar.use_zoneinfo()  # type: ignore[no-untyped-call]
    try:
        calendars = Calendar.from_ical(data, multiple=True)
    # The shape was checked above, so what icalendar still refuses is a malformed line deep
    # inside; its parser fails with ValueError mostly but not only, and it all means the same.
    except Exception as exc:
        raise _fail(source, f"not a valid iCalendar file: {_clip(str(exc), 200)}") from None
    return list(calendars)


# Time zones


def known_zone(tzid: str) -> tzinfo | None:
    """The IANA zone that a TZID names, or None: an IANA name (``Europe/London``), a Windows
    name as Outlook writes it (``GMT Standard Time``), or a "globally unique" TZID ending in
    an IANA name (``/example.org/Europe/London``, RFC 5545 3.2.19)."""
    # Not icalendar's own lookup (``icalendar.timezone.tzp``): it also answers from a cache of
    # every VTIMEZONE any file has defined in this process, so a TZID defined only by an
    # earlier file would pass here.
    cleaned = tzid.strip().strip("/")
    parts = cleaned.split("/")
    candidates = [cleaned, WINDOWS_TO_OLSON.get(cleaned, "")]
    if tzid.startswith("/"):
        candidates.extend("/".join(parts[start:]) for start in range(1, len(parts)))
    for candidate in candidates:
        if not candidate:
            continue
        try:
            return ZoneInfo(candidate)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a path
            continue
    return None


def _zone_rules_in_range(calendars: Sequence[Calendar], problems: _Problems) -> bool:
    """Whether every VTIMEZONE rule (STANDARD or DAYLIGHT) is in RFC 5545's ranges and is a
    time zone's rule (``_not_a_zone_rule``); a problem for each one that is not."""
    in_range = True
    for calendar in calendars:
        for zone in calendar.walk("VTIMEZONE"):
            for part in zone.subcomponents:
                rule = part.get("RRULE")
                wrong = _outside_range(rule) or _not_a_zone_rule(rule, part.get("DTSTART"))
                if wrong is not None:
                    tzid = _clip(str(zone.get("TZID", "")))
                    problems.add(f"time zone {tzid!r} ({part.name}): {wrong}")
                    in_range = False
    return in_range


def _not_a_zone_rule(value: object, start: object) -> str | None:
    """Why a VTIMEZONE part's rule is not a time zone's, for a message; None when it is (or
    there is no rule, or no start to read it from).

    dateutil finds a zone's offset at a time by stepping the rule from its DTSTART (Outlook
    writes 1601) to that time, uncapped: a rule repeating every second takes it hours. Every
    published zone changes its offset a few times a year by a yearly rule, so a rule must
    repeat yearly and change the offset at most ``MAX_ZONE_CHANGES`` times a year, counted over
    INTERVAL + 1 years from its start (a rule repeating every few years changes in a burst).
    """
    rules = value if isinstance(value, list) else [value]
    moment = getattr(start, "dt", None)
    for rule in rules:
        if not isinstance(rule, vRecur) or not isinstance(moment, datetime):
            continue
        frequency = [str(f).upper() for f in rule.get("FREQ", [])]
        if frequency != ["YEARLY"]:
            return (
                f"its RRULE repeats {', '.join(frequency).lower() or 'with no FREQ'}: a time "
                "zone's rule repeats yearly (FREQ=YEARLY), as every published zone's does"
            )
        interval = int(rule.get("INTERVAL", [1])[0])
        years = min(interval + 1, date.max.year - moment.year)
        naive = moment.replace(tzinfo=None)
        try:
            # As dateutil's tzical reads it: UNTIL is in UTC and DTSTART local (RFC 5545).
            text = cast(bytes, rule.to_ical()).decode()  # type: ignore[no-untyped-call]
            parsed = dateutil.rrule.rrulestr(text, dtstart=naive, ignoretz=True)
            end = naive.date().replace(year=naive.year + years, day=min(naive.day, 28))
            walk = _bounded(parsed, _Walk(end, [0]))
            limit = MAX_ZONE_CHANGES * years
            changes = sum(1 for _ in islice(walk, limit + 1))
        except (ValueError, OverflowError, _WalkTooLong) as exc:
            return f"its RRULE cannot be followed ({_clip(str(exc), 200)})"
        if changes > limit:
            return (
                f"its RRULE changes the offset more than {MAX_ZONE_CHANGES} times a year: "
                "a time zone's offset changes a few times a year"
            )
    return None


def _standardise(calendar: Calendar, layout: _Layout, problems: _Problems) -> Calendar | None:
    """The calendar in RFC 5545 form: with ``X-WR-TIMEZONE`` (Google, Apple), UTC and floating
    times are read in that zone, as those calendars show them. None (with a problem) when the
    zone is unknown."""
    value = calendar.get("X-WR-TIMEZONE")
    if value is None:
        return calendar
    name = str(value).strip()
    zone = known_zone(name)
    if zone is None:
        problems.add(
            f"unknown time zone {name!r} in X-WR-TIMEZONE: not an IANA or Windows zone name",
            layout.x_wr_timezones.get(name),
        )
        return None
    standard = cast(Calendar, x_wr_timezone.to_standard(calendar, timezone=zone))
    # Applied once, here: recurring_ical_events would apply it again by name, and fail on a
    # name that only known_zone understands.
    standard.pop("X-WR-TIMEZONE")
    return standard


# Checking events


def _describe(event: Component) -> str:
    """Names an event for a message (its line is the problem's row)."""
    summary = str(event.get("SUMMARY", "")).strip()
    uid = str(event.get("UID", "")).strip()
    what = f"the event {_clip(summary)!r}" if summary else "an event"
    return f"{what} (UID {uid})" if uid else what


def _unreadable_problems(event: Component, what: str, errors: dict[str, str]) -> list[str]:
    """Messages, in order, for ``event``'s SUMMARY or LOCATION being too long and for each of
    its time properties that icalendar could not read (``errors``: property name, upper case,
    to icalendar's message). ``what`` names the event (``_describe``)."""
    messages = []
    # The one limit on text, however it comes in: these become a meeting's venue and name.
    for name in ("SUMMARY", "LOCATION"):
        length = too_long(str(event.get(name, "")).strip())
        if length is not None:
            messages.append(f"{what}: {name} {length}")
    for name in _TIME_PROPERTIES:
        if name in errors:
            messages.append(f"{what}: {name} cannot be read ({errors[name]})")
    return messages


def _timing_problem(event: Component, what: str, errors: dict[str, str]) -> str | None:
    """The first thing wrong with ``event``'s DTSTART or DTEND (missing, repeated, not a date,
    ending before it starts), as a message; None when nothing is. Only called when DTSTART was
    read (not in ``errors``); a DTEND in ``errors`` is reported already, so is not looked at."""
    start = event.get("DTSTART")
    if start is None:
        return f"{what} has no DTSTART (start date or time)"
    if isinstance(start, list):
        return f"{what} has more than one DTSTART"
    if not isinstance(_moment(event, "DTSTART"), date):
        return f"{what}: DTSTART is not a date or date-time"
    if "DTEND" not in errors and isinstance(event.get("DTEND"), list):
        return f"{what} has more than one DTEND"
    if "DTEND" not in errors and _ends_before_start(event):
        return f"{what} ends before it starts (DTEND is before DTSTART)"
    return None


def _check_events(calendars: Sequence[Calendar], layout: _Layout, problems: _Problems) -> None:
    """Add to ``problems`` what is wrong with each event, on the line it begins: text too
    long, times or rules that cannot be read or make no sense, and times whose TZID icalendar
    could not resolve (each unknown TZID once, counting those ``layout`` reports already)."""
    reported = set(layout.unknown_tzids())
    for event, line in _event_lines(calendars, layout):
        what = _describe(event)
        errors = {(name or "").upper(): message for name, message in event.errors}
        for message in _unreadable_problems(event, what, errors):
            problems.add(message, line)
        if "DTSTART" in errors:
            continue
        timing = _timing_problem(event, what, errors)
        if timing is not None:
            problems.add(timing, line)
        if "RRULE" not in errors and not _some_day_matches(event.get("RRULE")):
            problems.add(f"{what} repeats on no day: its RRULE's BY rules match no date", line)
        outside = None if "RRULE" in errors else _outside_range(event.get("RRULE"))
        if outside is not None:
            problems.add(f"{what}: its RRULE's {outside}", line)
        # icalendar leaves a time naive when it cannot resolve its TZID (a VTIMEZONE it could
        # not read, say); that time would be taken as local, so it is refused.
        for name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
            if name in errors:
                continue  # reported above; icalendar raises on reading a broken value
            value = event.get(name)
            tzid = str(getattr(value, "params", {}).get("TZID", ""))
            moment = getattr(value, "dt", None)
            if tzid and isinstance(moment, datetime) and moment.tzinfo is None:
                if tzid not in reported:
                    problems.add(_unknown_tzid(tzid), layout.tzids.get(tzid, line))
                reported.add(tzid)


# A leap year and a common one: every day of the month and of the year, counted from either end.
_DAYS = [date(2024, 1, 1) + timedelta(days=n) for n in range(731)]


def _some_day_matches(value: object) -> bool:
    """Whether a rule's BYMONTH, BYMONTHDAY and BYYEARDAY together allow some date.

    dateutil steps through the days of a rule that allows none until the year 9999 (a DAILY
    BYMONTH=2;BYMONTHDAY=31 takes fifteen seconds), so such a rule is refused up front.
    """
    for rule in value if isinstance(value, list) else [value]:
        if not isinstance(rule, dict):
            continue
        months = set(rule.get("BYMONTH", []))
        monthdays = set(rule.get("BYMONTHDAY", []))
        yeardays = set(rule.get("BYYEARDAY", []))
        if not any(_allowed(day, months, monthdays, yeardays) for day in _DAYS):
            return False
    return True


# The values each part of a rule may take (RFC 5545 3.3.10); dateutil trusts them, and fails
# in its own ways (dividing by INTERVAL=0, a BYMINUTE of -1) on others.
_RANGES = {
    "INTERVAL": (1, None),
    "BYSECOND": (0, 60),
    "BYMINUTE": (0, 59),
    "BYHOUR": (0, 23),
    "BYMONTHDAY": (-31, 31),
    "BYYEARDAY": (-366, 366),
    "BYWEEKNO": (-53, 53),
    "BYMONTH": (1, 12),
    "BYSETPOS": (-366, 366),
}


def _outside_range(value: object) -> str | None:
    """What in a rule is outside the range RFC 5545 allows (and zero where it counts from
    either end), for a message; None when all is in range."""
    for rule in value if isinstance(value, list) else [value]:
        if not isinstance(rule, dict):
            continue
        for name, (low, high) in _RANGES.items():
            for number in rule.get(name, []):
                if not isinstance(number, int):
                    continue  # icalendar refuses what is not a number
                signed = low < 0
                if (
                    number < (low if low is not None else number)
                    or (high is not None and number > high)
                    or (signed and number == 0)
                ):
                    allowed = f"{low} to {high}" if high is not None else f"{low} or more"
                    if signed:
                        allowed = f"1 to {high} or -{high} to -1"
                    return f"{name} {number} is outside the range allowed ({allowed})"
        # An ordinal day counts within the month when the rule repeats monthly or names months
        # (RFC 5545 3.3.10); dateutil indexes past the year's end on a ninth Monday.
        frequency = [str(f).upper() for f in rule.get("FREQ", [])]
        in_months = frequency == ["MONTHLY"] or (frequency == ["YEARLY"] and "BYMONTH" in rule)
        highest = 5 if in_months else 53
        for day in rule.get("BYDAY", []):
            ordinal = str(day)[:-2].lstrip("+")
            if ordinal and ordinal.lstrip("-").isdigit() and not 1 <= abs(int(ordinal)) <= highest:
                allowed = f"1 to {highest} or -{highest} to -1 before the day"
                within = ", in a month" if in_months else ""
                return f"BYDAY {day} is outside the range allowed{within} ({allowed})"
    return None


def _allowed(day: date, months: set[int], monthdays: set[int], yeardays: set[int]) -> bool:
    if months and day.month not in months:
        return False
    next_month = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    days_in_month = (next_month - day.replace(day=1)).days
    if monthdays and not {day.day, day.day - days_in_month - 1} & monthdays:
        return False
    ordinal = day.timetuple().tm_yday
    days_in_year = 366 if day.year == 2024 else 365
    return not yeardays or bool({ordinal, ordinal - days_in_year - 1} & yeardays)


def _event_lines(
    calendars: Sequence[Calendar], layout: _Layout
) -> list[tuple[Component, int | None]]:
    """Every VEVENT with the line it begins on (None for all when they cannot be matched)."""
    events = [event for calendar in calendars for event in calendar.walk("VEVENT")]
    # The n-th VEVENT icalendar read is the n-th BEGIN:VEVENT of the file, unless a calendar
    # was left out for a problem of its own; then lines are not given rather than wrong.
    lines: Sequence[int | None] = (
        layout.events if len(layout.events) == len(events) else [None] * len(events)
    )
    return list(zip(events, lines, strict=True))


def _query(calendar: Calendar, problems: _Problems) -> tuple[Any, dict[str, str]]:
    """recurring_ical_events' series of ``calendar`` (None, with a problem, when it refuses
    them), and the original UID of each event ``_unique_series`` renamed."""
    original_uid = _unique_series(calendar)
    try:
        return recurring_ical_events.of(calendar), original_uid
    # What recurring_ical_events refuses (a rule it cannot follow, say) comes as one of many
    # exception types.
    except Exception as exc:
        problems.add(f"the recurring events cannot be expanded: {_clip(str(exc), 200)}")
        return None, original_uid


def _spend_budget(
    queries: Sequence[Any],
    named: dict[str, tuple[str, int | None]],
    last: date,
    problems: _Problems,
) -> None:
    """Refuse a file whose events, each series counted from its start to ``last``, number
    more than ``MAX_EVENTS`` together.

    Counted with the very rules recurring_ical_events expands (after its repairs of rules
    dateutil alone refuses), lazily, and stopped as soon as the budget is spent: one series
    repeating every second, or two hundred repeating hourly, would otherwise take the
    expansion minutes and gigabytes. Occurrences before the window count too, as the
    expansion has to step through them.
    """
    spent = 0
    for query in queries:
        for series in query.series:
            recurrence = series.recurrence
            rules = getattr(recurrence, "rrules", None)
            if rules is None:  # a single event, not a series
                spent += 1
                own = 1
            else:
                end = convert_to_datetime(last + timedelta(days=2), recurrence.tzinfo)
                own = 0
                try:
                    for rule in rules:
                        for moment in rule:
                            if moment > end:
                                break
                            own += 1
                            spent += 1
                            if spent > MAX_EVENTS:
                                break
                        if spent > MAX_EVENTS:
                            break
                except _WalkTooLong:
                    what, line = named.get(str(series.uid), ("an event", None))
                    problems.add(
                        f"the calendar's rules take more than {MAX_STEPS:,} steps to follow "
                        f"from their starts to {last.isoformat()}, the last {what}: a rule "
                        "that almost never matches, one repeating every minute or second "
                        "only in some hours, or a series begun centuries ago?",
                        line,
                    )
                    return
                # dateutil refuses some rules only when stepping through them (BYHOUR=25 on a
                # rule repeating every second matches no time).
                except (ValueError, OverflowError, IndexError) as exc:
                    what, line = named.get(str(series.uid), ("an event", None))
                    problems.add(
                        f"{what}: its RRULE cannot be followed ({_clip(str(exc), 200)})", line
                    )
                    continue
            if spent > MAX_EVENTS:
                what, line = named.get(str(series.uid), ("an event", None))
                if own > MAX_EVENTS:
                    message = (
                        f"{what} repeats more than {MAX_EVENTS} times by {last.isoformat()}: "
                        "a body does not meet that often (is it a series that repeats every "
                        "minute or hour?)"
                    )
                else:
                    message = (
                        f"the calendar holds more than {MAX_EVENTS} events by "
                        f"{last.isoformat()} (each series counted from its start), the last "
                        f"counted {what}: a body does not meet that often (are there series "
                        "that repeat every minute or hour?)"
                    )
                problems.add(message, line)
                return


class _WalkEnded(Exception):
    """A rule's walk has passed the end of the window: nothing later is read."""


class _WalkTooLong(Exception):
    """The file's rules have stepped through ``MAX_STEPS`` periods."""


@dataclass
class _Walk:
    """Where a rule's walk ends (the first day it need not reach), and the steps the whole
    file's rules have taken so far (shared)."""

    end: date
    steps: list[int]


class _BoundedInfo(dateutil.rrule._iterinfo):
    """dateutil's per-walk state, asked for each period's days once per period: the one place
    where a step of the walk can be seen, matched or not. (No ``__slots__`` of its own:
    dateutil's ``__init__`` sets every name in ``self.__slots__``, which must stay its own.)"""

    def _step(self, first: date) -> None:
        rule = cast(_BoundedRule, self.rrule)
        walk = rule.walk
        if first >= walk.end:
            raise _WalkEnded
        walk.steps[0] += rule.weight
        if walk.steps[0] > MAX_STEPS:
            raise _WalkTooLong

    def ydayset(self, year: int, month: int, day: int) -> Any:
        self._step(date(year, 1, 1))
        return super().ydayset(year, month, day)

    def mdayset(self, year: int, month: int, day: int) -> Any:
        self._step(date(year, month, 1))
        return super().mdayset(year, month, day)

    def wdayset(self, year: int, month: int, day: int) -> Any:
        self._step(date(year, month, day))
        return super().wdayset(year, month, day)

    def ddayset(self, year: int, month: int, day: int) -> Any:
        self._step(date(year, month, day))
        return super().ddayset(year, month, day)


# dateutil's own walk, unchanged but for the state it keeps: a copy of ``rrule._iter`` that
# finds ``_BoundedInfo`` where it looks for ``_iterinfo``. dateutil has no way to stop a walk
# at a date (UNTIL is checked only on a date that matches) nor to count its steps.
_unbounded_iter: FunctionType = getattr(dateutil.rrule.rrule, "_iter")  # noqa: B009 (private)
_bounded_iter = FunctionType(
    _unbounded_iter.__code__,
    {**vars(dateutil.rrule), "_iterinfo": _BoundedInfo},
    "_iter",
    _unbounded_iter.__defaults__,
    _unbounded_iter.__closure__,
)


class _BoundedRule(dateutil.rrule.rrule):
    """A dateutil rule whose walk stops at ``walk.end`` and spends the file's ``MAX_STEPS``,
    ``weight`` steps a period."""

    walk: _Walk
    weight: int

    def _iter(self) -> Any:
        total = 0
        try:
            for moment in _bounded_iter(self):
                total += 1
                yield moment
        except _WalkEnded:
            # What dateutil notes at the end of a walk: its cache reads it.
            self._len = total


def _bounded(rule: Any, walk: _Walk) -> _BoundedRule:
    """``rule`` as a ``_BoundedRule`` (built as ``rrule.replace`` builds a copy), keeping what
    recurring_ical_events noted on it."""
    arguments = {
        "interval": rule._interval,
        "count": rule._count,
        "dtstart": rule._dtstart,
        "freq": rule._freq,
        "until": rule._until,
        "wkst": rule._wkst,
        "cache": rule._cache is not None,
        **rule._original_rule,
    }
    bounded = _BoundedRule(**arguments)
    bounded.walk = walk
    bounded.weight = _weight(rule)
    for name in ("string", "until"):  # recurring_ical_events' own notes
        if hasattr(rule, name):
            setattr(bounded, name, getattr(rule, name))
    return bounded


def _weight(rule: Any) -> int:
    """The steps one period of ``rule`` may cost: dateutil looks for the next time of a rule
    repeating every minute (second) that BYHOUR (or BYMINUTE) allows minute by minute (second
    by second), up to a day's worth each period; every other period is one step."""
    frequency, interval = rule._freq, rule._interval
    if frequency == dateutil.rrule.MINUTELY and rule._byhour:
        return 1440 // gcd(interval, 1440)
    if frequency == dateutil.rrule.SECONDLY and (rule._byhour or rule._byminute):
        return 86400 // gcd(interval, 86400)
    return 1


def _bound_walks(queries: Sequence[Any], last: date) -> None:
    """Make every rule of ``queries`` stop stepping after ``last`` (with a margin for time
    zones and moved occurrences) and spend one budget of ``MAX_STEPS`` for them all.

    Bounding the occurrences (``MAX_EVENTS``) is not enough: dateutil steps through every
    period of a rule, and one that matches few or none (``FREQ=DAILY;BYSETPOS=2``) steps day
    by day to the year 9999, minutes of work that yields nothing.
    """
    steps = [0]
    for query in queries:
        for series in query.series:
            rules = getattr(series.recurrence, "rrules", None)
            if rules is None:
                continue
            # recurring_ical_events asks for this much beyond the window, for occurrences
            # moved back by a RANGE=THISANDFUTURE change.
            moved = getattr(series, "_add_to_stop", timedelta(0))
            walk = _Walk(last + timedelta(days=3) + max(moved, timedelta(0)), steps)
            rules[:] = [
                _bounded(rule, walk) if type(rule) is dateutil.rrule.rrule else rule
                for rule in rules
            ]


def _unknown_tzid(tzid: str) -> str:
    return (
        f"unknown time zone {_clip(tzid)!r} (TZID): not defined by a VTIMEZONE in the file, "
        "and not an IANA or Windows zone name"
    )


def _ends_before_start(event: Component) -> bool:
    start, end = _moment(event, "DTSTART"), _moment(event, "DTEND")
    if end is None or type(start) is not type(end):
        return False
    if isinstance(start, datetime) and isinstance(end, datetime):
        if (start.tzinfo is None) != (end.tzinfo is None):
            return False
        return end < start
    return isinstance(start, date) and isinstance(end, date) and end < start


# Expanding and converting


def _unique_series(calendar: Calendar) -> dict[str, str]:
    """Give a UID of its own to each further event that repeats another's UID without a
    RECURRENCE-ID, returning the original UID of each renamed one.

    recurring_ical_events keeps one series per UID and silently drops the others; some tools
    export every meeting of a series as its own event under one UID, and each is a meeting.
    """
    seen: set[str] = set()
    original: dict[str, str] = {}
    for event in calendar.walk("VEVENT"):
        if "RECURRENCE-ID" in event or "UID" not in event:
            continue
        uid = str(event["UID"])
        if uid in seen:
            renamed = f"{uid}#{len(original) + 1}"
            original[renamed] = uid
            event["UID"] = renamed
        seen.add(uid)
    return original


def _occurrences(
    query: Any,
    original_uid: dict[str, str],
    zone: ZoneInfo,
    between: tuple[date, date],
    all_day_time: time,
    default_length: timedelta,
    problems: _Problems,
) -> list[CalendarEvent]:
    first, last = between
    # A day's margin each side: the window is in ``zone``, the file's times may be in any zone.
    try:
        components: Iterable[Component] = query.between(
            first - timedelta(days=1), last + timedelta(days=2)
        )
        found = list(components)
    # The events were checked above; what recurring_ical_events still refuses (a rule it
    # cannot follow, say) comes as one of many exception types.
    except Exception as exc:
        problems.add(f"the recurring events cannot be expanded: {_clip(str(exc), 200)}")
        return []
    events = []
    for component in found:
        event = _event(component, zone, all_day_time, default_length, original_uid)
        if first <= event.start.date() <= last:
            events.append(event)
    return events


def _moment(component: Component, name: str) -> object:
    """The value of a date or date-time property (None when absent)."""
    return getattr(component.get(name), "dt", None)


def _local(moment: datetime, zone: ZoneInfo) -> datetime:
    """``moment`` as a naive wall-clock time in ``zone``; a naive (floating) time is already."""
    return moment if moment.tzinfo is None else moment.astimezone(zone).replace(tzinfo=None)


def _event(
    component: Component,
    zone: ZoneInfo,
    all_day_time: time,
    default_length: timedelta,
    original_uid: dict[str, str],
) -> CalendarEvent:
    begins = _moment(component, "DTSTART")
    ends = _moment(component, "DTEND")
    if isinstance(begins, datetime):
        start = _local(begins, zone)
        end = _local(ends, zone) if isinstance(ends, datetime) else start
        all_day = False
    elif isinstance(begins, date):
        start = datetime.combine(begins, all_day_time)
        end = start
        all_day = True
    else:  # every event was checked to have a DTSTART of a date or date-time
        raise TypeError(f"DTSTART {begins!r} is not a date or date-time")
    # recurring_ical_events gives an event without DTEND or DURATION an end equal to its start.
    if end <= start or all_day:
        end = start + default_length
    uid = str(component.get("UID", ""))
    return CalendarEvent(
        start=start,
        end=end,
        summary=str(component.get("SUMMARY", "")).strip(),
        location=str(component.get("LOCATION", "")).strip(),
        cancelled=str(component.get("STATUS", "")).strip().upper() == "CANCELLED",
        all_day=all_day,
        uid=original_uid.get(uid, uid),
    )


def _preference(event: CalendarEvent) -> tuple[bool, bool, str, datetime, str, str]:
    """Which of the events at one start time is kept: the first not cancelled, timed before
    all-day, then by UID (and the rest, so that the choice never depends on file order)."""
    return (event.cancelled, event.all_day, event.uid, event.end, event.summary, event.location)


def _merge(events: Sequence[CalendarEvent]) -> CalendarRead:
    kept: list[CalendarEvent] = []
    duplicates: list[CalendarEvent] = []
    for event in sorted(events, key=lambda e: (e.start, _preference(e))):
        if kept and kept[-1].start == event.start:
            duplicates.append(event)
        else:
            kept.append(event)
    return CalendarRead(tuple(kept), tuple(duplicates))
