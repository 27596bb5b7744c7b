"""Small wording helpers shared by the rules' messages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime


def day(when: date) -> str:
    """``14 Mar 2018``."""
    return f"{when.day} {when:%b} {when.year}"


def moment(when: datetime) -> str:
    """``Wed 14 Mar 2018 10:00``."""
    return f"{when:%a} {when.day} {when:%b} {when.year} {when:%H:%M}"


def subject(when: datetime) -> str:
    """A meeting as a finding's subject: its start, ``2018-03-14T10:00``."""
    return when.isoformat(timespec="minutes")


def listing(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"
