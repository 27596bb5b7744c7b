"""The feed server called directly (WSGI): conditional GETs, HEAD, caching per register
version, personal feeds by token, 404/405 without tracebacks, and the login's boundaries."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from lcpg.bootstrap import App
from lcpg.services.tokens import create_token, list_tokens, revoke_tokens
from lcpg.web.app import WebSettings, create_app
from tests.conftest import DEMO_TODAY

TODAY = DEMO_TODAY


@pytest.fixture
def client(app: App) -> FlaskClient:
    return create_app(app, WebSettings.for_tests()).test_client()


def test_a_district_feed_with_validators(client: FlaskClient) -> None:
    response = client.get("/feeds/lcpg-gravesham.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "public, max-age=900"
    etag = response.headers["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{64}"', etag)
    assert response.headers["Last-Modified"].endswith("GMT")
    body = response.get_data(as_text=True)
    assert body.startswith("BEGIN:VCALENDAR") and "X-WR-CALNAME:Gravesham LCPG" in body


def test_conditional_gets_answer_304(client: FlaskClient) -> None:
    first = client.get("/feeds/county.ics")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert client.get("/feeds/county.ics", headers={"If-None-Match": etag}).status_code == 304
    assert (
        client.get("/feeds/county.ics", headers={"If-None-Match": f'W/"x", {etag}'}).status_code
        == 304
    )
    assert (
        client.get("/feeds/county.ics", headers={"If-Modified-Since": modified}).status_code == 304
    )
    assert client.get("/feeds/county.ics", headers={"If-None-Match": '"other"'}).status_code == 200
    assert (
        client.get("/feeds/county.ics", headers={"If-Modified-Since": "not a date"}).status_code
        == 200
    )


def test_head_has_headers_and_no_body(client: FlaskClient) -> None:
    response = client.head("/feeds/chwb.ics")
    assert response.status_code == 200 and response.get_data() == b""
    assert int(response.headers["Content-Length"]) > 1000


def test_feeds_are_built_once_per_change_of_the_register(app: App, client: FlaskClient) -> None:
    from lcpg.web.feeds import FeedCache

    cache: FeedCache = client.application.extensions["lcpg_feeds"]
    first = cache.feed("lcpg-dover")
    assert cache.feed("lcpg-dover") is first  # same version: the same built bytes
    from lcpg.services.planning import set_preferences

    set_preferences(app, "lcpg-dover", None, None, "Dover Town Hall")  # a write: new version
    cache._checked = 0.0  # the next request looks at the version now, not in two seconds
    assert cache.feed("lcpg-dover") is not first


def test_unknown_paths_traversal_and_methods(client: FlaskClient) -> None:
    for path in (
        "/feeds/nowhere.ics",
        "/feeds/../setup.cfg",
        "/feeds/%2e%2e%2fsetup.cfg",
        "/etc/passwd",
        "/feeds/p/short.ics",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Traceback" not in response.get_data(as_text=True)
    response = client.post("/feeds/chwb.ics")
    assert response.status_code == 405 and "Traceback" not in response.get_data(as_text=True)


def test_personal_feed_by_token_then_revoked(app: App, client: FlaskClient) -> None:
    from lcpg.services.register import load_register

    register = load_register(app)
    chair = next(
        m
        for m in register.memberships
        if m.body == "lcpg-maidstone" and "chair" in m.roles and m.end is None
    )
    name = next(p.name for p in register.people if p.email == chair.email)
    token = create_token(app, chair.email)
    assert len(token) >= 40
    response = client.get(f"/feeds/p/{token}.ics")
    assert response.status_code == 200
    body = response.get_data(as_text=True).replace("\r\n ", "")
    assert "SUMMARY:Maidstone LCPG" in body and "SUMMARY:LCPG Chairs Group" in body
    assert "Chair: " in body and name.split()[-1] in body  # personal feeds may name the chair
    public = client.get("/feeds/lcpg-maidstone.ics").get_data(as_text=True).replace("\r\n ", "")
    assert name not in public
    listed = list_tokens(app, chair.email)
    assert len(listed) == 1 and listed[0].revoked_at is None
    assert token not in str(listed)
    assert revoke_tokens(app, chair.email) == 1
    assert client.get(f"/feeds/p/{token}.ics").status_code == 404
    assert client.get(f"/feeds/p/{token[:-1]}x.ics").status_code == 404


def test_feeds_need_no_login_but_the_dashboard_does(app: App) -> None:
    client = create_app(
        app, WebSettings.for_tests(require_login=True, password="s3cret")
    ).test_client()
    assert client.get("/feeds/county.ics").status_code == 200
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert csrf, page
    assert client.post("/login", data={"password": "s3cret"}).status_code == 400  # no CSRF token
    assert (
        client.post("/login", data={"password": "wrong", "csrf_token": csrf[1]}).status_code == 401
    )
    response = client.post(
        "/login?next=https://evil.example.org/", data={"password": "s3cret", "csrf_token": csrf[1]}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_every_template_escapes_what_it_prints(client: FlaskClient) -> None:
    from flask import render_template

    with client.application.test_request_context("/"):
        page = render_template(
            "error.html.j2", code=400, name="Bad", description="<script>x</script>"
        )
    assert "<script>x</script>" not in page and "&lt;script&gt;" in page
