"""``lcpg plan``: the year's cycle, as a table or JSON, and what saving it changed."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING

import click

from cli import ExitStatus, as_of_option, format_option, pass_app
from lcpg.bootstrap import App
from lcpg.commands.params import YEAR, ChwbDateTime
from lcpg.domain.wording import day_month, moment, short_weekday, short_weekday_date

if TYPE_CHECKING:
    from cycle.planner import Plan
    from lcpg.services.planning import PlanResult, SaveResult


@click.command()
@click.option("--year", type=YEAR, required=True, help="The year to plan.")
@click.option(
    "--chwb",
    "chwb",
    type=ChwbDateTime(),
    multiple=True,
    help="A CHWB date of the year (repeat for each); default: the register, else the rule.",
)
@click.option("--save", is_flag=True, help="Write the plan as planned meetings.")
@as_of_option("Plan as if today were this date: nothing is placed on or before it.")
@click.option("--strict", is_flag=True, help="Exit with status 3 when the plan has problems.")
@format_option("table", "json")
@pass_app
@click.pass_context
def plan(
    ctx: click.Context,
    app: App,
    year: int,
    chwb: tuple[date, ...],
    save: bool,
    as_of: date,
    strict: bool,
    fmt: str,
) -> None:
    """Plan the year's cycle: CHWB, then every LCPG, then the Chairs Group."""
    from lcpg.services.planning import make_plan, save_plan

    usual = app.blueprint.cadence.chwb_first.time()
    given = tuple(d if isinstance(d, datetime) else datetime.combine(d, usual) for d in chwb)
    outside = [d.date().isoformat() for d in given if d.year != year]
    if outside:
        raise click.BadParameter(f"not in {year}: {', '.join(outside)}", param_hint="--chwb")
    result = make_plan(app, year, given, as_of)
    saved = save_plan(app, result.plan) if save else None
    if fmt == "json":
        click.echo(plan_json(result.plan, app.blueprint.zone))
    else:
        click.echo(plan_table(result))
    if saved is not None:
        click.echo(saved_report(saved), err=fmt == "json")
    if strict and result.plan.problems:
        ctx.exit(ExitStatus.FOUND)


def plan_json(plan: Plan, zone: tzinfo) -> str:
    """The plan as DESIGN.md section 6 fixes it: times in ISO 8601 with their UTC offset."""
    import json

    def stamp(moment: datetime) -> str:
        return moment.replace(tzinfo=zone).isoformat(timespec="minutes")

    return json.dumps(
        {
            "year": plan.year,
            "meetings": [
                {
                    "body": m.body,
                    "start": stamp(m.start),
                    "end": stamp(m.end),
                    "cycle": m.cycle.isoformat() if m.cycle else None,
                    "reason": m.reason,
                }
                for m in plan.meetings
            ],
            "problems": [
                {
                    "body": p.body,
                    "cycle": p.cycle.isoformat() if p.cycle else None,
                    "message": p.message,
                    "closest": p.closest.isoformat() if p.closest else None,
                }
                for p in plan.problems
            ],
        },
        indent=2,
        ensure_ascii=False,
    )


def plan_table(result: PlanResult) -> str:
    """The plan as a table, each meeting with its reason, then its problems and notes."""
    from lcpg.output import render

    plan = result.plan
    sources = sorted({d.source for d in result.chwb if d.start.year == plan.year})
    lines = [f"Plan for {plan.year} (CHWB dates from {', '.join(sources) or 'nowhere'}):", ""]
    rows = [
        {
            "cycle": m.cycle,
            "body": m.body,
            "when": f"{short_weekday(m.start)} {m.start:%Y-%m-%d %H:%M}",
            "action": m.placement.value
            + (f" from {day_month(m.previous_start, pad=True)}" if m.previous_start else ""),
            "reason": m.reason,
        }
        for m in plan.meetings
    ]
    lines.append(render(rows, ["cycle", "body", "when", "action", "reason"], "table"))
    if plan.problems:
        lines += ["", f"Problems ({len(plan.problems)}):"]
        for p in plan.problems:
            cycle = f"cycle of CHWB {p.cycle.isoformat()}, " if p.cycle else ""
            closest = (
                f" Closest legal option: {short_weekday_date(p.closest, pad=True)}."
                if p.closest
                else ""
            )
            lines.append(f"  {p.body} ({cycle.rstrip(', ') or 'no cycle'}): {p.message}.{closest}")
    else:
        lines += ["", "No problems: every meeting follows the blueprint."]
    lines += [f"Note: {note}" for note in plan.notes]
    return "\n".join(lines)


def saved_report(saved: SaveResult) -> str:
    """What saving the plan changed, each moved meeting from and to."""
    lines = [
        f"Saved: {len(saved.added)} new, {len(saved.moved)} moved, {saved.unchanged} unchanged, "
        f"{saved.kept} held or confirmed left as they are."
    ]
    lines += [
        f"  moved {m.body}: {moment(m.previous_start, pad=True, year=False)} -> "
        f"{moment(m.start, pad=True, year=False)}"
        for m in saved.moved
        if m.previous_start is not None
    ]
    return "\n".join(lines)
