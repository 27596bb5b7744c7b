"""The weekly e-mails and the nightly feed export, run by APScheduler 3 in one process.

``build_scheduler`` wires a scheduler whose jobs live in the register's own database (table
``apscheduler_jobs``, created by the job store on first start; it is not part of lcpg's
schema). The two jobs have fixed ids, so starting again replaces them instead of adding
copies, and carry the settings that make a restart safe: missed runs are coalesced into one,
and a run missed by up to ``misfire_grace_hours`` (the machine was off at 07:00 on Monday)
still happens when the scheduler comes back.

APScheduler 3 recomputes a replaced job's next run time from now, which would silently drop
the run that was missed while the scheduler was down. So when a job is stored with the same
trigger, ``build_scheduler`` keeps its stored next run time and lets the misfire rules decide.

``run_forever`` is the foreground process (``lcpg scheduler run``): it stops cleanly on
SIGTERM or SIGINT, letting a running job finish. ``scheduler_status`` reads the stored jobs
without starting anything.

One scheduler per database: APScheduler 3 cannot share a job store between processes. Two
started by mistake both run each job, but the outbox's unique key still sends every message
once.
"""

from __future__ import annotations

import logging
import pickle
import signal
import threading
from dataclasses import dataclass
from datetime import datetime
from types import FrameType
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.events import EVENT_JOB_MISSED
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_STOPPED, BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import Engine, inspect, select

from lcpg.notify.jobs import nightly_feeds, use_database, weekly_send
from lcpg.services.public_url import DEFAULT_FEEDS_URL
from lcpg.store.database import display_url, make_engine

log = logging.getLogger("lcpg.scheduler")

JOBS_TABLE = "apscheduler_jobs"
WEEKLY_SEND = "weekly-send"
NIGHTLY_FEEDS = "nightly-feeds"
JOB_NAMES = {
    WEEKLY_SEND: "Weekly compliance e-mails",
    NIGHTLY_FEEDS: "Nightly calendar feed export",
}


@dataclass(frozen=True)
class ScheduleSettings:
    """When the jobs run and where the nightly export writes.

    Cron expressions have the five crontab fields (minute hour day month weekday) and are read
    in ``timezone``: ``0 7 * * mon`` is 07:00 on Mondays on the local clock, summer or winter.
    """

    weekly_cron: str = "0 7 * * mon"
    nightly_cron: str = "30 2 * * *"
    timezone: str = "Europe/London"
    feeds_dir: str = "feeds"
    feeds_url: str = DEFAULT_FEEDS_URL
    misfire_grace_hours: int = 12


@dataclass(frozen=True)
class JobStatus:
    """A stored job: ``trigger`` as text (``cron[day_of_week='mon', hour='7', ...]``) and the
    next run time in the trigger's time zone (None when paused). A next run time in the past
    means no scheduler has been running since."""

    id: str
    name: str
    trigger: str
    next_run_time: datetime | None


class SafeShutdownScheduler(BackgroundScheduler):  # type: ignore[misc]
    """A ``BackgroundScheduler`` that does nothing more once it has been shut down.

    APScheduler 3's loop looks for due jobs once more after ``shutdown`` (agronholm/apscheduler
    issue 985): a run due at that moment fails to reach the stopped executor ("cannot schedule
    new futures after shutdown") and is marked done all the same, so a weekly send due as the
    service stops would be lost until the next week.
    """

    def _process_jobs(self) -> float | None:
        if self.state == STATE_STOPPED:
            return None
        wait_seconds: float | None = super()._process_jobs()
        return wait_seconds


def cron_trigger(expression: str, timezone: str) -> CronTrigger:
    """The trigger for a five-field crontab ``expression`` read in ``timezone``. Raises
    ``ValueError`` for a malformed expression or an unknown time zone."""
    return CronTrigger.from_crontab(expression, timezone=ZoneInfo(timezone))


def build_scheduler(
    database_url: str,
    blueprint_path: str,
    settings: ScheduleSettings,
    scheduler_class: type[BaseScheduler] = SafeShutdownScheduler,
) -> BaseScheduler:
    """A scheduler, not yet started, holding the weekly send and the nightly feed export in
    ``database_url``'s job store. The jobs are written to the store when it starts; they run
    against ``database_url`` in this process (``lcpg.notify.jobs.use_database``), which is not
    stored with them.

    ``feeds_dir`` and ``blueprint_path`` are stored as given: pass absolute paths when the
    process may start from another folder. Raises ``ValueError`` for a bad cron expression or
    time zone in ``settings``.
    """
    jobs: list[tuple[str, Any, CronTrigger, tuple[str, ...]]] = [
        (
            WEEKLY_SEND,
            weekly_send,
            cron_trigger(settings.weekly_cron, settings.timezone),
            (blueprint_path,),
        ),
        (
            NIGHTLY_FEEDS,
            nightly_feeds,
            cron_trigger(settings.nightly_cron, settings.timezone),
            (blueprint_path, settings.feeds_dir, settings.feeds_url),
        ),
    ]
    # The jobs find their database here, not among their stored arguments: the URL may hold a
    # password. Replacing the jobs on start also rewrites rows stored by older versions,
    # which did keep it.
    use_database(database_url)
    engine = make_engine(database_url)
    store = SQLAlchemyJobStore(engine=engine, tablename=JOBS_TABLE)
    stored = _stored_states(engine, store)
    scheduler = scheduler_class(jobstores={"default": store}, timezone=ZoneInfo(settings.timezone))
    scheduler.add_listener(_log_missed_run, EVENT_JOB_MISSED)
    for job_id, func, trigger, args in jobs:
        kept: dict[str, datetime] = {}
        previous = stored.get(job_id)
        if (
            previous is not None
            and previous.get("next_run_time") is not None
            and repr(previous.get("trigger")) == repr(trigger)
        ):
            # Keep a missed run due, rather than let replace_existing skip it.
            kept["next_run_time"] = previous["next_run_time"]
        scheduler.add_job(
            func,
            trigger,
            args=args,
            id=job_id,
            name=JOB_NAMES[job_id],
            replace_existing=True,
            coalesce=True,
            misfire_grace_time=settings.misfire_grace_hours * 3600,
            max_instances=1,
            **kept,
        )
    return scheduler


