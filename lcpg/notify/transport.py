"""Delivering a message: by SMTP, or as an ``.eml`` file in an outbox folder.

How to add a transport: subclass ``Transport`` and honour the contract of ``send`` and
``close``; ``tests/integration/test_transports.py`` runs the same contract tests against every
transport (add yours to its parameters).

``transport_from(url, folder)`` picks one: ``smtp://[user:password@]host[:port]`` (STARTTLS
whenever the server offers it, and a password is never sent over a connection without TLS),
``smtps://...`` (TLS from the start), or, with no URL, ``.eml`` files written into ``folder``
(Outlook and Apple Mail open them).
"""

from __future__ import annotations

import contextlib
import re
import smtplib
import ssl
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lcpg.errors import LcpgError
from lcpg.files import write_atomically

TIMEOUT = 20.0  # seconds for an SMTP server to answer before the batch gives up


class TransportError(LcpgError):
    """A message could not be delivered. ``transient``: worth trying again later (server down,
    timed out, refused for now) rather than a fault in the message. ``whole_batch``: not about
    this message at all (the login refused, no TLS to send the password over): every other
    message would fail the same way, so a batch stops rather than try each of them (a mail
    server may lock an account after a few refused logins). Transient errors stop a batch
    too."""

    def __init__(self, message: str, transient: bool = True, whole_batch: bool = False) -> None:
        super().__init__(message)
        self.transient = transient
        self.whole_batch = whole_batch or transient


class Transport:
    """Delivers messages. Implementations keep any connection open across a batch."""

    def send(self, message: bytes, sender: str, recipient: str, name: str) -> None:
        """Deliver ``message`` (RFC 5322 bytes) from ``sender`` to ``recipient``; ``name``
        names the message for files and logs. Raises ``TransportError``; returning means the
        server (or folder) has accepted it."""
        raise NotImplementedError

    def close(self) -> None:
        """Release any connection. Safe to call twice."""

    def describe(self) -> str:
        """Where messages go, without secrets (for messages to the user)."""
        raise NotImplementedError


class OutboxFolder(Transport):
    """Writes each message as ``<name>.eml`` into a folder, atomically."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, message: bytes, sender: str, recipient: str, name: str) -> None:
        safe = re.sub(r"[^A-Za-z0-9._@-]+", "_", name)
        target = self.folder / f"{safe}.eml"
        try:
            write_atomically(target, message)
        except OSError as exc:
            raise TransportError(f"cannot write {target}: {exc.strerror or exc}") from None

    def describe(self) -> str:
        return f"the outbox folder {self.folder}"


class Smtp(Transport):
    """An SMTP server. One connection for a batch, opened on the first message."""

    def __init__(self, url: str, context: ssl.SSLContext | None = None) -> None:
        """``context``: how to check the server's certificate (default: the system's trust
        store; tests pass one trusting their own certificate authority)."""
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise LcpgError(
                "not an SMTP URL: expected smtp://[user:password@]host[:port] or smtps://..."
            )
        self.implicit_tls = parts.scheme == "smtps"
        self.host = parts.hostname
        self.port = parts.port or (465 if self.implicit_tls else 25)
        self.user = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self._connection: smtplib.SMTP | None = None
        self.context = context or ssl.create_default_context()

    def describe(self) -> str:
        scheme = "smtps" if self.implicit_tls else "smtp"
        who = f"{self.user}@" if self.user else ""
        return f"{scheme}://{who}{self.host}:{self.port}"

    def _connect(self) -> smtplib.SMTP:
        if self._connection is not None:
            return self._connection
        try:
            if self.implicit_tls:
                connection: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=TIMEOUT, context=self.context
                )
            else:
                connection = smtplib.SMTP(self.host, self.port, timeout=TIMEOUT)
            connection.ehlo()
            encrypted = self.implicit_tls
            if not encrypted and connection.has_extn("starttls"):
                connection.starttls(context=self.context)
                connection.ehlo()
                encrypted = True
            if self.user is not None:
                if not encrypted:
                    connection.close()
                    raise TransportError(
                        f"{self.describe()} offers no TLS: the password is not sent over a "
                        "connection without it (use smtps:// or a server with STARTTLS)",
                        transient=False,
                        whole_batch=True,
                    )
                connection.login(self.user, self.password or "")
        except TransportError:
            raise
        except smtplib.SMTPAuthenticationError as exc:
            raise TransportError(
                f"{self.describe()} refused the login: {exc.smtp_code}",
                transient=False,
                whole_batch=True,
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise TransportError(f"cannot reach {self.describe()}: {exc}") from None
        self._connection = connection
        return connection

    def send(self, message: bytes, sender: str, recipient: str, name: str) -> None:
        connection = self._connect()
        try:
            refused = connection.sendmail(sender, [recipient], message)
        except smtplib.SMTPRecipientsRefused as exc:
            raise TransportError(
                f"{self.describe()} refused {recipient}: {exc.recipients}", transient=False
            ) from None
        except (TimeoutError, OSError, smtplib.SMTPException) as exc:
            self._drop()
            raise TransportError(f"{self.describe()} failed while sending: {exc}") from None
        except (UnicodeError, ValueError) as exc:
            # An address or message smtplib cannot put on the wire (a non-ASCII address queued
            # by an older lcpg): this message's fault, not the server's. The connection may be
            # mid-transaction, so the next message starts on a fresh one.
            self._drop()
            raise TransportError(f"cannot send to {recipient!r}: {exc}", transient=False) from None
        if refused:
            raise TransportError(
                f"{self.describe()} refused {recipient}: {refused}", transient=False
            )

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(OSError):
                connection.close()

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.quit()
            except (OSError, smtplib.SMTPException):
                connection.close()


def transport_from(url: str | None, folder: Path) -> Transport:
    """SMTP when ``url`` is given (``LCPG_SMTP_URL``), else ``.eml`` files in ``folder``."""
    return Smtp(url) if url else OutboxFolder(folder)
