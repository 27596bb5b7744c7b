"""The compliance report as plain text, for a terminal or an email body.

Readable without colour, wrapped at ``WIDTH`` columns. Layout::

    LCPG compliance as of 14 March 2018: 2 errors, 5 warnings, 1 info (15 bodies checked)

    Since the check of 7 March 2018: 2 new, 1 resolved        (only with a comparison)
      new       attendance.core-sectors  Gravesham LCPG, 2018-02-07T10:00
      resolved  roles.chair              Swale LCPG, chair

    Sevenoaks LCPG (lcpg-sevenoaks)                           (one block per body with findings)
      error    cadence.bimonthly  Meets quarterly, not every two months: ...
          Blueprint: "It is expected that each LCPG will meet every two months ..."
                                                              (quoted once per rule and body)

    No findings: Ashford LCPG, Canterbury LCPG, ...

Bodies come in report order, findings in report order within their body; the rule ids are
padded to a common width so the messages line up, and wrapped lines hang under the text they
continue.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Final

from lcpg.domain.wording import long_date
from rules.findings import Comparison, Finding, Report
from rules.reporters.grouping import bodies_in_order, findings_by_body
from rules.reporters.wording import (
    bodies_checked,
    body_label,
    body_name,
    key_text,
    severity_counts,
)

__all__ = ["WIDTH", "render"]

WIDTH: Final = 100
SEVERITY_WIDTH: Final = len("warning")
# Past this column a hanging indent leaves too little room; continuation lines then start
# here instead of under the message.
MAX_HANG: Final = 48
FALLBACK_HANG: Final = 6


def _wrap(text: str, width: int, first: str, hang: int | None = None) -> list[str]:
    """``text`` wrapped after the prefix ``first``; continuation lines are indented by
    ``hang`` (default: as far as the text after ``first``). Words are never broken, not even
    at hyphens, so a rule id or a slug stays whole."""
    if hang is None:
        hang = len(first)
    if hang > MAX_HANG:
        hang = FALLBACK_HANG
    lines = textwrap.wrap(
        text,
        width=width,
        initial_indent=first,
        subsequent_indent=" " * hang,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return lines or [first.rstrip()]


def _finding_lines(
    finding: Finding, rule_width: int, width: int, with_clause: bool = True
) -> list[str]:
    first = f"  {finding.severity.value:<{SEVERITY_WIDTH}}  {finding.rule:<{rule_width}}  "
    lines = _wrap(finding.message, width, first)
    if finding.clause and with_clause:
        lines += _wrap(f'{finding.clause}"', width, '    Blueprint: "')
    return lines


def _since_lines(report: Report, comparison: Comparison, width: int) -> list[str]:
    previous = long_date(comparison.previous_as_of)
    which = (
        f"check {comparison.previous_run}, as of {previous}"
        if comparison.previous_run is not None
        else f"the check of {previous}"
    )
    head = f"Since {which}: {len(comparison.new)} new, {len(comparison.resolved)} resolved"
    lines = _wrap(head, width, "")
    changes: Sequence[tuple[str, Finding]] = [
        *(("new", f) for f in comparison.new),
        *(("resolved", f) for f in comparison.resolved),
    ]
    rule_width = max((len(f.rule) for _, f in changes), default=0)
    for change, finding in changes:
        first = f"  {change:<8}  {finding.rule:<{rule_width}}  "
        lines += _wrap(key_text(report, finding), width, first)
    return lines


def render(report: Report, comparison: Comparison | None = None, *, width: int = WIDTH) -> str:
    """The report as text (see the module docstring), ending with a newline.

    ``comparison``, when given, adds the "Since the check of ..." section after the heading.
    ``width`` is where lines wrap (words are never split, so a very long word may overrun).
    With no findings at all the body of the report is the one line "No findings: every body
    meets the blueprint as of <date>."
    """
    as_of = long_date(report.as_of)
    lines = _wrap(
        f"LCPG compliance as of {as_of}: {severity_counts(report)} ({bodies_checked(report)})",
        width,
        "",
        hang=2,
    )
    if comparison is not None:
        lines += ["", *_since_lines(report, comparison, width)]
    if not report.findings:
        lines += [
            "",
            *_wrap(f"No findings: every body meets the blueprint as of {as_of}.", width, ""),
        ]
        return "\n".join(lines) + "\n"

    rule_width = max(len(f.rule) for f in report.findings)
    grouped = findings_by_body(report)
    for body, findings in grouped.items():
        lines += ["", *_wrap(body_label(report, body), width, "", hang=2)]
        quoted: set[tuple[str, str]] = set()
        for finding in findings:
            # Quote a rule's clause once per body: six attendance findings need it once.
            first_time = (finding.rule, finding.clause) not in quoted
            quoted.add((finding.rule, finding.clause))
            lines += _finding_lines(finding, rule_width, width, first_time)
    clean = [body_name(report, body) for body in bodies_in_order(report) if body not in grouped]
    if clean:
        lines += ["", *_wrap(", ".join(clean) + ".", width, "No findings: ")]
    return "\n".join(lines) + "\n"
