"""The reporters: one hand-built Kent report (14 March 2018) in text, JSON, CSV and HTML.

``kent_report`` has four bodies with findings and one (the CHWB) without; ``kent_comparison``
compares it with the check of a week before, which had two findings since resolved (one for
a body this report no longer names). Clauses are quoted from ``lcpg/blueprints/kent.toml``.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import subprocess
import sys
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from lcpg.domain.wording import MONTHS, long_date
from rules.findings import Comparison, Finding, Report, Severity, compare
from rules.reporters import (
    FORMATS,
    REPORTERS,
    csv_report,
    html_report,
    json_report,
    render,
    text_report,
)

ROOT = Path(__file__).resolve().parents[2]

CADENCE = (
    "It is expected that each LCPG will meet every two months (six times a year), in the weeks "
    "following the CHWB so that key messages from the CHWB can be communicated and discussed at "
    "district level."
)
CHAIRS_CADENCE = (
    "The LCPG Chairs Group will also meet as a group every two months, after all of the twelve "
    "LCPGs and before the next CHWB."
)
CORE = "It is expected that the following Core Members should be represented within each LCPG."
ATTENDANCE = "Attending or being represented at every meeting;"
COORDINATOR = (
    "CO-ORDINATOR: Each LCPG will also nominate a Co-ordinator who will work alongside the Chair "
    "to maintain a clear focus on improving outcomes for children and young people, and ensure "
    "the smooth-running of the group."
)
CHAIR = (
    "CHAIR: Each LCPG will nominate or elect a chair from amongst its members (either core or "
    "additional members)."
)

BODIES = {
    "chwb": "Children's Health and Wellbeing Board",
    "lcpg-gravesham": "Gravesham LCPG",
    "lcpg-sevenoaks": "Sevenoaks LCPG",
    "lcpg-swale": "Swale LCPG",
    "chairs-group": "LCPG Chairs Group",
}
CADENCE_MESSAGE = (
    "Meets quarterly, not every two months: 4 held meetings in the 12 months to 14 Mar 2018, "
    "longest gap 13 weeks."
)


def _attendance() -> Finding:
    return Finding(
        "attendance.core-sectors",
        Severity.WARNING,
        "lcpg-gravesham",
        "2018-02-07T10:00",
        "Meeting of 7 Feb 2018: CCG and Police neither present nor represented.",
        ATTENDANCE,
        {"meeting": "2018-02-07T10:00", "missing": ["ccg", "police"]},
    )


def _unrecorded() -> Finding:
    return Finding(
        "records.unrecorded",
        Severity.WARNING,
        "lcpg-gravesham",
        "2018-03-07T10:00",
        "The meeting of 7 Mar 2018 is still planned: record it as held or cancelled.",
        CADENCE,
        {"meeting": "2018-03-07T10:00", "status": "planned"},
    )


def _cadence() -> Finding:
    return Finding(
        "cadence.bimonthly",
        Severity.ERROR,
        "lcpg-sevenoaks",
        "",
        CADENCE_MESSAGE,
        CADENCE,
        {"detected": "quarterly", "held": 4, "longest_gap_days": 91},
    )


def _core() -> Finding:
    return Finding(
        "membership.core-sectors",
        Severity.ERROR,
        "lcpg-swale",
        "",
        "No current member represents Police or Housing.",
        CORE,
        {"missing": ["police", "housing"]},
    )


def _coordinator() -> Finding:
    return Finding(
        "roles.coordinator",
        Severity.WARNING,
        "lcpg-swale",
        "coordinator",
        "No Co-ordinator since 30 Sep 2017.",
        COORDINATOR,
        {"role": "coordinator", "vacant_since": "2017-09-30"},
    )


def _coverage() -> Finding:
    return Finding(
        "plan.coverage",
        Severity.INFO,
        "chairs-group",
        "",
        "No meeting planned in the next cycle (9 May – 11 Jul 2018).",
        CHAIRS_CADENCE,
        {"cycle_start": "2018-05-09", "cycle_end": "2018-07-11"},
    )


def kent_report() -> Report:
    """Findings in report order: body in register order, then severity, rule, subject."""
    return Report(
        as_of=date(2018, 3, 14),
        blueprint="kent",
        findings=(
            _attendance(),
            _unrecorded(),
            _cadence(),
            _core(),
            _coordinator(),
            _coverage(),
        ),
        bodies=dict(BODIES),
    )


def previous_report() -> Report:
    return Report(
        as_of=date(2018, 3, 7),
        blueprint="kent",
        findings=(
            Finding(
                "cadence.bimonthly",
                Severity.ERROR,
                "lcpg-dartford",
                "",
                "Fewer than six meetings in the 12 months to 7 Mar 2018: 5 held.",
                CADENCE,
                {"detected": "irregular", "held": 5, "longest_gap_days": 70},
            ),
            _cadence(),
            _core(),
            Finding(
                "roles.chair",
                Severity.ERROR,
                "lcpg-swale",
                "chair",
                "No Chair since 31 Jan 2018.",
                CHAIR,
                {"role": "chair", "vacant_since": "2018-01-31"},
            ),
            _coordinator(),
            _coverage(),
        ),
        bodies={**BODIES, "lcpg-dartford": "Dartford LCPG"},
    )


def kent_comparison() -> Comparison:
    return compare(kent_report(), previous_report())


def empty_report() -> Report:
    return replace(kent_report(), findings=())


def with_message(message: str) -> Report:
    """The Kent report with the Sevenoaks cadence finding's message replaced."""
    report = kent_report()
    findings = tuple(
        replace(f, message=message) if f.rule == "cadence.bimonthly" else f for f in report.findings
    )
    return replace(report, findings=findings)


