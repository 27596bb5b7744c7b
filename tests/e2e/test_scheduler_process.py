"""`lcpg scheduler run` started as a service manager starts it: in the foreground, logging to
standard error, stopped with SIGTERM; and `lcpg scheduler status` beside it."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.server import lcpg_command, load_demo, start_lcpg

STARTED = "scheduler started"
STOPPED = "scheduler stopped"
# What the weekly job logs when it has finished: sent, failed, or raised something unexpected.
RUN_ENDED = ("weekly send for", "weekly send failed", "raised an exception")


def far_cron(hours_away: int) -> str:
    """A daily cron at an hour ``hours_away`` from now: it does not fire during the test."""
    hour = (datetime.now(ZoneInfo("Europe/London")).hour + hours_away) % 24
    return f"0 {hour} * * *"


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return load_demo(tmp_path_factory.mktemp("scheduler"))


def environment(folder: Path, weekly_cron: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("LCPG_DATABASE_URL", "LCPG_SMTP_URL", "LCPG_BLUEPRINT")
    }
    env.update(
        LCPG_WEEKLY_CRON=weekly_cron,
        LCPG_NIGHTLY_CRON=far_cron(13),
        LCPG_FEEDS_DIR=str(folder / "scheduled-feeds"),
        LCPG_OUTBOX_DIR=str(folder / "outbox"),
        # Where the e-mails' links point: the weekly send refuses this machine's address.
        LCPG_PUBLIC_URL="https://lcpg.example.org/",
    )
    return env


@contextlib.contextmanager
def running_scheduler(
    folder: Path, env: dict[str, str]
) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    """`lcpg scheduler run` in ``folder``, once it has logged that it started; killed after the
    test if it is still running."""
    log = folder / f"scheduler-{time.monotonic_ns()}.log"
    process = start_lcpg("scheduler", "run", cwd=folder, env=env, log=log)
    try:
        deadline = time.monotonic() + 30
        while STARTED not in log.read_text(encoding="utf-8"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(
                    "lcpg scheduler run did not start:\n" + log.read_text(encoding="utf-8")
                )
            time.sleep(0.1)
        yield process, log
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def stop(process: subprocess.Popen[str], log: Path) -> str:
    """SIGTERM, as a service manager stops a service; the log once it has exited 0."""
    process.send_signal(signal.SIGTERM)
    try:
        code = process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        raise AssertionError(
            "no exit within 10 s of SIGTERM:\n" + log.read_text(encoding="utf-8")
        ) from None
    text = log.read_text(encoding="utf-8")
    assert code == 0, text
    return text


def test_runs_in_the_foreground_and_stops_cleanly_on_sigterm(demo_folder: Path) -> None:
    env = environment(demo_folder, far_cron(12))
    with running_scheduler(demo_folder, env) as (process, log):
        status = subprocess.run(
            [lcpg_command(), "scheduler", "status"],
            cwd=demo_folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert status.returncode == 0, status.stderr
        assert "weekly-send" in status.stdout and "nightly-feeds" in status.stdout
        text = stop(process, log)
    assert STOPPED in text and "Traceback" not in text
    assert "Weekly compliance e-mails" in text and "next run" in text


def test_a_send_missed_while_it_was_stopped_runs_when_it_starts(demo_folder: Path) -> None:
    # The machine was off at the weekly send's time an hour ago: the run is still due in the
    # job store, and a scheduler started within the misfire grace sends it at once.
    from lcpg.notify.scheduler import WEEKLY_SEND, ScheduleSettings, build_scheduler

    weekly_cron = far_cron(12)
    env = environment(demo_folder, weekly_cron)
    database = f"sqlite:///{demo_folder / 'lcpg.db'}"
    earlier = build_scheduler(
        database,
        "unused",
        ScheduleSettings(weekly_cron=weekly_cron, nightly_cron=env["LCPG_NIGHTLY_CRON"]),
    )
    earlier.start(paused=True)
    earlier.modify_job(WEEKLY_SEND, next_run_time=datetime.now(UTC) - timedelta(hours=1))
    earlier.shutdown()

    with running_scheduler(demo_folder, env) as (process, log):
        deadline = time.monotonic() + 60
        while not any(done in log.read_text(encoding="utf-8") for done in RUN_ENDED):
            assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
            time.sleep(0.2)
        text = stop(process, log)
    assert "weekly send for" in text and "Traceback" not in text, text
