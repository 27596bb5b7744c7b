"""The one composition root: settings in, a wired ``App`` out.

Nothing connects to a database or reads a blueprint at import time; ``App`` builds the engine
and loads the blueprint on first use, so ``lcpg --help`` stays fast and a command that needs
neither never touches them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from lcpg.domain.blueprint import Blueprint
    from lcpg.store.database import LockWait
    from lcpg.store.unit_of_work import AbstractUnitOfWork

DATABASE_ENV = "LCPG_DATABASE_URL"
BLUEPRINT_ENV = "LCPG_BLUEPRINT"
BUSY_TIMEOUT_ENV = "LCPG_DB_BUSY_TIMEOUT"
DEFAULT_BUSY_TIMEOUT = 30.0  # store.database's default, kept here so --help imports no store


@dataclass(frozen=True)
class Settings:
    """Where lcpg keeps its data and which policy it follows."""

    database_url: str
    blueprint_path: Path
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT
    """Seconds a writer waits for another writer to finish before giving up (SQLite or
    PostgreSQL)."""

    @classmethod
    def resolve(
        cls,
        database_url: str | None = None,
        blueprint_path: str | Path | None = None,
        environ: Mapping[str, str] = os.environ,
    ) -> Settings:
        """Explicit values win, then ``LCPG_DATABASE_URL`` / ``LCPG_BLUEPRINT``, then defaults
        (``sqlite:///lcpg.db`` in the current folder and the shipped Kent blueprint). The busy
        timeout comes from ``LCPG_DB_BUSY_TIMEOUT`` (seconds, default 30).

        Raises ``LcpgError`` when ``LCPG_DB_BUSY_TIMEOUT`` is not a number of seconds.
        """
        from lcpg.blueprints import KENT
        from lcpg.store.database import DEFAULT_URL

        return cls(
            database_url=database_url or environ.get(DATABASE_ENV) or DEFAULT_URL,
            blueprint_path=Path(blueprint_path or environ.get(BLUEPRINT_ENV) or KENT),
            busy_timeout=_seconds(environ.get(BUSY_TIMEOUT_ENV), BUSY_TIMEOUT_ENV),
        )


def _seconds(value: str | None, name: str) -> float:
    if value is None or not value.strip():
        return DEFAULT_BUSY_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < 86_400:  # also refuses nan and inf
        from lcpg.errors import LcpgError

        raise LcpgError(f"{name} must be a number of seconds (e.g. 30), not {value!r}")
    return seconds


class App:
    """The wired application: settings, engine, blueprint and units of work."""

    def __init__(self, settings: Settings, on_lock_wait: LockWait | None = None) -> None:
        """``on_lock_wait`` is told when a write has to wait for another writer's lock
        (SQLite or PostgreSQL); the command line says so, so that a waiting command does not
        look hung."""
        self.settings = settings
        self.on_lock_wait = on_lock_wait
        self._schema_checked = False

    @cached_property
    def engine(self) -> Engine:
        from lcpg.store.database import make_engine

        return make_engine(
            self.settings.database_url,
            busy_timeout=self.settings.busy_timeout,
            on_lock_wait=self.on_lock_wait,
        )

    @cached_property
    def blueprint(self) -> Blueprint:
        from lcpg.domain.blueprint import load_blueprint

        return load_blueprint(self.settings.blueprint_path)

    @property
    def database_name(self) -> str:
        """The database URL with any password hidden, for messages."""
        from lcpg.store.database import display_url

        return display_url(self.settings.database_url)

    def today(self) -> date:
        """Today's date in the blueprint's time zone. This and ``utc_now`` are the only places
        lcpg reads the clock.

        Everything below the command line takes the date as an argument instead.
        """
        return datetime.now(tz=self.blueprint.zone).date()

    def utc_now(self) -> datetime:
        """Now in UTC, without a zone (how the store keeps moments of recording)."""
        return datetime.now(tz=UTC).replace(tzinfo=None)

    def unit_of_work(self, *, write: bool = False) -> AbstractUnitOfWork:
        """A unit of work on a database that ``lcpg init`` has prepared.

        Raises ``DatabaseError`` when the database cannot be reached or its schema is missing,
        older than this version of lcpg (run ``lcpg init``), or newer.
        """
        from lcpg.store.unit_of_work import UnitOfWork

        if not self._schema_checked:
            self._require_current_schema()
            self._schema_checked = True
        return UnitOfWork(self.engine, write=write)

    def check_database_file(self, *, verify: bool = False) -> bool:
        """For a SQLite register, check its file before SQLite opens it: refuse one that is not
        a SQLite database (``DatabaseError``, nothing written to it); with ``verify``, or when
        the file belongs to another user ("not yours": copied or shared), read all of it
        (``PRAGMA quick_check``) and refuse one with a damaged page. A register of our own is
        not read in full on every command: that costs a full read of the file; ``lcpg init``
        verifies it.

        Returns whether there is a file to use: False for a SQLite file that does not exist
        or is empty (``lcpg init`` creates it), True otherwise (PostgreSQL included).
        """
        from lcpg.errors import DatabaseError
        from lcpg.store.database import check_sqlite_file, not_ours, sqlite_file, verify_sqlite_file

        path = sqlite_file(self.settings.database_url)
        if path is None:
            return True
        try:
            if not path.exists() or path.stat().st_size == 0:
                return False
            check_sqlite_file(path)
            if verify or not_ours(path):
                verify_sqlite_file(self.engine, path)
        except OSError as exc:
            raise DatabaseError(f"cannot open the database {path}: {exc.strerror}") from None
        return True

    def _require_current_schema(self) -> None:
        from sqlalchemy.exc import StatementError

        from lcpg.errors import DatabaseError
        from lcpg.store.database import database_failure, sqlite_file
        from lcpg.store.schema_version import SchemaState, schema_state

        missing = (
            f"the database {self.database_name} is not set up yet: run `lcpg init` "
            "(or `lcpg demo` to load the demo register)"
        )
        if not self.check_database_file():
            # Opening it would create or write the file; say what is wrong instead.
            raise DatabaseError(missing)
        try:
            state = schema_state(self.engine)
        except StatementError as exc:
            failure = database_failure(exc, self.settings.database_url, self.settings.busy_timeout)
            raise failure or DatabaseError(
                f"cannot open the database {self.database_name}: {exc.orig}"
            ) from None
        if state is SchemaState.FOREIGN:
            raise DatabaseError(
                f"{sqlite_file(self.settings.database_url) or self.database_name} is not an lcpg "
                "database (it holds another program's tables)"
            )
        if state is SchemaState.MISSING:
            raise DatabaseError(missing)
        if state is SchemaState.BEHIND:
            raise DatabaseError(
                f"the database {self.database_name} was made by an older lcpg: "
                "run `lcpg init` to upgrade it"
            )
        if state is SchemaState.AHEAD:
            raise DatabaseError(
                f"the database {self.database_name} was made by a newer lcpg: upgrade lcpg"
            )

    def close(self) -> None:
        """Release database connections (safe to call when none were opened)."""
        if "engine" in self.__dict__:
            self.engine.dispose()
