"""Where lcpg looks for its database and blueprint: option, then environment, then default."""

from __future__ import annotations

from pathlib import Path

import pytest

from lcpg import bootstrap
from lcpg.blueprints import KENT
from lcpg.bootstrap import Settings
from lcpg.errors import LcpgError
from lcpg.store import database


def test_defaults_are_local_sqlite_and_the_kent_blueprint() -> None:
    settings = Settings.resolve(environ={})
    assert settings.database_url == "sqlite:///lcpg.db"
    assert settings.blueprint_path == KENT


def test_environment_overrides_defaults() -> None:
    settings = Settings.resolve(
        environ={"LCPG_DATABASE_URL": "postgresql+psycopg://db/lcpg", "LCPG_BLUEPRINT": "x.toml"}
    )
    assert settings.database_url == "postgresql+psycopg://db/lcpg"
    assert settings.blueprint_path == Path("x.toml")


def test_options_override_environment() -> None:
    settings = Settings.resolve(
        "sqlite:///other.db",
        "y.toml",
        environ={"LCPG_DATABASE_URL": "postgresql+psycopg://db/lcpg", "LCPG_BLUEPRINT": "x.toml"},
    )
    assert settings.database_url == "sqlite:///other.db"
    assert settings.blueprint_path == Path("y.toml")


def test_the_busy_timeout_comes_from_the_environment_in_seconds() -> None:
    assert Settings.resolve(environ={}).busy_timeout == 30.0
    assert Settings.resolve(environ={"LCPG_DB_BUSY_TIMEOUT": "2.5"}).busy_timeout == 2.5
    assert Settings.resolve(environ={"LCPG_DB_BUSY_TIMEOUT": " "}).busy_timeout == 30.0
    # bootstrap keeps its own copy of the default so that `lcpg --help` loads no store code.
    assert bootstrap.DEFAULT_BUSY_TIMEOUT == database.DEFAULT_BUSY_TIMEOUT


@pytest.mark.parametrize("value", ["soon", "-1", "nan", "inf", "1e9"])
def test_a_busy_timeout_that_is_not_seconds_is_refused(value: str) -> None:
    with pytest.raises(
        LcpgError, match=f"LCPG_DB_BUSY_TIMEOUT must be a number of seconds.*{value}"
    ):
        Settings.resolve(environ={"LCPG_DB_BUSY_TIMEOUT": value})
