"""Members attend or are represented at every meeting: ``attendance.core-sectors`` flags a held
LCPG meeting at which a core sector was neither present nor represented."""

from __future__ import annotations

from collections.abc import Iterable

from lcpg.domain.model import AttendanceStatus, MeetingStatus
from lcpg.domain.wording import listing, moment
from rules.context import CheckContext
from rules.findings import Finding
from rules.registry import RuleSettings, rule
from rules.text import subject

CAME = (AttendanceStatus.PRESENT, AttendanceStatus.REPRESENTED)


@rule(
    "attendance.core-sectors",
    "A held LCPG meeting at which a core sector was neither present nor represented.",
    advice=(
        "Ask the sector's member to attend or send a named representative, and record "
        "attendance (present or represented) after every meeting."
    ),
    applies_to=("lcpg",),
)
def check_core_sector_attendance(
    context: CheckContext, settings: RuleSettings
) -> Iterable[Finding]:
    core = context.blueprint.core_sector_slugs
    names = {s.slug: s.name for s in context.blueprint.membership.core_sectors}
    for body in context.bodies_of(settings.applies_to):
        for meeting in context.register.meetings_of(body.slug):
            if meeting.status is not MeetingStatus.HELD or not context.in_window(meeting.start):
                continue
            records = context.attendance_by_meeting.get(meeting.id)
            if not records:
                continue  # nothing recorded: records, not attendance, are what is missing
            came = {a.email for a in records if a.status in CAME}
            on = meeting.start.date()
            covered = {
                m.sector
                for m in context.memberships_by_body.get(body.slug, ())
                if m.email in came and m.is_current(on)
            }
            missing = [sector for sector in core if sector not in covered]
            if not missing:
                continue
            yield settings.finding(
                body.slug,
                subject(meeting.start),
                f"At the meeting of {moment(meeting.start)} nobody was present or represented "
                f"for {listing([names.get(s, s) for s in missing])}.",
                {"meeting": subject(meeting.start), "missing": missing, "attended": len(came)},
            )
