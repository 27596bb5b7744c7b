"""The annual planner: CHWB -> twelve LCPGs -> Chairs Group, cycle by cycle, for one year.

``plan_year`` is pure: it takes the year, the CHWB dates, the blueprint, the register (bodies
with their preferences, memberships, meetings already recorded) and the days to avoid, and
returns a ``Plan``: every meeting of the year with the reason it sits where it does, and every
problem it could not solve. It never bends a rule silently: a meeting that cannot be placed
legally is left out and listed as a problem with the closest legal option.

How a cycle (one CHWB to the next) is planned:

1. Each LCPG on its preferred weekday (its own, else the blueprint's) in the LCPG window: no
   earlier than ``days_after_chwb`` after the CHWB, and early enough to leave a day for the
   Chairs Group before its deadline. The first such weekday that is free wins; a day is not
   free on a weekend, a bank holiday, a school holiday (where term dates are known), a day the
   body already has another or a cancelled meeting, or a day one of its members is booked
   elsewhere at a time that overlaps the meeting or leaves less than the blueprint's
   ``travel_gap_minutes`` between the two. When no preferred weekday is free, the first free
   working day in the window is used, and the reason says so.
2. The Chairs Group after the last LCPG meeting of the cycle and no later than
   ``days_before_next_chwb`` before the next CHWB, on its preferred weekday if it can.

The Safeguarding Group meets on its own recurrence rule; a blocked date moves to the next free
working day within two weeks. CHWB dates are given: a CHWB date that falls on a blocked day is
kept (the board sets it) and listed as a problem.

Meetings already ``held`` or ``confirmed`` are never moved: they fill their cycle's slot and
are reported as kept. A ``planned`` meeting in the slot is the one the plan moves, keeping its
identity and its venue (a meeting without a venue takes the body's when it moves); it is
``moved`` only when its start or end changes.

A cycle belongs to the year of the CHWB that opens it, and that year's plan plans it whole:
a December CHWB's LCPGs and Chairs Group may fall in January of the next year, and are
returned with the rest (``PlannedMeeting.cycle`` says which cycle). The year's cycles also
include the one opened by the previous year's last CHWB: its meetings in this year are
planned again here (and come out where they were when nothing changed), while those dated in
the previous year are that year's plan's and are left where they are, not returned.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from cycle.chwb import RULE, ChwbDate
from cycle.days import DayRules
from cycle.windows import Cycle, assumed_next_chwb, cycles_between
from lcpg.domain.blueprint import Blueprint, Slot
from lcpg.domain.model import Body, BodyKind, Meeting, MeetingStatus, meeting_identity
from lcpg.domain.register import Register
from lcpg.domain.wording import WEEKDAYS, clock, day_month, short_date

FIXED = (MeetingStatus.HELD, MeetingStatus.CONFIRMED)
SAFEGUARDING_SLACK = timedelta(days=14)
SAFEGUARDING_MATCH = timedelta(days=21)
TERM_DATES = "term-dates"
"""The ``body`` of the problem that term dates are missing for part of the year: it concerns
every body's meetings, not one."""


class Placement(StrEnum):
    """What the plan does with a meeting."""

    NEW = "new"  # not in the register: saving adds it
    MOVED = "moved"  # a planned meeting the plan puts somewhere else (identity kept)
    UNCHANGED = "unchanged"  # a planned meeting already where the plan would put it
    KEPT = "kept"  # held or confirmed: never moved


@dataclass(frozen=True)
class PlannedMeeting:
    """One meeting of the plan. ``cycle`` is the date of the CHWB that opens its cycle.
    ``previous_start`` is where a moved meeting was."""

    meeting_id: str
    body: str
    start: datetime
    end: datetime
    venue: str
    status: MeetingStatus
    placement: Placement
    cycle: date | None
    reason: str
    previous_start: datetime | None = None


@dataclass(frozen=True)
class PlanProblem:
    """Something the plan could not do legally. ``closest`` is the nearest legal day, when
    there is one."""

    body: str
    cycle: date | None
    message: str
    closest: date | None = None


@dataclass(frozen=True)
class Plan:
    """The plan for ``year``: meetings in time order, problems, the cycles it covered, and notes
    (assumptions the reader should know)."""

    year: int
    meetings: tuple[PlannedMeeting, ...]
    problems: tuple[PlanProblem, ...]
    cycles: tuple[Cycle, ...]
    notes: tuple[str, ...] = ()


