"""Slow clients (slowloris) against `lcpg serve`: the feeds keep flowing to everybody else.

A slow client opens a connection and sends its request one byte every few seconds. Plain
waitress counts only idle time, so each such client held a connection for ever, and about a
hundred of them used up its connection limit: nobody else got a feed. `lcpg serve` now closes
a request not complete within its deadline, caps the connections of one client, and allows
far more connections in all (``lcpg/web/server.py``).

Linux routes all of 127.0.0.0/8 to the loopback device, so the slow clients connect from many
addresses (127.0.0.x), as an attack from many machines would.
"""

from __future__ import annotations

import contextlib
import os
import resource
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lcpg.web.limits import ServeLimits
from lcpg.web.server import create_server
from tests.e2e.server import fetch, load_demo, running_server

SLOW_CLIENTS = 150
SLOW_ADDRESSES = 30  # 127.0.0.10 to 127.0.0.39: five slow clients each
REQUEST_TIMEOUT = 2  # seconds, given to lcpg serve; the default is 10
IDLE_TIMEOUT = 3  # seconds; the default is 30
DRIP_INTERVAL = 0.5  # seconds between the slow clients' bytes


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return load_demo(tmp_path_factory.mktemp("slow"))


@pytest.fixture(scope="module")
def server(demo_folder: Path) -> Iterator[str]:
    """`lcpg serve` with short timeouts, so that the tests are short, and room for more
    connections than select() can watch; its base URL."""
    limits = (
        *("--request-timeout", str(REQUEST_TIMEOUT)),
        *("--idle-timeout", str(IDLE_TIMEOUT)),
        *("--connection-limit", "2000"),
    )
    with running_server(demo_folder, *limits) as base:
        yield base


def connect(base: str, source: str) -> socket.socket:
    """A TCP connection to the server at ``base`` from the loopback address ``source``."""
    port = int(base.rsplit(":", 1)[1])
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.bind((source, 0))
    client.settimeout(10)
    client.connect(("127.0.0.1", port))
    return client


def read_until_closed(client: socket.socket, within: float) -> bytes | None:
    """What the server sends ``client`` before it closes the connection (an end of stream
    or a reset), or ``None`` if it does not close it within ``within`` seconds."""
    client.settimeout(within)
    received = b""
    try:
        while chunk := client.recv(4096):
            received += chunk
    except TimeoutError:
        return None
    except ConnectionError:
        pass
    return received


def closed_by_server(client: socket.socket, within: float) -> bool:
    """Whether the server closes ``client`` within ``within`` seconds."""
    return read_until_closed(client, within) is not None


