"""Workbook import and export: the register as spreadsheets, for a team that lives in them.

A workbook source is a folder of CSV files (``people.csv``, ``memberships.csv``,
``meetings.csv``, ``attendance.csv``) or an ``.xlsx`` workbook with sheets of those names; the
columns are in ``lcpg.workbook.schema`` and the text forms of values in ``lcpg.workbook.values``.

- ``read_tables(path)`` reads a source into plain tables of text (I/O, file-level checks);
- ``parse_register(tables, blueprint, body_slugs, existing)`` checks every value and builds the
  incoming ``Register`` (pure);
- ``read_register(...)`` does both; ``read_workbook(...)`` also says which meetings rows
  without an id would add (``ParsedWorkbook``);
- ``write_register(path, register, blueprint_slug)`` writes all four tables, in a form that
  reads back equal.

Every problem a user can fix is reported as ``lcpg.errors.InputError``, all problems of a source at
once, each with file, row and column.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from lcpg.domain.blueprint import Blueprint
from lcpg.domain.register import Register
from lcpg.workbook.parse import ParsedWorkbook, parse_register, parse_workbook
from lcpg.workbook.tables import Row, Table, Tables, read_tables
from lcpg.workbook.writer import write_register

__all__ = [
    "ParsedWorkbook",
    "Row",
    "Table",
    "Tables",
    "parse_register",
    "parse_workbook",
    "read_register",
    "read_tables",
    "read_workbook",
    "write_register",
]


def read_register(
    path: Path, blueprint: Blueprint, body_slugs: Collection[str], existing: Register
) -> Register:
    """The incoming register in the workbook source at ``path``.

    ``read_tables`` then ``parse_register``: raises ``InputError`` with every file-level problem
    (unreadable, not UTF-8, missing columns, ...) or, when the files are sound, with every
    problem in their values.
    """
    return parse_register(read_tables(path), blueprint, body_slugs, existing)


def read_workbook(
    path: Path, blueprint: Blueprint, body_slugs: Collection[str], existing: Register
) -> ParsedWorkbook:
    """``read_tables`` then ``parse_workbook``, raising as ``read_register`` does."""
    return parse_workbook(read_tables(path), blueprint, body_slugs, existing)
