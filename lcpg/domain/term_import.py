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
    if not entries:
        problems.append(InputProblem(label, "no terms in the file: nothing to import"))
    sound: list[TermEntry] = []
    for entry in entries:
        wrong = _date_problem(entry, fields)
        if wrong is None:
            sound.append(entry)
        else:
            field, message = wrong
            problems.append(InputProblem(label, message, entry.row, field))
    problems.extend(_name_problems(entries, fields, label))
    ordered = sorted(sound, key=lambda e: (e.start, e.end, e.row or 0))
    problems.extend(_overlap_problems(ordered, fields, label))
    if problems:
        raise InputError(file, sorted(problems, key=lambda p: (p.row is None, p.row or 0)))
    grouped: dict[str, list[Term]] = defaultdict(list)
    for entry in ordered:
        grouped[academic_year_of(entry.start)].append(Term(entry.name, entry.start, entry.end))
    return tuple(
        AcademicYear(year, source, tuple(terms)) for year, terms in sorted(grouped.items())
    )


def _date_problem(entry: TermEntry, fields: Fields) -> tuple[str, str] | None:
    """The field and message of the first thing wrong with ``entry``'s dates (outside the
    dates accepted, ending before it starts, too long, ending after its academic year), or
    None when they are sound. Only a term with sound dates is checked for overlaps."""
    # (CSV cells are checked as they are read; a calendar's dates only here.)
    if not in_range(entry.start):
        return fields.start, f"the term starts on {entry.start}, {OUTSIDE}"
    if not in_range(entry.end):
        return fields.end, f"the term ends on {entry.end}, {OUTSIDE}{fields.note}"
    year = academic_year_of(entry.start)
    length = (entry.end - entry.start).days + 1
    if entry.end < entry.start:
        return (
            fields.end,
            f"the term ends ({entry.end}) before it starts ({entry.start}){fields.note}",
        )
    if length > MAX_TERM_DAYS:
        return (
            fields.end,
            f"the term is {length} days long ({entry.start} to {entry.end}), more than "
            f"{MAX_TERM_DAYS}: is a year mistyped?{fields.note}",
        )
    if entry.end > _year_end(year):
        return (
            fields.end,
            f"the term ends on {entry.end}, after 31 July that closes academic year {year} "
            f"(the year of its first day, {entry.start})",
        )
    return None


def _name_problems(entries: Sequence[TermEntry], fields: Fields, label: str) -> list[InputProblem]:
    """A problem, in ``entries``' order, for each term whose name is empty, too long, or the
    same (ignoring case) as an earlier term's of the same academic year; ``label`` names the
    file."""
    problems: list[InputProblem] = []
    names: dict[tuple[str, str], TermEntry] = {}
    for entry in entries:
        key = (academic_year_of(entry.start), entry.name.casefold())
        if not entry.name:
            message = "a term needs a name"
        elif len(entry.name) > MAX_NAME:
            message = f"a term's name is at most {MAX_NAME} characters long"
        elif key in names:
            message = (
                f"{entry.name!r} names two terms of {key[0]} (the other is on {_where(names[key])})"
            )
        else:
            names[key] = entry
            continue
        problems.append(InputProblem(label, message, entry.row, fields.name))
    return problems


def _overlap_problems(
    ordered: Sequence[TermEntry], fields: Fields, label: str
) -> list[InputProblem]:
    """A problem for each term of ``ordered`` (sorted by start, end and row) that repeats or
    overlaps one before it; ``label`` names the file."""
    problems: list[InputProblem] = []
    # Each term against the one reaching furthest of those before it (a repeat is not one).
    latest: TermEntry | None = None
    for after in ordered:
        if latest is not None and (latest.start, latest.end) == (after.start, after.end):
            message = f"the same term as on {_where(latest)}"
            problems.append(InputProblem(label, message, after.row, fields.start))
            continue
        if latest is not None and after.start <= latest.end:
            message = (
                f"the term ({after.start} to {after.end}) overlaps {latest.name!r} on "
                f"{_where(latest)} ({latest.start} to {latest.end})"
            )
            problems.append(InputProblem(label, message, after.row, fields.start))
        if latest is None or after.end > latest.end:
            latest = after
    return problems


def _where(entry: TermEntry) -> str:
    return "the same row" if entry.row is None else f"row {entry.row}"
