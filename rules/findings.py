"""What a compliance check produces: findings, and the report that holds them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How serious a finding is. ``ERROR`` > ``WARNING`` > ``INFO``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """2 for an error, 1 for a warning, 0 for info: for sorting and ``--fail-on``."""
        return {"error": 2, "warning": 1, "info": 0}[self.value]


@dataclass(frozen=True)
class Finding:
    """One breach of one rule by one body.

    ``subject`` says what within the body it is about ("" for the body itself, a meeting's
    start as ``YYYY-MM-DDTHH:MM``, a role slug, ...); (rule, body, subject) is the finding's
    stable ``key``, used to tell this week's findings from last week's. ``clause`` is the
    blueprint sentence the rule enforces; ``evidence`` plain JSON-ready data behind the message.
    """

    rule: str
    severity: Severity
    body: str
    subject: str
    message: str
    clause: str
    evidence: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.rule, self.body, self.subject)


@dataclass(frozen=True)
class Report:
    """The findings of one check of the register as of ``as_of``, in a stable order (body in
    register order, then severity, rule, subject). ``bodies`` are the bodies checked, with
    their display names."""

    as_of: date
    blueprint: str
    findings: tuple[Finding, ...]
    bodies: Mapping[str, str]

    @property
    def worst(self) -> Severity | None:
        """The most serious severity found, or None when nothing was found."""
        return max((f.severity for f in self.findings), key=lambda s: s.rank, default=None)

    def summary(self) -> dict[str, Any]:
        """Counts: ``{"bodies": 15, "findings": 9, "error": 2, "warning": 6, "info": 1,
        "by_rule": {"cadence.bimonthly": 1, ...}}``."""
        severities = Counter(f.severity.value for f in self.findings)
        return {
            "bodies": len(self.bodies),
            "findings": len(self.findings),
            **{s.value: severities.get(s.value, 0) for s in Severity},
            "by_rule": dict(sorted(Counter(f.rule for f in self.findings).items())),
        }


@dataclass(frozen=True)
class Comparison:
    """How a report differs from an earlier recorded one (``previous_as_of``; its number in
    ``lcpg history`` is ``previous_run`` when known): findings whose key is new, and earlier
    findings whose key is gone."""

    previous_as_of: date
    new: tuple[Finding, ...]
    resolved: tuple[Finding, ...]
    previous_run: int | None = None


def compare(report: Report, previous: Report, previous_run: int | None = None) -> Comparison:
    """What is new in ``report`` and what was resolved since ``previous`` (recorded check
    ``previous_run``, when known), by finding key."""
    before = {f.key for f in previous.findings}
    now = {f.key for f in report.findings}
    return Comparison(
        previous.as_of,
        new=tuple(f for f in report.findings if f.key not in before),
        resolved=tuple(f for f in previous.findings if f.key not in now),
        previous_run=previous_run,
    )
