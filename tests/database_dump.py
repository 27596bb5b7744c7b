"""A database's whole state as comparable data, so a test can say "nothing changed" and mean it.

``dump(url)`` reads every table the database holds, not only those the ORM knows (the Alembic
version, the scheduler's job store and anything a migration added all count):

- SQLite: ``iterdump``, the schema and every row as SQL text;
- PostgreSQL: for each table in the connection's search path, its columns and every row ordered
  by its primary key (by every column when it has none).

Two dumps are equal exactly when the database was left as it was.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url


def dump(url: str) -> list[object]:
    """The schema and every row of the database at ``url`` (SQLite or PostgreSQL)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        assert parsed.database, f"not a SQLite file: {url}"
        connection = sqlite3.connect(parsed.database)
        try:
            return list(connection.iterdump())
        finally:
            connection.close()
    return _dump_by_table(url)


def _dump_by_table(url: str) -> list[object]:
    engine = create_engine(url)
    try:
        state: list[object] = []
        with engine.connect() as connection:
            inspector = inspect(connection)
            for table in sorted(inspector.get_table_names()):
                columns = [column["name"] for column in inspector.get_columns(table)]
                keys = inspector.get_pk_constraint(table).get("constrained_columns") or columns
                query = f"SELECT {_names(columns)} FROM {_name(table)} ORDER BY {_names(keys)}"
                rows = [tuple(row) for row in connection.execute(text(query))]
                state.append((table, tuple(columns), rows))
        return state
    finally:
        engine.dispose()


def _name(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _names(identifiers: Sequence[str]) -> str:
    return ", ".join(_name(identifier) for identifier in identifiers)
