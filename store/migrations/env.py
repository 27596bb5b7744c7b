"""Alembic environment: runs migrations on the connection that ``store.migrate`` hands over.

There is no alembic.ini: ``store.migrate`` builds the configuration in code, so migrations run
the same way from ``lcpg init``, from tests and from ``python -m store.migrate revision``.
"""

from alembic import context

from store.schema import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things in place; batch mode copies the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
