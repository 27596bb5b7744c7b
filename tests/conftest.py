"""Fixtures shared by every tier.

``database_url`` runs a test against SQLite always and against PostgreSQL too whenever
``LCPG_TEST_DATABASE_URL`` is set, with the same test code. Each PostgreSQL test gets a schema
of its own (dropped afterwards), so tests neither see nor disturb each other's data.
``module_database_url`` is the same with one database per module, for tests that leave it as
they found it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from lcpg.blueprints import KENT
from lcpg.bootstrap import App, Settings
from lcpg.domain.blueprint import Blueprint, load_blueprint

PG_ENV = "LCPG_TEST_DATABASE_URL"
FIXTURES = Path(__file__).with_name("fixtures")


def _backends() -> list[str]:
    return ["sqlite", "postgresql"] if os.environ.get(PG_ENV) else ["sqlite"]


@pytest.fixture(scope="session")
def kent() -> Blueprint:
    return load_blueprint(KENT)


@contextmanager
def _empty_database(backend: str, folder: Path) -> Iterator[str]:
    """A URL for an empty database: a SQLite file in ``folder``, or a PostgreSQL schema of its
    own (dropped afterwards)."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'lcpg.db'}"
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


@pytest.fixture(params=_backends())
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL for an empty database of each backend under test."""
    with _empty_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture(scope="module", params=_backends())
def module_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Like ``database_url``, but one database per module and backend: for tests that each
    prove they left it exactly as they found it (see ``tests.database_dump``)."""
    with _empty_database(request.param, tmp_path_factory.mktemp("database")) as url:
        yield url


DEMO_TODAY = date(2026, 11, 22)


class PinnedApp(App):
    """The app with its clock pinned to the demo's date, so tests see the same "today"."""

    def today(self) -> date:
        return DEMO_TODAY


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[App]:
    """The demo register, loaded as of ``DEMO_TODAY`` into each database under test, with
    the app's clock pinned to that date. (Modules needing a bare database use ``empty_app``.)"""
    from lcpg.services.demo import run_demo

    app = PinnedApp(Settings.resolve(database_url=database_url))
    run_demo(app, DEMO_TODAY, tmp_path / "demo")
    yield app
    app.close()


@pytest.fixture
def empty_app(database_url: str) -> Iterator[App]:
    """An app on each database under test, set up (schema and the blueprint's bodies) but
    holding no register."""
    from lcpg.services.register import init_database

    app = App(Settings.resolve(database_url=database_url))
    init_database(app)
    yield app
    app.close()


DATABASE_FIXTURES = frozenset({"database_url", "module_database_url"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A test that takes a database is an integration test, whichever folder it is in, so that
    # the PostgreSQL run of CI (`-m integration`) cannot miss one.
    for item in items:
        if DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.integration)
