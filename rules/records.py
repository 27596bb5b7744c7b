"""Keeping the record straight: ``records.unrecorded`` flags a past meeting still ``planned``
(or ``confirmed``): nobody has recorded that it was held or cancelled."""

from __future__ import annotations

from collections.abc import Iterable

from domain.model import MeetingStatus
from rules.context import CheckContext
from rules.findings import Finding, Severity
from rules.registry import RuleSettings, rule
from rules.text import moment, subject

OPEN = (MeetingStatus.PLANNED, MeetingStatus.CONFIRMED)


@rule(
    "records.unrecorded",
    "A past meeting still planned: nobody recorded that it was held or cancelled.",
    Severity.WARNING,
    applies_to=("lcpg", "chairs-group", "chwb", "safeguarding-group"),
)
def check_unrecorded(context: CheckContext, settings: RuleSettings) -> Iterable[Finding]:
    for body in context.bodies_of(settings.applies_to):
        for meeting in context.register.meetings_of(body.slug):
            day = meeting.start.date()
            if meeting.status in OPEN and context.window_start <= day < context.as_of:
                yield Finding(
                    "records.unrecorded",
                    settings.severity,
                    body.slug,
                    subject(meeting.start),
                    f"The meeting of {moment(meeting.start)} is still {meeting.status.value}: "
                    "record whether it was held (with attendance) or cancelled.",
                    settings.clause,
                    {"meeting": subject(meeting.start), "status": meeting.status.value},
                )
