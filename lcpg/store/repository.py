"""Reading the register as a snapshot and writing change sets, inside a ``UnitOfWork``.

Each function takes the unit of work's session; none commits. Reads use one query per table
(never one per row), so loading a large register stays linear.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from operator import attrgetter, itemgetter
from typing import Any, Protocol, TypeVar

from sqlalchemy import Connection, func, insert, select, update
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
from lcpg.errors import LcpgError, NotFoundError
from lcpg.store.schema import (
    AttendanceRow,
    Base,
    BodyRow,
    CheckFindingRow,
    CheckRunRow,
    MeetingRow,
    MembershipRow,
    OutboxRow,
    PersonRow,
    SettingRow,
)
from lcpg.store.version import REGISTER_VERSION
from rules.findings import Finding, Report, Severity

ROLE_SEPARATOR = ";"


class PlannedLike(Protocol):
    """What the store needs of a planned meeting (``cycle.planner.PlannedMeeting`` is one)."""

    @property
    def meeting_id(self) -> str: ...

    @property
    def body(self) -> str: ...

    @property
    def start(self) -> datetime: ...

    @property
    def end(self) -> datetime: ...

    @property
    def venue(self) -> str: ...


@dataclass(frozen=True)
class BodySync:
    """What ``sync_bodies`` did."""

    added: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: int


def sync_bodies(session: Session, bodies: Iterable[Body]) -> BodySync:
    """Add the blueprint's bodies that are missing and update names, kinds and districts.

    Bodies no longer in the blueprint are kept: they may have meetings and members on record.
    """
    existing = {row.slug: row for row in session.scalars(select(BodyRow))}
    added: list[str] = []
    updated: list[str] = []
    unchanged = 0
    for body in bodies:
        row = existing.get(body.slug)
        if row is None:
            session.add(
                BodyRow(slug=body.slug, name=body.name, kind=body.kind, district=body.district)
            )
            added.append(body.slug)
        elif (row.name, row.kind, row.district) != (body.name, body.kind.value, body.district):
            row.name, row.kind, row.district = body.name, body.kind.value, body.district
            updated.append(body.slug)
        else:
            unchanged += 1
    session.flush()
    return BodySync(tuple(added), tuple(updated), unchanged)


def set_body_preferences(
    session: Session,
    slug: str,
    *,
    weekday: int | None,
    time: dt_time | None,
    venue: str | None,
) -> Body:
    """Set the given preferences of body ``slug`` (None leaves one as it is); return the body.

    Raises ``NotFoundError`` when there is no such body.
    """
    row = session.scalars(select(BodyRow).where(BodyRow.slug == slug)).one_or_none()
    if row is None:
        raise NotFoundError.body(slug, session.scalars(select(BodyRow.slug).order_by(BodyRow.id)))
    if weekday is not None:
        row.preferred_weekday = weekday
    if time is not None:
        row.preferred_time = time
    if venue is not None:
        row.venue = venue
    session.flush()
    return Body(
        row.slug,
        row.name,
        BodyKind(row.kind),
        row.district,
        row.preferred_weekday,
        row.preferred_time,
        row.venue,
    )


def save_planned_meetings(
    session: Session, added: Sequence[PlannedLike], moved: Sequence[PlannedLike], now: datetime
) -> None:
    """Insert ``added`` meetings and move ``moved`` ones (by identity) as ``planned``; a moved
    meeting's revision rises and both are stamped ``now`` (UTC, naive).

    Raises ``LcpgError`` when a meeting to move is gone or no longer ``planned`` (the register
    changed since the plan was made): nothing is written then.
    """
    body_id = {slug: id_ for slug, id_ in session.execute(select(BodyRow.slug, BodyRow.id))}
    if moved:
        rows = {
            row.id: row
            for row in session.scalars(
                select(MeetingRow).where(MeetingRow.id.in_([m.meeting_id for m in moved]))
            )
        }
        for meeting in moved:
            row = rows.get(meeting.meeting_id)
            if row is None or row.status != MeetingStatus.PLANNED.value:
                raise LcpgError(
                    f"the {meeting.body} meeting to move is no longer planned in the register; "
                    "make the plan again"
                )
            row.start, row.end, row.venue = meeting.start, meeting.end, meeting.venue
            row.sequence += 1
            row.modified_at = now
        # Moves first, so that a meeting moving into a day another one leaves is not a clash.
        session.flush()
    for meeting in added:
        session.add(
            MeetingRow(
                id=meeting.meeting_id,
                body_id=body_id[meeting.body],
                start=meeting.start,
                end=meeting.end,
                venue=meeting.venue,
                status=MeetingStatus.PLANNED.value,
                sequence=0,
                modified_at=now,
            )
        )
    session.flush()


def record_report(session: Session, report: Report, recorded_at: datetime) -> int:
    """Store ``report`` as a check run; return its id."""
    run = CheckRunRow(as_of=report.as_of, recorded_at=recorded_at, blueprint=report.blueprint)
    session.add(run)
    session.flush()
    session.add_all(
        CheckFindingRow(
            run_id=run.id,
            rule=f.rule,
            severity=f.severity.value,
            body=f.body,
            subject=f.subject,
            message=f.message,
            clause=f.clause,
            evidence=json.dumps(f.evidence, sort_keys=True),
        )
        for f in report.findings
    )
    session.flush()
    return run.id


@dataclass(frozen=True)
class RecordedRun:
    """A recorded check: its id, as-of date, when it was recorded, and its finding counts."""

    id: int
    as_of: date
    recorded_at: datetime
    blueprint: str
    counts: Mapping[str, int]


def recorded_runs(session: Session) -> list[RecordedRun]:
    """Every recorded check, newest as-of date first, with counts by severity."""
    counts: dict[int, dict[str, int]] = {}
    for run_id, severity, number in session.execute(
        select(CheckFindingRow.run_id, CheckFindingRow.severity, func.count()).group_by(
            CheckFindingRow.run_id, CheckFindingRow.severity
        )
    ):
        counts.setdefault(run_id, {})[severity] = number
    return [
        RecordedRun(run.id, run.as_of, run.recorded_at, run.blueprint, counts.get(run.id, {}))
        for run in session.scalars(
            select(CheckRunRow).order_by(CheckRunRow.as_of.desc(), CheckRunRow.id.desc())
        )
    ]


MAX_ID = 2**63 - 1
"""The largest id any register can hold (a 64-bit integer, in SQLite and PostgreSQL alike)."""


def recorded_report(session: Session, run_id: int, bodies: Mapping[str, str]) -> Report | None:
    """The report of recorded check ``run_id`` exactly as it was recorded, or None (also for
    an id no database can hold, which SQLite's driver could not even send)."""
    if not 0 < run_id <= MAX_ID:
        return None
    run = session.get(CheckRunRow, run_id)
    return None if run is None else _report_of(session, run, bodies)


def previous_report(
    session: Session, before: date, bodies: Mapping[str, str]
) -> tuple[int, Report] | None:
    """The latest recorded check as of a date before ``before`` (the latest recorded, when
    several share that date) with its id, or None. ``bodies`` names the bodies for the
    report."""
    run = session.scalars(
        select(CheckRunRow)
        .where(CheckRunRow.as_of < before)
        .order_by(CheckRunRow.as_of.desc(), CheckRunRow.id.desc())
        .limit(1)
    ).one_or_none()
    return None if run is None else (run.id, _report_of(session, run, bodies))


def _report_of(session: Session, run: CheckRunRow, bodies: Mapping[str, str]) -> Report:
    rows = session.scalars(
        select(CheckFindingRow).where(CheckFindingRow.run_id == run.id).order_by(CheckFindingRow.id)
    )
    findings = tuple(
        Finding(
            r.rule,
            Severity(r.severity),
            r.body,
            r.subject,
            r.message,
            r.clause,
            json.loads(r.evidence),
        )
        for r in rows
    )
    return Report(run.as_of, run.blueprint, findings, bodies)


@dataclass(frozen=True)
class QueuedMessage:
    """A message for the outbox: its key, subject and bytes."""

    week: str
    recipient: str
    kind: str
    subject: str
    message: bytes


def queue_messages(session: Session, messages: Sequence[QueuedMessage], now: datetime) -> int:
    """Add the messages the outbox does not hold yet (by week, recipient and kind); return how
    many were added. Safe against another process queueing the same ones at the same time."""
    if not messages:
        return 0
    rows = [
        {
            "week": m.week,
            "recipient": m.recipient,
            "kind": m.kind,
            "subject": m.subject,
            "message": m.message.decode("utf-8"),
            "status": "pending",
            "attempts": 0,
            "created_at": now,
        }
        for m in messages
    ]
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert  # type: ignore[assignment]
    # RETURNING counts the rows actually inserted on both databases (psycopg reports no
    # rowcount for a many-row insert).
    inserted = session.scalars(
        dialect_insert(OutboxRow).values(rows).on_conflict_do_nothing().returning(OutboxRow.id)
    ).all()
    return len(inserted)


@dataclass(frozen=True)
class Unsent:
    """An outbox message not yet sent: pending, or claimed (``sending``) by a run."""

    id: int
    week: str
    recipient: str
    kind: str
    status: str
    attempts: int
    claimed_by: str | None
    claimed_at: datetime | None
    last_error: str | None


def unsent(session: Session, until_week: str, since_week: str | None = None) -> list[Unsent]:
    """Messages pending or being sent, of weeks up to ``until_week`` (from ``since_week``, if
    given; ISO weeks ``YYYY-Www`` sort as text), oldest week first."""
    query = select(OutboxRow).where(
        OutboxRow.status.in_(("pending", "sending")), OutboxRow.week <= until_week
    )
    if since_week is not None:
        query = query.where(OutboxRow.week >= since_week)
    return [
        Unsent(
            r.id,
            r.week,
            r.recipient,
            r.kind,
            r.status,
            r.attempts,
            r.claimed_by,
            r.claimed_at,
            r.last_error,
        )
        for r in session.scalars(query.order_by(OutboxRow.week, OutboxRow.id))
    ]


def claim(session: Session, message: Unsent, now: datetime, claimed_by: str) -> OutboxRow | None:
    """Mark ``message`` as being sent by ``claimed_by``, if nobody has claimed it since it was
    read (its ``attempts`` count is unchanged); None otherwise. This conditional update is what
    stops two runs sending the same message: the caller decides whether a claim it saw is
    stale (``lcpg.services.outbox_claims``), and only one run can act on what it saw."""
    claimed = session.execute(
        update(OutboxRow)
        .where(
            OutboxRow.id == message.id,
            OutboxRow.status.in_(("pending", "sending")),
            OutboxRow.attempts == message.attempts,
        )
        .values(
            status="sending", claimed_at=now, claimed_by=claimed_by, attempts=message.attempts + 1
        )
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return session.get(OutboxRow, message.id)


def expire(session: Session, message: Unsent) -> bool:
    """Give ``message`` up (status ``expired``, its last error kept), if nobody has claimed it
    since it was read; whether it was."""
    expired = session.execute(
        update(OutboxRow)
        .where(
            OutboxRow.id == message.id,
            OutboxRow.status.in_(("pending", "sending")),
            OutboxRow.attempts == message.attempts,
        )
        .values(status="expired")
    )
    return bool(expired.rowcount == 1)  # type: ignore[attr-defined]


def mark_sent(session: Session, outbox_id: int, now: datetime) -> None:
    session.execute(
        update(OutboxRow)
        .where(OutboxRow.id == outbox_id)
        .values(status="sent", sent_at=now, last_error=None, claimed_by=None)
    )


def mark_failed(session: Session, outbox_id: int, error: str) -> None:
    """Back to pending, with the error: the next run tries again."""
    session.execute(
        update(OutboxRow)
        .where(OutboxRow.id == outbox_id)
        .values(status="pending", last_error=error, claimed_by=None)
    )


def outbox_counts(session: Session, week: str) -> dict[str, int]:
    """How many of ``week``'s messages are pending, sending, sent and expired."""
    return {
        status: count
        for status, count in session.execute(
            select(OutboxRow.status, func.count())
            .where(OutboxRow.week == week)
            .group_by(OutboxRow.status)
        )
    }


def register_version(session: Session) -> str:
    """The register's current version ("" before anything was written)."""
    return get_setting(session, REGISTER_VERSION) or ""


def get_setting(session: Session, key: str) -> str | None:
    row = session.get(SettingRow, key)
    return None if row is None else row.value


def set_setting(session: Session, key: str, value: str) -> None:
    row = session.get(SettingRow, key)
    if row is None:
        session.add(SettingRow(key=key, value=value))
    else:
        row.value = value


def _roles(text: str) -> tuple[str, ...]:
    return tuple(sorted(r for r in text.split(ROLE_SEPARATOR) if r))


def load_register(session: Session, *, attendance: bool = True) -> Register:
    """The whole register as an immutable snapshot, in a stable order; without attendance
    (the largest table) when ``attendance`` is False and the caller does not need it.

    Rows are read through the session's connection as plain Core rows: the ORM's result
    processing would add nothing here and doubles the time to read a national register."""
    with collector_paused():
        return _load_register(session.connection(), attendance=attendance)


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


def apply_changes(session: Session, changes: ChangeSet, now: datetime) -> None:
    """Write ``changes`` (``lcpg.domain.changes.plan_changes``) into the session. Does not commit.

    ``now`` (UTC, naive) stamps each added or changed meeting's revision; a changed meeting's
    sequence rises by one.

    The referenced bodies must exist; people are written first so memberships and attendance
    can refer to people added by the same change set. Additions go in as bulk inserts (an
    import can add a million attendance rows); updates load only the rows they change.
    """
    body_id = {slug: id_ for slug, id_ in session.execute(select(BodyRow.slug, BodyRow.id))}

    _insert(
        session,
        PersonRow,
        [
            {"email": p.email, "name": p.name, "organisation": p.organisation}
            for p in _added(changes.people)
        ],
    )
    updated_people = {p.email: p for p in _updated(changes.people)}
    for row in _rows_where(session, PersonRow, PersonRow.email, updated_people):
        person = updated_people[row.email]
        row.name, row.organisation = person.name, person.organisation
    session.flush()
    person_id = {
        email: id_ for email, id_ in session.execute(select(PersonRow.email, PersonRow.id))
    }

    _insert(
        session,
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
        for membership_row, slug, email in session.execute(
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
        session,
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
    meeting_rows = list(_rows_where(session, MeetingRow, MeetingRow.id, updated_meetings))
    _clear_moved_starts(session, meeting_rows, updated_meetings)
    for meeting_row in meeting_rows:
        meeting = updated_meetings[meeting_row.id]
        meeting_row.start, meeting_row.end = meeting.start, meeting.end
        meeting_row.venue = meeting.venue
        meeting_row.status = meeting.status.value
        meeting_row.sequence += 1
        meeting_row.modified_at = now
    session.flush()

    _insert(
        session,
        AttendanceRow,
        (
            {"meeting_id": a.meeting_id, "person_id": person_id[a.email], "status": a.status.value}
            for a in _added(changes.attendance)
        ),
    )
    updated_attendance = {
        (a.meeting_id, person_id[a.email]): a for a in _updated(changes.attendance)
    }
    meeting_ids = {meeting for meeting, _ in updated_attendance}
    for attendance_row in _rows_where(
        session, AttendanceRow, AttendanceRow.meeting_id, meeting_ids
    ):
        record = updated_attendance.get((attendance_row.meeting_id, attendance_row.person_id))
        if record is not None:
            attendance_row.status = record.status.value
    session.flush()


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
