"""The store against a real database: schema creation and upgrade, bodies from the blueprint,
writing and reading the register, all-or-nothing transactions, SQLite settings."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from lcpg.bootstrap import App, Settings
from lcpg.domain.blueprint import Blueprint
from lcpg.domain.changes import plan_changes
from lcpg.domain.model import (
    Body,
    BodyKind,
    Membership,
    Person,
)
from lcpg.domain.register import Register
from lcpg.errors import DatabaseError
from lcpg.services.register import init_database, load_register
from lcpg.store.database import make_engine
from lcpg.store.migrate import head_revision, upgrade
from lcpg.store.schema import MembershipRow, PersonRow
from lcpg.store.schema_version import REVISIONS, SchemaState, schema_state
from lcpg.store.unit_of_work import UnitOfWork
from tests.samples import small_register

NOW = datetime(2026, 11, 22, 9, 0)


@pytest.fixture
def app(empty_app: App) -> App:
    """These tests start from an empty register."""
    return empty_app


def test_init_creates_schema_and_blueprint_bodies(app: App, kent: Blueprint) -> None:
    assert schema_state(app.engine) is SchemaState.CURRENT
    tables = set(inspect(app.engine).get_table_names())
    assert {
        "bodies",
        "people",
        "memberships",
        "meetings",
        "attendance",
        "alembic_version",
    } <= tables
    register = load_register(app)
    assert [b.slug for b in register.bodies] == [b.slug for b in kent.bodies_list()]


def test_init_again_changes_nothing(app: App) -> None:
    result = init_database(app)
    assert result.revision_before == result.revision_after == head_revision()
    assert result.bodies_added == () and result.bodies_updated == ()
    assert result.bodies_unchanged == 22


def test_sync_bodies_updates_a_renamed_body_and_keeps_old_ones(app: App, kent: Blueprint) -> None:
    from dataclasses import replace

    bodies = list(kent.bodies_list())
    bodies[0] = replace(bodies[0], name="Children's and Young People's Board")
    with UnitOfWork(app.engine, write=True) as uow:
        synced = uow.register.sync_bodies(bodies[:-1])
        uow.commit()
    assert synced.updated == ("chwb",) and synced.added == ()
    register = load_register(app)
    chwb = register.body("chwb")
    assert chwb is not None and chwb.name == "Children's and Young People's Board"
    assert register.body(bodies[-1].slug) is not None  # bodies dropped from a blueprint stay


def test_register_round_trips_through_the_database(app: App) -> None:
    incoming = small_register()
    with UnitOfWork(app.engine, write=True) as uow:
        uow.register.apply_changes(plan_changes(load_register(app), incoming), NOW)
        uow.commit()
    stored = load_register(app)
    assert stored.people == incoming.people
    assert stored.memberships == tuple(sorted(incoming.memberships, key=lambda m: m.email))
    assert stored.meetings == incoming.meetings
    assert stored.attendance == incoming.attendance
    assert plan_changes(stored, incoming).is_empty


def test_updates_keep_meeting_identity(app: App) -> None:
    incoming = small_register()
    with UnitOfWork(app.engine, write=True) as uow:
        uow.register.apply_changes(plan_changes(load_register(app), incoming), NOW)
        uow.commit()
    from dataclasses import replace

    moved_venue = replace(incoming.meetings[0], venue="Council Offices, Sevenoaks")
    changes = plan_changes(load_register(app), Register(meetings=(moved_venue,)))
    assert changes.meetings.updated == 1
    with UnitOfWork(app.engine, write=True) as uow:
        uow.register.apply_changes(changes, NOW)
        uow.commit()
    (meeting,) = load_register(app).meetings
    assert meeting.id == incoming.meetings[0].id
    assert meeting.venue == "Council Offices, Sevenoaks"


def test_unit_of_work_without_commit_writes_nothing(app: App) -> None:
    with UnitOfWork(app.engine, write=True) as uow:
        uow.register.apply_changes(plan_changes(load_register(app), small_register()), NOW)
        uow.session.flush()
    assert load_register(app).is_empty


def test_failure_midway_rolls_everything_back(app: App) -> None:
    with pytest.raises(IntegrityError), UnitOfWork(app.engine, write=True) as uow:
        uow.register.apply_changes(plan_changes(load_register(app), small_register()), NOW)
        # A second person with the same e-mail breaks the unique key after real writes.
        uow.session.add(PersonRow(email="ada.finch@example.org", name="Duplicate", organisation=""))
        uow.session.flush()
        uow.commit()
    assert load_register(app).is_empty


def test_commands_refuse_a_database_that_was_never_initialised(database_url: str) -> None:
    app = App(Settings.resolve(database_url=database_url))
    with pytest.raises(DatabaseError, match="not set up yet: run `lcpg init`"):
        app.unit_of_work()
    app.close()


def test_upgrade_from_nothing_reports_revisions(database_url: str) -> None:
    engine = make_engine(database_url)
    assert schema_state(engine) is SchemaState.MISSING
    assert upgrade(engine) == (None, head_revision())
    assert upgrade(engine) == (head_revision(), head_revision())
    engine.dispose()


def test_database_made_by_a_newer_lcpg_is_refused(app: App) -> None:
    with app.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffff'"))
    fresh = App(app.settings)
    with pytest.raises(DatabaseError, match="made by a newer lcpg"):
        fresh.unit_of_work()
    fresh.close()


def test_sqlite_is_tuned_for_a_shared_file(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    engine.dispose()


def test_the_busy_timeout_is_configurable_in_seconds(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}", busy_timeout=2.5)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 2500
    engine.dispose()


def test_a_writer_is_told_when_it_has_to_wait_for_the_lock(tmp_path) -> None:
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from lcpg.store.database import database_failure

    url = f"sqlite:///{tmp_path / 'x.db'}"
    waits: list[float] = []
    engine = make_engine(url, busy_timeout=0.2, on_lock_wait=waits.append)
    upgrade(engine)
    with UnitOfWork(engine, write=True) as uow:  # nobody else writes: no wait
        uow.commit()
    assert waits == []
    holder = sqlite3.connect(tmp_path / "x.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(OperationalError) as caught, UnitOfWork(engine, write=True) as uow:
            uow.commit()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert waits == [0.2]
    failure = database_failure(caught.value, url, 0.2)
    assert failure is not None and "is locked" in str(failure)
    assert "more than 0.2 seconds, so the change was not written" in str(failure)
    with UnitOfWork(engine) as uow:
        before = uow.register.version()
    with UnitOfWork(engine, write=True) as uow:  # the lock released, the same engine writes
        uow.register.sync_bodies([Body("lcpg-new", "New LCPG", BodyKind.LCPG, "new")])
        uow.commit()
    with UnitOfWork(engine) as uow:
        assert uow.register.version() != before
    engine.dispose()


def test_a_lost_database_is_told_by_the_driver_s_first_line_only() -> None:
    from sqlalchemy.exc import OperationalError

    from lcpg.store.database import database_failure

    url = "postgresql+psycopg://lcpg:s3cret@db.example.org/lcpg"
    lost = OperationalError(
        "SELECT email FROM people WHERE email = %(email)s",
        {"email": "ada.finch@example.org"},
        Exception("server closed the connection unexpectedly\n\tThis probably means ..."),
    )
    failure = database_failure(lost, url, 30)
    assert str(failure) == (
        "cannot use the database postgresql+psycopg://lcpg:***@db.example.org/lcpg: "
        "server closed the connection unexpectedly"
    )
    assert database_failure(RuntimeError("a bug"), url, 30) is None


def test_unknown_person_in_attendance_is_refused_by_foreign_key(app: App) -> None:
    with pytest.raises(IntegrityError), UnitOfWork(app.engine, write=True) as uow:
        uow.session.execute(
            text(
                "INSERT INTO attendance (meeting_id, person_id, status) "
                "VALUES ('no-such-meeting', 999, 'present')"
            )
        )
        uow.session.flush()
    with UnitOfWork(app.engine) as uow:
        assert uow.session.scalars(select(PersonRow)).all() == []


def test_migrations_match_the_orm_schema(app: App) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from lcpg.store.schema import Base

    with app.engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diffs == []


def test_open_start_membership_cannot_be_stored_twice(app: App) -> None:
    incoming = Register(
        people=(Person("ada.finch@example.org", "Ada Finch"),),
        memberships=(Membership("lcpg-dover", "ada.finch@example.org", "police"),),
    )
    with UnitOfWork(app.engine, write=True) as uow:
        uow.register.apply_changes(plan_changes(load_register(app), incoming), NOW)
        uow.commit()
    with pytest.raises(IntegrityError), UnitOfWork(app.engine, write=True) as uow:
        # Straight to the table: the database's own key must refuse a second open-start row.
        first = uow.session.scalars(select(MembershipRow)).one()
        uow.session.add(
            MembershipRow(
                body_id=first.body_id, person_id=first.person_id, sector="police", start=None
            )
        )
        uow.session.flush()


def test_plain_postgresql_urls_use_psycopg() -> None:
    engine = make_engine("postgresql://postgres@127.0.0.1:5432/test")
    assert engine.url.drivername == "postgresql+psycopg"
    engine.dispose()


def test_init_is_all_or_nothing(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from lcpg.store.register import SqlRegisterRepository

    def failing_sync(*_args: object) -> None:
        raise RuntimeError("disk full, say")

    monkeypatch.setattr(SqlRegisterRepository, "sync_bodies", failing_sync)
    app = App(Settings.resolve(database_url=database_url))
    with pytest.raises(RuntimeError, match="disk full"):
        init_database(app)
    # The schema created before the failure was rolled back with it.
    assert schema_state(app.engine) is SchemaState.MISSING
    app.close()


def test_schema_version_knows_every_migration() -> None:
    from alembic.script import ScriptDirectory

    from lcpg.store.migrate import _config

    history = [r.revision for r in ScriptDirectory.from_config(_config()).walk_revisions()]
    assert tuple(reversed(history)) == REVISIONS
    assert head_revision() == REVISIONS[-1]
