"""The demo's meetings: two years of cycles up to ``today``, and the current cycle ahead.

Placement follows the blueprint's cadence, as the planner would:

- the CHWB on the dates of the blueprint's RRULE (``cycle.chwb``);
- each LCPG once a cycle on its own weekday and time (``district_slots``): the first such
  weekday on or after the cycle's ``lcpg_earliest``, plus 0-2 weeks so that the twelve districts
  spread over three weeks instead of colliding; Sevenoaks only in March, June, September and
  December (quarterly, as its 2018 report says);
- the Chairs Group on the first Thursday at least a week after the cycle's last LCPG, and no
  later than the cycle's ``chairs_deadline``;
- the Safeguarding Group on the blueprint's own rule for it (Kent: quarterly, second Tuesday
  of March, June, September and December);
- each Local HWB quarterly, on the third of its own weekday, in its own three months of a
  quarter (the demo gives Local HWBs meetings so their links have something to attend).

Weekends and bank holidays (the blueprint's country and subdivision) are never used: a meeting
that would fall on one moves to the next working day.

Statuses: a meeting dated before ``today`` is ``held``; one on or after it is ``planned``
(the CHWB ``confirmed``: its dates are fixed a year ahead). Only meetings of the current cycle,
up to the next CHWB, are included ahead of ``today``. Two scenarios then change a status: one
Canterbury meeting ``cancelled`` (the last one at least ``CANCELLED_DAYS_AGO`` days old, so the
12 months before ``today`` stay bi-monthly; none when the history is too short, i.e. within
about 15 months of the blueprint's first CHWB), and Thanet's last past meeting left ``planned``.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from cycle.chwb import chwb_dates
from cycle.windows import Cycle, cycles_between
from lcpg.demo.calendar_math import (
    first_of_next_month,
    is_working_day,
    nth_weekday,
    weekday_on_or_after,
    working_day_on_or_after,
    years_before,
)
from lcpg.demo.scenarios import (
    CANCELLED_DAYS_AGO,
    CANCELLED_DISTRICT,
    HISTORY_YEARS,
    QUARTERLY_DISTRICT,
    QUARTERLY_MONTHS,
    UNRECORDED_DISTRICT,
)
from lcpg.domain.blueprint import Blueprint, Cadence
from lcpg.domain.model import Meeting, MeetingStatus, meeting_identity

MONDAY, TUESDAY, THURSDAY = 0, 1, 3

LCPG_TIMES: tuple[time, ...] = (time(10, 0), time(14, 0), time(9, 30), time(13, 30))
LCPG_VENUES: tuple[str, ...] = (
    "{district} Civic Centre, Committee Room {room}",
    "The Gateway, {district}",
    "{district} Council Offices, Meeting Room {room}",
    "{district} Children's Centre, Community Room",
    "{district} Library, Training Room {room}",
)

CHAIRS_WEEKDAY = THURSDAY
CHAIRS_TIME = time(10, 0)
CHAIRS_DAYS_AFTER_LAST_LCPG = 7  # a week for the districts' notes to reach the chairs


HWB_WEEK = 3
HWB_TIME = time(14, 0)


@dataclass(frozen=True)
class DistrictSlot:
    """When and where a district's LCPG meets: weekday (Monday 0), which week of the LCPG
    window (0 = the first), start time and venue."""

    weekday: int
    week: int
    at: time
    venue: str


def district_slots(blueprint: Blueprint) -> dict[str, DistrictSlot]:
    """Each district's fixed slot, from its place in the blueprint: Monday to Friday in turn,
    five districts a week over the first three weeks of the window (Kent's twelve never share
    a day; a larger blueprint repeats the pattern, its districts having different people)."""
    slots: dict[str, DistrictSlot] = {}
    for index, district in enumerate(blueprint.district_list):
        venue = LCPG_VENUES[index % len(LCPG_VENUES)]
        slots[district.slug] = DistrictSlot(
            weekday=index % 5,
            week=(index // 5) % 3,
            at=LCPG_TIMES[index % len(LCPG_TIMES)],
            venue=venue.format(district=district.name, room=index % 3 + 1),
        )
    return slots


def build_meetings(
    blueprint: Blueprint, today: date, years: int = HISTORY_YEARS
) -> tuple[Meeting, ...]:
    """Every demo meeting of the ``years`` to ``today``, ordered by start time then body (see
    the module docstring)."""
    history_start = years_before(today, years)
    holidays = bank_holidays(blueprint, history_start.year, today.year + 1)
    chwbs = chwb_starts(blueprint.cadence, history_start, today)
    placer = _Placer(blueprint, today, holidays)
    meetings = [placer.chwb(start) for start in chwbs]
    for cycle in cycles_between(chwbs, blueprint.cadence):
        meetings.extend(placer.cycle(cycle))
    closing = chwbs[-1].date() if chwbs else today
    meetings.extend(placer.quarterly(history_start, closing))
    return tuple(sorted(_with_scenario_statuses(meetings, today), key=lambda m: (m.start, m.body)))


def chwb_starts(cadence: Cadence, history_start: date, today: date) -> list[datetime]:
    """The CHWB meetings from ``history_start`` to ``today``, and the next one after it, which
    closes the current cycle."""
    horizon = today + timedelta(weeks=2 * cadence.cycle_weeks)
    dates = chwb_dates(cadence, history_start, horizon)
    upcoming = [d for d in dates if d.date() > today][:1]
    return [d for d in dates if d.date() <= today] + upcoming


def bank_holidays(blueprint: Blueprint, first_year: int, last_year: int) -> frozenset[date]:
    """Public holidays of the blueprint's country (and subdivision) over the given years."""
    import holidays

    calendar = holidays.country_holidays(
        blueprint.holiday_country,
        subdiv=blueprint.holiday_subdivision,
        years=range(first_year, last_year + 1),
    )
    return frozenset(calendar.keys())


