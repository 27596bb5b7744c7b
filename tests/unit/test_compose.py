"""The weekly emails composed from the demo register as of Monday 23 November 2026 (week
2026-W48): subjects, recipients, the county and district contents, and what the HTML may hold.

Exact subjects come from hand-built reports over the demo register, so they do not move when
a rule is tuned; the contents come from a real check of the demo register.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from html.parser import HTMLParser

import pytest

from lcpg.demo import (
    ATTENDANCE_UNRECORDED_DISTRICT,
    CO_CHAIR_DISTRICT,
    MISSING_SECTORS_DISTRICT,
    QUARTERLY_DISTRICT,
    UNRECORDED_DISTRICT,
    VACANT_COORDINATOR_DISTRICT,
    build_demo_register,
)
from lcpg.domain.blueprint import Blueprint
from lcpg.domain.model import Meeting, MeetingStatus, Person
from lcpg.domain.register import Register
from lcpg.notify.compose import (
    DEFAULT_ADVICE,
    TEXT_WIDTH,
    EmailSettings,
    advice,
    compose_week,
    county_subject,
    district_subject,
    finding_counts,
)
from lcpg.notify.messages import COUNTY, OutgoingMessage, district_kind
from rules.catalogue import REGISTRY
from rules.engine import check
from rules.findings import Comparison, Finding, Report, Severity

DEMO_DAY = date(2026, 11, 22)  # a Sunday
AS_OF = date(2026, 11, 23)  # the Monday of 2026-W48
WEEK = "2026-W48"
SETTINGS = EmailSettings(
    team=("partnership-team@example.org", "Ann Analyst <ann@example.org>"),
    sender="LCPG compliance <lcpg@example.org>",
    dashboard_url="https://lcpg.example.org/",
    feeds_url="https://lcpg.example.org/feeds",
)
EVIL = "<script>alert('x')</script>"


@pytest.fixture(scope="module")
def register(kent: Blueprint) -> Register:
    return build_demo_register(kent, DEMO_DAY)


@pytest.fixture(scope="module")
def report(register: Register, kent: Blueprint) -> Report:
    return check(register, kent, AS_OF)


@pytest.fixture(scope="module")
def messages(register: Register, report: Report, kent: Blueprint) -> list[OutgoingMessage]:
    return compose_week(WEEK, DEMO_DAY, report, None, register, kent, SETTINGS)


def finding(body: str, severity: Severity, rule: str = "roles.chair", subject: str = "") -> Finding:
    return Finding(rule, severity, body, subject, f"{rule} on {body} {subject}", "A clause.")


def flat(text: str) -> str:
    """Whitespace collapsed, so that wrapped text can be searched."""
    return " ".join(text.split())


class Texts(HTMLParser):
    """The text an HTML part shows, entities decoded."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def shown(html: str) -> str:
    parser = Texts()
    parser.feed(html)
    return flat(" ".join(parser.parts))


def of_kind(messages: list[OutgoingMessage], kind: str) -> list[OutgoingMessage]:
    return [m for m in messages if m.kind == kind]


def names_of(register: Register) -> dict[str, str]:
    return {p.email: p.name for p in register.people}


# --- subjects ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("errors", "warnings", "infos", "expected"),
    [
        (3, 5, 0, "3 errors, 5 warnings"),
        (1, 2, 0, "1 error, 2 warnings"),
        (0, 1, 0, "0 errors, 1 warning"),
        (2, 0, 1, "2 errors, 0 warnings, 1 info"),
        (0, 0, 4, "0 errors, 0 warnings, 4 info"),
        (0, 0, 0, "no findings"),
    ],
)
def test_finding_counts(errors: int, warnings: int, infos: int, expected: str) -> None:
    findings = [
        finding("lcpg-swale", severity, subject=str(i))
        for severity, count in (
            (Severity.ERROR, errors),
            (Severity.WARNING, warnings),
            (Severity.INFO, infos),
        )
        for i in range(count)
    ]
    assert finding_counts(findings) == expected


def test_subject_functions() -> None:
    findings = [finding("lcpg-gravesham", Severity.ERROR)]
    assert (
        county_subject("2027-W05", findings)
        == "LCPG compliance, week 2027-W05: 1 error, 0 warnings"
    )
    assert district_subject("2027-W05", "Gravesham", []) == (
        "LCPG compliance, week 2027-W05, Gravesham: no findings"
    )
    assert district_subject("2027-W05", "Folkestone\r\n& Hythe", []) == (
        "LCPG compliance, week 2027-W05, Folkestone & Hythe: no findings"
    )


