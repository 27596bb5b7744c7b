"""Every rule of DESIGN.md section 3: a compliant register gives no finding, and each breach
gives the finding that names it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from lcpg.domain.blueprint import Blueprint, RuleConfig
from lcpg.domain.model import AttendanceStatus, MeetingStatus, Membership
from lcpg.errors import BlueprintError
from rules.catalogue import REGISTRY
from rules.engine import check, configured_rules
from rules.findings import Finding, Severity
from rules.registry import Registry, Rule, RuleSettings
from tests.unit.rules_fixtures import (
    AS_OF,
    GRAVESHAM,
    compliant,
    email,
    meeting,
    replace_meetings,
    with_meetings,
    without_sectors,
)


def findings(
    blueprint: Blueprint, register, body: str = GRAVESHAM, as_of: date = AS_OF
) -> list[Finding]:
    return list(check(register, blueprint, as_of, body).findings)


def only(found: list[Finding], rule: str) -> Finding:
    matching = [f for f in found if f.rule == rule]
    assert len(matching) == 1, found
    return matching[0]


@pytest.mark.parametrize("body", [GRAVESHAM, "chwb", "chairs-group"])
def test_a_compliant_register_has_no_findings(kent: Blueprint, body: str) -> None:
    assert findings(kent, compliant(kent), body) == []


def test_every_rule_of_the_design_is_registered(kent: Blueprint) -> None:
    ids = [rule.id for rule, _ in configured_rules(kent)]
    assert sorted(ids) == sorted(
        [
            "cadence.bimonthly",
            "cycle.after-chwb",
            "cycle.chairs-after-lcpgs",
            "membership.core-sectors",
            "membership.invited",
            "roles.chair",
            "roles.coordinator",
            "roles.safeguarding-lead",
            "roles.hwb-link",
            "governance.chairs-group",
            "governance.safeguarding-group",
            "governance.chwb-representation",
            "attendance.core-sectors",
            "records.unrecorded",
            "records.attendance-missing",
            "plan.coverage",
        ]
    )


# -- cadence --------------------------------------------------------------------------------


def test_quarterly_district_from_the_seeds_is_flagged(kent: Blueprint) -> None:
    # Seed 000: Sevenoaks "meetings quarterly"; first 2018 meeting on 14 March in Swanley.
    quarterly = [
        datetime(2017, 6, 14, 10),
        datetime(2017, 9, 13, 10),
        datetime(2017, 12, 13, 10),
        datetime(2018, 3, 14, 10),
    ]
    register = replace_meetings(
        compliant(kent), GRAVESHAM, *(meeting(GRAVESHAM, d) for d in quarterly)
    )
    finding = only(findings(kent, register), "cadence.bimonthly")
    assert finding.severity is Severity.ERROR
    assert finding.evidence["detected"] == "quarterly"
    assert finding.evidence["held"] == 4
    assert finding.evidence["longest_gap_weeks"] == 13.0
    assert finding.message == (
        "Meets quarterly, not every two months: 4 held meetings in the 12 months to "
        "20 Mar 2018 (6 expected), longest gap 13 weeks."
    )
    assert finding.clause.startswith("It is expected that each LCPG will meet every two months")


def test_one_cancelled_meeting_still_reads_bimonthly_but_leaves_a_gap(kent: Blueprint) -> None:
    register = compliant(kent)
    july = next(
        m for m in register.meetings_of(GRAVESHAM) if m.start.month == 7 and m.start.year == 2017
    )
    cancelled = replace(july, status=MeetingStatus.CANCELLED)
    register = replace_meetings(
        register,
        GRAVESHAM,
        *(cancelled if m.id == july.id else m for m in register.meetings_of(GRAVESHAM)),
    )
    finding = only(findings(kent, register), "cadence.bimonthly")
    assert finding.evidence["detected"] == "bi-monthly"
    assert finding.evidence["cancelled"] == 1
    assert finding.evidence["longest_gap_weeks"] > 10
    assert finding.message.startswith("Meets every two months but not often enough")


def test_a_body_that_stopped_meeting_is_flagged_for_the_open_gap(kent: Blueprint) -> None:
    register = compliant(kent)
    kept = [m for m in register.meetings_of(GRAVESHAM) if m.start < datetime(2017, 11, 1)]
    finding = only(
        findings(kent, replace_meetings(register, GRAVESHAM, *kept)), "cadence.bimonthly"
    )
    assert finding.evidence["days_since_last"] > 70


def test_insufficient_data(kent: Blueprint) -> None:
    register = replace_meetings(
        compliant(kent), GRAVESHAM, meeting(GRAVESHAM, datetime(2018, 1, 18, 10))
    )
    finding = only(findings(kent, register), "cadence.bimonthly")
    assert finding.evidence["detected"] == "insufficient-data"
    assert finding.evidence["held"] == 1


# -- cycles ---------------------------------------------------------------------------------


def test_lcpg_too_soon_after_the_chwb(kent: Blueprint) -> None:
    soon = meeting(GRAVESHAM, datetime(2018, 1, 12, 10))  # two days after the CHWB of 10 Jan
    found = findings(kent, with_meetings(compliant(kent), soon))
    finding = only(found, "cycle.after-chwb")
    assert finding.subject == "2018-01-12T10:00"
    assert "only 2 days after the CHWB of 10 Jan 2018" in finding.message


def test_lcpg_after_its_chairs_group(kent: Blueprint) -> None:
    late = meeting(GRAVESHAM, datetime(2018, 2, 5, 10))  # the Chairs Group met on 1 Feb
    found = findings(kent, with_meetings(compliant(kent), late))
    assert "on or after the cycle's Chairs Group" in only(found, "cycle.after-chwb").message
    chairs = only(
        findings(kent, with_meetings(compliant(kent), late), "chairs-group"),
        "cycle.chairs-after-lcpgs",
    )
    assert chairs.evidence["lcpgs_after"] == [GRAVESHAM]
    assert chairs.subject == "2018-02-01T10:00"


def test_chairs_group_too_close_to_the_next_chwb(kent: Blueprint) -> None:
    register = compliant(kent)
    moved = [
        replace(m, start=datetime(2018, 3, 9, 10), end=datetime(2018, 3, 9, 12))
        if m.start.date() == date(2018, 2, 1)
        else m
        for m in register.meetings_of("chairs-group")
    ]
    finding = only(
        findings(kent, replace_meetings(register, "chairs-group", *moved), "chairs-group"),
        "cycle.chairs-after-lcpgs",
    )
    assert "less than 7 days before the next CHWB (14 Mar 2018)" in finding.message


# -- membership -----------------------------------------------------------------------------


def test_missing_core_sectors_are_listed(kent: Blueprint) -> None:
    found = findings(kent, without_sectors(compliant(kent), "housing", "police"))
    finding = only(found, "membership.core-sectors")
    assert finding.evidence["missing"] == ["police", "housing"]
    assert finding.message == "2 core sectors have no member: Police and Housing."


def test_a_member_whose_membership_ended_does_not_count(kent: Blueprint) -> None:
    register = compliant(kent)
    ended = tuple(
        replace(m, end=date(2018, 1, 31)) if m.sector == "housing" else m
        for m in register.memberships
    )
    assert only(findings(kent, replace(register, memberships=ended)), "membership.core-sectors")


def test_invited_seats(kent: Blueprint) -> None:
    finding = only(
        findings(kent, without_sectors(compliant(kent), "kcc-member")), "membership.invited"
    )
    assert finding.message == "Not invited: KCC Local Member."


# -- roles ----------------------------------------------------------------------------------


def test_vacant_coordinator_says_since_when(kent: Blueprint) -> None:
    register = compliant(kent)
    ended = tuple(
        replace(m, end=date(2017, 9, 30)) if "coordinator" in m.roles else m
        for m in register.memberships
    )
    found = findings(kent, replace(register, memberships=ended))
    finding = only(found, "roles.coordinator")
    assert finding.message == "No co-ordinator since 30 Sep 2017."
    assert finding.evidence["last_holder"] == "Early Help Gravesham"


def test_vacant_chair_also_leaves_the_district_off_the_chairs_group(kent: Blueprint) -> None:
    register = compliant(kent)
    memberships = tuple(
        replace(m, roles=()) if "chair" in m.roles and m.body == GRAVESHAM else m
        for m in register.memberships
    )
    found = findings(kent, replace(register, memberships=memberships))
    assert only(found, "roles.chair").message == "No chair."
    assert "the LCPG has no current chair" in only(found, "governance.chairs-group").message


def test_explicit_chairs_group_rows_that_leave_a_district_out(kent: Blueprint) -> None:
    register = compliant(kent)
    explicit = Membership("chairs-group", email("police", "dover"), "additional")
    found = findings(kent, replace(register, memberships=(*register.memberships, explicit)))
    assert (
        "own membership includes nobody from this LCPG"
        in only(found, "governance.chairs-group").message
    )


def test_safeguarding_lead_must_be_from_the_district_council(kent: Blueprint) -> None:
    register = compliant(kent)
    memberships = tuple(
        replace(m, roles=("safeguarding-lead",))
        if m.sector == "housing" and m.body == GRAVESHAM
        else replace(m, roles=())
        if "safeguarding-lead" in m.roles
        else m
        for m in register.memberships
    )
    finding = only(
        findings(kent, replace(register, memberships=memberships)), "roles.safeguarding-lead"
    )
    assert finding.message.startswith("The safeguarding lead does not sit for the District Council")


def test_no_safeguarding_lead_leaves_the_district_off_the_safeguarding_group(
    kent: Blueprint,
) -> None:
    register = compliant(kent)
    memberships = tuple(
        replace(m, roles=()) if "safeguarding-lead" in m.roles else m for m in register.memberships
    )
    found = findings(kent, replace(register, memberships=memberships))
    assert only(found, "roles.safeguarding-lead").message == "No safeguarding lead."
    assert only(found, "governance.safeguarding-group")


def test_one_hwb_link_for_each_linked_board(kent: Blueprint) -> None:
    register = compliant(kent)
    sevenoaks = tuple(
        replace(m, body="lcpg-sevenoaks") for m in register.memberships if m.body == GRAVESHAM
    )
    register = replace(register, memberships=(*register.memberships, *sevenoaks))
    finding = only(findings(kent, register, "lcpg-sevenoaks"), "roles.hwb-link")
    assert finding.evidence == {
        "links": 1,
        "boards": ["hwb-dartford-gravesham-and-swanley", "hwb-west-kent"],
    }
    assert not [f for f in findings(kent, register) if f.rule == "roles.hwb-link"]


# -- governance and attendance -------------------------------------------------------------


def test_chwb_with_one_chair(kent: Blueprint) -> None:
    register = compliant(kent)
    january = next(m for m in register.meetings_of("chwb") if m.start.date() == date(2018, 1, 10))
    attendance = tuple(
        a
        for a in register.attendance
        if not (a.meeting_id == january.id and a.email == email("police", "dover"))
    )
    finding = only(
        findings(kent, replace(register, attendance=attendance), "chwb"),
        "governance.chwb-representation",
    )
    assert finding.subject == "2018-01-10T14:00"
    assert finding.evidence["chairs_present"] == 1


def test_represented_counts_as_attending(kent: Blueprint) -> None:
    register = compliant(kent)
    represented = tuple(
        replace(a, status=AttendanceStatus.REPRESENTED) for a in register.attendance
    )
    assert findings(kent, replace(register, attendance=represented)) == []


def test_core_sector_absent_from_a_held_meeting(kent: Blueprint) -> None:
    register = compliant(kent)
    january = next(
        m for m in register.meetings_of(GRAVESHAM) if m.start.date() == date(2018, 1, 18)
    )
    attendance = tuple(
        replace(a, status=AttendanceStatus.APOLOGIES)
        if a.meeting_id == january.id and a.email == email("police")
        else a
        for a in register.attendance
    )
    finding = only(
        findings(kent, replace(register, attendance=attendance)), "attendance.core-sectors"
    )
    assert finding.evidence["missing"] == ["police"]
    assert finding.subject == "2018-01-18T10:00"


def test_meeting_with_no_attendance_recorded_is_not_an_attendance_finding(kent: Blueprint) -> None:
    register = compliant(kent)
    found = findings(kent, replace(register, attendance=()))
    # What is missing is the record, not the people: records.attendance-missing says so.
    assert found and {f.rule for f in found} == {"records.attendance-missing"}


# -- records and planning -------------------------------------------------------------------


def test_past_meeting_still_planned(kent: Blueprint) -> None:
    register = compliant(kent)
    january = next(
        m for m in register.meetings_of(GRAVESHAM) if m.start.date() == date(2018, 1, 18)
    )
    meetings = tuple(
        replace(m, status=MeetingStatus.PLANNED) if m.id == january.id else m
        for m in register.meetings
    )
    found = findings(kent, replace(register, meetings=meetings))
    finding = only(found, "records.unrecorded")
    assert finding.subject == "2018-01-18T10:00"
    assert "still planned" in finding.message


def without_attendance_at(register, body: str, day: date):
    """``register`` with the attendance of ``body``'s meeting on ``day`` removed."""
    meeting = next(m for m in register.meetings_of(body) if m.start.date() == day)
    kept = tuple(a for a in register.attendance if a.meeting_id != meeting.id)
    assert len(kept) < len(register.attendance)
    return replace(register, attendance=kept)


