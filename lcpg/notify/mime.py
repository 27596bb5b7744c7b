"""One ``OutgoingMessage`` as a MIME e-mail: ``multipart/alternative``, plain text then HTML.

``to_email`` builds the message with ``email.policy.SMTP`` (CRLF line ends, 7-bit output:
non-ASCII headers become RFC 2047 encoded words and both parts are quoted-printable), so
``to_email(...).as_bytes()`` is ASCII and goes to an SMTP server or an ``.eml`` file as is.

Header safety. Names and subjects come from a register that many people edit. Every text
that goes into a header passes through ``one_line`` first, which turns line breaks and other
control characters into spaces: a display name such as ``"Ann\\r\\nBcc: evil@example.org"``
stays part of the ``To`` header's display name and can never start a header of its own.
The SMTP policy would refuse such a value anyway (``ValueError``), but refusing would stop the
week's batch for one bad name, so it is cleaned instead. Addresses are not cleaned: they pass
``lcpg.domain.addresses.normalise_address`` (the check every way into the register uses), and one
it refuses (a line break, a quoted or non-ASCII local part, an invisible character) raises
``AddressError``, a ``ValueError``: the sender then reports that one message and sends the
rest.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr
from typing import Final

from lcpg.domain.addresses import normalise_address
from lcpg.notify.messages import OutgoingMessage

__all__ = ["message_id", "one_line", "parse_mailbox", "sender_domain", "to_email"]

# C0 and C1 controls (CR, LF, TAB, NUL, ESC, ...), DEL, and the Unicode line and paragraph
# separators, which some mail clients treat as line breaks.
_CONTROLS: Final = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u0085]+")
_LABEL: Final = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_DOMAIN: Final = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")


def one_line(text: str) -> str:
    """``text`` on one line: every run of control characters (line breaks, tabs, NUL, ...)
    becomes one space, and the ends are trimmed. Safe for a header and for one line of text."""
    return _CONTROLS.sub(" ", text).strip()


def _check_address(address: str) -> str:
    # The same check as every way into the register: what passes is ASCII and means the
    # same to Python's header parser and to an SMTP server (``lcpg.domain.addresses``).
    return normalise_address(address)


def parse_mailbox(mailbox: str) -> Address:
    """``"LCPG compliance <lcpg@example.org>"`` or a bare ``lcpg@example.org`` as an ``Address``
    (display name cleaned by ``one_line``). Raises ``ValueError`` when there is no address."""
    name, address = parseaddr(one_line(mailbox))
    if not address:
        raise ValueError(f"not a mailbox (expected 'Name <address>'): {mailbox!r}")
    return Address(display_name=one_line(name), addr_spec=_check_address(address))


def sender_domain(sender: str) -> str:
    """The domain of ``sender``'s address (``example.org`` for ``"LCPG <lcpg@example.org>"``):
    the natural right-hand side for its Message-IDs. Raises ``ValueError`` as
    ``parse_mailbox`` does."""
    return parse_mailbox(sender).domain


def message_id(key: tuple[str, ...], domain: str) -> str:
    """``<32 hex digits@domain>``: the first 128 bits of the SHA-256 of the outbox ``key``
    (week, recipient, kind).

    Deterministic on purpose, where ``email.utils.make_msgid`` would be random: if a send is
    retried (the server accepted the message but the process died before the outbox marked it
    sent), the copy carries the same Message-ID, so mail servers and clients that de-duplicate
    by Message-ID show it once, and any reply threads to the same message. Different keys give
    different ids. Raises ``ValueError`` for a ``domain`` that is not a host name.
    """
    if not _DOMAIN.fullmatch(domain):
        raise ValueError(f"not a domain for a Message-ID: {domain!r}")
    # JSON keeps the parts apart unambiguously ("a|b", "c" and "a", "b|c" differ).
    digest = hashlib.sha256(json.dumps(list(key)).encode("utf-8")).hexdigest()
    return f"<{digest[:32]}@{domain}>"


def to_email(message: OutgoingMessage, sender: str, sent_at: datetime, domain: str) -> EmailMessage:
    """``message`` as an e-mail from ``sender`` (``"Name <address>"`` or an address), dated
    ``sent_at`` (an aware datetime), with a Message-ID on ``domain`` (see ``message_id``).

    Headers: From, To (the recipient's name and address), Subject, Date, Message-ID,
    ``Auto-Submitted: auto-generated`` (RFC 3834: automatic replies, out-of-office notes
    included, should not answer it) and ``X-Auto-Response-Suppress: All`` (the same for
    Exchange and Outlook). Body: ``multipart/alternative`` with ``text/plain`` then
    ``text/html``, both UTF-8 (the last part is the one a client prefers to show).

    Raises ``ValueError`` when ``sent_at`` is naive, or an address or the domain is malformed.
    """
    if sent_at.tzinfo is None or sent_at.utcoffset() is None:
        raise ValueError("sent_at must be an aware datetime (it goes into the Date header)")
    email = EmailMessage(policy=SMTP)
    email["From"] = parse_mailbox(sender)
    email["To"] = Address(
        display_name=one_line(message.recipient_name),
        addr_spec=_check_address(message.recipient),
    )
    email["Subject"] = one_line(message.subject)
    email["Date"] = format_datetime(sent_at)
    email["Message-ID"] = message_id(message.key, domain)
    email["Auto-Submitted"] = "auto-generated"
    email["X-Auto-Response-Suppress"] = "All"
    # Quoted-printable keeps the bytes 7-bit (any SMTP server takes them, 8BITMIME or not)
    # while the raw message stays readable.
    email.set_content(message.text, charset="utf-8", cte="quoted-printable")
    email.add_alternative(message.html, subtype="html", charset="utf-8", cte="quoted-printable")
    return email
