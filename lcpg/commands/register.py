"""``lcpg import`` and ``lcpg export``: the register as a workbook or a folder of CSV files."""

from __future__ import annotations

from pathlib import Path

import click

from cli import pass_app
from lcpg.bootstrap import App


@click.command("import")
@click.argument("path", type=click.Path(exists=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the input and report what would change.")
@pass_app
def import_(app: App, path: Path, dry_run: bool) -> None:
    """Import a folder of CSV files or an .xlsx workbook: all of it, or nothing.

    PATH holds people, memberships, meetings and attendance (any of them). Records are added
    or updated by key, never deleted; importing the same data again changes nothing. Meetings
    are found by their id (as exported), else by body and start; a row that would give a body
    a second meeting in a cycle is refused.
    """
    from lcpg.output import change_report
    from lcpg.services.register import import_register

    click.echo(change_report(import_register(app, path, dry_run=dry_run)))


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
@pass_app
def export(app: App, path: Path) -> None:
    """Write the register to PATH: an .xlsx workbook, or else a folder of CSV files."""
    from lcpg.output import counted
    from lcpg.services.register import export_register

    result = export_register(app, path)
    click.echo(f"Exported {counted(result.counts)} to {path}.")
