"""Threat: one unusual e-mail address stops every weekly e-mail.

An address stored before import checked addresses (or by hand) used to make ``lcpg email send``
and ``preview --out`` fail with a traceback for everyone. Now that one message is reported and
stays unsent (the command exits non-zero), and every other message goes; once the register's
address is corrected, the next run sends the rest. Fictional addresses at example.org."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import update

from lcpg.bootstrap import App
from lcpg.errors import LcpgError
from lcpg.notify.transport import Smtp, TransportError
from lcpg.services.email import SendFailed, send_week
from lcpg.services.email_preview import INDEX_FILE, email_settings_from, preview_week
from lcpg.store.schema import PersonRow
from lcpg.store.unit_of_work import UnitOfWork
from tests.conftest import DEMO_TODAY
from tests.e2e.server import free_port
from tests.integration.test_email_send import ENVIRON, WEEK, keys
from tests.integration.test_transports import Collector

LEGACY = [
    pytest.param('"x,y"@example.org', id="quoted local part"),
    pytest.param("a;b@example.org", id="semicolon"),
    pytest.param("a:b@example.org", id="colon"),
    pytest.param("zoë@example.org", id="non-ASCII local part"),
    pytest.param("ann@example.org\u200b", id="ends in a zero-width space"),
]


def a_chair(app: App) -> str:
    """The address of someone who gets a district message this week (a chair)."""
    messages = preview_week(app, WEEK, DEMO_TODAY, None, None, email_settings_from(ENVIRON))
    return next(m.recipient for m in messages if m.kind.startswith("district:"))


def change_address(app: App, old: str, new: str) -> None:
    """Store ``new`` for ``old`` as an older lcpg (or a hand edit) could: unchecked."""
    with UnitOfWork(app.engine, write=True) as uow:
        uow.session.execute(update(PersonRow).where(PersonRow.email == old).values(email=new))
        uow.commit()


@pytest.fixture
def smtp() -> object:
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, collector
    controller.stop()


@pytest.mark.parametrize("address", LEGACY)
def test_send_reports_the_one_message_and_delivers_all_others(
    app: App, smtp: tuple[Controller, Collector], address: str
) -> None:
    controller, collector = smtp
    url = f"smtp://127.0.0.1:{controller.port}"
    chair = a_chair(app)
    change_address(app, chair, address)

    with pytest.raises(SendFailed) as caught:
        send_week(app, WEEK, DEMO_TODAY, Smtp(url), ENVIRON)
    result = caught.value.result
    assert result.sent > 2 and result.pending == 1
    assert [e for e in result.errors if repr(address) in e or address in e], result.errors
    received = keys(collector)
    assert len(collector.received) == result.sent
    assert all(count == 1 for count in received.values())
    assert address not in {r for r, _ in received}

    # Still reported, and nothing sent twice, until the register is corrected.
    with pytest.raises(SendFailed):
        send_week(app, WEEK, DEMO_TODAY, Smtp(url), ENVIRON)
    assert len(collector.received) == result.sent
    change_address(app, address, chair)
    again = send_week(app, WEEK, DEMO_TODAY, Smtp(url), ENVIRON)
    assert again.sent == 1 and again.pending == 0
    assert (chair, next(s for r, s in keys(collector) if r == chair)) in keys(collector)
    assert all(count == 1 for count in keys(collector).values())


def test_an_internationalised_domain_is_sent_in_its_ascii_form(
    app: App, smtp: tuple[Controller, Collector]
) -> None:
    controller, collector = smtp
    chair = a_chair(app)
    change_address(app, chair, "ann@bücher.example.org")
    result = send_week(app, WEEK, DEMO_TODAY, Smtp(f"smtp://127.0.0.1:{controller.port}"), ENVIRON)
    assert result.pending == 0
    assert "ann@xn--bcher-kva.example.org" in {r for r, _ in keys(collector)}


@pytest.mark.parametrize("address", LEGACY)
def test_preview_writes_every_other_message_and_names_the_one(
    app: App, tmp_path: Path, address: str
) -> None:
    chair = a_chair(app)
    settings = email_settings_from(ENVIRON)
    everyone = preview_week(app, WEEK, DEMO_TODAY, None, None, settings)
    change_address(app, chair, address)
    with pytest.raises(LcpgError, match="could not be built") as caught:
        preview_week(app, WEEK, DEMO_TODAY, None, tmp_path / "out", settings)
    assert repr(address) in str(caught.value)
    index = (tmp_path / "out" / INDEX_FILE).read_text(encoding="utf-8").splitlines()
    assert len(index) == len(everyone) - 1
    assert len(list((tmp_path / "out").glob("*.eml"))) == len(everyone) - 1


def test_smtp_refuses_an_address_it_cannot_encode_and_goes_on(
    smtp: tuple[Controller, Collector],
) -> None:
    controller, collector = smtp
    transport = Smtp(f"smtp://127.0.0.1:{controller.port}")
    message = b"From: lcpg@example.org\r\nTo: ann@example.org\r\nSubject: s\r\n\r\nText.\r\n"
    try:
        with pytest.raises(TransportError) as refused:
            transport.send(message, "lcpg@example.org", "zoë@example.org", "w-county-zoe")
        assert not refused.value.whole_batch
        transport.send(message, "lcpg@example.org", "ann@example.org", "w-county-ann")
    finally:
        transport.close()
    assert [r for r, _ in collector.received] == [["ann@example.org"]]