def test_held_lcpg_meeting_with_no_attendance_recorded(kent: Blueprint) -> None:
    register = without_attendance_at(compliant(kent), GRAVESHAM, date(2018, 1, 18))
    finding = only(findings(kent, register), "records.attendance-missing")
    assert finding.severity is Severity.WARNING
    assert finding.subject == "2018-01-18T10:00"
    assert "nobody recorded who attended" in finding.message
    assert "Attending or being represented at every meeting" in finding.clause


def test_held_chwb_meeting_with_no_attendance_recorded(kent: Blueprint) -> None:
    register = compliant(kent)
    held = [m for m in register.meetings_of("chwb") if m.status is MeetingStatus.HELD]
    register = without_attendance_at(register, "chwb", held[-2].start.date())
    found = findings(kent, register, "chwb")
    subject = held[-2].start.isoformat(timespec="minutes")
    assert only(found, "records.attendance-missing").subject == subject


def test_attendance_is_not_missing_within_the_grace_days(kent: Blueprint) -> None:
    register = without_attendance_at(compliant(kent), GRAVESHAM, date(2018, 1, 18))
    # Seven days to write up who came: flagged from the eighth day after the meeting.
    assert "records.attendance-missing" not in {
        f.rule for f in findings(kent, register, as_of=date(2018, 1, 25))
    }
    assert "records.attendance-missing" in {
        f.rule for f in findings(kent, register, as_of=date(2018, 1, 26))
    }