def test_the_comparison_is_what_the_tests_expect() -> None:
    comparison = kent_comparison()
    assert [f.key for f in comparison.new] == [
        ("attendance.core-sectors", "lcpg-gravesham", "2018-02-07T10:00"),
        ("records.unrecorded", "lcpg-gravesham", "2018-03-07T10:00"),
    ]
    assert [f.key for f in comparison.resolved] == [
        ("cadence.bimonthly", "lcpg-dartford", ""),
        ("roles.chair", "lcpg-swale", "chair"),
    ]


# --- wording ---------------------------------------------------------------------------------


def test_long_dates_use_english_month_names() -> None:
    assert long_date(date(2018, 3, 14)) == "14 March 2018"
    assert long_date(date(2018, 3, 7)) == "7 March 2018"
    assert [long_date(date(2018, m, 1)).split()[1] for m in range(1, 13)] == list(MONTHS)


# --- JSON ------------------------------------------------------------------------------------


def test_json_has_exactly_the_documented_shape() -> None:
    data = json.loads(json_report.render(kent_report()))
    assert list(data) == ["as_of", "findings", "summary"]
    assert data["as_of"] == "2018-03-14"
    assert len(data["findings"]) == 6
    for item in data["findings"]:
        assert list(item) == ["rule", "severity", "body", "message", "clause", "evidence"]
    assert data["findings"][2] == {
        "rule": "cadence.bimonthly",
        "severity": "error",
        "body": "lcpg-sevenoaks",
        "message": CADENCE_MESSAGE,
        "clause": CADENCE,
        "evidence": {"detected": "quarterly", "held": 4, "longest_gap_days": 91},
    }


def test_json_puts_a_subject_into_the_evidence_without_changing_the_finding() -> None:
    report = kent_report()
    data = json.loads(json_report.render(report))
    by_rule = {item["rule"]: item for item in data["findings"]}
    assert by_rule["attendance.core-sectors"]["evidence"] == {
        "meeting": "2018-02-07T10:00",
        "missing": ["ccg", "police"],
        "subject": "2018-02-07T10:00",
    }
    assert by_rule["roles.coordinator"]["evidence"]["subject"] == "coordinator"
    assert "subject" not in by_rule["cadence.bimonthly"]["evidence"]
    assert "subject" not in report.findings[0].evidence
    assert report.findings == kent_report().findings


