"""The register (bodies, people, memberships, meetings, attendance): read as one snapshot,
written as change sets. Reads use one query per table (never one per row), so loading a large
register stays linear; nothing here commits (the unit of work does)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as dt_time
from operator import attrgetter, itemgetter
from typing import Any, Protocol, TypeVar

from sqlalchemy import Connection, func, insert, select
from sqlalchemy.orm import Session

from lcpg.collector import collector_paused
from lcpg.domain.changes import ChangeSet, KindChanges, membership_key
from lcpg.domain.model import (
    Attendance,
    AttendanceStatus,
    Body,
    BodyKind,
    Meeting,
    MeetingRevision,
    MeetingStatus,
    Membership,
    Person,
)
from lcpg.domain.register import Register
from lcpg.errors import NotFoundError
from lcpg.store.schema import (
    AttendanceRow,
    Base,
    BodyRow,
    MeetingRow,
    MembershipRow,
    PersonRow,
    SettingRow,
)
from lcpg.store.version import REGISTER_VERSION

ROLE_SEPARATOR = ";"


@dataclass(frozen=True)
class BodySync:
    """What ``sync_bodies`` did."""

    added: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: int


class RegisterRepository(Protocol):
    """The register: bodies, people, memberships, meetings and attendance."""

    def sync_bodies(self, bodies: Iterable[Body]) -> BodySync:
        """Add the blueprint's bodies that are missing and update names, kinds and districts;
        bodies no longer in the blueprint are kept (they may have meetings and members)."""
        ...

    def set_body_preferences(
        self, slug: str, *, weekday: int | None, time: dt_time | None, venue: str | None
    ) -> Body:
        """Set the given preferences of body ``slug`` (None leaves one); ``NotFoundError``."""
        ...

    def load(self, *, attendance: bool = True) -> Register:
        """The whole register as a snapshot, in a stable order (without attendance if asked)."""
        ...

    def apply_changes(self, changes: ChangeSet, now: datetime) -> None:
        """Write ``changes``; ``now`` stamps each added or changed meeting's revision."""
        ...

    def counts(self) -> dict[str, int]:
        """How many people, memberships, meetings and bodies the register holds."""
        ...

    def version(self) -> str:
        """The register's current version ("" before anything was written)."""
        ...


