"""Cycles: the span from one CHWB meeting to the next, and where each body fits in it."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from lcpg.domain.blueprint import Cadence


@dataclass(frozen=True)
class Cycle:
    """One meeting cycle: from a CHWB meeting up to (not including) the next one.

    ``lcpg_window`` is when the LCPGs may meet (no earlier than ``days_after_chwb`` after the
    CHWB); the Chairs Group meets after the last LCPG and no later than ``chairs_deadline``.
    """

    chwb: datetime
    next_chwb: datetime
    lcpg_earliest: date
    chairs_deadline: date

    @property
    def label(self) -> str:
        """A short name for the cycle, after the CHWB that opens it: ``"CHWB 2018-01-10"``."""
        return f"CHWB {self.chwb.date().isoformat()}"


def cycles_between(chwb_meetings: Sequence[datetime], cadence: Cadence) -> list[Cycle]:
    """The cycles cut by consecutive CHWB meetings (sorted first; n meetings give n-1 cycles)."""
    ordered = sorted(chwb_meetings)
    return [
        Cycle(
            chwb=opening,
            next_chwb=closing,
            lcpg_earliest=opening.date() + timedelta(days=cadence.days_after_chwb),
            chairs_deadline=closing.date() - timedelta(days=cadence.days_before_next_chwb),
        )
        for opening, closing in itertools.pairwise(ordered)
    ]


def assumed_next_chwb(last: datetime, cadence: Cadence) -> datetime:
    """Where the CHWB meeting after ``last`` is taken to be while none is known: one cycle,
    ``cadence.cycle_weeks``, later."""
    return last + timedelta(weeks=cadence.cycle_weeks)


def cycle_of(cycles: Sequence[Cycle], moment: datetime) -> Cycle | None:
    """The cycle of ``cycles`` (in time order, as ``cycles_between`` gives them) whose span, its
    CHWB up to the next, contains ``moment``; None before the first or after the last."""
    index = bisect.bisect_right(cycles, moment, key=lambda cycle: cycle.chwb) - 1
    if index < 0:
        return None
    cycle = cycles[index]
    return cycle if moment < cycle.next_chwb else None
