"""School term dates, and the school holidays between them, read from one TOML file a year.

A term-dates file (``lcpg/blueprints/terms/kent-2017-18.toml``) names its academic year, where its
dates come from, and its terms::

    academic_year = "2017/18"
    source = "Kent County Council, published school term dates 2017/18"
    terms = [
      { name = "Term 1", start = 2017-09-04, end = 2017-10-20 },
      ...
    ]

``load_academic_year(path)`` reads and validates one file, ``load_academic_years(paths)`` several.
Every mistake in a file is reported together in one ``BlueprintError``, each with the key that is
wrong, e.g. ``terms[3].end: 2018-01-01 is before the term starts (2018-01-04)``; lists are counted
from 1, as a reader counts the terms in the file.

``school_holidays(years)`` derives the holidays (half terms, Christmas, Easter, summer) as the
gaps between terms, and ``covered_spans(years)`` says which dates the years describe at all, so a
caller can tell "no school holiday on this date" from "school holidays unknown on this date".
``with_imported(shipped, imported)`` lets the years a team imported (``lcpg terms import``,
``lcpg.domain.term_import``) replace the shipped files' years of the same label. All are pure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Any

from lcpg.domain.policy_files import read_toml, validate
from lcpg.errors import BlueprintError

TERM_DATES = "term-dates file"

_CONFIG = {"extra": "forbid", "str_strip_whitespace": True}
_LABEL = re.compile(r"^(\d{4})/(\d{2})$")


class _TomlDate:
    """Marks a field that takes only a TOML date (``2017-09-04``): pydantic's lax validation would
    also take ``0`` as 1970-01-01, or a date-time, or a string. pydantic is imported only when a
    file is validated."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.date_schema(strict=True)


@dataclass(frozen=True)
class Term:
    """A school term from ``start`` to ``end``, both days included. Schools' own INSET days
    inside it are not recorded, so a school may be closed to pupils on a few of its days."""

    __pydantic_config__ = _CONFIG
    name: str
    start: Annotated[date, _TomlDate]
    end: Annotated[date, _TomlDate]


@dataclass(frozen=True)
class AcademicYear:
    """A validated academic year (``label`` like ``"2017/18"``) and its terms in date order.

    Build one with ``load_academic_year``: that guarantees at least one term, terms sorted and not
    overlapping, each ending on or after its start, the first starting in the label's first
    calendar year and the last ending in its second.
    """

    label: str
    source: str
    terms: tuple[Term, ...]
    path: str = field(default="", compare=False)

    @property
    def first_year(self) -> int:
        """The calendar year the academic year starts in: 2017 for ``"2017/18"``."""
        return int(self.label[:4])

    @property
    def start(self) -> date:
        """The first day of the first term."""
        return self.terms[0].start

    @property
    def end(self) -> date:
        """The last day of the last term."""
        return self.terms[-1].end


@dataclass(frozen=True)
class SchoolHoliday:
    """A school holiday from ``start`` to ``end``, both days included, e.g. the
    ``"October half term 2017"`` from 2017-10-21 to 2017-10-29. The range is in calendar days and
    so includes the weekends at either end."""

    start: date
    end: date
    name: str


@dataclass(frozen=True)
class _TermFile:
    """A term-dates file as written; its keys are the ones a file may use."""

    __pydantic_config__ = _CONFIG
    academic_year: str
    source: str
    terms: tuple[Term, ...]


def load_academic_year(path: Path) -> AcademicYear:
    """Read and validate the term-dates file at ``path``.

    Raises ``BlueprintError`` for ``path``, listing every problem with the key that is wrong,
    when the file is missing, is not UTF-8 TOML, has a missing or unknown key or a value of the
    wrong type, or describes an inconsistent year: a label not like ``"2017/18"``, no terms, a term
    ending before it starts, terms out of date order or overlapping, two terms with one name, or a
    first term that does not start in the label's first year or a last term that does not end in
    its second.
    """
    return parse_academic_year(read_toml(path, TERM_DATES), path)


