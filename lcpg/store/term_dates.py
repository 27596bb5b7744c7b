"""Imported school term dates in the database (table ``school_terms``): read them by academic
year, and replace whole academic years in the caller's transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from lcpg.domain.terms import AcademicYear, Term
from lcpg.store.schema import SchoolTermRow


@dataclass(frozen=True)
class StoredYear:
    """An imported academic year, with when it was imported (UTC, naive)."""

    year: AcademicYear
    imported_at: datetime


def load_imported_years(session: Session) -> tuple[StoredYear, ...]:
    """Every imported academic year, oldest first, its terms in date order."""
    rows = session.scalars(select(SchoolTermRow).order_by(SchoolTermRow.start)).all()
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


def replace_years(session: Session, years: Sequence[AcademicYear], now: datetime) -> None:
    """Store ``years``, each replacing whatever was imported for its academic year before.
    Flushes; the caller commits."""
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
