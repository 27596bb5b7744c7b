"""A database's whole state, to compare before and after something that must change nothing."""

from __future__ import annotations

from sqlalchemy import MetaData, create_engine, select


def dump(url: str) -> dict[str, list[tuple]]:
    """Every row of every table in the database at ``url`` (SQLite or PostgreSQL, in the
    schema its search path names), in a stable order: the database's whole state, including
    tables lcpg's models do not describe (Alembic's version, the scheduler's jobs)."""
    engine = create_engine(url)
    try:
        tables = MetaData()
        tables.reflect(engine)
        with engine.connect() as connection:
            return {
                table.name: sorted(
                    (tuple(row) for row in connection.execute(select(table))), key=repr
                )
                for table in tables.sorted_tables
            }
    finally:
        engine.dispose()
