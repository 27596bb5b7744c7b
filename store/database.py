"""Connecting to the register's database.

SQLite is the default (a file beside the user, ``sqlite:///lcpg.db``) and is set up for one
desktop user with a scheduler or web process beside it: write-ahead logging so readers do not
block the writer, foreign keys enforced, and a busy timeout so a second writer waits instead of
failing. PostgreSQL (``postgresql+psycopg://...``) is for the shared deployment.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from errors import DatabaseError

DEFAULT_URL = "sqlite:///lcpg.db"
SQLITE_BUSY_TIMEOUT_MS = 30_000


def make_engine(url: str) -> Engine:
    """An engine for ``url``. Raises ``DatabaseError`` when the URL is malformed or its driver
    is not installed. Connects lazily: nothing touches the database until it is used."""
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
            engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
            event.listen(engine, "connect", _tune_sqlite)
            event.listen(engine, "begin", _begin_sqlite)
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


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy issue BEGIN itself (see _begin_sqlite): pysqlite's own transaction
    # handling would otherwise defer BEGIN and break all-or-nothing writes.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


WRITE_OPTION = "lcpg_write"


def _begin_sqlite(connection: Any) -> None:
    # A writing unit of work begins IMMEDIATE: it takes the write lock at the start, so two
    # writers queue on busy_timeout instead of one failing with "database is locked" when it
    # upgrades a read lock. Readers begin DEFERRED and, under WAL, never wait for a writer.
    writing = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


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
