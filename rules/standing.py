"""Where a district stands, in words: its name, how often it met, which core sectors and
roles it lacks.

The dashboard and the weekly e-mail both show this at a glance; they take it from here so
they can never disagree. Pure: the register, the blueprint, the check's findings and a date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Final

from lcpg.domain.blueprint import Blueprint
from lcpg.domain.model import Body, MeetingStatus
from lcpg.domain.register import Register
from rules.findings import Finding, Severity

CADENCE_RULE: Final = "cadence.bimonthly"
# How the cadence rule's readings (``rules.cadence.Cadence`` values) read in a table.
CADENCE_WORDS: Final[Mapping[str, str]] = {
    "bi-monthly": "every two months",
    "quarterly": "quarterly",
    "irregular": "irregular",
    "insufficient-data": "too few to tell",
}
NO_MEETINGS: Final = "no meetings held"


def district_name(blueprint: Blueprint, body: Body) -> str:
    """The name of the district an LCPG serves (``Sevenoaks``): the blueprint's, else the
    body's name without its " LCPG"."""
    spec = next((d for d in blueprint.districts if d.slug == body.district), None)
    return spec.name if spec is not None else body.name.removesuffix(" LCPG")


def cadence_words(
    register: Register,
    body: str,
    findings: Sequence[Finding],
    window: tuple[date, date],
) -> tuple[str, Severity | None]:
    """How often ``body`` met over ``window`` (both ends inclusive): "no meetings held", else
    what the cadence finding detected, else what the held meetings show read the way the rule
    reads them; with the cadence finding's severity when there is one."""
    from rules.cadence import classify

    start, end = window
    recent = [m for m in register.meetings_of(body) if start <= m.start.date() <= end]
    held = [m.start.date() for m in recent if m.status is MeetingStatus.HELD]
    flagged = next((f for f in findings if f.rule == CADENCE_RULE and f.body == body), None)
    if not held:
        return NO_MEETINGS, flagged.severity if flagged else None
    if flagged is not None:
        detected = str(flagged.evidence.get("detected", ""))
        return CADENCE_WORDS.get(detected, detected or "not every two months"), flagged.severity
    cancelled = [m.start.date() for m in recent if m.status is MeetingStatus.CANCELLED]
    reading = classify(held, end, cancelled)
    return CADENCE_WORDS.get(reading.detected.value, reading.detected.value), None


def missing_sectors(
    register: Register, blueprint: Blueprint, body: str, on: date
) -> tuple[str, ...]:
    """The names of the core sectors no current member of ``body`` represents on ``on``."""
    present = {m.sector for m in register.memberships_of(body, on)}
    return tuple(s.name for s in blueprint.membership.core_sectors if s.slug not in present)


def vacant_roles(register: Register, blueprint: Blueprint, body: Body, on: date) -> tuple[str, ...]:
    """The roles nobody holds on ``on``; a role needed once per linked Local HWB and only
    partly filled reads ``Local HWB Link (1 of 2)``."""
    boards = len(blueprint.hwbs_for(body.district or ""))
    vacant = []
    for role in blueprint.roles:
        needed = max(boards, 1) if role.per_linked_hwb else 1
        held = len({a.email for a in register.role_holders(body.slug, role.slug, on)})
        if held == 0:
            vacant.append(role.name)
        elif held < needed:
            vacant.append(f"{role.name} ({held} of {needed})")
    return tuple(vacant)
