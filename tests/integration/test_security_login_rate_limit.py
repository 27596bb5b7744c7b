"""Threat: guessing the dashboard password (SECURITY.md; 300 wrong guesses took 34 s).

Failed sign-ins are limited per client (its address, the real one only through a trusted
proxy) and per account (today the one shared dashboard login), so neither one client nor many
together can guess fast. While a limit holds, every sign-in answers 429 with ``Retry-After``,
the right password too (a guesser learns nothing); a successful sign-in costs nothing. The
limiter's clock (``limits``' in-memory storage reads ``time.time()``) is a fake one here, moved
by hand: no sleeping.
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from dataclasses import replace

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from lcpg.bootstrap import App
from lcpg.errors import LcpgError
from lcpg.services.web import web_settings
from lcpg.web.app import WebSettings, create_app
from tests.integration.test_security_dashboard_login import PASSWORD, csrf_token

PROXY = "10.0.0.5"


class FakeClock:
    """A ``time`` module whose ``time()`` moves only when told to."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeClock]:
    """The fake clock, as read by the limits' storage and by the Retry-After it answers."""
    import limits.storage.memory

    import lcpg.web.login_limit

    fake = FakeClock()
    module = types.SimpleNamespace(time=fake.time)
    monkeypatch.setattr(limits.storage.memory, "time", module)
    monkeypatch.setattr(lcpg.web.login_limit, "time", module)
    yield fake


@pytest.fixture
def settings() -> WebSettings:
    # Behind a trusted proxy, so that the tests can be many clients (X-Forwarded-For).
    return web_settings(False, {"LCPG_DASHBOARD_PASSWORD": PASSWORD, "LCPG_TRUSTED_PROXIES": PROXY})


def sign_in(client: FlaskClient, password: str, client_address: str) -> TestResponse:
    """One sign-in through the trusted proxy on behalf of ``client_address``."""
    via = {
        "environ_base": {"REMOTE_ADDR": PROXY},
        "headers": {"X-Forwarded-For": client_address},
    }
    token = csrf_token(client, **via)  # type: ignore[arg-type]
    return client.post(
        "/login",
        data={"password": password, "csrf_token": token},
        **via,
    )


def test_the_limits_are_declared_with_the_web_settings(settings: WebSettings) -> None:
    assert settings.login_limit_per_client == "5 per minute; 30 per hour"
    assert settings.login_limit_per_account == "100 per hour"


def test_a_client_guessing_is_stopped_even_with_the_right_password(
    app: App, settings: WebSettings, clock: FakeClock
) -> None:
    client = create_app(app, settings).test_client()
    for _ in range(5):
        assert sign_in(client, "wrong", "192.0.2.1").status_code == 401
    limited = sign_in(client, "wrong", "192.0.2.1")
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert "Too many" in limited.get_data(as_text=True)
    # The right password now is refused the same way: nothing to learn while limited.
    right = sign_in(client, PASSWORD, "192.0.2.1")
    assert right.status_code == 429 and "Retry-After" in right.headers
    assert "session=" not in " ".join(right.headers.getlist("Set-Cookie"))
    # Another client is not held up by this one's failures.
    assert sign_in(client, PASSWORD, "192.0.2.2").status_code == 302
    # After the window, the first client signs in again.
    clock.advance(61)
    assert sign_in(client, PASSWORD, "192.0.2.1").status_code == 302


def test_the_hourly_limit_per_client(app: App, settings: WebSettings, clock: FakeClock) -> None:
    client = create_app(app, settings).test_client()
    for _ in range(6):  # 5 a minute for six minutes: 30 failures
        for _ in range(5):
            assert sign_in(client, "wrong", "192.0.2.1").status_code == 401
        clock.advance(61)
    limited = sign_in(client, PASSWORD, "192.0.2.1")
    assert limited.status_code == 429
    retry = int(limited.headers["Retry-After"])
    assert 60 * 50 < retry <= 3600  # the hour of the first failure, not the minute
    clock.advance(retry)
    assert sign_in(client, PASSWORD, "192.0.2.1").status_code == 302


def test_successful_sign_ins_are_not_counted(
    app: App, settings: WebSettings, clock: FakeClock
) -> None:
    client = create_app(app, settings).test_client()
    for _ in range(20):
        assert sign_in(client, PASSWORD, "192.0.2.1").status_code == 302
    for _ in range(5):
        assert sign_in(client, "wrong", "192.0.2.1").status_code == 401


def test_many_clients_together_meet_the_limit_per_account(
    app: App, settings: WebSettings, clock: FakeClock
) -> None:
    client = create_app(app, settings).test_client()
    for guess in range(100):  # each client stays under its own limit
        assert sign_in(client, "wrong", f"198.51.100.{guess % 50 + 1}").status_code == 401
        if guess % 50 == 49:
            clock.advance(61)
    fresh = sign_in(client, PASSWORD, "203.0.113.9")  # a client that never guessed
    assert fresh.status_code == 429
    assert int(fresh.headers["Retry-After"]) <= 3600
    clock.advance(3600)
    assert sign_in(client, PASSWORD, "203.0.113.9").status_code == 302


def test_forwarded_addresses_count_only_from_a_trusted_proxy(
    app: App, settings: WebSettings, clock: FakeClock
) -> None:
    # Straight to the server, a made-up X-Forwarded-For does not make a new client.
    client = create_app(app, replace(settings, trusted_proxies=())).test_client()
    for guess in range(5):
        assert sign_in(client, "wrong", f"192.0.2.{guess + 1}").status_code == 401
    assert sign_in(client, PASSWORD, "192.0.2.99").status_code == 429


def test_signing_in_from_the_page_stays_possible_while_limited(
    app: App, settings: WebSettings, clock: FakeClock
) -> None:
    client = create_app(app, settings).test_client()
    for _ in range(6):
        sign_in(client, "wrong", "192.0.2.1")
    via = {"environ_base": {"REMOTE_ADDR": PROXY}, "headers": {"X-Forwarded-For": "192.0.2.1"}}
    assert client.get("/login", **via).status_code == 200


def test_a_limit_flask_limiter_cannot_read_stops_the_start(app: App, settings: WebSettings) -> None:
    # Flask-Limiter reads its limits at the first sign-in: a typo would fail then, not here.
    with pytest.raises(LcpgError, match="login limit per client: 'often' is not a rate limit"):
        create_app(app, replace(settings, login_limit_per_client="often"))
