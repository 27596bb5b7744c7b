"""One transaction per command: all of a command's writes commit together or not at all."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from lcpg.store.database import WRITE_OPTION
from lcpg.store.version import RegisterSession


class UnitOfWork:
    """A session on ``engine`` that commits only when ``commit()`` is called.

    Use as ``with UnitOfWork(engine, write=True) as uow: ...; uow.commit()``. Leaving the block
    without ``commit()`` (an exception, a dry run) rolls everything back. ``write=True`` takes
    the register's writer lock at the start (SQLite's write lock, PostgreSQL's advisory lock:
    ``lcpg.store.database``), held until commit or rollback, so that concurrent writers queue
    rather than fail.
    """

    def __init__(self, engine: Engine, *, write: bool = False) -> None:
        self._write = write
        self._engine = engine.execution_options(**{WRITE_OPTION: True}) if write else engine
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("UnitOfWork used outside its with-block")
        return self._session

    def __enter__(self) -> UnitOfWork:
        self._session = RegisterSession(bind=self._engine, expire_on_commit=False, autoflush=False)
        if self._write:
            try:
                self._session.connection()  # begins now, taking the writer lock at the start
            except BaseException:
                self._session.close()
                self._session = None
                raise
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
