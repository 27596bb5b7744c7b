"""How the reporters order and group a report's findings: by body, and by rule family.

A report's findings already come in a stable order (body in register order, then severity,
rule, subject; see ``rules.findings.Report``); these helpers keep that order and never sort
by anything that could differ between two runs on the same report.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rules.catalogue import REGISTRY
from rules.findings import Finding, Report, Severity

__all__ = [
    "bodies_in_order",
    "families",
    "family",
    "findings_by_body",
    "worst",
]


def family(rule: str) -> str:
    """A rule id's family, as its rule record says (``cadence.bimonthly`` -> ``cadence``); for a
    rule no longer registered (a recorded check), the part of its id before the first dot."""
    found = REGISTRY.get(rule)
    return found.family if found is not None else rule.partition(".")[0]


def bodies_in_order(report: Report) -> tuple[str, ...]:
    """Every body of the report: the checked bodies in ``report.bodies`` order, then any body
    a finding names that ``report.bodies`` leaves out, in the order the findings first name it."""
    order = dict.fromkeys(report.bodies)
    order.update(dict.fromkeys(f.body for f in report.findings))
    return tuple(order)


def findings_by_body(report: Report) -> dict[str, tuple[Finding, ...]]:
    """The bodies that have findings, in ``bodies_in_order`` order, each with its findings in
    report order. Bodies without findings are left out."""
    grouped: dict[str, list[Finding]] = {}
    for finding in report.findings:
        grouped.setdefault(finding.body, []).append(finding)
    return {body: tuple(grouped[body]) for body in bodies_in_order(report) if body in grouped}


def families(findings: Iterable[Finding]) -> tuple[str, ...]:
    """The rule families present in ``findings``: in the registry's order (the order of the
    blueprint, ``rules.catalogue``), then any family no registered rule has, alphabetically."""
    present = {family(f.rule) for f in findings}
    order = REGISTRY.families()
    known = [name for name in order if name in present]
    return (*known, *sorted(present - set(order)))


def worst(findings: Sequence[Finding]) -> Severity | None:
    """The most serious severity among ``findings``, or None when there are none."""
    return max((f.severity for f in findings), key=lambda s: s.rank, default=None)
