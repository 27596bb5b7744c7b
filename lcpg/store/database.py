"""Connecting to the register's database.

SQLite is the default (a file beside the user, ``sqlite:///lcpg.db``) and is set up for one
desktop user with a scheduler or web process beside it: write-ahead logging so readers do not
block the writer, foreign keys enforced, and a busy timeout so a second writer waits instead of
failing. PostgreSQL (``postgresql+psycopg://...``) is for the shared deployment.

Writers take turns on both: a writing unit of work first takes the register's writer lock
(SQLite's own write lock, PostgreSQL's advisory lock for the schema), waits for it up to the busy
timeout, and says once that it is waiting. Two imports at once therefore run one after the
other instead of colliding on a unique constraint.

A SQLite file is checked before use (``check_sqlite_file``: is it SQLite at all;
``verify_sqlite_file``: is every page sound, run by ``lcpg init`` and for a file of another
user's), and one we may not write is opened read-only (``sqlite_read_only``): reads answer,
writes are refused before they begin.

Engines hide the values they send (``hide_parameters``), and ``database_failure`` turns
whatever the driver raises (locked too long, unreachable, a change refused) into a one-line
``DatabaseError`` without SQL or the values it was writing, which may be people's names and
addresses.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    IntegrityError,
    InterfaceError,
    NoSuchModuleError,
    OperationalError,
    StatementError,
)

from lcpg.errors import DatabaseError

DEFAULT_URL = "sqlite:///lcpg.db"
DEFAULT_BUSY_TIMEOUT = 30.0
"""Seconds a writer (SQLite or PostgreSQL) waits for another writer's lock before giving up
(bootstrap's ``LCPG_DB_BUSY_TIMEOUT`` default is the same)."""

LockWait = Callable[[float], None]
"""Told (with the busy timeout in seconds) that a writer has to wait for another's lock."""


def make_engine(
    url: str, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT, on_lock_wait: LockWait | None = None
) -> Engine:
    """An engine for ``url``. Raises ``DatabaseError`` when the URL is malformed or its driver
    is not installed. Connects lazily: nothing touches the database until it is used.

    A writing unit of work waits up to ``busy_timeout`` seconds for another writer to finish
    (SQLite's write lock, or PostgreSQL's advisory writer lock: see ``_PostgresqlBegin``);
    ``on_lock_wait`` is called once when it starts waiting (so a command can say why it is
    not doing anything). Statements' values are never put into error messages or logs.
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
            path = sqlite_file(url)
            read_only = path is not None and path.exists() and sqlite_read_only(path)
            if read_only:
                assert path is not None
                parsed = _read_only_url(parsed, path)
            engine = create_engine(
                parsed, connect_args={"timeout": busy_timeout}, hide_parameters=True
            )
            event.listen(engine, "connect", _SqliteTuning(busy_timeout, read_only).on_connect)
            refusal = f"the database {path} is read-only" if read_only else None
            sqlite_begin = _SqliteBegin(busy_timeout, on_lock_wait, refusal)
            event.listen(engine, "begin", sqlite_begin.on_begin)
        else:
            engine = create_engine(parsed, pool_pre_ping=True, hide_parameters=True)
            if parsed.get_backend_name() == "postgresql":
                begin = _PostgresqlBegin(busy_timeout, on_lock_wait)
                event.listen(engine, "begin", begin.on_begin)
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


def sqlite_read_only(path: Path) -> bool:
    """Whether lcpg opens the existing SQLite file ``path`` read-only: when we may not write
    the file or its folder (where SQLite keeps its ``-wal`` and ``-shm`` files), or when
    either has no write permission for anybody (``chmod a-w``: the owner made it read-only on
    purpose, which ``os.access`` ignores for root).

    Read commands then answer from it; a write is refused with one line before it begins
    (``_SqliteBegin``)."""
    return not (_writable(path) and _writable(path.parent))


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & 0o222)


def _read_only_url(parsed: URL, path: Path) -> URL:
    """``parsed`` as SQLite's read-only URI (``file:PATH?mode=ro``).

    In a folder we cannot write, SQLite cannot create the ``-shm`` file that reading a WAL
    database needs, so the file is also declared ``immutable`` (read without locks): nobody
    can be writing it there, as a writer would need that folder too. When a ``-wal`` file
    is left there, it holds changes not yet in the database file, which ``immutable`` would
    not see, so the database is opened without it (and SQLite says if it cannot)."""
    query = {"mode": "ro", "uri": "true"}
    wal = path.with_name(path.name + "-wal")
    if not _writable(path.parent) and not wal.exists():
        query["immutable"] = "1"
    return parsed.set(database=f"file:{quote(str(path))}", query=query)


class _SqliteTuning:
    """Settings every new SQLite connection gets."""

    def __init__(self, busy_timeout: float, read_only: bool = False) -> None:
        self.busy_timeout_ms = round(busy_timeout * 1000)
        self.read_only = read_only

    def on_connect(self, dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy issue BEGIN itself (see _SqliteBegin): pysqlite's own transaction
        # handling would otherwise defer BEGIN and break all-or-nothing writes.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={self.busy_timeout_ms}")
        if not self.read_only and cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            # Switching to WAL writes the file: only a new database or ours (lcpg's always
            # are), never another program's file that lcpg is about to refuse.
            tables = {row[0] for row in cursor.execute("SELECT name FROM sqlite_master")}
            if not tables or "alembic_version" in tables:
                cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


class _SqliteBegin:
    """How a SQLite transaction begins.

    A writing unit of work begins IMMEDIATE: it takes the write lock at the start, so two
    writers queue on busy_timeout instead of one failing with "database is locked" when it
    upgrades a read lock. Readers begin DEFERRED and, under WAL, never wait for a writer.
    """

    def __init__(
        self, busy_timeout: float, on_lock_wait: LockWait | None, refusal: str | None = None
    ) -> None:
        """``refusal`` (for a database opened read-only) says why a write cannot begin."""
        self.busy_timeout = busy_timeout
        self.on_lock_wait = on_lock_wait
        self.refusal = refusal

    def on_begin(self, connection: Any) -> None:
        if not connection.get_execution_options().get(WRITE_OPTION, False):
            connection.exec_driver_sql("BEGIN")
            return
        if self.refusal is not None:
            raise DatabaseError(
                f"{self.refusal} (its file or folder is not writable), so nothing was written"
            )
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


WRITER_LOCK_CLASS = 0x4C435047  # "LCPG"
"""First half of the PostgreSQL advisory lock key that writers take; the second half is a hash
of the schema the register lives in, so registers in different schemas of one database do not
wait for each other."""

WRITER_LOCK_KEY = f"{WRITER_LOCK_CLASS}, hashtext(coalesce(current_schema(), ''))"


class _PostgresqlBegin:
    """How a writing PostgreSQL transaction begins: by taking the register's writer lock,
    ``pg_advisory_xact_lock`` on ``WRITER_LOCK_KEY``, so writers queue as SQLite's do.

    Without it two imports both read the register, both decide a person is new, and the
    second fails on the unique e-mail. The lock belongs to the transaction: PostgreSQL
    releases it at commit or rollback, and when the connection dies with the process, so a
    crashed writer never leaves it held. A writer waits for it up to ``busy_timeout`` seconds
    (``lock_timeout`` for that one statement), then fails with ``LockNotAvailable``, which
    ``database_failure`` explains as it does SQLite's busy database. Readers take no lock.
    """

    def __init__(self, busy_timeout: float, on_lock_wait: LockWait | None) -> None:
        self.busy_timeout = busy_timeout
        self.on_lock_wait = on_lock_wait

    def on_begin(self, connection: Any) -> None:
        if not connection.get_execution_options().get(WRITE_OPTION, False):
            return
        if connection.exec_driver_sql(
            f"SELECT pg_try_advisory_xact_lock({WRITER_LOCK_KEY})"
        ).scalar():
            return
        if self.on_lock_wait is not None:
            self.on_lock_wait(self.busy_timeout)
        previous = connection.exec_driver_sql("SELECT current_setting('lock_timeout')").scalar()
        # At least a millisecond: a lock_timeout of 0 would wait for ever.
        milliseconds = max(1, round(self.busy_timeout * 1000))
        connection.exec_driver_sql(
            "SELECT set_config('lock_timeout', %s, true)", (f"{milliseconds}ms",)
        )
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK_KEY})")
        connection.exec_driver_sql("SELECT set_config('lock_timeout', %s, true)", (previous,))


def _is_busy(exc: object) -> bool:
    # Extended result codes (SQLITE_BUSY_SNAPSHOT, ...) keep SQLITE_BUSY in their low byte.
    code = getattr(exc, "sqlite_errorcode", None)
    return (
        isinstance(exc, sqlite3.OperationalError)
        and code is not None
        and code & 0xFF == (sqlite3.SQLITE_BUSY)
    ) or getattr(exc, "sqlstate", None) == _LOCK_NOT_AVAILABLE


def _sqlite_code(exc: object) -> int | None:
    """SQLite's primary result code behind a driver error, or None for another database."""
    code = getattr(exc, "sqlite_errorcode", None)
    # Extended result codes keep the primary code in their low byte.
    return None if code is None else int(code) & 0xFF


def _is_damage(exc: object) -> bool:
    """Whether SQLite found the file damaged or not a database at all."""
    return _sqlite_code(exc) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


_LOCK_NOT_AVAILABLE = "55P03"
"""PostgreSQL's SQLSTATE for a lock not granted within ``lock_timeout``."""


def database_failure(exc: BaseException, url: str, busy_timeout: float) -> DatabaseError | None:
    """What to tell the user when ``exc`` was raised by the database at ``url`` (any
    SQLAlchemy ``StatementError``, which includes every driver error): locked by another
    writer for longer than ``busy_timeout`` seconds, unreachable, or a change it refused. None
    for any other exception, which is a bug and keeps its traceback.

    The message is one line without the SQL or the values it carried: those may be people's
    names and addresses, and a database's own messages may quote them too (PostgreSQL's
    ``DETAIL: Key (email)=(...)``), so only a driver's first line is used, and for a refused
    change only the constraint and table it names.

    A write that failed this way was rolled back whole (each write is one transaction);
    writes a command committed before it (``lcpg email send`` commits message by message)
    stay.
    """
    if not isinstance(exc, StatementError):
        return None
    name = display_url(url)
    if _is_damage(exc.orig):
        return damaged(sqlite_file(url) or name, driver_reason(exc))
    if _sqlite_code(exc.orig) == sqlite3.SQLITE_READONLY:
        return DatabaseError(
            f"the database {sqlite_file(url) or name} is read-only "
            f"({driver_reason(exc)}), so nothing was written"
        )
    if _is_busy(exc.orig):
        return DatabaseError(
            f"the database {name} is locked: another program kept writing to it for more "
            f"than {busy_timeout:g} second{'' if busy_timeout == 1 else 's'}, so the change was "
            "not written. Try again when it has finished (LCPG_DB_BUSY_TIMEOUT sets how many "
            "seconds to wait)."
        )
    if isinstance(exc, OperationalError | InterfaceError):
        return DatabaseError(f"cannot use the database {name}: {driver_reason(exc)}")
    if isinstance(exc, IntegrityError):
        return DatabaseError(
            f"the database {name} refused the change ({_refusal(exc.orig)}), so nothing of it "
            "was written"
        )
    if isinstance(exc, DBAPIError):
        return DatabaseError(
            f"the database {name} failed ({_refusal(exc.orig)}), so nothing was written"
        )
    return DatabaseError(
        f"the database {name} was sent a value it cannot store "
        f"({type(exc.orig).__name__}), so nothing of the change was written"
    )


def _refusal(error: object) -> str:
    """What the driver's ``error`` names, without the values it quotes: for PostgreSQL the
    kind of error with the constraint, table and column (and the message of an error in the
    statement itself, SQLSTATE class 42, which names tables and columns: ``relation "x" does
    not exist``); for SQLite its message's first line, which names only them ("UNIQUE
    constraint failed: people.email")."""
    diag = getattr(error, "diag", None)
    if diag is None:
        return driver_reason(error) if isinstance(error, BaseException) else "no reason given"
    kind = re.sub(r"(?<!^)(?=[A-Z])", " ", type(error).__name__).lower()
    if str(getattr(error, "sqlstate", "")).startswith("42") and diag.message_primary:
        kind = f"{kind}: {diag.message_primary}"
    named = [
        f"{what} {value}"
        for what, value in (
            ("constraint", diag.constraint_name),
            ("table", diag.table_name),
            ("column", diag.column_name),
        )
        if value
    ]
    return ", ".join([kind, *named])


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


SQLITE_HEADER = b"SQLite format 3\x00"
"""The first 16 bytes of every SQLite database file."""


def damaged(path: Path | str, reason: str) -> DatabaseError:
    """The error for a database file SQLite cannot read, or finds damaged."""
    if reason == "file is not a database":
        return DatabaseError(f"{path} is not an lcpg database ({reason})")
    return DatabaseError(f"{path} is damaged ({reason}): restore it from a backup")


def check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not a SQLite database at all (text, an image, a header cut
    short), by its first bytes and before SQLite opens it, so that nothing is written to it.
    An empty file is allowed: it is an empty database, which ``lcpg init`` sets up.

    Raises ``DatabaseError``; an ``OSError`` reading the file is the caller's.
    """
    with path.open("rb") as file:
        header = file.read(len(SQLITE_HEADER))
    if header and header != SQLITE_HEADER:
        raise DatabaseError(f"{path} is not an lcpg database (not a SQLite database file)")


def verify_sqlite_file(engine: Engine, path: Path) -> None:
    """Read the whole of the SQLite database behind ``engine`` (``PRAGMA quick_check``: every
    page and index, a full read of the file) and raise ``DatabaseError`` naming ``path`` and
    SQLite's first complaint if any page is damaged. A damaged page is otherwise found only
    when a command happens to read it, so a register can look fine until then."""
    try:
        with engine.connect() as connection:
            problems = [row[0] for row in connection.exec_driver_sql("PRAGMA quick_check")]
    except DBAPIError as exc:
        if not _is_damage(exc.orig):
            raise  # not the file's fault (say, it cannot be opened): database_failure's
        raise damaged(path, driver_reason(exc)) from None
    if problems != ["ok"]:
        first = next(
            (
                line
                for problem in problems
                for line in str(problem).splitlines()
                if "***" not in line
            ),
            "quick_check failed",
        )
        raise damaged(path, first)


def not_ours(path: Path) -> bool:
    """Whether the file at ``path`` belongs to another user than the one running lcpg: a
    register copied from someone else, or shared, which lcpg verifies before using. Always
    False where files have no owning user id (Windows)."""
    if not hasattr(os, "geteuid"):
        return False
    return path.stat().st_uid != os.geteuid()


def ensure_sqlite_folder(url: str) -> None:
    """Create the folder a SQLite database file will live in, if it is missing."""
    path = sqlite_file(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
