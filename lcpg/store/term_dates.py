"""Imported school term dates in the database (table ``school_terms``): read them by academic
year, and replace whole academic years in the caller's transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from lcpg.domain.terms import AcademicYear, Term
from lcpg.store.schema import SchoolTermRow


@dataclass(frozen=True)
class StoredYear:
    """An imported academic year, with when it was imported (UTC, naive)."""

    year: AcademicYear
    imported_at: datetime


class TermDatesRepository(Protocol):
    """Imported school term dates, by academic year."""

    def imported_years(self) -> tuple[StoredYear, ...]:
        """Every imported academic year, oldest first, its terms in date order."""
        ...

    def replace_years(self, years: Sequence[AcademicYear], now: datetime) -> None:
        """Store ``years``, each replacing what was imported for its academic year before."""
        ...


class SqlTermDatesRepository:
    """Imported term dates in the unit of work's transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def imported_years(self) -> tuple[StoredYear, ...]:
        """Every imported academic year, oldest first, its terms in date order."""
        return _years(
            self._session.scalars(select(SchoolTermRow).order_by(SchoolTermRow.start)).all()
        )

    def replace_years(self, years: Sequence[AcademicYear], now: datetime) -> None:
        """Store ``years``, each replacing whatever was imported for its academic year before.
        Flushes; the caller commits."""
        _replace_years(self._session, years, now)


def _years(rows: Sequence[SchoolTermRow]) -> tuple[StoredYear, ...]:
    grouped: dict[str, list[SchoolTermRow]] = defaultdict(list)
    for row in rows:
        grouped[row.academic_year].append(row)
    return tuple(
        StoredYear(
            AcademicYear(
                label, terms[0].source, tuple(Term(t.name, t.start, t.end) for t in terms)
            ),
            max(t.imported_at for t in terms),
        )
        for label, terms in sorted(grouped.items())
    )


def _replace_years(session: Session, years: Sequence[AcademicYear], now: datetime) -> None:
    labels = [year.label for year in years]
    session.execute(delete(SchoolTermRow).where(SchoolTermRow.academic_year.in_(labels)))
    session.flush()  # the old rows go before the new ones take their unique start days
    session.add_all(
        SchoolTermRow(
            academic_year=year.label,
            name=term.name,
            start=term.start,
            end=term.end,
            source=year.source,
            imported_at=now,
        )
        for year in years
        for term in year.terms
    )
    session.flush()
