"""Who came to each held meeting of the demo register.

Only ``held`` meetings have attendance; planned, confirmed and cancelled ones have none.

- LCPG: every member on the meeting's date. Most are present; core members who cannot come
  usually send a representative (the blueprint asks members to attend *or be represented*);
  invited and additional members more often send apologies; the occasional member is absent.
- Chairs Group: the LCPG chairs on the day (Maidstone's co-chairs both count).
- Safeguarding Group: the LCPG safeguarding leads on the day.
- CHWB: two LCPG chairs, present, except at one meeting (the last held but one) where only one
  came: the ``chwb-one-chair`` scenario.
- Local HWB: the ``hwb-link`` holder(s) of each linked district on the day.
- Except Folkestone & Hythe LCPG's held meeting before last: nobody recorded who came (the
  ``attendance-unrecorded`` scenario). Not the last one, which may be too recent for
  ``records.attendance-missing`` to count it yet.

Each meeting's marks come from a generator seeded with the meeting's id, so they are stable.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from datetime import date

from lcpg.demo.roster import HwbLink, Roster
from lcpg.demo.scenarios import (
    ATTENDANCE_UNRECORDED_DISTRICT,
    CHAIR,
    COORDINATOR,
    SAFEGUARDING_LEAD,
)
from lcpg.demo.seeding import rng_for
from lcpg.domain.model import Attendance, AttendanceStatus, Meeting, MeetingStatus, Membership

PRESENT = AttendanceStatus.PRESENT
REPRESENTED = AttendanceStatus.REPRESENTED
APOLOGIES = AttendanceStatus.APOLOGIES
ABSENT = AttendanceStatus.ABSENT

Weights = tuple[tuple[AttendanceStatus, float], ...]

# Role holders run the meeting; core members are expected to attend or be represented, so a
# core sector goes unrepresented about once in a hundred marks: the odd meeting (one in ten or
# so) shows an attendance gap, without drowning the scenarios in attendance findings.
ROLE_HOLDER_WEIGHTS: Weights = ((PRESENT, 93), (REPRESENTED, 6), (APOLOGIES, 1))
CORE_WEIGHTS: Weights = ((PRESENT, 86), (REPRESENTED, 13), (APOLOGIES, 0.8), (ABSENT, 0.2))
OTHER_WEIGHTS: Weights = ((PRESENT, 68), (REPRESENTED, 4), (APOLOGIES, 23), (ABSENT, 5))
GROUP_WEIGHTS: Weights = ((PRESENT, 82), (REPRESENTED, 6), (APOLOGIES, 12))
HWB_WEIGHTS: Weights = ((PRESENT, 85), (APOLOGIES, 15))


def build_attendance(
    roster: Roster, meetings: Sequence[Meeting], core_sectors: Iterable[str]
) -> tuple[Attendance, ...]:
    """Attendance rows for every held meeting in ``meetings``, in meeting order."""
    builder = _Attendance(roster, frozenset(core_sectors))
    held_chwb = [m for m in meetings if m.body == "chwb" and m.status is MeetingStatus.HELD]
    # The last held CHWB but one (or the only one) had a single chair.
    single = held_chwb[-2] if len(held_chwb) >= 2 else (held_chwb[-1] if held_chwb else None)
    unrecorded = unrecorded_attendance(meetings)
    rows: list[Attendance] = []
    for meeting in meetings:
        if meeting.status is not MeetingStatus.HELD or meeting is unrecorded:
            continue
        rng = rng_for("attendance", meeting.id)
        if meeting.body == "chwb":
            rows.extend(builder.chwb(meeting, rng, chairs=1 if meeting is single else 2))
        else:
            rows.extend(builder.members(meeting, rng))
    return tuple(rows)


def unrecorded_attendance(meetings: Sequence[Meeting]) -> Meeting | None:
    """The held meeting whose attendance nobody recorded: the ``attendance-unrecorded``
    district's held meeting before last (None with fewer than two held)."""
    body = f"lcpg-{ATTENDANCE_UNRECORDED_DISTRICT}"
    held = [m for m in meetings if m.body == body and m.status is MeetingStatus.HELD]
    return held[-2] if len(held) >= 2 else None


def _draw(rng: random.Random, weights: Weights) -> AttendanceStatus:
    statuses = [status for status, _ in weights]
    return rng.choices(statuses, weights=[weight for _, weight in weights])[0]


class _Attendance:
    def __init__(self, roster: Roster, core_sectors: frozenset[str]) -> None:
        self.core_sectors = core_sectors
        self.by_body: dict[str, list[Membership]] = {}
        for membership in roster.memberships:
            self.by_body.setdefault(membership.body, []).append(membership)
        self.links: dict[str, list[HwbLink]] = {}
        for link in roster.hwb_links:
            self.links.setdefault(link.hwb, []).append(link)
        self.lcpg_memberships = [m for m in roster.memberships if m.body.startswith("lcpg-")]

    def _holders(self, role: str, on: date) -> list[str]:
        """Addresses of the LCPG members holding ``role`` on ``on``, in register order."""
        return _unique(
            m.email for m in self.lcpg_memberships if role in m.roles and m.is_current(on)
        )

    def chwb(self, meeting: Meeting, rng: random.Random, chairs: int) -> list[Attendance]:
        on = meeting.start.date()
        candidates = self._holders(CHAIR, on)
        chosen = rng.sample(candidates, k=min(chairs, len(candidates)))
        return [Attendance(meeting.id, email, PRESENT) for email in sorted(chosen)]

    def members(self, meeting: Meeting, rng: random.Random) -> list[Attendance]:
        on = meeting.start.date()
        if meeting.body == "chairs-group":
            return self._marks(meeting, rng, self._holders(CHAIR, on), GROUP_WEIGHTS)
        if meeting.body == "safeguarding-group":
            return self._marks(meeting, rng, self._holders(SAFEGUARDING_LEAD, on), GROUP_WEIGHTS)
        if meeting.body in self.links:
            links = self.links[meeting.body]
            linked = _unique(k.membership.email for k in links if k.membership.is_current(on))
            return self._marks(meeting, rng, linked, HWB_WEIGHTS)
        rows: list[Attendance] = []
        seen: set[str] = set()
        for membership in self.by_body.get(meeting.body, []):
            if not membership.is_current(on) or membership.email in seen:
                continue
            seen.add(membership.email)
            if membership.roles:
                weights = ROLE_HOLDER_WEIGHTS
            elif membership.sector in self.core_sectors:
                weights = CORE_WEIGHTS
            else:
                weights = OTHER_WEIGHTS
            # The co-ordinator services the meeting and is always there.
            status = PRESENT if COORDINATOR in membership.roles else _draw(rng, weights)
            rows.append(Attendance(meeting.id, membership.email, status))
        return rows

    def _marks(
        self, meeting: Meeting, rng: random.Random, emails: Sequence[str], weights: Weights
    ) -> list[Attendance]:
        return [Attendance(meeting.id, email, _draw(rng, weights)) for email in emails]


def _unique(emails: Iterable[str]) -> list[str]:
    """``emails`` without repeats, first occurrence first."""
    return list(dict.fromkeys(emails))
