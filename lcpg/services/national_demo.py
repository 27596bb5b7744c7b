"""``lcpg demo --scale COUNTIES``: a synthetic national register in an empty database.

The demo register of ``COUNTIES`` counties, each a copy of the configured blueprint's twelve
districts, over ``--years`` of history: for trying lcpg at national scale and for the
benchmarks (``bench/``), which build their registers with it. The database does not record
which blueprint it follows, so the synthetic blueprint is written into the output folder and
every later command must be pointed at it (``--blueprint`` or ``LCPG_BLUEPRINT``).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from lcpg.bootstrap import App
from lcpg.errors import LcpgError, OutputError
from lcpg.files import write_atomically
from lcpg.services.calendar import write_text
from lcpg.services.compliance import run_check
from lcpg.services.demo import save_preferences
from lcpg.services.feeds import export_feeds
from lcpg.services.planning import SaveResult, make_plan, save_plan
from lcpg.services.public_url import resolve_public_urls
from lcpg.services.register import WriteResult, export_register, init_database, write_incoming
from rules.findings import Severity
from rules.reporters import render


@dataclass(frozen=True)
class NationalDemoResult:
    today: date
    counties: int
    years: int
    database: str
    blueprint: str
    """The synthetic blueprint's name."""
    blueprint_path: Path
    """Where the synthetic blueprint was written: later commands need it."""
    districts: int
    loaded: WriteResult
    next_year: int
    planned: SaveResult
    compliance: Path
    findings: dict[str, int]
    """Finding counts by severity, as of ``today``."""
    feeds: Path
    feed_count: int
    workbook: Path
    """The register as a folder of CSV files."""


def write_national_blueprint(source: Path, counties: int, folder: Path) -> Path:
    """Write the blueprint of ``counties`` copies of ``source``'s districts into ``folder`` as
    ``national-<counties>.toml``, with ``source``'s term-date files beside it (under the same
    relative names); return its path.

    Raises ``BlueprintError`` when ``source`` or the result is not a valid blueprint and
    ``OutputError`` when ``folder`` cannot be written.
    """
    from lcpg.demo.national import national_blueprint_slug, national_blueprint_text
    from lcpg.domain.blueprint import load_blueprint

    blueprint = load_blueprint(source)  # validates the source before anything is written
    text = national_blueprint_text(tomllib.loads(source.read_text(encoding="utf-8")), counties)
    path = folder / f"{national_blueprint_slug(counties)}.toml"
    try:
        # Term-date files are named relative to their blueprint: keep the same names.
        for name in blueprint.planning.term_dates:
            write_atomically(folder / name, (source.parent / name).read_bytes())
        write_atomically(path, text.encode("utf-8"))
    except OSError as exc:
        raise OutputError(f"cannot write {folder}: {exc.strerror or exc}") from None
    load_blueprint(path)
    return path


def run_national_demo(
    app: App,
    today: date,
    counties: int,
    years: int,
    out: Path,
    base_url: str | None = None,
) -> NationalDemoResult:
    """Fill ``app``'s empty database with a synthetic register of ``counties`` copies of its
    blueprint's districts, ``years`` of history up to ``today``; save next year's plan; record
    a compliance check as of ``today``; write the synthetic blueprint, the compliance report
    (HTML), the calendar feeds and the register (CSV files) into ``out``.

    Raises ``LcpgError`` (before anything is written) when the database already holds a
    register or the bodies of another blueprint: this only ever fills an empty database.
    """
    from lcpg.demo import build_demo_register

    _require_empty(app)
    path = write_national_blueprint(app.settings.blueprint_path, counties, out)
    national = App(replace(app.settings, blueprint_path=path))
    try:
        init_database(national)
        incoming = build_demo_register(national.blueprint, today, years)
        loaded = write_incoming(
            national, incoming, f"a synthetic register of {counties} counties", dry_run=False
        )
        save_preferences(national, incoming.bodies)
        del incoming
        next_year = today.year + 1
        planned = save_plan(national, make_plan(national, next_year, today=today).plan)
        checked = run_check(national, today, record=True)
        compliance = out / "compliance.html"
        write_text(compliance, render(checked.report, "html"))
        feeds = export_feeds(
            national, out / "feeds", base_url or resolve_public_urls(national).feeds
        )
        # A CSV folder, not an .xlsx: a sheet holds at most 1,048,576 rows, and ten years of a
        # national register's attendance is about two million.
        workbook = out / "register"
        export_register(national, workbook)
        return NationalDemoResult(
            today=today,
            counties=counties,
            years=years,
            database=national.database_name,
            blueprint=national.blueprint.name,
            blueprint_path=path,
            districts=len(national.blueprint.districts),
            loaded=loaded,
            next_year=next_year,
            planned=planned,
            compliance=compliance,
            findings={s.value: checked.report.summary()[s.value] for s in Severity},
            feeds=out / "feeds",
            feed_count=len(feeds),
            workbook=workbook,
        )
    finally:
        national.close()


def _require_empty(app: App) -> None:
    """Refuse a database that holds any register: people, memberships, meetings, or bodies
    beyond the blueprint's three countywide ones (which every blueprint shares)."""
    from lcpg.store.database import sqlite_file
    from lcpg.store.schema_version import SchemaState, schema_state

    sqlite_path = sqlite_file(app.settings.database_url)
    if sqlite_path is not None and not sqlite_path.exists():
        return
    if schema_state(app.engine) is SchemaState.MISSING:
        return
    with app.unit_of_work() as uow:
        counts = uow.register.counts()
    countywide = (
        len(app.blueprint.bodies_list())
        - len(app.blueprint.districts)
        - len(app.blueprint.local_hwbs)
    )
    if (
        counts["people"]
        or counts["memberships"]
        or counts["meetings"]
        or (counts["bodies"] > countywide)
    ):
        held = ", ".join(f"{number:,} {name}" for name, number in counts.items() if number)
        what = "a register" if counts["people"] or counts["meetings"] else "another blueprint's"
        raise LcpgError(
            f"the database {app.database_name} already holds {what} ({held}); "
            "`lcpg demo --scale` only fills an empty database: give it a new one with --db "
            "(for example --db sqlite:///national.db)"
        )
