"""Writers queue on the register's writer lock on every backend: `lcpg import`s and `lcpg terms
import`s started while another program writes say they are waiting, then all write, one after
the other; a lock held past the busy timeout ends in the same clear error as SQLite's, with
nothing written. On PostgreSQL the lock is an advisory lock (``lcpg.store.database``); SQLite's is
its own write lock (more of it in ``test_sqlite_locked.py``)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text

from lcpg.store.database import make_engine
from lcpg.store.unit_of_work import UnitOfWork
from tests.conftest import FIXTURES
from tests.database_dump import dump
from tests.e2e.server import start_lcpg
from tests.faults.processes import environment, run_lcpg, wait_for
from tests.samples import csv_folder

pytestmark = pytest.mark.faults

WAITING = "Waiting for another program to finish writing to the database"
TERMS = FIXTURES / "terms" / "school-terms.ics"
LOCKED = (
    "is locked: another program kept writing to it for more than 0.5 seconds, "
    "so the change was not written."
)
CY = "cy.lane@example.org,Cy Lane,Tonbridge Youth Hub (fictional)\n"


@pytest.fixture
def url(database_url: str, tmp_path: Path) -> str:
    """``database_url`` set up by `lcpg init`."""
    result = run_lcpg("init", cwd=tmp_path, env=environment(database_url))
    assert result.returncode == 0, result.stderr
    return database_url


@contextmanager
def another_writer(url: str) -> Iterator[None]:
    """Another lcpg program in the middle of a write: it holds the writer lock until the
    block ends (and rolls back)."""
    engine = make_engine(url)
    try:
        with UnitOfWork(engine, write=True) as uow:
            uow.session.connection()  # begins the write, taking the lock
            yield
    finally:
        engine.dispose()


def run_together(
    commands: dict[str, tuple[str, ...]], url: str, folder: Path
) -> dict[str, tuple[int, str]]:
    """Start ``commands`` (by name) while another writer holds the lock; once each says it
    waits, release the lock. Each command's exit status and output."""
    env = environment(url)
    logs = {name: folder / f"{name}.log" for name in commands}
    processes: dict[str, subprocess.Popen[str]] = {}
    try:
        with another_writer(url):
            for name, args in commands.items():
                processes[name] = start_lcpg(*args, cwd=folder, env=env, log=logs[name])
            for name, process in processes.items():
                log = logs[name]
                wait_for(
                    lambda: WAITING in log.read_text(encoding="utf-8"),  # noqa: B023 (called at once)
                    f"lcpg {name} saying it waits for the lock",
                    process=process,
                )
            assert all(p.poll() is None for p in processes.values())  # waiting, not failed
        return {
            name: (process.wait(timeout=60), logs[name].read_text(encoding="utf-8"))
            for name, process in processes.items()
        }
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.kill()
                process.wait()


def emails(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return set(connection.execute(text("SELECT email FROM people")).scalars())
    finally:
        engine.dispose()


def test_two_imports_at_once_wait_and_then_both_write(url: str, tmp_path: Path) -> None:
    first = csv_folder(tmp_path / "first")
    second = csv_folder(tmp_path / "second", people=(first / "people.csv").read_text() + CY)
    results = run_together(
        {"first": ("import", str(first)), "second": ("import", str(second))}, url, tmp_path
    )
    for name, (status, output) in results.items():
        assert status == 0, f"{name}: {output}"
        assert "Traceback" not in output
    assert emails(url) == {"ada.finch@example.org", "bo.reed@example.org", "cy.lane@example.org"}


def test_two_term_imports_at_once_wait_and_then_both_write(url: str, tmp_path: Path) -> None:
    results = run_together(
        {name: ("terms", "import", str(TERMS)) for name in ("first", "second")}, url, tmp_path
    )
    for name, (status, output) in results.items():
        assert status == 0, f"{name}: {output}"
        assert "Traceback" not in output
    listed = run_lcpg("terms", "list", cwd=tmp_path, env=environment(url))
    assert listed.returncode == 0, listed.stderr
    assert "imported from school-terms.ics" in listed.stdout


def test_a_lock_held_past_the_busy_timeout_is_a_clear_error_and_writes_nothing(
    url: str, tmp_path: Path
) -> None:
    before = dump(url)
    with another_writer(url):
        result = run_lcpg(
            "import",
            str(csv_folder(tmp_path / "in")),
            cwd=tmp_path,
            env=environment(url, LCPG_DB_BUSY_TIMEOUT="0.5"),
            timeout=60,
        )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{WAITING} (up to 0.5 s)" in result.stderr
    assert LOCKED in result.stderr
    assert dump(url) == before
