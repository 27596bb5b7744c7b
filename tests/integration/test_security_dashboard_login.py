"""Threat: someone on the network reading the dashboard, or forging its requests (SECURITY.md).

Served beyond this machine the dashboard needs the team's password (no password, no server);
its session cookie is HttpOnly, SameSite=Lax and Secure (unless told otherwise) and holds
nothing but the fact of signing in; signing in and out are POSTs with a CSRF token; and the
page after signing in is always on this site.
"""

from __future__ import annotations

import base64
import re

import pytest
from flask.testing import FlaskClient

from bootstrap import App
from errors import LcpgError
from services.web import web_settings
from web.app import create_app

PASSWORD = "Team-Pa55word"


def csrf_token(client: FlaskClient, path: str = "/login", **options: str) -> str:
    """The CSRF token of the form on ``path`` (the login form, or the sign-out button)."""
    html = client.get(path, **options).get_data(as_text=True)
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert found, html
    return found[1]


def test_beyond_this_machine_a_password_is_required() -> None:
    with pytest.raises(LcpgError, match="needs a password"):
        web_settings(require_login=True, environ={})
    assert web_settings(require_login=False, environ={}).password_hash is None


def test_the_session_cookie_is_locked_down_and_holds_no_secret(app: App) -> None:
    settings = web_settings(require_login=True, environ={"LCPG_DASHBOARD_PASSWORD": PASSWORD})
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
        require_login=True,
        environ={"LCPG_DASHBOARD_PASSWORD": PASSWORD, "LCPG_INSECURE_COOKIES": "1"},
    )
    assert not settings.secure_cookies


def test_signing_in_and_out_need_a_post_with_its_csrf_token(app: App) -> None:
    settings = web_settings(require_login=True, environ={"LCPG_DASHBOARD_PASSWORD": PASSWORD})
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
    settings = web_settings(require_login=True, environ={"LCPG_DASHBOARD_PASSWORD": PASSWORD})
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
