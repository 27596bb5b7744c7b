"""Threat: someone on the network reading the dashboard, or forging its requests (SECURITY.md).

A configured password always applies, on a loopback bind too (behind a proxy on the same
machine, everybody the proxy serves reaches it). Served beyond this machine (another host, a
trusted proxy, a public address elsewhere) the dashboard needs a password (no password, no
server). Forwarded headers are believed only from the proxies named in LCPG_TRUSTED_PROXIES;
its session cookie is HttpOnly, SameSite=Lax and Secure (unless told otherwise) and holds
nothing but the fact of signing in; signing in and out are POSTs with a CSRF token; and the
page after signing in is always on this site.
"""

from __future__ import annotations

import base64
import re

import pytest
from flask import Flask, request
from flask.testing import FlaskClient

from lcpg.bootstrap import App
from lcpg.errors import LcpgError
from lcpg.services.web import web_settings
from lcpg.web.app import create_app

PASSWORD = "Team-Pa55word"


def csrf_token(client: FlaskClient, path: str = "/login", **options: str) -> str:
    """The CSRF token of the form on ``path`` (the login form, or the sign-out button)."""
    html = client.get(path, **options).get_data(as_text=True)
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert found, html
    return found[1]


def test_beyond_this_machine_a_password_is_required() -> None:
    with pytest.raises(LcpgError, match="needs a password"):
        web_settings(beyond_this_machine=True, environ={})
    assert web_settings(beyond_this_machine=False, environ={}).password_hash is None


def test_a_configured_password_applies_on_this_machine_too(app: App) -> None:
    settings = web_settings(
        beyond_this_machine=False, environ={"LCPG_DASHBOARD_PASSWORD": PASSWORD}
    )
    assert settings.require_login
    client = create_app(app, settings).test_client()
    for path in ("/", "/districts/dover"):
        response = client.get(path, environ_base={"REMOTE_ADDR": "127.0.0.1"})
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/login?next="), path
    assert client.get("/feeds/lcpg-dover.ics").status_code == 200  # feeds never ask


def test_without_a_password_only_a_server_for_this_machine_alone_runs_without_login() -> None:
    # The trial on one machine: a loopback bind, no proxy, no public address elsewhere.
    trial = web_settings(beyond_this_machine=False, environ={})
    assert not trial.require_login and trial.password_hash is None
    local = {"LCPG_PUBLIC_URL": "http://localhost:8080/"}
    assert not web_settings(beyond_this_machine=False, environ=local).require_login
    for environ, why in (
        ({"LCPG_TRUSTED_PROXIES": "127.0.0.1"}, "behind a proxy"),
        ({"LCPG_PUBLIC_URL": "https://lcpg.example.org/"}, "at https://lcpg.example.org/"),
    ):
        with pytest.raises(LcpgError, match=f"{why}.* needs a password: set LCPG_DASHBOARD_PASS"):
            web_settings(beyond_this_machine=False, environ=environ)
        settings = web_settings(
            beyond_this_machine=False, environ={**environ, "LCPG_DASHBOARD_PASSWORD": PASSWORD}
        )
        assert settings.require_login


def test_a_password_hash_nobody_can_match_is_refused_at_start_up() -> None:
    from werkzeug.security import generate_password_hash

    good = generate_password_hash(PASSWORD)
    assert web_settings(False, {"LCPG_DASHBOARD_PASSWORD_HASH": good}).password_hash == good
    pbkdf2 = generate_password_hash(PASSWORD, method="pbkdf2:sha256")
    assert web_settings(False, {"LCPG_DASHBOARD_PASSWORD_HASH": pbkdf2}).require_login
    method, salt, digest = good.split("$")
    for bad in (
        "x",
        PASSWORD,
        f"{method}${salt}",
        f"nosuch:1${salt}${digest}",
        f"scrypt:x:8:1${salt}${digest}",
        f"{method}${salt}${digest[:-2]}",
        f"{method}${salt}${digest[:-1]}z",
        f"{method}$${digest}",
    ):
        with pytest.raises(LcpgError, match="LCPG_DASHBOARD_PASSWORD_HASH is not a werkzeug pas"):
            web_settings(False, {"LCPG_DASHBOARD_PASSWORD_HASH": bad})


def test_trusted_proxies_must_be_addresses() -> None:
    settings = web_settings(
        False,
        {
            "LCPG_TRUSTED_PROXIES": " 127.0.0.1, 10.0.0.0/24 ,::1",
            "LCPG_DASHBOARD_PASSWORD": PASSWORD,
        },
    )
    assert [str(n) for n in settings.trusted_proxies] == ["127.0.0.1/32", "10.0.0.0/24", "::1/128"]
    with pytest.raises(LcpgError, match=r"LCPG_TRUSTED_PROXIES: 'proxy\.example\.org' is not"):
        web_settings(False, {"LCPG_TRUSTED_PROXIES": "127.0.0.1,proxy.example.org"})


