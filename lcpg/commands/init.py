"""``lcpg init``: create or upgrade the database."""

from __future__ import annotations

import click

from cli import pass_app
from lcpg.bootstrap import App


@click.command()
@click.option(
    "--public-url",
    metavar="URL",
    help="Where lcpg serve is reachable (e.g. https://lcpg.example.org/), for the links in "
    "e-mails and feed pages; stored in the database ($LCPG_PUBLIC_URL wins over it).",
)
@pass_app
def init(app: App, public_url: str | None) -> None:
    """Create or upgrade the database and add the blueprint's bodies."""
    from lcpg.services.public_url import PUBLIC_URL_ENV, resolve_public_urls
    from lcpg.services.register import init_database

    result = init_database(app, public_url)
    if result.revision_before == result.revision_after:
        click.echo(f"Database {result.database} is up to date (schema {result.revision_after}).")
    elif result.revision_before is None:
        click.echo(f"Created database {result.database} (schema {result.revision_after}).")
    else:
        click.echo(
            f"Upgraded database {result.database} from schema {result.revision_before} "
            f"to {result.revision_after}."
        )
    click.echo(f"Blueprint: {result.blueprint}.")
    if result.bodies_added:
        click.echo(f"Added {len(result.bodies_added)} bodies: {', '.join(result.bodies_added)}.")
    if result.bodies_updated:
        click.echo(
            f"Updated {len(result.bodies_updated)} bodies: {', '.join(result.bodies_updated)}."
        )
    if not (result.bodies_added or result.bodies_updated):
        click.echo(f"All {result.bodies_unchanged} bodies already match the blueprint.")
    urls = resolve_public_urls(app)
    click.echo(f"Public address: {urls.base} (from {urls.source}).")
    if urls.local:
        click.echo(
            "  Only this machine can open it: links in e-mails and feed pages need the address "
            f"where lcpg serve is reachable. Set {PUBLIC_URL_ENV}, or run "
            "lcpg init --public-url https://lcpg.example.org/ (your address)."
        )
