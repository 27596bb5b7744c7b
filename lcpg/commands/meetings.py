"""``lcpg meetings``: meetings of every body."""

from __future__ import annotations

from datetime import date

import click

from cli import body_option, format_option, pass_app
from lcpg.bootstrap import App
from lcpg.commands.params import ISO_DATE


@click.group()
def meetings() -> None:
    """Meetings of every body: planned, confirmed, held and cancelled."""


@meetings.command("list")
@body_option()
@click.option("--from", "since", type=ISO_DATE, help="Only meetings on or after this date.")
@click.option("--to", "until", type=ISO_DATE, help="Only meetings on or before this date.")
@click.option(
    "--status",
    type=click.Choice(["planned", "confirmed", "held", "cancelled"]),
    help="Only meetings with this status.",
)
@format_option("table", "json", "csv")
@pass_app
def meetings_list(
    app: App,
    body: str | None,
    since: date | None,
    until: date | None,
    status: str | None,
    fmt: str,
) -> None:
    """List meetings in date order."""
    from lcpg.domain.model import MeetingStatus
    from lcpg.output import render
    from lcpg.services.register import list_meetings

    found = list_meetings(app, body, since, until, MeetingStatus(status) if status else None)
    rows = [
        {
            "body": m.body,
            "start": m.start,
            "end": m.end,
            "venue": m.venue,
            "status": m.status,
            "id": m.id,
        }
        for m in found
    ]
    click.echo(render(rows, ["body", "start", "end", "venue", "status", "id"], fmt))