def _peer(flask: Flask) -> FlaskClient:
    """A client of ``flask`` with a page that shows what the app believes of the request."""

    @flask.get("/peer")
    def peer() -> str:
        return f"{request.remote_addr} {request.scheme} {request.host}"

    return flask.test_client()


def test_forwarded_headers_are_believed_only_from_a_trusted_proxy(app: App) -> None:
    environ = {"LCPG_TRUSTED_PROXIES": "10.0.0.5", "LCPG_DASHBOARD_PASSWORD": PASSWORD}
    client = _peer(create_app(app, web_settings(False, environ)))
    forwarded = {
        "X-Forwarded-For": "192.0.2.1, 198.51.100.7",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "lcpg.example.org",
    }
    via_proxy = client.get("/peer", headers=forwarded, environ_base={"REMOTE_ADDR": "10.0.0.5"})
    # One hop: the address the proxy itself saw, not what the client claimed before it.
    assert via_proxy.get_data(as_text=True) == "198.51.100.7 https lcpg.example.org"
    direct = client.get(
        "/peer",
        base_url="http://localhost",
        headers=forwarded,
        environ_base={"REMOTE_ADDR": "10.0.0.6"},
    )
    assert direct.get_data(as_text=True) == "10.0.0.6 http localhost"
    untrusting = _peer(create_app(app, web_settings(False, {})))
    spoofed = untrusting.get(
        "/peer",
        base_url="http://localhost",
        headers=forwarded,
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    assert spoofed.get_data(as_text=True) == "127.0.0.1 http localhost"


def test_the_session_cookie_is_locked_down_and_holds_no_secret(app: App) -> None:
    settings = web_settings(beyond_this_machine=True, environ={"LCPG_DASHBOARD_PASSWORD": PASSWORD})
    assert settings.secure_cookies and settings.password_hash != PASSWORD
    client = create_app(app, settings).test_client()
    site = "https://lcpg.example.org"  # Secure cookies travel over HTTPS only
    response = client.post(
        "/login?next=/districts/dover",
        data={"password": PASSWORD, "csrf_token": csrf_token(client, base_url=site)},
        base_url=site,
        headers={"Referer": f"{site}/login"},  # over HTTPS Flask-WTF checks it
    )
    assert response.status_code == 302 and response.headers["Location"] == "/districts/dover"
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "secure", "samesite=lax"} <= flags
    value = cookie.split(";")[0].removeprefix("session=")
    payload = value.lstrip(".").split(".")[0]
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    assert PASSWORD.encode() not in decoded and PASSWORD not in cookie


def test_insecure_cookies_only_when_asked(app: App) -> None:
    settings = web_settings(
        beyond_this_machine=True,
        environ={"LCPG_DASHBOARD_PASSWORD": PASSWORD, "LCPG_INSECURE_COOKIES": "1"},
    )
    assert not settings.secure_cookies


def test_signing_in_and_out_need_a_post_with_its_csrf_token(app: App) -> None:
    settings = web_settings(beyond_this_machine=True, environ={"LCPG_DASHBOARD_PASSWORD": PASSWORD})
    client = create_app(app, settings).test_client()
    token = csrf_token(client)
    assert client.post("/login", data={"password": PASSWORD}).status_code == 400
    signed_in = client.post("/login", data={"password": PASSWORD, "csrf_token": token})
    assert signed_in.status_code == 302
    assert client.get("/").status_code == 200
    assert client.get("/logout").status_code == 405  # a link cannot sign anybody out
    assert client.post("/logout").status_code == 400  # nor a form from another site
    assert client.get("/").status_code == 200
    assert client.post("/logout", data={"csrf_token": csrf_token(client, "/")}).status_code == 302
    assert client.get("/").status_code == 302


def test_the_page_after_signing_in_is_on_this_site(app: App) -> None:
    settings = web_settings(beyond_this_machine=True, environ={"LCPG_DASHBOARD_PASSWORD": PASSWORD})
    client = create_app(app, settings).test_client()
    for target in (
        "https://evil.example.org/",
        "//evil.example.org/",
        "/\\evil.example.org/",
        "http:/evil.example.org",
        "javascript:alert(1)",
    ):
        response = client.post(
            "/login",
            query_string={"next": target},
            data={"password": PASSWORD, "csrf_token": csrf_token(client)},
        )
        assert response.status_code == 302, target
        location = response.headers["Location"]
        assert location.startswith("/") and not location.startswith(("//", "/\\")), target
