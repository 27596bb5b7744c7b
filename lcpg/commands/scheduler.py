"""``lcpg scheduler``: the weekly e-mails and nightly feed export, on a schedule."""

from __future__ import annotations

import click

from cli import format_option, pass_app
from lcpg.bootstrap import App


@click.group()
def scheduler() -> None:
    """The weekly e-mails and nightly feed export, on a schedule."""


@scheduler.command("run")
@pass_app
def scheduler_run(app: App) -> None:
    """Run the schedule in the foreground until stopped (SIGTERM or Ctrl-C): the form a
    service manager runs. Start only one."""
    from lcpg.services.scheduling import run_scheduler

    run_scheduler(app)


@scheduler.command("status")
@format_option("table", "json")
@pass_app
def scheduler_status(app: App, fmt: str) -> None:
    """Show the scheduled jobs and when each runs next."""
    from lcpg.output import render
    from lcpg.services.scheduling import status

    jobs = status(app)
    rows = [
        {"job": j.id, "what": j.name, "when": j.trigger, "next_run": j.next_run_time} for j in jobs
    ]
    if not jobs and fmt == "table":
        click.echo(
            "No scheduler has run on this database yet: start one with `lcpg scheduler run`."
        )
        return
    click.echo(render(rows, ["job", "what", "when", "next_run"], fmt))
