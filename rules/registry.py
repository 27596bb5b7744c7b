"""Rules as self-describing records, and the one registry that holds them.

A rule is declared once, next to its check function, with ``@rule``: its id
(``cadence.bimonthly``, whose part before the dot is its family), a one-line title, the advice
the e-mail gives about its findings, the kinds of body it applies to, and the parameters it
understands with their defaults (a parameter's type is its default's). A county's blueprint
sets its severity, the clause it enforces, and may narrow its bodies or tune its parameters
(``[rules."cadence.bimonthly"]``). ``Registry.configure`` pairs the two into ``RuleSettings``,
the only way a check makes a ``Finding``, so a finding's rule id, severity and clause are always
its rule's. The registry refuses a second rule with the same id, and a blueprint that names an
unknown rule or parameter, leaves a rule out, or gives a rule no clause.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lcpg.domain.model import BodyKind
from lcpg.errors import BlueprintError
from rules.findings import Finding, Severity

if TYPE_CHECKING:
    from lcpg.domain.blueprint import Blueprint, RuleConfig
    from rules.context import CheckContext

BODY_KINDS = tuple(kind.value for kind in BodyKind)


@dataclass(frozen=True)
class RuleSettings:
    """A rule as one county configures it: its id, severity, the blueprint clause, the body
    kinds it applies to, and its parameters (defaults filled in). Checks make their findings
    with ``finding``, which fills in the rule's id, severity and clause."""

    rule: str
    severity: Severity
    clause: str
    applies_to: tuple[str, ...]
    params: Mapping[str, Any] = field(default_factory=dict)

    def finding(
        self, body: str, subject: str, message: str, evidence: Mapping[str, Any] | None = None
    ) -> Finding:
        """A finding of this rule about ``body`` (``subject`` within it, "" for the body)."""
        return Finding(
            self.rule, self.severity, body, subject, message, self.clause, dict(evidence or {})
        )


CheckFunction = Callable[["CheckContext", RuleSettings], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """One compliance rule. ``family`` is the part of ``id`` before the dot; ``advice`` says
    what to do about a finding, for the people who can act; ``applies_to`` and ``params`` are
    defaults the blueprint may override; ``check`` yields the findings for a context."""

    id: str
    title: str
    advice: str
    applies_to: tuple[str, ...]
    check: CheckFunction
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def family(self) -> str:
        """``cadence`` for ``cadence.bimonthly``."""
        return self.id.partition(".")[0]


class Registry:
    """The rules lcpg knows, in registration order. Ids are unique."""

    def __init__(self) -> None:
        self._rules: dict[str, Rule] = {}

    def add(self, rule: Rule) -> None:
        """Register ``rule``. Raises ``ValueError`` when its id is already taken or is not
        ``family.name``, or when it has no title or advice."""
        family, dot, name = rule.id.partition(".")
        if not (family and dot and name):
            raise ValueError(f"rule id {rule.id!r} is not of the form family.name")
        if not rule.title.strip() or not rule.advice.strip():
            raise ValueError(f"rule {rule.id!r} needs a title and advice")
        if rule.id in self._rules:
            raise ValueError(f"a rule with id {rule.id!r} is already registered")
        self._rules[rule.id] = rule

    def get(self, rule_id: str) -> Rule | None:
        return self._rules.get(rule_id)

    def families(self) -> tuple[str, ...]:
        """The rule families, in the order their first rule was registered."""
        return tuple(dict.fromkeys(r.family for r in self._rules.values()))

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._rules.values())

    def __len__(self) -> int:
        return len(self._rules)

    def configure(self, blueprint: Blueprint) -> list[tuple[Rule, RuleSettings]]:
        """Each enabled rule with its settings for ``blueprint``, in registration order.

        Raises ``BlueprintError`` listing every problem: a ``[rules."id"]`` table for an unknown
        rule, a rule without a table or with an empty clause, a parameter the rule does not know
        or of another type than its default, an unknown kind of body.
        """
        problems = [
            f'rules."{rule_id}": unknown rule (known: {", ".join(self._rules)})'
            for rule_id in blueprint.rules
            if rule_id not in self._rules
        ]
        configured: list[tuple[Rule, RuleSettings]] = []
        for rule in self:
            config = blueprint.rules.get(rule.id)
            if config is None:
                problems.append(
                    f'rules."{rule.id}": missing (every rule needs its severity and clause)'
                )
                continue
            problems.extend(_config_problems(rule, config))
            applies_to = config.applies_to if config.applies_to is not None else rule.applies_to
            if config.enabled:
                settings = RuleSettings(
                    rule.id,
                    Severity(config.severity),
                    config.clause,
                    tuple(applies_to),
                    {**rule.params, **config.params},
                )
                configured.append((rule, settings))
        if problems:
            raise BlueprintError(Path(blueprint.path), problems)
        return configured


def _config_problems(rule: Rule, config: RuleConfig) -> Iterator[str]:
    key = f'rules."{rule.id}"'
    if not config.clause.strip():
        yield f"{key}.clause: empty (every rule quotes the blueprint clause it enforces)"
    for name, value in config.params.items():
        if name not in rule.params:
            known = ", ".join(rule.params) or "none"
            yield f"{key}.params.{name}: unknown parameter (known: {known})"
        elif type(value) is not type(rule.params[name]):
            yield f"{key}.params.{name}: expected {type(rule.params[name]).__name__}, got {value!r}"
    applies_to = config.applies_to if config.applies_to is not None else rule.applies_to
    for kind in applies_to:
        if kind not in BODY_KINDS:
            yield f"{key}.applies_to: unknown kind of body {kind!r}"


REGISTRY = Registry()


def rule(
    rule_id: str,
    title: str,
    *,
    advice: str,
    applies_to: tuple[str, ...],
    params: Mapping[str, Any] | None = None,
    registry: Registry = REGISTRY,
) -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated check function as the rule ``rule_id``."""

    def register(check: CheckFunction) -> CheckFunction:
        registry.add(Rule(rule_id, title, advice, applies_to, check, dict(params or {})))
        return check

    return register
