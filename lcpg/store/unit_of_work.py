"""One transaction per command: all of a command's writes commit together or not at all."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from lcpg.store.database import WRITE_OPTION


class UnitOfWork:
    """A session on ``engine`` that commits only when ``commit()`` is called.

    Use as ``with UnitOfWork(engine, write=True) as uow: ...; uow.commit()``. Leaving the block
    without ``commit()`` (an exception, a dry run) rolls everything back. ``write=True`` takes
    the register's writer lock at the start (SQLite's write lock, PostgreSQL's advisory lock:
    ``lcpg.store.database``), held until commit or rollback, so that concurrent writers queue
    rather than fail.
    """

    def __init__(self, engine: Engine, *, write: bool = False) -> None:
        self._engine = engine.execution_options(**{WRITE_OPTION: True}) if write else engine
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("UnitOfWork used outside its with-block")
        return self._session

    def __enter__(self) -> UnitOfWork:
        self._session = Session(bind=self._engine, expire_on_commit=False, autoflush=False)
        return self

    def commit(self) -> None:
        """Commit every write of this unit, stamping a new register version with them (so
        the feed server knows to rebuild its feeds)."""
        from lcpg.store.repository import bump_register_version

        bump_register_version(self.session)
        self.session.commit()

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