def test_subjects_say_the_week_and_the_counts(register: Register, kent: Blueprint) -> None:
    gravesham = "lcpg-gravesham"
    findings = (
        finding(gravesham, Severity.ERROR, "roles.coordinator"),
        finding(gravesham, Severity.WARNING, "attendance.core-sectors", "2026-09-01T10:00"),
        finding(gravesham, Severity.WARNING, "attendance.core-sectors", "2026-11-01T10:00"),
        finding("lcpg-swale", Severity.ERROR, "membership.core-sectors"),
        finding("lcpg-swale", Severity.WARNING, "membership.invited"),
        finding("lcpg-dover", Severity.ERROR, "roles.coordinator"),
        finding("chwb", Severity.WARNING, "governance.chwb-representation", "2026-09-09T14:00"),
        finding("chwb", Severity.WARNING, "records.unrecorded", "2026-11-11T14:00"),
    )
    bodies = {b.slug: b.name for b in register.bodies}
    report = Report(AS_OF, kent.name, findings, bodies)
    messages = compose_week("2027-W05", AS_OF, report, None, register, kent, SETTINGS)
    subjects = {m.kind: m.subject for m in messages}
    assert subjects[COUNTY] == "LCPG compliance, week 2027-W05: 3 errors, 5 warnings"
    assert subjects[district_kind("gravesham")] == (
        "LCPG compliance, week 2027-W05, Gravesham: 1 error, 2 warnings"
    )
    assert subjects[district_kind("swale")] == (
        "LCPG compliance, week 2027-W05, Swale: 1 error, 1 warning"
    )
    assert subjects[district_kind("ashford")] == (
        "LCPG compliance, week 2027-W05, Ashford: no findings"
    )
    assert subjects[district_kind("folkestone-and-hythe")] == (
        "LCPG compliance, week 2027-W05, Folkestone & Hythe: no findings"
    )
    assert all(m.week == "2027-W05" for m in messages)
    ashford = of_kind(messages, district_kind("ashford"))[0]
    assert "No findings: Ashford LCPG meets the blueprint" in flat(ashford.text)


# --- recipients ----------------------------------------------------------------------------


def test_one_county_email_per_team_address_first(messages: list[OutgoingMessage]) -> None:
    county = [m for m in messages if m.kind == COUNTY]
    assert messages[: len(county)] == county
    assert [(m.recipient, m.recipient_name) for m in county] == [
        ("partnership-team@example.org", "Partnership team"),
        ("ann@example.org", "Ann Analyst"),
    ]
    assert county[0].text == county[1].text


def test_district_emails_go_to_each_chair_and_coordinator(
    messages: list[OutgoingMessage], register: Register
) -> None:
    names = names_of(register)
    for body in register.bodies:
        if body.district is None:
            continue
        chairs = {a.email for a in register.role_holders(body.slug, "chair", AS_OF)}
        coordinators = {a.email for a in register.role_holders(body.slug, "coordinator", AS_OF)}
        sent = of_kind(messages, district_kind(body.district))
        assert sorted(m.recipient for m in sent) == sorted(chairs | coordinators), body.slug
        for message in sent:
            assert message.recipient_name == names[message.recipient]
    # Kinds come district by district, in blueprint order.
    kinds = [m.kind for m in messages if m.kind != COUNTY]
    assert list(dict.fromkeys(kinds)) == [
        district_kind(b.district) for b in register.bodies if b.district
    ]


def test_co_chairs_both_get_one_and_a_vacant_coordinator_gets_none(
    messages: list[OutgoingMessage], register: Register
) -> None:
    maidstone = of_kind(messages, district_kind(CO_CHAIR_DISTRICT))
    chairs = register.role_holders(f"lcpg-{CO_CHAIR_DISTRICT}", "chair", AS_OF)
    assert len(chairs) == 2
    assert {m.recipient for m in maidstone} >= {a.email for a in chairs}
    assert len(maidstone) == 3
    first = next(m for m in maidstone if m.recipient == chairs[0].email)
    assert "which you receive as its co-chair" in flat(first.text)

    dover = of_kind(messages, district_kind(VACANT_COORDINATOR_DISTRICT))
    (chair,) = register.role_holders(f"lcpg-{VACANT_COORDINATOR_DISTRICT}", "chair", AS_OF)
    assert [m.recipient for m in dover] == [chair.email]
    assert "which you receive as its chair." in flat(dover[0].text)


