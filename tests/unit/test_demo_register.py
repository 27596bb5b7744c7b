"""The demo register: deterministic, fictional, valid against the blueprint, and true to the
scenarios it claims (``lcpg.demo.DEMO_SCENARIOS``)."""

from __future__ import annotations

import random
import re
from collections import defaultdict
from datetime import date, datetime, timedelta
from itertools import pairwise

import pytest

from cycle.windows import cycles_between
from lcpg.demo import (
    ATTENDANCE_UNRECORDED_DISTRICT,
    BIMONTHLY_DISTRICTS,
    CANCELLED_DISTRICT,
    CO_CHAIR_DISTRICT,
    COORDINATOR_HANDOVER_DISTRICT,
    DEMO_SCENARIOS,
    MISSING_SECTORS,
    MISSING_SECTORS_DISTRICT,
    QUARTERLY_DISTRICT,
    QUARTERLY_MONTHS,
    UNRECORDED_DISTRICT,
    VACANT_COORDINATOR_DISTRICT,
    build_demo_register,
)
from lcpg.demo.names import FIRST_NAMES, SURNAMES
from lcpg.domain.blueprint import Blueprint
from lcpg.domain.model import Attendance, AttendanceStatus, BodyKind, Meeting, MeetingStatus
from lcpg.domain.register import Register

TODAY = date(2026, 11, 22)
SEED_TIME = date(2018, 2, 15)  # when the seed district reports were written

# Surnames of the real people named in the seed documents: the Sevenoaks chair and the Mental
# Health sub-group chair in 000_*.txt; the West Kent chairs, KCC members and co-ordinators in
# 001_*.txt. No demo person may carry one of them.
REAL_SURNAMES = (
    "Davis",
    "Roberts",
    "Birdi",
    "Ademuyiwa",
    "Whittle",
    "McKeen",
    "Brightwell",
    "Pearman",
    "Marks",
    "Shaw",
    "Dagger",
    "Green",
    "Chalmers",
    "Oakford",
    "Beale",
)

ATTENDED = {AttendanceStatus.PRESENT, AttendanceStatus.REPRESENTED}


@pytest.fixture(scope="module", params=[TODAY, SEED_TIME], ids=["2026", "2018"])
def today(request: pytest.FixtureRequest) -> date:
    value: date = request.param
    return value


@pytest.fixture(scope="module")
def register(kent: Blueprint, today: date) -> Register:
    return build_demo_register(kent, today)


def lcpg(slug: str) -> str:
    return f"lcpg-{slug}"


def current_sectors(register: Register, district: str, on: date) -> set[str]:
    return {m.sector for m in register.memberships_of(lcpg(district), on)}


def held(register: Register, body: str) -> list[Meeting]:
    return [m for m in register.meetings_of(body) if m.status is MeetingStatus.HELD]


def held_in_year_to(register: Register, body: str, today: date) -> list[Meeting]:
    since = today - timedelta(days=365)
    return [m for m in held(register, body) if since < m.start.date() <= today]


def chairs_on(register: Register, kent: Blueprint, on: date) -> set[str]:
    return {
        holder.email
        for district in kent.district_list
        for holder in register.role_holders(lcpg(district.slug), "chair", on)
    }


# -- determinism and purity ------------------------------------------------------------------


def test_two_builds_are_equal(kent: Blueprint, today: date, register: Register) -> None:
    assert build_demo_register(kent, today) == register


def test_leaves_the_global_random_state_alone(kent: Blueprint, today: date) -> None:
    state = random.getstate()
    build_demo_register(kent, today)
    assert random.getstate() == state


def test_bodies_are_the_blueprints(kent: Blueprint, register: Register) -> None:
    assert [b.slug for b in register.bodies] == [b.slug for b in kent.bodies_list()]
    for body in register.bodies:
        if body.kind is BodyKind.LCPG:
            # Each district's slot is recorded as its planning preference.
            assert body.preferred_weekday in range(5)
            assert body.preferred_time is not None and body.venue
            held = [m for m in register.meetings_of(body.slug) if m.status is MeetingStatus.HELD]
            assert held[-1].start.time() == body.preferred_time
            assert held[-1].start.weekday() == body.preferred_weekday
        else:
            assert body.preferred_weekday is None


# -- people --------------------------------------------------------------------------------


def test_emails_are_unique_lower_case_example_org_addresses(register: Register) -> None:
    emails = [p.email for p in register.people]
    assert len(emails) == len(set(emails))
    for person in register.people:
        first, last = person.name.lower().split()
        assert person.email == f"{first}.{last}@example.org"
        assert person.organisation


def test_every_membership_and_attendance_names_a_person(register: Register) -> None:
    people = {p.email for p in register.people}
    assert {m.email for m in register.memberships} <= people
    assert {a.email for a in register.attendance} <= people


