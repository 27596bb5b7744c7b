"""``rules.reporters.views``: the finding view and district row the dashboard, the e-mails and
the HTML report share."""

from __future__ import annotations

from datetime import date

import pytest

from lcpg.demo import build_demo_register
from lcpg.domain.blueprint import Blueprint
from lcpg.domain.model import BodyKind
from lcpg.domain.register import Register
from rules.engine import check
from rules.findings import Finding, Report, Severity
from rules.reporters.html_report import page
from rules.reporters.views import DistrictViews, FindingView, finding_view, value_text

DEMO_DAY = date(2026, 11, 22)


@pytest.fixture(scope="module")
def register(kent: Blueprint) -> Register:
    return build_demo_register(kent, DEMO_DAY)


@pytest.fixture(scope="module")
def report(register: Register, kent: Blueprint) -> Report:
    return check(register, kent, DEMO_DAY)


def test_a_finding_view_carries_the_finding_with_its_names_and_evidence() -> None:
    finding = Finding(
        "membership.core-sectors",
        Severity.WARNING,
        "lcpg-swale",
        "2026-01-14T10:00",
        "No member for Police, Housing.",
        "Every core sector is represented.",
        {"missing_sectors": ["police", "housing"], "invited": False, "since": None},
    )
    view = finding_view(finding, "Swale LCPG", new=True)
    assert (view.severity, view.label, view.rule) == (
        Severity.WARNING,
        "Warning",
        "membership.core-sectors",
    )
    assert (view.body, view.body_name, view.new) == ("lcpg-swale", "Swale LCPG", True)
    assert view.anchor == "finding-membership.core-sectors-2026-01-14T10-00"
    assert [(e.term, e.value) for e in view.evidence] == [
        ("missing sectors", "police, housing"),
        ("invited", "no"),
        ("since", "none"),
    ]
    assert finding_view(finding, "Swale LCPG").new is False
    assert value_text({"a": 1}) == '{"a": 1}'
    assert value_text(date(2026, 1, 2)) == "2026-01-02"


def test_district_rows_say_where_each_district_stands(
    register: Register, kent: Blueprint, report: Report
) -> None:
    views = DistrictViews(register, kent, report)
    rows = {
        row.slug: row for row in (views.row(b) for b in register.bodies if b.kind is BodyKind.LCPG)
    }
    assert list(rows) == [d.slug for d in kent.districts]
    assert rows["sevenoaks"].name == "Sevenoaks" and rows["sevenoaks"].body == "lcpg-sevenoaks"
    assert rows["sevenoaks"].cadence == "quarterly"
    assert rows["sevenoaks"].cadence_severity is Severity.ERROR
    assert rows["swale"].core_sectors_missing == ("Police", "Housing")
    assert rows["dover"].roles_vacant == ("Co-ordinator",)
    assert rows["canterbury"].attendance.percent == "100%"
    gravesham = rows["gravesham"]
    assert gravesham.next_meeting is not None
    assert gravesham.next_meeting.start.date() >= DEMO_DAY
    counted = [f for f in report.findings if f.body == "lcpg-dover"]
    assert rows["dover"].errors + rows["dover"].warnings + rows["dover"].infos == len(counted)


def test_the_html_report_shows_the_shared_finding_view(report: Report) -> None:
    sections = page(report).sections
    views = [f for section in sections for f in section.findings]
    assert views and all(isinstance(f, FindingView) for f in views)
    first = report.findings[0]
    assert views[0] == finding_view(first, report.bodies[first.body])
