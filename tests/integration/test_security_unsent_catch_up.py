"""Threat: a crash mid-send hides a message. A message a killed run left ``sending`` (its
process gone) is delivered by the next run, also a run for a later week, within the
look-back; older ones are given up and reported; anything left unsent fails the run. The
scheduler's weekly job catches up the same way."""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select, update

from lcpg.bootstrap import App
from lcpg.notify.messages import week_monday, weeks_before
from lcpg.notify.transport import OutboxFolder
from lcpg.services.email import CATCH_UP_WEEKS, SendFailed, send_week
from lcpg.services.outbox_claims import ClaimOwner, this_process
from lcpg.store.schema import OutboxRow
from lcpg.store.unit_of_work import UnitOfWork
from tests.conftest import DEMO_TODAY
from tests.integration.test_email_send import ENVIRON, WEEK


def dead_claim() -> str:
    """A claim of a process of this host that has exited."""
    gone = subprocess.Popen(["true"])
    gone.wait()
    me = this_process()
    return str(ClaimOwner(me.host, gone.pid, me.started))


def test_a_killed_runs_message_goes_out_with_the_next_weeks_run(app: App, tmp_path: Path) -> None:
    first = send_week(app, WEEK, DEMO_TODAY, OutboxFolder(tmp_path / "a"), ENVIRON)
    with UnitOfWork(
        app.engine, write=True
    ) as uow:  # as a run killed between claim and mark leaves it
        one = uow.session.scalars(OutboxRow.__table__.select().limit(1)).first()
        uow.session.execute(
            update(OutboxRow)
            .where(OutboxRow.id == one)
            .values(status="sending", claimed_at=app.utc_now(), claimed_by=dead_claim())
        )
        uow.commit()
    later = weeks_before(WEEK, -1)
    result = send_week(app, later, DEMO_TODAY, OutboxFolder(tmp_path / "b"), ENVIRON)
    assert result.earlier_sent == 1 and result.pending == 0
    assert result.sent == first.sent + 1


def test_messages_older_than_the_look_back_are_given_up_and_reported(
    app: App, tmp_path: Path
) -> None:
    class Down(OutboxFolder):
        def send(self, message: bytes, sender: str, recipient: str, name: str) -> None:
            from lcpg.notify.transport import TransportError

            raise TransportError("server down")

    with pytest.raises(SendFailed):
        send_week(app, WEEK, DEMO_TODAY, Down(tmp_path / "a"), ENVIRON)
    later = weeks_before(WEEK, -(CATCH_UP_WEEKS + 1))
    with pytest.raises(SendFailed, match="given up") as caught:
        send_week(app, later, DEMO_TODAY, OutboxFolder(tmp_path / "b"), ENVIRON)
    assert caught.value.result.expired > 2 and caught.value.result.pending == 0
    again = send_week(app, later, DEMO_TODAY, OutboxFolder(tmp_path / "c"), ENVIRON)
    assert again.expired == 0 and again.sent == 0


def test_the_scheduled_weekly_job_delivers_what_earlier_weeks_left_unsent(
    app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # The scheduler's job goes through the same catch-up as `lcpg email send`: run a week
    # later, it delivers the messages an outage left pending and the one a killed run left
    # `sending` (its claim a minute old: taken over at once, not after ten minutes).
    import lcpg.notify.jobs
    from lcpg.blueprints import KENT
    from lcpg.notify.transport import TransportError

    class Down(OutboxFolder):
        def send(self, message: bytes, sender: str, recipient: str, name: str) -> None:
            raise TransportError("server down")

    with pytest.raises(SendFailed):
        send_week(app, WEEK, DEMO_TODAY, Down(tmp_path / "down"), ENVIRON)
    with UnitOfWork(app.engine, write=True) as uow:
        left = uow.session.scalars(OutboxRow.__table__.select().where(OutboxRow.week == WEEK))
        ids = list(left)
        uow.session.execute(
            update(OutboxRow)
            .where(OutboxRow.id == ids[0])
            .values(status="sending", claimed_at=app.utc_now(), claimed_by=dead_claim())
        )
        uow.commit()

    later = weeks_before(WEEK, -2)  # the scheduler's next Monday, two weeks on
    monkeypatch.setattr(App, "today", lambda self: week_monday(later))
    monkeypatch.setattr(lcpg.notify.jobs, "_database_url", app.settings.database_url)
    monkeypatch.delenv("LCPG_SMTP_URL", raising=False)
    for name, value in {**ENVIRON, "LCPG_OUTBOX_DIR": str(tmp_path / "outbox")}.items():
        monkeypatch.setenv(name, value)
    caplog.set_level(logging.INFO, logger="lcpg.scheduler")
    lcpg.notify.jobs.weekly_send(str(KENT))

    with UnitOfWork(app.engine) as uow:
        rows = uow.session.execute(select(OutboxRow.week, OutboxRow.status)).all()
    assert {week for week, _ in rows} == {WEEK, later}
    assert {status for _, status in rows} == {"sent"}
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == len(rows)  # each once
    (logged,) = [r.getMessage() for r in caplog.records if r.name == "lcpg.scheduler"]
    assert f"weekly send for {later}" in logged
    assert f"{len(ids)} of earlier weeks" in logged and "0 pending" in logged