class _Placer:
    """Turns dates into ``Meeting`` records for one build."""

    def __init__(self, blueprint: Blueprint, today: date, holidays: Container[date]) -> None:
        self.blueprint = blueprint
        self.today = today
        self.holidays = holidays
        self.slots = district_slots(blueprint)
        self.length = timedelta(minutes=blueprint.cadence.meeting_minutes)
        self.chwb_venue = "County Hall, Council Chamber"
        self.chairs_venue = "County Hall, Committee Room 1"
        self.safeguarding_venue = "County Hall, Committee Room 3"

    def meeting(self, body: str, start: datetime, venue: str, future: MeetingStatus) -> Meeting:
        status = MeetingStatus.HELD if start.date() < self.today else future
        return Meeting(
            id=meeting_identity(body, start),
            body=body,
            start=start,
            end=start + self.length,
            venue=venue,
            status=status,
        )

    def chwb(self, start: datetime) -> Meeting:
        return self.meeting("chwb", start, self.chwb_venue, MeetingStatus.CONFIRMED)

    def cycle(self, cycle: Cycle) -> list[Meeting]:
        """The LCPG meetings of one cycle, then the Chairs Group after the last of them."""
        meetings: list[Meeting] = []
        for district in self.blueprint.district_list:
            slot = self.slots[district.slug]
            day = self._lcpg_day(cycle, slot, district.slug)
            if day is not None:
                start = datetime.combine(day, slot.at)
                meetings.append(
                    self.meeting(f"lcpg-{district.slug}", start, slot.venue, MeetingStatus.PLANNED)
                )
        if meetings:
            chairs = self._chairs_day(cycle, max(m.start.date() for m in meetings))
            start = datetime.combine(chairs, CHAIRS_TIME)
            meetings.append(
                self.meeting("chairs-group", start, self.chairs_venue, MeetingStatus.PLANNED)
            )
        return meetings

    def _lcpg_day(self, cycle: Cycle, slot: DistrictSlot, district: str) -> date | None:
        earliest = cycle.lcpg_earliest + timedelta(weeks=slot.week)
        day = working_day_on_or_after(weekday_on_or_after(earliest, slot.weekday), self.holidays)
        if district != QUARTERLY_DISTRICT or day.month in QUARTERLY_MONTHS:
            return day
        # A quarterly group meets in the cycle only if one of its months starts within it,
        # early enough to leave the Chairs Group a week (the May and November cycles).
        month = first_of_next_month(day)
        if month.month not in QUARTERLY_MONTHS:
            return None
        day = working_day_on_or_after(weekday_on_or_after(month, slot.weekday), self.holidays)
        latest = cycle.chairs_deadline - timedelta(days=CHAIRS_DAYS_AFTER_LAST_LCPG)
        return day if day <= latest else None

    def _chairs_day(self, cycle: Cycle, last_lcpg: date) -> date:
        """The Chairs Group's day: after ``last_lcpg``, on or before the cycle's deadline."""
        wanted = last_lcpg + timedelta(days=CHAIRS_DAYS_AFTER_LAST_LCPG)
        day = working_day_on_or_after(weekday_on_or_after(wanted, CHAIRS_WEEKDAY), self.holidays)
        if day <= cycle.chairs_deadline:
            return day
        day = cycle.chairs_deadline
        while day > last_lcpg and not is_working_day(day, self.holidays):
            day -= timedelta(days=1)
        if day <= last_lcpg:
            raise ValueError(
                f"cycle {cycle.label}: no working day for the Chairs Group between the last"
                f" LCPG ({last_lcpg}) and the deadline ({cycle.chairs_deadline})"
            )
        return day

    def quarterly(self, first: date, closing: date) -> list[Meeting]:
        """The Safeguarding Group's and Local HWBs' quarterly meetings from ``first`` up to
        (not including) ``closing``, the CHWB that ends the current cycle."""
        meetings = [
            self.meeting(
                "safeguarding-group", start, self.safeguarding_venue, MeetingStatus.PLANNED
            )
            for start in self._safeguarding_starts(first, closing)
        ]
        districts = {d.slug: d.name for d in self.blueprint.district_list}
        for index, hwb in enumerate(self.blueprint.local_hwbs):
            # Spread the boards over weekdays and over the three months of a quarter.
            months = tuple(index % 3 + 1 + 3 * q for q in range(4))
            weekday = (2 * index + 1) % 5
            host = districts.get(hwb.districts[0], hwb.name) if hwb.districts else hwb.name
            venue = f"{host} Community Hub, Main Hall"
            meetings.extend(
                self.meeting(hwb.slug, start, venue, MeetingStatus.PLANNED)
                for start in self._quarterly_starts(
                    first, closing, months, weekday, HWB_WEEK, HWB_TIME
                )
            )
        return meetings

    def _safeguarding_starts(self, first: date, closing: date) -> list[datetime]:
        """The Safeguarding Group's dates from the blueprint's own rule for it, each moved to
        the next working day when it falls on a bank holiday (as the planner would)."""
        from dateutil.rrule import rrulestr

        spec = self.blueprint.planning.safeguarding_group
        rule = rrulestr(spec.rrule, dtstart=spec.first)
        starts = rule.between(
            datetime.combine(first, time.min), datetime.combine(closing, time.min), inc=True
        )
        return [
            datetime.combine(working_day_on_or_after(start.date(), self.holidays), start.time())
            for start in starts
            if start.date() < closing
        ]

    def _quarterly_starts(
        self,
        first: date,
        closing: date,
        months: Iterable[int],
        weekday: int,
        week: int,
        at: time,
    ) -> list[datetime]:
        months = tuple(months)
        starts: list[datetime] = []
        for year in range(first.year, closing.year + 1):
            for month in months:
                day = working_day_on_or_after(
                    nth_weekday(year, month, weekday, week), self.holidays
                )
                if first <= day < closing:
                    starts.append(datetime.combine(day, at))
        return starts


def _with_scenario_statuses(meetings: list[Meeting], today: date) -> list[Meeting]:
    """Cancel one old Canterbury meeting and leave Thanet's last past meeting unrecorded."""
    changes: dict[str, MeetingStatus] = {}
    cutoff = today - timedelta(days=CANCELLED_DAYS_AGO)
    cancellable = [
        m
        for m in meetings
        if m.body == f"lcpg-{CANCELLED_DISTRICT}"
        and m.status is MeetingStatus.HELD
        and m.start.date() <= cutoff
    ]
    if cancellable:
        changes[max(cancellable, key=lambda m: m.start).id] = MeetingStatus.CANCELLED
    unrecorded = [
        m
        for m in meetings
        if m.body == f"lcpg-{UNRECORDED_DISTRICT}" and m.status is MeetingStatus.HELD
    ]
    if unrecorded:
        changes[max(unrecorded, key=lambda m: m.start).id] = MeetingStatus.PLANNED
    return [replace(m, status=changes[m.id]) if m.id in changes else m for m in meetings]