def test_someone_holding_both_roles_gets_one_email(
    register: Register, report: Report, kent: Blueprint
) -> None:
    body = "lcpg-gravesham"
    (chair,) = register.role_holders(body, "chair", AS_OF)
    memberships = tuple(
        replace(m, roles=(*m.roles, "coordinator"))
        if m.body == body and m.email == chair.email and "chair" in m.roles
        else m
        for m in register.memberships
    )
    both = replace(register, memberships=memberships)
    messages = compose_week(WEEK, DEMO_DAY, report, None, both, kent, SETTINGS)
    gravesham = of_kind(messages, district_kind("gravesham"))
    assert [m.recipient for m in gravesham].count(chair.email) == 1
    mine = next(m for m in gravesham if m.recipient == chair.email)
    assert "which you receive as its chair and co-ordinator" in flat(mine.text)


def test_a_district_with_nobody_to_write_to_is_named_in_the_county_email(
    register: Register, report: Report, kent: Blueprint
) -> None:
    body = f"lcpg-{VACANT_COORDINATOR_DISTRICT}"
    memberships = tuple(
        replace(m, roles=tuple(r for r in m.roles if r != "chair")) if m.body == body else m
        for m in register.memberships
    )
    nobody = replace(register, memberships=memberships)
    messages = compose_week(WEEK, DEMO_DAY, report, None, nobody, kent, SETTINGS)
    assert of_kind(messages, district_kind(VACANT_COORDINATOR_DISTRICT)) == []
    county = of_kind(messages, COUNTY)[0]
    expected = "No district email for Dover: it has no current chair or co-ordinator"
    assert expected in flat(county.text)
    assert expected.replace(":", ":</strong>") in flat(county.html)


def test_composing_is_deterministic(
    register: Register, report: Report, kent: Blueprint, messages: list[OutgoingMessage]
) -> None:
    assert compose_week(WEEK, DEMO_DAY, report, None, register, kent, SETTINGS) == messages
    assert len({m.key for m in messages}) == len(messages)


# --- the county email ----------------------------------------------------------------------


def test_county_email_shows_every_district_at_a_glance(
    messages: list[OutgoingMessage], kent: Blueprint
) -> None:
    county = of_kind(messages, COUNTY)[0]
    lines = county.text.splitlines()
    for district in kent.districts:
        assert any(line.startswith(district.name + " ") for line in lines), district.name

    def row(name: str) -> str:
        return next(line for line in lines if line.startswith(name + " "))

    assert "quarterly (!)" in row("Sevenoaks")
    assert "every two months" in row("Gravesham")
    text = flat(county.text)
    assert "Swale every two months" in text
    assert "Missing core sectors: Police, Housing" in text
    assert "Vacant roles: Co-ordinator" in text
    html = flat(county.html)
    assert ">quarterly</td>" in html
    assert ">Police, Housing</td>" in html
    assert ">Co-ordinator</td>" in html
    assert 'href="https://lcpg.example.org/districts/swale"' in html
    assert 'href="https://lcpg.example.org/"' in html


def test_county_email_lists_the_next_three_weeks_and_unrecorded_meetings(
    register: Register, report: Report, kent: Blueprint
) -> None:
    swale = f"lcpg-{MISSING_SECTORS_DISTRICT}"
    extra = (
        Meeting(
            "m-soon", swale, datetime(2026, 12, 10, 10), datetime(2026, 12, 10, 12), "Soon Hall"
        ),
        Meeting(
            "m-late", swale, datetime(2026, 12, 14, 10), datetime(2026, 12, 14, 12), "Late Hall"
        ),
        Meeting(
            "m-off",
            swale,
            datetime(2026, 12, 11, 10),
            datetime(2026, 12, 11, 12),
            "Called Off Hall",
            MeetingStatus.CANCELLED,
        ),
    )
    more = replace(register, meetings=(*register.meetings, *extra))
    county = of_kind(compose_week(WEEK, DEMO_DAY, report, None, more, kent, SETTINGS), COUNTY)[0]
    text = flat(county.text)
    assert "MEETINGS IN THE NEXT THREE WEEKS (23 November to 13 December 2026)" in text
    assert "Thu 10 Dec 2026 10:00–12:00 Swale LCPG Soon Hall, planned" in text
    assert "Late Hall" not in text  # 14 December: day 22
    assert "Called Off Hall" not in text
    assert "LCPG Safeguarding Group" in text.split("MEETINGS IN THE NEXT")[1]

    unrecorded = text.split("PAST MEETINGS NOT YET RECORDED")[1].split("DASHBOARD")[0]
    assert "Fri 25 Sep 2026 14:00–16:00 Thanet LCPG (still planned)" in unrecorded
    assert UNRECORDED_DISTRICT.title() in unrecorded