def scheduler_status(database_url: str) -> list[JobStatus]:
    """The jobs stored in ``database_url``, soonest first, read without starting a scheduler
    (nothing runs, nothing is written). Empty when no scheduler has run on this database."""
    engine = make_engine(database_url)
    try:
        store = SQLAlchemyJobStore(engine=engine, tablename=JOBS_TABLE)
        states = _stored_states(engine, store)
    finally:
        engine.dispose()
    statuses = [
        JobStatus(
            id=job_id,
            name=str(state.get("name", job_id)),
            trigger=str(state.get("trigger", "")),
            next_run_time=state.get("next_run_time"),
        )
        for job_id, state in states.items()
    ]
    return sorted(statuses, key=_soonest_first)


def run_forever(
    database_url: str,
    blueprint_path: str,
    settings: ScheduleSettings,
    stop: threading.Event | None = None,
) -> None:
    """Run the jobs until SIGTERM or SIGINT (or until ``stop`` is set), then shut down,
    waiting for a running job to finish. Logs ``scheduler started`` and ``scheduler stopped``.

    The signal handlers only set ``stop``; the shutdown happens here, outside any handler.
    They are installed only on the main thread, and the previous ones are put back on return
    (after the first signal too, so a second Ctrl-C interrupts a job that will not finish).
    """
    stop = stop or threading.Event()
    restore: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():

        def request_stop(signum: int, _frame: FrameType | None) -> None:
            log.info("received %s: stopping", signal.Signals(signum).name)
            stop.set()
            for number, handler in restore.items():
                signal.signal(number, handler)

        for signum in (signal.SIGTERM, signal.SIGINT):
            restore[signum] = signal.signal(signum, request_stop)
    try:
        scheduler = build_scheduler(database_url, blueprint_path, settings)
        scheduler.start()
        try:
            for status in scheduler_jobs(scheduler):
                log.info("%s (%s): next run %s", status.name, status.trigger, _when(status))
            log.info(
                "scheduler started on %s (misfire grace %d hours)",
                display_url(database_url),
                settings.misfire_grace_hours,
            )
            stop.wait()
        finally:
            scheduler.shutdown(wait=True)
        log.info("scheduler stopped")
    finally:
        for number, handler in restore.items():
            signal.signal(number, handler)


def scheduler_jobs(scheduler: BaseScheduler) -> list[JobStatus]:
    """The jobs of a started scheduler, soonest first."""
    statuses = [
        JobStatus(job.id, job.name, str(job.trigger), job.next_run_time)
        for job in scheduler.get_jobs()
    ]
    return sorted(statuses, key=_soonest_first)


def _stored_states(engine: Engine, store: SQLAlchemyJobStore) -> dict[str, dict[str, Any]]:
    # The pickled state (a plain dict: the function as an import path, the trigger, the next
    # run time) is read without rebuilding the job, so nothing is imported or run.
    table = store.jobs_t
    if not inspect(engine).has_table(table.name, schema=table.schema):
        return {}
    states: dict[str, dict[str, Any]] = {}
    with engine.connect() as connection:
        for job_id, blob in connection.execute(select(table.c.id, table.c.job_state)):
            try:
                state = pickle.loads(blob)
            except Exception as exc:  # the scheduler drops such a job when it starts
                log.warning("stored job %s cannot be read (%s); ignored", job_id, exc)
                continue
            if isinstance(state, dict):
                states[job_id] = state
    return states


def _log_missed_run(event: Any) -> None:
    log.warning(
        "%s: the run due at %s was missed (the scheduler was down longer than the misfire "
        "grace); it will not run late. Run it by hand if it is still wanted.",
        JOB_NAMES.get(event.job_id, event.job_id),
        event.scheduled_run_time,
    )


def _soonest_first(status: JobStatus) -> tuple[bool, float, str]:
    moment = status.next_run_time
    return (moment is None, moment.timestamp() if moment else 0.0, status.id)


def _when(status: JobStatus) -> str:
    return status.next_run_time.isoformat() if status.next_run_time else "never (paused)"
