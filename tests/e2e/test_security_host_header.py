"""Threat: links built from a forged ``Host`` header, against the real ``lcpg serve``
(SECURITY.md; the pages one by one: tests/integration/test_security_host_header.py).

With no public URL configured, the feeds' ``index.html`` and the redirect from ``/feeds`` point
to the address the server was started on, whatever ``Host`` a request names.
"""

from __future__ import annotations

import http.client
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.e2e.server import load_demo, running_server

EVIL = "evil.example"


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return load_demo(tmp_path_factory.mktemp("host"))


def forged(base: str, path: str) -> tuple[int, list[tuple[str, str]], str]:
    """``GET path`` with ``Host: evil.example``, redirects not followed."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": EVIL, "X-Forwarded-Host": EVIL})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read().decode()
    finally:
        connection.close()


def test_links_name_the_address_the_server_listens_on(demo_folder: Path) -> None:
    with running_server(demo_folder) as base:
        listening = base.split("://", 1)[1]  # 127.0.0.1:<the free port it was given>
        for path, status in (("/feeds/", 200), ("/feeds", 308), ("/", 200)):
            code, headers, body = forged(base, path)
            assert code == status, path
            assert EVIL not in body, path
            assert not [(n, v) for n, v in headers if EVIL in v], path
        _, _, index = forged(base, "/feeds/")
        assert f"webcal://{listening}/feeds/county.ics" in index
        _, headers, _ = forged(base, "/feeds")
        assert dict(headers)["Location"] in ("/feeds/", f"{base}/feeds/")