def parse_academic_year(raw: dict[str, Any], path: Path) -> AcademicYear:
    """Validate an already-parsed term-dates document; see ``load_academic_year``."""
    parsed = validate(_TermFile, raw, path, TERM_DATES)
    problems = _consistency_problems(parsed)
    if problems:
        raise BlueprintError(path, problems, TERM_DATES)
    return AcademicYear(parsed.academic_year, parsed.source, parsed.terms, str(path))


def load_academic_years(paths: Iterable[Path]) -> tuple[AcademicYear, ...]:
    """Read and validate every file in ``paths``; return the years sorted by start date.

    Raises the ``BlueprintError`` of the first file that is not valid, or, when two years
    overlap (two files for one academic year, say), a ``BlueprintError`` for the later file that
    names both files.
    """
    years = sorted((load_academic_year(path) for path in paths), key=lambda year: year.start)
    for earlier, later in pairwise(years):
        if later.start <= earlier.end:
            raise BlueprintError(
                Path(later.path),
                [
                    f"academic_year: {later.label} ({later.start} to {later.end}) overlaps "
                    f"{earlier.label} ({earlier.start} to {earlier.end}) in {earlier.path}"
                ],
                TERM_DATES,
            )
    return tuple(years)


def school_holidays(years: Sequence[AcademicYear]) -> tuple[SchoolHoliday, ...]:
    """The school holidays the given years describe, sorted by start.

    Within a year, each gap between consecutive terms is a holiday, from the day after one term
    ends to the day before the next starts, named by the month it starts in: September to
    November ``"October half term 2017"``, December and January ``"Christmas holidays 2017/18"``,
    February ``"February half term 2018"``, March and April ``"Easter holidays 2018"``, May and
    June ``"May half term 2018"``, July and August ``"Summer holidays 2018"``. A gap with no
    weekday in it (a term ending on a Friday, the next starting on the Monday) is no holiday.
    Between two consecutive academic years (``2017/18`` then ``2018/19``) the gap from the last
    term of one to the first term of the next is ``"Summer holidays 2018"``. Nothing is said
    before the first year, after the last, or between two years that are not consecutive (see
    ``covered_spans``).

    ``years`` may come in any order but must not overlap (``load_academic_years`` ensures it);
    raises ``ValueError`` if they do.
    """
    ordered = sorted(years, key=lambda year: year.start)
    holidays: list[SchoolHoliday] = []
    for index, year in enumerate(ordered):
        for before, after in pairwise(year.terms):
            holiday = _gap(before.end, after.start)
            if holiday is not None:
                holidays.append(SchoolHoliday(*holiday, _name_for(holiday[0])))
        if index + 1 < len(ordered):
            following = ordered[index + 1]
            if following.start <= year.end:
                raise ValueError(f"academic years {year.label} and {following.label} overlap")
            holiday = _gap(year.end, following.start)
            if following.first_year == year.first_year + 1 and holiday is not None:
                holidays.append(SchoolHoliday(*holiday, f"Summer holidays {holiday[0].year}"))
    return tuple(sorted(holidays, key=lambda holiday: holiday.start))


def covered_spans(years: Sequence[AcademicYear]) -> tuple[tuple[date, date], ...]:
    """The spans of dates the years describe, oldest first: each from the first day of a year's
    first term to the last day of its last, joined with the next year's when that is the
    following academic year (the summer holidays between them are known). Empty for no years.

    Outside these spans school holidays are unknown; inside them, a date in no
    ``SchoolHoliday`` is a term date. ``years`` must not overlap.
    """
    spans: list[tuple[date, date]] = []
    previous: AcademicYear | None = None
    for year in sorted(years, key=lambda y: y.start):
        if spans and previous is not None and year.first_year == previous.first_year + 1:
            spans[-1] = (spans[-1][0], year.end)
        else:
            spans.append((year.start, year.end))
        previous = year
    return tuple(spans)


