"""The scheduler against a real database: jobs stored once under fixed ids with restart-safe
settings, next run times across the clock changes, jobs that really run, runs missed while the
scheduler was down, the status read, the settings from the environment, and a process that
stops cleanly on SIGTERM.

Schedules that run in these tests fire at hours chosen away from the current time (``far``),
so no job fires on its own while a test looks.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MISSED,
    EVENT_JOB_SUBMITTED,
)
from sqlalchemy import inspect, text

from lcpg.blueprints import KENT
from lcpg.bootstrap import App, Settings
from lcpg.errors import DatabaseError, LcpgError
from lcpg.notify.jobs import nightly_feeds, use_database, weekly_send
from lcpg.notify.scheduler import (
    JOBS_TABLE,
    NIGHTLY_FEEDS,
    WEEKLY_SEND,
    SafeShutdownScheduler,
    ScheduleSettings,
    build_scheduler,
    cron_trigger,
    run_forever,
    scheduler_status,
)
from lcpg.services.scheduling import schedule_settings_from, status
from lcpg.store.database import make_engine
from lcpg.store.unit_of_work import UnitOfWork

ROOT = Path(__file__).resolve().parents[2]
LONDON = ZoneInfo("Europe/London")
WAIT = 15.0  # seconds to wait for a job that should run (generous for a loaded CI machine)


def far_cron(hours_away: int = 12) -> str:
    """A daily cron at an hour ``hours_away`` from now: it does not fire while a test runs."""
    hour = (datetime.now(LONDON).hour + hours_away) % 24
    return f"0 {hour} * * *"


@pytest.fixture
def app(empty_app: App) -> App:
    """These tests start from an empty register."""
    return empty_app


@pytest.fixture
def settings(tmp_path: Path) -> ScheduleSettings:
    return ScheduleSettings(
        weekly_cron=far_cron(), nightly_cron=far_cron(13), feeds_dir=str(tmp_path / "feeds")
    )


@dataclass
class Sends:
    """Calls of the stand-in for ``lcpg.services.email.send_week``."""

    calls: list[tuple[str, str | None, date]] = field(default_factory=list)
    happened: threading.Event = field(default_factory=threading.Event)
    fail: bool = False

    def wait(self) -> bool:
        return self.happened.wait(WAIT)


@pytest.fixture
def sends(monkeypatch: pytest.MonkeyPatch) -> Sends:
    import lcpg.services.email
    from lcpg.services.email import SendFailed, SendResult

    record = Sends()

    def send_week(app: App, week: str | None, today: date, *_: Any, **__: Any) -> SendResult:
        record.calls.append((app.settings.database_url, week, today))
        result = SendResult(
            week="2027-W13",
            destination="outbox folder",
            queued=3,
            sent=3,
            pending=0,
            already_sent=0,
        )
        if record.fail:
            result = SendResult(
                week="2027-W13",
                destination="smtp://mail.example.org",
                queued=3,
                sent=1,
                pending=2,
                already_sent=0,
                errors=("ada.finch@example.org (county): connection refused",),
            )
        record.happened.set()
        if record.fail:
            raise SendFailed(result)
        return result

    monkeypatch.setattr(lcpg.services.email, "send_week", send_week)
    return record


def started(database_url: str, settings: ScheduleSettings, paused: bool = False) -> Any:
    scheduler = build_scheduler(
        database_url, "lcpg/blueprints/kent.toml", settings, SafeShutdownScheduler
    )
    scheduler.start(paused=paused)
    return scheduler


def store_next_run(database_url: str, settings: ScheduleSettings, moment: datetime) -> None:
    """Leave the weekly job stored as due at ``moment``, as a scheduler that stopped would."""
    scheduler = started(database_url, settings, paused=True)
    scheduler.modify_job(WEEKLY_SEND, next_run_time=moment)
    scheduler.shutdown()


def stored_rows(app: App) -> int:
    with app.engine.connect() as connection:
        return int(connection.execute(text(f"SELECT count(*) FROM {JOBS_TABLE}")).scalar_one())


# The jobs as stored


def test_jobs_are_stored_once_with_fixed_ids_and_restart_safe_settings(
    app: App, settings: ScheduleSettings
) -> None:
    url = app.settings.database_url
    for _ in range(2):  # a second start replaces the jobs, it does not add copies
        scheduler = started(url, settings, paused=True)
        jobs = {job.id: job for job in scheduler.get_jobs()}
        scheduler.shutdown()
        assert set(jobs) == {WEEKLY_SEND, NIGHTLY_FEEDS}
        assert stored_rows(app) == 2
    weekly, nightly = jobs[WEEKLY_SEND], jobs[NIGHTLY_FEEDS]
    assert weekly.func_ref == "lcpg.notify.jobs:weekly_send"
    assert nightly.func_ref == "lcpg.notify.jobs:nightly_feeds"
    assert weekly.args == ("lcpg/blueprints/kent.toml",)  # the database is the process's own
    assert nightly.args == ("lcpg/blueprints/kent.toml", settings.feeds_dir, settings.feeds_url)
    for job in (weekly, nightly):
        assert all(isinstance(arg, str) for arg in job.args) and job.kwargs == {}
        assert job.coalesce is True
        assert job.misfire_grace_time == 12 * 3600
        assert job.max_instances == 1


def test_jobs_stored_before_the_move_into_lcpg_are_rewritten_on_start(
    app: App, settings: ScheduleSettings
) -> None:
    # Before the move into `lcpg`, the job modules were top level ("notify.jobs:weekly_send");
    # a job store written by one must not leave the scheduler unable to load its jobs.
    import pickle

    url = app.settings.database_url
    started(url, settings, paused=True).shutdown()
    with app.engine.begin() as connection:
        for job_id, state in connection.execute(text(f"SELECT id, job_state FROM {JOBS_TABLE}")):
            job = pickle.loads(state)
            job["func"] = job["func"].removeprefix("lcpg.")
            connection.execute(
                text(f"UPDATE {JOBS_TABLE} SET job_state = :state WHERE id = :id"),
                {"state": pickle.dumps(job), "id": job_id},
            )
    scheduler = started(url, settings, paused=True)
    refs = {job.id: job.func_ref for job in scheduler.get_jobs()}
    scheduler.shutdown()
    assert refs == {
        WEEKLY_SEND: "lcpg.notify.jobs:weekly_send",
        NIGHTLY_FEEDS: "lcpg.notify.jobs:nightly_feeds",
    }


def test_status_shows_the_next_run_times_without_running_anything(
    app: App, settings: ScheduleSettings
) -> None:
    url = app.settings.database_url
    assert scheduler_status(url) == []
    assert not inspect(app.engine).has_table(JOBS_TABLE)  # reading created nothing
    before = datetime.now(UTC)
    started(url, settings, paused=True).shutdown()
    statuses = scheduler_status(url)
    assert [s.id for s in statuses] == [WEEKLY_SEND, NIGHTLY_FEEDS]  # soonest first
    weekly = statuses[0]
    assert weekly.name == "Weekly compliance e-mails"
    assert "hour=" in weekly.trigger
    expected = cron_trigger(settings.weekly_cron, settings.timezone).get_next_fire_time(
        None, before
    )
    assert weekly.next_run_time == expected
    assert status(app) == statuses


def test_status_of_a_database_never_set_up_is_refused_without_creating_it(tmp_path: Path) -> None:
    app = App(Settings.resolve(database_url=f"sqlite:///{tmp_path / 'none.db'}"))
    with pytest.raises(DatabaseError, match="not set up yet"):
        status(app)
    assert not (tmp_path / "none.db").exists()


def test_a_changed_schedule_replaces_the_stored_one(app: App, settings: ScheduleSettings) -> None:
    url = app.settings.database_url
    started(url, settings, paused=True).shutdown()
    changed = ScheduleSettings(
        weekly_cron="15 8 * * tue", nightly_cron=settings.nightly_cron, feeds_dir=settings.feeds_dir
    )
    started(url, changed, paused=True).shutdown()
    weekly = next(s for s in scheduler_status(url) if s.id == WEEKLY_SEND)
    assert "day_of_week='tue'" in weekly.trigger and "hour='8'" in weekly.trigger
    assert weekly.next_run_time is not None
    local = weekly.next_run_time.astimezone(LONDON)
    assert (local.weekday(), local.hour, local.minute) == (1, 8, 15)
    assert stored_rows(app) == 2


def test_the_job_table_is_the_only_difference_from_the_migrations(
    app: App, settings: ScheduleSettings
) -> None:
    # The job store creates its own table beside lcpg's schema. Alembic's comparison of lcpg's
    # metadata with the database then reports that table, and nothing else.
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from lcpg.store.schema import Base

    started(app.settings.database_url, settings, paused=True).shutdown()
    with app.engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diffs
    for diff in diffs:
        assert diff[0] in ("remove_table", "remove_index")
        assert (diff[1].name if diff[0] == "remove_table" else diff[1].table.name) == JOBS_TABLE


# Next run times across the clock changes (pure: the trigger with an injected now)


def fire_times(cron: str, start: datetime, count: int) -> list[datetime]:
    """The next ``count`` fire times after ``start``, chained as the scheduler chains them."""
    trigger = cron_trigger(cron, "Europe/London")
    times: list[datetime] = []
    previous, now = None, start
    for _ in range(count):
        fire = trigger.get_next_fire_time(previous, now)
        assert fire is not None
        times.append(fire)
        previous, now = fire, fire + timedelta(microseconds=1)
    return times


def test_weekly_send_stays_at_seven_local_across_the_spring_change() -> None:
    # British Summer Time starts on Sunday 28 March 2027.
    fires = fire_times("0 7 * * mon", datetime(2027, 3, 22, 0, 0, tzinfo=UTC), 3)
    assert [f.astimezone(UTC) for f in fires] == [
        datetime(2027, 3, 22, 7, 0, tzinfo=UTC),  # 07:00 GMT
        datetime(2027, 3, 29, 6, 0, tzinfo=UTC),  # 07:00 BST
        datetime(2027, 4, 5, 6, 0, tzinfo=UTC),
    ]
    assert all(f.astimezone(LONDON).strftime("%a %H:%M") == "Mon 07:00" for f in fires)


def test_weekly_send_stays_at_seven_local_across_the_autumn_change() -> None:
    # British Summer Time ends on Sunday 31 October 2027.
    fires = fire_times("0 7 * * mon", datetime(2027, 10, 25, 0, 0, tzinfo=UTC), 3)
    assert [f.astimezone(UTC) for f in fires] == [
        datetime(2027, 10, 25, 6, 0, tzinfo=UTC),  # 07:00 BST
        datetime(2027, 11, 1, 7, 0, tzinfo=UTC),  # 07:00 GMT
        datetime(2027, 11, 8, 7, 0, tzinfo=UTC),
    ]


def test_weekly_send_from_a_moment_inside_the_changed_week() -> None:
    # A scheduler started on the Saturday before the change, or mid-week after it.
    trigger = cron_trigger("0 7 * * mon", "Europe/London")
    saturday = datetime(2027, 3, 27, 12, 0, tzinfo=LONDON)
    assert trigger.get_next_fire_time(None, saturday) == datetime(2027, 3, 29, 6, 0, tzinfo=UTC)
    wednesday = datetime(2027, 11, 3, 12, 0, tzinfo=LONDON)
    assert trigger.get_next_fire_time(None, wednesday) == datetime(2027, 11, 8, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize("start", [datetime(2027, 3, 26, 12, 0), datetime(2027, 10, 29, 12, 0)])
def test_nightly_export_runs_once_each_night_across_a_change(start: datetime) -> None:
    # 02:30 is outside the hour the changes skip (spring) or repeat (autumn).
    fires = fire_times("30 2 * * *", start.replace(tzinfo=LONDON), 4)
    local = [f.astimezone(LONDON) for f in fires]
    assert [f.strftime("%H:%M") for f in local] == ["02:30"] * 4
    assert [f.date() for f in local] == [start.date() + timedelta(days=n) for n in range(1, 5)]


# Jobs that run


def watch(scheduler: Any, mask: int) -> list[Any]:
    events: list[Any] = []
    scheduler.add_listener(events.append, mask)
    return events


def wait_for(condition: Callable[[], object]) -> bool:
    """Poll ``condition`` until it holds or ``WAIT`` seconds pass; whether it held."""
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def assert_next_run_ahead(url: str) -> None:
    """The stored weekly job's next run is in the future: nothing more is due now."""
    weekly = next(s for s in scheduler_status(url) if s.id == WEEKLY_SEND)
    assert weekly.next_run_time is not None and weekly.next_run_time > datetime.now(UTC)


