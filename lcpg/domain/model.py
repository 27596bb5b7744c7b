"""Frozen records for the partnership register: bodies, people, memberships, meetings, attendance.

Times are wall-clock times in the blueprint's time zone (Europe/London for Kent), held as naive
``datetime`` values: the register is about one county, and the calendar layer attaches the zone
when it writes a feed. Dates of memberships are inclusive at both ends; ``None`` means open.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum

# A fixed namespace so that a meeting's identity can be derived reproducibly from where it was
# first placed: the same demo or import on two machines gives the same identities (and the
# same calendar UIDs), and the stored identity never changes when the meeting later moves.
MEETING_NAMESPACE = uuid.UUID("6f1c1f7e-3b7a-4d0e-9a43-6c2f2a1d8e51")


class BodyKind(StrEnum):
    """What sort of body a meeting belongs to."""

    CHWB = "chwb"
    CHAIRS_GROUP = "chairs-group"
    SAFEGUARDING_GROUP = "safeguarding-group"
    LCPG = "lcpg"
    LOCAL_HWB = "hwb"


class MeetingStatus(StrEnum):
    """Where a meeting stands. Only ``planned`` meetings may be moved by the planner."""

    PLANNED = "planned"
    CONFIRMED = "confirmed"
    HELD = "held"
    CANCELLED = "cancelled"


ACTIVE_STATUSES = (MeetingStatus.PLANNED, MeetingStatus.CONFIRMED, MeetingStatus.HELD)
"""The statuses of a meeting that takes (or took) place: every status but ``cancelled``."""


class AttendanceStatus(StrEnum):
    """How a member answered a meeting: ``represented`` means a named substitute came."""

    PRESENT = "present"
    REPRESENTED = "represented"
    APOLOGIES = "apologies"
    ABSENT = "absent"


@dataclass(frozen=True, slots=True)
class District:
    """One of the county's districts, each with its own LCPG."""

    slug: str
    name: str
    former_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Body:
    """A body that meets: the CHWB, the Chairs Group, the Safeguarding Group, an LCPG or a
    Local Health and Wellbeing Board. ``district`` is set for LCPGs only.

    ``preferred_weekday`` (Monday 0), ``preferred_time`` and ``venue`` are the body's own
    meeting preferences for the planner; unset, the blueprint's defaults apply.
    """

    slug: str
    name: str
    kind: BodyKind
    district: str | None = None
    preferred_weekday: int | None = None
    preferred_time: time | None = None
    venue: str = ""


@dataclass(frozen=True, slots=True)
class Person:
    """Someone on the register. ``email`` is the key, always lower case."""

    email: str
    name: str
    organisation: str = ""


def normalise_email(email: str) -> str:
    """The register's form of an address: trimmed and lower case (addresses are keys)."""
    return email.strip().lower()


def _in_span(on: date, start: date | None, end: date | None) -> bool:
    return (start is None or start <= on) and (end is None or on <= end)


@dataclass(frozen=True, slots=True)
class Membership:
    """A person's seat on a body for a sector, with the roles they hold in it, over a dated span.

    ``sector`` is a core sector slug, an invited seat (``kcc-member``, ``district-councillor``)
    or ``additional``. ``roles`` are role slugs, sorted. A person whose roles change during
    their membership has one row per span ("co-ordinator until September").
    """

    body: str
    email: str
    sector: str
    roles: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        # Sorted and de-duplicated here, so that two records with the same roles compare equal
        # however they were written ("chair;coordinator" or "coordinator;chair").
        object.__setattr__(self, "roles", tuple(sorted(set(self.roles))))

    def is_current(self, on: date) -> bool:
        """True when the membership covers ``on`` (both ends inclusive)."""
        return _in_span(on, self.start, self.end)

    def role_assignments(self) -> tuple[RoleAssignment, ...]:
        """The roles held through this membership, each dated with the membership's span."""
        return tuple(
            RoleAssignment(self.body, self.email, role, self.start, self.end) for role in self.roles
        )


@dataclass(frozen=True, slots=True)
class RoleAssignment:
    """A role (``chair``, ``coordinator``, ...) held by a person on a body over a dated span."""

    body: str
    email: str
    role: str
    start: date | None = None
    end: date | None = None

    def is_current(self, on: date) -> bool:
        """True when the role is held on ``on`` (both ends inclusive)."""
        return _in_span(on, self.start, self.end)


def meeting_identity(body: str, first_start: datetime, attempt: int = 0) -> str:
    """The stable identity of a meeting first placed for ``body`` at ``first_start``.

    Computed once, when the meeting is created, and stored: re-planning or editing the meeting
    later keeps it, so subscribed calendars update the event instead of duplicating it.
    ``attempt`` gives further identities for the same place, for when the first is already
    held by a meeting that has since moved away (see ``lcpg.domain.changes.plan_changes``).
    """
    name = f"{body}/{first_start.isoformat(timespec='seconds')}"
    return str(uuid.uuid5(MEETING_NAMESPACE, name if attempt == 0 else f"{name}#{attempt}"))


def meeting_uid(meeting_id: str, blueprint_slug: str) -> str:
    """The calendar UID of meeting ``meeting_id`` in the feeds of blueprint ``blueprint_slug``
    (``<identity>@kent.lcpg``): what the feeds publish and what the workbook's ``id`` column
    holds, so a meeting is one and the same in a spreadsheet and in a calendar."""
    return f"{meeting_id}@{blueprint_slug}.lcpg"


def meeting_id_from_uid(text: str, blueprint_slug: str) -> str:
    """The meeting identity in ``text``: a calendar UID of this blueprint's feeds
    (``meeting_uid``) or the bare identity, in any case, trimmed.

    Raises ``ValueError`` with a message for the user when ``text`` is neither, or is the UID of
    another blueprint's feeds (another county's register).
    """
    value = text.strip().lower()
    identity, at, domain = value.partition("@")
    expected = meeting_uid("<identity>", blueprint_slug)
    try:
        parsed = uuid.UUID(identity)
    except ValueError:
        raise ValueError(
            f"malformed id {text!r} (expected an id as lcpg exports it, {expected}; "
            "leave it empty for a new meeting)"
        ) from None
    if str(parsed) != identity:  # braces, "urn:uuid:" or no hyphens: not an id lcpg wrote
        raise ValueError(f"malformed id {text!r} (expected {expected})")
    if at and domain != f"{blueprint_slug}.lcpg":
        raise ValueError(
            f"id {text!r} is from another register's calendars (@{domain}); this register's "
            f"ids are {expected}"
        )
    return identity


@dataclass(frozen=True, slots=True)
class Meeting:
    """One meeting of a body. ``id`` is its stable identity (see ``meeting_identity``)."""

    id: str
    body: str
    start: datetime
    end: datetime
    venue: str = ""
    status: MeetingStatus = MeetingStatus.PLANNED


@dataclass(frozen=True, slots=True)
class MeetingRevision:
    """How often a meeting has changed since it was first recorded (``sequence``, from 0), and
    when it last did (UTC; None for records that predate revision tracking). Calendar feeds
    publish these as SEQUENCE and LAST-MODIFIED so subscribed calendars update in place."""

    sequence: int = 0
    modified: datetime | None = None


@dataclass(frozen=True, slots=True)
class Attendance:
    """Whether a person came to a meeting (or sent a representative)."""

    meeting_id: str
    email: str
    status: AttendanceStatus
