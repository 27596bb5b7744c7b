"""``lcpg calendar``: the year at a glance."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from cli import as_of_option, pass_app
from lcpg.bootstrap import App
from lcpg.commands.params import YEAR


@click.command()
@click.option("--year", type=YEAR, required=True, help="The year to draw.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="FILE.html (printable page) or FILE.svg (picture only).",
)
@as_of_option("Draw as if today were this date (proposals only after it).")
@pass_app
def calendar(app: App, year: int, out: Path, as_of: date) -> None:
    """Draw the year at a glance: every body's meetings, windows, holidays and problems."""
    from lcpg.services.calendar import FORMATS, write_year_calendar

    if out.suffix.lower() not in FORMATS:
        raise click.BadParameter("must end in .html or .svg", param_hint="--out")
    result = write_year_calendar(app, year, out, as_of)
    click.echo(
        f"Wrote {result.path}: {result.meetings} meetings ({result.proposed} proposed, not yet "
        f"saved), {result.problems} problem{'s' if result.problems != 1 else ''}."
    )
