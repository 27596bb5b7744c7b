"""Threat: guessing, reusing or leaking a personal feed token (SECURITY.md).

Guesses of every shape get the very 404 a revoked token gets; revoking takes effect on the
next request, conditional or not, and no shared cache may keep a personal feed; only the
token's SHA-256 reaches the database, and the lookup compares digests in constant time; a
request that fails never writes the token into the log.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from sqlalchemy import MetaData, create_engine, event, select
from werkzeug.test import TestResponse

from lcpg.bootstrap import App
from lcpg.services.tokens import create_token, revoke_tokens
from lcpg.web.app import WebSettings, create_app, redact_server_logs

CHAIR = "lcpg-maidstone"


@pytest.fixture
def client(app: App) -> FlaskClient:
    return create_app(app, WebSettings.for_tests()).test_client()


def a_chair(app: App) -> str:
    from lcpg.services.register import load_register

    return next(
        m.email
        for m in load_register(app).memberships
        if m.body == CHAIR and "chair" in m.roles and m.end is None
    )


@pytest.fixture
def token(app: App) -> str:
    return create_token(app, a_chair(app))


def answer(response: TestResponse) -> tuple[int, bytes, dict[str, str]]:
    """Everything a guesser learns: status, body and headers (but the date)."""
    headers = {k: v for k, v in response.headers.items() if k != "Date"}
    return response.status_code, response.get_data(), headers


def test_every_kind_of_guess_gets_the_same_404_as_a_revoked_token(
    app: App, client: FlaskClient
) -> None:
    revoked = create_token(app, a_chair(app))
    assert client.get(f"/feeds/p/{revoked}.ics").status_code == 200
    revoke_tokens(app, a_chair(app))
    live = create_token(app, a_chair(app))
    assert client.get(f"/feeds/p/{live}.ics").status_code == 200
    expected = answer(client.get(f"/feeds/p/{revoked}.ics"))
    assert expected[0] == 404
    guesses = {
        "random": "x" * 43,
        "truncated": live[:-1],
        "one character more": live + "A",
        "wrong case": live.swapcase(),
        "url-encoded": quote(live, safe="").replace("-", "%2D").replace("_", "%5F"),
        "half url-encoded": "".join(f"%{ord(c):02X}" if i % 2 else c for i, c in enumerate(live)),
        "overly long": live * 50,
        "empty-looking": "%20",
        "its digest": hashlib.sha256(live.encode()).hexdigest(),
        "the revoked one, encoded": quote(revoked, safe="").replace("-", "%2D"),
    }
    for label, guess in guesses.items():
        got = answer(client.get(f"/feeds/p/{guess}.ics"))
        if label == "url-encoded" or label == "half url-encoded":
            # A percent-encoded live token is the live token: the server decodes the path.
            assert got[0] == 200, label
            continue
        assert got == expected, label


def test_revoking_stops_a_feed_that_was_served_and_cached(
    app: App, client: FlaskClient, token: str
) -> None:
    served = client.get(f"/feeds/p/{token}.ics")
    assert served.status_code == 200
    # No shared cache may keep it; a client must ask again before using its copy.
    assert served.headers["Cache-Control"] == "private, no-cache"
    etag, modified = served.headers["ETag"], served.headers["Last-Modified"]
    again = client.get(f"/feeds/p/{token}.ics", headers={"If-None-Match": etag})
    assert again.status_code == 304
    revoke_tokens(app, a_chair(app))
    for headers in ({"If-None-Match": etag}, {"If-Modified-Since": modified}, {}):
        assert client.get(f"/feeds/p/{token}.ics", headers=headers).status_code == 404
    assert client.head(f"/feeds/p/{token}.ics").status_code == 404
    # Public feeds, which name nobody, may be cached by anyone.
    assert client.get("/feeds/county.ics").headers["Cache-Control"] == "public, max-age=900"


def database_text(url: str) -> str:
    """Every row of every table of the database at ``url``, as text."""
    engine = create_engine(url)
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        with engine.connect() as connection:
            return "\n".join(
                repr(row)
                for table in metadata.sorted_tables
                for row in connection.execute(select(table))
            )
    finally:
        engine.dispose()


def test_only_the_digest_is_stored(app: App, client: FlaskClient, token: str) -> None:
    assert client.get(f"/feeds/p/{token}.ics").status_code == 200
    dump = database_text(app.settings.database_url)
    assert hashlib.sha256(token.encode()).hexdigest() in dump
    assert token not in dump and token[:20] not in dump


@pytest.fixture
def statements(app: App) -> Iterator[list[str]]:
    """Every statement and its parameters sent to the database while the test runs."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append(f"{statement} {parameters!r}")

    event.listen(app.engine, "before_cursor_execute", record)
    yield seen
    event.remove(app.engine, "before_cursor_execute", record)


def test_the_lookup_sends_only_the_digest_and_compares_in_constant_time(
    app: App, token: str, statements: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import hmac

    import lcpg.services.tokens

    compared: list[tuple[str, str]] = []
    real = hmac.compare_digest

    def compare_digest(a: str, b: str) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", compare_digest)
    digest = hashlib.sha256(token.encode()).hexdigest()
    assert lcpg.services.tokens.person_for_token(app, token) == a_chair(app)
    assert lcpg.services.tokens.person_for_token(app, token[:-1] + "x") is None
    assert compared == [(digest, digest)]  # the unknown one was never found to compare
    assert statements and any(digest in s for s in statements)
    assert not any(token in s for s in statements)


def test_a_failing_request_does_not_log_its_token(
    app: App, client: FlaskClient, token: str, caplog: pytest.LogCaptureFixture
) -> None:
    from lcpg.web.feeds import FeedCache

    cache: FeedCache = client.application.extensions["lcpg_feeds"]

    def broken(email: str) -> None:
        raise RuntimeError("the feed could not be built")

    cache.personal = broken  # type: ignore[assignment,method-assign]
    redact_server_logs()  # as `lcpg serve` does before starting waitress
    with caplog.at_level(logging.INFO):
        response = client.get(f"/feeds/p/{token}.ics")
        # What waitress logs when a client goes away mid-response.
        logging.getLogger("waitress").info(
            "Client disconnected while serving %s", f"/feeds/p/{token}.ics"
        )
    assert response.status_code == 500
    assert "Traceback" not in response.get_data(as_text=True)
    assert token not in response.get_data(as_text=True)
    logged = caplog.text
    assert "Exception on /feeds/p/<token> [GET]" in logged
    assert "Client disconnected while serving /feeds/p/<token>" in logged
    assert "the feed could not be built" in logged  # the log still says what went wrong
    assert token not in logged
