"""Who sits on each LCPG: every core sector represented (``membership.core-sectors``) and the
KCC Local Member and lead District Councillor invited (``membership.invited``)."""

from __future__ import annotations

from collections.abc import Iterable

from lcpg.domain.wording import listing
from rules.context import CheckContext
from rules.findings import Finding
from rules.registry import RuleSettings, rule


def _missing(context: CheckContext, body: str, wanted: Iterable[str]) -> list[str]:
    present = {m.sector for m in context.members_on(body, context.as_of)}
    return [sector for sector in wanted if sector not in present]


def _names(context: CheckContext, slugs: Iterable[str]) -> list[str]:
    policy = context.blueprint.membership
    names = {s.slug: s.name for s in (*policy.core_sectors, *policy.invited)}
    return [names.get(slug, slug) for slug in slugs]


@rule(
    "membership.core-sectors",
    "An LCPG with a core sector that no current member represents.",
    advice=(
        "Ask each missing sector's organisation to nominate a member, then record the "
        "membership (memberships.csv, `lcpg import`)."
    ),
    applies_to=("lcpg",),
)
def check_core_sectors(context: CheckContext, settings: RuleSettings) -> Iterable[Finding]:
    core = context.blueprint.core_sector_slugs
    for body in context.bodies_of(settings.applies_to):
        missing = _missing(context, body.slug, core)
        if missing:
            count = len(missing)
            yield settings.finding(
                body.slug,
                "",
                f"{count} core sector{'s have' if count != 1 else ' has'} no member: "
                f"{listing(_names(context, missing))}.",
                {
                    "missing": missing,
                    "current_members": len(context.members_on(body.slug, context.as_of)),
                },
            )


@rule(
    "membership.invited",
    "An LCPG that has not invited the KCC Local Member or the lead District Councillor.",
    advice=(
        "Invite the KCC Local Member and the District Councillor with lead responsibility for "
        "children, and record them with the sectors kcc-member and district-councillor."
    ),
    applies_to=("lcpg",),
)
def check_invited(context: CheckContext, settings: RuleSettings) -> Iterable[Finding]:
    invited = [s.slug for s in context.blueprint.membership.invited]
    for body in context.bodies_of(settings.applies_to):
        missing = _missing(context, body.slug, invited)
        if missing:
            yield settings.finding(
                body.slug,
                "",
                f"Not invited: {listing(_names(context, missing))}.",
                {"missing": missing},
            )
