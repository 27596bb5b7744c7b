"""Personal feed tokens: long random secrets, stored hashed, created and revoked by the team.

A token is shown once, when created, as part of the person's feed address
(``/feeds/p/<token>.ics``); the database keeps only its SHA-256. Looking one up hashes what was
presented and compares the stored hash in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from lcpg.bootstrap import App
from lcpg.domain.model import normalise_email
from lcpg.errors import NotFoundError
from lcpg.store.tokens import TokenListing

TOKEN_BYTES = 32  # 256 bits of randomness: guessing is hopeless


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(app: App, email: str) -> str:
    """A new personal feed token for ``email`` (shown once; only its hash is kept)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with app.unit_of_work(write=True) as uow:
        if not uow.tokens.add(normalise_email(email), _hash(token), app.utc_now()):
            raise NotFoundError(f"nobody with the e-mail address {email!r} is in the register")
        uow.commit()
    return token


def list_tokens(app: App, email: str | None = None) -> list[TokenListing]:
    """Every token (of ``email``, if given), newest first: never the secrets themselves."""
    with app.unit_of_work() as uow:
        return uow.tokens.listing(None if email is None else normalise_email(email))


def revoke_tokens(app: App, email: str) -> int:
    """Revoke every live token of ``email``; return how many were revoked."""
    with app.unit_of_work(write=True) as uow:
        revoked = uow.tokens.revoke(normalise_email(email), app.utc_now())
        uow.commit()
    return revoked


def person_for_token(app: App, token: str) -> str | None:
    """The e-mail of the person whose live token this is, or None (unknown or revoked)."""
    presented = _hash(token)
    with app.unit_of_work() as uow:
        found = uow.tokens.find(presented)
    if found is None or found.revoked_at is not None:
        return None
    # The lookup is by hash; the comparison is in constant time all the same.
    return found.email if hmac.compare_digest(found.token_hash, presented) else None
