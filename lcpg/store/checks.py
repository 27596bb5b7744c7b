"""Recorded compliance checks: stored as run, compared and reproduced later."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lcpg.store.schema import CheckFindingRow, CheckRunRow
from rules.findings import Finding, Report, Severity

MAX_ID = 2**63 - 1
"""The largest id any register can hold (a 64-bit integer, in SQLite and PostgreSQL alike)."""


@dataclass(frozen=True)
class RecordedRun:
    """A recorded check: its id, as-of date, when it was recorded, and its finding counts."""

    id: int
    as_of: date
    recorded_at: datetime
    blueprint: str
    counts: Mapping[str, int]


class ChecksRepository(Protocol):
    """Recorded compliance checks."""

    def record(self, report: Report, recorded_at: datetime) -> int:
        """Store ``report`` as a check run; its id."""
        ...

    def runs(self) -> list[RecordedRun]:
        """Every recorded check, newest as-of date first, with counts by severity."""
        ...

    def report(self, run_id: int, bodies: Mapping[str, str]) -> Report | None:
        """Recorded check ``run_id`` as it was recorded, or None."""
        ...

    def previous(self, before: date, bodies: Mapping[str, str]) -> tuple[int, Report] | None:
        """The latest recorded check as of a date before ``before``, with its id, or None."""
        ...


class SqlChecksRepository:
    """Recorded checks in the unit of work's transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def record(self, report: Report, recorded_at: datetime) -> int:
        """Store ``report`` as a check run; return its id."""
        run = CheckRunRow(as_of=report.as_of, recorded_at=recorded_at, blueprint=report.blueprint)
        self._session.add(run)
        self._session.flush()
        self._session.add_all(
            CheckFindingRow(
                run_id=run.id,
                rule=f.rule,
                severity=f.severity.value,
                body=f.body,
                subject=f.subject,
                message=f.message,
                clause=f.clause,
                evidence=json.dumps(f.evidence, sort_keys=True),
            )
            for f in report.findings
        )
        self._session.flush()
        return run.id

    def runs(self) -> list[RecordedRun]:
        """Every recorded check, newest as-of date first, with counts by severity."""
        counts: dict[int, dict[str, int]] = {}
        for run_id, severity, number in self._session.execute(
            select(CheckFindingRow.run_id, CheckFindingRow.severity, func.count()).group_by(
                CheckFindingRow.run_id, CheckFindingRow.severity
            )
        ):
            counts.setdefault(run_id, {})[severity] = number
        return [
            RecordedRun(run.id, run.as_of, run.recorded_at, run.blueprint, counts.get(run.id, {}))
            for run in self._session.scalars(
                select(CheckRunRow).order_by(CheckRunRow.as_of.desc(), CheckRunRow.id.desc())
            )
        ]

    def report(self, run_id: int, bodies: Mapping[str, str]) -> Report | None:
        """The report of recorded check ``run_id`` exactly as it was recorded, or None (also for
        an id no database can hold, which SQLite's driver could not even send)."""
        if not 0 < run_id <= MAX_ID:
            return None
        run = self._session.get(CheckRunRow, run_id)
        return None if run is None else self._report_of(run, bodies)

    def previous(self, before: date, bodies: Mapping[str, str]) -> tuple[int, Report] | None:
        """The latest recorded check as of a date before ``before`` (the latest recorded, when
        several share that date) with its id, or None. ``bodies`` names the bodies for the
        report."""
        run = self._session.scalars(
            select(CheckRunRow)
            .where(CheckRunRow.as_of < before)
            .order_by(CheckRunRow.as_of.desc(), CheckRunRow.id.desc())
            .limit(1)
        ).one_or_none()
        return None if run is None else (run.id, self._report_of(run, bodies))

    def _report_of(self, run: CheckRunRow, bodies: Mapping[str, str]) -> Report:
        rows = self._session.scalars(
            select(CheckFindingRow)
            .where(CheckFindingRow.run_id == run.id)
            .order_by(CheckFindingRow.id)
        )
        findings = tuple(
            Finding(
                r.rule,
                Severity(r.severity),
                r.body,
                r.subject,
                r.message,
                r.clause,
                json.loads(r.evidence),
            )
            for r in rows
        )
        return Report(run.as_of, run.blueprint, findings, bodies)
