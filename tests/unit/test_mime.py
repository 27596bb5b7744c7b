"""A message as MIME: headers, the two parts, the Date and a Message-ID stable per outbox key,
and names that try to smuggle in a header."""

from __future__ import annotations

import email
import re
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import default
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

import pytest

from lcpg.notify.messages import OutgoingMessage
from lcpg.notify.mime import message_id, one_line, parse_mailbox, sender_domain, to_email

SENDER = "LCPG compliance <lcpg@example.org>"
SENT = datetime(2026, 11, 23, 7, 30, tzinfo=ZoneInfo("Europe/London"))
TEXT = "Dear Zoë,\n\nGravesham LCPG: 1 error, 2 warnings.\n"
HTML = "<!DOCTYPE html><html><body><p>Dear Zoë,</p><p>Folkestone &amp; Hythe</p></body></html>\n"


def outgoing(
    name: str = "Zoë O'Brien",
    subject: str = "LCPG compliance, week 2026-W48, Gravesham: 1 error, 2 warnings",
    recipient: str = "zoe.obrien@example.org",
    kind: str = "district:gravesham",
) -> OutgoingMessage:
    return OutgoingMessage("2026-W48", kind, recipient, name, subject, TEXT, HTML)


def parsed(message: OutgoingMessage) -> EmailMessage:
    raw = to_email(message, SENDER, SENT, "example.org").as_bytes()
    result = email.message_from_bytes(raw, policy=default)
    assert isinstance(result, EmailMessage)
    return result


def test_headers() -> None:
    message = parsed(outgoing())
    assert message["From"] == "LCPG compliance <lcpg@example.org>"
    assert message["To"] == "Zoë O'Brien <zoe.obrien@example.org>"
    assert message["Subject"] == "LCPG compliance, week 2026-W48, Gravesham: 1 error, 2 warnings"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["MIME-Version"] == "1.0"
    assert parsedate_to_datetime(message["Date"]) == SENT
    assert message["Date"] == "Mon, 23 Nov 2026 07:30:00 +0000"
    assert re.fullmatch(r"<[0-9a-f]{32}@example\.org>", message["Message-ID"])


def test_summer_dates_keep_their_offset() -> None:
    summer = datetime(2026, 6, 1, 7, 30, tzinfo=ZoneInfo("Europe/London"))
    raw = to_email(outgoing(), SENDER, summer, "example.org")
    assert raw["Date"] == "Mon, 01 Jun 2026 07:30:00 +0100"


def test_plain_text_then_html_both_utf8() -> None:
    message = parsed(outgoing())
    assert message.get_content_type() == "multipart/alternative"
    parts = list(message.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert [p.get_content_charset() for p in parts] == ["utf-8", "utf-8"]
    assert parts[0].get_content().replace("\r\n", "\n") == TEXT
    assert parts[1].get_content().replace("\r\n", "\n") == HTML
    assert [p["Content-Transfer-Encoding"] for p in parts] == ["quoted-printable"] * 2
    assert message.get_body(("html",)) is parts[1]


def test_bytes_are_ascii_with_crlf_line_ends() -> None:
    raw = to_email(outgoing(), SENDER, SENT, "example.org").as_bytes()
    assert raw.isascii()
    assert b"\r\n" in raw
    assert b"\n" not in raw.replace(b"\r\n", b"")


def test_message_id_is_stable_per_key_and_differs_across_keys() -> None:
    first = to_email(outgoing(), SENDER, SENT, "example.org")["Message-ID"]
    later = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    again = to_email(outgoing(subject="Changed"), SENDER, later, "example.org")["Message-ID"]
    assert (
        first
        == again
        == message_id(("2026-W48", "zoe.obrien@example.org", "district:gravesham"), "example.org")
    )
    others = {
        to_email(m, SENDER, SENT, "example.org")["Message-ID"]
        for m in (
            outgoing(),
            outgoing(recipient="ann@example.org"),
            outgoing(kind="county"),
            OutgoingMessage(
                "2026-W49", "district:gravesham", "zoe.obrien@example.org", "", "", "", ""
            ),
        )
    }
    assert len(others) == 4
    # The parts cannot run into each other.
    assert message_id(("a|b", "c"), "x.org") != message_id(("a", "b|c"), "x.org")


@pytest.mark.parametrize(
    "name",
    [
        "Ann\r\nBcc: evil@example.org",
        "Ann\nBcc: evil@example.org",
        "Ann\rBcc: evil@example.org",
        "Ann\u2028Bcc: evil@example.org",
        "Ann\x00\x1b[31m\r\n\r\nBcc: evil@example.org",
    ],
)
def test_a_name_cannot_add_a_header(name: str) -> None:
    message = parsed(outgoing(name=name, subject=f"Week\r\nBcc: evil@example.org {name}"))
    assert message["Bcc"] is None
    assert len(message.get_all("To") or []) == 1
    (address,) = message["To"].addresses
    assert address.addr_spec == "zoe.obrien@example.org"
    assert address.display_name.startswith("Ann")
    assert "Bcc: evil@example.org" in address.display_name  # kept as text, harmlessly
    assert "\n" not in message["Subject"] and "\r" not in message["Subject"]
    assert len(message.get_all("Subject") or []) == 1
    # Headers end where the blank line is: the body is the multipart, untouched.
    assert message.get_content_type() == "multipart/alternative"


def test_an_address_with_a_line_break_is_refused() -> None:
    with pytest.raises(ValueError, match="not an email address"):
        to_email(
            outgoing(recipient="zoe@example.org\r\nBcc: evil@example.org"),
            SENDER,
            SENT,
            "example.org",
        )
    with pytest.raises(ValueError):
        to_email(outgoing(), "no address here", SENT, "example.org")


def test_the_date_must_be_aware() -> None:
    with pytest.raises(ValueError, match="aware"):
        to_email(outgoing(), SENDER, datetime(2026, 11, 23, 7, 30), "example.org")


def test_the_domain_must_be_a_host_name() -> None:
    with pytest.raises(ValueError, match="domain"):
        to_email(outgoing(), SENDER, SENT, "example.org>\r\nBcc: evil@example.org")


def test_mailboxes() -> None:
    assert str(parse_mailbox("LCPG compliance <lcpg@example.org>")) == (
        "LCPG compliance <lcpg@example.org>"
    )
    assert parse_mailbox("lcpg@example.org").display_name == ""
    evil = parse_mailbox("Evil\r\nBcc: x <lcpg@example.org>")
    assert evil.addr_spec == "lcpg@example.org"
    assert "\n" not in evil.display_name and "\r" not in evil.display_name
    assert sender_domain(SENDER) == "example.org"


def test_one_line() -> None:
    assert one_line("  a\r\nb\tc\x00d\u2028e  ") == "a b c d e"
    assert one_line("Folkestone & Hythe") == "Folkestone & Hythe"
