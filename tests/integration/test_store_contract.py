"""The unit of work's contract (``tests/store_contract.py``) on the database store, SQLite
and PostgreSQL; ``tests/unit/test_store_memory.py`` holds the in-memory fake to the same."""

from __future__ import annotations

from functools import partial

import pytest

from lcpg.bootstrap import App
from lcpg.store.unit_of_work import sql_unit_of_work
from tests.store_contract import StoreContract, UnitOfWorkFactory


class TestDatabaseStore(StoreContract):
    @pytest.fixture
    def unit_of_work(self, empty_app: App) -> UnitOfWorkFactory:
        empty_app.unit_of_work()  # checks the schema once, as every command does
        return partial(sql_unit_of_work, empty_app.engine)
