"""Property tests of the planner over random CHWB dates and preferences: every LCPG meeting in
its window, every Chairs Group after all twelve and before the next CHWB's deadline, every
cycle the year opens planned whole (into January when it must), nothing on a weekend or a
bank holiday, nobody at two meetings without the travel gap between them; or else a listed
problem. And
planning again over a saved plan changes nothing: no meeting moves, none is added or lost,
held and confirmed meetings are kept."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from cycle.chwb import RULE, ChwbDate
from cycle.planner import Placement, PlannedMeeting, plan_year
from lcpg.blueprints import KENT
from lcpg.domain.blueprint import Blueprint, load_blueprint
from lcpg.domain.model import BodyKind, Meeting, MeetingStatus, Membership
from lcpg.domain.register import Register
from lcpg.services.planning import day_rules


@cache
def kent() -> Blueprint:
    return load_blueprint(KENT)


@cache
def base_register() -> Register:
    """The demo's people and memberships, open-ended, and no meetings: the planner's input."""
    from lcpg.demo import build_demo_register

    demo = build_demo_register(kent(), date(2017, 1, 1))
    current = tuple(replace(m, start=None, end=None) for m in demo.memberships if m.end is None)
    return Register(bodies=demo.bodies, people=demo.people, memberships=current)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[int, list[ChwbDate], Register]:
    year = draw(st.sampled_from([2018, 2019, 2027]))
    day = date(year - 1, 11, 1) + timedelta(days=draw(st.integers(0, 50)))
    chwb: list[ChwbDate] = []
    while day < date(year + 1, 2, 1):
        chwb.append(ChwbDate(datetime.combine(day, time(14, 0)), RULE))
        day += timedelta(days=draw(st.integers(35, 70)))
    register = base_register()
    bodies = tuple(
        replace(
            b,
            preferred_weekday=draw(st.integers(0, 4)),
            preferred_time=draw(st.sampled_from([time(9, 30), time(10, 0), time(14, 0)])),
        )
        if b.kind is BodyKind.LCPG
        else b
        for b in register.bodies
    )
    lcpgs = [b.slug for b in bodies if b.kind is BodyKind.LCPG]
    first, second = draw(st.lists(st.sampled_from(lcpgs), min_size=2, max_size=2, unique=True))
    shared = "shared.member@example.org"
    memberships = (
        *register.memberships,
        Membership(first, shared, "additional"),
        Membership(second, shared, "additional"),
    )
    return year, chwb, replace(register, bodies=bodies, memberships=memberships)


@settings(max_examples=40, deadline=None)
@given(scenarios())
def test_every_plan_keeps_the_rules_or_lists_a_problem(
    scenario: tuple[int, list[ChwbDate], Register],
) -> None:
    year, chwb, register = scenario
    blueprint = kent()
    days = day_rules(blueprint, range(year - 1, year + 2))
    plan = plan_year(year, chwb, blueprint, register, days)
    kinds = {b.slug: b.kind for b in register.bodies}
    lcpgs = [slug for slug, kind in kinds.items() if kind is BodyKind.LCPG]
    problems = {(p.body, p.cycle) for p in plan.problems}

    assert all(m.placement is Placement.NEW for m in plan.meetings)
    # In the year, or in a cycle the year opens (whose meetings may fall in January).
    assert all(
        m.start.year == year or (m.cycle is not None and m.cycle.year == year)
        for m in plan.meetings
    )
    for cycle in plan.cycles:
        opening = cycle.chwb.date()
        in_cycle = [m for m in plan.meetings if m.cycle == opening]
        lcpg_meetings = [m for m in in_cycle if kinds[m.body] is BodyKind.LCPG]
        for meeting in lcpg_meetings:
            assert cycle.lcpg_earliest <= meeting.start.date() < cycle.chairs_deadline
        for meeting in (m for m in in_cycle if kinds[m.body] is BodyKind.CHAIRS_GROUP):
            assert all(m.start.date() < meeting.start.date() for m in lcpg_meetings)
            assert meeting.start.date() <= cycle.chairs_deadline < cycle.next_chwb.date()
        if cycle.chwb.year == year:
            placed = {m.body for m in lcpg_meetings}
            for body in lcpgs:
                assert body in placed or (body, opening) in problems
            assert (
                any(kinds[m.body] is BodyKind.CHAIRS_GROUP for m in in_cycle)
                or (
                    "chairs-group",
                    opening,
                )
                in problems
            )

    gap = timedelta(minutes=blueprint.cadence.travel_gap_minutes)
    busy: defaultdict[str, list[PlannedMeeting]] = defaultdict(list)
    for meeting in plan.meetings:
        day = meeting.start.date()
        if kinds[meeting.body] is not BodyKind.CHWB:
            assert days.blocked(day) is None, (meeting, days.blocked(day))
        for person in register.attendees(meeting.body, day):
            for other in busy[person]:
                apart = max(other.start - meeting.end, meeting.start - other.end)
                assert apart >= gap, (person, meeting, other)
            busy[person].append(meeting)


@settings(max_examples=25, deadline=None)
@given(scenarios(), st.data())
def test_planning_again_keeps_the_saved_plan_and_never_moves_a_held_or_confirmed_meeting(
    scenario: tuple[int, list[ChwbDate], Register], data: st.DataObject
) -> None:
    year, chwb, register = scenario
    blueprint = kent()
    days = day_rules(blueprint, range(year - 1, year + 2))
    first = plan_year(year, chwb, blueprint, register, days)
    kept = (MeetingStatus.CONFIRMED, MeetingStatus.HELD)
    statuses = data.draw(
        st.lists(
            st.sampled_from([MeetingStatus.PLANNED, *kept]),
            min_size=len(first.meetings),
            max_size=len(first.meetings),
        )
    )
    saved = tuple(
        Meeting(m.meeting_id, m.body, m.start, m.end, m.venue, status)
        for m, status in zip(first.meetings, statuses, strict=True)
    )
    again = plan_year(year, chwb, blueprint, replace(register, meetings=saved), days)

    replanned = {m.meeting_id: m for m in again.meetings}
    assert sorted(replanned) == sorted(m.id for m in saved)  # nothing added, nothing lost
    for meeting in saved:
        now = replanned[meeting.id]
        assert (now.start, now.end, now.status) == (meeting.start, meeting.end, meeting.status)
        expected = Placement.KEPT if meeting.status in kept else Placement.UNCHANGED
        assert now.placement is expected, now
    assert {(p.body, p.cycle) for p in again.problems} == {
        (p.body, p.cycle) for p in first.problems
    }
