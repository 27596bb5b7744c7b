"""``lcpg feeds``: personal calendar feeds and their tokens."""

from __future__ import annotations

import click

from cli import base_url_option, feeds_address, format_option, pass_app
from lcpg.bootstrap import App
from lcpg.commands.params import EmailAddress


@click.group()
def feeds() -> None:
    """Personal calendar feeds."""


@feeds.group()
def token() -> None:
    """Personal feed tokens: create, list and revoke them."""


@token.command("create")
@click.argument("email", type=EmailAddress())
@base_url_option("Where the feeds are published")
@pass_app
def token_create(app: App, email: str, base_url: str | None) -> None:
    """Create a personal feed for EMAIL and print its address (shown only now)."""
    from lcpg.services.tokens import create_token

    feeds = feeds_address(app, base_url)
    secret = create_token(app, email)
    address = f"{feeds}/p/{secret}.ics"
    click.echo(f"Personal feed for {email} (keep it private; it is shown only once):")
    click.echo(f"  {address}")
    click.echo(f"  webcal://{address.partition('://')[2]}")


@token.command("list")
@click.argument("email", required=False)
@format_option("table", "json", "csv")
@pass_app
def token_list(app: App, email: str | None, fmt: str) -> None:
    """List personal feed tokens (of EMAIL, or everyone's); never the secrets."""
    from lcpg.output import render
    from lcpg.services.tokens import list_tokens

    rows = [
        {"id": t.id, "email": t.email, "created": t.created_at, "revoked": t.revoked_at}
        for t in list_tokens(app, email)
    ]
    click.echo(render(rows, ["id", "email", "created", "revoked"], fmt))


@token.command("revoke")
@click.argument("email")
@pass_app
def token_revoke(app: App, email: str) -> None:
    """Revoke every personal feed token of EMAIL: their feed addresses stop working."""
    from lcpg.services.tokens import revoke_tokens

    count = revoke_tokens(app, email)
    click.echo(f"Revoked {count} token{'s' if count != 1 else ''} of {email}.")