def test_no_real_names_from_the_seeds(register: Register) -> None:
    real = {s.lower() for s in REAL_SURNAMES}
    assert not real & {s.lower() for s in SURNAMES}
    for person in register.people:
        assert not real & set(re.split(r"[\s-]+", person.name.lower())), person.name
    assert len(FIRST_NAMES) * len(SURNAMES) > 10 * len(register.people)


# -- slugs ---------------------------------------------------------------------------------


def test_every_slug_is_valid_per_blueprint(kent: Blueprint, register: Register) -> None:
    bodies = {b.slug for b in kent.bodies_list()}
    for membership in register.memberships:
        assert membership.body in bodies
        assert membership.sector in kent.sector_slugs
        assert set(membership.roles) <= set(kent.role_slugs)
        assert membership.roles == tuple(sorted(membership.roles))
        assert membership.start is not None
        assert membership.end is None or membership.start <= membership.end
    assert {m.body for m in register.meetings} <= bodies
    # The natural keys the importer and the store upsert by (domain.changes) are unique.
    membership_keys = [(m.body, m.email, m.sector, m.start) for m in register.memberships]
    assert len(membership_keys) == len(set(membership_keys))
    meeting_keys = [(m.body, m.start) for m in register.meetings]
    assert len(meeting_keys) == len(set(meeting_keys))
    meeting_ids = [m.id for m in register.meetings]
    assert len(meeting_ids) == len(set(meeting_ids))
    assert {a.meeting_id for a in register.attendance} <= set(meeting_ids)


# -- membership and roles ------------------------------------------------------------------


def test_core_sectors_all_current_except_in_swale(
    kent: Blueprint, register: Register, today: date
) -> None:
    core = set(kent.core_sector_slugs)
    for district in kent.district_list:
        missing = core - current_sectors(register, district.slug, today)
        if district.slug == MISSING_SECTORS_DISTRICT:
            assert missing == set(MISSING_SECTORS) == {"police", "housing"}
        else:
            assert missing == set(), district.slug


def test_swale_police_left_over_a_year_ago_and_housing_never_existed(
    register: Register, today: date
) -> None:
    rows = register.memberships_of(lcpg(MISSING_SECTORS_DISTRICT))
    police = [m for m in rows if m.sector == "police"]
    assert police
    assert all(m.end is not None and m.end < today - timedelta(days=365) for m in police)
    assert not [m for m in rows if m.sector == "housing"]


def test_invited_seats_and_one_to_three_additional_members(
    kent: Blueprint, register: Register, today: date
) -> None:
    for district in kent.district_list:
        current = [m.sector for m in register.memberships_of(lcpg(district.slug), today)]
        assert current.count("kcc-member") == 1
        assert current.count("district-councillor") == 1
        assert 1 <= current.count("additional") <= 3


def test_chairs_one_each_and_maidstone_co_chairs(
    kent: Blueprint, register: Register, today: date
) -> None:
    for district in kent.district_list:
        chairs = register.role_holders(lcpg(district.slug), "chair", today)
        assert len(chairs) == (2 if district.slug == CO_CHAIR_DISTRICT else 1), district.slug
        assert len({c.email for c in chairs}) == len(chairs)


def test_coordinator_vacant_in_dover_only(kent: Blueprint, register: Register, today: date) -> None:
    for district in kent.district_list:
        holders = register.role_holders(lcpg(district.slug), "coordinator", today)
        expected = 0 if district.slug == VACANT_COORDINATOR_DISTRICT else 1
        assert len(holders) == expected, district.slug
    past = [
        m
        for m in register.memberships_of(lcpg(VACANT_COORDINATOR_DISTRICT))
        if "coordinator" in m.roles
    ]
    assert past
    assert all(m.end is not None and m.end < today - timedelta(days=90) for m in past)


def test_coordinator_until_september(register: Register, today: date) -> None:
    september = date(today.year if today > date(today.year, 9, 30) else today.year - 1, 9, 30)
    rows = [
        m
        for m in register.memberships_of(lcpg(COORDINATOR_HANDOVER_DISTRICT))
        if "coordinator" in m.roles
    ]
    assert [(m.start is not None and m.start > september, m.end) for m in rows] == [
        (False, september),
        (True, None),
    ]
    assert rows[1].start == september + timedelta(days=1)
    assert rows[0].email != rows[1].email


def test_some_members_left_and_were_replaced(register: Register, today: date) -> None:
    successors = {(m.body, m.sector, m.start) for m in register.memberships}
    replaced = [
        m
        for m in register.memberships
        if m.end is not None
        and m.end < today
        and (m.body, m.sector, m.end + timedelta(days=1)) in successors
        and "chair" not in m.roles  # the Sevenoaks chair row continues the same person
    ]
    assert len(replaced) >= 2


