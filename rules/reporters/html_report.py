"""The compliance report as a standalone, printable HTML5 page.

The page, top to bottom: the title and the counts; with a comparison, what is new and what
was resolved since the earlier check; a table of bodies (rows) against the rule families
present (columns), each cell the number of findings, tinted and labelled by the worst
severity and linking to the body's section; then one section per body with findings (id
``body-<slug>``): for each finding a severity badge (a word, not colour alone), the rule id,
the message, the blueprint clause as a ``<blockquote>`` and the evidence as a definition
list; last, the bodies with no findings.

No script and no external resources: one file that opens anywhere, prints on A4 and reads
on a phone. Everything is worked out here into small frozen records (``Page``); the template
``rules/templates/report.html.j2`` only prints them, with autoescaping on, so a message or a
name can never inject markup.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from lcpg.domain.wording import long_date, plural
from rules.findings import Comparison, Finding, Report, Severity
from rules.reporters.grouping import bodies_in_order, families, family, findings_by_body, worst
from rules.reporters.wording import (
    SEVERITY_NOUNS,
    bodies_checked,
    body_name,
    severity_counts,
)

if TYPE_CHECKING:
    import jinja2

    from rules.reporters.views import FindingView

__all__ = ["Page", "anchors", "page", "render"]

TEMPLATE: Final = "report.html.j2"
ANCHOR_PREFIX: Final = "body-"


@dataclass(frozen=True)
class Cell:
    """One cell of the table: how many findings, the worst severity among them (None for
    none), a breakdown for the hover text, and where it links (None: nowhere)."""

    count: int
    severity: str | None
    breakdown: str
    href: str | None


@dataclass(frozen=True)
class Row:
    """One body's row of the table: its name, a cell per family, and the row total."""

    name: str
    slug: str
    href: str | None
    cells: tuple[Cell, ...]
    total: Cell


@dataclass(frozen=True)
class Section:
    """One body's findings: ``anchor`` is the section's id."""

    anchor: str
    name: str
    slug: str
    findings: tuple[FindingView, ...]


@dataclass(frozen=True)
class Change:
    """A new or resolved finding's key, with a link to the body's section when it has one."""

    rule: str
    body: str
    subject: str
    href: str | None


@dataclass(frozen=True)
class Since:
    """What changed since the earlier check."""

    as_of: str
    new: tuple[Change, ...]
    resolved: tuple[Change, ...]


@dataclass(frozen=True)
class Page:
    """Everything the template prints."""

    title: str
    as_of: str
    as_of_iso: str
    counts: str
    checked: str
    any_findings: bool
    since: Since | None
    families: tuple[str, ...]
    rows: tuple[Row, ...]
    sections: tuple[Section, ...]
    clean: tuple[str, ...]


def anchors(slugs: Iterable[str]) -> dict[str, str]:
    """An HTML id for each body slug: ``body-<slug>``, with anything other than lower-case
    letters, digits and hyphens turned into hyphens (register slugs already are that), and
    ``-2``, ``-3`` ... added in the unlikely case two slugs clean up to the same id."""
    result: dict[str, str] = {}
    taken: set[str] = set()
    for slug in slugs:
        base = ANCHOR_PREFIX + (re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-") or "body")
        anchor, n = base, 1
        while anchor in taken:
            n += 1
            anchor = f"{base}-{n}"
        taken.add(anchor)
        result[slug] = anchor
    return result


def _breakdown(findings: Sequence[Finding]) -> str:
    """``1 error, 2 warnings``: the severities present, most serious first."""
    parts = []
    for severity in sorted(Severity, key=lambda s: -s.rank):
        count = sum(1 for f in findings if f.severity is severity)
        if count:
            parts.append(plural(count, *SEVERITY_NOUNS[severity]))
    return ", ".join(parts) or "no findings"


def _cell(findings: Sequence[Finding], href: str | None) -> Cell:
    severity = worst(findings)
    return Cell(
        count=len(findings),
        severity=severity.value if severity else None,
        breakdown=_breakdown(findings),
        href=href if findings else None,
    )


def page(report: Report, comparison: Comparison | None = None) -> Page:
    """Work out everything the page shows (see the module docstring). Pure."""
    # Here, not at the top: the views bring the register's modules, which the JSON and CSV
    # reporters (imported with this one) do not need.
    from rules.reporters.views import finding_view

    order = bodies_in_order(report)
    ids = anchors(order)
    grouped = findings_by_body(report)
    present = families(report.findings)

    def href(body: str) -> str | None:
        return "#" + ids[body] if body in grouped else None

    rows = []
    for body in order:
        findings = grouped.get(body, ())
        cells = tuple(
            _cell([f for f in findings if family(f.rule) == name], href(body)) for name in present
        )
        rows.append(
            Row(body_name(report, body), body, href(body), cells, _cell(findings, href(body)))
        )

    since = None
    if comparison is not None:

        def change(f: Finding) -> Change:
            return Change(f.rule, body_name(report, f.body), f.subject, href(f.body))

        since = Since(
            long_date(comparison.previous_as_of),
            tuple(change(f) for f in comparison.new),
            tuple(change(f) for f in comparison.resolved),
        )

    as_of = long_date(report.as_of)
    return Page(
        title=f"LCPG compliance as of {as_of}",
        as_of=as_of,
        as_of_iso=report.as_of.isoformat(),
        counts=severity_counts(report),
        checked=bodies_checked(report),
        any_findings=bool(report.findings),
        since=since,
        families=present,
        rows=tuple(rows),
        sections=tuple(
            Section(
                ids[body],
                body_name(report, body),
                body,
                tuple(finding_view(f, body_name(report, body)) for f in found),
            )
            for body, found in grouped.items()
        ),
        clean=tuple(body_name(report, body) for body in order if body not in grouped),
    )


@functools.cache
def _environment() -> jinja2.Environment:
    """Built once: loading and compiling templates is the slow part. jinja2 is imported here,
    not at the top, so that importing the reporters (``lcpg --help``, ``--format json``) does
    not pay for it."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("rules", "templates"),
        # Messages, names and evidence come from a register many people edit.
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(report: Report, comparison: Comparison | None = None) -> str:
    """The report as a complete HTML5 document (see the module docstring), ending with a
    newline. With no findings the page says "No findings: every body meets the blueprint as
    of <date>." in place of the table and sections."""
    view = page(report, comparison)
    return _environment().get_template(TEMPLATE).render(page=view)
