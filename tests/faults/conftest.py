"""Fixtures for the fault tier: real `lcpg` processes killed, locked out, or cut off from their
database, checked for leaving the register whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.server import load_demo
from tests.faults.processes import DEMO_DATE


@pytest.fixture(scope="session")
def demo_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the demo register, loaded once by `lcpg demo` as of
    ``DEMO_DATE`` (the date the fault tests plan from); tests work on copies
    (``processes.copy_sqlite``)."""
    return load_demo(tmp_path_factory.mktemp("faults-demo"), as_of=DEMO_DATE) / "lcpg.db"
