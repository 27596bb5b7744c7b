"""A unit of work in memory, with in-memory repositories: the same contract as
``lcpg.store.unit_of_work.UnitOfWork`` (``AbstractUnitOfWork``), for use-case tests that need
no database.

``MemoryDatabase`` plays the database: each unit of work works on its own copy of the data
and puts it back only on ``commit()``, so an uncommitted or rolled-back unit leaves nothing
behind, as a transaction does; a commit that changed the register (what
``lcpg.store.version.REGISTER_ROWS`` holds) stamps a new register version. The shared contract
is held by one test suite run against both (``tests/store_contract.py``).
"""

from __future__ import annotations

import copy
import json
import threading
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from datetime import time as dt_time
from types import TracebackType
from typing import Self

from lcpg.domain.changes import ChangeSet, membership_key
from lcpg.domain.model import (
    Attendance,
    Body,
    Meeting,
    MeetingRevision,
    MeetingStatus,
    Membership,
    Person,
)
from lcpg.domain.register import Register
from lcpg.domain.terms import AcademicYear
from lcpg.errors import LcpgError, NotFoundError
from lcpg.store.checks import MAX_ID, ChecksRepository, RecordedRun
from lcpg.store.outbox import OutboxRepository, QueuedMessage, Unsent
from lcpg.store.plans import PlannedLike, PlansRepository
from lcpg.store.register import BodySync, RegisterRepository
from lcpg.store.settings import SettingsRepository
from lcpg.store.term_dates import StoredYear, TermDatesRepository
from lcpg.store.tokens import StoredToken, TokenListing, TokensRepository
from lcpg.store.unit_of_work import AbstractUnitOfWork
from lcpg.store.version import REGISTER_VERSION
from rules.findings import Finding, Report


@dataclass
class _Run:
    id: int
    as_of: date
    recorded_at: datetime
    blueprint: str
    findings: tuple[Finding, ...]


@dataclass
class _Message:
    id: int
    week: str
    recipient: str
    kind: str
    subject: str
    message: str
    created_at: datetime
    status: str = "pending"
    attempts: int = 0
    last_error: str | None = None
    claimed_at: datetime | None = None
    claimed_by: str | None = None
    sent_at: datetime | None = None


@dataclass
class _Token:
    id: int
    email: str
    token_hash: str
    created_at: datetime
    revoked_at: datetime | None = None


@dataclass
class _Data:
    """Everything the database holds. Register records are kept in insertion order."""

    bodies: dict[str, Body] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    memberships: dict[tuple[str, str, str, date | None], Membership] = field(default_factory=dict)
    meetings: dict[str, Meeting] = field(default_factory=dict)
    revisions: dict[str, MeetingRevision] = field(default_factory=dict)
    attendance: dict[tuple[str, str], Attendance] = field(default_factory=dict)
    terms: dict[str, StoredYear] = field(default_factory=dict)
    runs: dict[int, _Run] = field(default_factory=dict)
    outbox: dict[int, _Message] = field(default_factory=dict)
    tokens: dict[int, _Token] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)
    last_id: int = 0

    def next_id(self) -> int:
        self.last_id += 1
        return self.last_id

    def register_part(self) -> tuple[object, ...]:
        """What the register version covers (``lcpg.store.version.REGISTER_ROWS``)."""
        return (
            self.bodies,
            self.people,
            self.memberships,
            self.meetings,
            self.revisions,
            self.attendance,
            self.terms,
        )


class MemoryDatabase:
    """The committed data that in-memory units of work share. Writers take turns (a lock
    held from a writing unit's start to its end), as the real store's writer lock makes them."""

    def __init__(self) -> None:
        self.data = _Data()
        self.writer = threading.RLock()