def test_json_summary_is_the_reports_summary() -> None:
    data = json.loads(json_report.render(kent_report()))
    assert data["summary"] == kent_report().summary()
    assert data["summary"] == {
        "bodies": 5,
        "findings": 6,
        "error": 2,
        "warning": 3,
        "info": 1,
        "by_rule": {
            "attendance.core-sectors": 1,
            "cadence.bimonthly": 1,
            "membership.core-sectors": 1,
            "plan.coverage": 1,
            "records.unrecorded": 1,
            "roles.coordinator": 1,
        },
    }
    assert "since" not in data["summary"]


def test_json_summary_says_what_changed_since_the_earlier_check() -> None:
    data = json.loads(json_report.render(kent_report(), kent_comparison()))
    assert data["summary"]["since"] == {
        "as_of": "2018-03-07",
        "new": [
            {
                "rule": "attendance.core-sectors",
                "body": "lcpg-gravesham",
                "subject": "2018-02-07T10:00",
            },
            {"rule": "records.unrecorded", "body": "lcpg-gravesham", "subject": "2018-03-07T10:00"},
        ],
        "resolved": [
            {"rule": "cadence.bimonthly", "body": "lcpg-dartford", "subject": ""},
            {"rule": "roles.chair", "body": "lcpg-swale", "subject": "chair"},
        ],
    }
    del data["summary"]["since"]
    assert data["summary"] == kent_report().summary()


def test_json_is_indented_and_keeps_non_ascii() -> None:
    text = json_report.render(kent_report())
    assert text.startswith('{\n  "as_of": "2018-03-14",\n  "findings": [\n    {\n')
    assert "9 May – 11 Jul 2018" in text
    assert text.endswith("}\n")


def test_json_of_an_empty_report() -> None:
    data = json.loads(json_report.render(empty_report()))
    assert data["findings"] == []
    assert data["summary"]["findings"] == 0
    assert data["summary"]["by_rule"] == {}


def test_json_writes_dates_in_evidence_as_iso_and_refuses_other_objects() -> None:
    report = kent_report()
    dated = replace(report.findings[4], evidence={"vacant_since": date(2017, 9, 30)})
    data = json.loads(json_report.render(replace(report, findings=(dated,))))
    assert data["findings"][0]["evidence"] == {
        "vacant_since": "2017-09-30",
        "subject": "coordinator",
    }
    odd = replace(dated, evidence={"sectors": {"police"}})
    with pytest.raises(TypeError, match="not JSON data"):
        json_report.render(replace(report, findings=(odd,)))


# --- CSV -------------------------------------------------------------------------------------


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_csv_has_the_header_and_one_row_per_finding() -> None:
    report = kent_report()
    text = csv_report.render(report)
    assert text.splitlines()[0] == "as_of,rule,severity,body,subject,message,clause,evidence"
    header, *rows = _rows(text)
    assert header == list(csv_report.HEADER)
    assert len(rows) == len(report.findings)
    for row, finding in zip(rows, report.findings, strict=True):
        record = dict(zip(header, row, strict=True))
        assert record["as_of"] == "2018-03-14"
        assert record["rule"] == finding.rule
        assert record["severity"] == finding.severity.value
        assert record["body"] == finding.body
        assert record["subject"] == finding.subject
        assert record["message"] == finding.message
        assert record["clause"] == finding.clause
        assert json.loads(record["evidence"]) == dict(finding.evidence)


def test_csv_evidence_is_compact_json_and_lines_end_with_newline() -> None:
    text = csv_report.render(kent_report())
    assert "\r" not in text
    assert text.endswith("\n")
    assert '"{""detected"":""quarterly"",""held"":4,""longest_gap_days"":91}"' in text


def test_csv_guards_against_formula_injection() -> None:
    payload = '=HYPERLINK("http://evil.example/","Click for details")'
    text = csv_report.render(with_message(payload))
    assert '"\'=HYPERLINK(""http://evil.example/"",""Click for details"")"' in text
    messages = [row[5] for row in _rows(text)[1:]]
    assert "'" + payload in messages
    assert payload not in messages


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_quotes_every_formula_start(start: str) -> None:
    assert csv_report.safe_cell(start + "1+1") == "'" + start + "1+1"
    text = csv_report.render(with_message(start + "cmd|' /C calc'!A0"))
    rows = _rows(text)
    assert len(rows) == 7
    expected = "'" + start.replace("\r", "\n") + "cmd|' /C calc'!A0"
    assert rows[3][5] == expected


