"""Use cases run on the in-memory unit of work (``lcpg.store.memory``): the services against the
store's contract, with no database. (The same contract on SQLite and PostgreSQL:
``tests/integration/test_store_contract.py``.)"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from cycle.planner import Placement
from lcpg.bootstrap import App, Settings
from lcpg.domain.blueprint import Blueprint
from lcpg.errors import NotFoundError
from lcpg.services.compliance import recorded_check, recorded_checks, run_check
from lcpg.services.planning import make_plan, save_plan, set_preferences
from lcpg.services.register import load_register, write_incoming
from lcpg.services.terms import import_terms, imported_years
from lcpg.services.tokens import create_token, list_tokens, person_for_token, revoke_tokens
from lcpg.store.memory import MemoryDatabase, memory_unit_of_work
from lcpg.store.unit_of_work import AbstractUnitOfWork
from tests.samples import small_register

TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 9, 0)


class MemoryApp(App):
    """The app on an in-memory register, its clock pinned. Its database URL is never opened."""

    def __init__(self, blueprint: Blueprint) -> None:
        super().__init__(Settings.resolve(database_url="sqlite:////nonexistent/never.db"))
        self.memory = MemoryDatabase()
        with self.unit_of_work(write=True) as uow:
            uow.register.sync_bodies(blueprint.bodies_list())
            uow.commit()

    def unit_of_work(self, *, write: bool = False) -> AbstractUnitOfWork:
        return memory_unit_of_work(self.memory, write=write)

    def today(self) -> date:
        return TODAY

    def utc_now(self) -> datetime:
        return NOW


@pytest.fixture
def app(kent: Blueprint) -> MemoryApp:
    return MemoryApp(kent)


def test_an_import_writes_the_register_and_a_dry_run_does_not(app: MemoryApp) -> None:
    dry = write_incoming(app, small_register(), "samples", dry_run=True)
    assert dry.changes.people.added == 2
    assert load_register(app).people == ()
    written = write_incoming(app, small_register(), "samples", dry_run=False)
    assert written.changes.attendance.added == 2
    register = load_register(app)
    assert register.people == small_register().people
    assert len(register.attendance) == 2
    again = write_incoming(app, small_register(), "samples", dry_run=False)
    assert again.changes.is_empty
    assert "engine" not in app.__dict__  # no database was ever opened


def test_a_recorded_check_is_compared_with_the_next(app: MemoryApp) -> None:
    write_incoming(app, small_register(), "samples", dry_run=False)
    first = run_check(app, date(2026, 11, 1), record=True)
    assert first.recorded is not None and first.comparison is None
    second = run_check(app, TODAY)
    assert second.recorded is None
    assert second.comparison is not None and second.comparison.previous_run == first.recorded
    (run,) = recorded_checks(app)
    assert run.id == first.recorded and sum(run.counts.values()) == len(first.report.findings)
    assert recorded_check(app, first.recorded).findings == first.report.findings
    with pytest.raises(NotFoundError):
        recorded_check(app, first.recorded + 1)


def test_a_saved_plan_is_the_register_s_next_plan(app: MemoryApp) -> None:
    plan = make_plan(app, 2027, today=TODAY).plan
    saved = save_plan(app, plan)
    assert saved.added and not saved.moved
    assert len(load_register(app).meetings) == len(saved.added)
    again = make_plan(app, 2027, today=TODAY).plan
    assert {m.placement for m in again.meetings} == {Placement.UNCHANGED}


def test_body_preferences_of_an_unknown_body_are_refused(app: MemoryApp) -> None:
    with pytest.raises(NotFoundError, match="no body 'lcpg-nowhere'"):
        set_preferences(app, "lcpg-nowhere", 2, None, None)
    body = set_preferences(app, "lcpg-sevenoaks", 2, None, "Hall")
    assert (body.preferred_weekday, body.venue) == (2, "Hall")


def test_a_feed_token_works_until_revoked(app: MemoryApp) -> None:
    write_incoming(app, small_register(), "samples", dry_run=False)
    token = create_token(app, "Ada.Finch@example.org")
    assert person_for_token(app, token) == "ada.finch@example.org"
    assert [t.email for t in list_tokens(app)] == ["ada.finch@example.org"]
    assert revoke_tokens(app, "ada.finch@example.org") == 1
    assert person_for_token(app, token) is None
    with pytest.raises(NotFoundError):
        create_token(app, "nobody@example.org")


def test_imported_term_dates_are_kept_by_year(app: MemoryApp, tmp_path: Path) -> None:
    terms = tmp_path / "terms.csv"
    terms.write_text("name,start,end\nAutumn,2027-09-02,2027-12-17\n", encoding="utf-8")
    first = import_terms(app, terms, dry_run=False)
    assert [c.change for c in first.changes] == ["added"]
    again = import_terms(app, terms, dry_run=False)
    assert [c.change for c in again.changes] == ["unchanged"]
    (year,) = imported_years(app)
    assert year.label == "2027/28" and year.terms[0].name == "Autumn"