def served_again(base: str, source: str, within: float) -> bool:
    """Whether a new connection from ``source``, which holds the one connection a client may
    (503 until then), is answered within ``within`` seconds: the old one was closed."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        with connect(base, source) as client:
            client.sendall(b"GET /small HTTP/1.1\r\nHost: x\r\n\r\n")
            with contextlib.suppress(ConnectionError):
                if client.recv(4096).startswith(b"HTTP/1.1 200 "):
                    return True
        time.sleep(0.2)  # refused at once: try again shortly
    return False


class SlowClients:
    """``count`` connections from ``addresses`` loopback addresses, each sending a feed
    request's first line and then one more header byte every ``interval`` seconds, from one
    thread, until stopped. ``cut`` counts those the server has closed (a send failed)."""

    def __init__(self, base: str, count: int, addresses: int, interval: float) -> None:
        self.sockets = [connect(base, f"127.0.0.{10 + n % addresses}") for n in range(count)]
        self.interval = interval
        self.cut: set[int] = set()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.drip, daemon=True)

    def drip(self) -> None:
        for client in self.sockets:
            client.sendall(b"GET /feeds/county.ics HTTP/1.1\r\nX-a: ")
        while not self.stopped.wait(self.interval):
            for index, client in enumerate(self.sockets):
                if index in self.cut:
                    continue
                try:
                    client.send(b"a")
                except OSError:
                    self.cut.add(index)

    @contextlib.contextmanager
    def running(self) -> Iterator[SlowClients]:
        self.thread.start()
        try:
            yield self
        finally:
            self.stopped.set()
            self.thread.join(timeout=10)
            for client in self.sockets:
                client.close()


def county_feed_time(base: str) -> float:
    """Seconds a normal client takes to get the county feed (a fresh connection each time)."""
    started = time.monotonic()
    with urllib.request.urlopen(f"{base}/feeds/county.ics", timeout=20) as response:
        assert response.status == 200
        assert response.read().startswith(b"BEGIN:VCALENDAR")
    return time.monotonic() - started


def test_feeds_keep_flowing_while_slow_clients_are_cut_off(server: str) -> None:
    base = server
    with SlowClients(base, SLOW_CLIENTS, SLOW_ADDRESSES, DRIP_INTERVAL).running() as slow:
        # Throughout the slow clients' attack and after their deadline, feeds are served at
        # once: a generous bound, far below the 10 s the slow clients would hold them up.
        ends = time.monotonic() + REQUEST_TIMEOUT + 2
        times = []
        while time.monotonic() < ends:
            times.append(county_feed_time(base))
        assert max(times) < 5, times
        # Every slow client is cut off soon after its deadline (maintenance runs each second).
        slow.stopped.set()
        slow.thread.join(timeout=10)
        answers = [read_until_closed(client, within=5) for client in slow.sockets]
        assert None not in answers
        # An answer they can understand, where the connection was not reset first.
        assert {answer[:30] for answer in answers if answer} == {
            b"HTTP/1.1 408 Request Timeout\r\n"
        }


def test_a_slow_request_within_its_deadline_is_served_and_idle_ones_are_closed(
    server: str,
) -> None:
    silent = connect(server, "127.0.0.80")
    patient = connect(server, "127.0.0.81")
    for part in (b"GET /feeds/county.ics HTTP/1.1\r\n", b"Host: x\r\n", b"\r\n"):
        patient.sendall(part)
        time.sleep(0.4)  # a slow network, within the deadline
    answer = read_until_closed(patient, within=10)
    assert answer is not None and answer.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"BEGIN:VCALENDAR" in answer
    # Both are closed after the idle timeout without a byte: the silent one from the start, the
    # patient one after its answer.
    assert read_until_closed(silent, within=10) == b""
    patient.close()
    silent.close()


def test_one_client_gets_a_limited_number_of_connections(demo_folder: Path) -> None:
    env = {
        **os.environ,
        "LCPG_DASHBOARD_PASSWORD": "Team-Pa55word",  # a trusted proxy needs a password
        "LCPG_TRUSTED_PROXIES": "127.0.0.60",
    }
    with running_server(demo_folder, env=env) as base:
        held = [connect(base, "127.0.0.50") for _ in range(50)]
        proxied = [connect(base, "127.0.0.60") for _ in range(60)]
        try:
            # The 51st connection from one address is refused: closed at once, after a 503.
            extra = connect(base, "127.0.0.50")
            extra.settimeout(10)
            with contextlib.suppress(ConnectionError):
                assert extra.recv(4096).startswith(b"HTTP/1.1 503 ")
            assert closed_by_server(extra, within=10)
            extra.close()
            # The others are unaffected: the first fifty, other addresses, the trusted proxy
            # (which speaks for many clients).
            for client in (held[0], proxied[-1], connect(base, "127.0.0.51")):
                client.sendall(b"GET /feeds/county.ics HTTP/1.1\r\nHost: x\r\n\r\n")
                assert client.recv(4096).startswith(b"HTTP/1.1 200 ")
            status, _, _ = fetch(f"{base}/feeds/county.ics")
            assert status == 200
        finally:
            for client in held + proxied:
                client.close()


def test_request_bodies_over_64_kib_are_refused(server: str) -> None:
    client = connect(server, "127.0.0.70")
    client.sendall(
        b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 65537\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n\r\n"
    )
    assert client.recv(4096).startswith(b"HTTP/1.1 413 ")
    client.close()


def test_more_connections_than_select_can_watch(server: str) -> None:
    # select() fails on descriptors above 1024, and waitress used it: the server stopped.
    connections = 1100
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = connections + 100
    if soft < needed:
        if hard != resource.RLIM_INFINITY and hard < needed:
            pytest.skip(f"this test opens {needed} files, the system allows {hard}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))
    held: list[socket.socket] = []
    try:
        for n in range(connections):  # 50 from each address: the cap per client
            held.append(connect(server, f"127.0.1.{n // 50}"))
        status, _, body = fetch(f"{server}/feeds/county.ics")
        assert status == 200 and body.startswith(b"BEGIN:VCALENDAR")
        held[-1].sendall(b"GET /feeds/county.ics HTTP/1.1\r\nHost: x\r\n\r\n")
        assert held[-1].recv(4096).startswith(b"HTTP/1.1 200 ")
    finally:
        for client in held:
            client.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_a_client_not_reading_a_large_answer_does_not_keep_a_worker() -> None:
    # Waitress's idle timeout skips a connection whose answer is still being produced, and a
    # worker writing an answer larger than its buffer (16 MB) waits for the client to read:
    # a client that never reads held that worker for ever. lcpg's own answers are far
    # smaller, so this drives lcpg/web/server.py in this process with a stand-in application.
    def application(environ: dict[str, Any], start_response: Any) -> Iterator[bytes]:
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        megabytes = {"/large": 48, "/medium": 8}.get(environ["PATH_INFO"], 0)
        for _ in range(megabytes):
            yield b"x" * 1_000_000
        yield b"small"

    limits = ServeLimits(idle_timeout=2, request_timeout=2, connections_per_client=1)
    server = create_server(application, host="127.0.0.1", port=0, threads=1, limits=limits)
    serving = threading.Thread(target=server.run, daemon=True)
    serving.start()
    base = f"http://127.0.0.1:{server.effective_listen[0][1]}"
    try:
        stalled = []
        for source, path in (("127.0.0.90", "/medium"), ("127.0.0.91", "/large")):
            client = connect(base, source)
            client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            client.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            stalled.append(client)
        # The only worker is now blocked on the client of the large answer; once the idle
        # timeout has cut that client off, it answers the next request.
        with urllib.request.urlopen(f"{base}/small", timeout=15) as response:
            assert response.read() == b"small"
        # Both stalled clients were cut off, also the one whose answer waited whole in the
        # server's buffer, holding a connection: their addresses may connect again.
        for source in ("127.0.0.90", "127.0.0.91"):
            assert served_again(base, source, within=10)
        for client in stalled:
            client.close()
    finally:
        server.close()
