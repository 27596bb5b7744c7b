"""Running a check: every configured rule over one context, findings in a stable order.

``configured_rules(blueprint)`` pairs each registered rule with the blueprint's settings for
it (``rules.registry.Registry.configure``, which refuses a blueprint that names an unknown
rule, leaves a rule out or without a clause, gives a parameter the rule does not know or of the
wrong type, or applies a rule to an unknown kind of body). A rule is switched off with
``enabled = false`` in its table.
"""

from __future__ import annotations

from datetime import date

from lcpg.domain.blueprint import Blueprint
from lcpg.domain.register import Register
from rules.context import CheckContext
from rules.findings import Finding, Report
from rules.registry import Rule, RuleSettings


def configured_rules(blueprint: Blueprint) -> list[tuple[Rule, RuleSettings]]:
    """Each enabled rule with its settings for ``blueprint`` (``Registry.configure``).
    Raises ``BlueprintError``."""
    from rules.catalogue import REGISTRY

    return REGISTRY.configure(blueprint)


def checked_bodies(
    register: Register, blueprint: Blueprint, body: str | None = None
) -> dict[str, str]:
    """The bodies a check covers, slug to display name, in register order: those of a kind
    some enabled rule applies to (only ``body``, when given). The one definition of "bodies
    checked": a live check and a recorded one shown again count the same bodies."""
    kinds = {kind for _, settings in configured_rules(blueprint) for kind in settings.applies_to}
    return {
        b.slug: b.name for b in register.bodies if b.kind.value in kinds and body in (None, b.slug)
    }


def check(register: Register, blueprint: Blueprint, as_of: date, body: str | None = None) -> Report:
    """Every configured rule over ``register`` as of ``as_of``; with ``body``, only its findings.

    Findings are ordered by body (register order), then severity (errors first), rule and
    subject, so the same register and date always give the same report.
    """
    rules = configured_rules(blueprint)
    context = CheckContext(register, blueprint, as_of)
    findings: list[Finding] = []
    for rule, settings in rules:
        if body is not None and not any(
            b.slug == body for b in context.bodies_of(settings.applies_to)
        ):
            continue
        findings.extend(f for f in rule.check(context, settings) if body in (None, f.body))
    order = {b.slug: i for i, b in enumerate(register.bodies)}
    findings.sort(
        key=lambda f: (order.get(f.body, len(order)), -f.severity.rank, f.rule, f.subject)
    )
    return Report(as_of, blueprint.name, tuple(findings), checked_bodies(register, blueprint, body))