def test_csv_keeps_line_breaks_inside_their_cell() -> None:
    text = csv_report.render(with_message("Held:\r\n4 meetings\rin 12 months\nonly"))
    rows = _rows(text)
    assert len(rows) == 7
    assert rows[3][5] == "Held:\n4 meetings\nin 12 months\nonly"
    assert "\r" not in text


@pytest.mark.parametrize("value", ["", "2018-03-14", "Meets quarterly", "'already", "a=b", " =x"])
def test_csv_leaves_ordinary_cells_alone(value: str) -> None:
    assert csv_report.safe_cell(value) == value


def test_csv_of_an_empty_report_is_just_the_header() -> None:
    assert csv_report.render(empty_report()) == (
        "as_of,rule,severity,body,subject,message,clause,evidence\n"
    )


def test_csv_ignores_the_comparison() -> None:
    assert csv_report.render(kent_report(), kent_comparison()) == csv_report.render(kent_report())


# --- text ------------------------------------------------------------------------------------


def test_text_heading_counts_everything() -> None:
    lines = text_report.render(kent_report()).splitlines()
    assert lines[0] == (
        "LCPG compliance as of 14 March 2018: 2 errors, 3 warnings, 1 info (5 bodies checked)"
    )
    assert lines[1] == ""


def test_text_heading_grammar_for_one() -> None:
    report = Report(date(2018, 3, 14), "kent", (_cadence(),), {"lcpg-sevenoaks": "Sevenoaks LCPG"})
    first = text_report.render(report).splitlines()[0]
    assert first.endswith(": 1 error, 0 warnings, 0 info (1 body checked)")


def test_text_groups_findings_by_body_in_report_order() -> None:
    lines = text_report.render(kent_report()).splitlines()
    headings = [line for line in lines if line and not line.startswith(" ")][1:]
    assert headings == [
        "Gravesham LCPG (lcpg-gravesham)",
        "Sevenoaks LCPG (lcpg-sevenoaks)",
        "Swale LCPG (lcpg-swale)",
        "LCPG Chairs Group (chairs-group)",
        "No findings: Children's Health and Wellbeing Board.",
    ]
    gravesham = lines.index("Gravesham LCPG (lcpg-gravesham)")
    assert lines[gravesham + 1].startswith("  warning  attendance.core-sectors  Meeting of 7 Feb")
    swale = lines[lines.index("Swale LCPG (lcpg-swale)") :]
    assert swale[1].startswith("  error    membership.core-sectors  No current member")
    assert swale[4].startswith("  warning  roles.coordinator        No Co-ordinator since")


def test_text_finding_lines_align_wrap_and_quote_the_clause() -> None:
    text = text_report.render(kent_report())
    lines = text.splitlines()
    assert all(len(line) <= text_report.WIDTH for line in lines)
    start = lines.index("Sevenoaks LCPG (lcpg-sevenoaks)") + 1
    column = len("  error    attendance.core-sectors  ")
    assert lines[start : start + 5] == [
        "  error    cadence.bimonthly        "
        "Meets quarterly, not every two months: 4 held meetings in the 12",
        " " * column + "months to 14 Mar 2018, longest gap 13 weeks.",
        '    Blueprint: "'
        "It is expected that each LCPG will meet every two months (six times a year), in the",
        " " * 16
        + "weeks following the CHWB so that key messages from the CHWB can be communicated and",
        " " * 16 + 'discussed at district level."',
    ]
    assert '    Blueprint: "Attending or being represented at every meeting;"' in lines


def test_text_wraps_at_a_given_width_and_never_splits_words() -> None:
    text = text_report.render(kent_report(), width=60)
    words = {w for line in text.splitlines() for w in line.split()}
    assert "membership.core-sectors" in words
    assert "(lcpg-sevenoaks)" in words
    for line in text.splitlines():
        assert len(line) <= 60, line


