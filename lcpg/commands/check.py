"""``lcpg check``, ``lcpg history`` and ``lcpg rules``: the compliance report, the checks
recorded, and the rules behind them."""

from __future__ import annotations

from datetime import date

import click

from cli import ExitStatus, as_of_option, body_option, format_option, pass_app
from lcpg.bootstrap import App


@click.command("check")
@as_of_option("Check as of this date (default: today).")
@body_option("Only this body's findings (a slug such as lcpg-sevenoaks).")
@format_option("text", "json", "csv", "html", default="text")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning"]),
    help="Exit with status 3 when a finding this serious (or worse) is found.",
)
@click.option("--record", is_flag=True, help="Record this check, to compare next time.")
@pass_app
@click.pass_context
def check(
    ctx: click.Context,
    app: App,
    as_of: date,
    body: str | None,
    fmt: str,
    fail_on: str | None,
    record: bool,
) -> None:
    """Check the register against the blueprint's rules.

    Compares with the last check recorded before the date and says what is new and what was
    resolved since.
    """
    from lcpg.services.compliance import run_check
    from rules.findings import Severity
    from rules.reporters import render

    if record and body is not None:
        raise click.UsageError(
            "--record records the whole check (later checks and e-mails compare with it); "
            "leave out --body."
        )
    result = run_check(app, as_of, body, record)
    click.echo(render(result.report, fmt, result.comparison), nl=False)  # ends with one already
    if result.recorded is not None:
        click.echo(f"Recorded as check {result.recorded}.", err=True)
    worst = result.report.worst
    if fail_on is not None and worst is not None and worst.rank >= Severity(fail_on).rank:
        ctx.exit(ExitStatus.FOUND)


@click.group(invoke_without_command=True)
@format_option("table", "json", "csv")
@pass_app
@click.pass_context
def history(ctx: click.Context, app: App, fmt: str) -> None:
    """Recorded checks (`lcpg check --record`): list them, or show one as it was."""
    if ctx.invoked_subcommand is not None:
        return
    from lcpg.output import render
    from lcpg.services.compliance import recorded_checks

    rows = [
        {
            "check": run.id,
            "as_of": run.as_of,
            "recorded_at": f"{run.recorded_at:%Y-%m-%d %H:%M} UTC",
            **{s: run.counts.get(s, 0) for s in ("error", "warning", "info")},
        }
        for run in recorded_checks(app)
    ]
    click.echo(render(rows, ["check", "as_of", "recorded_at", "error", "warning", "info"], fmt))


@history.command("show")
@click.argument("check_id", metavar="CHECK", type=int)
@format_option("text", "json", "csv", "html", default="text")
@pass_app
def history_show(app: App, check_id: int, fmt: str) -> None:
    """Show recorded check CHECK exactly as it was found."""
    from lcpg.services.compliance import recorded_check
    from rules.reporters import render

    click.echo(render(recorded_check(app, check_id), fmt), nl=False)


@click.command("rules")
@format_option("table", "json", default="table")
@pass_app
def rules(app: App, fmt: str) -> None:
    """List every compliance rule with its severity, the bodies it applies to and its clause."""
    from lcpg.output import render
    from lcpg.services.compliance import rules_of

    rows = [
        {
            "id": rule.id,
            "severity": settings.severity.value if settings else "off",
            "applies_to": settings.applies_to if settings else rule.applies_to,
            "what it flags": rule.title,
            "clause": settings.clause if settings else "",
        }
        for rule, settings in rules_of(app)
    ]
    columns = ["id", "severity", "applies_to", "what it flags"]
    click.echo(render(rows, [*columns, "clause"] if fmt == "json" else columns, fmt))
