"""`lcpg serve` started as a user starts it, spoken to over real HTTP."""

from __future__ import annotations

import os
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.server import fetch, lcpg_command, load_demo, running_server, server_log


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return load_demo(tmp_path_factory.mktemp("serve"))


def test_feeds_over_real_http(demo_folder: Path) -> None:
    with running_server(demo_folder) as base:
        status, headers, body = fetch(f"{base}/feeds/lcpg-sevenoaks.ics")
        assert status == 200 and headers["Content-Type"] == "text/calendar; charset=utf-8"
        assert body.startswith(b"BEGIN:VCALENDAR") and b"Sevenoaks LCPG" in body
        assert headers["Server"] == "lcpg"
        status, _, body = fetch(
            f"{base}/feeds/lcpg-sevenoaks.ics", headers={"If-None-Match": headers["ETag"]}
        )
        assert status == 304 and body == b""
        status, head_headers, body = fetch(f"{base}/feeds/lcpg-sevenoaks.ics", method="HEAD")
        assert status == 200 and body == b"" and head_headers["ETag"] == headers["ETag"]
        status, _, body = fetch(f"{base}/feeds/../../etc/passwd")
        assert status == 404 and b"Traceback" not in body
        status, _, body = fetch(f"{base}/feeds/chwb.ics", method="DELETE")
        assert status == 405 and b"Traceback" not in body
        status, _, body = fetch(f"{base}/feeds/")
        assert status == 200 and b"webcal://127.0.0.1" in body


def test_serving_beyond_this_machine_needs_a_password(demo_folder: Path) -> None:
    result = subprocess.run(
        [lcpg_command(), "serve", "--host", "0.0.0.0", "--port", "1"],
        cwd=demo_folder,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 1
    assert "needs a password: set LCPG_DASHBOARD_PASSWORD" in result.stderr


def test_a_configured_password_applies_on_a_loopback_bind(demo_folder: Path) -> None:
    # As behind the TLS proxy on the same machine that the README recommends.
    env = {**os.environ, "LCPG_DASHBOARD_PASSWORD": "Team-Pa55word"}
    with running_server(demo_folder, env=env) as base:
        for path in ("/", "/districts/dover"):
            request = urllib.request.Request(f"{base}{path}")
            opener = urllib.request.build_opener(NoRedirect)
            with pytest.raises(urllib.error.HTTPError) as refused:
                opener.open(request, timeout=10)
            assert refused.value.code == 302, path
            assert refused.value.headers["Location"].startswith("/login?next="), path
        status, _, _ = fetch(f"{base}/feeds/lcpg-dover.ics")
        assert status == 200
    assert "dashboard: password required" in server_log(demo_folder, base).read_text()


def test_a_password_hash_nobody_can_match_stops_the_start(demo_folder: Path) -> None:
    result = subprocess.run(
        [lcpg_command(), "serve", "--port", "1"],
        cwd=demo_folder,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "LCPG_DASHBOARD_PASSWORD_HASH": "x"},
    )
    assert result.returncode == 1
    assert "LCPG_DASHBOARD_PASSWORD_HASH is not a werkzeug password hash" in result.stderr
    assert "Traceback" not in result.stderr


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None
