"""``lcpg demo``: the fictional Kent register, or a synthetic national one, and what it shows."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cli import as_of_option, pass_app
from lcpg.bootstrap import App

if TYPE_CHECKING:
    from lcpg.services.demo import DemoResult
    from lcpg.services.national_demo import NationalDemoResult


@click.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("lcpg-demo"),
    show_default=True,
    help="Folder for the files the demo writes.",
)
@as_of_option("Build the demo history up to this date (default: today).")
@click.option(
    "--years",
    type=click.IntRange(1, 50),
    help="Years of meeting history to build (default: 2).",
)
@click.option(
    "--scale",
    "counties",
    type=click.IntRange(1, 999),
    metavar="COUNTIES",
    help="Build a synthetic national register of this many counties instead (see above).",
)
@pass_app
def demo(app: App, out: Path, as_of: date, years: int | None, counties: int | None) -> None:
    """Load the fictional Kent demo register (if the database is empty) and show it.

    With --scale COUNTIES, fill an empty database with a synthetic national register instead:
    COUNTIES copies of the blueprint's districts (slugs c001-ashford, ...), each with the
    demo's members, roles, meetings and attendance over --years (default 2). The synthetic
    blueprint is written to OUT/national-COUNTIES.toml: the database does not record it, so
    pass it to every later command (--blueprint, or LCPG_BLUEPRINT). The demo then saves next
    year's plan, records a compliance check and writes OUT/compliance.html, the feeds
    (OUT/feeds/) and the register as CSV files (OUT/register/). It draws no year-at-a-glance
    calendar and composes no e-mails (one row or message per district). 150 counties over ten
    years take several minutes and a few GiB of memory. A database that already holds a
    register is refused.
    """
    if counties is not None:
        from lcpg.services.national_demo import run_national_demo

        result = run_national_demo(app, as_of, counties, years or 2, out)
        click.echo(national_demo_report(result))
        return
    from lcpg.services.demo import run_demo

    click.echo(demo_report(run_demo(app, as_of, out, years=years)))


def demo_report(result: DemoResult) -> str:
    """What the demo loaded and wrote, where, and what to try next."""
    from lcpg.output import counted, render

    lines = [f"lcpg demo, as of {result.today.isoformat()}", ""]
    lines.append(f"  database   {result.database}")
    lines.append(f"  blueprint  {result.blueprint}")
    if result.loaded is not None:
        added = {kind: c["added"] for kind, c in result.loaded.changes.summary().items()}
        lines.append(f"  register   loaded the fictional demo register: {counted(added)}")
    else:
        lines.append("  register   already holds data, so the demo register was not loaded")
    if result.planned is not None:
        lines.append(
            f"  plan       {len(result.planned.added)} meetings planned for "
            f"{result.next_year} and saved "
            "(`lcpg plan --year` shows why each sits where it does)"
        )
    lines.append(
        f"  calendar   {result.calendar.path}  (the year at a glance; open it in a browser, "
        "prints on one A4 page)"
    )
    counts = result.findings
    lines.append(
        f"  check      {result.compliance}  ({counts['error']} errors, {counts['warning']} "
        f"warnings, {counts['info']} info as of {result.today.isoformat()}; `lcpg check`)"
    )
    lines.append(
        f"  feeds      {result.feeds / 'index.html'}  ({result.feed_count} calendar feeds to "
        "subscribe to; `lcpg ics export`)"
    )
    lines.append(
        f"  e-mails    {result.outbox}  ({result.emails_sent} compliance e-mails for this week, "
        "as .eml files; `lcpg email preview`)"
    )
    lines.append(
        f"  workbook   {result.workbook}  (the register as a spreadsheet; "
        "`lcpg import` reads it back)"
    )
    if result.scenarios:
        lines += ["", "What the demo register shows (fictional people, example.org addresses):"]
        lines += [f"  - {scenario}" for scenario in result.scenarios]
    lines += ["", f"LCPG meetings held in the 12 months to {result.today.isoformat()}:", ""]
    lines.append(
        render(
            [
                {
                    "body": s.body,
                    "held": s.held,
                    "cancelled": s.cancelled,
                    "last held": s.last_held,
                    "longest gap (days)": s.longest_gap_days,
                }
                for s in result.standings
            ],
            ["body", "held", "cancelled", "last held", "longest gap (days)"],
            "table",
        )
    )
    lines += [
        "",
        "Look around:",
        "  lcpg bodies list",
        f"  lcpg plan --year {result.next_year}",
        "  lcpg check --body lcpg-sevenoaks",
        f"  lcpg members list --body {result.example_bodies[0]}",
        f"  lcpg meetings list --body {result.example_bodies[1]} --status held",
        f"  lcpg export {result.workbook.parent / 'register-csv'}",
    ]
    return "\n".join(lines)


def national_demo_report(result: NationalDemoResult) -> str:
    """What the national demo loaded and wrote, and how to point later commands at it."""
    from lcpg.output import counted

    added = {kind: c["added"] for kind, c in result.loaded.changes.summary().items()}
    counts = result.findings
    blueprint = result.blueprint_path.resolve()
    lines = [
        f"lcpg demo --scale {result.counties} --years {result.years}, "
        f"as of {result.today.isoformat()}",
        "",
        f"  blueprint  {result.blueprint_path}  ({result.blueprint}: "
        f"{result.districts:,} districts)",
        f"  database   {result.database}",
        f"  register   loaded a synthetic register: {counted(added)}",
        f"  plan       {len(result.planned.added):,} meetings planned for {result.next_year} "
        "and saved",
        f"  check      {result.compliance}  ({counts['error']:,} errors, "
        f"{counts['warning']:,} warnings, {counts['info']:,} info as of "
        f"{result.today.isoformat()}; recorded)",
        f"  feeds      {result.feeds / 'index.html'}  ({result.feed_count:,} calendar feeds)",
        f"  workbook   {result.workbook}  (the register as CSV files, which `lcpg import` "
        "reads back; an .xlsx sheet holds at most 1,048,576 rows)",
        "  not done   the year-at-a-glance calendar and this week's e-mails (one row or message",
        "             per district): `lcpg calendar` and `lcpg email preview` make them",
        "",
        "The database does not record the synthetic blueprint: point every later command at it,",
        f"  export LCPG_BLUEPRINT={blueprint}",
        "or pass it each time:",
        f"  lcpg --blueprint {blueprint} check",
        f"  lcpg --blueprint {blueprint} plan --year {result.next_year}",
        f"  lcpg --blueprint {blueprint} ics export --out feeds",
        "(with the same --db or LCPG_DATABASE_URL as this run).",
    ]
    return "\n".join(lines)
