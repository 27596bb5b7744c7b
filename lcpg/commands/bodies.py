"""``lcpg bodies``: the bodies that meet, and their preferences for the planner."""

from __future__ import annotations

from datetime import date, time

import click

from cli import as_of_option, format_option, pass_app
from lcpg.bootstrap import App
from lcpg.commands.params import ClockTime
from lcpg.domain.wording import WEEKDAYS, clock

WEEKDAY_CHOICES = ("mon", "tue", "wed", "thu", "fri")


@click.group()
def bodies() -> None:
    """The bodies that meet: CHWB, Chairs Group, Safeguarding Group, LCPGs, Local HWBs."""


@bodies.command("list")
@as_of_option("Count members current on this date (default: today).")
@format_option("table", "json", "csv")
@pass_app
def bodies_list(app: App, as_of: date, fmt: str) -> None:
    """List every body with its members, meetings held and next meeting."""
    from lcpg.output import render
    from lcpg.services.register import list_bodies

    rows = [
        {
            "slug": b.body.slug,
            "name": b.body.name,
            "kind": b.body.kind,
            "district": b.body.district,
            "members": b.current_members,
            "held": b.held_meetings,
            "next_meeting": b.next_meeting,
        }
        for b in list_bodies(app, as_of)
    ]
    columns = ["slug", "name", "kind", "district", "members", "held", "next_meeting"]
    click.echo(render(rows, columns, fmt))


@bodies.command("set")
@click.argument("slug")
@click.option("--weekday", type=click.Choice(WEEKDAY_CHOICES), help="Preferred weekday.")
@click.option("--time", "at", type=ClockTime(), help="Preferred start time, e.g. 10:00.")
@click.option("--venue", help="Where the body usually meets.")
@pass_app
def bodies_set(
    app: App, slug: str, weekday: str | None, at: time | None, venue: str | None
) -> None:
    """Set a body's preferred weekday, time and venue for the planner."""
    from lcpg.services.planning import set_preferences

    if weekday is None and at is None and venue is None:
        raise click.UsageError("give at least one of --weekday, --time and --venue.")
    number = WEEKDAY_CHOICES.index(weekday) if weekday else None
    body = set_preferences(app, slug, number, at, venue)
    parts = []
    if body.preferred_weekday is not None:
        parts.append(f"on {WEEKDAYS[body.preferred_weekday]}s")
    if body.preferred_time is not None:
        parts.append(f"at {clock(body.preferred_time)}")
    if body.venue:
        parts.append(f"at {body.venue}")
    click.echo(f"{body.name} ({body.slug}) prefers to meet {' '.join(parts)}.")
