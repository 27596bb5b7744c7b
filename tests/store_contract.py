"""The unit of work's contract (``lcpg.store.unit_of_work.AbstractUnitOfWork``), one suite for
every implementation: the database store (``tests/integration/test_store_contract.py``, on
SQLite and PostgreSQL) and the in-memory fake (``tests/unit/test_store_memory.py``). A fake
that passes it behaves as the store does for everything the services rely on.

A subclass provides the fixture ``unit_of_work``: a callable ``(write=False)`` giving a unit of
work on an empty register whose bodies are the Kent blueprint's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time

import pytest

from lcpg.domain.changes import plan_changes
from lcpg.domain.model import Body, BodyKind, MeetingStatus
from lcpg.domain.register import Register
from lcpg.domain.terms import AcademicYear, Term
from lcpg.errors import LcpgError, NotFoundError
from lcpg.store.outbox import QueuedMessage
from lcpg.store.unit_of_work import AbstractUnitOfWork
from rules.findings import Finding, Report, Severity
from tests.samples import small_register

NOW = datetime(2026, 11, 22, 9, 0)
LATER = datetime(2026, 11, 22, 10, 0)
WEEK = "2026-W47"

UnitOfWorkFactory = Callable[..., AbstractUnitOfWork]


@dataclass(frozen=True)
class Planned:
    """A planned meeting as the planner hands it over (``cycle.planner.PlannedMeeting``)."""

    meeting_id: str
    body: str
    start: datetime
    end: datetime
    venue: str


def _content(register: Register) -> tuple[object, ...]:
    return (register.people, register.memberships, register.meetings, register.attendance)


def _import(unit_of_work: UnitOfWorkFactory, incoming: Register) -> None:
    with unit_of_work(write=True) as uow:
        uow.register.apply_changes(plan_changes(uow.register.load(), incoming), NOW)
        uow.commit()


def _version(unit_of_work: UnitOfWorkFactory) -> str:
    with unit_of_work() as uow:
        return uow.register.version()


def _report(as_of: date, *severities: Severity) -> Report:
    findings = tuple(
        Finding(
            "cadence.bimonthly",
            severity,
            "lcpg-sevenoaks",
            str(number),
            "met quarterly",
            "4.1",
            {"dates": ("2026-01-01", "2026-04-01")},
        )
        for number, severity in enumerate(severities)
    )
    return Report(as_of, "kent", findings, {"lcpg-sevenoaks": "Sevenoaks LCPG"})


class StoreContract:
    # Transactions

    def test_what_is_not_committed_is_not_written(self, unit_of_work: UnitOfWorkFactory):
        with unit_of_work(write=True) as uow:
            uow.register.apply_changes(plan_changes(uow.register.load(), small_register()), NOW)
            assert uow.register.counts()["people"] == 2  # the unit sees its own writes
        with unit_of_work() as uow:
            assert uow.register.counts()["people"] == 0

    def test_an_exception_leaves_nothing_written(self, unit_of_work: UnitOfWorkFactory):
        with pytest.raises(RuntimeError), unit_of_work(write=True) as uow:
            uow.settings.set("colour", "blue")
            raise RuntimeError("in the middle")
        with unit_of_work() as uow:
            assert uow.settings.get("colour") is None

    def test_rollback_undoes_and_the_unit_goes_on(self, unit_of_work: UnitOfWorkFactory):
        with unit_of_work(write=True) as uow:
            uow.settings.set("colour", "blue")
            uow.rollback()
            assert uow.settings.get("colour") is None
            uow.settings.set("shape", "round")
            uow.commit()
            uow.settings.set("size", "large")  # after the commit, and never committed
        with unit_of_work() as uow:
            assert (uow.settings.get("colour"), uow.settings.get("shape")) == (None, "round")
            assert uow.settings.get("size") is None

    # The register and its version

    def test_the_register_round_trips(self, unit_of_work: UnitOfWorkFactory):
        _import(unit_of_work, small_register())
        with unit_of_work() as uow:
            stored = uow.register.load()
            without_attendance = uow.register.load(attendance=False)
            counts = uow.register.counts()
        assert _content(stored) == _content(small_register())
        assert without_attendance.attendance == ()
        assert {r.sequence for r in stored.revisions.values()} == {0}
        assert {r.modified for r in stored.revisions.values()} == {NOW}
        assert counts["people"] == 2 and counts["memberships"] == 2 and counts["meetings"] == 1

    def test_an_updated_meeting_keeps_its_identity_and_counts_its_revision(
        self, unit_of_work: UnitOfWorkFactory
    ):
        _import(unit_of_work, small_register())
        incoming = small_register()
        meeting = replace(incoming.meetings[0], venue="Somewhere else")
        with unit_of_work(write=True) as uow:
            changes = plan_changes(uow.register.load(), replace(incoming, meetings=(meeting,)))
            uow.register.apply_changes(changes, LATER)
            uow.commit()
        with unit_of_work() as uow:
            stored = uow.register.load()
        assert stored.meetings == (meeting,)
        assert stored.revisions[meeting.id].sequence == 1
        assert stored.revisions[meeting.id].modified == LATER

    def test_the_version_moves_with_the_register_only(self, unit_of_work: UnitOfWorkFactory):
        first = _version(unit_of_work)
        _import(unit_of_work, small_register())
        second = _version(unit_of_work)
        assert second != first
        _import(unit_of_work, small_register())  # nothing new: nothing written
        with unit_of_work(write=True) as uow:
            uow.outbox.queue([QueuedMessage(WEEK, "a@example.org", "k", "S", b"M")], NOW)
            uow.tokens.add("ada.finch@example.org", "0" * 64, NOW)
            uow.checks.record(_report(date(2026, 11, 22), Severity.ERROR), NOW)
            uow.settings.set("colour", "blue")
            uow.commit()
        assert _version(unit_of_work) == second
        with unit_of_work(write=True) as uow:
            uow.register.set_body_preferences(
                "lcpg-sevenoaks", weekday=2, time=time(10), venue=None
            )
            uow.commit()
        assert _version(unit_of_work) != second

    def test_bodies_sync_and_take_preferences(self, unit_of_work: UnitOfWorkFactory):
        with unit_of_work(write=True) as uow:
            bodies = uow.register.load().bodies
            renamed = replace(bodies[0], name="Renamed board")
            new = Body("lcpg-new", "New LCPG", BodyKind.LCPG, "new")
            synced = uow.register.sync_bodies([renamed, *bodies[1:], new])
            body = uow.register.set_body_preferences(
                "lcpg-new", weekday=1, time=time(14), venue="Hall"
            )
            with pytest.raises(NotFoundError):
                uow.register.set_body_preferences("nowhere", weekday=1, time=None, venue=None)
            uow.commit()
        assert (synced.added, synced.updated, synced.unchanged) == (
            ("lcpg-new",),
            (renamed.slug,),
            len(bodies) - 1,
        )
        assert (body.preferred_weekday, body.preferred_time, body.venue) == (1, time(14), "Hall")
        with unit_of_work() as uow:
            stored = uow.register.load().bodies
        assert stored[0].name == "Renamed board" and stored[-1] == body

    # Plans

    def test_a_plan_adds_and_moves_meetings(self, unit_of_work: UnitOfWorkFactory):
        start = datetime(2027, 1, 13, 10, 0)
        added = Planned("m-1", "lcpg-sevenoaks", start, start.replace(hour=12), "Hall")
        with unit_of_work(write=True) as uow:
            uow.plans.save([added], [], NOW)
            uow.commit()
        moved = replace(added, start=start.replace(day=20), end=start.replace(day=20, hour=12))
        with unit_of_work(write=True) as uow:
            uow.plans.save([], [moved], LATER)
            uow.commit()
        with unit_of_work() as uow:
            stored = uow.register.load()
        (meeting,) = stored.meetings
        assert (meeting.id, meeting.start, meeting.status) == ("m-1", moved.start, "planned")
        assert stored.revisions["m-1"].sequence == 1
        assert stored.revisions["m-1"].modified == LATER

    def test_a_plan_refuses_to_move_a_meeting_no_longer_planned(
        self, unit_of_work: UnitOfWorkFactory
    ):
        _import(unit_of_work, small_register())
        held = small_register().meetings[0]
        assert held.status is MeetingStatus.HELD
        moving = Planned(held.id, held.body, held.start.replace(day=21), held.end, "")
        with pytest.raises(LcpgError, match="no longer planned"), unit_of_work(write=True) as uow:
            uow.plans.save([], [moving], NOW)
        with unit_of_work() as uow:
            assert uow.register.load().meetings == (held,)

    # Recorded checks

    def test_checks_are_recorded_and_found_again(self, unit_of_work: UnitOfWorkFactory):
        older = _report(date(2026, 11, 1), Severity.ERROR, Severity.WARNING, Severity.ERROR)
        newer = _report(date(2026, 11, 15), Severity.INFO)
        with unit_of_work(write=True) as uow:
            first = uow.checks.record(older, NOW)
            second = uow.checks.record(newer, NOW)
            uow.commit()
        with unit_of_work() as uow:
            runs = uow.checks.runs()
            again = uow.checks.report(first, older.bodies)
            previous = uow.checks.previous(date(2026, 11, 15), older.bodies)
            none_before = uow.checks.previous(date(2026, 11, 1), older.bodies)
            missing = (uow.checks.report(second + 100, {}), uow.checks.report(2**63, {}))
        assert [(r.id, r.counts) for r in runs] == [
            (second, {"info": 1}),
            (first, {"error": 2, "warning": 1}),
        ]
        assert again is not None and again.findings[0].evidence == {
            "dates": ["2026-01-01", "2026-04-01"]  # as JSON keeps it
        }
        assert [f.severity for f in again.findings] == [
            Severity.ERROR,
            Severity.WARNING,
            Severity.ERROR,
        ]
        assert previous is not None and previous[0] == first
        assert none_before is None and missing == (None, None)

    # The outbox

    def test_the_outbox_queues_once_and_claims_once(self, unit_of_work: UnitOfWorkFactory):
        messages = [QueuedMessage(WEEK, f"{n}@example.org", "district", "S", b"M") for n in "ab"]
        with unit_of_work(write=True) as uow:
            assert uow.outbox.queue(messages, NOW) == 2
            assert uow.outbox.queue(messages, NOW) == 0
            uow.commit()
        with unit_of_work() as uow:
            first, second = uow.outbox.unsent(WEEK)
        with unit_of_work(write=True) as uow:
            assert uow.outbox.claim(first, NOW, "me") == "M"
            assert uow.outbox.claim(first, NOW, "you") is None  # seen before the first claim
            uow.commit()
        with unit_of_work() as uow:
            (claimed, _) = uow.outbox.unsent(WEEK)
        assert (claimed.status, claimed.attempts, claimed.claimed_by) == ("sending", 1, "me")
        with unit_of_work(write=True) as uow:
            uow.outbox.mark_failed(first.id, "refused")
            assert uow.outbox.expire(second)
            uow.commit()
        with unit_of_work() as uow:
            (failed,) = uow.outbox.unsent(WEEK)
            assert uow.outbox.unsent("2026-W46") == []
            assert uow.outbox.unsent(WEEK, "2026-W48") == []
        assert (failed.status, failed.last_error, failed.claimed_by) == ("pending", "refused", None)
        with unit_of_work(write=True) as uow:
            assert uow.outbox.claim(failed, LATER, "me") == "M"
            uow.outbox.mark_sent(failed.id, LATER)
            uow.commit()
        with unit_of_work() as uow:
            assert uow.outbox.unsent(WEEK) == []
            assert uow.outbox.counts(WEEK) == {"sent": 1, "expired": 1}

    # Feed tokens

    def test_tokens_are_kept_by_hash_and_revoked(self, unit_of_work: UnitOfWorkFactory):
        _import(unit_of_work, small_register())
        with unit_of_work(write=True) as uow:
            assert uow.tokens.add("ada.finch@example.org", "a" * 64, NOW)
            assert uow.tokens.add("ada.finch@example.org", "b" * 64, LATER)
            assert uow.tokens.add("bo.reed@example.org", "c" * 64, NOW)
            assert not uow.tokens.add("nobody@example.org", "d" * 64, NOW)
            uow.commit()
        with unit_of_work(write=True) as uow:
            assert uow.tokens.revoke("ada.finch@example.org", LATER) == 2
            assert uow.tokens.revoke("ada.finch@example.org", LATER) == 0
            uow.commit()
        with unit_of_work() as uow:
            listed = uow.tokens.listing()
            ada = uow.tokens.listing("ada.finch@example.org")
            found = uow.tokens.find("c" * 64)
            revoked = uow.tokens.find("a" * 64)
            unknown = uow.tokens.find("d" * 64)
        # Newest first; of two made at once, the later made first.
        assert [t.email for t in listed] == [
            "ada.finch@example.org",
            "bo.reed@example.org",
            "ada.finch@example.org",
        ]
        assert [t.revoked_at for t in ada] == [LATER, LATER]
        assert found is not None and (found.email, found.revoked_at) == (
            "bo.reed@example.org",
            None,
        )
        assert revoked is not None and revoked.revoked_at == LATER
        assert unknown is None

    # Term dates and settings

    def test_term_dates_replace_whole_years(self, unit_of_work: UnitOfWorkFactory):
        autumn = Term("Autumn", date(2027, 9, 2), date(2027, 12, 17))
        spring = Term("Spring", date(2028, 1, 4), date(2028, 3, 31))
        whole = Term("All", date(2026, 9, 1), date(2027, 7, 9))
        with unit_of_work(write=True) as uow:
            uow.term_dates.replace_years(
                [
                    AcademicYear("2027/28", "a.csv", (autumn, spring)),
                    AcademicYear("2026/27", "b.csv", (whole,)),
                ],
                NOW,
            )
            uow.commit()
        with unit_of_work(write=True) as uow:
            uow.term_dates.replace_years([AcademicYear("2027/28", "c.csv", (spring,))], LATER)
            uow.commit()
        with unit_of_work() as uow:
            years = uow.term_dates.imported_years()
        assert [(s.year.label, s.year.source, s.imported_at) for s in years] == [
            ("2026/27", "b.csv", NOW),
            ("2027/28", "c.csv", LATER),
        ]
        assert years[1].year.terms == (spring,)

    def test_settings_are_kept_by_key(self, unit_of_work: UnitOfWorkFactory):
        with unit_of_work(write=True) as uow:
            uow.settings.set("public_url", "https://a.example.org/")
            uow.settings.set("public_url", "https://b.example.org/")
            uow.commit()
        with unit_of_work() as uow:
            assert uow.settings.get("public_url") == "https://b.example.org/"
            assert uow.settings.get("nothing") is None