class SqlRegisterRepository:
    """The register in the unit of work's transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def sync_bodies(self, bodies: Iterable[Body]) -> BodySync:
        """Add the blueprint's bodies that are missing and update names, kinds and districts.

        Bodies no longer in the blueprint are kept: they may have meetings and members on record.
        """
        existing = {row.slug: row for row in self._session.scalars(select(BodyRow))}
        added: list[str] = []
        updated: list[str] = []
        unchanged = 0
        for body in bodies:
            row = existing.get(body.slug)
            if row is None:
                self._session.add(
                    BodyRow(slug=body.slug, name=body.name, kind=body.kind, district=body.district)
                )
                added.append(body.slug)
            elif (row.name, row.kind, row.district) != (body.name, body.kind.value, body.district):
                row.name, row.kind, row.district = body.name, body.kind.value, body.district
                updated.append(body.slug)
            else:
                unchanged += 1
        self._session.flush()
        return BodySync(tuple(added), tuple(updated), unchanged)

    def set_body_preferences(
        self,
        slug: str,
        *,
        weekday: int | None,
        time: dt_time | None,
        venue: str | None,
    ) -> Body:
        """Set the given preferences of body ``slug`` (None leaves one as it is); return the body.

        Raises ``NotFoundError`` when there is no such body.
        """
        row = self._session.scalars(select(BodyRow).where(BodyRow.slug == slug)).one_or_none()
        if row is None:
            raise NotFoundError.body(
                slug, self._session.scalars(select(BodyRow.slug).order_by(BodyRow.id))
            )
        if weekday is not None:
            row.preferred_weekday = weekday
        if time is not None:
            row.preferred_time = time
        if venue is not None:
            row.venue = venue
        self._session.flush()
        return Body(
            row.slug,
            row.name,
            BodyKind(row.kind),
            row.district,
            row.preferred_weekday,
            row.preferred_time,
            row.venue,
        )

    def load(self, *, attendance: bool = True) -> Register:
        """The whole register as an immutable snapshot, in a stable order; without attendance
        (the largest table) when ``attendance`` is False and the caller does not need it.

        Rows are read through the session's connection as plain Core rows: the ORM's result
        processing would add nothing here and doubles the time to read a national register."""
        with collector_paused():
            return _load_register(self._session.connection(), attendance=attendance)

    def apply_changes(self, changes: ChangeSet, now: datetime) -> None:
        """Write ``changes`` (``lcpg.domain.changes.plan_changes``) into the session.
        Does not commit.

        ``now`` (UTC, naive) stamps each added or changed meeting's revision; a changed meeting's
        sequence rises by one.

        The referenced bodies must exist; people are written first so memberships and attendance
        can refer to people added by the same change set. Additions go in as bulk inserts (an
        import can add a million attendance rows); updates load only the rows they change.
        """
        body_id = {
            slug: id_ for slug, id_ in self._session.execute(select(BodyRow.slug, BodyRow.id))
        }

        _insert(
            self._session,
            PersonRow,
            [
                {"email": p.email, "name": p.name, "organisation": p.organisation}
                for p in _added(changes.people)
            ],
        )
        updated_people = {p.email: p for p in _updated(changes.people)}
        for row in _rows_where(self._session, PersonRow, PersonRow.email, updated_people):
            person = updated_people[row.email]
            row.name, row.organisation = person.name, person.organisation
        self._session.flush()
        person_id = {
            email: id_
            for email, id_ in self._session.execute(select(PersonRow.email, PersonRow.id))
        }

        _insert(
            self._session,
            MembershipRow,
            [
                {
                    "body_id": body_id[m.body],
                    "person_id": person_id[m.email],
                    "sector": m.sector,
                    "start": m.start,
                    "end": m.end,
                    "roles": ROLE_SEPARATOR.join(m.roles),
                }
                for m in _added(changes.memberships)
            ],
        )
        updated_memberships = {membership_key(m): m for m in _updated(changes.memberships)}
        if updated_memberships:
            for membership_row, slug, email in self._session.execute(
                select(MembershipRow, BodyRow.slug, PersonRow.email)
                .join(BodyRow, MembershipRow.body_id == BodyRow.id)
                .join(PersonRow, MembershipRow.person_id == PersonRow.id)
            ):
                key = (slug, email, membership_row.sector, membership_row.start)
                membership = updated_memberships.get(key)
                if membership is not None:
                    membership_row.roles = ROLE_SEPARATOR.join(membership.roles)
                    membership_row.end = membership.end

        _insert(
            self._session,
            MeetingRow,
            [
                {
                    "id": m.id,
                    "body_id": body_id[m.body],
                    "start": m.start,
                    "end": m.end,
                    "venue": m.venue,
                    "status": m.status.value,
                    "sequence": 0,
                    "modified_at": now,
                }
                for m in _added(changes.meetings)
            ],
        )
        updated_meetings = {m.id: m for m in _updated(changes.meetings)}
        meeting_rows = list(_rows_where(self._session, MeetingRow, MeetingRow.id, updated_meetings))
        _clear_moved_starts(self._session, meeting_rows, updated_meetings)
        for meeting_row in meeting_rows:
            meeting = updated_meetings[meeting_row.id]
            meeting_row.start, meeting_row.end = meeting.start, meeting.end
            meeting_row.venue = meeting.venue
            meeting_row.status = meeting.status.value
            meeting_row.sequence += 1
            meeting_row.modified_at = now
        self._session.flush()

        _insert(
            self._session,
            AttendanceRow,
            (
                {
                    "meeting_id": a.meeting_id,
                    "person_id": person_id[a.email],
                    "status": a.status.value,
                }
                for a in _added(changes.attendance)
            ),
        )
        updated_attendance = {
            (a.meeting_id, person_id[a.email]): a for a in _updated(changes.attendance)
        }
        meeting_ids = {meeting for meeting, _ in updated_attendance}
        for attendance_row in _rows_where(
            self._session, AttendanceRow, AttendanceRow.meeting_id, meeting_ids
        ):
            record = updated_attendance.get((attendance_row.meeting_id, attendance_row.person_id))
            if record is not None:
                attendance_row.status = record.status.value
        self._session.flush()

    def counts(self) -> dict[str, int]:
        """How many people, memberships, meetings and bodies the register holds."""
        return {
            name: self._session.scalar(select(func.count()).select_from(table)) or 0
            for name, table in (
                ("people", PersonRow),
                ("memberships", MembershipRow),
                ("meetings", MeetingRow),
                ("bodies", BodyRow),
            )
        }

    def version(self) -> str:
        """The register's current version ("" before anything was written); it changes with
        every commit that changes the register (``lcpg.store.version``)."""
        row = self._session.get(SettingRow, REGISTER_VERSION)
        return "" if row is None else row.value


def _roles(text: str) -> tuple[str, ...]:
    return tuple(sorted(r for r in text.split(ROLE_SEPARATOR) if r))


def _load_register(connection: Connection, *, attendance: bool) -> Register:
    bodies = connection.execute(
        select(
            BodyRow.id,
            BodyRow.slug,
            BodyRow.name,
            BodyRow.kind,
            BodyRow.district,
            BodyRow.preferred_weekday,
            BodyRow.preferred_time,
            BodyRow.venue,
        ).order_by(BodyRow.id)
    ).all()
    body_slug = {row.id: row.slug for row in bodies}
    people = connection.execute(
        select(PersonRow.id, PersonRow.email, PersonRow.name, PersonRow.organisation).order_by(
            PersonRow.email
        )
    ).all()
    email = {row.id: row.email for row in people}
    memberships = connection.execute(
        select(
            MembershipRow.body_id,
            MembershipRow.person_id,
            MembershipRow.sector,
            MembershipRow.roles,
            MembershipRow.start,
            MembershipRow.end,
        )
    ).all()
    meeting_rows = connection.execute(
        select(
            MeetingRow.id,
            MeetingRow.body_id,
            MeetingRow.start,
            MeetingRow.end,
            MeetingRow.venue,
            MeetingRow.status,
            MeetingRow.sequence,
            MeetingRow.modified_at,
        ).order_by(MeetingRow.start, MeetingRow.id)
    ).all()
    meetings = tuple(
        Meeting(m.id, body_slug[m.body_id], m.start, m.end, m.venue, _MEETING_STATUS[m.status])
        for m in meeting_rows
    )
    revisions = {m.id: MeetingRevision(m.sequence, m.modified_at) for m in meeting_rows}
    del meeting_rows
    membership_records = sorted(
        (
            Membership(
                body_slug[m.body_id], email[m.person_id], m.sector, _roles(m.roles), m.start, m.end
            )
            for m in memberships
        ),
        key=lambda m: (m.body, m.email, m.sector, m.start is not None, m.start),
    )
    return Register(
        bodies=tuple(
            Body(
                b.slug,
                b.name,
                BodyKind(b.kind),
                b.district,
                b.preferred_weekday,
                b.preferred_time,
                b.venue,
            )
            for b in bodies
        ),
        people=tuple(Person(p.email, p.name, p.organisation) for p in people),
        memberships=tuple(membership_records),
        meetings=meetings,
        attendance=_load_attendance(connection, meetings, email) if attendance else (),
        revisions=revisions,
    )


# Attendance is the largest table (a million rows nationally): it is streamed in chunks, in
# the database's order, and every record shares the meeting-id and e-mail strings already
# loaded instead of holding a copy of each, which keeps a national register well under 1 GiB.
_ATTENDANCE_CHUNK = 20_000
_STATUS = {status.value: status for status in AttendanceStatus}
# A dictionary lookup, not the enum's own (slower) call, per row.
_MEETING_STATUS = {status.value: status for status in MeetingStatus}


def _load_attendance(
    connection: Connection, meetings: Sequence[Meeting], email: Mapping[int, str]
) -> tuple[Attendance, ...]:
    meeting_id = {m.id: m.id for m in meetings}
    # In the order of the (meeting, person) unique index, which the database reads without
    # sorting; each meeting's dozen or so records are then put in e-mail order here. Ordering
    # by e-mail in SQL meant a join and a sort of every row: most of a national check's time.
    ordered = (
        select(AttendanceRow.meeting_id, AttendanceRow.person_id, AttendanceRow.status)
        .order_by(AttendanceRow.meeting_id, AttendanceRow.person_id)
        # On the statement, not the connection: Connection.execution_options changes the
        # connection itself, and the session's later writes cannot use a streaming cursor.
        .execution_options(stream_results=True, yield_per=_ATTENDANCE_CHUNK)
    )
    records: list[Attendance] = []
    for meeting, rows in itertools.groupby(connection.execute(ordered), key=itemgetter(0)):
        shared = meeting_id[meeting]
        records.extend(
            sorted(
                (Attendance(shared, email[row[1]], _STATUS[row[2]]) for row in rows),
                key=attrgetter("email"),
            )
        )
    return tuple(records)


# A start no meeting has: where a moving meeting waits while another leaves its place.
_PARKED = datetime(1, 1, 1)


def _clear_moved_starts(
    session: Session, rows: Sequence[MeetingRow], meetings: Mapping[str, Meeting]
) -> None:
    """When a moving meeting takes the place (body and start) that another moving meeting
    leaves, first park every moving meeting out of the way: the unique (body, start)
    constraint is checked row by row, so two meetings of a body swapping places (or moving
    along a chain) would otherwise clash half-way. Their final places never clash."""
    moving = [row for row in rows if row.start != meetings[row.id].start]
    leaving = {(row.body_id, row.start) for row in moving}
    if not any((row.body_id, meetings[row.id].start) in leaving for row in moving):
        return
    for offset, row in enumerate(moving):
        row.start = _PARKED + timedelta(minutes=offset)
    session.flush()


_T = TypeVar("_T")
_Row = TypeVar("_Row", bound=Base)
# Keeps IN lists well under SQLite's and PostgreSQL's limits on bound parameters.
_CHUNK = 500


def _added(kind: KindChanges[_T]) -> Iterator[_T]:
    return (c.after for c in kind.changes if c.is_addition)


def _updated(kind: KindChanges[_T]) -> list[_T]:
    return [c.after for c in kind.changes if not c.is_addition]


# Rows are inserted this many at a time: a million attendance rows built as parameter sets at
# once would hold several hundred MiB (and the driver's copies as much again) for nothing.
_INSERT_CHUNK = 10_000


def _insert(session: Session, table: type[Base], rows: Iterable[dict[str, Any]]) -> None:
    """Insert ``rows`` into ``table`` as multi-row inserts, a chunk at a time. Core inserts
    into the table itself, not the ORM's bulk path, which would split the rows into a
    statement per run of rows leaving the same columns empty."""
    statement = insert(Base.metadata.tables[table.__tablename__])
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == _INSERT_CHUNK:
            session.execute(statement, chunk)
            chunk = []
    if chunk:
        session.execute(statement, chunk)


def _rows_where(
    session: Session, table: type[_Row], column: Any, values: Iterable[Any]
) -> Iterator[_Row]:
    """The rows of ``table`` whose ``column`` is one of ``values``, a chunk of values at a time."""
    wanted = list(values)
    for start in range(0, len(wanted), _CHUNK):
        yield from session.scalars(select(table).where(column.in_(wanted[start : start + _CHUNK])))
