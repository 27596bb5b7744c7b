"""Threat: path traversal and odd request targets against a real `lcpg serve` (SECURITY.md).

The requests go out as raw bytes over a socket, so no client library normalises the path
first. Whatever the target (dot segments, encoded or double-encoded, backslashes, absolute
paths and URLs, NUL bytes, very long), the answer is a plain 400 or 404 page: never a file
from the disk (the database, the exported feeds folder, /etc/passwd), never a traceback.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.e2e.server import load_demo, running_server

TARGETS = (
    b"/feeds/../lcpg.db",
    b"/feeds/../../../../../../etc/passwd",
    b"/feeds/%2e%2e/lcpg.db",
    b"/feeds/%2e%2e%2flcpg.db",
    b"/feeds/%2E%2E%2F%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    b"/feeds/..%2f..%2f..%2f..%2fetc%2fpasswd",
    b"/feeds/..%5c..%5clcpg.db",
    b"/feeds/..\\..\\lcpg.db",
    b"/feeds/%252e%252e%252flcpg.db",
    b"/feeds/%252e%252e%252f%252e%252e%252fetc%252fpasswd.ics",
    b"/feeds/..%2flcpg.db.ics",
    b"/feeds/%2e%2e%2fcounty.ics",
    b"/feeds/p/..%2f..%2flcpg.db.ics",
    b"/feeds/p/%2e%2e%2f%2e%2e%2fetc%2fpasswd.ics",
    b"/feeds/p/../../lcpg.db",
    b"/districts/..%2f..%2flcpg.db",
    b"/districts/%2e%2e",
    b"/static/../lcpg.db",
    b"/static/%2e%2e%2flcpg.db",
    b"/lcpg.db",
    b"/lcpg-demo/feeds/county.ics",
    b"/lcpg-demo/register.xlsx",
    b"//etc/passwd",
    b"/etc/passwd",
    b"/%2fetc%2fpasswd",
    b"/feeds//etc/passwd",
    b"/feeds/chwb.ics%00.html",
    b"/feeds/%00../lcpg.db",
    b"/feeds/chwb.ics\x00",
    b"/feeds/\x00/../../lcpg.db",
    b"/feeds/" + b"../" * 2000 + b"etc/passwd",
    b"/feeds/" + b"a" * 60_000 + b".ics",
    b"/feeds/p/" + b"%2e%2e%2f" * 5000 + b"lcpg.db.ics",
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = load_demo(tmp_path_factory.mktemp("traversal"))
    with running_server(folder) as base:
        yield base, folder


def raw_get(base: str, target: bytes) -> tuple[int, dict[str, str], bytes]:
    """``GET target`` sent byte for byte; the status, headers (lower-case names) and body."""
    parts = urlsplit(base)
    assert parts.hostname and parts.port
    with socket.create_connection((parts.hostname, parts.port), timeout=20) as connection:
        connection.sendall(
            b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for header in header_lines:
        name, _, value = header.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers, body


def on_disk(folder: Path) -> list[bytes]:
    """Snippets of the files a traversal would be after."""
    return [
        b"SQLite format 3",
        b"root:x:0:0",
        b"BEGIN:VCALENDAR",
        b"PK\x03\x04",  # the exported workbook
        (folder / "lcpg-demo" / "feeds" / "index.html").read_bytes()[:200],
    ]


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t[:60].decode("latin-1"))
def test_no_file_outside_and_no_traceback(server: tuple[str, Path], target: bytes) -> None:
    base, folder = server
    status, headers, body = raw_get(base, target)
    assert status in (400, 404), (status, body[:300])
    assert headers.get("content-type", "").startswith(("text/html", "text/plain"))
    for secret in on_disk(folder):
        assert secret not in body
    assert b"Traceback" not in body and b'File "' not in body
    assert b"passwd" not in body and b"lcpg.db" not in body  # nor echoed back


def test_absolute_form_targets_are_routed_like_their_path(server: tuple[str, Path]) -> None:
    base, _ = server
    status, _, body = raw_get(base, f"{base}/feeds/chwb.ics".encode())
    assert status == 200 and body.startswith(b"BEGIN:VCALENDAR")  # the control
    for target in (f"{base}/../../lcpg.db", f"{base}/feeds/%2e%2e%2flcpg.db", "file:///etc/passwd"):
        status, _, body = raw_get(base, target.encode())
        assert status in (400, 404), (target, status)
        assert b"SQLite format 3" not in body and b"root:x:0" not in body
        assert b"Traceback" not in body


def test_the_server_still_serves_after_all_that(server: tuple[str, Path]) -> None:
    base, _ = server
    status, headers, body = raw_get(base, b"/feeds/county.ics")
    assert status == 200 and headers["content-type"] == "text/calendar; charset=utf-8"
    assert body.startswith(b"BEGIN:VCALENDAR")