class MemoryRegisterRepository:
    def __init__(self, data: _Data) -> None:
        self._data = data

    def sync_bodies(self, bodies: Iterable[Body]) -> BodySync:
        added: list[str] = []
        updated: list[str] = []
        unchanged = 0
        for body in bodies:
            row = self._data.bodies.get(body.slug)
            if row is None:
                self._data.bodies[body.slug] = Body(body.slug, body.name, body.kind, body.district)
                added.append(body.slug)
            elif (row.name, row.kind, row.district) != (body.name, body.kind, body.district):
                self._data.bodies[body.slug] = replace(
                    row, name=body.name, kind=body.kind, district=body.district
                )
                updated.append(body.slug)
            else:
                unchanged += 1
        return BodySync(tuple(added), tuple(updated), unchanged)

    def set_body_preferences(
        self, slug: str, *, weekday: int | None, time: dt_time | None, venue: str | None
    ) -> Body:
        row = self._data.bodies.get(slug)
        if row is None:
            raise NotFoundError.body(slug, self._data.bodies)
        if weekday is not None:
            row = replace(row, preferred_weekday=weekday)
        if time is not None:
            row = replace(row, preferred_time=time)
        if venue is not None:
            row = replace(row, venue=venue)
        self._data.bodies[slug] = row
        return row

    def load(self, *, attendance: bool = True) -> Register:
        data = self._data
        return Register(
            bodies=tuple(data.bodies.values()),
            people=tuple(sorted(data.people.values(), key=lambda p: p.email)),
            memberships=tuple(
                sorted(
                    data.memberships.values(),
                    key=lambda m: (m.body, m.email, m.sector, m.start is not None, m.start),
                )
            ),
            meetings=tuple(sorted(data.meetings.values(), key=lambda m: (m.start, m.id))),
            attendance=(
                tuple(data.attendance[key] for key in sorted(data.attendance)) if attendance else ()
            ),
            revisions=dict(data.revisions),
        )

    def apply_changes(self, changes: ChangeSet, now: datetime) -> None:
        data = self._data
        for person in changes.people.changes:
            data.people[person.after.email] = person.after
        for joined in changes.memberships.changes:
            membership = joined.after
            self._require_body(membership.body)
            self._require_person(membership.email)
            key = membership_key(membership)
            if joined.is_addition:
                data.memberships[key] = membership
            elif key in data.memberships:  # the store updates roles and end only
                data.memberships[key] = replace(
                    data.memberships[key], roles=membership.roles, end=membership.end
                )
        for met in changes.meetings.changes:
            meeting = met.after
            self._require_body(meeting.body)
            if met.is_addition:
                data.meetings[meeting.id] = meeting
                data.revisions[meeting.id] = MeetingRevision(0, now)
            elif meeting.id in data.meetings:
                data.meetings[meeting.id] = replace(meeting, body=data.meetings[meeting.id].body)
                data.revisions[meeting.id] = MeetingRevision(
                    data.revisions[meeting.id].sequence + 1, now
                )
        for attended in changes.attendance.changes:
            record = attended.after
            self._require_person(record.email)
            if record.meeting_id not in data.meetings:
                raise LcpgError(f"no meeting {record.meeting_id} in the register")
            place = (record.meeting_id, record.email)
            if attended.is_addition or place in data.attendance:
                data.attendance[place] = record

    def _require_body(self, slug: str) -> None:
        if slug not in self._data.bodies:
            raise KeyError(slug)  # as the database store: a change set names existing bodies

    def _require_person(self, email: str) -> None:
        if email not in self._data.people:
            raise KeyError(email)

    def counts(self) -> dict[str, int]:
        return {
            "people": len(self._data.people),
            "memberships": len(self._data.memberships),
            "meetings": len(self._data.meetings),
            "bodies": len(self._data.bodies),
        }

    def version(self) -> str:
        return self._data.settings.get(REGISTER_VERSION, "")


class MemoryPlansRepository:
    def __init__(self, data: _Data) -> None:
        self._data = data

    def save(
        self, added: Sequence[PlannedLike], moved: Sequence[PlannedLike], now: datetime
    ) -> None:
        data = self._data
        for meeting in moved:
            current = data.meetings.get(meeting.meeting_id)
            if current is None or current.status is not MeetingStatus.PLANNED:
                raise LcpgError(
                    f"the {meeting.body} meeting to move is no longer planned in the register; "
                    "make the plan again"
                )
        for meeting in moved:
            current = data.meetings[meeting.meeting_id]
            data.meetings[current.id] = replace(
                current, start=meeting.start, end=meeting.end, venue=meeting.venue
            )
            data.revisions[current.id] = MeetingRevision(
                data.revisions[current.id].sequence + 1, now
            )
        for meeting in added:
            if meeting.body not in data.bodies:
                raise KeyError(meeting.body)
            data.meetings[meeting.meeting_id] = Meeting(
                meeting.meeting_id,
                meeting.body,
                meeting.start,
                meeting.end,
                meeting.venue,
                MeetingStatus.PLANNED,
            )
            data.revisions[meeting.meeting_id] = MeetingRevision(0, now)


