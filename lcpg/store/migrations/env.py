"""Alembic environment: runs migrations on the connection that ``lcpg.store.migrate`` hands over.

There is no alembic.ini: ``lcpg.store.migrate`` builds the configuration in code, so migrations run
the same way from ``lcpg init``, from tests and from ``python -m lcpg.store.migrate revision``.
"""

from alembic import context

from lcpg.store.schema import Base

connection = context.config.attributes["connection"]


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    # APScheduler keeps its job store in the same database; its table is not ours to migrate.
    return not (type_ == "table" and name == "apscheduler_jobs")


context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things in place; batch mode copies the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_name=include_name,
)
with context.begin_transaction():
    context.run_migrations()
