"""Connecting to the register's database.

SQLite is the default (a file beside the user, ``sqlite:///lcpg.db``) and is set up for one
desktop user with a scheduler or web process beside it: write-ahead logging so readers do not
block the writer, foreign keys enforced, and a busy timeout so a second writer waits instead of
failing. PostgreSQL (``postgresql+psycopg://...``) is for the shared deployment.

``database_failure`` turns what the driver raises when the database is locked for too long or
cannot be reached into a ``DatabaseError`` the user can act on.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from errors import DatabaseError

DEFAULT_URL = "sqlite:///lcpg.db"
DEFAULT_BUSY_TIMEOUT = 30.0
"""Seconds a SQLite writer waits for another writer's lock before giving up (bootstrap's
``LCPG_DB_BUSY_TIMEOUT`` default is the same)."""

LockWait = Callable[[float], None]
"""Told (with the busy timeout in seconds) that a writer has to wait for another's lock."""


def make_engine(
    url: str, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT, on_lock_wait: LockWait | None = None
) -> Engine:
    """An engine for ``url``. Raises ``DatabaseError`` when the URL is malformed or its driver
    is not installed. Connects lazily: nothing touches the database until it is used.

    For SQLite, a writing unit of work waits up to ``busy_timeout`` seconds for another
    writer to finish; ``on_lock_wait`` is called once when it starts waiting (so a command
    can say why it is not doing anything). PostgreSQL ignores both: its writers wait on row
    locks, not on the whole database.
    """
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise DatabaseError(
            f"not a database URL: {display_url(url)!r} (expected e.g. sqlite:///lcpg.db or "
            "postgresql+psycopg://user@host/db)"
        ) from None
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        # Plain "postgresql://" would pick psycopg2, which we do not ship.
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        if parsed.get_backend_name() == "sqlite":
            engine = create_engine(parsed, connect_args={"timeout": busy_timeout})
            event.listen(engine, "connect", _SqliteTuning(busy_timeout).on_connect)
            event.listen(engine, "begin", _SqliteBegin(busy_timeout, on_lock_wait).on_begin)
        else:
            engine = create_engine(parsed, pool_pre_ping=True)
    except ModuleNotFoundError as exc:
        raise DatabaseError(
            f"the driver for {parsed.drivername} is not installed ({exc.name}); "
            "for PostgreSQL install lcpg[postgresql]"
        ) from None
    except ArgumentError:  # parsed, but not a form the dialect accepts (sqlite://user@/x)
        raise DatabaseError(
            f"not a database URL: {display_url(url)!r} (expected e.g. sqlite:///lcpg.db or "
            "postgresql+psycopg://user@host/db)"
        ) from None
    except NoSuchModuleError:
        raise DatabaseError(
            f"unknown kind of database {parsed.drivername!r} in {display_url(url)!r} "
            "(expected sqlite:///... or postgresql+psycopg://...)"
        ) from None
    return engine


WRITE_OPTION = "lcpg_write"


class _SqliteTuning:
    """Settings every new SQLite connection gets."""

    def __init__(self, busy_timeout: float) -> None:
        self.busy_timeout_ms = round(busy_timeout * 1000)

    def on_connect(self, dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy issue BEGIN itself (see _SqliteBegin): pysqlite's own transaction
        # handling would otherwise defer BEGIN and break all-or-nothing writes.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={self.busy_timeout_ms}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


class _SqliteBegin:
    """How a SQLite transaction begins.

    A writing unit of work begins IMMEDIATE: it takes the write lock at the start, so two
    writers queue on busy_timeout instead of one failing with "database is locked" when it
    upgrades a read lock. Readers begin DEFERRED and, under WAL, never wait for a writer.
    """

    def __init__(self, busy_timeout: float, on_lock_wait: LockWait | None) -> None:
        self.busy_timeout = busy_timeout
        self.on_lock_wait = on_lock_wait

    def on_begin(self, connection: Any) -> None:
        if not connection.get_execution_options().get(WRITE_OPTION, False):
            connection.exec_driver_sql("BEGIN")
            return
        if self.on_lock_wait is not None:
            if self._took_lock_at_once(connection.connection.dbapi_connection):
                return
            self.on_lock_wait(self.busy_timeout)
        # Through SQLAlchemy, so that giving up after busy_timeout raises its OperationalError
        # (which ``database_failure`` explains).
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    def _took_lock_at_once(self, dbapi_connection: sqlite3.Connection) -> bool:
        """Begin IMMEDIATE without waiting; False if another writer holds the lock."""
        dbapi_connection.execute("PRAGMA busy_timeout=0")
        try:
            dbapi_connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc):
                raise
            return False
        finally:
            dbapi_connection.execute(f"PRAGMA busy_timeout={round(self.busy_timeout * 1000)}")
        return True


def _is_busy(exc: object) -> bool:
    # Extended result codes (SQLITE_BUSY_SNAPSHOT, ...) keep SQLITE_BUSY in their low byte.
    code = getattr(exc, "sqlite_errorcode", None)
    return (
        isinstance(exc, sqlite3.OperationalError)
        and code is not None
        and code & 0xFF == (sqlite3.SQLITE_BUSY)
    )


def database_failure(exc: BaseException, url: str, busy_timeout: float) -> DatabaseError | None:
    """What to tell the user when ``exc`` (raised while using the database at ``url``) means
    the database was locked for longer than ``busy_timeout`` seconds or could not be reached;
    None for any other exception, which is a bug and keeps its traceback.

    A write that failed this way was rolled back whole (each write is one transaction);
    writes a command committed before it (``lcpg email send`` commits message by message)
    stay.
    """
    if not isinstance(exc, OperationalError):
        return None
    name = display_url(url)
    if _is_busy(exc.orig):
        return DatabaseError(
            f"the database {name} is locked: another program kept writing to it for more "
            f"than {busy_timeout:g} second{'' if busy_timeout == 1 else 's'}, so the change was "
            "not written. Try again when it has finished (LCPG_DB_BUSY_TIMEOUT sets how many "
            "seconds to wait)."
        )
    return DatabaseError(f"cannot use the database {name}: {driver_reason(exc)}")


def driver_reason(exc: BaseException) -> str:
    """What the database driver said went wrong behind ``exc``, in one line ("connection
    refused", ...): the lines after the first are hints and the SQL, which may quote personal
    data. Drivers do not put passwords in their messages."""
    original = getattr(exc, "orig", None) or exc
    lines = str(original).strip().splitlines()
    return lines[0] if lines else type(original).__name__


_PASSWORD_PARAMETER = re.compile(r"(?i)(password=)[^&]*")


def display_url(url: str) -> str:
    """``url`` with any password hidden, for messages and logs: the one in the credentials
    (``user:***@host``) and a ``password=`` query parameter, whether or not the URL parses.

    Worked out from the text rather than by SQLAlchemy, which leaves part of a password that
    holds an unencoded ``@`` in view, and cannot parse every URL it is given.
    """
    scheme, separator, rest = url.partition("://")
    if not separator:
        scheme, rest = "", url
    credentials, at, location = rest.rpartition("@")
    if at and ":" in credentials:
        user = credentials.split(":", 1)[0]
        rest = f"{user}:***@{location}"
    return f"{scheme}{separator}" + _PASSWORD_PARAMETER.sub(r"\1***", rest)


def sqlite_file(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for another database or an in-memory one."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # not a URL; make_engine says so
        return None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def ensure_sqlite_folder(url: str) -> None:
    """Create the folder a SQLite database file will live in, if it is missing."""
    path = sqlite_file(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
