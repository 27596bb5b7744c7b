"""A small, fully compliant Kent register for the rule tests, and helpers to break it.

Gravesham LCPG has a member for every core sector and invited seat and all four roles; Dover
LCPG has a chair (so the Chairs Group has two members); the CHWB, Gravesham and the Chairs
Group meet in every cycle of 2017-2018 as the blueprint asks, with full attendance.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from cycle.chwb import chwb_dates
from lcpg.domain.blueprint import Blueprint
from lcpg.domain.model import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
    Membership,
    Person,
    meeting_identity,
)
from lcpg.domain.register import Register

AS_OF = date(2018, 3, 20)  # six days after the CHWB of 14 March 2018
GRAVESHAM = "lcpg-gravesham"
SECTOR_ROLES = {
    "police": ("chair",),
    "early-help": ("coordinator",),
    "district-council": ("safeguarding-lead",),
    "ccg": ("hwb-link",),
}


def email(sector: str, district: str = "gravesham") -> str:
    return f"{sector}.{district}@example.org"


def meeting(body: str, start: datetime, status: MeetingStatus = MeetingStatus.HELD) -> Meeting:
    return Meeting(
        meeting_identity(body, start), body, start, start + timedelta(hours=2), "", status
    )


def compliant(blueprint: Blueprint) -> Register:
    sectors = [*blueprint.core_sector_slugs, "kcc-member", "district-councillor"]
    memberships = [
        Membership(GRAVESHAM, email(s), s, SECTOR_ROLES.get(s, ()), date(2016, 1, 1))
        for s in sectors
    ]
    memberships.append(
        Membership("lcpg-dover", email("police", "dover"), "police", ("chair",), date(2016, 1, 1))
    )
    people = [
        Person(m.email, m.email.split("@")[0].replace(".", " ").replace("-", " ").title())
        for m in memberships
    ]
    chwb = chwb_dates(blueprint.cadence, date(2017, 1, 1), date(2018, 5, 31))
    meetings: list[Meeting] = []
    attendance: list[Attendance] = []
    chairs = [email("police"), email("police", "dover")]
    for opening in chwb:
        status = MeetingStatus.HELD if opening.date() <= AS_OF else MeetingStatus.PLANNED
        chwb_meeting = meeting("chwb", opening, status)
        meetings.append(chwb_meeting)
        if status is MeetingStatus.HELD:
            attendance += [Attendance(chwb_meeting.id, c, AttendanceStatus.PRESENT) for c in chairs]
        lcpg_start = datetime.combine(opening.date() + timedelta(days=8), datetime.min.time())
        lcpg_start = lcpg_start.replace(hour=10)
        chairs_start = lcpg_start + timedelta(days=14)
        for body, start in ((GRAVESHAM, lcpg_start), ("chairs-group", chairs_start)):
            when = MeetingStatus.HELD if start.date() <= AS_OF else MeetingStatus.PLANNED
            record = meeting(body, start, when)
            meetings.append(record)
            if body == GRAVESHAM and when is MeetingStatus.HELD:
                attendance += [
                    Attendance(record.id, m.email, AttendanceStatus.PRESENT)
                    for m in memberships
                    if m.body == GRAVESHAM
                ]
    return Register(
        bodies=blueprint.bodies_list(),
        people=tuple(people),
        memberships=tuple(memberships),
        meetings=tuple(meetings),
        attendance=tuple(attendance),
    )


def without_sectors(register: Register, *sectors: str) -> Register:
    """``register`` less Gravesham's members for ``sectors``."""
    memberships = tuple(
        m for m in register.memberships if not (m.body == GRAVESHAM and m.sector in sectors)
    )
    return replace(register, memberships=memberships)


def with_meetings(register: Register, *meetings: Meeting) -> Register:
    return replace(register, meetings=(*register.meetings, *meetings))


def replace_meetings(register: Register, body: str, *meetings: Meeting) -> Register:
    """``register`` with ``body``'s meetings (and their attendance) replaced by ``meetings``."""
    gone = {m.id for m in register.meetings if m.body == body}
    return replace(
        register,
        meetings=(*(m for m in register.meetings if m.body != body), *meetings),
        attendance=tuple(a for a in register.attendance if a.meeting_id not in gone),
    )
