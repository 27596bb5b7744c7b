"""Rendering lists of records for the terminal or for other scripts: table, JSON or CSV.

Commands hand over rows as mappings of column name to value; dates and times are written in
ISO 8601, ``None`` as an empty cell (table, CSV) or ``null`` (JSON), tuples joined with ``;``.
CSV cells that a spreadsheet would run as a formula get a leading apostrophe
(``lcpg.domain.cells.guard``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any

FORMATS = ("table", "json", "csv")


def plain_value(value: Any) -> Any:
    """``value`` as JSON-ready data: ISO dates and times, enum values, tuples joined with ``;``."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return ";".join(str(plain_value(v)) for v in value)
    return value


def render(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], fmt: str) -> str:
    """``rows`` as text in ``fmt`` (one of ``FORMATS``), with ``columns`` in that order."""
    plain = [{c: plain_value(row.get(c)) for c in columns} for row in rows]
    if fmt == "json":
        return json.dumps(plain, indent=2, ensure_ascii=False)
    if fmt == "csv":
        from lcpg.domain.cells import guard

        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        # Spreadsheets open these too: a name or venue must not start a formula.
        writer.writerows(
            {c: guard(v) if isinstance(v, str) else v for c, v in row.items()} for row in plain
        )
        return buffer.getvalue().rstrip("\n")
    if fmt == "table":
        if not plain:
            return "(none)"
        from tabulate import tabulate

        return tabulate(
            [[("" if row[c] is None else row[c]) for c in columns] for row in plain],
            headers=list(columns),
            tablefmt="simple",
            disable_numparse=True,
        )
    raise ValueError(f"unknown format {fmt!r}")