class MemoryChecksRepository:
    def __init__(self, data: _Data) -> None:
        self._data = data

    def record(self, report: Report, recorded_at: datetime) -> int:
        run_id = self._data.next_id()
        # Evidence is kept as JSON, as the database keeps it (tuples come back as lists).
        findings = tuple(
            replace(f, evidence=json.loads(json.dumps(f.evidence, sort_keys=True)))
            for f in report.findings
        )
        self._data.runs[run_id] = _Run(
            run_id, report.as_of, recorded_at, report.blueprint, findings
        )
        return run_id

    def runs(self) -> list[RecordedRun]:
        return [
            RecordedRun(
                run.id,
                run.as_of,
                run.recorded_at,
                run.blueprint,
                dict(Counter(f.severity.value for f in run.findings)),
            )
            for run in sorted(self._data.runs.values(), key=lambda r: (r.as_of, r.id), reverse=True)
        ]

    def report(self, run_id: int, bodies: Mapping[str, str]) -> Report | None:
        if not 0 < run_id <= MAX_ID:
            return None
        run = self._data.runs.get(run_id)
        return None if run is None else _report(run, bodies)

    def previous(self, before: date, bodies: Mapping[str, str]) -> tuple[int, Report] | None:
        earlier = [run for run in self._data.runs.values() if run.as_of < before]
        if not earlier:
            return None
        run = max(earlier, key=lambda r: (r.as_of, r.id))
        return run.id, _report(run, bodies)


def _report(run: _Run, bodies: Mapping[str, str]) -> Report:
    return Report(run.as_of, run.blueprint, run.findings, bodies)


_UNSENT = ("pending", "sending")


class MemoryOutboxRepository:
    def __init__(self, data: _Data) -> None:
        self._data = data

    def queue(self, messages: Sequence[QueuedMessage], now: datetime) -> int:
        held = {(m.week, m.recipient, m.kind) for m in self._data.outbox.values()}
        added = 0
        for m in messages:
            if (m.week, m.recipient, m.kind) in held:
                continue
            held.add((m.week, m.recipient, m.kind))
            outbox_id = self._data.next_id()
            self._data.outbox[outbox_id] = _Message(
                outbox_id, m.week, m.recipient, m.kind, m.subject, m.message.decode("utf-8"), now
            )
            added += 1
        return added

    def unsent(self, until_week: str, since_week: str | None = None) -> list[Unsent]:
        return [
            Unsent(
                m.id,
                m.week,
                m.recipient,
                m.kind,
                m.status,
                m.attempts,
                m.claimed_by,
                m.claimed_at,
                m.last_error,
            )
            for m in sorted(self._data.outbox.values(), key=lambda m: (m.week, m.id))
            if m.status in _UNSENT
            and m.week <= until_week
            and (since_week is None or m.week >= since_week)
        ]

    def _unchanged(self, message: Unsent) -> _Message | None:
        held = self._data.outbox.get(message.id)
        if held is None or held.status not in _UNSENT or held.attempts != message.attempts:
            return None
        return held

    def claim(self, message: Unsent, now: datetime, claimed_by: str) -> str | None:
        held = self._unchanged(message)
        if held is None:
            return None
        held.status, held.claimed_at, held.claimed_by = "sending", now, claimed_by
        held.attempts = message.attempts + 1
        return held.message

    def expire(self, message: Unsent) -> bool:
        held = self._unchanged(message)
        if held is None:
            return False
        held.status = "expired"
        return True

    def mark_sent(self, outbox_id: int, now: datetime) -> None:
        held = self._data.outbox.get(outbox_id)
        if held is not None:
            held.status, held.sent_at, held.last_error, held.claimed_by = "sent", now, None, None

    def mark_failed(self, outbox_id: int, error: str) -> None:
        held = self._data.outbox.get(outbox_id)
        if held is not None:
            held.status, held.last_error, held.claimed_by = "pending", error, None

    def counts(self, week: str) -> dict[str, int]:
        return dict(Counter(m.status for m in self._data.outbox.values() if m.week == week))


