"""A message to send: plain data, one recipient each (the outbox key is per recipient)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

COUNTY = "county"


def district_kind(slug: str) -> str:
    """The ``kind`` of a district's message: ``district:gravesham``."""
    return f"district:{slug}"


@dataclass(frozen=True)
class OutgoingMessage:
    """One e-mail for one recipient. ``week`` is an ISO week (``2027-W05``); ``kind`` is
    ``county`` or ``district:<slug>``; (week, recipient, kind) is the outbox's unique key."""

    week: str
    kind: str
    recipient: str
    recipient_name: str
    subject: str
    text: str
    html: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.week, self.recipient, self.kind)


def iso_week(day: date) -> str:
    """``2027-W05`` for a day of that ISO week."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_monday(week: str) -> date:
    """The Monday of an ISO week written ``YYYY-Www``. Raises ``ValueError`` otherwise."""
    return date.fromisoformat(f"{week}-1")


def weeks_before(week: str, weeks: int) -> str:
    """The ISO week ``weeks`` weeks before ``week`` (``2027-W02``, 4 gives ``2026-W50``)."""
    return iso_week(week_monday(week) - timedelta(weeks=weeks))
