"""Edges that used to end in a traceback (issue 13, point 9): standard output that cannot be
written, database files that are not lcpg databases or are damaged, dates at the edges of the
calendar, and a read-only database. Each ends in one line naming what is wrong, exit status 1
(2 for a bad argument), and the database as it was.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from subprocess import CompletedProcess
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUN_LCPG = "from cli import main; main(prog_name='lcpg')"


def lcpg(database: Path, *args: str, stdout: Any = subprocess.PIPE) -> CompletedProcess[bytes]:
    """The real ``lcpg --db sqlite:///DATABASE ARGS...`` in a process of its own, run in the
    database's folder, so that standard output is the real file or pipe ``stdout``."""
    return subprocess.run(
        [sys.executable, "-c", RUN_LCPG, "--db", f"sqlite:///{database}", *args],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=database.parent,
        stdout=stdout,
        stderr=subprocess.PIPE,
        check=False,
    )


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite register that ``lcpg init`` has made."""
    database = tmp_path_factory.mktemp("register") / "lcpg.db"
    assert lcpg(database, "init", stdout=subprocess.DEVNULL).returncode == 0
    return database


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_a_full_disk_under_standard_output_is_one_line(register: Path) -> None:
    with Path("/dev/full").open("wb") as full:
        result = lcpg(register, "bodies", "list", stdout=full)
    assert result.returncode == 1
    assert result.stderr.decode() == (
        "Error: could not write the output: No space left on device\n"
    )


def test_a_closed_pipe_ends_quietly(register: Path) -> None:
    read, write = os.pipe()
    os.close(read)
    try:
        result = lcpg(register, "bodies", "list", "--format", "json", stdout=write)
    finally:
        os.close(write)
    assert result.returncode == 1
    assert result.stderr == b""
