"""The register's persistence: SQLAlchemy 2 ORM, Alembic migrations, the unit of work.

``database.make_engine(url)`` connects (SQLite tuned for a desktop file, or PostgreSQL);
``migrate.upgrade(engine)`` creates or upgrades the schema; ``UnitOfWork`` gives one transaction
per command and one repository per kind of data (``register``, ``plans``, ``checks``,
``outbox``, ``tokens``, ``term_dates``, ``settings``: a module each); ``version`` keeps the
register's version; ``memory`` is the same unit of work in memory, for tests.
"""
