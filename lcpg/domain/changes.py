"""What writing an incoming register into the current one would change.

Imports and the demo never write records blindly: they build an incoming ``Register``,
``plan_changes`` compares it with the current one by natural key, and the store applies the
resulting ``ChangeSet`` in one transaction (or, for ``--dry-run``, only reports it).

Writing is an upsert: records are added or updated, never deleted, so re-importing the same data
changes nothing and a workbook that covers one district leaves the others alone. Natural keys:
person by e-mail; membership by (body, e-mail, sector, start); meeting by its identity (the
workbook's ``id``, the calendar UID), or by (body, start) where no identity was given;
attendance by (meeting, e-mail).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from typing import Generic, TypeVar

from lcpg.domain.model import Attendance, Meeting, Membership, Person, meeting_identity
from lcpg.domain.register import Register

T = TypeVar("T")


@dataclass(frozen=True)
class Change(Generic[T]):
    """One record to add (``before`` is None) or update."""

    before: T | None
    after: T

    @property
    def is_addition(self) -> bool:
        return self.before is None

    def field_changes(self) -> tuple[tuple[str, object, object], ...]:
        """For an update, each field that differs as (field, before, after); () for an addition."""
        if self.before is None:
            return ()
        return tuple(
            (f.name, getattr(self.before, f.name), getattr(self.after, f.name))
            for f in fields(self.after)  # type: ignore[arg-type]
            if getattr(self.before, f.name) != getattr(self.after, f.name)
        )


@dataclass(frozen=True)
class KindChanges(Generic[T]):
    """The changes to one kind of record, and how many incoming records were already there."""

    changes: tuple[Change[T], ...] = ()
    unchanged: int = 0

    @property
    def added(self) -> int:
        return sum(1 for c in self.changes if c.is_addition)

    @property
    def updated(self) -> int:
        return len(self.changes) - self.added


@dataclass(frozen=True)
class ChangeSet:
    """Everything an incoming register would add or update."""

    people: KindChanges[Person]
    memberships: KindChanges[Membership]
    meetings: KindChanges[Meeting]
    attendance: KindChanges[Attendance]

    @property
    def is_empty(self) -> bool:
        return not (
            self.people.changes
            or self.memberships.changes
            or self.meetings.changes
            or self.attendance.changes
        )

    def summary(self) -> dict[str, dict[str, int]]:
        """Counts per kind: ``{"people": {"added": 3, "updated": 1, "unchanged": 40}, ...}``."""
        kinds: dict[str, KindChanges[object]] = {
            "people": self.people,  # type: ignore[dict-item]
            "memberships": self.memberships,  # type: ignore[dict-item]
            "meetings": self.meetings,  # type: ignore[dict-item]
            "attendance": self.attendance,  # type: ignore[dict-item]
        }
        return {
            name: {"added": k.added, "updated": k.updated, "unchanged": k.unchanged}
            for name, k in kinds.items()
        }


def membership_key(m: Membership) -> tuple[str, str, str, date | None]:
    return (m.body, m.email, m.sector, m.start)


def meeting_key(m: Meeting) -> tuple[str, datetime]:
    return (m.body, m.start)


def attendance_key(a: Attendance) -> tuple[str, str]:
    return (a.meeting_id, a.email)


def _diff(
    current: Iterable[T], incoming: Iterable[T], key: Callable[[T], Hashable]
) -> KindChanges[T]:
    existing = {key(record): record for record in current}
    changes: list[Change[T]] = []
    unchanged = 0
    for record in incoming:
        before = existing.get(key(record))
        if before == record:
            unchanged += 1
        else:
            changes.append(Change(before, record))
    return KindChanges(tuple(changes), unchanged)


def plan_changes(
    current: Register, incoming: Register, *, identified: bool | AbstractSet[str] = False
) -> ChangeSet:
    """The changes that would make ``current`` hold everything in ``incoming``.

    Identified incoming meetings (all with ``identified=True``, else those whose identity is
    in ``identified``) carry their final identities: a workbook import settles them against
    ``current`` (``lcpg.workbook.parse_workbook``), a calendar import recognises this register's
    UIDs. Such a meeting is the stored meeting with its id, wherever it now starts, and is
    otherwise added with that id.

    The others (calendar events without one of our UIDs, the demo): a meeting that already
    exists (same body and start) keeps its stored identity, whatever identity the incoming
    record carries, and a new meeting whose identity is already taken (a meeting first placed
    at that time has since moved away) gets the next free identity for its place. Incoming
    attendance follows either change.
    """
    if identified is True:
        meetings = list(incoming.meetings)
        attendance = list(incoming.attendance)
    else:
        meetings, attendance = _identify(current, incoming, identified or frozenset())
    return ChangeSet(
        people=_diff(current.people, incoming.people, lambda p: p.email),
        memberships=_diff(current.memberships, incoming.memberships, membership_key),
        meetings=_diff(current.meetings, meetings, lambda m: m.id),
        attendance=_diff(current.attendance, attendance, attendance_key),
    )


def _identify(
    current: Register, incoming: Register, identified: AbstractSet[str]
) -> tuple[list[Meeting], list[Attendance]]:
    """``incoming``'s meetings and attendance with the identities of the stored meetings at the
    same body and start, and free identities for the others, except the ``identified``
    meetings, which keep theirs (see ``plan_changes``)."""
    stored_ids = {meeting_key(m): m.id for m in current.meetings}
    taken = set(stored_ids.values()) | set(identified)
    renamed: dict[str, str] = {}
    meetings: list[Meeting] = []
    for meeting in incoming.meetings:
        if meeting.id in identified:
            meetings.append(meeting)
            continue
        identity = stored_ids.get(meeting_key(meeting))
        if identity is None:
            identity = meeting.id
            attempt = 0
            while identity in taken:
                attempt += 1
                identity = meeting_identity(meeting.body, meeting.start, attempt)
            taken.add(identity)
        if identity != meeting.id:
            renamed[meeting.id] = identity
            meeting = replace(meeting, id=identity)
        meetings.append(meeting)
    attendance = [
        replace(a, meeting_id=renamed[a.meeting_id]) if a.meeting_id in renamed else a
        for a in incoming.attendance
    ]
    return meetings, attendance
