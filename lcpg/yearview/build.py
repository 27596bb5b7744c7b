"""Building the year-at-a-glance from the register and a plan (pure).

The picture shows what the register holds for the year (held, confirmed, planned and cancelled
meetings) and, where the register has nothing yet, the planner's proposals, each with the
reason it sits where it does. Cycle windows, bank and school holidays and the plan's problems
come from the same plan, so the picture and ``lcpg plan`` agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from cycle.days import DayRules
from cycle.planner import TERM_DATES, Placement, Plan
from lcpg.domain.model import BodyKind, Meeting
from lcpg.domain.register import Register
from lcpg.domain.wording import moment, short_weekday_date
from lcpg.yearview.model import (
    LCPG_GROUP,
    Closure,
    ClosureKind,
    Mark,
    MarkStatus,
    ProblemMark,
    Row,
    Window,
    YearView,
)

_GROUPS = {
    BodyKind.CHWB: "county",
    BodyKind.LCPG: LCPG_GROUP,
    BodyKind.CHAIRS_GROUP: "groups",
    BodyKind.SAFEGUARDING_GROUP: "groups",
}


def build_year_view(
    title: str,
    short_names: Mapping[str, str],
    register: Register,
    plan: Plan,
    days: DayRules,
) -> YearView:
    """The picture of ``plan.year``: rows for the CHWB, every LCPG, the Chairs Group and the
    Safeguarding Group (Local HWBs are other boards' meetings and are left out). Rows are
    labelled with ``short_names`` where given (``CHWB``), else LCPGs by district."""
    year = plan.year
    first, last = date(year, 1, 1), date(year, 12, 31)
    order = [BodyKind.CHWB, BodyKind.LCPG, BodyKind.CHAIRS_GROUP, BodyKind.SAFEGUARDING_GROUP]
    bodies = sorted(
        (b for b in register.bodies if b.kind in _GROUPS), key=lambda b: order.index(b.kind)
    )
    names = {b.slug: b.name for b in bodies}
    rows = tuple(
        Row(b.slug, short_names.get(b.slug, b.name.removesuffix(" LCPG")), _GROUPS[b.kind])
        for b in bodies
    )

    reasons = {m.meeting_id: m.reason for m in plan.meetings}
    marks = [
        Mark(m.body, m.start, MarkStatus(m.status.value), _title(names[m.body], m, reasons))
        for m in register.meetings
        if m.body in names and m.start.year == year
    ]
    marks += [
        Mark(
            m.body,
            m.start,
            MarkStatus.PROPOSED,
            f"{names[m.body]}: {moment(m.start, pad=True)}"
            + (f", {m.venue}" if m.venue else "")
            + f" (proposed, not saved). {m.reason}",
        )
        for m in plan.meetings
        if m.placement is Placement.NEW and m.body in names
    ]

    windows = tuple(
        Window(c.lcpg_earliest, c.chairs_deadline - timedelta(days=1), c.label) for c in plan.cycles
    )
    closures = [
        Closure(day, day, ClosureKind.BANK_HOLIDAY, name)
        for day, name in sorted(days.bank_holidays.items())
        if first <= day <= last
    ]
    closures += [
        Closure(h.start, h.end, ClosureKind.SCHOOL_HOLIDAY, h.name)
        for h in days.school_holidays
        if h.end >= first and h.start <= last
    ]
    cycles = {c.chwb.date(): c for c in plan.cycles}
    problems = []
    for problem in plan.problems:
        if problem.body == TERM_DATES and rows:
            # Every body's concern: marked once, on the top row, over the days not covered.
            problems += [
                ProblemMark(rows[0].key, start, end, f"{problem.message}.")
                for start, end in days.school_unknown(first, last)
            ]
            continue
        if problem.body not in names:
            continue
        cycle = cycles.get(problem.cycle) if problem.cycle else None
        if cycle is not None and problem.body != "chwb":
            start, end = cycle.lcpg_earliest, cycle.chairs_deadline
        else:
            start = end = problem.cycle or first
        closest = (
            f" Closest legal option: {short_weekday_date(problem.closest, pad=True)}."
            if problem.closest
            else ""
        )
        problems.append(ProblemMark(problem.body, start, end, f"{problem.message}.{closest}"))
    return YearView(
        year=year,
        title=title,
        rows=rows,
        marks=tuple(sorted(marks, key=lambda m: (m.start, m.row))),
        windows=windows,
        closures=tuple(closures),
        problems=tuple(problems),
        notes=plan.notes,
    )


def _title(name: str, meeting: Meeting, reasons: dict[str, str]) -> str:
    venue = f", {meeting.venue}" if meeting.venue else ""
    title = f"{name}: {moment(meeting.start, pad=True)}{venue} ({meeting.status})"
    reason = reasons.get(meeting.id)
    return f"{title}. {reason}" if reason else title
