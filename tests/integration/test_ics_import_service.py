"""import_calendar against a real database (SQLite, and PostgreSQL when configured): calendar
exports recorded as meetings, all or nothing, and again without changing anything.

The files are the fixtures under ``tests/fixtures/ics/`` (checked in detail by
``tests/unit/test_ics_import.py``); here they go through the service into the store.
"""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pytest

from lcpg.bootstrap import App
from lcpg.domain.model import Meeting, MeetingStatus, meeting_identity
from lcpg.errors import InputError, NotFoundError
from lcpg.services.ics_import import CalendarImport, import_calendar
from lcpg.services.register import load_register
from rules.engine import check
from tests.conftest import FIXTURES

ICS = FIXTURES / "ics"
SEVENOAKS = "lcpg-sevenoaks"
AS_OF = date(2018, 3, 20)  # a week after the Swanley meeting of 14 March 2018


@pytest.fixture
def app(empty_app: App) -> App:
    """These tests start from an empty register."""
    return empty_app


def run(
    app: App,
    name: str,
    body: str = SEVENOAKS,
    *,
    status: MeetingStatus | None = None,
    dry_run: bool = False,
    today: date = AS_OF,
) -> CalendarImport:
    return import_calendar(app, ICS / name, body, status, dry_run, today)


def meetings(app: App, body: str = SEVENOAKS) -> tuple[Meeting, ...]:
    return load_register(app, attendance=False).meetings_of(body)


def test_apple_calendar_is_recorded_as_the_bodys_meetings(app: App) -> None:
    done = run(app, "apple.ics")
    stored = meetings(app)
    assert [m.start for m in stored] == [
        datetime(2017, 3, 15, 10, 0),
        datetime(2017, 6, 14, 10, 0),
        datetime(2017, 9, 13, 10, 0),
        datetime(2017, 12, 13, 10, 0),
        datetime(2018, 3, 14, 10, 0),
        datetime(2018, 6, 13, 10, 0),
        datetime(2018, 9, 12, 10, 0),
        datetime(2018, 12, 12, 10, 0),
    ]
    # Before the import date they were held, from it on they are planned.
    assert [m.status for m in stored] == [MeetingStatus.HELD] * 5 + [MeetingStatus.PLANNED] * 3
    swanley = stored[4]
    assert swanley == Meeting(
        meeting_identity(SEVENOAKS, datetime(2018, 3, 14, 10, 0)),
        SEVENOAKS,
        datetime(2018, 3, 14, 10, 0),
        datetime(2018, 3, 14, 12, 0),
        "Community Centre, Swanley",
        MeetingStatus.HELD,
    )
    assert done.result.changes.meetings.added == 8
    assert (done.events, done.all_day, done.duplicates, done.cancelled) == (8, 0, 0, 0)
    assert done.window == (date(2008, 3, 20), date(2020, 3, 20))
    assert done.notes == ()
    assert not done.result.dry_run


def test_importing_the_same_file_twice_changes_nothing(app: App) -> None:
    run(app, "apple.ics")
    before = load_register(app)
    again = run(app, "apple.ics")
    assert again.result.changes.is_empty
    assert again.result.changes.meetings.unchanged == 8
    assert load_register(app) == before


def test_dry_run_writes_nothing(app: App) -> None:
    before = load_register(app)
    done = run(app, "apple.ics", dry_run=True)
    assert done.result.dry_run
    assert done.result.changes.meetings.added == 8
    assert load_register(app) == before
    assert meetings(app) == ()


def test_a_missing_file_is_an_input_error(app: App, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.ics"
    with pytest.raises(InputError, match="no such file"):
        import_calendar(app, missing, SEVENOAKS, None, False, AS_OF)
    with pytest.raises(InputError, match="is a folder"):
        import_calendar(app, tmp_path, SEVENOAKS, None, False, AS_OF)


def test_an_unknown_body_is_refused_and_nothing_is_written(app: App) -> None:
    before = load_register(app)
    with pytest.raises(NotFoundError, match=r"no body 'lcpg-sevenoak' .*lcpg-sevenoaks"):
        run(app, "apple.ics", body="lcpg-sevenoak")
    assert load_register(app) == before


def test_google_calendar_keeps_cancellations_and_times_all_day_events(app: App) -> None:
    done = run(app, "google.ics", "lcpg-dartford", today=date(2018, 6, 1))
    stored = {m.start.date(): m for m in meetings(app, "lcpg-dartford")}
    assert stored[date(2018, 5, 16)].status is MeetingStatus.HELD
    assert stored[date(2018, 7, 18)].status is MeetingStatus.CANCELLED
    workshop = stored[date(2018, 9, 19)]
    # The blueprint's LCPG time and meeting length (the body has no preference of its own).
    assert (workshop.start, workshop.end) == (
        datetime(2018, 9, 19, 10, 0),
        datetime(2018, 9, 19, 12, 0),
    )
    assert workshop.status is MeetingStatus.PLANNED
    assert done.all_day_time == time(10, 0)
    assert done.notes == (
        "1 all-day event recorded at 10:00 for 120 minutes",
        "1 cancelled event recorded as cancelled",
    )


def test_a_given_status_applies_to_every_event_not_cancelled(app: App) -> None:
    run(app, "google.ics", "lcpg-dartford", status=MeetingStatus.HELD, today=date(2018, 1, 1))
    statuses = [m.status for m in meetings(app, "lcpg-dartford")]
    assert statuses.count(MeetingStatus.CANCELLED) == 1
    assert statuses.count(MeetingStatus.HELD) == 5


def test_outlook_calendar_is_recorded_and_duplicates_are_counted(app: App) -> None:
    run(app, "outlook.ics", "lcpg-gravesham", today=date(2018, 12, 31))
    assert [m.start for m in meetings(app, "lcpg-gravesham")][2] == datetime(2018, 7, 19, 14, 0)
    done = run(app, "duplicates.ics", "lcpg-tunbridge-wells")
    assert (done.events, done.duplicates) == (5, 4)
    assert "4 duplicate events were merged (same start time as another event)" in done.notes
    assert len(meetings(app, "lcpg-tunbridge-wells")) == 5


def test_a_calendar_with_no_events_in_range_says_so(app: App, tmp_path: Path) -> None:
    empty = tmp_path / "empty.ics"
    empty.write_bytes(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nEND:VCALENDAR\r\n")
    done = import_calendar(app, empty, SEVENOAKS, None, False, AS_OF)
    assert done.events == 0
    assert done.result.changes.is_empty
    assert done.notes == (
        f"no events in {empty} between 2008-03-20 and 2020-03-20: nothing to record",
    )


def test_the_imported_history_shows_that_sevenoaks_meets_quarterly(app: App) -> None:
    # This is how the team learns that a district meets quarterly without typing dates.
    run(app, "apple.ics", today=AS_OF)
    report = check(load_register(app), app.blueprint, AS_OF, SEVENOAKS)
    [cadence] = [f for f in report.findings if f.rule == "cadence.bimonthly"]
    assert cadence.body == SEVENOAKS
    assert cadence.evidence["detected"] == "quarterly"
    assert cadence.evidence["held"] == 4
    assert cadence.message.startswith("Meets quarterly, not every two months")
