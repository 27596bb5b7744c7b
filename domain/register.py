"""An immutable snapshot of the whole register, the unit that the core works on.

The store loads one, the importer and the demo build one, and the rules will evaluate one as of a
date. Collections are tuples in a stable order so that output built from a snapshot is
deterministic.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from domain.model import Attendance, Body, Meeting, Membership, Person, RoleAssignment


@dataclass(frozen=True)
class Register:
    """Bodies, people, memberships, meetings and attendance, as they stand at one moment."""

    bodies: tuple[Body, ...] = ()
    people: tuple[Person, ...] = ()
    memberships: tuple[Membership, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    attendance: tuple[Attendance, ...] = ()
    _meetings_by_body: dict[str, tuple[Meeting, ...]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        grouped: defaultdict[str, list[Meeting]] = defaultdict(list)
        for meeting in self.meetings:
            grouped[meeting.body].append(meeting)
        for body, meetings in grouped.items():
            self._meetings_by_body[body] = tuple(sorted(meetings, key=lambda m: m.start))

    def body(self, slug: str) -> Body | None:
        """The body with ``slug``, or None."""
        return next((b for b in self.bodies if b.slug == slug), None)

    def meetings_of(self, body: str) -> tuple[Meeting, ...]:
        """The meetings of ``body`` in order of start time."""
        return self._meetings_by_body.get(body, ())

    def memberships_of(self, body: str, on: date | None = None) -> tuple[Membership, ...]:
        """Memberships of ``body``; with ``on``, only those current on that date."""
        return tuple(
            m for m in self.memberships if m.body == body and (on is None or m.is_current(on))
        )

    def role_holders(self, body: str, role: str, on: date) -> tuple[RoleAssignment, ...]:
        """Who holds ``role`` on ``body`` on ``on`` (co-chairs give two)."""
        return tuple(
            assignment
            for membership in self.memberships_of(body, on)
            for assignment in membership.role_assignments()
            if assignment.role == role
        )

    @property
    def is_empty(self) -> bool:
        """True when no person, membership or meeting has been recorded yet."""
        return not (self.people or self.memberships or self.meetings)
