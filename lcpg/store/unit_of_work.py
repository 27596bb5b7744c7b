"""One transaction per command: all of a command's writes commit together or not at all.

A unit of work hands out one repository per kind of data (``register``, ``plans``,
``checks``, ``outbox``, ``tokens``, ``term_dates``, ``settings``), never a session: services
say what they want stored or read, and the SQL stays in ``lcpg.store``. ``AbstractUnitOfWork``
is the contract; ``UnitOfWork`` keeps it on a database, ``lcpg.store.memory.MemoryUnitOfWork``
in memory (for use-case tests), and ``tests/integration/test_unit_of_work_contract.py`` holds
both to it.
"""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from lcpg.store.checks import ChecksRepository, SqlChecksRepository
from lcpg.store.database import WRITE_OPTION
from lcpg.store.outbox import OutboxRepository, SqlOutboxRepository
from lcpg.store.plans import PlansRepository, SqlPlansRepository
from lcpg.store.register import RegisterRepository, SqlRegisterRepository
from lcpg.store.settings import SettingsRepository, SqlSettingsRepository
from lcpg.store.term_dates import SqlTermDatesRepository, TermDatesRepository
from lcpg.store.tokens import SqlTokensRepository, TokensRepository
from lcpg.store.version import RegisterSession


class AbstractUnitOfWork(Protocol):
    """What a service may use: the repositories, ``commit`` and ``rollback``. Leaving the
    with-block without ``commit()`` undoes every write of the unit."""

    register: RegisterRepository
    plans: PlansRepository
    checks: ChecksRepository
    outbox: OutboxRepository
    tokens: TokensRepository
    term_dates: TermDatesRepository
    settings: SettingsRepository

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


class UnitOfWork:
    """A session on ``engine`` that commits only when ``commit()`` is called.

    Use as ``with UnitOfWork(engine, write=True) as uow: ...; uow.commit()``. Leaving the block
    without ``commit()`` (an exception, a dry run) rolls everything back. ``write=True`` takes
    the register's writer lock at the start (SQLite's write lock, PostgreSQL's advisory lock:
    ``lcpg.store.database``), held until commit or rollback, so that concurrent writers queue
    rather than fail.
    """

    register: RegisterRepository
    plans: PlansRepository
    checks: ChecksRepository
    outbox: OutboxRepository
    tokens: TokensRepository
    term_dates: TermDatesRepository
    settings: SettingsRepository

    def __init__(self, engine: Engine, *, write: bool = False) -> None:
        self._write = write
        self._engine = engine.execution_options(**{WRITE_OPTION: True}) if write else engine
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        """The unit's session: for the store's own tests, never for services."""
        if self._session is None:
            raise RuntimeError("UnitOfWork used outside its with-block")
        return self._session

    def __enter__(self) -> Self:
        session = RegisterSession(bind=self._engine, expire_on_commit=False, autoflush=False)
        if self._write:
            try:
                session.connection()  # begins now, taking the writer lock at the start
            except BaseException:
                session.close()
                raise
        self._session = session
        self.register = SqlRegisterRepository(session)
        self.plans = SqlPlansRepository(session)
        self.checks = SqlChecksRepository(session)
        self.outbox = SqlOutboxRepository(session)
        self.tokens = SqlTokensRepository(session)
        self.term_dates = SqlTermDatesRepository(session)
        self.settings = SqlSettingsRepository(session)
        return self

    def commit(self) -> None:
        """Commit every write of this unit; one that changed the register stamps a new register
        version with it (``lcpg.store.version``), so the feed server knows to rebuild."""
        self.session.commit()

    def rollback(self) -> None:
        """Undo every write of this unit so far; the unit can go on."""
        self.session.rollback()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            session.rollback()
        finally:
            session.close()
            self._session = None


def sql_unit_of_work(engine: Engine, *, write: bool = False) -> AbstractUnitOfWork:
    """A ``UnitOfWork``, typed as the contract (the checker holds it to it)."""
    return UnitOfWork(engine, write=write)
