"""The view models every page and message shares: a finding, a meeting and a district row.

The dashboard (``lcpg.services.dashboard``, ``lcpg/web``), the weekly e-mails
(``lcpg.notify.compose``) and the HTML report (``rules.reporters.html_report``) show
findings and districts; they build these records here, so a finding or a district reads the
same everywhere and a new field is added once. Pure: a register, its blueprint and the
check's report in, frozen records out; the templates only print them.

``FindingView`` is one finding with its body's name, its severity's label, its evidence as
text and whether it is new since the last recorded check. ``DistrictRow`` is one district
against the rules (how often its LCPG met, the core sectors and roles it lacks, its next
meeting, the attendance of its core sectors, its finding counts), built by
``DistrictViews.row``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from lcpg.domain.blueprint import Blueprint
from lcpg.domain.model import AttendanceStatus, Body, Meeting, MeetingStatus
from lcpg.domain.register import Register
from rules.context import CheckContext
from rules.findings import Finding, Report, Severity
from rules.reporters.json_report import json_default
from rules.reporters.wording import SEVERITY_LABELS
from rules.standing import cadence_words, district_name, missing_sectors, vacant_roles
from rules.text import subject

__all__ = [
    "AttendanceShare",
    "DistrictRow",
    "DistrictViews",
    "Evidence",
    "FindingView",
    "MeetingAttendance",
    "MeetingView",
    "finding_view",
    "value_text",
]

CAME = (AttendanceStatus.PRESENT, AttendanceStatus.REPRESENTED)


@dataclass(frozen=True)
class Evidence:
    """One term of a finding's evidence, both sides already text."""

    term: str
    value: str


@dataclass(frozen=True)
class FindingView:
    """One finding as pages and messages show it. ``body`` is its body's slug and
    ``body_name`` its name; ``new`` when the last recorded check did not have it."""

    severity: Severity
    rule: str
    body: str
    body_name: str
    subject: str
    message: str
    clause: str
    evidence: tuple[Evidence, ...]
    new: bool = False

    @property
    def label(self) -> str:
        """The severity as a word: ``Error``, ``Warning``, ``Info``."""
        return SEVERITY_LABELS[self.severity]

    @property
    def anchor(self) -> str:
        """A stable HTML id for linking to the finding, from its rule and subject."""
        key = f"{self.rule}-{self.subject}" if self.subject else self.rule
        return "finding-" + re.sub(r"[^A-Za-z0-9.-]+", "-", key)


