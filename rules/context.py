"""What every rule looks at: the register snapshot as of a date, with shared indexes built once.

Rules must stay linear in the size of the register (a national register holds about 100,000
meetings and a million attendance records), so anything two rules need is built here, once,
lazily.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from functools import cached_property

from cycle.windows import Cycle, cycle_of, cycles_between
from lcpg.domain.blueprint import Blueprint
from lcpg.domain.model import ACTIVE_STATUSES, Attendance, Body, BodyKind, Meeting, Membership
from lcpg.domain.register import Register


class CheckContext:
    """The register as of ``as_of`` for one check. ``window_start`` opens the period looked back
    over (the 12 months to ``as_of``, both ends inclusive)."""

    def __init__(
        self, register: Register, blueprint: Blueprint, as_of: date, lookback_days: int = 365
    ) -> None:
        self.register = register
        self.blueprint = blueprint
        self.as_of = as_of
        self.window_start = as_of - timedelta(days=lookback_days - 1)

    def bodies_of(self, kinds: Iterable[str]) -> list[Body]:
        """The bodies of the given kinds (``lcpg``, ``chwb``, ...), in register order."""
        wanted = set(kinds)
        return [b for b in self.register.bodies if b.kind.value in wanted]

    def body_of_kind(self, kind: BodyKind) -> Body | None:
        return next((b for b in self.register.bodies if b.kind is kind), None)

    def in_window(self, moment: datetime) -> bool:
        """True when ``moment`` falls in the 12 months to ``as_of``."""
        return self.window_start <= moment.date() <= self.as_of

    @cached_property
    def memberships_by_body(self) -> dict[str, list[Membership]]:
        grouped: defaultdict[str, list[Membership]] = defaultdict(list)
        for membership in self.register.memberships:
            grouped[membership.body].append(membership)
        return grouped

    def members_on(self, body: str, on: date) -> list[Membership]:
        """The memberships of ``body`` current on ``on``."""
        return [m for m in self.memberships_by_body.get(body, ()) if m.is_current(on)]

    @cached_property
    def _attendees_cache(self) -> dict[tuple[str, date], frozenset[str]]:
        return {}

    def attendees(self, body: str, on: date) -> frozenset[str]:
        """``Register.attendees``, remembered per body and day (rules ask many times)."""
        key = (body, on)
        found = self._attendees_cache.get(key)
        if found is None:
            found = self._attendees_cache[key] = self.register.attendees(body, on)
        return found

    @cached_property
    def attendance_by_meeting(self) -> dict[str, list[Attendance]]:
        grouped: defaultdict[str, list[Attendance]] = defaultdict(list)
        for record in self.register.attendance:
            grouped[record.meeting_id].append(record)
        return grouped

    @cached_property
    def chwb_meetings(self) -> list[Meeting]:
        """The CHWB meetings that cut the cycles: held, confirmed or planned, in time order."""
        chwb = self.body_of_kind(BodyKind.CHWB)
        if chwb is None:
            return []
        return [m for m in self.register.meetings_of(chwb.slug) if m.status in ACTIVE_STATUSES]

    @cached_property
    def cycles(self) -> list[Cycle]:
        """The cycles cut by the CHWB meetings actually held or planned (not a fixed grid)."""
        return cycles_between([m.start for m in self.chwb_meetings], self.blueprint.cadence)

    def cycle_of(self, moment: datetime) -> Cycle | None:
        """The cycle whose span (its CHWB up to the next) contains ``moment``, if known."""
        return cycle_of(self.cycles, moment)

    def active_meetings(self, body: str) -> Sequence[Meeting]:
        """``body``'s meetings that were not cancelled, in time order."""
        return [m for m in self.register.meetings_of(body) if m.status in ACTIVE_STATUSES]
