"""Term dates a team imports (``lcpg terms import``): checking a file's terms and grouping them
into academic years. Pure: the formats' readers (``lcpg.workbook.terms`` for CSV,
``calendars.term_calendar`` for ``.ics``) give ``TermEntry`` values, each with where it is in
its file.

A term belongs to the academic year its first day falls in: 1 August to 31 July, so a term
starting in September 2026 is in ``2026/27``, one starting in January 2027 too. ``check_terms``
reports every problem together in one ``InputError`` (all or nothing): a term ending before it
starts, one outside the dates lcpg accepts (``lcpg.domain.dates``), one longer than
``MAX_TERM_DAYS``, one ending after the 31 July that closes its academic year, a name empty or
longer than ``MAX_NAME``, two terms of one year with the same name, and terms that overlap (or
repeat each other's dates). The days between a year's terms are its holidays, as for the
shipped files (``lcpg.domain.terms.school_holidays``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from lcpg.domain.dates import ACCEPTED, in_range
from lcpg.domain.terms import AcademicYear, Term
from lcpg.errors import InputError, InputProblem

MAX_TERM_DAYS = 120
"""The longest term accepted, first and last day included: an autumn term of a three-term year
(early September to just before Christmas) is about 110 days. Longer is a mistyped year."""
MAX_NAME = 200  # store.schema.SchoolTermRow.name


@dataclass(frozen=True)
class Fields:
    """What a format calls the name, first day and last day of a term, for messages, and what
    its last day is written as (``note``, added to a message about the last day)."""

    name: str
    start: str
    end: str
    note: str = ""


CSV_FIELDS = Fields("name", "start", "end")
ICS_FIELDS = Fields(
    "SUMMARY", "DTSTART", "DTEND", " (DTEND is the day after the last day, as RFC 5545 has it)"
)


@dataclass(frozen=True)
class TermEntry:
    """One term as a file gives it: ``start`` and ``end`` are its first and last days, ``row``
    the row (CSV, header = 1) or line (``.ics``) it is on."""

    name: str
    start: date
    end: date
    row: int | None


OUTSIDE = f"outside the dates lcpg accepts ({ACCEPTED})"


def academic_year_of(day: date) -> str:
    """The academic year ``day`` falls in, as ``"2026/27"``: it begins on 1 August."""
    first = day.year if day.month >= 8 else day.year - 1
    return f"{first}/{(first + 1) % 100:02d}"


def _year_end(label: str) -> date:
    return date(int(label[:4]) + 1, 7, 31)


def check_terms(
    entries: Sequence[TermEntry], fields: Fields, *, file: str, label: str, source: str
) -> tuple[AcademicYear, ...]:
    """The academic years ``entries`` describe, oldest first, each with its terms in date order
    and ``source`` as where its dates come from.

    Raises ``InputError`` for ``file`` listing every problem (see the module), each naming the
    file as ``label``; a file with no terms at all is one too.
    """
    problems: list[InputProblem] = []

    def problem(entry: TermEntry, field: str, message: str) -> None:
        problems.append(InputProblem(label, message, entry.row, field))

    if not entries:
        problems.append(InputProblem(label, "no terms in the file: nothing to import"))
    sound: list[TermEntry] = []
    for entry in entries:
        # (CSV cells are checked as they are read; a calendar's dates only here.)
        if not in_range(entry.start):
            problem(entry, fields.start, f"the term starts on {entry.start}, {OUTSIDE}")
            continue
        if not in_range(entry.end):
            problem(entry, fields.end, f"the term ends on {entry.end}, {OUTSIDE}{fields.note}")
            continue
        year = academic_year_of(entry.start)
        length = (entry.end - entry.start).days + 1
        if entry.end < entry.start:
            problem(
                entry,
                fields.end,
                f"the term ends ({entry.end}) before it starts ({entry.start}){fields.note}",
            )
        elif length > MAX_TERM_DAYS:
            problem(
                entry,
                fields.end,
                f"the term is {length} days long ({entry.start} to {entry.end}), more than "
                f"{MAX_TERM_DAYS}: is a year mistyped?{fields.note}",
            )
        elif entry.end > _year_end(year):
            problem(
                entry,
                fields.end,
                f"the term ends on {entry.end}, after 31 July that closes academic year {year} "
                f"(the year of its first day, {entry.start})",
            )
        else:
            sound.append(entry)
    names: dict[tuple[str, str], TermEntry] = {}
    for entry in entries:
        key = (academic_year_of(entry.start), entry.name.casefold())
        if not entry.name:
            problem(entry, fields.name, "a term needs a name")
        elif len(entry.name) > MAX_NAME:
            problem(entry, fields.name, f"a term's name is at most {MAX_NAME} characters long")
        elif key in names:
            problem(
                entry,
                fields.name,
                f"{entry.name!r} names two terms of {key[0]} (the other is on "
                f"{_where(names[key])})",
            )
        else:
            names[key] = entry
    ordered = sorted(sound, key=lambda e: (e.start, e.end, e.row or 0))
    # Each term against the one reaching furthest of those before it (a repeat is not one).
    latest: TermEntry | None = None
    for after in ordered:
        if latest is not None and (latest.start, latest.end) == (after.start, after.end):
            problem(after, fields.start, f"the same term as on {_where(latest)}")
            continue
        if latest is not None and after.start <= latest.end:
            problem(
                after,
                fields.start,
                f"the term ({after.start} to {after.end}) overlaps {latest.name!r} on "
                f"{_where(latest)} ({latest.start} to {latest.end})",
            )
        if latest is None or after.end > latest.end:
            latest = after
    if problems:
        raise InputError(file, sorted(problems, key=lambda p: (p.row is None, p.row or 0)))
    grouped: dict[str, list[Term]] = defaultdict(list)
    for entry in ordered:
        grouped[academic_year_of(entry.start)].append(Term(entry.name, entry.start, entry.end))
    return tuple(
        AcademicYear(year, source, tuple(terms)) for year, terms in sorted(grouped.items())
    )


def _where(entry: TermEntry) -> str:
    return "the same row" if entry.row is None else f"row {entry.row}"