def test_text_without_a_clause_has_no_blueprint_line() -> None:
    report = replace(kent_report(), findings=(replace(_cadence(), clause=""),))
    assert "Blueprint" not in text_report.render(report)


def test_text_comparison_section_comes_after_the_heading() -> None:
    lines = text_report.render(kent_report(), kent_comparison()).splitlines()
    assert lines[1:7] == [
        "",
        "Since the check of 7 March 2018: 2 new, 2 resolved",
        "  new       attendance.core-sectors  Gravesham LCPG, 2018-02-07T10:00",
        "  new       records.unrecorded       Gravesham LCPG, 2018-03-07T10:00",
        "  resolved  cadence.bimonthly        lcpg-dartford",
        "  resolved  roles.chair              Swale LCPG, chair",
    ]
    assert lines[7:9] == ["", "Gravesham LCPG (lcpg-gravesham)"]


def test_text_comparison_with_nothing_changed() -> None:
    comparison = compare(kent_report(), kent_report())
    lines = text_report.render(kent_report(), comparison).splitlines()
    assert lines[2] == "Since the check of 14 March 2018: 0 new, 0 resolved"
    assert lines[3] == ""


def test_text_of_an_empty_report_says_so_clearly() -> None:
    text = text_report.render(empty_report())
    assert text == (
        "LCPG compliance as of 14 March 2018: 0 errors, 0 warnings, 0 info (5 bodies checked)\n"
        "\n"
        "No findings: every body meets the blueprint as of 14 March 2018.\n"
    )


def test_text_of_an_empty_report_still_shows_what_was_resolved() -> None:
    comparison = compare(empty_report(), kent_report())
    text = text_report.render(empty_report(), comparison)
    assert "Since the check of 14 March 2018: 0 new, 6 resolved" in text
    assert "  resolved  cadence.bimonthly        Sevenoaks LCPG\n" in text
    assert text.endswith("No findings: every body meets the blueprint as of 14 March 2018.\n")


# --- HTML ------------------------------------------------------------------------------------


class Page(HTMLParser):
    """The parts of a page the tests look at: every start tag with its attributes, the text
    inside each element by tag name, id and class, and the table as rows of cells."""

    VOID = frozenset({"meta", "br", "img", "input", "link", "hr"})

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.stack: list[tuple[str, dict[str, str], list[str]]] = []
        self.texts: dict[str, list[str]] = {}
        self.table: list[list[tuple[str, dict[str, str], str]]] = []
        self.feed(text)
        self.close()
        assert not self.stack, f"unclosed: {[t for t, _, _ in self.stack]}"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attributes))
        if tag == "tr":
            self.table.append([])
        if tag not in self.VOID:
            self.stack.append((tag, attributes, []))

    def handle_endtag(self, tag: str) -> None:
        name, attributes, parts = self.stack.pop()
        assert name == tag, f"</{tag}> closes <{name}>"
        text = " ".join("".join(parts).split())
        for key in [tag, attributes.get("id"), *attributes.get("class", "").split()]:
            if key:
                self.texts.setdefault(key, []).append(text)
        if tag in ("th", "td"):
            self.table[-1].append((tag, attributes, text))

    def handle_data(self, data: str) -> None:
        for _, _, parts in self.stack:
            parts.append(data)

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.tags if name == tag]


def test_html_is_a_standalone_page() -> None:
    text = html_report.render(kent_report(), kent_comparison())
    assert text.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert text.endswith("</html>\n")
    page = Page(text)
    assert page.texts["title"] == ["LCPG compliance as of 14 March 2018"]
    assert page.texts["h1"] == ["LCPG compliance as of 14 March 2018"]
    assert page.all("meta")[1] == {
        "name": "viewport",
        "content": "width=device-width, initial-scale=1",
    }
    assert not page.all("script")
    assert not page.all("link")
    assert not page.all("img")
    assert "<script" not in text.lower()
    assert "http://" not in text and "https://" not in text
    assert "@import" not in text and "url(" not in text
    assert all(a["href"].startswith("#") for a in page.all("a"))


