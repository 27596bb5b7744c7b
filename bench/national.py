"""A synthetic national register: N counties of Kent's twelve districts, written to a database.

The blueprint is Kent's with every district and Local HWB repeated per county (slugs prefixed
``c001-`` ...), so one database holds the whole country; the register is the demo's, over as
many years of history as asked. Used by the benchmarks of `lcpg check` at national scale.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from blueprints import KENT
from demo import build_demo_register
from domain.blueprint import Blueprint, load_blueprint
from domain.changes import plan_changes
from domain.register import Register
from store.database import make_engine
from store.migrate import upgrade
from store.repository import apply_changes, sync_bodies
from store.unit_of_work import UnitOfWork


def national_blueprint(counties: int, folder: Path) -> Path:
    """Write a blueprint of ``counties`` copies of Kent's districts and Local HWBs into
    ``folder``; return its path. Term-date files are copied beside it."""
    text = KENT.read_text(encoding="utf-8")
    kent = load_blueprint(KENT)
    # Drop Kent's own district and Local HWB tables, keep everything else.
    kept = re.sub(r"\[\[(districts|local_hwbs)\]\]\n(?:[^\[\n].*\n|\n)*", "", text)
    blocks = []
    for number in range(1, counties + 1):
        prefix = f"c{number:03d}"
        for district in kent.districts:
            blocks.append(
                f'[[districts]]\nslug = "{prefix}-{district.slug}"\n'
                f'name = "{district.name} ({prefix})"\n'
            )
        for hwb in kent.local_hwbs:
            members = ", ".join(f'"{prefix}-{d}"' for d in hwb.districts)
            blocks.append(
                f'[[local_hwbs]]\nslug = "{hwb.slug}-{prefix}"\nname = "{hwb.name} ({prefix})"\n'
                f"districts = [{members}]\n"
            )
    path = folder / "national.toml"
    # Array tables must come before the tables that follow them in TOML: put them first.
    header, _, rest = kept.partition("[cadence]")
    path.write_text(header + "\n".join(blocks) + "\n[cadence]" + rest, encoding="utf-8")
    terms = folder / "terms"
    terms.mkdir(exist_ok=True)
    for term_file in (KENT.parent / "terms").glob("*.toml"):
        (terms / term_file.name).write_text(term_file.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def build_national_database(url: str, blueprint: Blueprint, today: date, years: int) -> None:
    """Create the schema at ``url`` and write the national demo register into it."""
    register = build_demo_register(blueprint, today, years)
    engine = make_engine(url)
    upgrade(engine)
    with UnitOfWork(engine, write=True) as uow:
        sync_bodies(uow.session, blueprint.bodies_list())
        apply_changes(uow.session, plan_changes(Register(), register), datetime(2026, 11, 22))
        uow.commit()
    engine.dispose()
