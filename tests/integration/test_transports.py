"""One contract for every transport: the same tests against SMTP (a real aiosmtpd server on a
free port) and the outbox folder; then what only SMTP can get wrong."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from lcpg.notify.transport import OutboxFolder, Smtp, Transport, TransportError
from tests.e2e.server import free_port


class Collector:
    """An aiosmtpd handler keeping every message it accepts."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.received.append((list(envelope.rcpt_tos), envelope.original_content))  # type: ignore[attr-defined]
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[Controller, Collector]]:
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, collector
    controller.stop()


def message(to: str, subject: str) -> bytes:
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["From"] = "LCPG compliance <lcpg@example.org>"
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content("Plain text.")
    msg.add_alternative("<p>HTML.</p>", subtype="html")
    return msg.as_bytes()


@pytest.fixture(params=["smtp", "folder"])
def transport(
    request: pytest.FixtureRequest, tmp_path: Path, smtp_server: tuple[Controller, Collector]
) -> Iterator[tuple[Transport, Callable[[], list[tuple[list[str], bytes]]]]]:
    controller, collector = smtp_server
    if request.param == "smtp":
        yield Smtp(f"smtp://127.0.0.1:{controller.port}"), lambda: collector.received
    else:
        folder = tmp_path / "outbox"

        def read() -> list[tuple[list[str], bytes]]:
            found = []
            for path in sorted(folder.glob("*.eml")):
                parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
                found.append(([str(parsed["To"]).split("<")[-1].rstrip(">")], path.read_bytes()))
            return found

        yield OutboxFolder(folder), read


def test_messages_arrive_whole(
    transport: tuple[Transport, Callable[[], list[tuple[list[str], bytes]]]],
) -> None:
    sender, received = transport
    sender.send(
        message("ada@example.org", "First"), "lcpg@example.org", "ada@example.org", "w1-county-ada"
    )
    sender.send(
        message("bo@example.org", "Second"), "lcpg@example.org", "bo@example.org", "w1-county-bo"
    )
    sender.close()
    sender.close()  # closing twice is harmless
    got = received()
    assert [r[0] for r in got] == [["ada@example.org"], ["bo@example.org"]]
    parsed = email.message_from_bytes(got[0][1], policy=email.policy.default)
    assert parsed["Subject"] == "First"
    assert [p.get_content_type() for p in parsed.iter_parts()] == ["text/plain", "text/html"]


def test_describe_names_no_secret() -> None:
    assert (
        Smtp("smtps://user:s3cret@mail.example.org").describe()
        == "smtps://user@mail.example.org:465"
    )
    assert "s3cret" not in Smtp("smtp://user:s3cret@mail.example.org:2525").describe()


def test_a_password_is_never_sent_without_tls(smtp_server: tuple[Controller, Collector]) -> None:
    controller, collector = smtp_server  # aiosmtpd here offers no STARTTLS
    sender = Smtp(f"smtp://user:s3cret@127.0.0.1:{controller.port}")
    with pytest.raises(
        TransportError, match="password is not sent over a connection without it"
    ) as caught:
        sender.send(message("ada@example.org", "x"), "lcpg@example.org", "ada@example.org", "n")
    assert caught.value.transient is False and caught.value.whole_batch is True
    assert collector.received == []


def test_server_down_is_a_transient_error() -> None:
    sender = Smtp(f"smtp://127.0.0.1:{free_port()}")
    with pytest.raises(TransportError, match="cannot reach") as caught:
        sender.send(message("ada@example.org", "x"), "lcpg@example.org", "ada@example.org", "n")
    assert caught.value.transient is True


def test_bad_urls() -> None:
    from lcpg.errors import LcpgError

    with pytest.raises(LcpgError, match="not an SMTP URL"):
        Smtp("http://mail.example.org")


class Authenticating(Collector):
    """Also records who logged in (aiosmtpd AUTH)."""

    def __init__(self) -> None:
        super().__init__()
        self.logins: list[tuple[str, bool]] = []


def tls_contexts() -> tuple[object, object]:
    """A throwaway certificate authority: the server's context, and a client one trusting it."""
    import ssl

    authority, server = tls_authority()
    client = ssl.create_default_context()
    authority.configure_trust(client)
    return server, client


def tls_authority() -> tuple[Any, object]:
    """A throwaway certificate authority (trustme), and a server context holding the
    certificate it issued for 127.0.0.1."""
    import ssl

    import trustme

    authority = trustme.CA()
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(server)
    return authority, server


def _authenticator(collector: Authenticating, password: str) -> object:
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def check(
        server: object, session: object, envelope: object, mechanism: str, data: object
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        collector.logins.append((data.login.decode(), session.ssl is not None))  # type: ignore[attr-defined]
        if data.password == password.encode():
            return AuthResult(success=True)
        # handled=False: aiosmtpd answers "535 credentials invalid" itself. (The default,
        # handled=True, means "I have answered", so the client would wait for a reply.)
        return AuthResult(success=False, handled=False)

    return check


def authenticating_server(
    collector: Authenticating, server_context: object, password: str = "s3cret"
) -> Controller:
    """A started SMTP server offering STARTTLS and requiring a login with ``password``."""
    controller = Controller(
        collector,
        hostname="127.0.0.1",
        port=free_port(),
        tls_context=server_context,
        require_starttls=True,
        authenticator=_authenticator(collector, password),
        auth_require_tls=True,
    )
    controller.start()
    return controller


def test_starttls_is_used_whenever_offered_and_the_password_goes_over_it() -> None:
    server_context, client_context = tls_contexts()
    collector = Authenticating()
    controller = authenticating_server(collector, server_context)
    try:
        sender = Smtp(f"smtp://lcpg:s3cret@127.0.0.1:{controller.port}", context=client_context)  # type: ignore[arg-type]
        sender.send(
            message("ada@example.org", "Over TLS"), "lcpg@example.org", "ada@example.org", "n"
        )
        sender.close()
    finally:
        controller.stop()
    assert collector.logins == [("lcpg", True)]
    assert [r[0] for r in collector.received] == [["ada@example.org"]]


def test_a_refused_login_is_not_worth_retrying_and_stops_the_batch() -> None:
    server_context, client_context = tls_contexts()
    collector = Authenticating()
    controller = authenticating_server(collector, server_context)
    try:
        sender = Smtp(f"smtp://lcpg:wrong@127.0.0.1:{controller.port}", context=client_context)  # type: ignore[arg-type]
        with pytest.raises(TransportError, match="refused the login: 535") as caught:
            sender.send(message("ada@example.org", "x"), "lcpg@example.org", "ada@example.org", "n")
        sender.close()
    finally:
        controller.stop()
    assert caught.value.transient is False and caught.value.whole_batch is True
    assert "wrong" not in str(caught.value)
    assert collector.logins and all(login == ("lcpg", True) for login in collector.logins)
    assert collector.received == []


def test_smtps_speaks_tls_from_the_start() -> None:
    from aiosmtpd.controller import Controller as Plain

    server_context, client_context = tls_contexts()
    collector = Collector()
    controller = Plain(
        collector, hostname="127.0.0.1", port=free_port(), ssl_context=server_context
    )
    controller.start()
    try:
        sender = Smtp(f"smtps://127.0.0.1:{controller.port}", context=client_context)  # type: ignore[arg-type]
        sender.send(
            message("bo@example.org", "Implicit TLS"), "lcpg@example.org", "bo@example.org", "n"
        )
        sender.close()
    finally:
        controller.stop()
    assert [r[0] for r in collector.received] == [["bo@example.org"]]
