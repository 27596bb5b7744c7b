"""The architecture holds, checked through ruff itself on code given on standard input as if it
were a file in each place (so that nothing is written into the tree): the pure core stays pure
(the banned-import rule TID251, in pyproject.toml, refuses database, command-line, web and
environment access in ``cycle/``, ``rules/``, ``calendars/`` and ``lcpg/domain/``, and allows it
in the shell), and no product function grows past the complexity and statement limits (C901,
PLR0915)."""

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


def ruff_says(path: str, source: str, rule: str) -> str:
    """What ruff's ``rule`` says of ``source`` placed at ``path``, with the project's settings
    (empty when it allows it)."""
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--select", rule,
         "--output-format", "concise", "--stdin-filename", path, "-"],
        input=source + "\n", capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert result.returncode in (0, 1), result.stderr
    return result.stdout if result.returncode else ""


def banned(path: str, source: str) -> str:
    """What ruff's TID251 says of ``source`` placed at ``path`` (empty when it allows it)."""
    return ruff_says(path, source, "TID251")


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


def branching(branches: int) -> str:
    """A function of ``branches`` ifs in a row: McCabe complexity ``branches + 1``."""
    body = "".join(f"    if x == {n}:\n        return {n}\n" for n in range(branches))
    return f"def choose(x: int) -> int:\n{body}    return -1\n"


@pytest.mark.parametrize("folder", ["lcpg/services", "lcpg/web", "rules", "cli.py"])
def test_a_function_over_the_complexity_limit_is_refused_in_product_code(folder: str) -> None:
    path = folder if folder.endswith(".py") else f"{folder}/probe.py"
    assert "C901" in ruff_says(path, branching(14), "C901")  # complexity 15
    assert ruff_says(path, branching(13), "C901") == ""  # complexity 14: the limit


def test_a_function_over_the_statement_limit_is_refused() -> None:
    many = "def long() -> None:\n" + "".join(f"    print({n})\n" for n in range(71))
    assert "PLR0915" in ruff_says("lcpg/services/probe.py", many, "PLR0915")
