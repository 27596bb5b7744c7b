"""The spreadsheet round trip of issue 12 as a property, through the real services and store:
export the register (with ids, or as an older lcpg wrote it, without), then any sequence of
re-plans, edits and imports of any earlier export, and no body ever has two active meetings
in one cycle, because nobody asked for one.

Each example starts from the same small register: the CHWB every two months of 2027 and one
planned meeting per cycle for two LCPGs and the Chairs Group. Re-plans move a planned meeting
within its cycle the way ``lcpg plan --save`` does
(``lcpg.store.plans.SqlPlansRepository.save``);
edits cancel a meeting and record its replacement in the same cycle (one active meeting still);
imports may be refused (``InputError``), which writes nothing.
"""

from __future__ import annotations

import contextlib
import csv
import tempfile
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from lcpg.bootstrap import App
from lcpg.domain.model import Meeting, MeetingStatus, meeting_identity
from lcpg.domain.register import Register
from lcpg.errors import InputError
from lcpg.services.register import export_register, import_register, load_register, write_incoming
from lcpg.store.schema import AttendanceRow, MeetingRow
from lcpg.store.unit_of_work import UnitOfWork

CHWB_DAYS = [datetime(2027, month, day, 14) for month, day in ((1, 13), (3, 10), (5, 12))]
CHWB_DAYS += [datetime(2027, month, day, 14) for month, day in ((7, 14), (9, 8), (11, 10))]
BODIES = ("lcpg-gravesham", "lcpg-dover", "chairs-group")
CYCLE = timedelta(weeks=8)  # Kent's cycle_weeks: the last cycle's assumed length
ACTIVE = {MeetingStatus.PLANNED, MeetingStatus.CONFIRMED, MeetingStatus.HELD}
NOW = datetime(2026, 12, 1, 9, 0)


def two_hours(body: str, start: datetime, status: MeetingStatus) -> Meeting:
    return Meeting(
        meeting_identity(body, start), body, start, start + timedelta(hours=2), "", status
    )


START = Register(
    meetings=tuple(
        [two_hours("chwb", day, MeetingStatus.CONFIRMED) for day in CHWB_DAYS]
        + [
            two_hours(body, day + timedelta(days=12 + 2 * number), MeetingStatus.PLANNED)
            for day in CHWB_DAYS
            for number, body in enumerate(BODIES)
        ]
    )
)


@dataclass(frozen=True)
class Moved:
    """A re-planned meeting, in the form ``save_planned_meetings`` takes."""

    meeting_id: str
    body: str
    start: datetime
    end: datetime
    venue: str


BODY = st.sampled_from(BODIES)
CYCLE_INDEX = st.integers(0, len(CHWB_DAYS) - 1)
DAY_IN_CYCLE = st.integers(7, 50)
# Each step: what to do, and the body, cycle, day in the cycle (or, for an import, which
# earlier export) and whether an export drops its id columns; unused parts are ignored.
Step = tuple[str, str, int, int, bool]
STEPS = st.lists(
    st.tuples(
        st.sampled_from(["export", "replan", "replace", "import"]),
        BODY,
        CYCLE_INDEX,
        DAY_IN_CYCLE,
        st.booleans(),
    ),
    min_size=2,
    max_size=8,
)


def active_in_cycles(register: Register) -> dict[tuple[str, int], list[Meeting]]:
    """Each body's active meetings by the cycle (index of its opening CHWB) they fall in."""
    chwb = sorted(m.start for m in register.meetings if m.body == "chwb" and m.status in ACTIVE)
    closes = [*chwb[1:], chwb[-1] + CYCLE]
    found: dict[tuple[str, int], list[Meeting]] = {}
    for meeting in register.meetings:
        if meeting.body == "chwb" or meeting.status not in ACTIVE:
            continue
        for index, (opening, closing) in enumerate(zip(chwb, closes, strict=True)):
            if opening <= meeting.start < closing:
                found.setdefault((meeting.body, index), []).append(meeting)
    return found


def in_cycle(app: App, body: str, index: int) -> Meeting | None:
    return next(iter(active_in_cycles(load_register(app)).get((body, index), [])), None)


def replan(app: App, body: str, index: int, days: int) -> None:
    meeting = in_cycle(app, body, index)
    start = CHWB_DAYS[index] + timedelta(days=days)
    taken = {(m.body, m.start) for m in load_register(app).meetings}
    if meeting is None or meeting.status is not MeetingStatus.PLANNED or (body, start) in taken:
        return
    moved = Moved(meeting.id, body, start, start + timedelta(hours=2), meeting.venue)
    with UnitOfWork(app.engine, write=True) as uow:
        uow.plans.save([], [moved], NOW)
        uow.commit()


def cancel_and_replace(app: App, body: str, index: int, days: int) -> None:
    meeting = in_cycle(app, body, index)
    start = CHWB_DAYS[index] + timedelta(days=days)
    taken = {(m.body, m.start) for m in load_register(app).meetings}
    if meeting is None or (body, start) in taken:
        return
    cancelled = replace(meeting, status=MeetingStatus.CANCELLED)
    replacement = two_hours(body, start, MeetingStatus.PLANNED)
    write_incoming(app, Register(meetings=(cancelled, replacement)), "edit", dry_run=False)


def without_ids(folder: Path) -> None:
    """Rewrite the CSV export in ``folder`` as an older lcpg wrote it: no id columns."""
    for file in folder.glob("*.csv"):
        with file.open(encoding="utf-8", newline="") as stream:
            rows = list(csv.reader(stream))
        keep = [i for i, name in enumerate(rows[0]) if name not in ("id", "meeting_id")]
        with file.open("w", encoding="utf-8", newline="") as stream:
            csv.writer(stream).writerows([row[i] for i in keep] for row in rows)


def reset(app: App) -> None:
    with UnitOfWork(app.engine, write=True) as uow:
        uow.session.execute(delete(AttendanceRow))
        uow.session.execute(delete(MeetingRow))
        uow.commit()
    write_incoming(app, START, "start", dry_run=False)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(steps=STEPS)
def test_no_round_trip_gives_a_body_two_meetings_in_a_cycle(
    empty_app: App, steps: list[Step]
) -> None:
    reset(empty_app)
    exports: list[Path] = []
    with tempfile.TemporaryDirectory() as folder:
        for step in steps:
            kind, body, index, days, old_format = step
            if kind == "export":
                target = Path(folder) / f"export-{len(exports)}"
                export_register(empty_app, target)
                if old_format:
                    without_ids(target)
                exports.append(target)
            elif kind == "replan":
                replan(empty_app, body, index, days)
            elif kind == "replace":
                cancel_and_replace(empty_app, body, index, days)
            elif exports:
                # Refused (InputError) means all of it: nothing was written.
                with contextlib.suppress(InputError):
                    import_register(empty_app, exports[days % len(exports)])
            doubled = {
                key: [(m.start, m.status.value) for m in found]
                for key, found in active_in_cycles(load_register(empty_app)).items()
                if len(found) > 1
            }
            assert not doubled, (step, doubled)
