"""Which schema a database has, checked with one query and without loading Alembic.

Every command checks the schema before it runs; Alembic costs a tenth of a second to import,
so the check reads ``alembic_version`` itself and compares it with ``REVISIONS``, the list of
revisions this version of lcpg ships. A test keeps ``REVISIONS`` equal to Alembic's own
history (``lcpg/store/migrations/versions``): add the new revision here when adding a migration.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Engine, inspect, text

# Oldest first; the last is the head that `lcpg init` upgrades to.
REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008")


class SchemaState(StrEnum):
    MISSING = "missing"
    FOREIGN = "foreign"
    """A SQLite file holding tables but no lcpg schema: another program's database."""
    BEHIND = "behind"
    CURRENT = "current"
    AHEAD = "ahead"


def schema_state(engine: Engine) -> SchemaState:
    """Whether ``engine``'s database is missing the schema (or, for SQLite, holds another
    program's tables instead), behind, current, or newer than us."""
    with engine.connect() as connection:
        inspector = inspect(connection)
        if not inspector.has_table("alembic_version"):
            # A PostgreSQL schema may be shared with others' tables; a SQLite file is one
            # program's.
            if engine.dialect.name == "sqlite" and inspector.get_table_names():
                return SchemaState.FOREIGN
            return SchemaState.MISSING
        current = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if current is None:
        return SchemaState.MISSING
    if current == REVISIONS[-1]:
        return SchemaState.CURRENT
    return SchemaState.BEHIND if current in REVISIONS else SchemaState.AHEAD