class MemoryTokensRepository:
    def __init__(self, data: _Data) -> None:
        self._data = data

    def add(self, email: str, token_hash: str, now: datetime) -> bool:
        if email not in self._data.people:
            return False
        if any(t.token_hash == token_hash for t in self._data.tokens.values()):
            raise LcpgError("refused the change (unique violation, table feed_tokens)")
        token_id = self._data.next_id()
        self._data.tokens[token_id] = _Token(token_id, email, token_hash, now)
        return True

    def listing(self, email: str | None = None) -> list[TokenListing]:
        return [
            TokenListing(t.id, t.email, t.created_at, t.revoked_at)
            for t in sorted(
                self._data.tokens.values(), key=lambda t: (t.created_at, t.id), reverse=True
            )
            if email is None or t.email == email
        ]

    def revoke(self, email: str, now: datetime) -> int:
        live = [t for t in self._data.tokens.values() if t.email == email and t.revoked_at is None]
        for token in live:
            token.revoked_at = now
        return len(live)

    def find(self, token_hash: str) -> StoredToken | None:
        found = next((t for t in self._data.tokens.values() if t.token_hash == token_hash), None)
        return (
            None if found is None else StoredToken(found.token_hash, found.revoked_at, found.email)
        )


class MemoryTermDatesRepository:
    def __init__(self, data: _Data) -> None:
        self._data = data

    def imported_years(self) -> tuple[StoredYear, ...]:
        return tuple(self._data.terms[label] for label in sorted(self._data.terms))

    def replace_years(self, years: Sequence[AcademicYear], now: datetime) -> None:
        for year in years:
            ordered = replace(year, terms=tuple(sorted(year.terms, key=lambda t: t.start)))
            self._data.terms[year.label] = StoredYear(ordered, now)


class MemorySettingsRepository:
    def __init__(self, data: _Data) -> None:
        self._data = data

    def get(self, key: str) -> str | None:
        return self._data.settings.get(key)

    def set(self, key: str, value: str) -> None:
        self._data.settings[key] = value


class MemoryUnitOfWork:
    """``AbstractUnitOfWork`` on a ``MemoryDatabase``: see the module."""

    register: RegisterRepository
    plans: PlansRepository
    checks: ChecksRepository
    outbox: OutboxRepository
    tokens: TokensRepository
    term_dates: TermDatesRepository
    settings: SettingsRepository

    def __init__(self, database: MemoryDatabase, *, write: bool = False) -> None:
        self._database = database
        self._write = write
        self._data: _Data | None = None

    def __enter__(self) -> Self:
        if self._write:
            self._database.writer.acquire()
        self._begin()
        return self

    def _begin(self) -> None:
        data = self._data = copy.deepcopy(self._database.data)
        self.register = MemoryRegisterRepository(data)
        self.plans = MemoryPlansRepository(data)
        self.checks = MemoryChecksRepository(data)
        self.outbox = MemoryOutboxRepository(data)
        self.tokens = MemoryTokensRepository(data)
        self.term_dates = MemoryTermDatesRepository(data)
        self.settings = MemorySettingsRepository(data)

    def commit(self) -> None:
        if self._data is None:
            raise RuntimeError("MemoryUnitOfWork used outside its with-block")
        if self._data.register_part() != self._database.data.register_part():
            self._data.settings[REGISTER_VERSION] = uuid.uuid4().hex
        self._database.data = self._data
        self._begin()

    def rollback(self) -> None:
        self._begin()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._data = None
        if self._write:
            self._database.writer.release()


def memory_unit_of_work(database: MemoryDatabase, *, write: bool = False) -> AbstractUnitOfWork:
    """A unit of work on ``database``, typed as the contract (so the checker holds the fake
    to it, as it holds ``UnitOfWork``)."""
    return MemoryUnitOfWork(database, write=write)
