"""Running `lcpg` in this process for the command-line tests."""

from __future__ import annotations

from click.testing import CliRunner

from cli import main


def run(db: str, *args: str) -> tuple[int, str]:
    """`lcpg --db DB ARGS...` through click's ``CliRunner``: its exit code and its output.
    Unexpected exceptions propagate, so a traceback fails the test instead of hiding in it."""
    result = CliRunner().invoke(main, ["--db", db, *args], catch_exceptions=False)
    return result.exit_code, result.output
