"""``lcpg email``: the weekly compliance e-mails, previewed or sent."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from cli import pass_app
from lcpg.bootstrap import App
from lcpg.commands.params import EmailAddress, IsoWeek

if TYPE_CHECKING:
    from lcpg.notify.messages import OutgoingMessage


@click.group()
def email() -> None:
    """The weekly compliance e-mails: to the team, and to each district's chair and
    co-ordinator."""


@email.command("preview")
@click.option("--week", type=IsoWeek(), help="The week (default: this week).")
@click.option(
    "--to", "to", type=EmailAddress(), metavar="ADDRESS", help="Only the messages to this address."
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write each message as an .eml file into this folder (Outlook opens them).",
)
@pass_app
def email_preview(app: App, week: str | None, to: str | None, out: Path | None) -> None:
    """Compose the week's e-mails without sending them."""
    from lcpg.services.email_preview import PreviewIncomplete, email_settings_from, preview_week
    from lcpg.services.public_url import PUBLIC_URL_ENV, resolve_public_urls

    urls = resolve_public_urls(app)
    if urls.local:
        click.echo(
            f"Warning: the links point at {', '.join(urls.local)}, which only this machine can "
            f"open; `lcpg email send` refuses them until {PUBLIC_URL_ENV} (or lcpg init "
            "--public-url) says where lcpg serve is reachable.",
            err=True,
        )
    settings = email_settings_from(urls=urls)
    try:
        messages = preview_week(app, week, app.today(), to, out, settings)
    except PreviewIncomplete as incomplete:
        # The others are listed (and written) as usual; then the error names each left out.
        list_previewed(incomplete.messages, out)
        raise
    list_previewed(messages, out)


def list_previewed(messages: list[OutgoingMessage], out: Path | None) -> None:
    for message in messages:
        click.echo(f"{message.recipient:<40} {message.subject}")
    where = f" into {out}" if out else ""
    click.echo(
        f"{len(messages)} message{'s' if len(messages) != 1 else ''} composed{where}; none sent."
    )


@email.command("send")
@click.option("--week", type=IsoWeek(), help="The week (default: this week).")
@click.option(
    "--allow-local-links",
    is_flag=True,
    help="Send even though the links point at this machine (no $LCPG_PUBLIC_URL set).",
)
@pass_app
def email_send(app: App, week: str | None, allow_local_links: bool) -> None:
    """Send the week's e-mails: each once, however often this runs ($LCPG_SMTP_URL, else
    .eml files in $LCPG_OUTBOX_DIR), and any left unsent in the 4 weeks before; exits 1 when
    any is left unsent. Refuses links that only this machine can open unless
    --allow-local-links: set $LCPG_PUBLIC_URL (or lcpg init --public-url)."""
    from lcpg.services.email import send_week

    result = send_week(app, week, app.today(), allow_local_links=allow_local_links)
    earlier = f" ({result.earlier_sent} of earlier weeks)" if result.earlier_sent else ""
    click.echo(
        f"Week {result.week}: {result.sent} sent{earlier} to {result.destination}, "
        f"{result.already_sent} already sent before, {result.pending} pending."
    )
