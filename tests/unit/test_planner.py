"""The annual planner on the awkward cases: Christmas and Easter in a window, a six-week cycle,
the clocks changing, a year opened by a December CHWB, shared members, recorded meetings."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest

from cycle.chwb import GIVEN, REGISTER, RULE, ChwbDate, chwb_dates
from cycle.days import DayRules
from cycle.planner import TERM_DATES, Placement, Plan, plan_year
from lcpg.domain.blueprint import Blueprint
from lcpg.domain.model import BodyKind, Meeting, MeetingStatus, Membership, meeting_identity
from lcpg.domain.register import Register
from lcpg.domain.terms import covered_spans, load_academic_years, school_holidays
from lcpg.services.planning import day_rules

LCPGS = 12


def register_for(blueprint: Blueprint, **extra) -> Register:
    return Register(bodies=blueprint.bodies_list(), **extra)


def chwb_around(blueprint: Blueprint, year: int) -> list[ChwbDate]:
    dates = chwb_dates(blueprint.cadence, date(year - 1, 1, 1), date(year + 1, 12, 31))
    before = [d for d in dates if d.year < year][-1:]
    after = [d for d in dates if d.year > year][:1]
    return [ChwbDate(d, RULE) for d in before + [d for d in dates if d.year == year] + after]


def plan(blueprint: Blueprint, year: int, register: Register | None = None) -> Plan:
    return plan_year(
        year,
        chwb_around(blueprint, year),
        blueprint,
        register or register_for(blueprint),
        day_rules(blueprint, range(year - 1, year + 2)),
    )


def of(plan: Plan, body: str) -> list:
    return [m for m in plan.meetings if m.body == body]


def test_kent_2018_every_lcpg_once_a_cycle_then_the_chairs(kent: Blueprint) -> None:
    result = plan(kent, 2018)
    assert result.problems == ()
    assert len(of(result, "chwb")) == 6
    for cycle in result.cycles:
        in_cycle = [m for m in result.meetings if m.cycle == cycle.chwb.date()]
        lcpgs = [m for m in in_cycle if m.body.startswith("lcpg-")]
        chairs = [m for m in in_cycle if m.body == "chairs-group"]
        if cycle.chwb.year < 2018 or cycle.next_chwb.year > 2018:
            continue  # straddles the year: only part of it is returned
        assert len(lcpgs) == LCPGS
        assert all(cycle.lcpg_earliest <= m.start.date() < cycle.chairs_deadline for m in lcpgs)
        (chair,) = chairs
        assert max(m.start for m in lcpgs) < chair.start
        assert chair.start.date() <= cycle.chairs_deadline
    first = of(result, "lcpg-gravesham")[0]
    assert first.reason == "first Wednesday at least 7 days after CHWB of 10 Jan"
    assert first.start == datetime(2018, 1, 17, 10, 0)
    assert first.placement is Placement.NEW
    assert first.meeting_id == meeting_identity("lcpg-gravesham", first.start)


def test_plans_are_deterministic(kent: Blueprint) -> None:
    assert plan(kent, 2019) == plan(kent, 2019)


def test_easter_inside_the_window_is_skipped_with_reasons(kent: Blueprint) -> None:
    # The March 2018 cycle's window opens on Good Friday; Dover prefers Fridays.
    late = replace(kent, cadence=replace(kent.cadence, days_after_chwb=16))
    bodies = tuple(
        replace(b, preferred_weekday=4) if b.slug == "lcpg-dover" else b for b in late.bodies_list()
    )
    result = plan(late, 2018, Register(bodies=bodies))
    march = next(m for m in of(result, "lcpg-dover") if m.cycle == date(2018, 3, 14))
    assert march.start.date() == date(2018, 4, 20)
    assert march.reason == (
        "first Friday at least 16 days after CHWB of 14 Mar"
        "; 30 Mar skipped: bank holiday (Good Friday)"
        "; 6 Apr skipped: school holiday (Easter holidays 2018)"
        "; 13 Apr skipped: school holiday (Easter holidays 2018)"
    )


def test_christmas_fills_the_window_so_a_problem_is_listed(kent: Blueprint) -> None:
    # Opening the November 2017 cycle's window on 21 December leaves only the Christmas
    # holidays and bank holidays before the Chairs Group's deadline.
    late = replace(kent, cadence=replace(kent.cadence, days_after_chwb=43))
    result = plan(late, 2017)
    problems = [p for p in result.problems if p.body == "lcpg-ashford"]
    (problem,) = problems
    assert problem.cycle == date(2017, 11, 8)
    assert problem.message.startswith("no free working day in the window 21 Dec-2 Jan 2018")
    assert "27 Dec skipped: school holiday (Christmas holidays 2017/18)" in problem.message
    assert problem.closest == date(2017, 12, 20)
    assert not [m for m in of(result, "lcpg-ashford") if m.cycle == date(2017, 11, 8)]
    # The Chairs Group is still placed, after the LCPG meetings that could be placed: none.
    assert all(
        p.body.startswith("lcpg-") or p.body in ("chairs-group", TERM_DATES)
        for p in result.problems
    )


def test_a_six_week_cycle(kent: Blueprint) -> None:
    six = replace(
        kent,
        cadence=replace(kent.cadence, chwb_rrule="FREQ=WEEKLY;INTERVAL=6;BYDAY=WE", cycle_weeks=6),
    )
    result = plan(six, 2019)
    # A six-weekly CHWB lands in half terms now and then: listed, never moved.
    assert {p.body for p in result.problems} <= {"chwb"}
    assert all("school holiday" in p.message for p in result.problems)
    assert len(of(result, "chwb")) in (8, 9)
    for cycle in result.cycles:
        assert (cycle.next_chwb - cycle.chwb) == timedelta(weeks=6)
        lcpgs = [
            m
            for m in result.meetings
            if m.cycle == cycle.chwb.date() and m.body.startswith("lcpg-")
        ]
        assert all(cycle.lcpg_earliest <= m.start.date() < cycle.chairs_deadline for m in lcpgs)


def test_clocks_changing_inside_a_cycle_keep_the_wall_time(kent: Blueprint) -> None:
    # British Summer Time starts on 25 March 2018, inside the cycle of CHWB 14 March; opening
    # the LCPG window on 24 March puts the LCPGs after the change and the CHWB before it.
    later = replace(kent, cadence=replace(kent.cadence, days_after_chwb=10))
    march = [m for m in plan(later, 2018).meetings if m.cycle == date(2018, 3, 14)]
    chwb = next(m for m in march if m.body == "chwb")
    lcpgs = [m for m in march if m.body.startswith("lcpg-")]
    assert chwb.start == datetime(2018, 3, 14, 14, 0)
    assert all(m.start == datetime(2018, 3, 28, 10, 0) for m in lcpgs)
    assert chwb.start.replace(tzinfo=kent.zone).utcoffset() == timedelta(0)
    assert lcpgs[0].start.replace(tzinfo=kent.zone).utcoffset() == timedelta(hours=1)
    assert all(m.end - m.start == timedelta(minutes=kent.cadence.meeting_minutes) for m in march)


def test_first_lcpgs_of_a_year_follow_a_december_chwb(kent: Blueprint) -> None:
    december = replace(
        kent,
        cadence=replace(
            kent.cadence,
            chwb_rrule="FREQ=MONTHLY;INTERVAL=2;BYDAY=-1WE",
            chwb_first=datetime(2016, 12, 28, 14, 0),
        ),
    )
    result = plan(december, 2018)
    first = of(result, "lcpg-maidstone")[0]
    assert first.cycle == date(2017, 12, 27)
    # 3 January 2018 is still in the Christmas holidays.
    assert first.start.date() == date(2018, 1, 10)
    assert first.reason == (
        "first Wednesday at least 7 days after CHWB of 27 Dec 2017"
        "; 3 Jan skipped: school holiday (Christmas holidays 2017/18)"
    )
    # The CHWB of December 2017 belongs to 2017's plan, not this one; the cycle of 2018's own
    # December CHWB is planned whole, into January 2019.
    assert not [m for m in result.meetings if m.start.year < 2018]
    later = [m for m in result.meetings if m.start.year > 2018]
    assert later and {m.cycle for m in later} == {date(2018, 12, 26)}


def test_nobody_is_booked_twice_on_one_day(kent: Blueprint) -> None:
    shared = "kcc.member@example.org"
    memberships = (
        Membership("lcpg-dartford", shared, "kcc-member"),
        Membership("lcpg-gravesham", shared, "kcc-member"),
    )
    result = plan(kent, 2018, register_for(kent, memberships=memberships))
    dartford = of(result, "lcpg-dartford")[0]
    gravesham = of(result, "lcpg-gravesham")[0]
    assert dartford.start.date() == date(2018, 1, 17)
    assert gravesham.start.date() == date(2018, 1, 24)
    assert "17 Jan skipped: a member already booked at lcpg-dartford" in gravesham.reason


def booked_at_safeguarding(kent: Blueprint, lcpg_time: str) -> Plan:
    """Tunbridge Wells LCPG on Tuesdays at ``lcpg_time``; one of its members also sits on the
    Safeguarding Group, which meets on Tuesday 23 January 2018, 10:00-12:00."""
    shared = "safeguarding.lead@example.org"
    bodies = tuple(
        replace(b, preferred_weekday=1, preferred_time=time.fromisoformat(lcpg_time))
        if b.slug == "lcpg-tunbridge-wells"
        else b
        for b in kent.bodies_list()
    )
    safeguarding = Meeting(
        "sg-id",
        "safeguarding-group",
        datetime(2018, 1, 23, 10),
        datetime(2018, 1, 23, 12),
        "County Hall, Maidstone",
        MeetingStatus.CONFIRMED,
    )
    memberships = (
        Membership("lcpg-tunbridge-wells", shared, "additional"),
        Membership("safeguarding-group", shared, "additional"),
    )
    register = Register(bodies=bodies, memberships=memberships, meetings=(safeguarding,))
    return plan(kent, 2018, register)


def test_people_are_booked_by_time_with_a_travel_gap(kent: Blueprint) -> None:
    # 12:00 to 13:30 leaves 90 minutes: time enough to travel (60), so the day is free.
    afternoon = of(booked_at_safeguarding(kent, "13:30"), "lcpg-tunbridge-wells")[0]
    assert afternoon.start == datetime(2018, 1, 23, 13, 30)
    assert afternoon.reason == "first Tuesday at least 7 days after CHWB of 10 Jan"


def test_too_little_time_to_travel_skips_the_day_and_says_why(kent: Blueprint) -> None:
    # 12:00 to 12:30 leaves 30 minutes, less than the blueprint's 60.
    lunchtime = of(booked_at_safeguarding(kent, "12:30"), "lcpg-tunbridge-wells")[0]
    assert lunchtime.start == datetime(2018, 1, 30, 12, 30)
    assert lunchtime.reason == (
        "first Tuesday at least 7 days after CHWB of 10 Jan; 23 Jan skipped: a member already "
        "booked at safeguarding-group 10:00-12:00 (needs 60 minutes to travel)"
    )
    # The gap is the blueprint's to set.
    short = replace(kent, cadence=replace(kent.cadence, travel_gap_minutes=30))
    assert of(booked_at_safeguarding(short, "12:30"), "lcpg-tunbridge-wells")[0].start == (
        datetime(2018, 1, 23, 12, 30)
    )


def test_a_meeting_that_overlaps_is_named_with_its_times(kent: Blueprint) -> None:
    overlapping = of(booked_at_safeguarding(kent, "11:00"), "lcpg-tunbridge-wells")[0]
    assert overlapping.start == datetime(2018, 1, 30, 11, 0)
    assert overlapping.reason.endswith(
        "; 23 Jan skipped: a member already booked at safeguarding-group 10:00-12:00"
    )


def test_replanning_keeps_the_venue_a_planned_meeting_has(kent: Blueprint) -> None:
    first = plan(kent, 2018)
    chairs = of(first, "chairs-group")[0]
    thanet = of(first, "lcpg-thanet")[0]
    committee_room = Meeting(
        "chairs-id",
        "chairs-group",
        chairs.start,
        chairs.end,
        "County Hall, Committee Room 1",
        MeetingStatus.PLANNED,
    )
    a_day_late = Meeting(
        "thanet-id",
        "lcpg-thanet",
        thanet.start + timedelta(days=1),
        thanet.end + timedelta(days=1),
        "Margate",
        MeetingStatus.PLANNED,
    )
    bodies = tuple(
        replace(b, venue="Broadstairs Library") if b.slug == "lcpg-thanet" else b
        for b in kent.bodies_list()
    )
    again = plan(kent, 2018, Register(bodies=bodies, meetings=(committee_room, a_day_late)))
    kept = of(again, "chairs-group")[0]
    assert (kept.meeting_id, kept.placement, kept.venue, kept.previous_start) == (
        "chairs-id",
        Placement.UNCHANGED,
        "County Hall, Committee Room 1",
        None,
    )
    moved, *later = of(again, "lcpg-thanet")
    assert (moved.meeting_id, moved.placement, moved.start, moved.venue) == (
        "thanet-id",
        Placement.MOVED,
        thanet.start,
        "Margate",
    )
    # A new meeting takes the body's preferred venue.
    assert {m.venue for m in later} == {"Broadstairs Library"}
    assert all(m.placement is Placement.NEW for m in later)


def test_a_december_chwb_plans_its_cycle_whole_into_january(kent: Blueprint) -> None:
    given = [date(2027, 1, 13), date(2027, 3, 10), date(2027, 5, 12), date(2027, 7, 14)]
    given += [date(2027, 9, 15), date(2027, 12, 15)]
    dates = [
        ChwbDate(datetime(2026, 11, 11, 14), REGISTER),
        *(ChwbDate(datetime.combine(d, time(14)), GIVEN) for d in given),
        ChwbDate(datetime(2028, 1, 12, 14), RULE),
    ]
    # Maidstone meets on Tuesdays: 28 December is a bank holiday, so 4 January 2028.
    bodies = tuple(
        replace(b, preferred_weekday=1) if b.slug == "lcpg-maidstone" else b
        for b in kent.bodies_list()
    )
    register = Register(bodies=bodies)
    result = plan_year(2027, dates, kent, register, day_rules(kent, range(2026, 2029)))
    assert result.year == 2027
    december = {m.body: m for m in result.meetings if m.cycle == date(2027, 12, 15)}
    lcpgs = {b.slug for b in bodies if b.kind is BodyKind.LCPG}
    assert set(december) == lcpgs | {"chwb", "chairs-group"}
    assert not [p for p in result.problems if p.cycle == date(2027, 12, 15)]
    maidstone = december["lcpg-maidstone"]
    assert maidstone.start == datetime(2028, 1, 4, 10)
    assert "28 Dec skipped: bank holiday" in maidstone.reason
    # The Chairs Group follows the last LCPG, by the deadline a week before 12 January.
    assert december["chairs-group"].start.date() == date(2028, 1, 5)
    # No term dates for 2027/28: the January meetings may be in the holidays too.
    (terms,) = [p for p in result.problems if p.body == TERM_DATES]
    assert terms.message.startswith("No school term dates for 22 Jul 2027 to 5 Jan 2028: ")

    # Saved, then 2028 planned: the cycle's January meetings stay where they are, and no
    # second meeting is planned for them.
    saved = tuple(
        Meeting(m.meeting_id, m.body, m.start, m.end, m.venue, MeetingStatus.PLANNED)
        for m in result.meetings
    )
    dates_2028 = [ChwbDate(datetime(2027, 12, 15, 14), REGISTER)] + [
        d for d in chwb_around(kent, 2028) if d.start.year > 2027
    ]
    again = plan_year(
        2028,
        dates_2028,
        kent,
        replace(register, meetings=saved),
        day_rules(kent, range(2027, 2030)),
    )
    january = [m for m in again.meetings if m.cycle == date(2027, 12, 15)]
    assert sorted((m.meeting_id, m.start) for m in january) == sorted(
        (m.meeting_id, m.start) for m in december.values() if m.start.year == 2028
    )
    assert all(m.placement is Placement.UNCHANGED for m in january)


def test_recorded_meetings_are_kept_or_moved_with_their_identity(kent: Blueprint) -> None:
    held = Meeting(
        "held-id",
        "lcpg-dover",
        datetime(2018, 1, 18, 14),
        datetime(2018, 1, 18, 16),
        "Dover",
        MeetingStatus.HELD,
    )
    planned = Meeting(
        "planned-id",
        "lcpg-thanet",
        datetime(2018, 1, 29, 10),
        datetime(2018, 1, 29, 12),
        "Margate",
        MeetingStatus.PLANNED,
    )
    exact = Meeting(
        "exact-id",
        "lcpg-swale",
        datetime(2018, 1, 17, 10),
        datetime(2018, 1, 17, 12),
        "",
        MeetingStatus.PLANNED,
    )
    result = plan(kent, 2018, register_for(kent, meetings=(held, planned, exact)))
    dover = of(result, "lcpg-dover")[0]
    assert (dover.meeting_id, dover.placement, dover.start) == (
        "held-id",
        Placement.KEPT,
        held.start,
    )
    assert dover.status is MeetingStatus.HELD
    thanet = of(result, "lcpg-thanet")[0]
    assert (thanet.meeting_id, thanet.placement) == ("planned-id", Placement.MOVED)
    assert thanet.previous_start == planned.start and thanet.start == datetime(2018, 1, 17, 10)
    assert thanet.venue == "Margate"  # a move keeps the venue the team chose
    swale = of(result, "lcpg-swale")[0]
    assert (swale.meeting_id, swale.placement) == ("exact-id", Placement.UNCHANGED)


def test_an_empty_window_is_a_problem_not_a_bent_rule(kent: Blueprint) -> None:
    # Two CHWB meetings ten days apart leave no room for LCPGs and the Chairs Group.
    close = [
        ChwbDate(datetime(2018, 1, 10, 14), RULE),
        ChwbDate(datetime(2018, 1, 20, 14), RULE),
        ChwbDate(datetime(2018, 3, 14, 14), RULE),
    ]
    result = plan_year(2018, close, kent, register_for(kent), day_rules(kent, range(2017, 2020)))
    january = [p for p in result.problems if p.cycle == date(2018, 1, 10)]
    assert {p.body for p in january} >= {"lcpg-gravesham", "chairs-group"}
    assert any("the window is empty" in p.message for p in january)
    assert not [m for m in result.meetings if m.cycle == date(2018, 1, 10) and m.body != "chwb"]


def test_chwb_on_a_bank_holiday_is_kept_and_listed(kent: Blueprint) -> None:
    dates = [
        ChwbDate(datetime(2018, 1, 1, 14), "--chwb"),
        ChwbDate(datetime(2018, 3, 14, 14), RULE),
    ]
    result = plan_year(2018, dates, kent, register_for(kent), day_rules(kent, range(2017, 2020)))
    assert of(result, "chwb")[0].start == datetime(2018, 1, 1, 14)
    (problem,) = [p for p in result.problems if p.body == "chwb"]
    assert problem.message == "the CHWB date falls on a bank holiday (New Year's Day)"
    # 2 and 3 January 2018 are still in the schools' Christmas holidays.
    assert problem.closest == date(2018, 1, 4)


def test_a_year_without_term_dates_lists_it_as_a_problem(kent: Blueprint) -> None:
    # Kent's shipped dates end on 21 July 2027 and 2027/28 is not shipped.
    (problem,) = [p for p in plan(kent, 2027).problems if p.body == TERM_DATES]
    assert problem.cycle is None
    assert problem.message == (
        "No school term dates for 22 Jul to 31 Dec 2027: meetings there may fall in school "
        "holidays; import the dates with `lcpg terms import FILE`"
    )
    # 2020/21 to 2023/24 are not shipped, so the spring and summer of 2024 are unknown.
    (problem,) = [p for p in plan(kent, 2024).problems if p.body == TERM_DATES]
    assert problem.message.startswith("No school term dates for 1 Jan to 1 Sep 2024:")
    assert not [p for p in plan(kent, 2018).problems if p.body == TERM_DATES]
    assert not any("term dates" in n for n in plan(kent, 2027).notes)


def test_term_dates_with_a_gap_list_each_span_without_them() -> None:
    rules = DayRules(
        school_known=((date(2017, 9, 4), date(2018, 3, 29)), (date(2018, 9, 3), date(2019, 7, 23)))
    )
    assert rules.school_unknown(date(2018, 1, 1), date(2018, 12, 31)) == (
        (date(2018, 3, 30), date(2018, 9, 2)),
    )
    assert rules.school_unknown(date(2017, 1, 1), date(2017, 12, 31)) == (
        (date(2017, 1, 1), date(2017, 9, 3)),
    )
    assert rules.school_unknown(date(2019, 1, 1), date(2019, 7, 23)) == ()
    assert DayRules().school_unknown(date(2019, 1, 1), date(2019, 1, 2)) == (
        (date(2019, 1, 1), date(2019, 1, 2)),
    )


@pytest.mark.parametrize("year", [2018, 2019])
def test_school_holidays_are_avoided_where_known(kent: Blueprint, year: int) -> None:
    years = load_academic_years(kent.term_date_paths)
    rules = DayRules(school_holidays=school_holidays(years), school_known=covered_spans(years))
    for meeting in plan(kent, year).meetings:
        if meeting.body != "chwb":
            assert rules.blocked(meeting.start.date()) is None, meeting


def test_nothing_is_planned_in_the_past(kent: Blueprint) -> None:
    past_planned = Meeting(
        "past-id",
        "lcpg-thanet",
        datetime(2018, 3, 23, 10),
        datetime(2018, 3, 23, 12),
        "Margate",
        MeetingStatus.PLANNED,
    )
    register = register_for(kent, meetings=(past_planned,))
    result = plan_year(
        2018,
        chwb_around(kent, 2018),
        kent,
        register,
        day_rules(kent, range(2017, 2020)),
        today=date(2018, 3, 27),
    )
    new = [m for m in result.meetings if m.placement is Placement.NEW]
    assert min(m.start.date() for m in new) == date(2018, 3, 28)
    thanet = next(m for m in of(result, "lcpg-thanet") if m.cycle == date(2018, 3, 14))
    assert (thanet.meeting_id, thanet.placement) == ("past-id", Placement.KEPT)
    assert thanet.reason == "planned for a day now past; record whether it was held"
    # The March cycle's window is partly past: LCPGs go on the first free day after today.
    dover = next(m for m in of(result, "lcpg-dover") if m.cycle == date(2018, 3, 14))
    assert dover.start.date() == date(2018, 3, 28)
    assert "and after today (27 Mar)" in dover.reason
    assert any(n.startswith("Nothing is planned on or before today (27 Mar)") for n in result.notes)
    assert result.problems == ()
