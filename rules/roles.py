"""The four roles every LCPG must fill: ``roles.chair``, ``roles.coordinator``,
``roles.safeguarding-lead`` (from the District Council) and ``roles.hwb-link`` (one for each
Local HWB the district reports to).

Roles are held through dated memberships, so a holder is always a member of the body; a role
whose holder's membership has ended is vacant, and the finding says since when and who held
it last.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from lcpg.domain.model import Body, Membership
from lcpg.domain.wording import listing, short_date
from rules.context import CheckContext
from rules.findings import Finding
from rules.registry import RuleSettings, rule


def _holders(context: CheckContext, body: str, role: str) -> list[Membership]:
    return [m for m in context.members_on(body, context.as_of) if role in m.roles]


def _last_holder(context: CheckContext, body: str, role: str) -> Membership | None:
    """The membership through which ``role`` was held most recently before the as-of date."""
    ended = [
        m
        for m in context.memberships_by_body.get(body, ())
        if role in m.roles and m.end is not None and m.end < context.as_of
    ]
    return max(ended, key=lambda m: m.end or context.as_of, default=None)


def _people(context: CheckContext) -> dict[str, str]:
    return {p.email: p.name for p in context.register.people}


def _vacancy(context: CheckContext, settings: RuleSettings, body: Body, role_name: str) -> Finding:
    role = settings.rule.removeprefix("roles.")
    last = _last_holder(context, body.slug, role)
    evidence: dict[str, object] = {"role": role}
    if last is not None and last.end is not None:
        message = f"No {role_name} since {short_date(last.end)}."
        evidence |= {
            "vacant_since": last.end.isoformat(),
            "last_holder": _people(context).get(last.email, last.email),
        }
    else:
        message = f"No {role_name}."
    return settings.finding(body.slug, "", message, evidence)


def _role_name(context: CheckContext, slug: str) -> str:
    found = next((r for r in context.blueprint.roles if r.slug == slug), None)
    return found.name.lower().replace("hwb", "HWB") if found else slug


def _simple_role(context: CheckContext, settings: RuleSettings, slug: str) -> Iterator[Finding]:
    for body in context.bodies_of(settings.applies_to):
        if not _holders(context, body.slug, slug):
            yield _vacancy(context, settings, body, _role_name(context, slug))


@rule(
    "roles.chair",
    "An LCPG without a chair.",
    advice=(
        "Elect or nominate a chair from the members (core or additional) and record the chair "
        "role on their membership."
    ),
    applies_to=("lcpg",),
)
def check_chair(context: CheckContext, settings: RuleSettings) -> Iterable[Finding]:
    return _simple_role(context, settings, "chair")


@rule(
    "roles.coordinator",
    "An LCPG without a co-ordinator.",
    advice=(
        "Nominate a co-ordinator to work alongside the chair and record the coordinator role on "
        "their membership."
    ),
    applies_to=("lcpg",),
)
def check_coordinator(context: CheckContext, settings: RuleSettings) -> Iterable[Finding]:
    return _simple_role(context, settings, "coordinator")


@rule(
    "roles.safeguarding-lead",
    "An LCPG without a safeguarding lead, or with one who is not from the District Council.",
    advice=(
        "Ask the District Council's Safeguarding Lead to join the group and record the "
        "safeguarding-lead role on their District Council membership."
    ),
    applies_to=("lcpg",),
)
def check_safeguarding_lead(context: CheckContext, settings: RuleSettings) -> Iterable[Finding]:
    role = next((r for r in context.blueprint.roles if r.slug == "safeguarding-lead"), None)
    sector = role.sector if role else None
    names = _people(context)
    for body in context.bodies_of(settings.applies_to):
        holders = _holders(context, body.slug, "safeguarding-lead")
        if not holders:
            yield _vacancy(context, settings, body, "safeguarding lead")
            continue
        wrong = [m for m in holders if sector is not None and m.sector != sector]
        if wrong and len(wrong) == len(holders):
            sector_name = next(
                (s.name for s in context.blueprint.membership.core_sectors if s.slug == sector),
                sector,
            )
            yield settings.finding(
                body.slug,
                "",
                f"The safeguarding lead does not sit for the {sector_name}: "
                f"{listing([f'{names.get(m.email, m.email)} ({m.sector})' for m in wrong])}.",
                {"expected_sector": sector, "holders": [m.sector for m in wrong]},
            )


@rule(
    "roles.hwb-link",
    "An LCPG with fewer Local HWB links than the Local HWBs it reports to.",
    advice=(
        "Nominate a member to attend each Local Health and Wellbeing Board the district reports "
        "to, and record the hwb-link role for each."
    ),
    applies_to=("lcpg",),
)
def check_hwb_link(context: CheckContext, settings: RuleSettings) -> Iterable[Finding]:
    for body in context.bodies_of(settings.applies_to):
        boards = context.blueprint.hwbs_for(body.district or "")
        holders = _holders(context, body.slug, "hwb-link")
        if len(holders) >= len(boards):
            continue
        if not holders:
            yield _vacancy(context, settings, body, "Local HWB link")
            continue
        yield settings.finding(
            body.slug,
            "",
            f"{len(holders)} Local HWB link for {len(boards)} Local HWBs "
            f"({listing([b.name for b in boards])}): one is needed for each.",
            {"links": len(holders), "boards": [b.slug for b in boards]},
        )
