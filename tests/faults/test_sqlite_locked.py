"""SQLite locked by another writer: `lcpg import` and `lcpg plan --save` started meanwhile say
they are waiting, then both write once the lock is released; a lock held past the busy timeout
ends in a clear error with nothing written."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.database_dump import dump
from tests.e2e.server import start_lcpg
from tests.faults.processes import (
    DEMO_DATE,
    copy_sqlite,
    environment,
    run_lcpg,
    wait_for,
)
from tests.samples import csv_folder

pytestmark = pytest.mark.faults

WAITING = "Waiting for another program to finish writing to the database"


@pytest.fixture
def database(demo_sqlite: Path, tmp_path: Path) -> Path:
    return copy_sqlite(demo_sqlite, tmp_path / "lcpg.db")


@pytest.fixture
def lock(database: Path) -> Iterator[sqlite3.Connection]:
    """Another writer: a connection holding the database's write lock until it rolls back."""
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    yield holder
    if holder.in_transaction:
        holder.execute("ROLLBACK")
    holder.close()


def planned_in(database: Path, year: int) -> int:
    with sqlite3.connect(database) as connection:
        (count,) = connection.execute(
            "SELECT count(*) FROM meetings WHERE status = 'planned' AND start LIKE ?",
            (f"{year}-%",),
        ).fetchone()
    connection.close()
    return int(count)


def test_writers_wait_for_the_lock_and_then_both_write(
    database: Path, lock: sqlite3.Connection, tmp_path: Path
) -> None:
    env = environment(f"sqlite:///{database}")
    assert planned_in(database, 2028) == 0
    logs = {name: tmp_path / f"{name}.log" for name in ("import", "plan")}
    import_ = start_lcpg(
        "import", str(csv_folder(tmp_path / "in")), cwd=tmp_path, env=env, log=logs["import"]
    )
    plan = start_lcpg(
        "plan", "--year", "2028", "--save", "--as-of", DEMO_DATE,
        cwd=tmp_path, env=env, log=logs["plan"],
    )  # fmt: skip
    try:
        for name, process in (("import", import_), ("plan", plan)):
            log = logs[name]
            wait_for(
                lambda: WAITING in log.read_text(encoding="utf-8"),  # noqa: B023 (called at once)
                f"lcpg {name} saying it waits for the lock",
                process=process,
            )
        assert import_.poll() is None and plan.poll() is None  # still waiting, not failed
        lock.execute("ROLLBACK")
        assert import_.wait(timeout=60) == 0, logs["import"].read_text(encoding="utf-8")
        assert plan.wait(timeout=60) == 0, logs["plan"].read_text(encoding="utf-8")
    finally:
        for process in (import_, plan):
            if process.poll() is None:
                process.kill()
                process.wait()
    with sqlite3.connect(database) as connection:
        emails = {row[0] for row in connection.execute("SELECT email FROM people")}
    connection.close()
    assert {"ada.finch@example.org", "bo.reed@example.org"} <= emails
    assert planned_in(database, 2028) > 0


def test_a_lock_held_past_the_busy_timeout_is_a_clear_error_and_writes_nothing(
    database: Path, lock: sqlite3.Connection, tmp_path: Path
) -> None:
    url = f"sqlite:///{database}"
    lock.execute("ROLLBACK")  # dump through a second connection while nobody writes
    before = dump(url)
    lock.execute("BEGIN IMMEDIATE")
    result = run_lcpg(
        "import",
        str(csv_folder(tmp_path / "in")),
        cwd=tmp_path,
        env=environment(url, LCPG_DB_BUSY_TIMEOUT="0.5"),
        timeout=60,
    )
    lock.execute("ROLLBACK")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{WAITING} (up to 0.5 s)" in result.stderr
    assert (
        f"Error: the database {url} is locked: another program kept writing to it for more "
        "than 0.5 seconds, so the change was not written." in result.stderr
    )
    assert dump(url) == before
