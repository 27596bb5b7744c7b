"""The compliance report as CSV: one row per finding, for a spreadsheet.

Columns: ``as_of,rule,severity,body,subject,message,clause,evidence``; ``evidence`` is the
finding's evidence as compact JSON (the subject has its own column, so it is not repeated
there). Rows end with ``\\n``; values are quoted only when they need to be (RFC 4180). A
comparison with an earlier check has no place in a flat table and is ignored.

The partnership team opens these files in Excel, and messages, venues and names come from a
register that many people edit. A cell that begins with ``=``, ``+``, ``-`` or ``@`` is a
formula to Excel (and LibreOffice), and a tab or carriage return in front can smuggle one
past a check: ``=HYPERLINK("http://…","Click")`` in a message would turn into a live link,
and worse payloads can run commands (CSV or formula injection, OWASP). So every such cell gets
a leading apostrophe, which the spreadsheet shows as plain text and does not display.

Line breaks inside a cell are written as ``\n`` (a quoted cell may span lines): the ``csv``
module quotes a cell only for the characters of its line terminator, so a bare carriage
return would otherwise go out unquoted and split the row for every reader.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Final

from lcpg.domain.cells import guard
from rules.findings import Comparison, Finding, Report
from rules.reporters.json_report import json_default

__all__ = ["HEADER", "render", "safe_cell"]

HEADER: Final = ("as_of", "rule", "severity", "body", "subject", "message", "clause", "evidence")


def safe_cell(value: str) -> str:
    """``value``, with an apostrophe in front when a spreadsheet would read it as a formula
    (``lcpg.domain.cells.guard``)."""
    return guard(value)


def _one_line_end(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _row(report: Report, finding: Finding) -> tuple[str, ...]:
    evidence = json.dumps(
        dict(finding.evidence),
        separators=(",", ":"),
        ensure_ascii=False,
        default=json_default,
    )
    return (
        report.as_of.isoformat(),
        finding.rule,
        finding.severity.value,
        finding.body,
        finding.subject,
        finding.message,
        finding.clause,
        evidence,
    )


def render(report: Report, comparison: Comparison | None = None) -> str:
    """The header row and one row per finding, in report order, every cell guarded by
    ``safe_cell`` (then its line breaks made ``\n``); just the header when there are no
    findings. ``comparison`` is ignored. Raises ``TypeError`` as ``json_report.render`` does
    for evidence that is not JSON data."""
    del comparison  # part of the common reporter signature; a flat table cannot show it
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for finding in report.findings:
        writer.writerow([_one_line_end(safe_cell(cell)) for cell in _row(report, finding)])
    return out.getvalue()