def with_imported(
    shipped: Sequence[AcademicYear], imported: Sequence[AcademicYear]
) -> tuple[AcademicYear, ...]:
    """The years the planner uses, sorted by start: every imported year, and each shipped year
    no imported year has the label of (the team's dates for a year replace the shipped ones
    whole, so the days between its terms are its holidays)."""
    replaced = {year.label for year in imported}
    kept = [year for year in shipped if year.label not in replaced]
    return tuple(sorted([*kept, *imported], key=lambda year: year.start))


def _gap(last_day: date, next_first_day: date) -> tuple[date, date] | None:
    """The days strictly between two term days, if they include a weekday."""
    start, end = last_day + timedelta(days=1), next_first_day - timedelta(days=1)
    days = (start + timedelta(days=n) for n in range((end - start).days + 1))
    return (start, end) if any(day.weekday() < 5 for day in days) else None


def _name_for(start: date) -> str:
    """The usual English name of a holiday within an academic year, from its first day."""
    month, year = start.month, start.year
    if month in (9, 10, 11):
        return f"October half term {year}"
    if month in (12, 1):
        first = year if month == 12 else year - 1
        return f"Christmas holidays {first}/{(first + 1) % 100:02d}"
    if month == 2:
        return f"February half term {year}"
    if month in (3, 4):
        return f"Easter holidays {year}"
    if month in (5, 6):
        return f"May half term {year}"
    return f"Summer holidays {year}"


def _order_problems(terms: Sequence[Term]) -> list[str]:
    """A problem for each term of ``terms`` (numbered from 1, as in the file) that starts
    before the one listed before it, or overlaps it."""
    problems: list[str] = []
    for number, (before, after) in enumerate(pairwise(terms), start=2):
        if after.start < before.start:
            problems.append(
                f"terms[{number}].start: {after.start} is before terms[{number - 1}] starts "
                f"({before.start}); list the terms in date order"
            )
        elif after.start <= before.end:
            problems.append(
                f"terms[{number}].start: {after.start} overlaps terms[{number - 1}], "
                f"which ends {before.end}"
            )
    return problems


def _consistency_problems(parsed: _TermFile) -> list[str]:
    """Every way ``parsed`` (valid field by field) is inconsistent as a whole, as ``key:
    message`` lines: source, academic year, term names and dates, their order, and the years
    the first and last term fall in."""
    problems: list[str] = []
    if not parsed.source:
        problems.append("source: must not be empty")

    first_year: int | None = None
    match = _LABEL.match(parsed.academic_year)
    if match is None:
        problems.append(
            f"academic_year: {parsed.academic_year!r} is not an academic year like '2017/18'"
        )
    elif int(match[2]) != (int(match[1]) + 1) % 100:
        expected = f"{match[1]}/{(int(match[1]) + 1) % 100:02d}"
        problems.append(
            f"academic_year: {parsed.academic_year!r} does not name two consecutive years "
            f"(did you mean {expected!r}?)"
        )
    else:
        first_year = int(match[1])

    terms = parsed.terms
    if not terms:
        problems.append("terms: at least one term is needed")
        return problems

    seen: set[str] = set()
    for number, term in enumerate(terms, start=1):
        if not term.name:
            problems.append(f"terms[{number}].name: must not be empty")
        elif term.name in seen:
            problems.append(f"terms[{number}].name: {term.name!r} is used twice")
        seen.add(term.name)
        if term.end < term.start:
            problems.append(
                f"terms[{number}].end: {term.end} is before the term starts ({term.start})"
            )
    problems.extend(_order_problems(terms))

    if first_year is not None:
        label = parsed.academic_year
        if terms[0].start.year != first_year:
            problems.append(
                f"terms[1].start: {terms[0].start} is not in {first_year}, the first year of "
                f"academic_year {label!r}"
            )
        if terms[-1].end.year != first_year + 1:
            problems.append(
                f"terms[{len(terms)}].end: {terms[-1].end} is not in {first_year + 1}, the second "
                f"year of academic_year {label!r}"
            )
    return problems
