"""``lcpg check`` and ``lcpg rules``: run the compliance rules, record and compare checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lcpg.bootstrap import App
from lcpg.errors import NotFoundError
from lcpg.store.checks import RecordedRun
from rules.findings import Comparison, Report, compare
from rules.registry import Rule, RuleSettings


@dataclass(frozen=True)
class CheckResult:
    """A check's report; how it differs from the last recorded check before its date (if
    any); and the id of the run when this check was recorded."""

    report: Report
    comparison: Comparison | None
    recorded: int | None


def run_check(app: App, as_of: date, body: str | None = None, record: bool = False) -> CheckResult:
    """Check the register as of ``as_of`` (only ``body``'s findings, if given), compare with
    the latest check recorded before that date, and with ``record`` store this one."""
    from lcpg.collector import collector_paused
    from lcpg.services.register import load_register
    from rules.engine import check

    register = load_register(app)
    if body is not None and register.body(body) is None:
        raise NotFoundError.body(body, (b.slug for b in register.bodies))
    with collector_paused():  # the rules make millions of short-lived objects nationally
        report = check(register, app.blueprint, as_of, body)
    recorded = None
    with app.unit_of_work(write=record) as uow:
        previous = uow.checks.previous(as_of, report.bodies)
        if record:
            recorded = uow.checks.record(report, app.utc_now())
            uow.commit()
    comparison = None
    if previous is not None:
        previous_run, earlier = previous
        if body is not None:
            earlier = Report(
                earlier.as_of,
                earlier.blueprint,
                tuple(f for f in earlier.findings if f.body == body),
                earlier.bodies,
            )
        comparison = compare(report, earlier, previous_run)
    return CheckResult(report, comparison, recorded)


def rules_of(app: App) -> list[tuple[Rule, RuleSettings | None]]:
    """Every rule lcpg knows with the blueprint's settings for it (None: switched off)."""
    from rules.catalogue import REGISTRY
    from rules.engine import configured_rules

    enabled = {rule.id: settings for rule, settings in configured_rules(app.blueprint)}
    return [(rule, enabled.get(rule.id)) for rule in REGISTRY]


def recorded_checks(app: App) -> list[RecordedRun]:
    """Every recorded check, newest first."""
    with app.unit_of_work() as uow:
        return uow.checks.runs()


def recorded_check(app: App, run_id: int) -> Report:
    """Recorded check ``run_id``, exactly as it was found then, over the bodies a check covers
    (``rules.engine.checked_bodies``, as ``run_check`` counts them). Raises ``NotFoundError``."""
    from lcpg.services.register import load_register
    from rules.engine import checked_bodies

    bodies = checked_bodies(load_register(app, attendance=False), app.blueprint)
    with app.unit_of_work() as uow:
        report = uow.checks.report(run_id, bodies)
    if report is None:
        raise NotFoundError(f"no recorded check {run_id} (see `lcpg history`)")
    return report
