"""Which days meetings avoid, and why: weekends, bank holidays and (when known) school holidays.

``DayRules`` is plain data: the shell builds it from the ``holidays`` package and the term-date
files (``lcpg.services.planning.day_rules``), and the planner asks it about one day at a time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Protocol

from lcpg.domain.wording import weekday


class HolidaySpan(Protocol):
    """A school holiday: both ends inclusive (``lcpg.domain.terms.SchoolHoliday`` is one)."""

    @property
    def start(self) -> date: ...

    @property
    def end(self) -> date: ...

    @property
    def name(self) -> str: ...


@dataclass(frozen=True)
class DayRules:
    """The days to avoid.

    ``bank_holidays`` maps each bank holiday to its name. ``school_holidays`` are avoided on
    school days only where term dates are known: ``school_known`` are the spans they cover
    (first term start to last term end of consecutive academic years, both ends inclusive,
    oldest first; ``lcpg.domain.terms.covered_spans``), empty when no term dates are configured.
    """

    bank_holidays: Mapping[date, str] = field(default_factory=dict)
    school_holidays: Sequence[HolidaySpan] = ()
    school_known: Sequence[tuple[date, date]] = ()

    def blocked(self, day: date) -> str | None:
        """Why no meeting can be held on ``day`` ("Saturday", "bank holiday (Easter Monday)",
        "school holiday (Easter holidays 2018)"), or None when it is free."""
        if day.weekday() >= 5:
            return weekday(day)
        name = self.bank_holidays.get(day)
        if name is not None:
            return f"bank holiday ({name})"
        for holiday in self.school_holidays:
            if holiday.start <= day <= holiday.end:
                return f"school holiday ({holiday.name})"
        return None

    def school_holidays_known(self, day: date) -> bool:
        """True when term dates cover ``day``, so a school day there is known to be one."""
        return any(start <= day <= end for start, end in self.school_known)

    def school_unknown(self, first: date, last: date) -> tuple[tuple[date, date], ...]:
        """The spans of ``first`` to ``last`` (inclusive) that no term dates cover, oldest
        first: where a meeting may fall in a school holiday without anyone knowing."""
        gaps: list[tuple[date, date]] = []
        cursor = first
        for start, end in sorted(self.school_known):
            if end < cursor:
                continue
            if start > last:
                break
            if start > cursor:
                gaps.append((cursor, start - timedelta(days=1)))
            cursor = end + timedelta(days=1)
        if cursor <= last:
            gaps.append((cursor, last))
        return tuple(gaps)
