"""The compliance report as JSON: the object ``lcpg check --format json`` prints.

DESIGN.md section 6 fixes its shape, which scripts rely on::

    {"as_of": "YYYY-MM-DD",
     "findings": [{"rule", "severity", "body", "message", "clause", "evidence"}, ...],
     "summary": {"bodies", "findings", "error", "warning", "info", "by_rule",
                 "since": {"as_of", "check", "new": [{"rule", "body", "subject"}],
                           "resolved": [...]}}}

A finding's ``subject`` has no key of its own: it goes into its ``evidence`` as ``"subject"``
when it is not empty. ``since`` is there only when a comparison is given; its ``check`` (the
recorded check's number in ``lcpg history``) only when the comparison knows it.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time
from typing import Any

from rules.findings import Comparison, Finding, Report

__all__ = ["finding_object", "json_default", "render", "report_object"]


def finding_object(finding: Finding) -> dict[str, Any]:
    """One finding as its six-key JSON object. The finding is not changed: ``evidence`` is a
    new dict, with ``"subject"`` added (overriding any evidence key of that name) when the
    finding has one."""
    evidence = dict(finding.evidence)
    if finding.subject:
        evidence["subject"] = finding.subject
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "body": finding.body,
        "message": finding.message,
        "clause": finding.clause,
        "evidence": evidence,
    }


def _key_object(finding: Finding) -> dict[str, str]:
    return {"rule": finding.rule, "body": finding.body, "subject": finding.subject}


def report_object(report: Report, comparison: Comparison | None = None) -> dict[str, Any]:
    """The report as plain JSON-ready data (see the module docstring for the shape)."""
    summary = report.summary()
    if comparison is not None:
        summary["since"] = {
            "as_of": comparison.previous_as_of.isoformat(),
            **({"check": comparison.previous_run} if comparison.previous_run is not None else {}),
            "new": [_key_object(f) for f in comparison.new],
            "resolved": [_key_object(f) for f in comparison.resolved],
        }
    return {
        "as_of": report.as_of.isoformat(),
        "findings": [finding_object(f) for f in report.findings],
        "summary": summary,
    }


def json_default(value: object) -> str:
    """``json.dumps(default=...)`` for evidence: a date or time as ISO 8601; ``TypeError`` for
    anything else that is not JSON data."""
    # Evidence is meant to be JSON-ready already; a date slipping in is the one near-miss
    # worth forgiving, and it has an obvious spelling. Anything else is a bug in the rule.
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    raise TypeError(f"evidence value {value!r} of type {type(value).__name__} is not JSON data")


def render(report: Report, comparison: Comparison | None = None) -> str:
    """The report as a JSON document: two-space indented, non-ASCII kept as is (a district's
    "Folkestone & Hythe" or an em dash stays readable), ending with a newline. Keys keep the
    order shown in the module docstring and evidence keys their order in the finding, so the
    same report always gives the same text. Raises ``TypeError`` when evidence holds something
    that is neither JSON data nor a date or time."""
    text = json.dumps(
        report_object(report, comparison), indent=2, ensure_ascii=False, default=json_default
    )
    return text + "\n"
