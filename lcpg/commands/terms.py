"""``lcpg terms``: school term dates, imported and listed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from cli import format_option, pass_app
from lcpg.bootstrap import App
from lcpg.domain.wording import short_weekday_date

if TYPE_CHECKING:
    from lcpg.services.terms import TermsImport


@click.group()
def terms() -> None:
    """School term dates: the planner avoids the holidays between terms."""


@terms.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report what would change.")
@pass_app
def terms_import(app: App, file: Path, dry_run: bool) -> None:
    """Record term dates from an .ics calendar (each all-day event one term) or a CSV file
    with the header name,start,end. A year imported replaces that year's shipped dates."""
    from lcpg.services.terms import import_terms

    click.echo(terms_report(import_terms(app, file, dry_run)))


@terms.command("list")
@format_option("table", "json", "csv")
@pass_app
def terms_list(app: App, fmt: str) -> None:
    """List the academic years with term dates, and where each year's dates come from."""
    from lcpg.output import render
    from lcpg.services.terms import list_years

    rows = [
        {
            "year": y.label,
            "first_day": y.start,
            "last_day": y.end,
            "terms": y.terms,
            "from": y.origin,
            "source": y.source,
            "replaces": y.overrides,
        }
        for y in list_years(app)
    ]
    columns = ["year", "first_day", "last_day", "terms", "from", "source", "replaces"]
    click.echo(render(rows, columns, fmt))


def terms_report(imported: TermsImport) -> str:
    """Each academic year in the file and what importing it changes."""
    lines = ["Dry run: nothing was written."] if imported.dry_run else []
    count = len(imported.changes)
    lines.append(f"{count} academic year{'s' if count != 1 else ''} in {imported.source}:")
    verb = {"added": "added", "replaced": "replaces the dates imported before"}
    for change in imported.changes:
        year = change.year
        what = verb.get(change.change, "unchanged")
        if change.shipped and change.change != "unchanged":
            what += f" (overrides the shipped {change.shipped})"
        lines.append(
            f"  {year.label}: {len(year.terms)} term{'s' if len(year.terms) != 1 else ''}, "
            f"{short_weekday_date(year.start, pad=True)} to "
            f"{short_weekday_date(year.end, pad=True)}: {what}"
        )
    if not imported.changed:
        lines.append("Nothing to change: these term dates are already recorded.")
    return "\n".join(lines)
