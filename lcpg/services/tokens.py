"""Personal feed tokens: long random secrets, stored hashed, created and revoked by the team.

A token is shown once, when created, as part of the person's feed address
(``/feeds/p/<token>.ics``); the database keeps only its SHA-256. Looking one up hashes what was
presented and compares the stored hash in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from lcpg.bootstrap import App
from lcpg.domain.model import normalise_email
from lcpg.errors import NotFoundError

TOKEN_BYTES = 32  # 256 bits of randomness: guessing is hopeless


@dataclass(frozen=True)
class TokenListing:
    id: int
    email: str
    created_at: datetime
    revoked_at: datetime | None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(app: App, email: str) -> str:
    """A new personal feed token for ``email`` (shown once; only its hash is kept)."""
    from lcpg.store.schema import FeedTokenRow, PersonRow

    token = secrets.token_urlsafe(TOKEN_BYTES)
    with app.unit_of_work(write=True) as uow:
        person = uow.session.scalars(
            select(PersonRow).where(PersonRow.email == normalise_email(email))
        ).one_or_none()
        if person is None:
            raise NotFoundError(f"nobody with the e-mail address {email!r} is in the register")
        uow.session.add(
            FeedTokenRow(person_id=person.id, token_hash=_hash(token), created_at=app.utc_now())
        )
        uow.commit()
    return token


def list_tokens(app: App, email: str | None = None) -> list[TokenListing]:
    """Every token (of ``email``, if given), newest first: never the secrets themselves."""
    from lcpg.store.schema import FeedTokenRow, PersonRow

    query = (
        select(FeedTokenRow, PersonRow.email)
        .join(PersonRow, FeedTokenRow.person_id == PersonRow.id)
        .order_by(FeedTokenRow.created_at.desc(), FeedTokenRow.id.desc())
    )
    if email is not None:
        query = query.where(PersonRow.email == normalise_email(email))
    with app.unit_of_work() as uow:
        return [
            TokenListing(row.id, address, row.created_at, row.revoked_at)
            for row, address in uow.session.execute(query)
        ]


def revoke_tokens(app: App, email: str) -> int:
    """Revoke every live token of ``email``; return how many were revoked."""
    from lcpg.store.schema import FeedTokenRow, PersonRow

    with app.unit_of_work(write=True) as uow:
        rows = uow.session.scalars(
            select(FeedTokenRow)
            .join(PersonRow, FeedTokenRow.person_id == PersonRow.id)
            .where(PersonRow.email == normalise_email(email), FeedTokenRow.revoked_at.is_(None))
        ).all()
        for row in rows:
            row.revoked_at = app.utc_now()
        uow.commit()
    return len(rows)


def person_for_token(app: App, token: str) -> str | None:
    """The e-mail of the person whose live token this is, or None (unknown or revoked)."""
    from lcpg.store.schema import FeedTokenRow, PersonRow

    presented = _hash(token)
    with app.unit_of_work() as uow:
        found = uow.session.execute(
            select(FeedTokenRow.token_hash, FeedTokenRow.revoked_at, PersonRow.email)
            .join(PersonRow, FeedTokenRow.person_id == PersonRow.id)
            .where(FeedTokenRow.token_hash == presented)
        ).one_or_none()
    if found is None or found.revoked_at is not None:
        return None
    # The lookup is by hash; the comparison is in constant time all the same.
    return found.email if hmac.compare_digest(found.token_hash, presented) else None
