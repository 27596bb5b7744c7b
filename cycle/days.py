"""Which days meetings avoid, and why: weekends, bank holidays and (when known) school holidays.

``DayRules`` is plain data: the shell builds it from the ``holidays`` package and the term-date
files (``services.planning.day_rules``), and the planner asks it about one day at a time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol


class HolidaySpan(Protocol):
    """A school holiday: both ends inclusive (``domain.terms.SchoolHoliday`` is one)."""

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
    school days only where term dates are known: ``school_known`` is the span they cover
    (first term start, last term end), None when no term dates are configured.
    """

    bank_holidays: Mapping[date, str] = field(default_factory=dict)
    school_holidays: Sequence[HolidaySpan] = ()
    school_known: tuple[date, date] | None = None

    def blocked(self, day: date) -> str | None:
        """Why no meeting can be held on ``day`` ("Saturday", "bank holiday (Easter Monday)",
        "school holiday (Easter holidays 2018)"), or None when it is free."""
        if day.weekday() >= 5:
            return day.strftime("%A")
        name = self.bank_holidays.get(day)
        if name is not None:
            return f"bank holiday ({name})"
        for holiday in self.school_holidays:
            if holiday.start <= day <= holiday.end:
                return f"school holiday ({holiday.name})"
        return None

    def school_holidays_known(self, day: date) -> bool:
        """True when term dates cover ``day``, so a school day there is known to be one."""
        return self.school_known is not None and self.school_known[0] <= day <= self.school_known[1]
