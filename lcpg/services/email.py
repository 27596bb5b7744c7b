"""``lcpg email send``: the week's compliance e-mails, delivered exactly once.

Each message is first written to the outbox (unique by week, recipient and kind), then claimed,
delivered, and marked sent, each step in its own transaction: a crash or an SMTP failure
loses nothing and sends nothing twice, and two schedulers started by mistake cannot both
send a message (the claim is a conditional update). Each message is built and delivered on
its own: one that cannot be built (an address stored before import checked addresses) or
that the server refuses is reported and stays unsent, and every other message goes. A
failed delivery goes back to pending with its error; when the server is down, times out or
refuses the login, the rest of the batch waits for the next run (one failed login, not one
per message).

A run delivers what earlier runs left unsent too: every message of the ``CATCH_UP_WEEKS``
(4) weeks before its week that is still pending, or whose claim is stale (its process died,
or it is older than ten minutes: ``lcpg.services.outbox_claims``). Older messages are given up
(status ``expired``, reported once by the run that gives them up): a compliance e-mail more
than four weeks old has been overtaken by four newer ones. The run raises ``SendFailed``
(exit status 1) whenever anything is left unsent or given up; a message another run on this
host is sending at that moment is that run's to report.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from lcpg.bootstrap import App
from lcpg.errors import LcpgError
from lcpg.notify.transport import Transport, TransportError, transport_from
from lcpg.services.outbox_claims import CLAIM_TIMEOUT

if TYPE_CHECKING:
    from lcpg.store.outbox import Unsent

# How many weeks before its own a run looks back for messages left unsent.
CATCH_UP_WEEKS = 4


@dataclass(frozen=True)
class SendResult:
    """What one run did for a week and the ``CATCH_UP_WEEKS`` before it. ``sent`` counts
    every message this run delivered, ``earlier_sent`` those of them from earlier weeks;
    ``pending`` what is left unsent (messages that could not be built included);
    ``already_sent`` the week's messages sent by earlier runs; ``expired`` the messages older
    than the look-back this run gave up."""

    week: str
    destination: str
    queued: int
    sent: int
    pending: int
    already_sent: int
    errors: tuple[str, ...] = field(default=())
    earlier_sent: int = 0
    expired: int = 0


class SendFailed(LcpgError):
    """Some messages were left unsent (they stay pending for the next run) or given up."""

    def __init__(self, result: SendResult) -> None:
        self.result = result
        lines = "\n".join(f"  {e}" for e in result.errors)
        given_up = (
            f"; {result.expired} older than {CATCH_UP_WEEKS} weeks given up"
            if result.expired
            else ""
        )
        super().__init__(
            f"week {result.week}: {result.sent} sent, {result.pending} still pending "
            f"({result.destination}); the next run will try again{given_up}:\n{lines}"
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
    """Compose, queue and deliver ``week``'s messages (default: this week), and what is left
    unsent of the ``CATCH_UP_WEEKS`` before it; give up older ones. Raises ``SendFailed`` when
    anything is left unsent (it stays pending) or was given up.

    Refuses (``LcpgError`` naming ``LCPG_PUBLIC_URL``, before anything is composed, queued or
    sent) when the links would point at this machine (``lcpg.services.public_url``), unless
    ``allow_local_links``."""
    from lcpg.notify.messages import iso_week, weeks_before
    from lcpg.notify.mime import parse_mailbox, sender_domain
    from lcpg.services.email_preview import build_message, email_settings_from, preview_week
    from lcpg.services.outbox_claims import is_stale, this_process
    from lcpg.services.public_url import local_links_error, resolve_public_urls

    urls = resolve_public_urls(app, environ)
    if urls.local and not allow_local_links:
        raise local_links_error(urls)
    week = week or iso_week(today)
    settings = email_settings_from(environ, urls)
    transport = transport or transport_for(environ)
    # Recorded, so next week's e-mail says what changed since this one.
    messages = preview_week(app, week, today, None, None, settings, record=True, check=False)
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
        queued = uow.outbox.queue(queued_messages, now)
        uow.commit()

    me = this_process()
    oldest = weeks_before(week, CATCH_UP_WEEKS)
    with app.unit_of_work() as uow:
        waiting = uow.outbox.unsent(week)
    expired, expiry_errors = _give_up(app, [m for m in waiting if m.week < oldest], me.host)
    errors.extend(expiry_errors)

    sent = earlier_sent = 0
    sender_address = parse_mailbox(settings.sender).addr_spec
    try:
        for item in (m for m in waiting if m.week >= oldest):
            if item.status == "sending" and not is_stale(
                item.claimed_by, item.claimed_at, app.utc_now(), me.host
            ):
                continue  # another run is sending it right now
            with app.unit_of_work(write=True) as uow:
                data = uow.outbox.claim(item, app.utc_now(), str(me))
                uow.commit()
            if data is None:
                continue  # another run has it
            recipient, kind = item.recipient, item.kind
            try:
                transport.send(
                    data.encode("utf-8"),
                    sender_address,
                    recipient,
                    f"{item.week}-{kind}-{recipient}",
                )
            except TransportError as exc:
                with app.unit_of_work(write=True) as uow:
                    uow.outbox.mark_failed(item.id, str(exc))
                    uow.commit()
                errors.append(f"{recipient} ({kind}, {item.week}): {exc}")
                if exc.whole_batch:
                    # The server is down or timing out, or refuses our login: the rest would
                    # fail alike, so they wait for the next run.
                    break
                continue
            with app.unit_of_work(write=True) as uow:  # recorded after it was sent
                uow.outbox.mark_sent(item.id, app.utc_now())
                uow.commit()
            sent += 1
            earlier_sent += item.week != week
    finally:
        transport.close()

    with app.unit_of_work() as uow:
        left = uow.outbox.unsent(week, oldest)
        counts = uow.outbox.counts(week)
    still = [u for u in left if not _in_flight_here(u, app.utc_now(), me.host)]
    for u in still:
        if u.status == "sending":  # claimed on another host, not yet timed out
            errors.append(
                f"{u.recipient} ({u.kind}, {u.week}): being sent by {u.claimed_by} since "
                f"{u.claimed_at:%Y-%m-%d %H:%M} UTC; a run takes it over once that claim is "
                f"{CLAIM_TIMEOUT.seconds // 60} minutes old"
            )
    result = SendResult(
        week=week,
        destination=transport.describe(),
        queued=queued,
        sent=sent,
        pending=len(still) + not_built,
        already_sent=counts.get("sent", 0) - (sent - earlier_sent),
        errors=tuple(errors),
        earlier_sent=earlier_sent,
        expired=expired,
    )
    if errors or result.pending:
        raise SendFailed(result)
    return result


def _give_up(app: App, old: Sequence[Unsent], here: str) -> tuple[int, list[str]]:
    """Give up (expire) each of ``old``, messages older than the look-back, that no live claim
    holds (one being sent by a run whose claim is not stale, judged from host ``here``, is
    left to that run). Returns how many this run gave up and a message for each, in order;
    one another run gave up first is neither counted nor reported."""
    from lcpg.services.outbox_claims import is_stale

    expired = 0
    errors: list[str] = []
    for message in old:
        if message.status == "sending" and not is_stale(
            message.claimed_by, message.claimed_at, app.utc_now(), here
        ):
            continue
        with app.unit_of_work(write=True) as uow:
            given_up = uow.outbox.expire(message)
            uow.commit()
        if given_up:
            expired += 1
            why = f": {message.last_error}" if message.last_error else ""
            errors.append(
                f"{message.recipient} ({message.kind}, {message.week}): given up, not sent "
                f"within {CATCH_UP_WEEKS} weeks{why}"
            )
    return expired, errors


def _in_flight_here(message: Unsent, now: datetime, here: str) -> bool:
    """Whether another run on this host is sending ``message`` right now (it reports it)."""
    from lcpg.services.outbox_claims import ClaimOwner, is_stale

    owner = ClaimOwner.parse(message.claimed_by)
    return (
        message.status == "sending"
        and owner is not None
        and owner.host == here
        and not is_stale(message.claimed_by, message.claimed_at, now, here)
    )