def test_attendance_is_not_asked_of_other_bodies(kent: Blueprint) -> None:
    register = compliant(kent)
    held = [m for m in register.meetings_of("chairs-group") if m.status is MeetingStatus.HELD]
    # The compliant register records no Chairs Group attendance: the rule covers LCPGs and
    # the CHWB only (the blueprint's applies_to).
    assert held and not any(a.meeting_id in {m.id for m in held} for a in register.attendance)
    assert findings(kent, register, "chairs-group") == []


def test_nothing_planned_in_the_next_cycle(kent: Blueprint) -> None:
    register = compliant(kent)
    kept = [
        m for m in register.meetings_of(GRAVESHAM) if m.start.date() <= AS_OF or m.start.month != 5
    ]
    finding = only(findings(kent, replace_meetings(register, GRAVESHAM, *kept)), "plan.coverage")
    assert finding.severity is Severity.INFO
    assert finding.subject == "2018-05-09"


def test_no_next_chwb_is_a_chwb_finding(kent: Blueprint) -> None:
    register = compliant(kent)
    past = [m for m in register.meetings_of("chwb") if m.start.date() <= AS_OF]
    found = findings(kent, replace_meetings(register, "chwb", *past), "chwb")
    assert "No CHWB meeting is planned after 20 Mar 2018" in only(found, "plan.coverage").message