def plan_year(
    year: int,
    chwb: Sequence[ChwbDate],
    blueprint: Blueprint,
    register: Register,
    days: DayRules,
    today: date | None = None,
) -> Plan:
    """Plan every body's meetings of ``year``.

    ``chwb``: CHWB meetings around the year, each with where its date came from (see
    ``cycle.chwb.merge_chwb_dates``); those in the year are the year's CHWB meetings, the
    previous year's last opens the first cycle, and the next year's first closes the last
    (when missing, it is assumed ``cycle_weeks`` later and a note says so). Deterministic.

    With ``today``, nothing is placed or moved on or before it: the past is recorded, not
    planned. A meeting still ``planned`` for a day already past is left as it is (recording
    whether it was held is the team's job), and a window already over gets no proposal.
    """
    planner = _Planner(year, blueprint, register, days, today)
    return planner.plan(sorted(chwb, key=lambda d: d.start))


def _day(day: date, year: int) -> str:
    """``13 Jan``, or ``10 Dec 2026`` outside the plan's year."""
    return day_month(day) if day.year == year else short_date(day)


def _days(start: date, end: date) -> Iterable[date]:
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


@dataclass(frozen=True)
class _Choice:
    day: date | None
    how: str  # why this day, or why none
    skipped: tuple[tuple[date, str], ...]


@dataclass(frozen=True)
class _Hours:
    """When a meeting would sit in a day: its start time and length."""

    at: time
    length: timedelta

    def on(self, day: date) -> tuple[datetime, datetime]:
        start = datetime.combine(day, self.at)
        return start, start + self.length


@dataclass(frozen=True)
class _Booking:
    """A person's meeting: when, and with which body."""

    start: datetime
    end: datetime
    body: str


