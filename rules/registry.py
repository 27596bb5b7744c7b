"""Rules as small declarative records, and the one registry that holds them.

A rule is an id (``cadence.bimonthly``), a one-line title, a default severity, the parameters
it understands with their defaults, and a ``check`` function. Its severity, clause and
parameters for a county come from the blueprint (``[rules."cadence.bimonthly"]``), so the team
can tune them without code. ``REGISTRY`` refuses a second rule with the same id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rules.findings import Finding, Severity

if TYPE_CHECKING:
    from rules.context import CheckContext


@dataclass(frozen=True)
class RuleSettings:
    """A rule as one county configures it: severity, the blueprint clause, the body kinds it
    applies to, and its parameters (defaults filled in)."""

    severity: Severity
    clause: str
    applies_to: tuple[str, ...]
    params: Mapping[str, Any] = field(default_factory=dict)


CheckFunction = Callable[["CheckContext", RuleSettings], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """One compliance rule. ``applies_to`` and ``params`` are defaults the blueprint may
    override; ``check`` yields the findings for a context."""

    id: str
    title: str
    severity: Severity
    applies_to: tuple[str, ...]
    check: CheckFunction
    params: Mapping[str, Any] = field(default_factory=dict)


class Registry:
    """The rules lcpg knows, in registration order. Ids are unique."""

    def __init__(self) -> None:
        self._rules: dict[str, Rule] = {}

    def add(self, rule: Rule) -> None:
        """Register ``rule``. Raises ``ValueError`` when its id is already taken."""
        if rule.id in self._rules:
            raise ValueError(f"a rule with id {rule.id!r} is already registered")
        self._rules[rule.id] = rule

    def get(self, rule_id: str) -> Rule | None:
        return self._rules.get(rule_id)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._rules.values())

    def __len__(self) -> int:
        return len(self._rules)


REGISTRY = Registry()


def rule(
    rule_id: str,
    title: str,
    severity: Severity,
    applies_to: tuple[str, ...],
    params: Mapping[str, Any] | None = None,
    registry: Registry = REGISTRY,
) -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated check function as the rule ``rule_id``."""

    def register(check: CheckFunction) -> CheckFunction:
        registry.add(Rule(rule_id, title, severity, applies_to, check, dict(params or {})))
        return check

    return register
