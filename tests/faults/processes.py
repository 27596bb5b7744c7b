"""Running `lcpg` as a user does, for the fault tests: its environment, its output, and
waiting on a real condition (never a fixed sleep) with a deadline, so a hang fails the test.
Starting it in the background is ``tests.e2e.server.start_lcpg``, as for the other e2e tests."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from tests.e2e.server import lcpg_command

DEMO_DATE = "2026-11-22"
POLL = 0.02  # seconds between looks at a condition


def environment(database_url: str, **extra: str) -> dict[str, str]:
    """This process's environment without any lcpg settings of the caller's, with
    ``LCPG_DATABASE_URL`` and ``extra`` set."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("LCPG_")}
    env.update(LCPG_DATABASE_URL=database_url, **extra)
    return env


def run_lcpg(
    *args: str, cwd: Path, env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """`lcpg ARGS` to the end (at most ``timeout`` seconds)."""
    return subprocess.run(
        [lcpg_command(), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def wait_for(
    condition: Callable[[], bool],
    what: str,
    timeout: float = 60,
    process: subprocess.Popen[str] | None = None,
) -> None:
    """Return as soon as ``condition()`` holds; fail the test naming ``what`` after
    ``timeout`` seconds, or as soon as ``process`` (if given) has exited without it."""
    deadline = time.monotonic() + timeout
    while not condition():
        if process is not None and process.poll() is not None:
            raise AssertionError(f"{what}: the process exited first (status {process.returncode})")
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout:g} s")
        time.sleep(POLL)


def write_lock_held(path: Path) -> bool:
    """Whether another connection holds the SQLite database's write lock: our own attempt to
    take it fails at once with "database is locked" (it is released again when it succeeds)."""
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if exc.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY:
            return True
        raise
    else:
        probe.execute("ROLLBACK")
        return False
    finally:
        probe.close()


def copy_sqlite(source: Path, target: Path) -> Path:
    """A consistent copy of the SQLite database ``source`` at ``target`` (SQLite's backup)."""
    with sqlite3.connect(source) as original, sqlite3.connect(target) as copy:
        original.backup(copy)
    original.close()
    copy.close()
    return target
