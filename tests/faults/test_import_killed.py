"""`lcpg import` killed with SIGKILL in the middle of writing leaves the database exactly as it
was, still sound, and the same import then succeeds (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from lcpg.store.database import sqlite_file
from tests.database_dump import dump
from tests.e2e.server import start_lcpg
from tests.faults.processes import (
    DEMO_DATE,
    copy_sqlite,
    environment,
    run_lcpg,
    wait_for,
    write_lock_held,
)

pytestmark = pytest.mark.faults

# Enough rows that writing them takes a good part of a second. SQLite needs the more: they must
# spill out of its page cache into the write-ahead log before the commit, so that the kill
# lands among real writes; PostgreSQL shows its writing transaction directly.
MEMBERS = {"sqlite": 40_000, "postgresql": 4_000}
DISTRICTS = ("ashford", "canterbury", "dartford", "dover", "gravesham", "maidstone")


def write_workbook(folder: Path, members: int) -> Path:
    """A CSV folder of ``members`` fictional additional members of six LCPGs."""
    folder.mkdir(parents=True)
    with (
        (folder / "people.csv").open("w", newline="", encoding="utf-8") as people,
        (folder / "memberships.csv").open("w", newline="", encoding="utf-8") as memberships,
    ):
        people_rows, membership_rows = csv.writer(people), csv.writer(memberships)
        people_rows.writerow(["email", "name", "organisation"])
        membership_rows.writerow(["body", "email", "sector", "roles", "start", "end"])
        for number in range(members):
            email = f"member{number:05d}@example.org"
            people_rows.writerow([email, f"Member {number:05d}", "Example Trust (fictional)"])
            district = DISTRICTS[number % len(DISTRICTS)]
            membership_rows.writerow(
                [f"lcpg-{district}", email, "additional", "", "2024-01-01", ""]
            )
    return folder


def demo_database(database_url: str, demo_sqlite: Path, folder: Path) -> None:
    path = sqlite_file(database_url)
    if path is not None:
        copy_sqlite(demo_sqlite, path)
        return
    loaded = run_lcpg("demo", "--as-of", DEMO_DATE, cwd=folder, env=environment(database_url))
    assert loaded.returncode == 0, loaded.stderr


def stop_inside_sqlite_write(import_: subprocess.Popen[str], database: Path) -> None:
    """Freeze the import once it has written uncommitted pages to the write-ahead log, and
    check that it is frozen inside its transaction (it still holds the write lock)."""
    wal = database.with_name(database.name + "-wal")
    wait_for(
        lambda: wal.exists() and wal.stat().st_size > 0,
        "the import writing to the write-ahead log",
        process=import_,
    )
    os.kill(import_.pid, signal.SIGSTOP)
    assert write_lock_held(database), "the import committed before it could be stopped"


def stop_inside_postgresql_write(
    import_: subprocess.Popen[str], database_url: str, application: str
) -> int:
    """Freeze the import once its transaction has written (PostgreSQL gave it a transaction
    id), check that the transaction is still open, and return its server process id."""
    engine = create_engine(database_url)
    query = text(
        "SELECT pid, backend_xid IS NOT NULL AS wrote FROM pg_stat_activity "
        "WHERE application_name = :name"
    )
    try:
        with engine.connect() as connection:

            def writing() -> bool:
                row = connection.execute(query, {"name": application}).first()
                connection.rollback()  # a fresh snapshot of pg_stat_activity each time
                return bool(row is not None and row.wrote)

            wait_for(writing, "the import writing in its transaction", process=import_)
            os.kill(import_.pid, signal.SIGSTOP)
            assert writing(), "the import committed before it could be stopped"
            row = connection.execute(query, {"name": application}).one()
            return int(row.pid)
    finally:
        engine.dispose()


def wait_until_backend_gone(database_url: str, pid: int) -> None:
    """The server notices its client is gone and rolls back; wait until it has."""
    engine = create_engine(database_url)
    query = text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid")
    try:
        with engine.connect() as connection:

            def gone() -> bool:
                count: int = connection.execute(query, {"pid": pid}).scalar_one()
                connection.rollback()
                return count == 0

            wait_for(gone, "PostgreSQL ending the killed import's session", timeout=30)
    finally:
        engine.dispose()


def test_an_import_killed_mid_write_leaves_the_database_as_it_was(
    database_url: str, demo_sqlite: Path, tmp_path: Path
) -> None:
    database = sqlite_file(database_url)
    members = MEMBERS["sqlite" if database is not None else "postgresql"]
    large_workbook = write_workbook(tmp_path / "workbook", members)
    demo_database(database_url, demo_sqlite, tmp_path)
    before = dump(database_url)
    counted_before = counts(database_url, ("people", "memberships"))
    application = f"lcpg-fault-{uuid.uuid4().hex[:8]}"  # names the import's PostgreSQL session
    env = environment(database_url, PGAPPNAME=application)
    import_ = start_lcpg(
        "import", str(large_workbook), cwd=tmp_path, env=env, log=tmp_path / "import.log"
    )
    try:
        if database is not None:
            stop_inside_sqlite_write(import_, database)
            backend = None
        else:
            backend = stop_inside_postgresql_write(import_, database_url, application)
        os.kill(import_.pid, signal.SIGKILL)
        assert import_.wait(timeout=30) == -signal.SIGKILL
    finally:
        if import_.poll() is None:
            import_.kill()
            import_.wait()
    if backend is not None:
        wait_until_backend_gone(database_url, backend)

    assert dump(database_url) == before
    if database is not None:
        with sqlite3.connect(database) as opened:
            assert opened.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        opened.close()

    again = run_lcpg("import", str(large_workbook), cwd=tmp_path, env=env)
    assert again.returncode == 0, again.stdout + again.stderr
    assert counts(database_url, ("people", "memberships")) == {
        table: count + members for table, count in counted_before.items()
    }


def counts(url: str, tables: tuple[str, ...]) -> dict[str, int]:
    """How many rows each of ``tables`` holds."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                for table in tables
            }
    finally:
        engine.dispose()
