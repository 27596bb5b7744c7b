"""The register's version changes with the register and with nothing else (``store.version``):
``lcpg serve`` rebuilds every feed when it changes, so an outbox claim or send, a feed token or
a recorded check must leave it alone, while an import, a saved plan or a changed meeting must
move it. On SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete

from lcpg.bootstrap import App
from lcpg.services.compliance import run_check
from lcpg.services.planning import make_plan, save_plan
from lcpg.services.register import load_register, write_incoming
from lcpg.services.terms import import_terms
from lcpg.services.tokens import create_token, revoke_tokens
from lcpg.store.outbox import QueuedMessage
from lcpg.store.schema import AttendanceRow
from lcpg.store.unit_of_work import UnitOfWork
from tests.samples import small_register

NOW = datetime(2026, 11, 22, 9, 0)
WEEK = "2026-W47"


@pytest.fixture
def app(empty_app: App) -> App:
    write_incoming(empty_app, small_register(), "samples", dry_run=False)
    return empty_app


def version(app: App) -> str:
    with app.unit_of_work() as uow:
        return uow.register.version()


def test_an_import_moves_the_version(empty_app: App) -> None:
    before = version(empty_app)
    write_incoming(empty_app, small_register(), "samples", dry_run=False)
    after = version(empty_app)
    assert after != before
    # The same records again change nothing, so the version stays.
    write_incoming(empty_app, small_register(), "samples", dry_run=False)
    assert version(empty_app) == after


def test_a_dry_run_leaves_the_version(empty_app: App) -> None:
    before = version(empty_app)
    write_incoming(empty_app, small_register(), "samples", dry_run=True)
    assert version(empty_app) == before


def test_a_changed_meeting_moves_the_version(app: App) -> None:
    register = load_register(app)
    meeting = register.meetings[0]
    before = version(app)
    changed = replace(register, meetings=(replace(meeting, venue="Somewhere else"),))
    result = write_incoming(app, changed, "meetings", dry_run=False, identified={meeting.id})
    assert result.changes.meetings.updated == 1
    assert version(app) != before


def test_a_saved_plan_moves_the_version(app: App) -> None:
    before = version(app)
    saved = save_plan(app, make_plan(app, 2027, today=date(2026, 11, 22)).plan)
    assert saved.added
    assert version(app) != before


def test_a_bulk_delete_of_register_rows_moves_the_version(app: App) -> None:
    before = version(app)
    with UnitOfWork(app.engine, write=True) as uow:
        uow.session.execute(delete(AttendanceRow))
        uow.commit()
    assert version(app) != before


def test_imported_term_dates_move_the_version(app: App, tmp_path: Path) -> None:
    terms = tmp_path / "terms.csv"
    terms.write_text("name,start,end\nAutumn,2027-09-02,2027-12-17\n", encoding="utf-8")
    before = version(app)
    import_terms(app, terms, dry_run=False)
    assert version(app) != before


def test_a_recorded_check_leaves_the_version(app: App) -> None:
    before = version(app)
    assert run_check(app, date(2026, 11, 22), record=True).recorded is not None
    assert version(app) == before


def test_feed_tokens_leave_the_version(app: App) -> None:
    before = version(app)
    create_token(app, "ada.finch@example.org")
    assert revoke_tokens(app, "ada.finch@example.org") == 1
    assert version(app) == before


def test_the_outbox_leaves_the_version(app: App) -> None:
    before = version(app)
    messages = [
        QueuedMessage(WEEK, f"{name}@example.org", "district", "Subject", b"Message")
        for name in ("one", "two")
    ]
    with app.unit_of_work(write=True) as uow:
        assert uow.outbox.queue(messages, NOW) == 2
        uow.commit()
    with app.unit_of_work() as uow:
        first, second = uow.outbox.unsent(WEEK)
    with app.unit_of_work(write=True) as uow:
        assert uow.outbox.claim(first, NOW, "test") is not None
        uow.commit()
    with app.unit_of_work(write=True) as uow:
        uow.outbox.mark_sent(first.id, NOW)
        uow.commit()
    with app.unit_of_work(write=True) as uow:
        assert uow.outbox.claim(second, NOW, "test") is not None
        uow.outbox.mark_failed(second.id, "refused")
        uow.commit()
    assert version(app) == before


def test_a_rolled_back_change_leaves_the_version(app: App) -> None:
    before = version(app)
    with UnitOfWork(app.engine, write=True) as uow:
        uow.session.execute(delete(AttendanceRow))
    assert version(app) == before
    # Noted, then rolled back: a later commit of something else does not bump for it.
    with UnitOfWork(app.engine, write=True) as uow:
        uow.session.execute(delete(AttendanceRow))
        uow.rollback()
        assert uow.outbox.queue([QueuedMessage(WEEK, "a@example.org", "k", "S", b"M")], NOW)
        uow.commit()
    assert version(app) == before