def test_safeguarding_lead_is_the_district_council_member(
    kent: Blueprint, register: Register, today: date
) -> None:
    for district in kent.district_list:
        leads = [
            m
            for m in register.memberships_of(lcpg(district.slug), today)
            if "safeguarding-lead" in m.roles
        ]
        assert [m.sector for m in leads] == ["district-council"]


def test_one_hwb_link_per_linked_local_hwb(
    kent: Blueprint, register: Register, today: date
) -> None:
    for district in kent.district_list:
        links = register.role_holders(lcpg(district.slug), "hwb-link", today)
        assert len(links) == len(kent.hwbs_for(district.slug)), district.slug
        assert len({link.email for link in links}) == len(links)
    assert len(kent.hwbs_for("sevenoaks")) == len(kent.hwbs_for("swale")) == 2


# -- cadence -------------------------------------------------------------------------------


def test_sevenoaks_meets_quarterly(register: Register, today: date) -> None:
    meetings = held_in_year_to(register, lcpg(QUARTERLY_DISTRICT), today)
    assert len(meetings) == 4
    assert {m.start.month for m in meetings} <= set(QUARTERLY_MONTHS) == {3, 6, 9, 12}
    assert {m.start.month for m in held(register, lcpg(QUARTERLY_DISTRICT))} <= {3, 6, 9, 12}


@pytest.mark.parametrize("district", BIMONTHLY_DISTRICTS)
def test_gravesham_and_dartford_meet_bi_monthly(
    register: Register, today: date, district: str
) -> None:
    meetings = held_in_year_to(register, lcpg(district), today)
    assert len(meetings) >= 6
    all_held = held(register, lcpg(district))
    gaps = [(b.start - a.start).days for a, b in pairwise(all_held)]
    assert max(gaps) <= 70


def test_lcpgs_follow_the_chwb_and_the_chairs_group_follows_the_lcpgs(
    kent: Blueprint, register: Register
) -> None:
    chwbs = [m.start for m in register.meetings_of("chwb")]
    cycles = cycles_between(chwbs, kent.cadence)
    assert len(cycles) >= 11
    lcpg_bodies = {lcpg(d.slug) for d in kent.district_list}
    lcpg_meetings = [m for m in register.meetings if m.body in lcpg_bodies]
    assert all(chwbs[0] < m.start < chwbs[-1] for m in lcpg_meetings)
    for cycle in cycles:
        in_cycle = [m for m in lcpg_meetings if cycle.chwb <= m.start < cycle.next_chwb]
        chairs = [
            m
            for m in register.meetings_of("chairs-group")
            if cycle.chwb <= m.start < cycle.next_chwb
        ]
        assert len(chairs) == 1, cycle.label
        chairs_start = chairs[0].start
        assert all(m.start < chairs_start for m in in_cycle), cycle.label
        assert chairs_start.date() <= cycle.chairs_deadline
        assert chairs_start < cycle.next_chwb
        for meeting in in_cycle:
            if meeting.status is MeetingStatus.HELD and meeting.body != lcpg(QUARTERLY_DISTRICT):
                assert meeting.start.date() >= cycle.lcpg_earliest, meeting
        # Every bi-monthly LCPG meets once in each cycle; the quarterly one at most once.
        per_body: defaultdict[str, int] = defaultdict(int)
        for meeting in in_cycle:
            per_body[meeting.body] += 1
        assert set(per_body.values()) == {1}
        assert lcpg_bodies - set(per_body) <= {lcpg(QUARTERLY_DISTRICT)}


def test_no_meeting_on_a_weekend_and_each_lasts_the_blueprint_length(
    kent: Blueprint, register: Register
) -> None:
    length = timedelta(minutes=kent.cadence.meeting_minutes)
    for meeting in register.meetings:
        assert meeting.start.weekday() < 5, meeting
        assert meeting.end - meeting.start == length
        assert meeting.venue


def test_safeguarding_group_meets_quarterly(register: Register, today: date) -> None:
    assert len(held_in_year_to(register, "safeguarding-group", today)) == 4


# -- statuses ------------------------------------------------------------------------------


def test_future_meetings_are_only_planned_and_only_in_the_current_cycle(
    register: Register, today: date
) -> None:
    chwbs = [m.start for m in register.meetings_of("chwb")]
    closing = chwbs[-1]
    assert closing.date() > today >= chwbs[-2].date()
    for meeting in register.meetings:
        if meeting.start.date() >= today:
            assert meeting.status in {MeetingStatus.PLANNED, MeetingStatus.CONFIRMED}
            assert meeting.start <= closing


def test_thanets_last_past_meeting_is_still_planned(register: Register, today: date) -> None:
    past_planned = [
        m
        for m in register.meetings
        if m.start.date() < today and m.status not in {MeetingStatus.HELD, MeetingStatus.CANCELLED}
    ]
    assert [m.body for m in past_planned] == [lcpg(UNRECORDED_DISTRICT)]
    past = [m for m in register.meetings_of(lcpg(UNRECORDED_DISTRICT)) if m.start.date() < today]
    assert past[-1] == past_planned[0]
    assert past_planned[0].status is MeetingStatus.PLANNED