def test_the_weekly_job_runs_at_its_time_and_logs_what_it_sent(
    app: App, settings: ScheduleSettings, sends: Sends, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="lcpg.scheduler")
    url = app.settings.database_url
    scheduler = started(url, settings, paused=True)
    scheduler.modify_job(WEEKLY_SEND, next_run_time=datetime.now(UTC) + timedelta(seconds=1))
    scheduler.resume()
    try:
        assert sends.wait(), "the weekly job did not run"
    finally:
        scheduler.shutdown(wait=True)
    ((called_url, week, today),) = sends.calls
    assert called_url == url and week is None
    assert today == datetime.now(LONDON).date()
    assert (
        "weekly send for 2027-W13: 3 sent (0 of earlier weeks), 0 pending, 0 already sent, 0 failed"
        in caplog.text
    )
    weekly = next(s for s in scheduler_status(url) if s.id == WEEKLY_SEND)
    assert weekly.next_run_time is not None and weekly.next_run_time > datetime.now(UTC)


def test_a_failed_send_is_logged_and_recorded_as_a_failure(
    app: App, settings: ScheduleSettings, sends: Sends, caplog: pytest.LogCaptureFixture
) -> None:
    sends.fail = True
    scheduler = started(app.settings.database_url, settings, paused=True)
    errors = watch(scheduler, EVENT_JOB_ERROR)
    scheduler.modify_job(WEEKLY_SEND, next_run_time=datetime.now(UTC))
    scheduler.resume()
    try:
        assert sends.wait()
    finally:
        scheduler.shutdown(wait=True)
    assert [e.job_id for e in errors] == [WEEKLY_SEND]
    assert isinstance(errors[0].exception, LcpgError)
    failures = [r for r in caplog.records if r.name == "lcpg.scheduler" and r.levelname == "ERROR"]
    assert "1 sent, 2 still pending" in failures[0].getMessage()


