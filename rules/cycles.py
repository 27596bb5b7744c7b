"""The eight-week cycle: LCPGs in the weeks after a CHWB (``cycle.after-chwb``), the Chairs
Group after every LCPG and before the next CHWB (``cycle.chairs-after-lcpgs``).

Cycles are cut by the CHWB meetings actually held or planned, not by a fixed grid. Meetings
are looked at over the 12 months to the as-of date and the planned ones ahead of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from lcpg.domain.model import BodyKind, Meeting
from lcpg.domain.wording import listing, moment, short_date
from rules.context import CheckContext
from rules.findings import Finding
from rules.registry import RuleSettings, rule
from rules.text import subject


def _relevant(context: CheckContext, meetings: Iterable[Meeting]) -> list[Meeting]:
    """Meetings from the start of the 12-month window onwards (planned ones ahead included)."""
    return [m for m in meetings if m.start.date() >= context.window_start]


def _first_by_cycle(context: CheckContext, body: str) -> dict[datetime, Meeting]:
    """``body``'s first active meeting in each cycle, by the cycle's CHWB."""
    found: dict[datetime, Meeting] = {}
    for meeting in context.active_meetings(body):
        cycle = context.cycle_of(meeting.start)
        if cycle is not None and cycle.chwb not in found:
            found[cycle.chwb] = meeting
    return found


def _lcpg_meetings_by_cycle(context: CheckContext) -> dict[datetime, list[tuple[str, Meeting]]]:
    """Every active LCPG meeting, grouped by the CHWB of its cycle."""
    grouped: defaultdict[datetime, list[tuple[str, Meeting]]] = defaultdict(list)
    for lcpg in context.bodies_of(("lcpg",)):
        for meeting in context.active_meetings(lcpg.slug):
            cycle = context.cycle_of(meeting.start)
            if cycle is not None:
                grouped[cycle.chwb].append((lcpg.slug, meeting))
    return grouped


@rule(
    "cycle.after-chwb",
    "An LCPG meeting that does not fall in the weeks after a CHWB, before its Chairs Group.",
    advice=(
        "Move the meeting into the weeks after the CHWB and before that cycle's Chairs Group; "
        "`lcpg plan` shows each cycle's window and proposes a date in it."
    ),
    applies_to=("lcpg",),
)
def check_after_chwb(context: CheckContext, settings: RuleSettings) -> Iterable[Finding]:
    days_after = context.blueprint.cadence.days_after_chwb
    chairs_body = context.body_of_kind(BodyKind.CHAIRS_GROUP)
    chairs_by_cycle = _first_by_cycle(context, chairs_body.slug) if chairs_body else {}
    for body in context.bodies_of(settings.applies_to):
        for meeting in _relevant(context, context.active_meetings(body.slug)):
            cycle = context.cycle_of(meeting.start)
            if cycle is None:
                continue
            earliest = cycle.chwb.date() + timedelta(days=days_after)
            chairs = chairs_by_cycle.get(cycle.chwb)
            if meeting.start.date() < earliest:
                why = (
                    f"only {(meeting.start.date() - cycle.chwb.date()).days} days after the CHWB "
                    f"of {short_date(cycle.chwb.date())}; LCPGs meet at least {days_after} days "
                    "after it, once its minutes are out"
                )
            elif chairs is not None and meeting.start >= chairs.start:
                why = (
                    f"on or after the cycle's Chairs Group ({moment(chairs.start)}), which should "
                    "hear from every LCPG"
                )
            elif chairs is None and meeting.start.date() > cycle.chairs_deadline:
                why = (
                    f"too late in the cycle: the Chairs Group must meet by "
                    f"{short_date(cycle.chairs_deadline)}, after every LCPG"
                )
            else:
                continue
            yield settings.finding(
                body.slug,
                subject(meeting.start),
                f"The meeting of {moment(meeting.start)} is {why}.",
                {
                    "meeting": subject(meeting.start),
                    "status": meeting.status.value,
                    "cycle_chwb": cycle.chwb.date().isoformat(),
                    "window_opens": earliest.isoformat(),
                    "chairs_group": subject(chairs.start) if chairs else None,
                },
            )


@rule(
    "cycle.chairs-after-lcpgs",
    "A Chairs Group meeting before some LCPG of its cycle, or too close to the next CHWB.",
    advice=(
        "Hold the Chairs Group after the last LCPG of the cycle and early enough for its papers "
        "to reach the next CHWB; `lcpg plan` proposes such a date."
    ),
    applies_to=("chairs-group",),
)
def check_chairs_after_lcpgs(context: CheckContext, settings: RuleSettings) -> Iterable[Finding]:
    lcpg_meetings = _lcpg_meetings_by_cycle(context)
    days_before = context.blueprint.cadence.days_before_next_chwb
    for body in context.bodies_of(settings.applies_to):
        for meeting in _relevant(context, context.active_meetings(body.slug)):
            cycle = context.cycle_of(meeting.start)
            if cycle is None:
                continue
            later = sorted(
                {slug for slug, other in lcpg_meetings[cycle.chwb] if other.start >= meeting.start}
            )
            too_close = meeting.start.date() > cycle.chairs_deadline
            if not later and not too_close:
                continue
            problems = []
            if later:
                problems.append(f"{listing(later)} meet{'s' if len(later) == 1 else ''} after it")
            if too_close:
                problems.append(
                    f"it is less than {days_before} days before the next CHWB "
                    f"({short_date(cycle.next_chwb.date())})"
                )
            yield settings.finding(
                body.slug,
                subject(meeting.start),
                f"The Chairs Group of {moment(meeting.start)} is out of step: "
                f"{'; '.join(problems)}.",
                {
                    "meeting": subject(meeting.start),
                    "lcpgs_after": later,
                    "next_chwb": cycle.next_chwb.date().isoformat(),
                    "deadline": cycle.chairs_deadline.isoformat(),
                },
            )
