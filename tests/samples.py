"""A small fictional register shared by the test tiers, as CSV text and as records.

Two Sevenoaks LCPG members (one with a dated co-ordinator role), a held March meeting with
attendance and a planned June meeting with no end time (so it takes the blueprint's default
length). Fictional people, example.org addresses.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

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

PEOPLE = """email,name,organisation
Ada.Finch@example.org,Ada Finch,West Kent Mind (fictional)
bo.reed@example.org,Bo Reed,Sevenoaks District Council
"""
MEMBERSHIPS = """body,email,sector,roles,start,end
lcpg-sevenoaks,ada.finch@example.org,voluntary-sector,chair,2018-01-01,
lcpg-sevenoaks,bo.reed@example.org,district-council,coordinator;safeguarding-lead,2016-05-01,2017-09-30
"""
MEETINGS = """body,start,end,venue,status
lcpg-sevenoaks,2018-03-14T10:00,2018-03-14T12:00,"Gateway, Swanley",held
lcpg-sevenoaks,2018-06-13T10:00,,Council Offices,planned
"""
ATTENDANCE = """body,meeting_start,email,status
lcpg-sevenoaks,2018-03-14T10:00,ada.finch@example.org,present
lcpg-sevenoaks,2018-03-14T10:00,bo.reed@example.org,apologies
"""
FILES = {
    "people": PEOPLE,
    "memberships": MEMBERSHIPS,
    "meetings": MEETINGS,
    "attendance": ATTENDANCE,
}


def csv_folder(folder: Path, **files: str) -> Path:
    """A folder with the standard four CSV files, some replaced by ``files``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in {**FILES, **files}.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def small_register() -> Register:
    start = datetime(2018, 3, 14, 10, 0)
    meeting = Meeting(
        meeting_identity("lcpg-sevenoaks", start),
        "lcpg-sevenoaks",
        start,
        datetime(2018, 3, 14, 12, 0),
        "Gateway, Swanley",
        MeetingStatus.HELD,
    )
    return Register(
        people=(
            Person("ada.finch@example.org", "Ada Finch", "West Kent Mind (fictional)"),
            Person("bo.reed@example.org", "Bo Reed", "Sevenoaks District Council"),
        ),
        memberships=(
            Membership(
                "lcpg-sevenoaks",
                "ada.finch@example.org",
                "voluntary-sector",
                ("chair",),
                date(2018, 1, 1),
            ),
            Membership(
                "lcpg-sevenoaks",
                "bo.reed@example.org",
                "district-council",
                ("coordinator", "safeguarding-lead"),
                date(2016, 5, 1),
                date(2017, 9, 30),
            ),
        ),
        meetings=(meeting,),
        attendance=(
            Attendance(meeting.id, "ada.finch@example.org", AttendanceStatus.PRESENT),
            Attendance(meeting.id, "bo.reed@example.org", AttendanceStatus.APOLOGIES),
        ),
    )