def test_no_check_before_the_week_says_so(messages: list[OutgoingMessage]) -> None:
    # Not "the first recorded check": later checks may be recorded, just none before Monday.
    for message in messages:
        text = flat(message.text)
        assert "first recorded check" not in text
        assert "No check was recorded as of a day before Monday 23 November 2026" in text


def test_new_and_resolved_since_the_last_check(
    register: Register, report: Report, kent: Blueprint
) -> None:
    new = next(f for f in report.findings if f.body == f"lcpg-{QUARTERLY_DISTRICT}")
    gone = Finding(
        "roles.chair",
        Severity.ERROR,
        f"lcpg-{QUARTERLY_DISTRICT}",
        "",
        "No chair since 31 Dec 2025.",
        "CHAIR: Each LCPG will nominate or elect a chair.",
    )
    comparison = Comparison(date(2026, 11, 16), new=(new,), resolved=(gone,), previous_run=7)
    messages = compose_week(WEEK, DEMO_DAY, report, comparison, register, kent, SETTINGS)

    county = of_kind(messages, COUNTY)[0]
    text = flat(county.text)
    assert "Since check 7, as of 16 November 2026: 1 new, 1 resolved." in text
    assert f"New (1): - {new.severity.value.title()} {new.rule}" in text
    assert f"Sevenoaks LCPG: {flat(new.message)}" in text
    assert "Resolved (1): - Error roles.chair Sevenoaks LCPG: No chair since 31 Dec 2025." in text
    assert "No chair since 31 Dec 2025." in county.html

    sevenoaks = of_kind(messages, district_kind(QUARTERLY_DISTRICT))[0]
    assert "Since check 7, as of 16 November 2026: 1 new, 1 resolved." in flat(sevenoaks.text)
    assert f"* NEW {flat(new.message)}" in flat(sevenoaks.text)
    assert ">NEW</span>" in sevenoaks.html
    assert "RESOLVED SINCE 16 NOVEMBER 2026" in sevenoaks.text
    # Other districts see only their own changes.
    swale = of_kind(messages, district_kind(MISSING_SECTORS_DISTRICT))[0]
    assert "Since check 7, as of 16 November 2026: 0 new, 0 resolved." in flat(swale.text)
    assert "No chair since" not in swale.text


# --- the district email --------------------------------------------------------------------


def test_district_email_gives_findings_clauses_and_advice(
    messages: list[OutgoingMessage], report: Report
) -> None:
    swale = of_kind(messages, district_kind(MISSING_SECTORS_DISTRICT))[0]
    text, html = flat(swale.text), shown(swale.html)
    found = [f for f in report.findings if f.body == f"lcpg-{MISSING_SECTORS_DISTRICT}"]
    assert found
    for f in found:
        assert flat(f.message) in text
        assert f.rule in text
        assert flat(f.clause) in text
        assert advice(f.rule) in text
        assert flat(f.message).replace("`", "") in html.replace(" ,", ",")
        assert f.rule in html
        assert flat(f.clause) in html
        assert advice(f.rule).replace("`", "") in html.replace(" )", ")")
    # One clause and one piece of advice per rule, however many findings it has.
    attendance = [f for f in found if f.rule == "attendance.core-sectors"]
    assert len(attendance) > 1
    assert text.count(advice("attendance.core-sectors")) == 1
    assert "attendance.core-sectors (6 findings)" in text
    assert "Blueprint says" not in text  # the wording is "The blueprint says:"
    assert "The blueprint says:" in text


def test_a_held_meeting_without_attendance_in_the_emails(
    messages: list[OutgoingMessage], report: Report
) -> None:
    body = f"lcpg-{ATTENDANCE_UNRECORDED_DISTRICT}"
    (missing,) = [
        f for f in report.findings if f.rule == "records.attendance-missing" and f.body == body
    ]
    district = of_kind(messages, district_kind(ATTENDANCE_UNRECORDED_DISTRICT))[0]
    text, html = flat(district.text), shown(district.html)
    assert "records.attendance-missing" in text and "records.attendance-missing" in html
    assert flat(missing.message) in text and flat(missing.message) in html
    assert advice("records.attendance-missing") in text
    assert advice("records.attendance-missing").replace("`", "") in html.replace(" )", ")")
    # The county email counts it in the district's row.
    county = flat(of_kind(messages, COUNTY)[0].text)
    counts = [
        sum(1 for f in report.findings if f.body == body and f.severity is severity)
        for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO)
    ]
    assert counts[1] >= 1
    assert f"Folkestone & Hythe every two months {' '.join(map(str, counts))}" in county