class _Planner:
    """One planning run. Holds the bookings made so far (who is busy on which day)."""

    def __init__(
        self,
        year: int,
        blueprint: Blueprint,
        register: Register,
        days: DayRules,
        today: date | None,
    ):
        self.year = year
        self.today = today
        # The first day a meeting may be placed on or moved to.
        self.first_free = today + timedelta(days=1) if today else date.min
        self.blueprint = blueprint
        self.register = register
        self.rules = days
        self.cadence = blueprint.cadence
        self.length = timedelta(minutes=blueprint.cadence.meeting_minutes)
        self.bodies = {b.slug: b for b in register.bodies}
        # Each body's meeting days in order, to find a cycle's meetings by bisection: a
        # national register holds ten years of meetings for each of 1,800 bodies.
        self.meeting_days: dict[str, list[date]] = {}
        # day -> e-mail -> their meetings that day: people are booked by time, with
        # ``travel_gap`` between two meetings.
        self.booked: defaultdict[date, defaultdict[str, list[_Booking]]] = defaultdict(
            lambda: defaultdict(list)
        )
        self.travel_gap = timedelta(minutes=blueprint.cadence.travel_gap_minutes)
        # (body, day): why that body cannot meet that day (another or a cancelled meeting)
        self.body_days: dict[tuple[str, date], str] = {}
        self.taken_ids = {m.id for m in register.meetings}
        self.meetings: list[PlannedMeeting] = []
        self.problems: list[PlanProblem] = []
        self.notes: list[str] = []
        # Existing planned meetings the plan re-places; everything else already recorded
        # stays where it is and books its people.
        self.replanned: set[str] = set()
        # Slots whose window was over before ``today``: nothing is planned in the past.
        self.skipped_past = 0

    # -- the run ---------------------------------------------------------------------------

    def plan(self, chwb: list[ChwbDate]) -> Plan:
        cycles = self._cycles([d.start for d in chwb])
        lcpgs = [b for b in self.register.bodies if b.kind is BodyKind.LCPG]
        chairs = self._body_of_kind(BodyKind.CHAIRS_GROUP)
        safeguarding = self._body_of_kind(BodyKind.SAFEGUARDING_GROUP)
        chwb_body = self._body_of_kind(BodyKind.CHWB)

        slots: list[tuple[Cycle, Body, Meeting | None]] = []
        for cycle in cycles:
            for body in [*lcpgs, *([chairs] if chairs else [])]:
                slots.append((cycle, body, self._claim_planned(body.slug, cycle)))
        sg_dates = self._safeguarding_dates() if safeguarding else []
        sg_slots = [(nominal, self._claim_near(safeguarding, nominal)) for nominal in sg_dates]
        self._book_recorded_meetings()

        if chwb_body is not None:
            self._plan_chwb(chwb_body, [d for d in chwb if d.start.year == self.year])
        if safeguarding is not None:
            for nominal, claimed in sg_slots:
                self._plan_safeguarding(safeguarding, nominal, claimed, cycles)
        for cycle in cycles:
            for _, body, claimed in (s for s in slots if s[0] is cycle):
                if body.kind is BodyKind.LCPG:
                    self._plan_lcpg(cycle, body, claimed)
            if chairs is not None:
                claimed = next(c for cy, b, c in slots if cy is cycle and b is chairs)
                self._plan_chairs(cycle, chairs, claimed)

        if self.skipped_past and self.today is not None:
            self.notes.append(
                f"Nothing is planned on or before today ({_day(self.today, self.year)}): "
                f"{self.skipped_past} meeting slots whose window is over are left to the record "
                "(see what was held with `lcpg meetings list`)."
            )
        in_year = sorted(
            (m for m in self.meetings if self._returned(m)),
            key=lambda m: (m.start, m.body),
        )
        self._check_term_dates(max((m.start.date() for m in in_year), default=None))
        return Plan(
            year=self.year,
            meetings=tuple(in_year),
            problems=tuple(self.problems),
            cycles=tuple(cycles),
            notes=tuple(self.notes),
        )

    def _returned(self, meeting: PlannedMeeting) -> bool:
        """In the year, or in a cycle the year opens (planned whole, into January)."""
        return meeting.start.year == self.year or (
            meeting.cycle is not None and meeting.cycle.year == self.year
        )

    def _check_term_dates(self, last_meeting: date | None) -> None:
        """A problem when term dates do not cover the whole year (and the January days of its
        last cycle, up to ``last_meeting``): school holidays there cannot be avoided, and the
        team should know rather than read it in a note."""
        last = max(date(self.year, 12, 31), last_meeting or date.min)
        unknown = self.rules.school_unknown(date(self.year, 1, 1), last)
        if unknown:
            if last.year == self.year:
                spans = ", ".join(
                    f"{_day(a, self.year)} to {_day(b, self.year)}" for a, b in unknown
                )
                spans += f" {self.year}"
            else:  # into the next year: every date with its year
                spans = ", ".join(f"{_day(a, 0)} to {_day(b, 0)}" for a, b in unknown)
            self.problems.append(
                PlanProblem(
                    TERM_DATES,
                    None,
                    f"No school term dates for {spans}: meetings there may fall in "
                    "school holidays; import the dates with `lcpg terms import FILE`",
                )
            )

    def _cycles(self, chwb: list[datetime]) -> list[Cycle]:
        before = [c for c in chwb if c.year < self.year]
        during = [c for c in chwb if c.year == self.year]
        after = [c for c in chwb if c.year > self.year]
        opening = before[-1:] + during
        if not opening:
            self.notes.append(f"No CHWB date in or just before {self.year}: no cycle to plan.")
            return []
        closing = after[:1]
        if not closing:
            assumed = assumed_next_chwb(opening[-1], self.cadence)
            closing = [assumed]
            self.notes.append(
                f"The first CHWB after {_day(opening[-1].date(), self.year)} is not known; "
                f"the last cycle is assumed to end {self.cadence.cycle_weeks} weeks later, "
                f"on {_day(assumed.date(), self.year)}."
            )
        cycles = cycles_between(opening + closing, self.cadence)
        if not before:
            self.notes.append(
                f"The last CHWB of {self.year - 1} is not known: LCPG meetings early in "
                f"{self.year} that follow it are not planned."
            )
        return cycles

    def _body_of_kind(self, kind: BodyKind) -> Body | None:
        return next((b for b in self.register.bodies if b.kind is kind), None)

    # -- what is already recorded ---------------------------------------------------------

    def _fixed(self, meeting: Meeting) -> bool:
        """Held, confirmed, planned for a day already past, or planned in the previous year
        (by that year's plan, which owns its cycle): never moved."""
        return meeting.status in FIXED or (
            meeting.status is MeetingStatus.PLANNED
            and (meeting.start.date() < self.first_free or meeting.start.year < self.year)
        )

    def _kept_why(self, meeting: Meeting) -> str:
        if meeting.status in FIXED:
            return f"{meeting.status} in the register; never moved"
        if meeting.start.date() < self.first_free:
            return "planned for a day now past; record whether it was held"
        return f"planned by the plan for {meeting.start.year}; moved only by planning that year"

    def _in_cycle(self, body: str, cycle: Cycle) -> Sequence[Meeting]:
        """The meetings of ``body`` strictly between ``cycle``'s CHWB and the next, by day."""
        meetings = self.register.meetings_of(body)
        days = self.meeting_days.get(body)
        if days is None:
            days = self.meeting_days[body] = [m.start.date() for m in meetings]
        first = bisect.bisect_right(days, cycle.chwb.date())
        return meetings[first : bisect.bisect_left(days, cycle.next_chwb.date(), lo=first)]

    def _claim_planned(self, body: str, cycle: Cycle) -> Meeting | None:
        """The planned meeting of ``body`` in ``cycle`` that the plan may move, if any."""
        in_cycle = self._in_cycle(body, cycle)
        if any(self._fixed(m) for m in in_cycle):
            return None
        planned = [m for m in in_cycle if m.status is MeetingStatus.PLANNED]
        if not planned:
            return None
        if len(planned) > 1:
            self.problems.append(
                PlanProblem(
                    body,
                    cycle.chwb.date(),
                    f"{len(planned)} planned meetings in this cycle; the plan moves only the "
                    f"first ({_day(planned[0].start.date(), self.year)}) and leaves the others",
                )
            )
        self.replanned.add(planned[0].id)
        return planned[0]

    def _claim_near(self, body: Body | None, nominal: datetime) -> Meeting | None:
        if body is None:
            return None
        near = [
            m
            for m in self.register.meetings_of(body.slug)
            if abs(m.start - nominal) <= SAFEGUARDING_MATCH
            and m.status is not MeetingStatus.CANCELLED
        ]
        if not near or any(self._fixed(m) for m in near):
            return None
        planned = min(near, key=lambda m: abs(m.start - nominal))
        self.replanned.add(planned.id)
        return planned

    def _book_recorded_meetings(self) -> None:
        horizon = (date(self.year - 1, 1, 1), date(self.year + 1, 12, 31))
        for meeting in self.register.meetings:
            day = meeting.start.date()
            if meeting.id in self.replanned or not horizon[0] <= day <= horizon[1]:
                continue
            if meeting.status is MeetingStatus.CANCELLED:
                self.body_days.setdefault((meeting.body, day), "its meeting that day was cancelled")
                continue
            self.body_days[(meeting.body, day)] = "it already has a meeting that day"
            self._book(
                self.register.attendees(meeting.body, day),
                _Booking(meeting.start, meeting.end, meeting.body),
            )

    def _book(self, people: Iterable[str], booking: _Booking) -> None:
        booked = self.booked[booking.start.date()]
        for person in people:
            booked[person].append(booking)

    # -- free days -------------------------------------------------------------------------

    def _why_not(self, body: str, day: date, people: frozenset[str], hours: _Hours) -> str | None:
        """Why ``body`` cannot meet on ``day`` at ``hours``, or None when it can."""
        reason = self.rules.blocked(day)
        if reason is not None:
            return reason
        own = self.body_days.get((body, day))
        if own is not None:
            return own
        booked = self.booked.get(day)
        if booked:
            return self._clash(booked, people, *hours.on(day))
        return None

    def _clash(
        self,
        booked: dict[str, list[_Booking]],
        people: frozenset[str],
        start: datetime,
        end: datetime,
    ) -> str | None:
        """Who of ``people`` is booked too close to [start, end]: a meeting that overlaps it,
        or one that leaves less than the travel gap between the two."""
        gap = self.travel_gap
        count = 0
        clashes: set[_Booking] = set()
        for person in people:
            near = [
                b for b in booked.get(person, ()) if b.start < end + gap and start < b.end + gap
            ]
            count += bool(near)
            clashes.update(near)
        if not clashes:
            return None
        who = "a member" if count == 1 else f"{count} members"
        minutes = self.cadence.travel_gap_minutes
        at = ", ".join(
            f"{b.body} {clock(b.start)}-{clock(b.end)}"
            + ("" if b.start < end and start < b.end else f" (needs {minutes} minutes to travel)")
            for b in sorted(clashes, key=lambda b: (b.start, b.body))
        )
        return f"{who} already booked at {at}"

    def _choose(
        self,
        body: str,
        start: date,
        end: date,
        weekday: int,
        people: frozenset[str],
        hours: _Hours,
    ) -> _Choice:
        """The first free ``weekday`` in [start, end]; else the first free working day."""
        skipped: list[tuple[date, str]] = []
        for day in _days(start, end):
            if day.weekday() != weekday:
                continue
            reason = self._why_not(body, day, people, hours)
            if reason is None:
                return _Choice(day, "preferred", tuple(skipped))
            skipped.append((day, reason))
        for day in _days(start, end):
            if day.weekday() != weekday and self._why_not(body, day, people, hours) is None:
                return _Choice(day, "fallback", tuple(skipped))
        return _Choice(None, "none", tuple(skipped))

    def _closest(
        self,
        body: str,
        window: tuple[date, date],
        lower: date,
        upper: date,
        people: frozenset[str],
        hours: _Hours,
    ) -> date | None:
        """The free day nearest the window [start, end], looking out as far as [lower, upper]."""
        start, end = window
        for distance in range(1, (upper - lower).days + 1):
            for day in (start - timedelta(days=distance), end + timedelta(days=distance)):
                if lower <= day <= upper and self._why_not(body, day, people, hours) is None:
                    return day
        return None

    def _hours(self, at: time, claimed: Meeting | None) -> _Hours:
        """The hours of a meeting at ``at``: as long as ``claimed`` (a recorded meeting keeps
        its length), else the blueprint's meeting length."""
        length = self.length
        if claimed is not None and claimed.end > claimed.start:
            length = claimed.end - claimed.start
        return _Hours(at, length)

    def _skipped_text(self, skipped: Sequence[tuple[date, str]]) -> str:
        return "".join(f"; {_day(day, self.year)} skipped: {why}" for day, why in skipped)

    # -- placing ---------------------------------------------------------------------------

    def _place(
        self,
        body: Body,
        day: date,
        hours: _Hours,
        venue: str,
        cycle: date | None,
        reason: str,
        claimed: Meeting | None,
        people: frozenset[str],
    ) -> PlannedMeeting:
        """Place ``body``'s meeting on ``day``; ``claimed`` is the planned meeting it moves
        (keeping its identity, its length and its venue), or None for a new one at ``venue``."""
        start, end = hours.on(day)
        if claimed is None:
            identity = meeting_identity(body.slug, start)
            attempt = 0
            while identity in self.taken_ids:
                attempt += 1
                identity = meeting_identity(body.slug, start, attempt)
            self.taken_ids.add(identity)
            placement, previous = Placement.NEW, None
        else:
            identity = claimed.id
            same = (claimed.start, claimed.end) == (start, end)
            placement = Placement.UNCHANGED if same else Placement.MOVED
            previous = None if same else claimed.start
            # The venue the team gave it stays; one without a venue takes the body's when it
            # moves (saving writes it then), and stays as it is otherwise.
            venue = claimed.venue if same else claimed.venue or venue
        planned = PlannedMeeting(
            identity,
            body.slug,
            start,
            end,
            venue,
            MeetingStatus.PLANNED,
            placement,
            cycle,
            reason,
            previous,
        )
        self.meetings.append(planned)
        self.body_days[(body.slug, day)] = "it already has a meeting that day"
        self._book(people, _Booking(start, end, body.slug))
        return planned

    def _keep(self, meeting: Meeting, cycle: date | None, reason: str) -> None:
        self.meetings.append(
            PlannedMeeting(
                meeting.id,
                meeting.body,
                meeting.start,
                meeting.end,
                meeting.venue,
                meeting.status,
                Placement.KEPT,
                cycle,
                reason,
            )
        )

    def _slot(self, body: Body, default: Slot) -> tuple[int, time, str]:
        weekday = (
            body.preferred_weekday if body.preferred_weekday is not None else default.weekday_number
        )
        at = body.preferred_time if body.preferred_time is not None else default.start_time
        return weekday, at, body.venue or default.venue

    def _plan_chwb(self, body: Body, dates: list[ChwbDate]) -> None:
        recorded = {
            m.start.date(): m
            for m in self.register.meetings_of(body.slug)
            if m.status is not MeetingStatus.CANCELLED
        }
        wanted = {d.start.date() for d in dates}
        for chwb in dates:
            day = chwb.start.date()
            existing = recorded.get(day)
            if existing is not None and self._fixed(existing):
                self._keep(existing, day, f"CHWB date from the register ({existing.status})")
            elif day < self.first_free:
                continue  # a past CHWB the register does not hold: not planned after the fact
            else:
                how = f"CHWB date from {chwb.source}"
                if chwb.source == RULE:
                    how += f" ({self.cadence.chwb_rrule})"
                venue = existing.venue if existing else self.blueprint.planning.chwb_venue
                if existing is not None:
                    self.replanned.add(existing.id)
                hours = self._hours(chwb.start.time(), existing)
                self._place(body, day, hours, venue, day, how, existing, frozenset())
            blocked = self.rules.blocked(day)
            if blocked is not None:
                week = timedelta(days=7)
                closest = self._closest(
                    body.slug,
                    (day, day),
                    day - week,
                    day + week,
                    frozenset(),
                    self._hours(chwb.start.time(), None),
                )
                self.problems.append(
                    PlanProblem(body.slug, day, f"the CHWB date falls on a {blocked}", closest)
                )
        for day, meeting in sorted(recorded.items()):
            if day.year == self.year and day not in wanted:
                self.problems.append(
                    PlanProblem(
                        body.slug,
                        None,
                        f"the register has a CHWB meeting on {_day(day, self.year)} "
                        f"({meeting.status}) that is not one of this plan's CHWB dates",
                    )
                )

    def _cycle_of(self, day: date, cycles: Sequence[Cycle]) -> date | None:
        for cycle in cycles:
            if cycle.chwb.date() <= day < cycle.next_chwb.date():
                return cycle.chwb.date()
        return None

    def _safeguarding_dates(self) -> list[datetime]:
        from dateutil.rrule import rrulestr

        spec = self.blueprint.planning.safeguarding_group
        rule = rrulestr(spec.rrule, dtstart=spec.first)
        return list(
            rule.between(datetime(self.year, 1, 1), datetime(self.year, 12, 31, 23, 59), inc=True)
        )

    def _plan_safeguarding(
        self, body: Body, nominal: datetime, claimed: Meeting | None, cycles: Sequence[Cycle]
    ) -> None:
        kept = [
            m
            for m in self.register.meetings_of(body.slug)
            if abs(m.start - nominal) <= SAFEGUARDING_MATCH and self._fixed(m)
        ]
        cycle = self._cycle_of(nominal.date(), cycles)
        if kept:
            for meeting in kept:
                self._keep(meeting, cycle, self._kept_why(meeting))
            return
        people = self.register.attendees(body.slug, nominal.date())
        start, end = nominal.date(), nominal.date() + SAFEGUARDING_SLACK
        if end < self.first_free:
            self.skipped_past += 1
            return
        start = max(start, self.first_free)
        hours = self._hours(body.preferred_time or nominal.time(), claimed)
        skipped: list[tuple[date, str]] = []
        for day in _days(start, end):
            why = self._why_not(body.slug, day, people, hours)
            if why is None:
                venue = body.venue or self.blueprint.planning.safeguarding_group.venue
                how = f"the Safeguarding Group's own cadence date, {_day(start, self.year)}"
                self._place(
                    body,
                    day,
                    hours,
                    venue,
                    cycle,
                    how + self._skipped_text(skipped),
                    claimed,
                    people,
                )
                return
            if day.weekday() < 5:
                skipped.append((day, why))
        closest = self._closest(
            body.slug,
            (start, end),
            start - SAFEGUARDING_SLACK,
            end + SAFEGUARDING_SLACK,
            people,
            hours,
        )
        self.problems.append(
            PlanProblem(
                body.slug,
                cycle,
                f"no free working day from {_day(start, self.year)} to {_day(end, self.year)}"
                + self._skipped_text(skipped),
                closest,
            )
        )

    def _keep_recorded(self, cycle: Cycle, body: Body) -> bool:
        """Keep ``body``'s fixed meetings of ``cycle`` as they are; True when it has any (its
        slot in the cycle is then filled)."""
        opening = cycle.chwb.date()
        recorded = [m for m in self._in_cycle(body.slug, cycle) if self._fixed(m)]
        for meeting in recorded:
            self._keep(meeting, opening, self._kept_reason(meeting, cycle))
        return bool(recorded)

    def _plan_lcpg(self, cycle: Cycle, body: Body, claimed: Meeting | None) -> None:
        opening = cycle.chwb.date()
        if self._keep_recorded(cycle, body):
            return
        weekday, at, venue = self._slot(body, self.blueprint.planning.lcpg)
        end = cycle.chairs_deadline - timedelta(days=1)  # a day left for the Chairs Group
        if end < self.first_free:
            self.skipped_past += 1
            return
        start = max(cycle.lcpg_earliest, self.first_free)
        people = self.register.attendees(body.slug, opening)
        hours = self._hours(at, claimed)
        choice = self._choose(body.slug, start, end, weekday, people, hours)
        name = WEEKDAYS[weekday]
        after = (
            f"at least {self.cadence.days_after_chwb} days after CHWB of {_day(opening, self.year)}"
        )
        if start > cycle.lcpg_earliest:
            after += f", and after today ({_day(start - timedelta(days=1), self.year)})"
        if choice.day is None:
            self._no_day(body, cycle, (start, end), people, hours, choice)
            return
        if choice.how == "preferred":
            reason = f"first {name} {after}"
        else:
            reason = (
                f"no {name} free in the LCPG window {_day(start, self.year)}-"
                f"{_day(end, self.year)}; first free working day {after}"
            )
        self._place(
            body,
            choice.day,
            hours,
            venue,
            opening,
            reason + self._skipped_text(choice.skipped),
            claimed,
            people,
        )

    def _kept_reason(self, meeting: Meeting, cycle: Cycle) -> str:
        reason = self._kept_why(meeting)
        day = meeting.start.date()
        if day < cycle.lcpg_earliest:
            reason += f" (before the LCPG window opens on {_day(cycle.lcpg_earliest, self.year)})"
        return reason

    def _no_day(
        self,
        body: Body,
        cycle: Cycle,
        window: tuple[date, date],
        people: frozenset[str],
        hours: _Hours,
        choice: _Choice,
    ) -> None:
        opening = cycle.chwb.date()
        start, end = window
        if start > end:
            message = (
                f"the window is empty: it opens {_day(start, self.year)} and must close by "
                f"{_day(end, self.year)}"
            )
        else:
            message = (
                f"no free working day in the window {_day(start, self.year)}-{_day(end, self.year)}"
                + self._skipped_text(choice.skipped)
            )
        closest = self._closest(
            body.slug,
            (start, max(start, end)),
            opening + timedelta(days=1),
            cycle.next_chwb.date() - timedelta(days=1),
            people,
            hours,
        )
        self.problems.append(PlanProblem(body.slug, opening, message, closest))

    def _plan_chairs(self, cycle: Cycle, body: Body, claimed: Meeting | None) -> None:
        opening = cycle.chwb.date()
        if self._keep_recorded(cycle, body):
            return
        lcpg_days = [
            m.start.date()
            for m in self.meetings
            if m.cycle == opening and self.bodies[m.body].kind is BodyKind.LCPG
        ]
        last = max(lcpg_days, default=cycle.lcpg_earliest - timedelta(days=1))
        end = cycle.chairs_deadline
        if end < self.first_free:
            self.skipped_past += 1
            return
        start = max(last + timedelta(days=1), self.first_free)
        weekday, at, venue = self._slot(body, self.blueprint.planning.chairs_group)
        people = self.register.attendees(body.slug, opening)
        hours = self._hours(at, claimed)
        choice = self._choose(body.slug, start, end, weekday, people, hours)
        if choice.day is None:
            self._no_day(body, cycle, (start, end), people, hours, choice)
            return
        name = WEEKDAYS[weekday]
        after = (
            f"after the last LCPG of the cycle ({_day(last, self.year)}) and at least "
            f"{self.cadence.days_before_next_chwb} days before the next CHWB "
            f"({_day(cycle.next_chwb.date(), self.year)})"
        )
        how = (
            f"first {name} {after}"
            if choice.how == "preferred"
            else (f"no {name} free; first free working day {after}")
        )
        self._place(
            body,
            choice.day,
            hours,
            venue,
            opening,
            how + self._skipped_text(choice.skipped),
            claimed,
            people,
        )
