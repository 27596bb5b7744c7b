"""School term dates from an iCalendar file, as schools publish them: the pure half of
``lcpg terms import FILE.ics``.

Each all-day VEVENT is one term: SUMMARY its name, DTSTART its first day, and DTEND the day
after its last (DTEND is exclusive, RFC 5545 3.6.1). The file is read and checked by
``calendars.ics_import`` (the same checks as ``lcpg ics import``); here an event is refused,
naming its line, when it is timed (a term is whole days), recurring (a term happens once), or
lacks DTSTART or DTEND. Checking the terms against each other is ``lcpg.domain.term_import``'s.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from calendars.ics_import import read_dated_events
from lcpg.domain.term_import import ICS_FIELDS, TermEntry
from lcpg.errors import InputError, InputProblem


def read_term_calendar(data: bytes, source: str) -> list[TermEntry]:
    """The terms of the iCalendar file ``data``, in file order.

    Raises ``InputError`` for ``source`` listing every problem: those ``read_dated_events``
    finds, and each event that is timed, recurring, or without DTSTART or DTEND.
    """
    problems: list[InputProblem] = []
    entries: list[TermEntry] = []
    for event in read_dated_events(data, source):
        what = f"the event {event.summary!r}" if event.summary else "an event"
        found = len(problems)

        def refuse(field: str, message: str, line: int | None = event.line) -> None:
            problems.append(InputProblem(source, message, line, field))

        if event.recurring:
            refuse(
                "RRULE",
                f"{what} repeats (RRULE, RDATE or RECURRENCE-ID): each term must be one "
                "all-day event",
            )
        if event.start is None:
            refuse(ICS_FIELDS.start, f"{what} has no DTSTART (first day of the term)")
        elif isinstance(event.start, datetime):
            refuse(
                ICS_FIELDS.start,
                f"{what} is timed ({event.start:%Y-%m-%d %H:%M}): a term is an all-day event "
                "(DTSTART;VALUE=DATE)",
            )
        if event.end is None:
            refuse(ICS_FIELDS.end, f"{what} has no DTEND (the day after the term's last day)")
        elif isinstance(event.end, datetime) and not isinstance(event.start, datetime):
            refuse(ICS_FIELDS.end, f"{what} ends at a time: DTEND must be a date, as DTSTART is")
        if len(problems) > found or event.start is None or event.end is None:
            continue
        # The first day Python has (0001-01-01) has no day before; ``check_terms`` refuses
        # that date as outside the range lcpg accepts.
        last = event.end - timedelta(days=1) if event.end > date.min else event.end
        entries.append(TermEntry(event.summary, event.start, last, event.line))
    if problems:
        raise InputError(source, problems)
    return entries