def test_a_run_missed_while_the_scheduler_was_down_runs_once_on_start(
    app: App, settings: ScheduleSettings, sends: Sends
) -> None:
    url = app.settings.database_url
    due = datetime.now(UTC) - timedelta(hours=1)
    store_next_run(url, settings, due)
    # Stopping did not consume the due run (APScheduler 3 looks once more after shutdown).
    assert next(s for s in scheduler_status(url) if s.id == WEEKLY_SEND).next_run_time == due
    scheduler = started(url, settings, paused=True)  # a fresh process: builds again
    submitted = watch(scheduler, EVENT_JOB_SUBMITTED)
    executed = watch(scheduler, EVENT_JOB_EXECUTED)
    scheduler.resume()
    try:
        assert sends.wait(), "the missed run was dropped"
        assert wait_for(lambda: submitted and executed)
        # No second run can follow: the store already holds the next run, in the future.
        assert_next_run_ahead(url)
    finally:
        scheduler.shutdown(wait=True)
    assert [(e.job_id, e.scheduled_run_times) for e in submitted] == [(WEEKLY_SEND, [due])]
    assert len(sends.calls) == 1 and [e.job_id for e in executed] == [WEEKLY_SEND]


def test_weeks_of_missed_runs_are_coalesced_into_one(
    app: App, tmp_path: Path, sends: Sends
) -> None:
    url = app.settings.database_url
    daily = ScheduleSettings(
        weekly_cron=far_cron(),
        nightly_cron=far_cron(13),
        feeds_dir=str(tmp_path / "feeds"),
        misfire_grace_hours=24 * 30,
    )
    first_due = datetime.now(UTC) - timedelta(days=5)  # five or six daily runs are due
    store_next_run(url, daily, first_due)
    scheduler = started(url, daily, paused=True)
    submitted = watch(scheduler, EVENT_JOB_SUBMITTED)
    scheduler.resume()
    try:
        assert sends.wait()
        assert wait_for(lambda: submitted)
        assert_next_run_ahead(url)  # every missed run was consumed by the one that ran
    finally:
        scheduler.shutdown(wait=True)
    (submission,) = submitted
    assert submission.job_id == WEEKLY_SEND
    (run_time,) = submission.scheduled_run_times  # coalesced: one run for all of them
    assert run_time > first_due + timedelta(days=4)  # the latest missed run, not the first
    assert len(sends.calls) == 1