def value_text(value: Any) -> str:
    """Evidence values for a reader: lists as ``police, housing``, yes/no for booleans."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "none"
    if isinstance(value, list | tuple):
        return ", ".join(value_text(v) for v in value) or "none"
    if isinstance(value, Mapping):
        return json.dumps(dict(value), ensure_ascii=False, default=json_default)
    if isinstance(value, str | int | float):
        return str(value)
    return json_default(value)


def finding_view(finding: Finding, body_name: str, *, new: bool = False) -> FindingView:
    """``finding`` as a view; ``body_name`` names its body."""
    return FindingView(
        severity=finding.severity,
        rule=finding.rule,
        body=finding.body,
        body_name=body_name,
        subject=finding.subject,
        message=finding.message,
        clause=finding.clause,
        evidence=tuple(
            Evidence(str(k).replace("_", " "), value_text(v)) for k, v in finding.evidence.items()
        ),
        new=new,
    )


@dataclass(frozen=True)
class MeetingAttendance:
    """Who came to one held meeting: ``covered`` of the ``expected`` core sectors were present
    or represented (``missing`` names the rest); ``people`` came or sent a representative."""

    covered: int
    expected: int
    missing: tuple[str, ...]
    people: int


@dataclass(frozen=True)
class MeetingView:
    """One meeting. ``attendance`` for a held meeting with attendance recorded (else None);
    ``findings`` are those about this very meeting."""

    start: datetime
    end: datetime
    venue: str
    status: MeetingStatus
    attendance: MeetingAttendance | None = None
    findings: tuple[FindingView, ...] = ()


@dataclass(frozen=True)
class AttendanceShare:
    """Core sectors present or represented, summed over the held meetings of the last 12 months
    that have attendance recorded: ``covered`` of ``expected`` places, over ``meetings``."""

    covered: int
    expected: int
    meetings: int

    @property
    def percent(self) -> str | None:
        """``"92%"``, rounded down (so 100% means every sector at every meeting); None when no
        attendance was recorded."""
        if not self.expected:
            return None
        return f"{self.covered * 100 // self.expected}%"


@dataclass(frozen=True)
class DistrictRow:
    """One district against the rules as of the check's date.

    ``slug`` is the district's (``gravesham``), ``body`` its LCPG's. ``cadence`` says how often
    the LCPG met in the last 12 months (``"quarterly"``, ``"every two months"``, ...): what the
    ``cadence.bimonthly`` finding detected, with its severity in ``cadence_severity``; without
    a finding, what the ``held`` meetings show; with none held, ``"no meetings held"``. Sectors
    and roles are names; a role needed more than once (a Local HWB link per linked board) that
    is only partly filled reads ``"Local HWB Link (1 of 2)"``.
    """

    slug: str
    name: str
    body: str
    cadence: str
    cadence_severity: Severity | None
    held: int
    core_sectors_missing: tuple[str, ...]
    roles_vacant: tuple[str, ...]
    next_meeting: MeetingView | None
    attendance: AttendanceShare
    errors: int
    warnings: int
    infos: int


class DistrictViews:
    """The views of one check: ``report`` of ``register`` under ``blueprint``. Bodies are
    named from ``names`` when given (slug to name), else from the register."""

    def __init__(
        self,
        register: Register,
        blueprint: Blueprint,
        report: Report,
        names: Mapping[str, str] | None = None,
    ) -> None:
        self.register = register
        self.blueprint = blueprint
        self.report = report
        self.today = report.as_of
        # The rules' own view of the register (the 12-month period, indexes), so the views
        # count exactly what the check counted.
        self.context = CheckContext(register, blueprint, report.as_of)
        self.names = names if names is not None else {b.slug: b.name for b in register.bodies}
        self._core = len(blueprint.core_sector_slugs)

    def finding(self, finding: Finding, *, new: bool = False) -> FindingView:
        return finding_view(finding, self.names.get(finding.body, finding.body), new=new)

    def findings_of(self, body: str) -> list[Finding]:
        return [f for f in self.report.findings if f.body == body]

    def row(self, body: Body) -> DistrictRow:
        """``body`` (an LCPG) as its district's row."""
        findings = self.findings_of(body.slug)
        held = [
            m
            for m in self.register.meetings_of(body.slug)
            if self.context.in_window(m.start) and m.status is MeetingStatus.HELD
        ]
        cadence, cadence_severity = cadence_words(
            self.register, body.slug, findings, (self.context.window_start, self.today)
        )
        upcoming = next(
            (
                m
                for m in self.register.meetings_of(body.slug)
                if m.start.date() >= self.today
                and m.status not in (MeetingStatus.HELD, MeetingStatus.CANCELLED)
            ),
            None,
        )
        return DistrictRow(
            slug=body.district or body.slug,
            name=district_name(self.blueprint, body),
            body=body.slug,
            cadence=cadence,
            cadence_severity=cadence_severity,
            held=len(held),
            core_sectors_missing=missing_sectors(
                self.register, self.blueprint, body.slug, self.today
            ),
            roles_vacant=vacant_roles(self.register, self.blueprint, body, self.today),
            next_meeting=self.meeting(upcoming) if upcoming else None,
            attendance=self._attendance_share(held),
            errors=sum(1 for f in findings if f.severity is Severity.ERROR),
            warnings=sum(1 for f in findings if f.severity is Severity.WARNING),
            infos=sum(1 for f in findings if f.severity is Severity.INFO),
        )

    def meeting(
        self, meeting: Meeting, by_subject: Mapping[str, Iterable[FindingView]] | None = None
    ) -> MeetingView:
        """``meeting`` as a view, with its attendance when held and recorded, and the findings
        of ``by_subject`` (finding views by subject) about it."""
        attendance = None
        if meeting.status is MeetingStatus.HELD:
            found = self._covered(meeting)
            if found is not None:
                sectors, people = found
                attendance = MeetingAttendance(
                    covered=len(sectors),
                    expected=self._core,
                    missing=tuple(
                        s.name
                        for s in self.blueprint.membership.core_sectors
                        if s.slug not in sectors
                    ),
                    people=people,
                )
        return MeetingView(
            start=meeting.start,
            end=meeting.end,
            venue=meeting.venue,
            status=meeting.status,
            attendance=attendance,
            findings=tuple((by_subject or {}).get(subject(meeting.start), ())),
        )

    def _covered(self, meeting: Meeting) -> tuple[set[str], int] | None:
        """The core sectors present or represented at ``meeting``, and how many people came;
        None when no attendance was recorded for it."""
        records = self.context.attendance_by_meeting.get(meeting.id)
        if not records:
            return None
        came = {a.email for a in records if a.status in CAME}
        on: date = meeting.start.date()
        sectors = {
            m.sector
            for m in self.context.memberships_by_body.get(meeting.body, ())
            if m.email in came and m.is_current(on)
        }
        return sectors & set(self.blueprint.core_sector_slugs), len(came)

    def _attendance_share(self, held: Iterable[Meeting]) -> AttendanceShare:
        covered = expected = meetings = 0
        for meeting in held:
            found = self._covered(meeting)
            if found is None:
                continue
            covered += len(found[0])
            expected += self._core
            meetings += 1
        return AttendanceShare(covered, expected, meetings)
