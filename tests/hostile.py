"""The demo register with a hostile name in it, for the security tests of e-mails and pages."""

from __future__ import annotations

import shutil
from pathlib import Path

from lcpg.blueprints import KENT
from lcpg.bootstrap import App, Settings
from lcpg.domain.model import Person
from lcpg.domain.register import Register
from tests.conftest import DEMO_TODAY, PinnedApp

GRAVESHAM_LCPG = "lcpg-gravesham"


def demo_with_gravesham_named(database_url: str, folder: Path, name_line: str) -> App:
    """The demo loaded into ``database_url`` under a copy of the Kent blueprint (written into
    ``folder`` with its term dates) whose ``name = "Gravesham"`` line is ``name_line``; the
    app, with its clock pinned to the demo's date."""
    from lcpg.services.demo import run_demo

    blueprint = folder / "kent.toml"
    shutil.copytree(KENT.parent / "terms", folder / "terms")  # the term dates it names
    text = KENT.read_text(encoding="utf-8").replace('name = "Gravesham"', name_line, 1)
    blueprint.write_text(text, encoding="utf-8")
    app = PinnedApp(Settings.resolve(database_url=database_url, blueprint_path=blueprint))
    run_demo(app, DEMO_TODAY, folder / "demo")
    return app


def gravesham_chair(register: Register) -> Person:
    """The Gravesham LCPG's chair on the demo's date."""
    (chair,) = register.role_holders(GRAVESHAM_LCPG, "chair", DEMO_TODAY)
    return next(p for p in register.people if p.email == chair.email)
