"""Reporters: a compliance ``Report`` as text, JSON, CSV or HTML (pylint ``reporters`` style).

Findings are data (``rules.findings``); each reporter is one module with one pure function,

    render(report: Report, comparison: Comparison | None = None) -> str

that does no I/O and reads no clock: the same report (and comparison) always gives the same
string, which ends with a newline (print it with ``click.echo(text, nl=False)``). A reporter
shows ``comparison`` (what is new and resolved since an earlier check) where its format has
room for it; CSV, a flat table, ignores it.

To add a format: write ``rules/reporters/<format>_report.py`` with such a ``render``, add it
to ``REPORTERS`` below, and give it tests in ``tests/unit/test_reporters.py``. Keep the
import light: a heavy dependency (jinja2 for HTML) is imported inside the module's functions,
so that ``import rules.reporters`` stays cheap for ``lcpg --help``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from rules.findings import Comparison, Report
from rules.reporters import csv_report, html_report, json_report, text_report

__all__ = ["FORMATS", "REPORTERS", "Reporter", "render"]

Reporter = Callable[[Report, Comparison | None], str]

REPORTERS: Final[dict[str, Reporter]] = {
    "text": text_report.render,
    "json": json_report.render,
    "csv": csv_report.render,
    "html": html_report.render,
}

FORMATS: Final = tuple(REPORTERS)
"""The format names, in the order ``--format`` lists them: text, json, csv, html."""


def render(report: Report, fmt: str, comparison: Comparison | None = None) -> str:
    """``report`` (and ``comparison``, if any) in the format ``fmt``, one of ``FORMATS``.

    Raises ``ValueError`` naming the known formats when ``fmt`` is not one of them.
    """
    try:
        reporter = REPORTERS[fmt]
    except KeyError:
        known = ", ".join(FORMATS)
        raise ValueError(f"unknown report format {fmt!r}: expected one of {known}") from None
    return reporter(report, comparison)
