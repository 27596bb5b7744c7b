"""Limits on failed sign-ins, so that nobody can guess the dashboard password fast.

Two limits on the login (``auth.login``), both counting failed attempts only (a wrong password:
status 401), both through Flask-Limiter on its in-memory storage with moving windows:

- per client: ``WebSettings.login_limit_per_client`` (default 5 a minute, 30 an hour), keyed by
  the client's address as ``lcpg.web.proxies`` leaves it (the real client only through a trusted
  proxy: anybody else's ``X-Forwarded-For`` is ignored, so it makes no new clients);
- per account: ``WebSettings.login_limit_per_account`` (default 100 an hour), so that many
  clients together cannot guess fast either. Today there is one account, the shared dashboard
  login (``SHARED_ACCOUNT``); per-person sign-in keys this limit by the account signed into.

The limits are checked before the password: while one holds, every sign-in is answered 429
with ``Retry-After`` (seconds until the limit frees an attempt), the right password too, so a
guesser learns nothing. Successful sign-ins cost nothing. Only the POST is limited: the form
itself always loads.

The counts live in the process: several ``lcpg serve`` processes each keep their own, and a
restart forgets them (SECURITY.md, known gaps).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any, Final

from flask import Flask, render_template, request
from flask_limiter import Limiter, RateLimitExceeded
from limits import parse_many
from werkzeug.wrappers import Response

from lcpg.errors import LcpgError

LOGIN_ENDPOINT: Final = "auth.login"
SHARED_ACCOUNT: Final = "dashboard"
"""The one account there is: the team's shared dashboard password."""
FAILED: Final = 401
"""The status of a sign-in with a wrong password: the only one counted."""


def client_key() -> str:
    """The limit's key for the client: its address, after ``lcpg.web.proxies``."""
    return f"client {request.remote_addr or 'unknown'}"


def account_key() -> str:
    """The limit's key for the account signed into (one shared account for now)."""
    return f"account {SHARED_ACCOUNT}"


def _failed(response: Response) -> bool:
    return response.status_code == FAILED


def check_limits(value: str, name: str) -> str:
    """``value`` when it is a rate limit Flask-Limiter reads (``5 per minute; 30 per hour``);
    raises ``LcpgError`` naming ``name`` otherwise."""
    try:
        if parse_many(value):
            return value
    except ValueError:
        pass
    raise LcpgError(f"{name}: {value!r} is not a rate limit (e.g. '5 per minute; 30 per hour')")


def install(flask: Flask, per_client: str, per_account: str) -> Limiter:
    """Limit failed sign-ins on ``flask`` (whose ``auth`` Blueprint is registered): at most
    ``per_client`` per client and ``per_account`` for the account (Flask-Limiter limit
    strings). Each application gets its own limiter and counts."""
    check_limits(per_client, "the login limit per client")
    check_limits(per_account, "the login limit per account")
    limiter = Limiter(
        key_func=client_key,
        app=flask,
        storage_uri="memory://",
        strategy="moving-window",
        # Evaluate every limit, so that Retry-After can name the last to free an attempt.
        fail_on_first_breach=False,
        # No X-RateLimit-* headers: they would tell a guesser how many tries are left.
        headers_enabled=False,
    )
    view: Callable[..., Any] = flask.view_functions[LOGIN_ENDPOINT]
    for limit, key in ((per_client, client_key), (per_account, account_key)):
        view = limiter.limit(limit, key_func=key, methods=["POST"], deduct_when=_failed)(view)
    flask.view_functions[LOGIN_ENDPOINT] = view

    @flask.errorhandler(RateLimitExceeded)
    def too_many_attempts(error: RateLimitExceeded) -> tuple[str, int, dict[str, str]]:
        breached = [limit for limit in limiter.current_limits if limit.breached]
        free_at = max((limit.window.reset_time for limit in breached), default=time.time() + 60)
        retry_after = max(1, math.ceil(free_at - time.time()))
        page = render_template(
            "error.html.j2",
            code=429,
            name="Too Many Requests",
            description=(
                "Too many failed sign-ins. Try again in "
                f"{math.ceil(retry_after / 60)} minute{'s' if retry_after > 60 else ''}."
            ),
        )
        return page, 429, {"Retry-After": str(retry_after)}

    return limiter
