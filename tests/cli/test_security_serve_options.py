"""`lcpg serve`'s limits against slow clients, as the command line takes them: a bad value is
one line naming the option or variable, before anything listens."""

from __future__ import annotations

import resource

import pytest
from click.testing import CliRunner

from cli import main


def serve(db: str, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["--db", db, "serve", "--port", "1", *args], env=env, catch_exceptions=False
    )
    return result.exit_code, result.output


def test_a_bad_variable_is_refused_in_one_line(db: str) -> None:
    code, output = serve(db, env={"LCPG_SERVE_CONNECTIONS_PER_CLIENT": "lots"})
    assert code == 1
    assert output == (
        "Error: LCPG_SERVE_CONNECTIONS_PER_CLIENT must be a whole number from 1 to 100000 "
        "(default 50), not 'lots'\n"
    )


def test_a_bad_option_is_a_usage_error(db: str) -> None:
    code, output = serve(db, "--request-timeout", "0")
    assert code == 2
    assert "Invalid value for '--request-timeout': 0 is not in the range 1<=x<=3600" in output
    assert "Traceback" not in output


def test_a_connection_limit_beyond_the_open_file_limit_is_refused(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(resource, "getrlimit", lambda _: (1024, 1024))
    monkeypatch.setattr(resource, "setrlimit", pytest.fail)
    code, output = serve(db, "--connection-limit", "5000")
    assert code == 1
    assert output == (
        "Error: a connection limit of 5000 needs 5064 open files, and this system allows 1024 "
        "(ulimit -Hn): lower --connection-limit (or LCPG_SERVE_CONNECTION_LIMIT) or raise the "
        "system's limit\n"
    )
