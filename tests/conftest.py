"""Fixtures shared by every tier.

``database_url`` runs a test against SQLite always and against PostgreSQL too whenever
``LCPG_TEST_DATABASE_URL`` is set, with the same test code. Each PostgreSQL test gets a schema
of its own (dropped afterwards), so tests neither see nor disturb each other's data.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from blueprints import KENT
from bootstrap import App, Settings
from domain.blueprint import Blueprint, load_blueprint

PG_ENV = "LCPG_TEST_DATABASE_URL"
FIXTURES = Path(__file__).with_name("fixtures")


def _backends() -> list[str]:
    return ["sqlite", "postgresql"] if os.environ.get(PG_ENV) else ["sqlite"]


@pytest.fixture(scope="session")
def kent() -> Blueprint:
    return load_blueprint(KENT)


@pytest.fixture(params=_backends())
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL for an empty database of each backend under test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'lcpg.db'}"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(os.environ[PG_ENV])
    schema = f"lcpg_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False
        )
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


DEMO_TODAY = date(2026, 11, 22)


class PinnedApp(App):
    """The app with its clock pinned to the demo's date, so tests see the same "today"."""

    def today(self) -> date:
        return DEMO_TODAY


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[App]:
    """The demo register, loaded as of ``DEMO_TODAY`` into each database under test, with
    the app's clock pinned to that date. (Modules needing a bare database define their own.)"""
    from services.demo import run_demo

    app = PinnedApp(Settings.resolve(database_url=database_url))
    run_demo(app, DEMO_TODAY, tmp_path / "demo")
    yield app
    app.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A test that takes a database is an integration test, whichever folder it is in, so that
    # the PostgreSQL run of CI (`-m integration`) cannot miss one.
    for item in items:
        if "database_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.integration)
