"""``lcpg demo``: set up the database, load the fictional Kent register, and show it."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from lcpg.bootstrap import App
from lcpg.domain.model import Body, BodyKind, MeetingStatus
from lcpg.errors import LcpgError
from lcpg.services.calendar import CalendarResult, write_text, write_year_calendar
from lcpg.services.compliance import run_check
from lcpg.services.email_preview import email_settings_from, preview_week
from lcpg.services.feeds import export_feeds
from lcpg.services.planning import SaveResult, make_plan, save_plan
from lcpg.services.public_url import resolve_public_urls
from lcpg.services.register import (
    WriteResult,
    export_register,
    init_database,
    load_register,
    write_incoming,
)
from rules.findings import Severity
from rules.reporters import render


@dataclass(frozen=True)
class MeetingStanding:
    """Plain facts about one body's meetings over the last twelve months."""

    body: str
    held: int
    cancelled: int
    last_held: date | None
    longest_gap_days: int | None


@dataclass(frozen=True)
class DemoResult:
    today: date
    database: str
    blueprint: str
    loaded: WriteResult | None
    next_year: int
    planned: SaveResult | None
    """Next year's plan, saved when the demo register was loaded by this run."""
    calendar: CalendarResult
    compliance: Path
    """The compliance report as of ``today`` (HTML)."""
    feeds: Path
    """The calendar feeds' folder (its index.html lists them)."""
    outbox: Path
    """This week's compliance e-mails, as .eml files."""
    emails_sent: int
    feed_count: int
    findings: dict[str, int]
    """Finding counts by severity."""
    scenarios: tuple[str, ...]
    workbook: Path
    standings: tuple[MeetingStanding, ...]
    example_bodies: tuple[str, str]
    """Two LCPGs worth looking at: one with co-chairs, one that meets quarterly (when the
    blueprint has the Kent districts that carry those scenarios; else its first LCPG)."""


def run_demo(
    app: App,
    today: date,
    out: Path,
    base_url: str | None = None,
    years: int | None = None,
) -> DemoResult:
    """Create or upgrade the database; load the demo register (``years`` of history up to
    ``today``, two unless given) if the register is empty, save a plan for next year and
    record a compliance check; write next year's calendar, the compliance report as of
    ``today``, the calendar feeds (linked from ``base_url``, default the feeds' public address,
    ``lcpg.services.public_url``) and the register as a workbook
    into ``out``; gather a year of meeting facts per LCPG.

    A register that already holds data is never changed: the demo then only reports it.
    """
    from lcpg.demo import CO_CHAIR_DISTRICT, DEMO_SCENARIOS, QUARTERLY_DISTRICT, build_demo_register
    from lcpg.demo.scenarios import HISTORY_YEARS

    init_database(app)
    loaded = None
    if load_register(app).is_empty:
        try:
            incoming = build_demo_register(app.blueprint, today, years or HISTORY_YEARS)
        except ValueError as exc:
            # The blueprint loaded, but its cycle is too tight for the demo's meeting pattern.
            raise LcpgError(
                f"the demo cannot build a register for {app.settings.blueprint_path}: {exc}"
            ) from None
        loaded = write_incoming(app, incoming, "the demo register", dry_run=False)
        save_preferences(app, incoming.bodies)
    next_year = today.year + 1
    planned = None
    if loaded is not None:
        planned = save_plan(app, make_plan(app, next_year, today=today).plan)
    calendar = write_year_calendar(app, next_year, out / f"calendar-{next_year}.html", today)
    checked = run_check(app, today, record=loaded is not None)
    compliance = out / "compliance.html"
    write_text(compliance, render(checked.report, "html"))
    urls = resolve_public_urls(app)
    feeds = export_feeds(app, out / "feeds", base_url or urls.feeds)
    # This week's e-mails, composed into the demo's outbox folder as .eml files: written, not
    # sent (the outbox table, which `lcpg email send` uses, is left alone), so links to this
    # machine are fine here.
    emails = preview_week(app, None, today, None, out / "outbox", email_settings_from(urls=urls))
    workbook = out / "register.xlsx"
    export_register(app, workbook)
    register = load_register(app)
    year_ago = today - timedelta(days=365)
    standings = []
    for body in register.bodies:
        if body.kind is not BodyKind.LCPG:
            continue
        recent = [m for m in register.meetings_of(body.slug) if year_ago < m.start.date() <= today]
        held = [m.start.date() for m in recent if m.status is MeetingStatus.HELD]
        gaps = [(later - earlier).days for earlier, later in itertools.pairwise(held)]
        standings.append(
            MeetingStanding(
                body=body.slug,
                held=len(held),
                cancelled=sum(1 for m in recent if m.status is MeetingStatus.CANCELLED),
                last_held=held[-1] if held else None,
                longest_gap_days=max(gaps) if gaps else None,
            )
        )
    # The scenarios are written for Kent's districts: say only what this register holds.
    slugs = {body.slug for body in register.bodies}
    lcpgs = [body.slug for body in register.bodies if body.kind is BodyKind.LCPG]

    def example(district: str) -> str:
        slug = f"lcpg-{district}"
        return slug if slug in slugs else (lcpgs[0] if lcpgs else "chwb")

    return DemoResult(
        today=today,
        database=app.database_name,
        blueprint=app.blueprint.name,
        loaded=loaded,
        next_year=next_year,
        planned=planned,
        calendar=calendar,
        compliance=compliance,
        feeds=out / "feeds",
        outbox=out / "outbox",
        emails_sent=len(emails),
        feed_count=len(feeds),
        findings={s.value: checked.report.summary()[s.value] for s in Severity},
        scenarios=tuple(s.description for s in DEMO_SCENARIOS if s.body in slugs) if loaded else (),
        workbook=workbook,
        standings=tuple(standings),
        example_bodies=(example(CO_CHAIR_DISTRICT), example(QUARTERLY_DISTRICT)),
    )


def save_preferences(app: App, bodies: tuple[Body, ...]) -> None:
    """Record the demo districts' meeting slots as their bodies' planning preferences (the
    demo's meetings were placed on them)."""
    with app.unit_of_work(write=True) as uow:
        for body in bodies:
            if body.preferred_weekday is not None:
                uow.register.set_body_preferences(
                    body.slug,
                    weekday=body.preferred_weekday,
                    time=body.preferred_time,
                    venue=body.venue,
                )
        uow.commit()
