"""Personal feed tokens (table ``feed_tokens``): only each secret's SHA-256 is stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from lcpg.store.schema import FeedTokenRow, PersonRow


@dataclass(frozen=True)
class TokenListing:
    id: int
    email: str
    created_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True)
class StoredToken:
    """A token found by its hash: the hash, when it was revoked (if it was), whose it is."""

    token_hash: str
    revoked_at: datetime | None
    email: str


class TokensRepository(Protocol):
    """Personal feed tokens, by their hashes."""

    def add(self, email: str, token_hash: str, now: datetime) -> bool:
        """Store a token of the person with ``email``; False when nobody has that address."""
        ...

    def listing(self, email: str | None = None) -> list[TokenListing]:
        """Every token (of ``email``, if given), newest first."""
        ...

    def revoke(self, email: str, now: datetime) -> int:
        """Revoke every live token of ``email``; how many were revoked."""
        ...

    def find(self, token_hash: str) -> StoredToken | None:
        """The token with this hash, revoked or not, or None."""
        ...


class SqlTokensRepository:
    """Feed tokens in the unit of work's transaction. E-mail addresses are given normalised
    (``lcpg.domain.model.normalise_email``)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, email: str, token_hash: str, now: datetime) -> bool:
        """Store a token of the person with ``email``; False when nobody has that address."""
        person_id = self._session.scalar(select(PersonRow.id).where(PersonRow.email == email))
        if person_id is None:
            return False
        self._session.add(FeedTokenRow(person_id=person_id, token_hash=token_hash, created_at=now))
        self._session.flush()
        return True

    def listing(self, email: str | None = None) -> list[TokenListing]:
        """Every token (of ``email``, if given), newest first."""
        query = (
            select(FeedTokenRow, PersonRow.email)
            .join(PersonRow, FeedTokenRow.person_id == PersonRow.id)
            .order_by(FeedTokenRow.created_at.desc(), FeedTokenRow.id.desc())
        )
        if email is not None:
            query = query.where(PersonRow.email == email)
        return [
            TokenListing(row.id, address, row.created_at, row.revoked_at)
            for row, address in self._session.execute(query)
        ]

    def revoke(self, email: str, now: datetime) -> int:
        """Revoke every live token of ``email``; how many were revoked."""
        rows = self._session.scalars(
            select(FeedTokenRow)
            .join(PersonRow, FeedTokenRow.person_id == PersonRow.id)
            .where(PersonRow.email == email, FeedTokenRow.revoked_at.is_(None))
        ).all()
        for row in rows:
            row.revoked_at = now
        self._session.flush()
        return len(rows)

    def find(self, token_hash: str) -> StoredToken | None:
        """The token with this hash, revoked or not, or None."""
        found = self._session.execute(
            select(FeedTokenRow.token_hash, FeedTokenRow.revoked_at, PersonRow.email)
            .join(PersonRow, FeedTokenRow.person_id == PersonRow.id)
            .where(FeedTokenRow.token_hash == token_hash)
        ).one_or_none()
        return None if found is None else StoredToken(*found)
