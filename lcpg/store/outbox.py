"""The outbox: e-mails written before they are delivered, claimed with a conditional update
so that two runs cannot send one twice, and marked when sent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from lcpg.store.schema import OutboxRow


@dataclass(frozen=True)
class QueuedMessage:
    """A message for the outbox: its key, subject and bytes."""

    week: str
    recipient: str
    kind: str
    subject: str
    message: bytes


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


class OutboxRepository(Protocol):
    """The outbox of e-mails."""

    def queue(self, messages: Sequence[QueuedMessage], now: datetime) -> int:
        """Add the messages not held yet (by week, recipient and kind); how many were added."""
        ...

    def unsent(self, until_week: str, since_week: str | None = None) -> list[Unsent]:
        """Messages pending or being sent of weeks up to ``until_week``, oldest week first."""
        ...

    def claim(self, message: Unsent, now: datetime, claimed_by: str) -> str | None:
        """Claim ``message`` if nobody has since it was read, and return its text; else None."""
        ...

    def expire(self, message: Unsent) -> bool:
        """Give ``message`` up if nobody has claimed it since it was read; whether it was."""
        ...

    def mark_sent(self, outbox_id: int, now: datetime) -> None: ...

    def mark_failed(self, outbox_id: int, error: str) -> None:
        """Back to pending, with the error: the next run tries again."""
        ...

    def counts(self, week: str) -> dict[str, int]:
        """How many of ``week``'s messages are pending, sending, sent and expired."""
        ...


class SqlOutboxRepository:
    """The outbox in the unit of work's transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def queue(self, messages: Sequence[QueuedMessage], now: datetime) -> int:
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
        dialect = self._session.get_bind().dialect.name
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        else:
            from sqlalchemy.dialects.sqlite import insert as dialect_insert  # type: ignore[assignment]
        # RETURNING counts the rows actually inserted on both databases (psycopg reports no
        # rowcount for a many-row insert).
        inserted = self._session.scalars(
            dialect_insert(OutboxRow).values(rows).on_conflict_do_nothing().returning(OutboxRow.id)
        ).all()
        return len(inserted)

    def unsent(self, until_week: str, since_week: str | None = None) -> list[Unsent]:
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
            for r in self._session.scalars(query.order_by(OutboxRow.week, OutboxRow.id))
        ]

    def claim(self, message: Unsent, now: datetime, claimed_by: str) -> str | None:
        """Mark ``message`` as being sent by ``claimed_by`` and return it (RFC 5322, as text),
        if nobody has claimed it since it was read (its ``attempts`` count is unchanged); None
        otherwise. This conditional update is what stops two runs sending the same message:
        the caller decides whether a claim it saw is stale (``lcpg.services.outbox_claims``),
        and only one run can act on what it saw."""
        claimed = self._session.execute(
            update(OutboxRow)
            .where(
                OutboxRow.id == message.id,
                OutboxRow.status.in_(("pending", "sending")),
                OutboxRow.attempts == message.attempts,
            )
            .values(
                status="sending",
                claimed_at=now,
                claimed_by=claimed_by,
                attempts=message.attempts + 1,
            )
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            return None
        return self._session.scalar(select(OutboxRow.message).where(OutboxRow.id == message.id))

    def expire(self, message: Unsent) -> bool:
        """Give ``message`` up (status ``expired``, its last error kept), if nobody has claimed it
        since it was read; whether it was."""
        expired = self._session.execute(
            update(OutboxRow)
            .where(
                OutboxRow.id == message.id,
                OutboxRow.status.in_(("pending", "sending")),
                OutboxRow.attempts == message.attempts,
            )
            .values(status="expired")
        )
        return bool(expired.rowcount == 1)  # type: ignore[attr-defined]

    def mark_sent(self, outbox_id: int, now: datetime) -> None:
        self._session.execute(
            update(OutboxRow)
            .where(OutboxRow.id == outbox_id)
            .values(status="sent", sent_at=now, last_error=None, claimed_by=None)
        )

    def mark_failed(self, outbox_id: int, error: str) -> None:
        """Back to pending, with the error: the next run tries again."""
        self._session.execute(
            update(OutboxRow)
            .where(OutboxRow.id == outbox_id)
            .values(status="pending", last_error=error, claimed_by=None)
        )

    def counts(self, week: str) -> dict[str, int]:
        """How many of ``week``'s messages are pending, sending, sent and expired."""
        return {
            status: count
            for status, count in self._session.execute(
                select(OutboxRow.status, func.count())
                .where(OutboxRow.week == week)
                .group_by(OutboxRow.status)
            )
        }
