"""A meeting as a finding's subject. Words for dates, times and lists are in
``lcpg.domain.wording``."""

from __future__ import annotations

from datetime import datetime


def subject(when: datetime) -> str:
    """A meeting as a finding's subject: its start, ``2018-03-14T10:00``."""
    return when.isoformat(timespec="minutes")
