"""Saving a plan: new meetings added and planned ones moved, by identity."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from lcpg.domain.model import MeetingStatus
from lcpg.errors import LcpgError
from lcpg.store.schema import BodyRow, MeetingRow


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


class PlansRepository(Protocol):
    """Saving a plan's meetings."""

    def save(
        self, added: Sequence[PlannedLike], moved: Sequence[PlannedLike], now: datetime
    ) -> None:
        """Insert ``added`` and move ``moved`` (by identity) as planned; ``LcpgError`` when a
        meeting to move is gone or no longer planned (nothing is written then)."""
        ...


class SqlPlansRepository:
    """Planned meetings in the unit of work's transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def save(
        self, added: Sequence[PlannedLike], moved: Sequence[PlannedLike], now: datetime
    ) -> None:
        """Insert ``added`` meetings and move ``moved`` ones (by identity) as ``planned``; a moved
        meeting's revision rises and both are stamped ``now`` (UTC, naive).

        Raises ``LcpgError`` when a meeting to move is gone or no longer ``planned`` (the register
        changed since the plan was made): nothing is written then.
        """
        body_id = {
            slug: id_ for slug, id_ in self._session.execute(select(BodyRow.slug, BodyRow.id))
        }
        if moved:
            rows = {
                row.id: row
                for row in self._session.scalars(
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
            self._session.flush()
        for meeting in added:
            self._session.add(
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
        self._session.flush()
