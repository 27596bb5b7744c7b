"""Alembic migrations of the register schema (see store.migrate)."""