def test_district_email_lists_next_meetings_and_the_feed(
    messages: list[OutgoingMessage], register: Register
) -> None:
    swale = of_kind(messages, district_kind(MISSING_SECTORS_DISTRICT))[0]
    upcoming = [
        m
        for m in register.meetings_of(f"lcpg-{MISSING_SECTORS_DISTRICT}")
        if m.start.date() >= AS_OF and m.status is not MeetingStatus.CANCELLED
    ]
    assert upcoming
    text = flat(swale.text)
    assert f"{upcoming[0].venue}, {upcoming[0].status.value}" in text
    assert "https://lcpg.example.org/feeds/lcpg-swale.ics" in text
    assert "webcal://lcpg.example.org/feeds/lcpg-swale.ics" in text
    assert 'href="webcal://lcpg.example.org/feeds/lcpg-swale.ics"' in swale.html
    assert 'href="https://lcpg.example.org/districts/swale"' in swale.html


def test_every_rule_has_advice() -> None:
    for rule in REGISTRY:
        assert advice(rule.id) == rule.advice != DEFAULT_ADVICE
    assert advice("cadence.bimonthly") == (
        "Plan a meeting in each cycle: `lcpg plan` proposes dates in the weeks after each CHWB."
    )


def test_a_rule_lcpg_no_longer_knows_gets_the_default_advice() -> None:
    assert advice("cadence.weekly") == DEFAULT_ADVICE


# --- what the parts may hold ---------------------------------------------------------------


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_html_is_made_for_outlook(messages: list[OutgoingMessage]) -> None:
    for message in messages:
        parser = Tags()
        parser.feed(message.html)
        tags = {tag for tag, _ in parser.tags}
        assert not tags & {"script", "style", "link", "img", "iframe", "form", "object"}
        assert all("class" not in attrs for _, attrs in parser.tags)
        for tag, attrs in parser.tags:
            if tag in ("td", "th", "p", "h1", "h2", "a", "table"):
                assert attrs.get("style"), (message.kind, tag)
            for value in attrs.values():
                assert "url(" not in (value or "")
            if tag == "a":
                assert (attrs.get("href") or "").startswith(("https://", "webcal://", "http://"))
        assert "max-width:640px" in message.html
        assert '<table role="presentation" width="640"' in message.html  # Outlook's column
        assert message.html.startswith("<!DOCTYPE html>")


def test_text_fits_78_columns(messages: list[OutgoingMessage]) -> None:
    for message in messages:
        for line in message.text.splitlines():
            assert len(line) <= TEXT_WIDTH, (message.kind, line)


def test_text_is_not_escaped_but_html_is(messages: list[OutgoingMessage]) -> None:
    county = of_kind(messages, COUNTY)[0]
    assert "Folkestone & Hythe" in county.text
    assert "&amp;" not in county.text
    assert "Folkestone &amp; Hythe" in county.html


def test_names_and_venues_cannot_inject_markup_or_lines(
    register: Register, kent: Blueprint
) -> None:
    body = "lcpg-gravesham"
    (chair,) = register.role_holders(body, "chair", AS_OF)
    people = tuple(
        Person(p.email, f"{EVIL}\r\nBcc: evil@example.org", p.organisation)
        if p.email == chair.email
        else p
        for p in register.people
    )
    upcoming = next(m for m in register.meetings_of(body) if m.start.date() >= AS_OF)
    meetings = tuple(
        replace(m, venue=f"{EVIL}\nRoom 2") if m is upcoming else m for m in register.meetings
    )
    bodies = tuple(
        replace(b, name=f"Gravesham {EVIL}") if b.slug == body else b for b in register.bodies
    )
    evil = replace(register, people=people, meetings=meetings, bodies=bodies)
    messages = compose_week(WEEK, DEMO_DAY, check(evil, kent, AS_OF), None, evil, kent, SETTINGS)
    for message in messages:
        assert "<script" not in message.html
        assert "\n" not in message.subject and "\r" not in message.recipient_name
    mine = next(m for m in messages if m.recipient == chair.email)
    assert mine.recipient_name == f"{EVIL} Bcc: evil@example.org"
    assert (
        "Dear &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Bcc: evil@example.org," in mine.html
    )
    assert f"{EVIL} Room 2" in mine.text  # plain text: shown as written, on one line
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Room 2" in mine.html
    county = of_kind(messages, COUNTY)[0]
    assert "Gravesham &lt;script&gt;" in county.html
