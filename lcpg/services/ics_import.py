"""``lcpg ics import``: record a body's meetings from a calendar export (Outlook, Google, Apple).

The file is read here; ``calendars.ics_import`` turns its bytes into events, and each event
becomes a meeting of the body, written through ``lcpg.services.register.write_incoming``: all of
the file or nothing, and importing the same file again changes nothing (meetings are matched by
body and start time, and keep their stored identity; an event carrying one of this register's
own UIDs is that meeting, wherever it has moved since).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import TYPE_CHECKING

from lcpg.bootstrap import App
from lcpg.domain.dates import FIRST_DATE, LAST_DATE
from lcpg.domain.model import Meeting, MeetingStatus, meeting_id_from_uid, meeting_identity
from lcpg.domain.register import Register
from lcpg.domain.wording import clock, plural
from lcpg.errors import InputError, InputProblem, NotFoundError
from lcpg.files import NotARegularFile, TooLarge, read_limited
from lcpg.services.register import WriteResult, load_register, write_incoming

if TYPE_CHECKING:
    from calendars.ics_import import CalendarEvent

# How far back and ahead of today a calendar is read: a decade of history is plenty for the
# cadence rules, and a calendar's open-ended series stop two years out rather than never.
YEARS_BACK = 10
YEARS_AHEAD = 2


@dataclass(frozen=True)
class CalendarImport:
    """What ``import_calendar`` did (or, with ``dry_run``, would do), for the command to say.

    ``events`` counts the events recorded (one per start time); ``all_day`` those of them that
    were all-day events, given ``all_day_time`` and ``default_minutes``; ``duplicates`` the
    events dropped because another started at the same time; ``cancelled`` the events recorded
    as cancelled; ``window`` the first and last day read (inclusive).
    """

    result: WriteResult
    events: int
    all_day: int
    duplicates: int
    cancelled: int
    window: tuple[date, date]
    all_day_time: time
    default_minutes: int

    @property
    def notes(self) -> tuple[str, ...]:
        """Sentences worth telling the user beside the changes: no events at all, all-day
        events given a time, duplicates merged, cancellations."""
        notes: list[str] = []
        first, last = self.window
        if self.events == 0:
            notes.append(
                f"no events in {self.result.source} between {first.isoformat()} and "
                f"{last.isoformat()}: nothing to record"
            )
        if self.all_day:
            notes.append(
                f"{plural(self.all_day, 'all-day event')} recorded at "
                f"{clock(self.all_day_time)} for {self.default_minutes} minutes"
            )
        if self.duplicates:
            were = "was" if self.duplicates == 1 else "were"
            notes.append(
                f"{plural(self.duplicates, 'duplicate event')} {were} merged "
                "(same start time as another event)"
            )
        if self.cancelled:
            notes.append(f"{plural(self.cancelled, 'cancelled event')} recorded as cancelled")
        return tuple(notes)


def import_calendar(
    app: App,
    path: Path,
    body: str,
    status: MeetingStatus | None,
    dry_run: bool,
    today: date,
) -> CalendarImport:
    """Record every event of the calendar file at ``path`` as a meeting of ``body``.

    Events from ``YEARS_BACK`` years before ``today`` to ``YEARS_AHEAD`` years after are read.
    An all-day event starts at the body's preferred time (else the blueprint's LCPG time); it,
    and an event without an end, lasts the blueprint's meeting length. Each meeting's status
    is ``cancelled`` for a cancelled event, else ``status`` when given, else ``held`` before
    ``today`` and ``planned`` from ``today`` on. A meeting already recorded at the same start
    keeps its identity and takes the file's end, venue and status. With ``dry_run`` nothing is
    written; the result says what would change.

    Raises ``InputError`` when the file is missing or unreadable or is not a calendar that can
    be read (every problem, see ``calendars.ics_import.read_calendar``), and ``NotFoundError``
    when ``body`` is not in the register; the database is then left as it was.
    """
    from calendars.ics_import import read_calendar

    source = str(path)
    data = read_calendar_file(path)
    register = load_register(app, attendance=False)
    found = register.body(body)
    if found is None:
        raise NotFoundError.body(body, (b.slug for b in register.bodies))
    blueprint = app.blueprint
    # Within the dates lcpg accepts: an event outside them is not read.
    window = (
        max(_years_after(today, -YEARS_BACK), FIRST_DATE),
        min(_years_after(today, YEARS_AHEAD), LAST_DATE),
    )
    all_day_time = found.preferred_time or blueprint.planning.lcpg.start_time
    minutes = blueprint.cadence.meeting_minutes
    read = read_calendar(data, source, blueprint.zone, window, all_day_time, minutes)
    ours = _our_meetings(read.events, register, body, blueprint.slug)
    meetings = tuple(
        Meeting(
            ours.get(event.uid) or meeting_identity(body, event.start),
            body,
            event.start,
            event.end,
            venue=event.location,
            status=_status(event.cancelled, event.start.date(), status, today),
        )
        for event in read.events
    )
    result = write_incoming(
        app,
        Register(meetings=meetings),
        source,
        dry_run=dry_run,
        identified=frozenset(ours.values()),
    )
    return CalendarImport(
        result=result,
        events=len(read.events),
        all_day=read.all_day,
        duplicates=len(read.duplicates),
        cancelled=sum(1 for event in read.events if event.cancelled),
        window=window,
        all_day_time=all_day_time,
        default_minutes=minutes,
    )


def _our_meetings(
    events: Sequence[CalendarEvent], register: Register, body: str, blueprint_slug: str
) -> dict[str, str]:
    """The stored meetings of ``body`` that events name by this register's own calendar UID
    (``meeting_uid``, as ``lcpg ics export`` and ``lcpg serve`` publish), by UID.

    Such an event is that meeting wherever it has moved since the calendar was saved, as a
    workbook row with an id is, so re-importing an old copy of a feed never duplicates a
    re-planned meeting. A UID shared by several events (a series) names no one meeting, and
    an event starting where another stored meeting of the body is stays matched by its start.
    """
    stored = {m.id: m for m in register.meetings_of(body)}
    taken = {m.start: m.id for m in stored.values()}
    shared = Counter(event.uid for event in events)
    found: dict[str, str] = {}
    for event in events:
        if "@" not in event.uid or shared[event.uid] > 1:
            continue
        try:
            identity = meeting_id_from_uid(event.uid, blueprint_slug)
        except ValueError:
            continue  # another calendar's UID: matched by start, as before
        if identity in stored and taken.get(event.start, identity) == identity:
            found[event.uid] = identity
    return found


def _status(cancelled: bool, day: date, given: MeetingStatus | None, today: date) -> MeetingStatus:
    if cancelled:
        return MeetingStatus.CANCELLED
    if given is not None:
        return given
    return MeetingStatus.HELD if day < today else MeetingStatus.PLANNED


def read_calendar_file(path: Path) -> bytes:
    """The bytes of the calendar file at ``path``, read in bounded memory and time.

    Raises ``InputError`` naming the path for a file that is missing, unreadable, a folder,
    not a regular file (``/dev/zero``, a pipe) or over ``MAX_BYTES``; at most ``MAX_BYTES``
    and one byte of it are read.
    """
    from calendars.ics_import import MAX_BYTES, too_large

    source = str(path)
    try:
        return read_limited(path, MAX_BYTES)
    except FileNotFoundError:
        message = "no such file"
    except IsADirectoryError:
        message = "is a folder, not a calendar file (.ics)"
    except NotARegularFile:
        message = "is not a regular file (a device or a pipe, say), not a calendar file (.ics)"
    except TooLarge as exc:
        message = too_large(exc.size)
    except OSError as exc:
        message = f"cannot be read ({exc.strerror or exc})"
    raise InputError(source, [InputProblem(source, message)])


def _years_after(day: date, years: int) -> date:
    """The same day ``years`` later (earlier when negative); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
