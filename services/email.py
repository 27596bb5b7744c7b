"""``lcpg email send``: the week's compliance e-mails, delivered exactly once.

Each message is first written to the outbox (unique by week, recipient and kind), then claimed,
delivered, and marked sent, each step in its own transaction: a crash or an SMTP failure
loses nothing and sends nothing twice, and two schedulers started by mistake cannot both
send a message (the claim is a conditional update). Each message is built and delivered on
its own: one that cannot be built (an address stored before import checked addresses) or
that the server refuses is reported and stays unsent, and every other message goes. A
failed delivery goes back to pending with its error; when the server is down, times out or
refuses the login, the rest of the batch waits for the next run (one failed login, not one
per message), and the command exits non-zero.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, timedelta
from pathlib import Path

from bootstrap import App
from errors import LcpgError
from notify.transport import Transport, TransportError, transport_from

# A message claimed this long ago by a run that never marked it sent is tried again.
STALE_CLAIM = timedelta(hours=1)


@dataclass(frozen=True)
class SendResult:
    """What one run did for a week."""

    week: str
    destination: str
    queued: int
    sent: int
    pending: int
    already_sent: int
    errors: tuple[str, ...] = field(default=())


class SendFailed(LcpgError):
    """Some messages could not be delivered; they stay pending for the next run."""

    def __init__(self, result: SendResult) -> None:
        self.result = result
        lines = "\n".join(f"  {e}" for e in result.errors)
        super().__init__(
            f"week {result.week}: {result.sent} sent, {result.pending} still pending "
            f"({result.destination}); the next run will try again:\n{lines}"
        )


def transport_for(environ: Mapping[str, str] = os.environ) -> Transport:
    """SMTP from ``LCPG_SMTP_URL``, else ``.eml`` files in ``LCPG_OUTBOX_DIR`` (``outbox``)."""
    return transport_from(
        environ.get("LCPG_SMTP_URL"), Path(environ.get("LCPG_OUTBOX_DIR", "outbox"))
    )


def send_week(
    app: App,
    week: str | None,
    today: date,
    transport: Transport | None = None,
    environ: Mapping[str, str] = os.environ,
    *,
    allow_local_links: bool = False,
) -> SendResult:
    """Compose, queue and deliver ``week``'s messages (default: this week). Raises
    ``SendFailed`` when some could not be delivered (they stay pending).

    Refuses (``LcpgError`` naming ``LCPG_PUBLIC_URL``, before anything is composed, queued or
    sent) when the links would point at this machine (``services.public_url``), unless
    ``allow_local_links``."""
    from notify.messages import iso_week
    from notify.mime import parse_mailbox, sender_domain
    from services.email_preview import build_message, email_settings_from, preview_week
    from services.public_url import local_links_error, resolve_public_urls
    from store.repository import (
        claim,
        deliverable,
        mark_failed,
        mark_sent,
        outbox_counts,
        queue_messages,
    )

    urls = resolve_public_urls(app, environ)
    if urls.local and not allow_local_links:
        raise local_links_error(urls)
    week = week or iso_week(today)
    settings = email_settings_from(environ, urls)
    transport = transport or transport_for(environ)
    # Recorded, so next week's e-mail says what changed since this one.
    messages = preview_week(app, week, today, None, None, settings, record=True)
    domain = sender_domain(settings.sender)
    now = app.utc_now()
    errors: list[str] = []
    queued_messages = []
    for m in messages:
        built = build_message(m, settings.sender, now.replace(tzinfo=UTC), domain)
        if isinstance(built, str):
            errors.append(built)
        else:
            queued_messages.append(built)
    not_built = len(errors)
    with app.unit_of_work(write=True) as uow:  # recorded before anything is sent
        queued = queue_messages(uow.session, queued_messages, now)
        uow.commit()
    with app.unit_of_work() as uow:
        ids = deliverable(uow.session, week, app.utc_now() - STALE_CLAIM)
    sent = 0
    sender_address = parse_mailbox(settings.sender).addr_spec
    try:
        for outbox_id in ids:
            with app.unit_of_work(write=True) as uow:
                row = claim(uow.session, outbox_id, app.utc_now(), app.utc_now() - STALE_CLAIM)
                details = (row.recipient, row.kind, row.message) if row else None
                uow.commit()
            if details is None:
                continue  # another run has it
            recipient, kind, message = details
            try:
                transport.send(
                    message.encode("utf-8"), sender_address, recipient, f"{week}-{kind}-{recipient}"
                )
            except TransportError as exc:
                with app.unit_of_work(write=True) as uow:
                    mark_failed(uow.session, outbox_id, str(exc))
                    uow.commit()
                errors.append(f"{recipient} ({kind}): {exc}")
                if exc.whole_batch:
                    # The server is down or timing out, or refuses our login: the rest would
                    # fail alike, so they wait for the next run.
                    break
                continue
            with app.unit_of_work(write=True) as uow:  # recorded after it was sent
                mark_sent(uow.session, outbox_id, app.utc_now())
                uow.commit()
            sent += 1
    finally:
        transport.close()
    with app.unit_of_work() as uow:
        counts = outbox_counts(uow.session, week)
    result = SendResult(
        week=week,
        destination=transport.describe(),
        queued=queued,
        sent=sent,
        pending=counts.get("pending", 0) + counts.get("sending", 0) + not_built,
        already_sent=counts.get("sent", 0) - sent,
        errors=tuple(errors),
    )
    if errors:
        raise SendFailed(result)
    return result
