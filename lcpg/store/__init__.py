"""The register's persistence: SQLAlchemy 2 ORM, Alembic migrations, the unit of work.

``database.make_engine(url)`` connects (SQLite tuned for a desktop file, or PostgreSQL);
``migrate.upgrade(engine)`` creates or upgrades the schema; ``UnitOfWork`` gives one transaction
per command; ``repository`` reads snapshots and writes change sets.
"""
