"""How the LCPGs connect to the county: every district on the Chairs Group
(``governance.chairs-group``) and the Safeguarding Group (``governance.safeguarding-group``),
and two Chairs Group members at each CHWB (``governance.chwb-representation``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from lcpg.domain.model import AttendanceStatus, BodyKind, MeetingStatus
from lcpg.domain.wording import moment
from rules.context import CheckContext
from rules.findings import Finding
from rules.registry import RuleSettings, rule
from rules.text import subject

CAME = (AttendanceStatus.PRESENT, AttendanceStatus.REPRESENTED)


def _district_on_group(
    context: CheckContext, settings: RuleSettings, kind: BodyKind, role: str
) -> Iterator[Finding]:
    group = context.body_of_kind(kind)
    if group is None:
        return
    members = context.attendees(group.slug, context.as_of)
    explicit = bool(context.members_on(group.slug, context.as_of))
    for body in context.bodies_of(settings.applies_to):
        district = {m.email for m in context.members_on(body.slug, context.as_of)}
        if members & district:
            continue
        why = (
            f"the {group.name}'s own membership includes nobody from this LCPG"
            if explicit
            else f"the LCPG has no current {role}"
        )
        yield settings.finding(
            body.slug,
            "",
            f"Nobody represents the district on the {group.name}: {why}.",
            {"group": group.slug, "explicit_membership": explicit},
        )


@rule(
    "governance.chairs-group",
    "A district with nobody on the Chairs Group.",
    advice=(
        "Fill the chair, who sits on the LCPG Chairs Group; if the Chairs Group keeps its own "
        "membership list, add the chair to it."
    ),
    applies_to=("lcpg",),
)
def check_chairs_group(context: CheckContext, settings: RuleSettings) -> Iterable[Finding]:
    return _district_on_group(context, settings, BodyKind.CHAIRS_GROUP, "chair")


@rule(
    "governance.safeguarding-group",
    "A district with nobody on the Safeguarding Group.",
    advice=(
        "Fill the safeguarding lead, who attends the LCPG Safeguarding Group; if that group "
        "keeps its own membership list, add the lead to it."
    ),
    applies_to=("lcpg",),
)
def check_safeguarding_group(context: CheckContext, settings: RuleSettings) -> Iterable[Finding]:
    return _district_on_group(
        context,
        settings,
        BodyKind.SAFEGUARDING_GROUP,
        "safeguarding lead",
    )


@rule(
    "governance.chwb-representation",
    "A held CHWB meeting attended by fewer than two Chairs Group members.",
    advice=(
        "Agree which two Chairs Group members go to each CHWB meeting, and record their "
        "attendance afterwards."
    ),
    applies_to=("chwb",),
    params={"chairs_required": 2},
)
def check_chwb_representation(context: CheckContext, settings: RuleSettings) -> Iterable[Finding]:
    required = int(settings.params["chairs_required"])
    chairs = context.body_of_kind(BodyKind.CHAIRS_GROUP)
    if chairs is None:
        return
    for body in context.bodies_of(settings.applies_to):
        for meeting in context.register.meetings_of(body.slug):
            if meeting.status is not MeetingStatus.HELD or not context.in_window(meeting.start):
                continue
            group = context.attendees(chairs.slug, meeting.start.date())
            came = {
                a.email
                for a in context.attendance_by_meeting.get(meeting.id, ())
                if a.status in CAME and a.email in group
            }
            if len(came) >= required:
                continue
            yield settings.finding(
                body.slug,
                subject(meeting.start),
                f"The CHWB of {moment(meeting.start)} had {len(came)} Chairs Group "
                f"member{'s' if len(came) != 1 else ''} present or represented "
                f"({required} expected).",
                {"meeting": subject(meeting.start), "chairs_present": len(came)},
            )