def test_a_report_can_be_reproduced_as_of_a_past_date(kent: Blueprint) -> None:
    register = compliant(kent)
    assert check(register, kent, AS_OF) == check(register, kent, AS_OF)


# -- the engine and the blueprint's rule tables ----------------------------------------------


def _rule(rule_id: str = "x.y", title: str = "test", advice: str = "do this") -> Rule:
    return Rule(rule_id, title, advice, ("lcpg",), lambda c, s: [], {"limit": 2})


def test_registry_refuses_duplicate_ids() -> None:
    registry = Registry()
    rule = _rule()
    registry.add(rule)
    registry.add(_rule("x.z"))
    assert [r.id for r in registry] == ["x.y", "x.z"]
    with pytest.raises(ValueError, match="already registered"):
        registry.add(rule)


@pytest.mark.parametrize(
    ("rule", "why"),
    [
        (_rule("xy"), "not of the form family.name"),
        (_rule("x."), "not of the form family.name"),
        (_rule(title=" "), "needs a title and advice"),
        (_rule(advice=""), "needs a title and advice"),
    ],
)
def test_registry_refuses_a_rule_that_does_not_describe_itself(rule: Rule, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        Registry().add(rule)


def test_every_registered_rule_describes_itself(kent: Blueprint) -> None:
    for rule, settings in configured_rules(kent):
        assert rule.title.strip() and rule.advice.strip(), rule.id
        assert rule.id == f"{rule.family}.{rule.id.partition('.')[2]}"
        assert settings.rule == rule.id
    # The families in the order of the blueprint, as reports list them.
    assert REGISTRY.families() == (
        "cadence",
        "cycle",
        "membership",
        "roles",
        "governance",
        "attendance",
        "records",
        "plan",
    )


def test_findings_carry_their_rules_id_severity_and_clause(kent: Blueprint) -> None:
    register = replace_meetings(without_sectors(compliant(kent), "police"), GRAVESHAM)
    settings = {rule.id: s for rule, s in configured_rules(kent)}
    found = list(check(register, kent, AS_OF).findings)
    assert len({f.rule for f in found}) >= 3
    for f in found:
        assert (f.severity, f.clause) == (settings[f.rule].severity, settings[f.rule].clause)


def test_rule_settings_make_the_rules_findings() -> None:
    settings = RuleSettings("x.y", Severity.WARNING, "The clause.", ("lcpg",))
    made = settings.finding("lcpg-swale", "", "Something is wrong.", {"n": 1})
    assert made == Finding(
        "x.y", Severity.WARNING, "lcpg-swale", "", "Something is wrong.", "The clause.", {"n": 1}
    )
    assert settings.finding("lcpg-swale", "chair", "Vacant.").evidence == {}


def _registry_with_one_rule() -> Registry:
    registry = Registry()
    registry.add(_rule())
    return registry


def test_the_registry_configures_a_rule_from_its_table(kent: Blueprint) -> None:
    table = RuleConfig(severity="info", clause="The clause.", params={"limit": 3})
    ((rule, settings),) = _registry_with_one_rule().configure(replace(kent, rules={"x.y": table}))
    assert rule.id == "x.y"
    assert settings == RuleSettings("x.y", Severity.INFO, "The clause.", ("lcpg",), {"limit": 3})


@pytest.mark.parametrize(
    ("tables", "problem"),
    [
        ({"x.y": RuleConfig(severity="info", clause="  ")}, 'rules."x.y".clause: empty'),
        ({}, 'rules."x.y": missing'),
        (
            {"x.y": RuleConfig(severity="info", clause="c"), "x.q": RuleConfig("info", "c")},
            'rules."x.q": unknown rule (known: x.y)',
        ),
        (
            {"x.y": RuleConfig(severity="info", clause="c", params={"limits": 3})},
            'rules."x.y".params.limits: unknown parameter (known: limit)',
        ),
    ],
)
def test_the_registry_refuses_a_bad_rule_table(
    kent: Blueprint, tables: dict[str, RuleConfig], problem: str
) -> None:
    with pytest.raises(BlueprintError) as caught:
        _registry_with_one_rule().configure(replace(kent, rules=tables))
    assert any(p.startswith(problem) for p in caught.value.problems), caught.value.problems


def test_rules_are_tuned_in_the_blueprint(kent: Blueprint) -> None:
    softer = dict(kent.rules)
    softer["membership.core-sectors"] = replace(
        softer["membership.core-sectors"], severity="warning"
    )
    softer["cadence.bimonthly"] = replace(
        softer["cadence.bimonthly"], params={"meetings_per_year": 6, "max_gap_weeks": 20}
    )
    softer["roles.coordinator"] = replace(softer["roles.coordinator"], enabled=False)
    tuned = replace(kent, rules=softer)
    register = without_sectors(compliant(kent), "police")
    assert only(findings(tuned, register), "membership.core-sectors").severity is Severity.WARNING
    assert "roles.coordinator" not in [r.id for r, _ in configured_rules(tuned)]


def test_bad_rule_tables_are_reported_with_their_keys(kent: Blueprint) -> None:
    rules = dict(kent.rules)
    rules["cadence.weekly"] = RuleConfig(severity="info", clause="x")
    del rules["roles.chair"]
    rules["cadence.bimonthly"] = replace(
        rules["cadence.bimonthly"],
        params={"max_gap_weeks": "ten", "per_year": 6},
        applies_to=("lcpg", "board"),
    )
    with pytest.raises(BlueprintError) as caught:
        configured_rules(replace(kent, rules=rules))
    problems = caught.value.problems
    assert any(p.startswith('rules."cadence.weekly": unknown rule') for p in problems)
    assert 'rules."roles.chair": missing (every rule needs its severity and clause)' in problems
    assert "rules.\"cadence.bimonthly\".params.max_gap_weeks: expected int, got 'ten'" in problems
    assert any(
        p.startswith('rules."cadence.bimonthly".params.per_year: unknown parameter')
        for p in problems
    )
    assert "rules.\"cadence.bimonthly\".applies_to: unknown kind of body 'board'" in problems


def test_every_clause_is_quoted_from_the_blueprint_seed(kent: Blueprint) -> None:
    from pathlib import Path

    seed = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "004_9ae06cc52e9ca0a2.txt"
    if not seed.exists():
        pytest.skip("the shared seeds are not beside this checkout")
    text = " ".join(seed.read_text(encoding="utf-8").replace("**", "").split())
    for rule_id, config in kent.rules.items():
        assert " ".join(config.clause.split()) in text, rule_id
    assert " ".join(kent.cadence.clause.split()) in text


def test_rules_make_findings_only_through_their_settings() -> None:
    """A check that built a ``Finding`` itself could give it another rule's id, severity or
    clause; every concept module makes them with ``settings.finding``."""
    import ast
    import importlib

    from rules.catalogue import MODULES

    for name in MODULES:
        module = importlib.import_module(f"rules.{name}")
        tree = ast.parse(Path(module.__file__ or "").read_text(encoding="utf-8"))
        called = {
            node.func.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        }
        assert "Finding" not in called, name
