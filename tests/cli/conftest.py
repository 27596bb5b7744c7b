"""Fixtures for the command-line tests."""

from __future__ import annotations

import pytest

from tests.cli.commands import run


@pytest.fixture
def db(database_url: str) -> str:
    """An empty database that `lcpg init` has made, on each backend under test."""
    assert run(database_url, "init")[0] == 0
    return database_url
