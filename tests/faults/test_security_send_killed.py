"""Threat: a crash mid-send hides a message (issue 13, point 3).

The real `lcpg email send` is killed (SIGKILL) while the SMTP server holds one message in the
middle of its DATA (claimed, ``sending``, not accepted). The next run takes that claim over at
once (its process is gone; no ten-minute or hour-long wait), delivers it and everything else
still unsent, and exits 0: every message of the week arrives exactly once, counted by
Message-ID at the server. A run that leaves anything unsent (the server refuses a recipient)
exits non-zero, naming it, and the next run delivers it. SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import email
import email.policy
import os
import signal
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, select

from lcpg.store.schema import OutboxRow
from tests.e2e.server import free_port, start_lcpg
from tests.faults.processes import environment, run_lcpg, wait_for
from tests.faults.test_import_killed import demo_database

pytestmark = pytest.mark.faults

WEEK = "2026-W47"  # the week of processes.DEMO_DATE
BLOCK_AT = 3  # the message the server holds in its DATA while the run is killed
DEADLINE = 60  # seconds: the re-run finishes, it does not wait for a claim to time out
SETTINGS = {
    "LCPG_TEAM_EMAILS": "team@example.org,lead@example.org",
    "LCPG_PUBLIC_URL": "https://lcpg.example.org/",
}


class Server:
    """An aiosmtpd handler keeping the messages it accepts. It holds the ``block_at``-th
    message's DATA until ``release`` is set (``blocked`` says it is holding one) and then
    refuses it, so that message was never accepted; it refuses the recipients in
    ``refused``."""

    def __init__(self, block_at: int | None = None, refused: frozenset[str] = frozenset()) -> None:
        self.block_at = block_at
        self.refused = refused
        self.received: list[bytes] = []
        self.data_commands = 0
        self.blocked = threading.Event()
        self.release = threading.Event()

    async def handle_RCPT(
        self, server: object, session: object, envelope: Any, address: str, options: object
    ) -> str:
        if address in self.refused:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
        self.data_commands += 1  # handlers run one at a time on the server's event loop
        if self.data_commands == self.block_at:
            self.blocked.set()
            # Off the event loop, so the server stays responsive; aiosmtpd cancels this
            # when the killed client's connection drops.
            await asyncio.to_thread(self.release.wait, DEADLINE)
            return "451 4.3.0 not accepted"
        self.received.append(envelope.original_content)
        return "250 OK"

    def message_ids(self) -> Counter[str]:
        """How often each Message-ID arrived."""
        return Counter(
            str(email.message_from_bytes(raw, policy=email.policy.default)["Message-ID"])
            for raw in self.received
        )


@pytest.fixture
def smtp() -> Iterator[tuple[Controller, Server]]:
    """A real SMTP server on a free port; the test sets up its ``Server`` handler."""
    handler = Server()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, handler
    finally:
        handler.release.set()
        controller.stop()


def outbox(database_url: str) -> dict[str, tuple[str, str]]:
    """Each outbox message of ``WEEK`` by its Message-ID: (status, recipient)."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(OutboxRow.message, OutboxRow.status, OutboxRow.recipient).where(
                    OutboxRow.week == WEEK
                )
            ).all()
    finally:
        engine.dispose()
    return {
        str(email.message_from_string(m, policy=email.policy.default)["Message-ID"]): (s, r)
        for m, s, r in rows
    }


def test_a_send_killed_mid_message_is_finished_by_the_next_run_at_once(
    database_url: str,
    demo_sqlite: Path,
    tmp_path: Path,
    smtp: tuple[Controller, Server],
) -> None:
    controller, server = smtp
    server.block_at = BLOCK_AT
    demo_database(database_url, demo_sqlite, tmp_path)
    env = environment(database_url, LCPG_SMTP_URL=f"smtp://127.0.0.1:{controller.port}", **SETTINGS)

    send = start_lcpg(
        "email", "send", "--week", WEEK, cwd=tmp_path, env=env, log=tmp_path / "send.log"
    )
    try:
        wait_for(server.blocked.is_set, "the server holding a message", process=send)
        os.kill(send.pid, signal.SIGKILL)
        assert send.wait(timeout=30) == -signal.SIGKILL
    finally:
        if send.poll() is None:
            send.kill()
            send.wait()
    before = outbox(database_url)
    assert Counter(status for status, _ in before.values()) == {
        "sent": BLOCK_AT - 1,
        "sending": 1,
        "pending": len(before) - BLOCK_AT,
    }
    server.release.set()

    again = run_lcpg("email", "send", "--week", WEEK, cwd=tmp_path, env=env, timeout=DEADLINE)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "0 pending" in again.stdout
    after = outbox(database_url)
    assert {status for status, _ in after.values()} == {"sent"}
    assert server.message_ids() == Counter(set(after))  # each message once, none missing


def test_a_run_leaving_a_message_unsent_exits_non_zero_and_the_next_sends_it(
    database_url: str,
    demo_sqlite: Path,
    tmp_path: Path,
    smtp: tuple[Controller, Server],
) -> None:
    controller, server = smtp
    server.refused = frozenset({"lead@example.org"})
    demo_database(database_url, demo_sqlite, tmp_path)
    env = environment(database_url, LCPG_SMTP_URL=f"smtp://127.0.0.1:{controller.port}", **SETTINGS)

    refused = run_lcpg("email", "send", "--week", WEEK, cwd=tmp_path, env=env, timeout=DEADLINE)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "lead@example.org" in refused.stderr and "Traceback" not in refused.stderr
    assert [r for s, r in outbox(database_url).values() if s != "sent"] == ["lead@example.org"]

    server.refused = frozenset()
    again = run_lcpg("email", "send", "--week", WEEK, cwd=tmp_path, env=env, timeout=DEADLINE)
    assert again.returncode == 0, again.stdout + again.stderr
    after = outbox(database_url)
    assert {status for status, _ in after.values()} == {"sent"}
    assert server.message_ids() == Counter(set(after))
