"""Threat: links built from the request's ``Host`` header (SECURITY.md).

Anybody can send any ``Host`` (and ``X-Forwarded-Host``). A page that builds its links from it
hands a visitor, or a cache in between, links to another site: subscription links on the
dashboard and on the feeds' ``index.html``, the address of a redirect. Links come from the
public URL (``LCPG_PUBLIC_URL`` or the stored one) and, with none configured, from the address
``lcpg serve`` listens on; never from the request, not even through a trusted proxy.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from lcpg.bootstrap import App
from lcpg.services.public_url import public_urls
from lcpg.services.web import web_settings
from lcpg.web.app import WebSettings, create_app
from tests.integration.test_security_dashboard_login import PASSWORD, csrf_token

EVIL = "evil.example"
PAGES = ("/", "/districts/dover", "/feeds/", "/feeds", "/login", "/districts/nowhere")


def assert_no_evil(response: TestResponse, path: str) -> None:
    """Neither the body nor any header of ``response`` names the forged host."""
    assert EVIL not in response.get_data(as_text=True), path
    for name, value in response.headers.items():
        assert EVIL not in value, f"{path}: {name}: {value}"


def links(response: TestResponse) -> list[str]:
    """The absolute addresses in a page's links."""
    return re.findall(r'href="((?:https?|webcal)://[^"]+)"', response.get_data(as_text=True))


def forged(client: FlaskClient, path: str, **options: object) -> TestResponse:
    """``path`` asked for with a forged ``Host``."""
    return client.get(path, base_url=f"http://{EVIL}", headers={"Host": EVIL}, **options)


def test_without_a_public_url_links_point_where_the_server_listens(app: App) -> None:
    settings = WebSettings.for_tests()
    client = create_app(app, settings).test_client()
    for path in PAGES:
        response = forged(client, path)
        assert response.status_code in (200, 308, 404), path
        assert_no_evil(response, path)
    assert links(forged(client, "/")), "the overview links its feeds"
    for path in ("/", "/feeds/"):
        for link in links(forged(client, path)):
            assert link.split("://", 1)[1].startswith("127.0.0.1:8080/feeds/"), link


def test_the_address_lcpg_serve_listens_on_is_the_default_for_links() -> None:
    from lcpg.services.public_url import listening_url

    assert listening_url("0.0.0.0", 8123) == "http://0.0.0.0:8123/"
    assert listening_url("::1", 8123) == "http://[::1]:8123/"
    settings = web_settings(False, {}, listening=listening_url("127.0.0.1", 8123))
    assert settings.public_url == "http://127.0.0.1:8123/"
    assert settings.feeds_address == "http://127.0.0.1:8123/feeds"
    configured = {"LCPG_PUBLIC_URL": "https://lcpg.example.org/", "LCPG_DASHBOARD_PASSWORD": "x"}
    settings = web_settings(False, configured, listening=listening_url("127.0.0.1", 8123))
    assert settings.public_url == "https://lcpg.example.org/"
    assert settings.feeds_address == "https://lcpg.example.org/feeds"


@pytest.mark.parametrize("trusted", [True, False])
def test_the_configured_public_url_wins_over_forwarded_hosts(app: App, trusted: bool) -> None:
    environ = {
        "LCPG_PUBLIC_URL": "https://lcpg.example.org/",
        "LCPG_DASHBOARD_PASSWORD": PASSWORD,
        "LCPG_TRUSTED_PROXIES": "10.0.0.5",
    }
    settings = web_settings(False, environ, urls=public_urls(None, environ))
    client = create_app(app, replace(settings, secure_cookies=False)).test_client()
    via = {
        "environ_base": {"REMOTE_ADDR": "10.0.0.5" if trusted else "192.0.2.1"},
        "headers": {
            "Host": EVIL,
            "X-Forwarded-Host": EVIL,
            "X-Forwarded-Proto": "https",
            "Referer": f"https://{EVIL}/login",  # over HTTPS Flask-WTF checks it
        },
    }
    for path in PAGES:
        assert_no_evil(client.get(path, base_url=f"http://{EVIL}", **via), path)
    signed_in = client.post(
        "/login?next=/",
        base_url=f"http://{EVIL}",
        data={"password": PASSWORD, "csrf_token": csrf_token(client, base_url=f"http://{EVIL}")},
        **via,
    )
    assert signed_in.status_code == 302
    assert_no_evil(signed_in, "POST /login")
    assert signed_in.headers["Location"] == "/"
    for path in ("/", "/feeds/"):
        found = links(client.get(path, base_url=f"http://{EVIL}", **via))
        assert found, path
        for link in found:
            assert link.split("://", 1)[1].startswith("lcpg.example.org/feeds/"), link


def test_redirects_stay_relative_or_on_the_public_url(app: App) -> None:
    settings = web_settings(False, {"LCPG_DASHBOARD_PASSWORD": PASSWORD})
    client = create_app(app, settings).test_client()
    to_login = forged(client, "/districts/dover")
    assert to_login.status_code == 302
    assert to_login.headers["Location"].startswith("/login?next=")
    slash = forged(client, "/feeds")
    assert slash.status_code == 308
    assert slash.headers["Location"] in ("/feeds/", "http://127.0.0.1:8080/feeds/")