def test_html_escapes_messages() -> None:
    text = html_report.render(with_message('<script>alert("x")</script> Police & Housing'))
    assert "<script" not in text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Police &amp; Housing" in text
    page = Page(text)
    assert '<script>alert("x")</script> Police & Housing' in page.texts["message"]


def test_html_escapes_names_in_the_table_and_headings() -> None:
    report = replace(kent_report(), bodies={**BODIES, "lcpg-swale": "Swale <b>LCPG</b> & Co"})
    text = html_report.render(report)
    assert "<b>" not in text
    assert text.count("Swale &lt;b&gt;LCPG&lt;/b&gt; &amp; Co") == 2


def test_html_summary_and_comparison() -> None:
    page = Page(html_report.render(kent_report(), kent_comparison()))
    assert page.texts["counts"] == ["2 errors, 3 warnings, 1 info (5 bodies checked)"]
    assert page.texts["new-heading"] == ["New since 7 March 2018 (2)"]
    assert page.texts["resolved-heading"] == ["Resolved since 7 March 2018 (2)"]
    text = html_report.render(kent_report(), kent_comparison())
    assert (
        '<li><code>attendance.core-sectors</code>, <a href="#body-lcpg-gravesham">'
        'Gravesham LCPG</a>, <span class="subject">2018-02-07T10:00</span></li>'
    ) in text
    assert "<li><code>cadence.bimonthly</code>, lcpg-dartford</li>" in text


def test_html_without_comparison_has_no_since_lists() -> None:
    page = Page(html_report.render(kent_report()))
    assert "new-heading" not in page.texts
    assert "resolved-heading" not in page.texts


def test_html_table_of_bodies_against_rule_families() -> None:
    page = Page(html_report.render(kent_report()))
    (caption,) = page.texts["caption"]
    assert caption == "Findings by body and rule family as of 14 March 2018"
    header, *rows = page.table
    assert [(tag, attrs.get("scope"), text) for tag, attrs, text in header] == [
        ("th", "col", "Body"),
        ("th", "col", "cadence"),
        ("th", "col", "membership"),
        ("th", "col", "roles"),
        ("th", "col", "attendance"),
        ("th", "col", "records"),
        ("th", "col", "plan"),
        ("th", "col", "All rules"),
    ]
    assert [(row[0][0], row[0][1].get("scope"), row[0][2]) for row in rows] == [
        ("th", "row", name) for name in BODIES.values()
    ]
    cells = {row[0][2]: [text for _, _, text in row[1:]] for row in rows}
    assert cells["Children's Health and Wellbeing Board"] == ["–none"] * 7
    assert cells["Gravesham LCPG"] == [
        "–none",
        "–none",
        "–none",
        "1 warning",
        "1 warning",
        "–none",
        "2 warning",
    ]
    assert cells["Swale LCPG"] == [
        "–none",
        "1 error",
        "1 warning",
        "–none",
        "–none",
        "–none",
        "2 error",
    ]
    swale = next(row for row in rows if row[0][2] == "Swale LCPG")
    assert swale[2][1]["class"] == "cell sev-error"
    assert swale[3][1]["class"] == "cell sev-warning"
    assert swale[1][1]["class"] == "cell zero"


def test_html_cells_link_to_the_body_sections() -> None:
    text = html_report.render(kent_report(), kent_comparison())
    page = Page(text)
    ids = [attrs["id"] for _, attrs in page.tags if "id" in attrs]
    assert len(ids) == len(set(ids))
    hrefs = {a["href"] for a in page.all("a")}
    assert hrefs == {
        "#body-lcpg-gravesham",
        "#body-lcpg-sevenoaks",
        "#body-lcpg-swale",
        "#body-chairs-group",
    }
    assert {h[1:] for h in hrefs} <= set(ids)
    sections = [a["id"] for a in page.all("section") if a.get("id", "").startswith("body-")]
    assert sections == [
        "body-lcpg-gravesham",
        "body-lcpg-sevenoaks",
        "body-lcpg-swale",
        "body-chairs-group",
    ]
    assert '<a href="#body-lcpg-sevenoaks" title="1 error"><span class="n">1</span>' in text


