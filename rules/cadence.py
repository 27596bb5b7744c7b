"""How often a body meets, and the rule that it meets every two months (``cadence.bimonthly``).

``classify`` reads a body's held meetings over the 12 months to the as-of date and says which
cadence they show: ``bi-monthly`` (typically five to eleven weeks apart), ``quarterly``
(eleven to seventeen), ``irregular``, or ``insufficient-data`` (fewer than three meetings).
One gap out of line is left out of the reading, so a bi-monthly group that cancelled or moved
one meeting still reads as bi-monthly. The rule then flags a body that held fewer meetings
than the blueprint expects in the 12 months (one fewer is allowed: six eight-to-nine-week
cycles can span more than a year), or went longer than its longest allowed gap without one;
the finding says which cadence was detected, how many meetings were held and the longest gap.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from itertools import pairwise

from lcpg.domain.model import MeetingStatus
from lcpg.domain.wording import plural, short_date
from rules.context import CheckContext
from rules.findings import Finding
from rules.registry import RuleSettings, rule

# The typical gap between meetings that reads as each cadence: about eight weeks apart is
# bi-monthly, about thirteen quarterly. Wide enough for meetings placed anywhere in their cycle.
BIMONTHLY_GAP_DAYS = (35, 77)  # five to eleven weeks
QUARTERLY_GAP_DAYS = (77, 119)  # eleven to seventeen weeks
# Gaps that vary more than this (standard deviation over mean) show no regular pattern.
MAX_VARIATION = 0.5


class Cadence(StrEnum):
    BIMONTHLY = "bi-monthly"
    QUARTERLY = "quarterly"
    IRREGULAR = "irregular"
    INSUFFICIENT_DATA = "insufficient-data"


@dataclass(frozen=True)
class CadenceReading:
    """What the held meetings of a period show. ``gaps_days`` are between consecutive meetings;
    ``open_gap_days`` runs from the last one to the as-of date."""

    detected: Cadence
    held: int
    gaps_days: tuple[int, ...]
    open_gap_days: int | None
    how: str

    @property
    def longest_gap_days(self) -> int | None:
        return max(self.gaps_days, default=None)


def classify(held: Sequence[date], as_of: date, cancelled: Sequence[date] = ()) -> CadenceReading:
    """The cadence that the held meeting dates (sorted, all on or before ``as_of``) show.

    The reading counts ``cancelled`` meetings as the meetings the body meant to hold, so one
    cancellation does not change it (a moved meeting shortens one gap and lengthens the next,
    which evens out). The typical gap is the mean of the gaps, leaving out the one farthest
    from the median when there are four or more (a meeting that simply went missing). Gaps that
    vary too much read as ``irregular``. ``gaps_days`` and ``open_gap_days`` are those between
    the meetings actually held.
    """
    gaps = tuple((later - earlier).days for earlier, later in pairwise(held))
    open_gap = (as_of - held[-1]).days if held else None
    intended = sorted((*held, *cancelled))
    if len(intended) < 3:
        plural = "s" if len(held) != 1 else ""
        how = f"{len(held)} held meeting{plural} are too few to tell"
        return CadenceReading(Cadence.INSUFFICIENT_DATA, len(held), gaps, open_gap, how)
    typical = [(later - earlier).days for earlier, later in pairwise(intended)]
    # A bi-monthly group that missed one meeting still has four gaps; with fewer, every gap
    # counts (leaving one of three out would say too much about too little).
    if len(typical) >= 4:
        middle = statistics.median(typical)
        typical.remove(max(typical, key=lambda gap: abs(gap - middle)))
    mean = statistics.fmean(typical)
    variation = statistics.pstdev(typical) / mean if mean else 0.0
    how = f"typically {mean / 7:.1f} weeks between meetings"
    if variation > MAX_VARIATION:
        detected = Cadence.IRREGULAR
        how += ", but the gaps vary too much to be regular"
    elif BIMONTHLY_GAP_DAYS[0] <= mean <= BIMONTHLY_GAP_DAYS[1]:
        detected = Cadence.BIMONTHLY
    elif QUARTERLY_GAP_DAYS[0] < mean <= QUARTERLY_GAP_DAYS[1]:
        detected = Cadence.QUARTERLY
    else:
        detected = Cadence.IRREGULAR
    return CadenceReading(detected, len(held), gaps, open_gap, how)


@rule(
    "cadence.bimonthly",
    "A body that should meet every two months meets less often, or leaves too long a gap.",
    advice=(
        "Plan a meeting in each cycle: `lcpg plan` proposes dates in the weeks after each CHWB."
    ),
    applies_to=("lcpg", "chairs-group", "chwb"),
    params={"meetings_per_year": 6, "max_gap_weeks": 10},
)
def check_bimonthly(context: CheckContext, settings: RuleSettings) -> Iterable[Finding]:
    expected = int(settings.params["meetings_per_year"])
    max_gap = int(settings.params["max_gap_weeks"]) * 7
    as_of = context.as_of
    for body in context.bodies_of(settings.applies_to):
        meetings = [
            m for m in context.register.meetings_of(body.slug) if context.in_window(m.start)
        ]
        held = [m.start.date() for m in meetings if m.status is MeetingStatus.HELD]
        cancelled = [m.start.date() for m in meetings if m.status is MeetingStatus.CANCELLED]
        reading = classify(held, as_of, cancelled)
        due = _meeting_still_due(context, held)
        # Six cycles of eight or nine weeks can span more than 365 days, so a body that never
        # missed a meeting may show one fewer than expected in the 12 months; a real miss also
        # leaves a gap over the limit, which is caught below.
        short = reading.held < expected - 1
        gaps = list(reading.gaps_days)
        # While the current cycle's meeting is still to come, the time since the last meeting
        # is not yet a gap.
        if reading.open_gap_days is not None and not due:
            gaps.append(reading.open_gap_days)
        longest = max(gaps, default=None)
        too_long = longest is not None and longest > max_gap
        if not short and not too_long:
            continue
        message = _message(reading, expected, longest, as_of)
        yield settings.finding(
            body=body.slug,
            subject="",
            message=message,
            evidence={
                "detected": reading.detected.value,
                "how": reading.how,
                "held": reading.held,
                "expected": expected,
                "cancelled": sum(1 for m in meetings if m.status is MeetingStatus.CANCELLED),
                "longest_gap_days": longest,
                "longest_gap_weeks": round(longest / 7, 1) if longest is not None else None,
                "gaps_days": list(reading.gaps_days),
                "days_since_last": reading.open_gap_days,
                "meeting_still_due": due,
                "period": [context.window_start.isoformat(), as_of.isoformat()],
            },
        )


def _meeting_still_due(context: CheckContext, held: Sequence[date]) -> bool:
    """True when the current cycle's window is still open and the body has not met in it."""
    cycle = context.cycle_of(datetime.combine(context.as_of, time(23, 59)))
    if cycle is None:
        return False
    opening, closing = cycle.chwb.date(), cycle.next_chwb.date()
    met = any(opening <= day < closing for day in held)
    return not met and context.as_of <= cycle.chairs_deadline


def _message(reading: CadenceReading, expected: int, longest: int | None, as_of: date) -> str:
    period = f"in the 12 months to {short_date(as_of)}"
    counts = f"{plural(reading.held, 'held meeting')} {period} ({expected} expected)"
    gap = f", longest gap {plural(round(longest / 7), 'week')}" if longest is not None else ""
    if reading.detected is Cadence.QUARTERLY:
        return f"Meets quarterly, not every two months: {counts}{gap}."
    if reading.detected is Cadence.IRREGULAR:
        return f"Meets irregularly, not every two months: {counts}{gap}."
    if reading.detected is Cadence.INSUFFICIENT_DATA:
        return f"Too few meetings to meet every two months: {counts}{gap}."
    return f"Meets every two months but not often enough: {counts}{gap}."
