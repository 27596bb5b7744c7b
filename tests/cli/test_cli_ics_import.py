"""`lcpg ics import` as a user reads it: the summary line counts in plain English."""

from __future__ import annotations

from pathlib import Path

from tests.cli.commands import run

ONE_MEETING = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Example//Calendar//EN\r
BEGIN:VEVENT\r
UID:one-meeting@example.org\r
DTSTAMP:20260101T090000Z\r
DTSTART:20260610T100000Z\r
DTEND:20260610T120000Z\r
SUMMARY:Dover LCPG\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_one_event_read_is_said_in_the_singular(db: str, tmp_path: Path) -> None:
    calendar = tmp_path / "one.ics"
    calendar.write_text(ONE_MEETING, encoding="utf-8", newline="")
    arguments = ["--body", "lcpg-dover", "--dry-run", "--as-of", "2026-12-01"]
    code, output = run(db, "ics", "import", str(calendar), *arguments)
    assert code == 0, output
    assert "1 event dated " in output
    assert "1 events" not in output
