"""Planning ahead: ``plan.coverage`` flags a body with no meeting planned in its next cycle
(the one the next CHWB opens), and the CHWB itself when no next meeting is planned at all."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time

from cycle.windows import assumed_next_chwb
from lcpg.domain.model import BodyKind
from lcpg.domain.wording import short_date
from rules.context import CheckContext
from rules.findings import Finding
from rules.registry import RuleSettings, rule


@rule(
    "plan.coverage",
    "A body with no meeting planned in its next cycle.",
    advice=(
        "Plan the next cycle's meeting: `lcpg plan --year YYYY --save` proposes one in the "
        "weeks after the CHWB."
    ),
    applies_to=("lcpg", "chairs-group", "chwb"),
)
def check_coverage(context: CheckContext, settings: RuleSettings) -> Iterable[Finding]:
    after = datetime.combine(context.as_of, time.max)
    upcoming = [m.start for m in context.chwb_meetings if m.start > after]
    bodies = context.bodies_of(settings.applies_to)
    if not upcoming:
        for body in bodies:
            if body.kind is BodyKind.CHWB:
                yield settings.finding(
                    body.slug,
                    "",
                    f"No CHWB meeting is planned after {short_date(context.as_of)}, so the next "
                    "cycle cannot be planned.",
                    {"after": context.as_of.isoformat()},
                )
        return
    opening = upcoming[0]
    closing = (
        upcoming[1] if len(upcoming) > 1 else assumed_next_chwb(opening, context.blueprint.cadence)
    )
    for body in bodies:
        if body.kind is BodyKind.CHWB:
            continue
        planned = [m for m in context.active_meetings(body.slug) if opening < m.start < closing]
        if planned:
            continue
        yield settings.finding(
            body.slug,
            opening.date().isoformat(),
            f"No meeting planned in the cycle of the CHWB of {short_date(opening.date())} "
            f"(until {short_date(closing.date())}); `lcpg plan` can propose one.",
            {"cycle_chwb": opening.date().isoformat(), "cycle_end": closing.date().isoformat()},
        )