def test_one_cancelled_meeting_in_a_bi_monthly_district(register: Register, today: date) -> None:
    cancelled = [m for m in register.meetings if m.status is MeetingStatus.CANCELLED]
    assert [m.body for m in cancelled] == [lcpg(CANCELLED_DISTRICT)]
    assert cancelled[0].start.date() < today - timedelta(days=365)
    # Still recognisably bi-monthly over the last twelve months.
    assert len(held_in_year_to(register, lcpg(CANCELLED_DISTRICT), today)) >= 6


# -- attendance ----------------------------------------------------------------------------


def test_attendance_only_at_held_meetings_by_members_on_the_day(
    kent: Blueprint, register: Register
) -> None:
    meetings = {m.id: m for m in register.meetings}
    pairs = [(a.meeting_id, a.email) for a in register.attendance]
    assert len(pairs) == len(set(pairs))
    lcpg_bodies = {lcpg(d.slug) for d in kent.district_list}
    for row in register.attendance:
        meeting = meetings[row.meeting_id]
        assert meeting.status is MeetingStatus.HELD
        if meeting.body in lcpg_bodies:
            members = register.memberships_of(meeting.body, meeting.start.date())
            assert row.email in {m.email for m in members}, (meeting, row)


def test_every_held_lcpg_meeting_has_its_members_marked(
    kent: Blueprint, register: Register
) -> None:
    marked: defaultdict[str, set[str]] = defaultdict(set)
    for row in register.attendance:
        marked[row.meeting_id].add(row.email)
    statuses = {row.status for row in register.attendance}
    assert statuses == set(AttendanceStatus)
    unmarked = [
        meeting
        for district in kent.district_list
        for meeting in held(register, lcpg(district.slug))
        if meeting.id not in marked
    ]
    # The attendance-unrecorded scenario: one district's meeting before last, and no other.
    expected = held(register, lcpg(ATTENDANCE_UNRECORDED_DISTRICT))[-2]
    assert unmarked == [expected]
    for district in kent.district_list:
        for meeting in held(register, lcpg(district.slug)):
            if meeting == expected:
                continue
            members = register.memberships_of(meeting.body, meeting.start.date())
            assert marked[meeting.id] == {m.email for m in members}


def test_mostly_present(register: Register) -> None:
    present = sum(1 for a in register.attendance if a.status is AttendanceStatus.PRESENT)
    assert present > 0.7 * len(register.attendance)


def test_exactly_one_held_chwb_with_a_single_chair(kent: Blueprint, register: Register) -> None:
    counts: list[int] = []
    by_meeting: defaultdict[str, list[Attendance]] = defaultdict(list)
    for row in register.attendance:
        by_meeting[row.meeting_id].append(row)
    for meeting in held(register, "chwb"):
        chairs = chairs_on(register, kent, meeting.start.date())
        rows = by_meeting[meeting.id]
        assert {r.email for r in rows} <= chairs
        counts.append(sum(1 for r in rows if r.status in ATTENDED))
    assert counts.count(1) == 1
    assert all(count >= 2 for count in counts if count != 1)


def test_groups_are_attended_by_chairs_and_safeguarding_leads(
    kent: Blueprint, register: Register
) -> None:
    by_meeting: defaultdict[str, set[str]] = defaultdict(set)
    for row in register.attendance:
        by_meeting[row.meeting_id].add(row.email)
    for meeting in held(register, "chairs-group"):
        assert by_meeting[meeting.id] == chairs_on(register, kent, meeting.start.date())
    for meeting in held(register, "safeguarding-group"):
        on = meeting.start.date()
        leads = {
            holder.email
            for district in kent.district_list
            for holder in register.role_holders(lcpg(district.slug), "safeguarding-lead", on)
        }
        assert by_meeting[meeting.id] == leads


# -- scenarios -----------------------------------------------------------------------------


def test_scenarios_name_real_bodies(kent: Blueprint) -> None:
    bodies = {b.slug for b in kent.bodies_list()}
    assert len({s.key for s in DEMO_SCENARIOS}) == len(DEMO_SCENARIOS)
    for scenario in DEMO_SCENARIOS:
        assert scenario.body in bodies
        assert scenario.description and "\n" not in scenario.description
        assert all(re.fullmatch(r"[a-z]+\.[a-z-]+", rule) for rule in scenario.rules)


def test_first_meeting_is_after_the_history_start(register: Register, today: date) -> None:
    first = min(m.start for m in register.meetings)
    assert first >= datetime.combine(today - timedelta(days=2 * 366), datetime.min.time())
