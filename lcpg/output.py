"""Rendering lists of records for the terminal or for other scripts: table, JSON or CSV; and
the formatting more than one command shares (counts of records, what an import changed).

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
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lcpg.services.register import WriteResult

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


def counted(counts: Mapping[str, int]) -> str:
    """``{"people": 3, "attendance": 1200}`` as "3 people, 1,200 attendance records"."""
    labels = {"attendance": "attendance records"}
    return ", ".join(f"{n:,} {labels.get(kind, kind)}" for kind, n in counts.items())


UPDATES_SHOWN = 20
"""Updated records named one by one in a change report, per kind of record."""


def change_report(result: WriteResult) -> str:
    """What an import (workbook, calendar) changed or, dry, would change: a table of records
    added, updated and unchanged per kind, then each updated record's changed fields."""
    summary = result.changes.summary()
    table = render(
        [{"records": kind, **counts} for kind, counts in summary.items()],
        ["records", "added", "updated", "unchanged"],
        "table",
    )
    if result.changes.is_empty:
        total = sum(counts["unchanged"] for counts in summary.values())
        return (
            f"Nothing to change: all {total} records in {result.source} "
            "are already in the register."
        )
    if result.dry_run:
        heading = (
            f"Dry run: importing {result.source} would change the register as below. "
            "Nothing was written."
        )
    else:
        heading = f"Imported {result.source}:"
    updates = _update_lines(result)
    if updates:
        verb = "would change" if result.dry_run else "changed"
        table += f"\n\nRecords already in the register that this {verb}:\n" + "\n".join(updates)
    return f"{heading}\n\n{table}"


def _update_lines(result: WriteResult) -> list[str]:
    """One line per updated record, naming it and each field's old and new value."""
    from lcpg.domain.model import Attendance, Meeting, Membership, Person

    def label(record: object) -> str:
        if isinstance(record, Person):
            return f"person {record.email}"
        if isinstance(record, Membership):
            since = f", from {record.start.isoformat()}" if record.start else ""
            return f"membership {record.body} {record.email} ({record.sector}{since})"
        if isinstance(record, Meeting):
            return f"meeting {record.body} {record.start.isoformat(timespec='minutes')}"
        if isinstance(record, Attendance):
            meeting = result.meetings.get(record.meeting_id)
            where = label(meeting) if meeting else f"meeting {record.meeting_id}"
            return f"attendance of {record.email} at {where}"
        return repr(record)

    def shown(value: object) -> str:
        text = plain_value(value)
        return "(empty)" if text in (None, "") else str(text)

    lines: list[str] = []
    changes = result.changes
    for kind in (changes.people, changes.memberships, changes.meetings, changes.attendance):
        updates = [c for c in kind.changes if not c.is_addition]
        for change in updates[:UPDATES_SHOWN]:
            diffs = "; ".join(
                f"{name} {shown(before)} -> {shown(after)}"
                for name, before, after in change.field_changes()
            )
            lines.append(f"  {label(change.after)}: {diffs}")
        if len(updates) > UPDATES_SHOWN:
            lines.append(f"  ... and {len(updates) - UPDATES_SHOWN} more")
    return lines
