"""Where lcpg looks for its database and blueprint: option, then environment, then default."""

from __future__ import annotations

from pathlib import Path

from blueprints import KENT
from bootstrap import Settings


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
