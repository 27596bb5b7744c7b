"""Threat: a secret left in the database (SECURITY.md). The scheduler's job store is a table
of the register's own database; its rows hold no database URL, so no password, and rows that
an older lcpg stored with one are rewritten when the scheduler starts.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from sqlalchemy import select, update
from sqlalchemy.engine import make_url

from lcpg.bootstrap import App, Settings
from lcpg.notify.scheduler import (
    JOBS_TABLE,
    WEEKLY_SEND,
    SafeShutdownScheduler,
    ScheduleSettings,
    build_scheduler,
    scheduler_status,
)
from lcpg.services.register import init_database
from lcpg.store.database import make_engine

PASSWORD = "J0b-St0re-S3cret"


@pytest.fixture
def url(database_url: str) -> Iterator[str]:
    """The database under test, reached with a URL that holds a password (PostgreSQL's trust
    authentication accepts any; SQLite has none, so its file path stands in for the secret)."""
    parsed = make_url(database_url)
    if parsed.get_backend_name() == "postgresql":
        database_url = parsed.set(password=PASSWORD).render_as_string(hide_password=False)
    app = App(Settings.resolve(database_url=database_url))
    init_database(app)
    app.close()
    yield database_url


def secrets_of(url: str) -> list[str]:
    parsed = make_url(url)
    return [PASSWORD] if parsed.password else [str(parsed.database)]


def stored_states(url: str) -> list[str]:
    """Each stored job's state, unpickled, as text (and the raw bytes, in case)."""
    engine = make_engine(url)
    try:
        table = SQLAlchemyJobStore(engine=engine, tablename=JOBS_TABLE).jobs_t
        with engine.connect() as connection:
            rows = connection.execute(select(table.c.job_state)).scalars().all()
    finally:
        engine.dispose()
    return [f"{pickle.loads(blob)!r} {bytes(blob)!r}" for blob in rows]


def far_settings(tmp_path: Path) -> ScheduleSettings:
    return ScheduleSettings(
        weekly_cron="0 7 * * mon", nightly_cron="30 2 * * *", feeds_dir=str(tmp_path / "feeds")
    )


def test_the_stored_jobs_hold_no_database_url(url: str, tmp_path: Path) -> None:
    scheduler = build_scheduler(url, "lcpg/blueprints/kent.toml", far_settings(tmp_path))
    scheduler.start(paused=True)
    scheduler.shutdown()
    states = stored_states(url)
    assert len(states) == 2
    for state in states:
        for secret in secrets_of(url):
            assert secret not in state


def test_jobs_stored_with_the_url_by_an_older_lcpg_are_rewritten_on_start(
    url: str, tmp_path: Path
) -> None:
    # What lcpg stored before: the URL among the weekly job's arguments, its run due an hour
    # ago. (Written into the pickled state: APScheduler would refuse the old arguments now.)
    settings = far_settings(tmp_path)
    due = datetime.now(UTC) - timedelta(hours=1)
    earlier = build_scheduler(url, "lcpg/blueprints/kent.toml", settings, SafeShutdownScheduler)
    earlier.start(paused=True)
    earlier.modify_job(WEEKLY_SEND, next_run_time=due)
    earlier.shutdown()
    engine = make_engine(url)
    table = SQLAlchemyJobStore(engine=engine, tablename=JOBS_TABLE).jobs_t
    with engine.begin() as connection:
        blob = connection.execute(
            select(table.c.job_state).where(table.c.id == WEEKLY_SEND)
        ).scalar_one()
        state = pickle.loads(blob)
        state["args"] = (url, "lcpg/blueprints/kent.toml")
        connection.execute(
            update(table).where(table.c.id == WEEKLY_SEND).values(job_state=pickle.dumps(state))
        )
    engine.dispose()
    assert any(secrets_of(url)[0] in state for state in stored_states(url))

    scheduler = build_scheduler(url, "lcpg/blueprints/kent.toml", settings, SafeShutdownScheduler)
    scheduler.start(paused=True)
    scheduler.shutdown()
    for state in stored_states(url):
        assert secrets_of(url)[0] not in state
    # The run that was due is still due: rewriting the row kept it.
    weekly = next(s for s in scheduler_status(url) if s.id == WEEKLY_SEND)
    assert weekly.next_run_time == due
