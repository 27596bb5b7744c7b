"""plan_changes: upsert by natural key, identities kept, nothing counted twice."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from lcpg.domain.changes import plan_changes
from lcpg.domain.model import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
    Membership,
    Person,
    meeting_identity,
)
from lcpg.domain.register import Register

START = datetime(2018, 3, 14, 10, 0)


def meeting(body: str = "lcpg-gravesham", start: datetime = START, **kw) -> Meeting:
    return Meeting(
        kw.pop("id", meeting_identity(body, start)),
        body,
        start,
        kw.pop("end", datetime(2018, 3, 14, 12, 0)),
        **kw,
    )


def test_everything_new_is_an_addition() -> None:
    incoming = Register(
        people=(Person("a@example.org", "A"),),
        memberships=(Membership("lcpg-gravesham", "a@example.org", "police"),),
        meetings=(meeting(),),
    )
    changes = plan_changes(Register(), incoming)
    assert changes.summary() == {
        "people": {"added": 1, "updated": 0, "unchanged": 0},
        "memberships": {"added": 1, "updated": 0, "unchanged": 0},
        "meetings": {"added": 1, "updated": 0, "unchanged": 0},
        "attendance": {"added": 0, "updated": 0, "unchanged": 0},
    }


def test_same_data_again_changes_nothing() -> None:
    register = Register(
        people=(Person("a@example.org", "A", "Kent Police"),),
        memberships=(Membership("lcpg-gravesham", "a@example.org", "police", ("chair",)),),
        meetings=(meeting(status=MeetingStatus.HELD),),
    )
    changes = plan_changes(register, register)
    assert changes.is_empty
    assert changes.people.unchanged == changes.memberships.unchanged == 1


def test_changed_fields_are_updates_keyed_naturally() -> None:
    current = Register(
        people=(Person("a@example.org", "A", "Kent Police"),),
        memberships=(
            Membership("lcpg-gravesham", "a@example.org", "police", (), date(2016, 1, 1)),
        ),
    )
    incoming = Register(
        people=(Person("a@example.org", "A. Person", "Kent Police"),),
        memberships=(
            # Same key (body, email, sector, start): the end date and roles are updates.
            Membership(
                "lcpg-gravesham",
                "a@example.org",
                "police",
                ("chair",),
                date(2016, 1, 1),
                date(2018, 9, 30),
            ),
            # Another start date is another membership.
            Membership("lcpg-gravesham", "a@example.org", "police", (), date(2018, 10, 1)),
        ),
    )
    changes = plan_changes(current, incoming)
    assert (changes.people.added, changes.people.updated) == (0, 1)
    assert (changes.memberships.added, changes.memberships.updated) == (1, 1)
    assert changes.memberships.changes[0].before == current.memberships[0]


def test_existing_meeting_keeps_its_identity_and_attendance_follows() -> None:
    stored = meeting(id="stored-identity", venue="Civic Centre")
    incoming_meeting = meeting(venue="Civic Centre, Room 2")
    incoming = Register(
        meetings=(incoming_meeting,),
        attendance=(Attendance(incoming_meeting.id, "a@example.org", AttendanceStatus.PRESENT),),
    )
    changes = plan_changes(Register(meetings=(stored,)), incoming)
    (update,) = changes.meetings.changes
    assert update.after.id == "stored-identity"
    assert update.after.venue == "Civic Centre, Room 2"
    (attendance,) = changes.attendance.changes
    assert attendance.after.meeting_id == "stored-identity"


def test_nothing_is_deleted() -> None:
    current = Register(people=(Person("a@example.org", "A"), Person("b@example.org", "B")))
    changes = plan_changes(current, Register(people=(Person("a@example.org", "A"),)))
    assert changes.is_empty


def test_meeting_identity_is_stable_and_distinct() -> None:
    assert meeting_identity("lcpg-dover", START) == meeting_identity("lcpg-dover", START)
    assert meeting_identity("lcpg-dover", START) != meeting_identity("lcpg-thanet", START)
    moved = replace(meeting(), start=datetime(2018, 3, 21, 10, 0))
    assert moved.id == meeting().id  # the identity is stored, not recomputed


def test_new_meeting_where_a_moved_one_was_first_placed_gets_a_fresh_identity() -> None:
    # First placed at 10:00, then moved to 11:00: it keeps the identity derived from 10:00.
    moved = meeting(
        start=datetime(2018, 3, 14, 11, 0), id=meeting_identity("lcpg-gravesham", START)
    )
    newcomer = meeting()  # a new meeting at 10:00 derives the same identity
    incoming = Register(
        meetings=(newcomer,),
        attendance=(Attendance(newcomer.id, "a@example.org", AttendanceStatus.PRESENT),),
    )
    changes = plan_changes(Register(meetings=(moved,)), incoming)
    (added,) = changes.meetings.changes
    assert added.is_addition
    assert added.after.id not in (moved.id, "")
    assert added.after.id == meeting_identity("lcpg-gravesham", START, attempt=1)
    assert changes.attendance.changes[0].after.meeting_id == added.after.id


def test_roles_written_in_any_order_are_the_same_membership() -> None:
    a = Membership("lcpg-dover", "a@example.org", "police", ("coordinator", "chair"))
    b = Membership("lcpg-dover", "a@example.org", "police", ("chair", "coordinator", "chair"))
    assert a == b and a.roles == ("chair", "coordinator")
    assert plan_changes(Register(memberships=(a,)), Register(memberships=(b,))).is_empty


def test_identified_meetings_are_matched_by_identity_wherever_they_start() -> None:
    # A workbook import settles identities first (workbook.parse_workbook): a row with a
    # meeting's id that has moved is an update of that meeting, never a second one.
    stored = meeting(
        start=datetime(2018, 3, 21, 10, 0), id=meeting_identity("lcpg-gravesham", START)
    )
    back = meeting(id=stored.id)
    changes = plan_changes(
        Register(meetings=(stored,)), Register(meetings=(back,)), identified=True
    )
    assert changes.meetings.added == 0
    (change,) = changes.meetings.changes
    assert change.field_changes() == (("start", stored.start, START),)
    # Matched by body and start instead, the same record would be a new meeting.
    unidentified = plan_changes(Register(meetings=(stored,)), Register(meetings=(back,)))
    assert unidentified.meetings.added == 1
