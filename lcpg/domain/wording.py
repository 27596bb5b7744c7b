"""Words for dates, the same on every machine (``strftime('%B')`` follows the locale)."""

from __future__ import annotations

from typing import Final

MONTHS: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
