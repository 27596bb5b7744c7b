"""``lcpg email preview``: compose a week's compliance emails without sending them.

``preview_week`` checks the register as of the week's Monday, compares with the last check
recorded before that day (without recording this one, unless asked), composes every message
(``lcpg.notify.compose.compose_week``) and, given a folder, writes each as an ``.eml`` file that
Outlook, Apple Mail or Thunderbird opens, with an ``index.txt`` listing them.

``email_settings_from`` reads the e-mail settings from the environment: this module is the one
place they are read (``lcpg.services.email`` uses it too, so preview and send agree). The links'
addresses come from ``lcpg.services.public_url``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Final

from lcpg.bootstrap import App
from lcpg.errors import LcpgError, NotFoundError, OutputError
from lcpg.notify.compose import EmailSettings
from lcpg.notify.messages import OutgoingMessage, iso_week, week_monday
from lcpg.services.public_url import PublicUrls, public_urls

if TYPE_CHECKING:
    from lcpg.store.outbox import QueuedMessage

__all__ = [
    "DEFAULT_SENDER",
    "DEFAULT_TEAM",
    "INDEX_FILE",
    "PreviewIncomplete",
    "build_message",
    "check_date",
    "email_settings_from",
    "eml_name",
    "preview_week",
]

TEAM_ENV: Final = "LCPG_TEAM_EMAILS"
SENDER_ENV: Final = "LCPG_MAIL_FROM"

DEFAULT_TEAM: Final = "partnership-team@example.org"
DEFAULT_SENDER: Final = "LCPG compliance <lcpg@example.org>"

INDEX_FILE: Final = "index.txt"
_WEEK: Final = re.compile(r"\d{4}-W\d{2}")
_UNSAFE: Final = re.compile(r"[^A-Za-z0-9._@+-]+")


class PreviewIncomplete(LcpgError):
    """Some of a week's messages could not be built (``build_message``): ``messages`` are
    the others (written, when a folder was given), ``failed`` one line for each left out."""

    def __init__(
        self, messages: list[OutgoingMessage], failed: list[str], out: Path | None
    ) -> None:
        self.messages = messages
        self.failed = failed
        done = f"{len(messages)} written into {out}" if out else f"{len(messages)} composed"
        listed = "\n".join(f"  {line}" for line in failed)
        super().__init__(f"{done}; {len(failed)} could not be built:\n{listed}")


def email_settings_from(
    environ: Mapping[str, str] = os.environ, urls: PublicUrls | None = None
) -> EmailSettings:
    """``EmailSettings`` from ``LCPG_TEAM_EMAILS`` (comma-separated addresses, default
    ``partnership-team@example.org``), ``LCPG_MAIL_FROM`` (default ``LCPG compliance
    <lcpg@example.org>``) and the public addresses ``urls`` (the dashboard and the feeds;
    default: from ``environ`` alone, see ``lcpg.services.public_url``). An empty variable counts as
    unset. Raises ``LcpgError`` naming the variable when an address is not one."""
    from lcpg.notify.mime import parse_mailbox

    urls = urls or public_urls(None, environ)
    team_text = environ.get(TEAM_ENV) or DEFAULT_TEAM
    team = tuple(part.strip() for part in team_text.split(",") if part.strip())
    sender = (environ.get(SENDER_ENV) or DEFAULT_SENDER).strip()
    for variable, values in ((TEAM_ENV, team), (SENDER_ENV, (sender,))):
        for value in values:
            try:
                parse_mailbox(value)
            except ValueError:
                raise LcpgError(f"{variable}: {value!r} is not an e-mail address") from None
    if not team:
        raise LcpgError(f"{TEAM_ENV}: no address given")
    return EmailSettings(
        team=team,
        sender=sender,
        dashboard_url=urls.dashboard,
        feeds_url=urls.feeds,
    )


def check_date(week: str) -> date:
    """The date a week's emails are checked as of: its Monday, so that the email of a week
    says the same whenever it is composed, and a Monday morning send reports that morning's
    register. Raises ``LcpgError`` for a week not written ``YYYY-Www``."""
    if not _WEEK.fullmatch(week):
        raise LcpgError(f"{week!r} is not an ISO week (expected YYYY-Www, e.g. 2027-W05)")
    try:
        return week_monday(week)
    except ValueError:
        raise LcpgError(f"{week!r} is not an ISO week of that year") from None


def eml_name(message: OutgoingMessage) -> str:
    """``{kind}-{recipient}.eml`` with anything but letters, digits, ``.@+-_`` made ``-``:
    ``district-gravesham-nicola.yeo@example.org.eml``."""
    return _UNSAFE.sub("-", f"{message.kind}-{message.recipient}").strip(".-") + ".eml"


def preview_week(
    app: App,
    week: str | None,
    today: date,
    to: str | None,
    out: Path | None,
    settings: EmailSettings,
    *,
    record: bool = False,
    check: bool = True,
) -> list[OutgoingMessage]:
    """The messages of ``week`` (``YYYY-Www``; default: the week of ``today``), checked as of
    the week's Monday (``check_date``) and compared with the last check recorded before it.

    ``to``: only the messages for that address, compared in the register's form (case, and
    an address an older lcpg stored in another form, do not matter); ``NotFoundError`` when
    there are none. ``out``: also write each message there as ``eml_name(message)`` (the MIME
    bytes of ``lcpg.notify.mime.to_email``, dated now) and an ``index.txt`` with one line per file
    (file, kind, recipient, subject, tab-separated); ``OutputError`` when that fails.
    ``check`` (or ``out``): build each message as sending would; one that cannot be built
    (``build_message``: an address an older lcpg stored unchecked) is left out, the others
    written, and then ``PreviewIncomplete`` names each one left out and holds the others, so
    a preview shows what a send would report. (``lcpg.services.email`` builds and reports them
    itself, so it passes ``check=False``.)
    ``record``: store the check too, so that next week's email compares with this one (for
    sending; a preview leaves the record alone). Messages come in ``compose_week`` order.
    """
    from lcpg.notify.compose import compose_week
    from lcpg.services.compliance import run_check
    from lcpg.services.register import load_register

    week = week or iso_week(today)
    as_of = check_date(week)
    checked = run_check(app, as_of, record=record)
    register = load_register(app, attendance=False)
    messages = compose_week(
        week, today, checked.report, checked.comparison, register, app.blueprint, settings
    )
    if to is not None:
        wanted = _register_form(to)
        messages = [m for m in messages if _register_form(m.recipient) == wanted]
        if not messages:
            raise NotFoundError(
                f"no email for {to} in week {week}: it goes to the team addresses and to each "
                "LCPG's chairs and co-ordinators"
            )
    if check or out is not None:
        _build(app, messages, out, settings)
    return messages


def _register_form(address: str) -> str:
    """``address`` as the register keeps addresses (``lcpg.domain.addresses``), so that one stored
    in another form by an older lcpg (upper case, a Unicode domain) still matches; an address
    that is not one (a team entry with a display name, one stored unchecked) in lower case."""
    from lcpg.domain.addresses import AddressError, normalise_address

    try:
        return normalise_address(address)
    except AddressError:
        return address.strip().lower()


def build_message(
    message: OutgoingMessage, sender: str, sent_at: datetime, domain: str
) -> QueuedMessage | str:
    """``message`` as the outbox holds it (``lcpg.notify.mime.to_email``'s bytes, the recipient in
    the register's form of an address), or, when it cannot be built, one line saying whose
    message it is and why: an address stored before import checked addresses fails here, and
    only its own message is held back."""
    from lcpg.domain.addresses import normalise_address
    from lcpg.notify.mime import to_email
    from lcpg.store.outbox import QueuedMessage

    try:
        recipient = normalise_address(message.recipient)
        data = to_email(message, sender, sent_at, domain).as_bytes()
    except ValueError as exc:
        # The person's name too: the address alone may not say whose row to correct.
        return (
            f"{message.recipient_name}, {message.recipient!r} ({message.kind}, "
            f"{message.week}): the message could not be built: {exc}; correct the address "
            "in the register"
        )
    return QueuedMessage(message.week, recipient, message.kind, message.subject, data)


def _build(
    app: App, messages: list[OutgoingMessage], out: Path | None, settings: EmailSettings
) -> None:
    """Build each of ``messages``, write them into ``out`` when given, and raise
    ``PreviewIncomplete`` when any could not be built (the others are still written)."""
    from lcpg.notify.mime import sender_domain

    sent_at = app.utc_now().replace(tzinfo=UTC).astimezone(app.blueprint.zone)
    domain = sender_domain(settings.sender)
    built: list[tuple[OutgoingMessage, bytes]] = []
    failed: list[str] = []
    for message in messages:
        one = build_message(message, settings.sender, sent_at, domain)
        if isinstance(one, str):
            failed.append(one)
        else:
            built.append((message, one.message))
    if out is not None:
        _write(built, out)
    if failed:
        raise PreviewIncomplete([message for message, _ in built], failed, out)


def _write(built: list[tuple[OutgoingMessage, bytes]], out: Path) -> None:
    lines = []
    taken: set[str] = set()
    try:
        out.mkdir(parents=True, exist_ok=True)
        for message, data in built:
            name = eml_name(message)
            stem, n = name.removesuffix(".eml"), 1
            while name.lower() in taken:  # two addresses that clean up alike
                n += 1
                name = f"{stem}-{n}.eml"
            taken.add(name.lower())
            (out / name).write_bytes(data)
            lines.append("\t".join((name, message.kind, message.recipient, message.subject)))
        (out / INDEX_FILE).write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write the emails to {out}: {exc.strerror or exc}") from None