def test_a_run_missed_by_more_than_the_grace_is_skipped_not_sent_late(
    app: App, tmp_path: Path, sends: Sends, caplog: pytest.LogCaptureFixture
) -> None:
    url = app.settings.database_url
    short = ScheduleSettings(
        weekly_cron=far_cron(),
        nightly_cron=far_cron(13),
        feeds_dir=str(tmp_path / "feeds"),
        misfire_grace_hours=1,
    )
    store_next_run(url, short, datetime.now(UTC) - timedelta(hours=2))
    scheduler = build_scheduler(url, "lcpg/blueprints/kent.toml", short, SafeShutdownScheduler)
    missed = watch(scheduler, EVENT_JOB_MISSED)
    scheduler.start()
    deadline = time.monotonic() + WAIT
    while not missed and time.monotonic() < deadline:
        time.sleep(0.05)
    scheduler.shutdown(wait=True)
    assert [e.job_id for e in missed] == [WEEKLY_SEND]
    assert sends.calls == []
    assert "was missed" in caplog.text
    weekly = next(s for s in scheduler_status(url) if s.id == WEEKLY_SEND)
    assert weekly.next_run_time is not None and weekly.next_run_time > datetime.now(UTC)


def test_two_schedulers_started_by_mistake_send_each_message_once(
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The real send_week on the demo register: the outbox's unique key and conditional claim
    # let each message out once, however the two runs interleave.
    from lcpg.notify.transport import OutboxFolder
    from lcpg.services.demo import run_demo

    caplog.set_level(logging.INFO, logger="lcpg.scheduler")
    app = App(Settings.resolve(database_url=database_url))
    run_demo(app, datetime.now(LONDON).date(), tmp_path / "demo")
    app.close()
    monkeypatch.delenv("LCPG_SMTP_URL", raising=False)
    monkeypatch.setenv("LCPG_OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.setenv("LCPG_PUBLIC_URL", "https://lcpg.example.org/")
    delivered: list[str] = []
    deliver = OutboxFolder.send

    def counting(
        self: OutboxFolder, message: bytes, sender: str, recipient: str, name: str
    ) -> None:
        delivered.append(name)
        deliver(self, message, sender, recipient, name)

    monkeypatch.setattr(OutboxFolder, "send", counting)
    # Two schedulers that both find the job due run it at the same moment (whether both do
    # depends on who advances the stored next run time first, so the runs are made here).
    use_database(database_url)  # as each scheduler process does
    together = threading.Barrier(2)
    failures: list[BaseException] = []

    def scheduled_run() -> None:
        together.wait()
        try:
            weekly_send(str(KENT))
        except BaseException as exc:
            failures.append(exc)

    runs = [threading.Thread(target=scheduled_run) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(60)
    assert failures == [], caplog.text
    assert delivered and len(delivered) == len(set(delivered))  # each message once
    engine = make_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT status, count(*) FROM outbox GROUP BY status"))
        assert dict(rows.all()) == {"sent": len(delivered)}
    engine.dispose()
    sent = [
        int(r.getMessage().split(": ")[1].split(" sent")[0])
        for r in caplog.records
        if r.getMessage().startswith("weekly send for")
    ]
    assert len(sent) == 2 and sum(sent) == len(delivered)


def test_the_weekly_job_refuses_links_to_this_machine_in_its_log(
    app: App,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # No LCPG_PUBLIC_URL and nothing stored by `lcpg init --public-url`: the e-mails would
    # link to 127.0.0.1, so the run fails, says why in the log, and sends nothing.
    caplog.set_level(logging.INFO, logger="lcpg.scheduler")
    for name in ("LCPG_PUBLIC_URL", "LCPG_FEEDS_URL", "LCPG_SMTP_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LCPG_OUTBOX_DIR", str(tmp_path / "outbox"))
    use_database(app.settings.database_url)
    with pytest.raises(LcpgError, match="LCPG_PUBLIC_URL"):
        weekly_send(str(KENT))
    (failed,) = [r for r in caplog.records if r.getMessage().startswith("weekly send failed")]
    assert failed.levelno == logging.ERROR
    assert "http://127.0.0.1:8080/" in failed.getMessage()
    assert "LCPG_PUBLIC_URL" in failed.getMessage()
    assert not (tmp_path / "outbox").exists()
    with UnitOfWork(app.engine) as uow:
        assert uow.session.execute(text("SELECT count(*) FROM outbox")).scalar() == 0


def test_the_nightly_job_writes_the_feeds(
    app: App, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="lcpg.scheduler")
    out = tmp_path / "feeds"
    use_database(app.settings.database_url)
    nightly_feeds(str(app.settings.blueprint_path), str(out), "https://x")
    assert (out / "county.ics").is_file() and (out / "index.html").is_file()
    feeds = len(list(out.glob("*.ics")))
    assert feeds > 12 and f"nightly feed export: {feeds} feeds, 0 events" in caplog.text


def test_run_forever_logs_start_and_stop(
    app: App, settings: ScheduleSettings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="lcpg.scheduler")
    stop = threading.Event()
    runner = threading.Thread(
        target=run_forever,
        args=(app.settings.database_url, "lcpg/blueprints/kent.toml", settings, stop),
    )
    runner.start()
    deadline = time.monotonic() + WAIT
    while "scheduler started" not in caplog.text and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    runner.join(WAIT)
    assert not runner.is_alive()
    assert "Weekly compliance e-mails" in caplog.text and "next run 20" in caplog.text
    assert "scheduler started" in caplog.text and "scheduler stopped" in caplog.text


# The process


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_the_process_stops_cleanly_on_a_signal(
    app: App, tmp_path: Path, signum: signal.Signals
) -> None:
    script = (
        "import sys\n"
        "from lcpg.bootstrap import App, Settings\n"
        "from lcpg.services.scheduling import run_scheduler\n"
        "run_scheduler(App(Settings.resolve(database_url=sys.argv[1])))\n"
    )
    log = tmp_path / "scheduler.log"
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "LCPG_WEEKLY_CRON": far_cron(),
        "LCPG_NIGHTLY_CRON": far_cron(13),
        "LCPG_FEEDS_DIR": str(tmp_path / "feeds"),
        "LCPG_PUBLIC_URL": "",  # unset: the scheduler warns at once that the send will fail
    }
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(
            [sys.executable, "-c", script, app.settings.database_url],
            cwd=tmp_path,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while "scheduler started" not in log.read_text(encoding="utf-8"):
                assert process.poll() is None, log.read_text(encoding="utf-8")
                assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
                time.sleep(0.1)
            process.send_signal(signum)
            assert process.wait(timeout=10) == 0, log.read_text(encoding="utf-8")
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    text_logged = log.read_text(encoding="utf-8")
    assert "scheduler stopped" in text_logged and "Traceback" not in text_logged
    assert "Set LCPG_PUBLIC_URL" in text_logged and "the weekly send will fail" in text_logged
    assert {s.id for s in scheduler_status(app.settings.database_url)} == {
        WEEKLY_SEND,
        NIGHTLY_FEEDS,
    }


# Settings from the environment


def test_schedule_settings_default_to_monday_seven_and_half_past_two() -> None:
    assert schedule_settings_from({}) == ScheduleSettings()


def test_schedule_settings_from_the_environment() -> None:
    settings = schedule_settings_from(
        {
            "LCPG_WEEKLY_CRON": " 30 6 * * tue ",
            "LCPG_NIGHTLY_CRON": "0 3 * * *",
            "LCPG_FEEDS_DIR": "/srv/lcpg/feeds",
            "LCPG_PUBLIC_URL": "https://lcpg.example.org",
        },
        timezone="Europe/Dublin",
    )
    assert settings == ScheduleSettings(
        weekly_cron="30 6 * * tue",
        nightly_cron="0 3 * * *",
        timezone="Europe/Dublin",
        feeds_dir="/srv/lcpg/feeds",
        feeds_url="https://lcpg.example.org/feeds",
    )


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("LCPG_WEEKLY_CRON", "0 7 * *", "Wrong number of fields"),
        ("LCPG_WEEKLY_CRON", "0 7 * * funday", "funday"),
        ("LCPG_NIGHTLY_CRON", "61 2 * * *", "higher than the maximum"),
        ("LCPG_WEEKLY_CRON", "0 7 30 2 *", "never fires"),
    ],
)
def test_a_bad_cron_expression_is_refused_naming_the_variable(
    variable: str, value: str, message: str
) -> None:
    with pytest.raises(LcpgError, match=rf"^{variable}=.*{message}"):
        schedule_settings_from({variable: value})


def test_an_unknown_time_zone_is_refused() -> None:
    with pytest.raises(LcpgError, match="unknown time zone 'Europe/Atlantis'"):
        schedule_settings_from({}, timezone="Europe/Atlantis")