def test_html_body_sections_show_badge_rule_message_clause_and_evidence() -> None:
    text = html_report.render(kent_report())
    page = Page(text)
    assert page.texts["body-lcpg-sevenoaks-heading"] == ["Sevenoaks LCPG (lcpg-sevenoaks)"]
    assert page.texts["badge"] == ["Warning", "Warning", "Error", "Error", "Warning", "Info"]
    assert page.texts["rule"][2] == "cadence.bimonthly"
    assert page.texts["message"][2] == CADENCE_MESSAGE
    assert len(page.texts["blockquote"]) == 6
    assert f"<blockquote><p>{CADENCE}</p></blockquote>" in text
    assert (
        '<dl class="evidence">\n<dt>detected</dt><dd>quarterly</dd>\n<dt>held</dt><dd>4</dd>\n'
        "<dt>longest gap days</dt><dd>91</dd>\n</dl>"
    ) in text
    assert "<dt>missing</dt><dd>police, housing</dd>" in text
    assert page.texts["subject"] == ["2018-02-07T10:00", "2018-03-07T10:00", "coordinator"]
    assert page.texts["clean-heading"] == ["No findings (1)"]


def test_html_of_an_empty_report() -> None:
    text = html_report.render(empty_report())
    page = Page(text)
    assert page.texts["none-found"] == [
        "No findings: every body meets the blueprint as of 14 March 2018."
    ]
    assert not page.all("table")
    assert "badge" not in page.texts


def test_html_anchor_ids_are_clean_and_unique() -> None:
    assert html_report.anchors(["lcpg-sevenoaks", "LCPG Swale", "lcpg_swale", "??"]) == {
        "lcpg-sevenoaks": "body-lcpg-sevenoaks",
        "LCPG Swale": "body-lcpg-swale",
        "lcpg_swale": "body-lcpg-swale-2",
        "??": "body-body",
    }


# --- dispatch and contract -------------------------------------------------------------------


def test_reporters_are_registered_by_format() -> None:
    assert FORMATS == ("text", "json", "csv", "html")
    assert {
        "text": text_report.render,
        "json": json_report.render,
        "csv": csv_report.render,
        "html": html_report.render,
    } == REPORTERS


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "html"])
def test_render_dispatches_by_format(fmt: str) -> None:
    report, comparison = kent_report(), kent_comparison()
    assert render(report, fmt) == REPORTERS[fmt](report, None)
    assert render(report, fmt, comparison) == REPORTERS[fmt](report, comparison)


def test_render_refuses_an_unknown_format() -> None:
    with pytest.raises(ValueError, match=r"'xml': expected one of text, json, csv, html"):
        render(kent_report(), "xml")


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "html"])
def test_reporters_are_deterministic_and_leave_the_report_alone(fmt: str) -> None:
    report, comparison = kent_report(), kent_comparison()
    before: Any = copy.deepcopy((report, comparison))
    first = render(report, fmt, comparison)
    assert render(kent_report(), fmt, kent_comparison()) == first
    assert (report, comparison) == before
    assert first.endswith("\n")


def test_importing_the_reporters_does_not_import_jinja2() -> None:
    code = "import sys, rules.reporters; print('jinja2' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_text_quotes_a_rules_clause_once_per_body() -> None:
    from datetime import date

    from rules.findings import Finding, Report, Severity
    from rules.reporters import render

    clause = "Attending or being represented at every meeting;"
    findings = tuple(
        Finding(
            "attendance.core-sectors",
            Severity.WARNING,
            "lcpg-swale",
            f"2018-0{m}-01T10:00",
            f"Meeting {m}.",
            clause,
        )
        for m in (1, 3)
    )
    report = Report(date(2018, 3, 14), "Kent", findings, {"lcpg-swale": "Swale LCPG"})
    text = render(report, "text")
    assert text.count("Blueprint:") == 1
    assert "Meeting 1." in text and "Meeting 3." in text
