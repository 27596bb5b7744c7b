"""A PostgreSQL database of the benchmarks' own, set up by the benchmarks themselves.

``LCPG_BENCH_DATABASE_URL`` names it (default
``postgresql+psycopg://postgres@127.0.0.1:5432/lcpg_bench``); the database is created when
missing (through the server's ``postgres`` database), and each benchmark works in a schema of
its own that it drops and creates afresh, so a run never sees an earlier run's rows.
"""

from __future__ import annotations

import os

BENCH_URL_ENV = "LCPG_BENCH_DATABASE_URL"
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/lcpg_bench"


def bench_database() -> str | None:
    """The benchmark database's URL, created if missing; None when the server cannot be
    reached (or the driver is not installed)."""
    try:
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import OperationalError
    except ImportError:  # pragma: no cover - SQLAlchemy is a dependency of lcpg
        return None
    url = make_url(os.environ.get(BENCH_URL_ENV, DEFAULT_URL))
    try:
        server = create_engine(
            url.set(database="postgres"), isolation_level="AUTOCOMMIT", connect_args=_timeout()
        )
        with server.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database}
            ).scalar()
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{url.database}"'))
        server.dispose()
    except (OperationalError, ImportError):
        return None
    return url.render_as_string(hide_password=False)


def fresh_schema(url: str, schema: str) -> str:
    """Drop and create ``schema`` in the database at ``url``; return a URL whose connections
    work in it."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    return (
        make_url(url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )


def drop_schema(url: str, schema: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def _timeout() -> dict[str, int]:
    return {"connect_timeout": 5}
