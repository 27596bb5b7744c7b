"""``lcpg members``: who sits on which body, for which sector, with which roles."""

from __future__ import annotations

from datetime import date

import click

from cli import as_of_given, as_of_option, body_option, format_option, pass_app
from lcpg.bootstrap import App


@click.group()
def members() -> None:
    """Who sits on which body, for which sector, with which roles."""


@members.command("list")
@body_option()
@as_of_option("Members current on this date (default: today).")
@click.option("--all", "all_dates", is_flag=True, help="Every membership, past and future too.")
@format_option("table", "json", "csv")
@pass_app
@click.pass_context
def members_list(
    ctx: click.Context, app: App, body: str | None, as_of: date, all_dates: bool, fmt: str
) -> None:
    """List memberships with sector, roles and dates."""
    from lcpg.output import render
    from lcpg.services.register import list_members

    if all_dates and as_of_given(ctx):
        raise click.UsageError("--all and --as-of cannot be used together.")
    listing = list_members(app, body, None if all_dates else as_of)
    rows = [
        {
            "body": m.membership.body,
            "name": m.person.name,
            "email": m.person.email,
            "organisation": m.person.organisation,
            "sector": m.membership.sector,
            "roles": m.membership.roles,
            "start": m.membership.start,
            "end": m.membership.end,
        }
        for m in listing
    ]
    columns = ["body", "name", "email", "organisation", "sector", "roles", "start", "end"]
    click.echo(render(rows, columns, fmt))
