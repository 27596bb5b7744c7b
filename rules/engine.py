"""Running a check: every configured rule over one context, findings in a stable order.

``configured_rules(blueprint)`` pairs each registered rule with the blueprint's settings for
it and refuses a blueprint that names an unknown rule, leaves a rule out, gives a parameter the
rule does not know or of the wrong type, or applies a rule to an unknown kind of body. A rule
is switched off with ``enabled = false`` in its table.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from lcpg.domain.blueprint import Blueprint
from lcpg.domain.model import BodyKind
from lcpg.domain.register import Register
from lcpg.errors import BlueprintError
from rules.context import CheckContext
from rules.findings import Finding, Report, Severity
from rules.registry import Rule, RuleSettings

BODY_KINDS = tuple(kind.value for kind in BodyKind)


def configured_rules(blueprint: Blueprint) -> list[tuple[Rule, RuleSettings]]:
    """Each enabled rule with its settings for ``blueprint``. Raises ``BlueprintError``."""
    from rules.catalogue import REGISTRY

    problems: list[str] = []
    known = [r.id for r in REGISTRY]
    for rule_id in blueprint.rules:
        if REGISTRY.get(rule_id) is None:
            problems.append(f'rules."{rule_id}": unknown rule (known: {", ".join(known)})')
    configured: list[tuple[Rule, RuleSettings]] = []
    for rule in REGISTRY:
        config = blueprint.rules.get(rule.id)
        key = f'rules."{rule.id}"'
        if config is None:
            problems.append(f"{key}: missing (every rule needs its severity and clause)")
            continue
        for name, value in config.params.items():
            if name not in rule.params:
                known_params = ", ".join(rule.params) or "none"
                problems.append(f"{key}.params.{name}: unknown parameter (known: {known_params})")
            elif type(value) is not type(rule.params[name]):
                problems.append(
                    f"{key}.params.{name}: expected {type(rule.params[name]).__name__}, "
                    f"got {value!r}"
                )
        applies_to = config.applies_to if config.applies_to is not None else rule.applies_to
        for kind in applies_to:
            if kind not in BODY_KINDS:
                problems.append(f"{key}.applies_to: unknown kind of body {kind!r}")
        if config.enabled:
            configured.append(
                (
                    rule,
                    RuleSettings(
                        Severity(config.severity),
                        config.clause,
                        tuple(applies_to),
                        {**rule.params, **config.params},
                    ),
                )
            )
    if problems:
        raise BlueprintError(Path(blueprint.path), problems)
    return configured


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
