"""Alembic revisions, numbered in order: 0001 the initial register schema, 0002 body preferences, 0003 recorded checks, 0004 meeting revisions, 0005 personal feed tokens, 0006 the e-mail outbox."""
