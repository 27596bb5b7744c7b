"""Threat: another site framing the dashboard (clickjacking), a browser guessing a type, a
page's address leaking to other sites, and caches keeping pages that name members
(SECURITY.md).

Every response carries a Content Security Policy that lets nothing load but the pages' inline
styles and no site frame them, ``X-Frame-Options: DENY``, ``nosniff`` and
``Referrer-Policy: same-origin``; pages are ``Cache-Control: no-store``, while the feeds keep
their own caching (public ones cached, personal ones ``private, no-cache``).
"""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from lcpg.bootstrap import App
from lcpg.services.tokens import create_token
from lcpg.web.app import WebSettings, create_app
from tests.integration.test_security_dashboard_login import PASSWORD, csrf_token
from tests.integration.test_security_feed_tokens import a_chair


@pytest.fixture
def client(app: App) -> FlaskClient:
    return create_app(app, WebSettings.for_tests()).test_client()


def assert_locked_down(response: TestResponse) -> None:
    policy = {
        directive.split()[0]: directive.split()[1:]
        for directive in response.headers["Content-Security-Policy"].split(";")
    }
    assert policy["default-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert "script-src" not in policy  # so default-src 'none' forbids every script
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_are_locked_down_and_never_stored(client: FlaskClient) -> None:
    for path, status in (
        ("/", 200),
        ("/districts/dover", 200),
        ("/login", 200),
        ("/feeds/", 200),
        ("/districts/nowhere", 404),
        ("/feeds/chwb.ics?x", 200),
    ):
        response = client.get(path)
        assert response.status_code == status, path
        assert_locked_down(response)
        if path.endswith(".ics?x"):
            continue
        assert response.headers["Cache-Control"] == "no-store", path


def test_the_login_and_its_answers_are_locked_down(app: App) -> None:
    client = create_app(app, WebSettings.for_tests(require_login=True, password=PASSWORD))
    guarded = client.test_client()
    for response in (
        guarded.get("/"),
        guarded.post("/login", data={"password": "wrong", "csrf_token": csrf_token(guarded)}),
        guarded.post("/login", data={"password": PASSWORD, "csrf_token": csrf_token(guarded)}),
        guarded.get("/districts/dover"),
    ):
        assert_locked_down(response)
        assert response.headers["Cache-Control"] == "no-store"


def test_the_feeds_keep_their_own_caching(app: App, client: FlaskClient) -> None:
    public = client.get("/feeds/lcpg-dover.ics")
    assert public.headers["Cache-Control"] == "public, max-age=900"
    assert_locked_down(public)
    again = client.get("/feeds/lcpg-dover.ics", headers={"If-None-Match": public.headers["ETag"]})
    assert again.status_code == 304 and again.headers["Cache-Control"] == "public, max-age=900"
    personal = client.get(f"/feeds/p/{create_token(app, a_chair(app))}.ics")
    assert personal.status_code == 200
    assert personal.headers["Cache-Control"] == "private, no-cache"


def test_the_pages_need_nothing_the_policy_forbids(client: FlaskClient) -> None:
    # No script, no event handler, nothing fetched: the policy blocks them all, so a page that
    # needed one would break in the browser (tests/e2e/test_dashboard_browser.py renders them).
    for path in ("/", "/districts/sevenoaks", "/login", "/feeds/"):
        html = client.get(path).get_data(as_text=True).lower()
        assert "<script" not in html and "javascript:" not in html, path
        assert not re.search(r"\son[a-z]+\s*=", html), path
        assert not re.search(r"<(img|link|iframe|object|embed)\b", html), path
        assert not re.search(r"""\b(src|srcset)\s*=|@import|url\(['"]?(?!#)""", html), path
