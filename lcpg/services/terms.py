"""``lcpg terms import`` and ``lcpg terms list``: the school term dates the planner uses.

Two places hold term dates: the blueprint's shipped term-date files (``lcpg/blueprints/terms/``,
read by ``lcpg.domain.terms``) and the team's imports, kept in the database
(``lcpg.store.term_dates``) so that every command and every machine sharing the database sees them.
An imported academic year replaces the shipped year of the same label whole: the team's dates for a
year are the dates, and the days between its terms are its holidays
(``lcpg.domain.terms.with_imported``).

An import reads an ``.ics`` calendar (``calendars.term_calendar``) or a ``name,start,end`` CSV file
(``lcpg.workbook.terms``), checks every term (``lcpg.domain.term_import``), and stores all its years
in one transaction or nothing. A year whose terms are already stored as they are in the file is left
alone, so importing the same file twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from lcpg.bootstrap import App
from lcpg.domain.blueprint import Blueprint
from lcpg.domain.terms import AcademicYear
from lcpg.errors import InputError, InputProblem


class Origin(StrEnum):
    """Where an academic year's dates come from."""

    SHIPPED = "shipped"  # a term-date file the blueprint names
    IMPORTED = "imported"  # lcpg terms import, in the database


@dataclass(frozen=True)
class YearChange:
    """What an import does to one academic year: ``"added"`` (no dates were imported for it
    before), ``"replaced"`` (other imported dates were) or ``"unchanged"``; ``shipped`` names
    the shipped file whose dates it overrides, if any."""

    year: AcademicYear
    change: str
    shipped: str | None


@dataclass(frozen=True)
class TermsImport:
    """What ``import_terms`` did, or with ``dry_run`` would do, year by year."""

    source: str
    changes: tuple[YearChange, ...]
    dry_run: bool

    @property
    def changed(self) -> bool:
        return any(c.change != "unchanged" for c in self.changes)


def read_term_file(path: Path) -> tuple[AcademicYear, ...]:
    """The academic years in the ``.ics`` or ``.csv`` file at ``path``, checked.

    Raises ``InputError`` listing every problem, with the file and the row (CSV) or line
    (``.ics``) and the column or property of each.
    """
    from lcpg.domain.term_import import CSV_FIELDS, ICS_FIELDS, check_terms

    source = str(path)
    suffix = path.suffix.lower()
    if suffix == ".ics":
        from calendars.term_calendar import read_term_calendar
        from lcpg.services.ics_import import read_calendar_file

        entries = read_term_calendar(read_calendar_file(path), source)
        return check_terms(
            entries, ICS_FIELDS, file=source, label=source, source=_source_text(path)
        )
    if suffix == ".csv":
        from lcpg.workbook.tables import read_csv_table
        from lcpg.workbook.terms import TERMS, terms_from_table

        table = read_csv_table(path, TERMS)
        entries = terms_from_table(table, source)
        return check_terms(
            entries, CSV_FIELDS, file=source, label=table.label, source=_source_text(path)
        )
    message = (
        f"expected an .ics calendar (each all-day event one term) or a .csv file with the "
        f"header name,start,end; {path.name!r} is neither"
    )
    raise InputError(source, [InputProblem(source, message)])


def _source_text(path: Path) -> str:
    return f"imported from {path.name}"


def import_terms(app: App, path: Path, dry_run: bool) -> TermsImport:
    """Store the academic years of the file at ``path`` (see the module), or with ``dry_run``
    only say what would change. Raises ``InputError`` for a bad file; nothing is written."""
    years = read_term_file(path)
    shipped = {y.label: Path(y.path).name for y in shipped_years(app.blueprint)}
    with app.unit_of_work(write=not dry_run) as uow:
        stored = {s.year.label: s.year for s in uow.term_dates.imported_years()}
        changes = tuple(
            YearChange(year, _change(year, stored.get(year.label)), shipped.get(year.label))
            for year in years
        )
        to_write = [c.year for c in changes if c.change != "unchanged"]
        if to_write and not dry_run:
            uow.term_dates.replace_years(to_write, app.utc_now())
            uow.commit()
    return TermsImport(str(path), changes, dry_run)


def _change(year: AcademicYear, stored: AcademicYear | None) -> str:
    if stored is None:
        return "added"
    return "unchanged" if stored.terms == year.terms else "replaced"


def shipped_years(blueprint: Blueprint) -> tuple[AcademicYear, ...]:
    """The academic years of the blueprint's term-date files. Raises ``BlueprintError``."""
    from lcpg.domain.terms import load_academic_years

    return load_academic_years(blueprint.term_date_paths)


def imported_years(app: App) -> tuple[AcademicYear, ...]:
    """The academic years the team imported, oldest first."""
    with app.unit_of_work() as uow:
        return tuple(s.year for s in uow.term_dates.imported_years())


@dataclass(frozen=True)
class YearListing:
    """One academic year the planner uses, and where its dates come from."""

    label: str
    start: date
    end: date
    terms: int
    origin: Origin
    source: str
    overrides: str | None


def list_years(app: App) -> list[YearListing]:
    """Every academic year the planner uses, oldest first: the imported ones, and the shipped
    ones no import replaces."""
    from lcpg.domain.terms import with_imported

    shipped = shipped_years(app.blueprint)
    imported = imported_years(app)
    files = {y.label: Path(y.path).name for y in shipped}
    labels = {y.label for y in imported}
    return [
        YearListing(
            y.label,
            y.start,
            y.end,
            len(y.terms),
            Origin.IMPORTED if y.label in labels else Origin.SHIPPED,
            y.source if y.label in labels else f"{y.source} ({files[y.label]})",
            files.get(y.label) if y.label in labels else None,
        )
        for y in with_imported(shipped, imported)
    ]
