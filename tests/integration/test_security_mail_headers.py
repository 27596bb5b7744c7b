"""Threat: header injection through names in the weekly e-mails (SECURITY.md).

The Gravesham district is named ``Gravesham\\r\\nBcc: ...`` in the blueprint, and its chair
is imported with a name holding line breaks, a Unicode line separator, non-ASCII letters and
a ``Bcc:`` of their own. The week is sent through a real SMTP server (aiosmtpd): each message
goes to exactly its one intended recipient, and parsed back it has exactly the intended
headers, each once, with the names kept (on one line) as text.
"""

from __future__ import annotations

import email
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from lcpg.bootstrap import App
from lcpg.notify.transport import Smtp
from lcpg.services.email import send_week
from lcpg.services.email_preview import email_settings_from, preview_week
from lcpg.services.register import import_register, load_register
from tests.conftest import DEMO_TODAY
from tests.hostile import demo_with_gravesham_named, gravesham_chair
from tests.integration.test_transports import Collector, smtp_server
from tests.samples import csv_folder

__all__ = ["smtp_server"]  # the aiosmtpd fixture, shared with the transport tests

EVIL = "evil@example.org"
CHAIR_NAME = f"Zoë O'Brien\r\nBcc: {EVIL}\u2028Cc: {EVIL}\nX-Injected: yes"
HEADERS = {
    "from",
    "to",
    "subject",
    "date",
    "message-id",
    "auto-submitted",
    "x-auto-response-suppress",
    "mime-version",
    "content-type",
}


@pytest.fixture
def hostile(database_url: str, tmp_path: Path) -> Iterator[tuple[App, str]]:
    """The demo register, its Gravesham district and chair renamed as above."""
    app = demo_with_gravesham_named(database_url, tmp_path, f'name = "Gravesham\\r\\nBcc: {EVIL}"')
    person = gravesham_chair(load_register(app))
    folder = csv_folder(
        tmp_path / "hostile",
        people=f'email,name,organisation\n{person.email},"{CHAIR_NAME}",{person.organisation}\n',
        memberships="body,email,sector,roles,start,end\n",
        meetings="body,start,end,venue,status\n",
        attendance="body,meeting_start,email,status\n",
    )
    import_register(app, folder)
    yield app, person.email
    app.close()


def test_each_message_reaches_only_its_recipient_with_only_its_headers(
    hostile: tuple[App, str], smtp_server: tuple[Controller, Collector]
) -> None:
    app, chair = hostile
    controller, collector = smtp_server
    intended = preview_week(app, "2026-W48", DEMO_TODAY, None, None, email_settings_from({}))
    result = send_week(
        app,
        "2026-W48",
        DEMO_TODAY,
        Smtp(f"smtp://127.0.0.1:{controller.port}"),
        environ={"LCPG_PUBLIC_URL": "https://lcpg.example.org/"},
    )
    assert result.sent == len(intended) == len(collector.received)
    assert sorted(rcpt for rcpts, _ in collector.received for rcpt in rcpts) == sorted(
        m.recipient for m in intended
    )
    assert chair in {m.recipient for m in intended}
    for recipients, raw in collector.received:
        assert len(recipients) == 1 and EVIL not in recipients
        message = email.message_from_bytes(raw, policy=default)
        assert isinstance(message, EmailMessage)
        names = [name.lower() for name in message]  # header names, repeats included
        assert sorted(names) == sorted(HEADERS), names  # each exactly once, nothing else
        (address,) = message["To"].addresses
        assert address.addr_spec == recipients[0]
        assert "\n" not in str(message["Subject"]) and "\r" not in str(message["Subject"])
        if address.addr_spec == chair:
            # Compared without spaces: Python's parser keeps the folding space between two
            # encoded words ("evil@ex ample.org"), which RFC 2047 readers drop.
            shown = f"Zoë O'Brien Bcc: {EVIL} Cc: {EVIL} X-Injected: yes"
            assert address.display_name.replace(" ", "") == shown.replace(" ", "")
            assert str(message["Subject"]).startswith(
                f"LCPG compliance, week 2026-W48, Gravesham Bcc: {EVIL}:"
            )
        assert message.get_content_type() == "multipart/alternative"
        assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
