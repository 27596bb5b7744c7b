"""`lcpg email send` end to end with a real SMTP server: every message arrives exactly once,
even when the server stops mid-batch and comes back, and when two runs race."""

from __future__ import annotations

import email
import email.policy
import threading
from collections import Counter

import pytest
from aiosmtpd.controller import Controller

from lcpg.bootstrap import App
from lcpg.errors import LcpgError
from lcpg.notify.transport import Smtp
from lcpg.services.email import send_week
from tests.conftest import DEMO_TODAY
from tests.e2e.server import free_port
from tests.integration.test_transports import (
    Authenticating,
    Collector,
    authenticating_server,
    tls_contexts,
)

TODAY = DEMO_TODAY
WEEK = "2026-W47"
ENVIRON = {
    "LCPG_TEAM_EMAILS": "team@example.org,lead@example.org",
    "LCPG_PUBLIC_URL": "https://lcpg.example.org/",
}


def keys(collector: Collector) -> Counter[tuple[str, str]]:
    """(recipient, subject) of every message received."""
    counted: Counter[tuple[str, str]] = Counter()
    for recipients, raw in collector.received:
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        counted[(recipients[0], str(parsed["Subject"]))] += 1
    return counted


def test_each_message_once_and_a_second_run_sends_nothing(app: App) -> None:
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        url = f"smtp://127.0.0.1:{controller.port}"
        result = send_week(app, WEEK, TODAY, Smtp(url), ENVIRON)
        assert result.sent == result.queued > 2 and result.pending == 0
        received = keys(collector)
        assert all(count == 1 for count in received.values())
        assert {r for r, _ in received} >= {"team@example.org", "lead@example.org"}
        raw = collector.received[0][1]
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert [p.get_content_type() for p in parsed.iter_parts()] == ["text/plain", "text/html"]
        assert parsed["Date"] and parsed["Message-ID"]
        again = send_week(app, WEEK, TODAY, Smtp(url), ENVIRON)
        assert again.sent == 0 and again.queued == 0 and again.already_sent == result.sent
        assert len(collector.received) == result.sent
    finally:
        controller.stop()


def test_server_stopped_mid_batch_then_restarted(app: App) -> None:
    collector = Collector()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()

    class StopsAfterThree(Smtp):
        sends = 0

        def send(self, message: bytes, sender: str, recipient: str, name: str) -> None:
            if StopsAfterThree.sends == 3:
                controller.stop()  # the server goes down mid-batch
            StopsAfterThree.sends += 1
            super().send(message, sender, recipient, name)

    with pytest.raises(LcpgError, match="the next run will try again") as caught:
        send_week(app, WEEK, TODAY, StopsAfterThree(f"smtp://127.0.0.1:{port}"), ENVIRON)
    assert caught.value.result.sent == 3 and caught.value.result.pending > 0  # type: ignore[attr-defined]
    restarted = Controller(collector, hostname="127.0.0.1", port=port)
    restarted.start()
    try:
        result = send_week(app, WEEK, TODAY, Smtp(f"smtp://127.0.0.1:{port}"), ENVIRON)
        assert result.pending == 0
        received = keys(collector)
        assert len(collector.received) == 3 + result.sent
        assert all(count == 1 for count in received.values()), received
    finally:
        restarted.stop()


def test_two_runs_at_once_send_each_message_once(app: App) -> None:
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    url = f"smtp://127.0.0.1:{controller.port}"
    errors: list[BaseException] = []

    def run() -> None:
        try:
            send_week(app, WEEK, TODAY, Smtp(url), ENVIRON)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    try:
        runs = [threading.Thread(target=run) for _ in range(2)]
        for thread in runs:
            thread.start()
        for thread in runs:
            thread.join(timeout=120)
        assert errors == []
        received = keys(collector)
        assert received and all(count == 1 for count in received.values()), received
    finally:
        controller.stop()


def test_a_refused_login_stops_the_batch_and_the_next_run_delivers_everything(app: App) -> None:
    server_context, client_context = tls_contexts()
    collector = Authenticating()
    controller = authenticating_server(collector, server_context)
    url = f"smtp://lcpg:{{}}@127.0.0.1:{controller.port}"
    try:
        wrong = Smtp(url.format("wrong"), context=client_context)  # type: ignore[arg-type]
        with pytest.raises(LcpgError, match="refused the login: 535") as caught:
            send_week(app, WEEK, TODAY, wrong, ENVIRON)
        result = caught.value.result  # type: ignore[attr-defined]
        assert result.sent == 0 and result.pending == result.queued > 2
        # Every message would be refused the same way: one login attempt, not one per message
        # (a mail server may lock the account after a few).
        assert len(result.errors) == 1
        logins = len(collector.logins)
        assert logins <= 2  # smtplib tries PLAIN, then LOGIN, on its one connection

        right = Smtp(url.format("s3cret"), context=client_context)  # type: ignore[arg-type]
        again = send_week(app, WEEK, TODAY, right, ENVIRON)
    finally:
        controller.stop()
    assert again.sent == result.queued and again.pending == 0
    assert all(count == 1 for count in keys(collector).values())
