"""Facts about the database itself (table ``settings``): the blueprint it was set up for, the
stored public address, the register's version."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.orm import Session

from lcpg.store.schema import SettingRow


class SettingsRepository(Protocol):
    """Facts about the database, by key."""

    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str) -> None: ...


class SqlSettingsRepository:
    """The settings table in the unit of work's transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, key: str) -> str | None:
        row = self._session.get(SettingRow, key)
        return None if row is None else row.value

    def set(self, key: str, value: str) -> None:
        row = self._session.get(SettingRow, key)
        if row is None:
            self._session.add(SettingRow(key=key, value=value))
            self._session.flush()  # so that a second ``set`` of the key in this unit finds it
        else:
            row.value = value
