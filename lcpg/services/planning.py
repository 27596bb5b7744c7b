"""``lcpg plan`` and ``lcpg bodies set``: plan a year, save it, set a body's preferences."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from typing import TYPE_CHECKING

from cycle.chwb import ChwbDate
from cycle.days import DayRules
from cycle.planner import Placement, Plan, PlannedMeeting, plan_year
from lcpg.bootstrap import App
from lcpg.domain.blueprint import Blueprint
from lcpg.domain.model import Body, BodyKind, MeetingStatus
from lcpg.domain.register import Register

if TYPE_CHECKING:
    from lcpg.domain.terms import AcademicYear


def day_rules(
    blueprint: Blueprint, years: range, imported: Sequence[AcademicYear] = ()
) -> DayRules:
    """Bank holidays of the blueprint's country (and subdivision) for ``years``, and school
    holidays from the blueprint's term-date files, each academic year of which ``imported``
    (the team's ``lcpg terms import``, see ``lcpg.services.terms``) replaces when it has the year.
    Raises ``BlueprintError`` for a bad file."""
    from lcpg.domain.terms import covered_spans, load_academic_years, school_holidays, with_imported

    academic_years = with_imported(load_academic_years(blueprint.term_date_paths), imported)
    return DayRules(
        bank_holidays=_bank_holidays(
            blueprint.holiday_country, blueprint.holiday_subdivision, years.start, years.stop
        ),
        school_holidays=school_holidays(academic_years),
        school_known=covered_spans(academic_years),
    )


@cache
def _bank_holidays(country: str, subdivision: str | None, first: int, stop: int) -> dict[date, str]:
    import holidays

    return dict(
        holidays.country_holidays(country, subdiv=subdivision, years=range(first, stop)).items()
    )


def chwb_dates_for(
    year: int, blueprint: Blueprint, register: Register, given: tuple[datetime, ...] = ()
) -> list[ChwbDate]:
    """CHWB dates from the end of ``year - 1`` to the start of ``year + 1``: the blueprint's
    rule, corrected by CHWB meetings already in the register, and ``given`` (``--chwb``) for
    the year itself when supplied."""
    from cycle.chwb import chwb_dates, merge_chwb_dates

    rule = chwb_dates(blueprint.cadence, date(year - 1, 1, 1), date(year + 1, 12, 31))
    chwb_slug = next((b.slug for b in register.bodies if b.kind is BodyKind.CHWB), "chwb")
    recorded = [
        m.start
        for m in register.meetings_of(chwb_slug)
        if m.status is not MeetingStatus.CANCELLED and year - 1 <= m.start.year <= year + 1
    ]
    merged = merge_chwb_dates(rule, recorded, given, year)
    before = [d for d in merged if d.start.year < year][-1:]
    after = [d for d in merged if d.start.year > year][:1]
    return before + [d for d in merged if d.start.year == year] + after


@dataclass(frozen=True)
class PlanResult:
    """A plan with what it was made from: the CHWB dates, the register and the days avoided."""

    plan: Plan
    chwb: list[ChwbDate]
    register: Register
    days: DayRules


def make_plan(
    app: App, year: int, chwb: tuple[datetime, ...] = (), today: date | None = None
) -> PlanResult:
    """The plan for ``year`` against the register as it stands (nothing is written); with
    ``today``, nothing is placed or moved on or before it."""
    from lcpg.services.register import load_register
    from lcpg.services.terms import imported_years

    blueprint = app.blueprint
    register = load_register(app, attendance=False)  # planning never looks at it
    dates = chwb_dates_for(year, blueprint, register, chwb)
    days = day_rules(blueprint, range(year - 1, year + 2), imported_years(app))
    plan = plan_year(year, dates, blueprint, register, days, today)
    return PlanResult(plan, dates, register, days)


@dataclass(frozen=True)
class SaveResult:
    added: tuple[PlannedMeeting, ...]
    moved: tuple[PlannedMeeting, ...]
    unchanged: int
    kept: int


def save_plan(app: App, plan: Plan) -> SaveResult:
    """Write the plan's new and moved meetings as ``planned``, in one transaction.

    Moved meetings keep their identity; held and confirmed meetings are never touched. Refuses
    (``LcpgError``) when the register changed since the plan was made so that a meeting to move
    is no longer ``planned``.
    """
    added = tuple(m for m in plan.meetings if m.placement is Placement.NEW)
    moved = tuple(m for m in plan.meetings if m.placement is Placement.MOVED)
    if added or moved:
        with app.unit_of_work(write=True) as uow:
            uow.plans.save(added, moved, app.utc_now())
            uow.commit()
    return SaveResult(
        added=added,
        moved=moved,
        unchanged=sum(1 for m in plan.meetings if m.placement is Placement.UNCHANGED),
        kept=sum(1 for m in plan.meetings if m.placement is Placement.KEPT),
    )


def set_preferences(
    app: App, slug: str, weekday: int | None, at: time | None, venue: str | None
) -> Body:
    """Set a body's preferred weekday, time and venue (None leaves one as it is).

    Raises ``LcpgError`` for a venue longer than a spreadsheet cell holds or holding a
    control character, as an import would: planned meetings take the venue, and exports hold
    it.
    """
    from lcpg.domain.cells import too_long
    from lcpg.domain.characters import control_character
    from lcpg.errors import LcpgError

    if venue is not None:
        character = control_character(venue)
        reason = (
            f"holds a control character ({character}), which is not text"
            if character is not None
            else too_long(venue)
        )
        if reason is not None:
            raise LcpgError(f"the venue {reason}; nothing was changed")

    with app.unit_of_work(write=True) as uow:
        body = uow.register.set_body_preferences(slug, weekday=weekday, time=at, venue=venue)
        uow.commit()
    return body
