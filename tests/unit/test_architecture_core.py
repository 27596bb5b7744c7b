"""The pure core stays pure: ruff's banned-import rule (TID251, in pyproject.toml) refuses
database, command-line, web and environment access in ``cycle/``, ``rules/``, ``calendars/`` and
``lcpg/domain/``, and allows it in the shell. Checked through ruff itself, on code given on
standard input as if it were a file in each place, so that nothing is written into the tree."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE = ("cycle", "rules", "calendars", "lcpg/domain")
FORBIDDEN = (
    "import sqlalchemy",
    "from sqlalchemy.orm import Session",
    "import click",
    "from flask import Flask",
    "import os\nVALUE = os.environ['LCPG_X']",
    "import os\nVALUE = os.getenv('LCPG_X')",
    "from lcpg.store.database import make_engine",
    "from lcpg.services import register",
)


def banned(path: str, source: str) -> str:
    """What ruff's TID251 says of ``source`` placed at ``path`` (empty when it allows it)."""
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--select", "TID251",
         "--output-format", "concise", "--stdin-filename", path, "-"],
        input=source + "\n", capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert result.returncode in (0, 1), result.stderr
    return result.stdout if result.returncode else ""


@pytest.mark.parametrize("folder", CORE)
@pytest.mark.parametrize("source", FORBIDDEN)
def test_the_core_may_not_reach_the_shell_or_the_environment(folder: str, source: str) -> None:
    assert "TID251" in banned(f"{folder}/probe.py", source)


@pytest.mark.parametrize("folder", ["lcpg/store", "lcpg/services", "lcpg/commands", "lcpg/web"])
def test_the_shell_may(folder: str) -> None:
    assert banned(f"{folder}/probe.py", "import sqlalchemy\nimport click\nimport flask") == ""


def test_plain_core_code_passes() -> None:
    assert (
        banned("cycle/probe.py", "from datetime import date\nfrom lcpg.domain import model") == ""
    )
