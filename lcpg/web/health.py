"""Whether the register's database answers, as the web process sees it.

When PostgreSQL restarts or goes away, a request that needs the database gets a short 503 page
with ``Retry-After`` (never a traceback), the outage is logged once (not once per request, and
with the password hidden), and its end is logged when a connection succeeds again. The engine
reconnects by itself (``pool_pre_ping``), so the server never needs restarting.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.exc import InterfaceError, OperationalError

from lcpg.store.database import driver_reason

log = logging.getLogger("lcpg.web")

UNAVAILABLE = (OperationalError, InterfaceError)
"""What SQLAlchemy raises when the database cannot be reached or the connection broke."""

RETRY_AFTER = 30
"""Seconds a client is asked to wait before trying again (sent as ``Retry-After``)."""


class DatabaseHealth:
    """Logs when the database at ``database_name`` (shown without its password) stops and
    starts answering, each change once. Safe to share between request threads."""

    def __init__(self, database_name: str) -> None:
        self.database_name = database_name
        self._answering = True
        self._lock = threading.Lock()

    @property
    def answering(self) -> bool:
        return self._answering

    def failed(self, error: BaseException) -> None:
        """A request could not use the database because of ``error`` (one of
        ``UNAVAILABLE``)."""
        with self._lock:
            if not self._answering:
                return
            self._answering = False
        log.error(
            "database %s not answering (%s); pages that need it answer 503 until it is back",
            self.database_name,
            driver_reason(error),
        )

    def answered(self) -> None:
        """A connection to the database succeeded."""
        with self._lock:
            if self._answering:
                return
            self._answering = True
        log.warning("database %s answering again", self.database_name)

    def watch(self, engine: Engine) -> None:
        """Learn of every new connection ``engine`` makes: after an outage, the first one
        that succeeds ends it."""

        def connected(_dbapi_connection: Any, _record: Any) -> None:
            self.answered()

        event.listen(engine, "connect", connected)
