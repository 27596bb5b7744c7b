"""The register's version: a value that changes when, and only when, the register does.

``lcpg serve`` rebuilds its feeds (and anything else computed from the register) when the
version changes, so it must not change for writes the register's readers never see: an outbox
claim or send, a feed token, a recorded check. Rather than each writer remembering to say so,
every session the store makes (``RegisterSession``) notes the writes to the register's tables
itself, both through the ORM (``before_flush``: new, changed or deleted rows) and as bulk
statements (``do_orm_execute``: INSERT, UPDATE or DELETE on one of them), and stamps a new
version into the ``settings`` table as part of the same commit (``before_commit``). A rollback
forgets what was noted. Raw SQL text is not seen: the store writes none.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from lcpg.store.schema import (
    AttendanceRow,
    BodyRow,
    MeetingRow,
    MembershipRow,
    PersonRow,
    SchoolTermRow,
    SettingRow,
)

REGISTER_VERSION = "register_version"

# What the feeds, the dashboard and the checks read: the register itself, and the imported
# term dates (the year-at-a-glance and the planner's proposals on the dashboard use them).
# Not the outbox, feed tokens, recorded checks or settings.
REGISTER_ROWS: tuple[type[Any], ...] = (
    BodyRow,
    PersonRow,
    MembershipRow,
    MeetingRow,
    AttendanceRow,
    SchoolTermRow,
)
REGISTER_TABLES = frozenset(row.__tablename__ for row in REGISTER_ROWS)

_CHANGED = "lcpg_register_changed"


class RegisterSession(Session):
    """A session that stamps a new register version with each commit that changed the
    register (see the module)."""


def note_register_change(session: Session) -> None:
    """Mark ``session``'s transaction as changing the register (a schema upgrade, say)."""
    session.info[_CHANGED] = True


def bump_register_version(session: Session) -> None:
    """Write a fresh random version (no read-modify-write race between writers)."""
    row = session.get(SettingRow, REGISTER_VERSION)
    version = uuid.uuid4().hex
    if row is None:
        session.add(SettingRow(key=REGISTER_VERSION, value=version))
    else:
        row.value = version


def stamp_if_changed(session: Session) -> bool:
    """Flush, and bump the version when this transaction changed the register; whether it
    did. Called by ``before_commit``, and by writers that commit a connection themselves."""
    session.flush()
    if not session.info.pop(_CHANGED, False):
        return False
    bump_register_version(session)
    session.flush()
    return True


@event.listens_for(RegisterSession, "before_flush")
def _note_flush(session: Session, _context: UOWTransaction, _instances: object) -> None:
    if session.info.get(_CHANGED):
        return
    if (
        any(isinstance(row, REGISTER_ROWS) for row in session.new)
        or any(isinstance(row, REGISTER_ROWS) for row in session.deleted)
        or any(
            isinstance(row, REGISTER_ROWS) and session.is_modified(row, include_collections=False)
            for row in session.dirty
        )
    ):
        note_register_change(session)


@event.listens_for(RegisterSession, "do_orm_execute")
def _note_execute(state: ORMExecuteState) -> None:
    statement = state.statement
    if statement.is_dml:
        table = getattr(statement, "table", None)
        if getattr(table, "name", None) in REGISTER_TABLES:
            note_register_change(state.session)


@event.listens_for(RegisterSession, "before_commit")
def _stamp(session: Session) -> None:
    stamp_if_changed(session)


@event.listens_for(RegisterSession, "after_soft_rollback")
def _forget(session: Session, _previous: object) -> None:
    session.info.pop(_CHANGED, None)
