"""Wording shared by the human-readable reporters (text and HTML): severities, counts, body
names. Dates, times and plurals come from ``lcpg.domain.wording``, English whatever the locale.
"""

from __future__ import annotations

from typing import Final

from lcpg.domain.wording import plural
from rules.findings import Finding, Report, Severity

__all__ = [
    "SEVERITY_LABELS",
    "SEVERITY_NOUNS",
    "bodies_checked",
    "body_label",
    "body_name",
    "key_text",
    "severity_counts",
]


# (singular, plural): "info" is a mass noun, so "5 info", not "5 infos".
SEVERITY_NOUNS: Final[dict[Severity, tuple[str, str]]] = {
    Severity.ERROR: ("error", "errors"),
    Severity.WARNING: ("warning", "warnings"),
    Severity.INFO: ("info", "info"),
}

SEVERITY_LABELS: Final[dict[Severity, str]] = {
    Severity.ERROR: "Error",
    Severity.WARNING: "Warning",
    Severity.INFO: "Info",
}


def severity_counts(report: Report) -> str:
    """``2 errors, 5 warnings, 1 info``: every severity, most serious first, zeros included."""
    summary = report.summary()
    parts = []
    for severity in sorted(Severity, key=lambda s: -s.rank):
        one, many = SEVERITY_NOUNS[severity]
        parts.append(plural(summary[severity.value], one, many))
    return ", ".join(parts)


def bodies_checked(report: Report) -> str:
    """``15 bodies checked`` (``1 body checked``)."""
    return plural(len(report.bodies), "body", "bodies") + " checked"


def body_name(report: Report, slug: str) -> str:
    """The body's display name from ``report.bodies``; the slug itself for a body the report
    does not name (a resolved finding about a body since removed, say)."""
    return report.bodies.get(slug) or slug


def body_label(report: Report, slug: str) -> str:
    """``Sevenoaks LCPG (lcpg-sevenoaks)``; just the slug when the report has no other name."""
    name = body_name(report, slug)
    return slug if name == slug else f"{name} ({slug})"


def key_text(report: Report, finding: Finding) -> str:
    """A finding's key for a person: ``Gravesham LCPG, 2018-02-07T10:00`` (body name, then
    the subject when there is one). The rule id is left to the caller, which aligns it."""
    name = body_name(report, finding.body)
    return f"{name}, {finding.subject}" if finding.subject else name
