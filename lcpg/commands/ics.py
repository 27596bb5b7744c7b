"""``lcpg ics``: calendar feeds to subscribe to, and calendar files to record meetings from."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from cli import as_of_option, base_url_option, feeds_address, pass_app
from lcpg.bootstrap import App


@click.group()
def ics() -> None:
    """Calendar feeds to subscribe to, and calendar files to record meetings from."""


@ics.command("export")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for the feeds (created if missing).",
)
@base_url_option("Where the feeds are published, for the links in index.html")
@pass_app
def ics_export(app: App, out: Path, base_url: str | None) -> None:
    """Write every feed (<body-slug>.ics, county.ics) and index.html into OUT."""
    from lcpg.services.feeds import export_feeds

    feeds = export_feeds(app, out, feeds_address(app, base_url))
    events = sum(f.events for f in feeds if f.path.stem != "county")
    click.echo(
        f"Wrote {len(feeds)} feeds ({events:,} meetings) and {out / 'index.html'} "
        "(subscription links)."
    )


@ics.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--body", metavar="SLUG", required=True, help="The body whose meetings these are.")
@click.option(
    "--status",
    type=click.Choice(["held", "planned"]),
    help="Record every meeting so (default: held before today, planned from today).",
)
@click.option("--dry-run", is_flag=True, help="Check the file and report what would change.")
@as_of_option(
    "Read the file as if today were this date: meetings before it are held, and those of the "
    "ten years before it to two years after are read (default: today)."
)
@pass_app
def ics_import(
    app: App, file: Path, body: str, status: str | None, dry_run: bool, as_of: date
) -> None:
    """Record a body's meetings from an Outlook, Google or Apple calendar export (.ics)."""
    from lcpg.domain.model import MeetingStatus
    from lcpg.domain.wording import plural
    from lcpg.output import change_report
    from lcpg.services.ics_import import import_calendar

    imported = import_calendar(
        app, file, body, MeetingStatus(status) if status else None, dry_run, as_of
    )
    click.echo(change_report(imported.result))
    first, last = imported.window
    notes = []
    if imported.all_day:
        notes.append(
            f"{plural(imported.all_day, 'all-day event', 'all-day events')} recorded at the "
            "body's usual time"
        )
    if imported.duplicates:
        notes.append(f"{plural(imported.duplicates, 'duplicate event', 'duplicate events')} merged")
    click.echo(
        f"{plural(imported.events, 'event', 'events')} dated {first.isoformat()} to "
        f"{last.isoformat()} read from "
        f"{file}" + "".join(f"; {n}" for n in notes) + "."
    )
