"""The in-memory unit of work (``lcpg.store.memory``) keeps the store's contract
(``tests/store_contract.py``, which ``tests/integration/test_store_contract.py`` runs on the
database store), so use-case tests can run on it without a database."""

from __future__ import annotations

from functools import partial

import pytest

from lcpg.domain.blueprint import Blueprint
from lcpg.store.memory import MemoryDatabase, memory_unit_of_work
from tests.store_contract import StoreContract, UnitOfWorkFactory


@pytest.fixture
def database(kent: Blueprint) -> MemoryDatabase:
    database = MemoryDatabase()
    with memory_unit_of_work(database, write=True) as uow:
        uow.register.sync_bodies(kent.bodies_list())
        uow.commit()
    return database


class TestMemoryStore(StoreContract):
    @pytest.fixture
    def unit_of_work(self, database: MemoryDatabase) -> UnitOfWorkFactory:
        return partial(memory_unit_of_work, database)


def test_a_writer_waits_for_the_writer_before_it(database: MemoryDatabase) -> None:
    import threading

    entered = threading.Event()
    with memory_unit_of_work(database, write=True) as uow:
        uow.settings.set("first", "1")

        def second_writer() -> None:
            with memory_unit_of_work(database, write=True) as later:
                entered.set()
                later.settings.set("second", "2")
                later.commit()

        thread = threading.Thread(target=second_writer)
        thread.start()
        assert not entered.wait(0.05)  # held off while this unit writes
        uow.commit()
    thread.join()
    with memory_unit_of_work(database) as uow:
        assert (uow.settings.get("first"), uow.settings.get("second")) == ("1", "2")
