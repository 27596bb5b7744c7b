"""An immutable snapshot of the whole register, the unit that the core works on.

The store loads one, the importer and the demo build one, and the rules will evaluate one as of a
date. Collections are tuples in a stable order so that output built from a snapshot is
deterministic.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from lcpg.domain.model import (
    Attendance,
    Body,
    BodyKind,
    Meeting,
    MeetingRevision,
    Membership,
    Person,
    RoleAssignment,
)

# Bodies whose members are, by default, the holders of a role on the LCPGs.
_DERIVED_ROLES = {BodyKind.CHAIRS_GROUP: "chair", BodyKind.SAFEGUARDING_GROUP: "safeguarding-lead"}


@dataclass(frozen=True)
class Register:
    """Bodies, people, memberships, meetings and attendance, as they stand at one moment."""

    bodies: tuple[Body, ...] = ()
    people: tuple[Person, ...] = ()
    memberships: tuple[Membership, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    attendance: tuple[Attendance, ...] = ()
    # Each stored meeting's calendar revision, by meeting identity (empty for incoming data).
    revisions: Mapping[str, MeetingRevision] = field(default_factory=dict)
    # Indexes built once: the planner, the feeds and the rules ask for one body's meetings and
    # memberships thousands of times, and a national register has 1,800 bodies and 30,000
    # memberships, too many to look through on every call.
    _meetings_by_body: dict[str, tuple[Meeting, ...]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    _memberships_by_body: dict[str, tuple[Membership, ...]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    _bodies_by_slug: dict[str, Body] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        grouped: defaultdict[str, list[Meeting]] = defaultdict(list)
        for meeting in self.meetings:
            grouped[meeting.body].append(meeting)
        for body, meetings in grouped.items():
            self._meetings_by_body[body] = tuple(sorted(meetings, key=lambda m: m.start))
        members: defaultdict[str, list[Membership]] = defaultdict(list)
        for membership in self.memberships:
            members[membership.body].append(membership)
        self._memberships_by_body.update((body, tuple(ms)) for body, ms in members.items())
        for found in self.bodies:
            self._bodies_by_slug.setdefault(found.slug, found)

    def body(self, slug: str) -> Body | None:
        """The body with ``slug``, or None."""
        return self._bodies_by_slug.get(slug)

    def meetings_of(self, body: str) -> tuple[Meeting, ...]:
        """The meetings of ``body`` in order of start time."""
        return self._meetings_by_body.get(body, ())

    def memberships_of(self, body: str, on: date | None = None) -> tuple[Membership, ...]:
        """Memberships of ``body``; with ``on``, only those current on that date."""
        of_body = self._memberships_by_body.get(body, ())
        return of_body if on is None else tuple(m for m in of_body if m.is_current(on))

    def role_holders(self, body: str, role: str, on: date) -> tuple[RoleAssignment, ...]:
        """Who holds ``role`` on ``body`` on ``on`` (co-chairs give two)."""
        return tuple(
            assignment
            for membership in self.memberships_of(body, on)
            for assignment in membership.role_assignments()
            if assignment.role == role
        )

    def attendees(self, body: str, on: date) -> frozenset[str]:
        """The e-mails of the people expected at a meeting of ``body`` on ``on``.

        Its current members; for the Chairs Group and the Safeguarding Group, when they have no
        membership rows of their own, the current LCPG chairs and safeguarding leads (their
        membership is derived from the LCPG roles unless rows for those bodies say otherwise).
        """
        own = frozenset(m.email for m in self.memberships_of(body, on))
        found = self.body(body)
        derived_role = _DERIVED_ROLES.get(found.kind) if found is not None else None
        if own or derived_role is None:
            return own
        lcpgs = {b.slug for b in self.bodies if b.kind is BodyKind.LCPG}
        return frozenset(
            m.email
            for m in self.memberships
            if m.body in lcpgs and derived_role in m.roles and m.is_current(on)
        )

    @property
    def is_empty(self) -> bool:
        """True when no person, membership or meeting has been recorded yet."""
        return not (self.people or self.memberships or self.meetings)
