"""Keeping the record straight: ``records.unrecorded`` flags a past meeting still ``planned``
(or ``confirmed``): nobody has recorded that it was held or cancelled.
``records.attendance-missing`` flags a meeting recorded ``held`` with no attendance at all:
without it, ``attendance.core-sectors`` and ``governance.chwb-representation`` have nothing to
look at, so a held meeting nobody took the register of would pass every rule."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from lcpg.domain.model import MeetingStatus
from lcpg.domain.wording import moment
from rules.context import CheckContext
from rules.findings import Finding
from rules.registry import RuleSettings, rule
from rules.text import subject

OPEN = (MeetingStatus.PLANNED, MeetingStatus.CONFIRMED)


@rule(
    "records.unrecorded",
    "A past meeting still planned: nobody recorded that it was held or cancelled.",
    advice=(
        "Record whether the meeting was held, with its attendance, or cancelled "
        "(meetings.csv and attendance.csv, `lcpg import`)."
    ),
    applies_to=("lcpg", "chairs-group", "chwb", "safeguarding-group"),
)
def check_unrecorded(context: CheckContext, settings: RuleSettings) -> Iterable[Finding]:
    for body in context.bodies_of(settings.applies_to):
        for meeting in context.register.meetings_of(body.slug):
            day = meeting.start.date()
            if meeting.status in OPEN and context.window_start <= day < context.as_of:
                yield settings.finding(
                    body.slug,
                    subject(meeting.start),
                    f"The meeting of {moment(meeting.start)} is still {meeting.status.value}: "
                    "record whether it was held (with attendance) or cancelled.",
                    {"meeting": subject(meeting.start), "status": meeting.status.value},
                )


@rule(
    "records.attendance-missing",
    "A held meeting with no attendance recorded.",
    advice=(
        "Record who attended the meeting, present, represented, apologies or absent "
        "(attendance.csv, `lcpg import`), so that the attendance rules can check it."
    ),
    applies_to=("lcpg", "chwb"),
    params={"grace_days": 7},
)
def check_attendance_missing(context: CheckContext, settings: RuleSettings) -> Iterable[Finding]:
    """Held meetings in the 12 months to the check's date with no attendance record, once
    ``grace_days`` have passed since the meeting (the time a group has to write up who came)."""
    grace = timedelta(days=int(settings.params["grace_days"]))
    for body in context.bodies_of(settings.applies_to):
        for meeting in context.register.meetings_of(body.slug):
            day = meeting.start.date()
            if meeting.status is not MeetingStatus.HELD or not context.in_window(meeting.start):
                continue
            if day + grace >= context.as_of or context.attendance_by_meeting.get(meeting.id):
                continue
            yield settings.finding(
                body.slug,
                subject(meeting.start),
                f"The meeting of {moment(meeting.start)} is recorded as held, but nobody "
                "recorded who attended.",
                {"meeting": subject(meeting.start), "grace_days": grace.days},
            )
