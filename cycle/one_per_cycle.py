"""One meeting of a body per cycle: which meetings about to be added would be a second one.

A body meets once in each cycle (from one CHWB meeting to the next). A meeting added from a
spreadsheet row without an id is new to the register; if its body already has a meeting in
that cycle, the row is almost always an old copy of a meeting that has since moved (re-planned
to another day), and adding it would put the meeting in every calendar twice. ``second_meetings``
finds those rows so that the import can refuse them instead.

Cycles are found as the rules find them (``cycle.windows``): cut by the CHWB meetings that are
held, confirmed or planned. The register's last cycle is taken to run ``cycle_weeks`` after its
last CHWB meeting, as the planner assumes, so the meetings planned after the year's last CHWB
are covered. For the CHWB itself, whose meetings cut the cycles, a new CHWB meeting is a second
one when it falls between two CHWB meetings already recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cycle.windows import Cycle, assumed_next_chwb, cycle_of, cycles_between
from lcpg.domain.blueprint import Cadence
from lcpg.domain.model import ACTIVE_STATUSES, Meeting


@dataclass(frozen=True)
class SecondMeeting:
    """A new meeting (``meeting``) that would be its body's second in ``cycle``, which already
    holds ``already``."""

    meeting: Meeting
    cycle: Cycle
    already: Meeting


def second_meetings(
    meetings: Sequence[Meeting], new: Sequence[str], chwb_body: str, cadence: Cadence
) -> list[SecondMeeting]:
    """Each meeting named in ``new`` that would be a second meeting of its body in a cycle.

    ``meetings`` is every meeting as the register would hold it after the change; ``new`` the
    identities of those of them that would be added without having been asked for by identity,
    in the order to judge them (the first of two new meetings in one cycle is accepted and the
    second reported). Cancelled meetings count for nothing. Meetings outside every known cycle
    (before the first CHWB meeting, or after the last cycle) are never reported.
    """
    fresh = set(new)
    active = [m for m in meetings if m.status in ACTIVE_STATUSES]
    chwb_all = [m.start for m in active if m.body == chwb_body]
    chwb_recorded = [m.start for m in active if m.body == chwb_body and m.id not in fresh]
    cycles = cycles_between(chwb_all + _assumed_close(chwb_all, cadence), cadence)
    chwb_cycles = cycles_between(chwb_recorded, cadence)

    def cycle(meeting: Meeting) -> Cycle | None:
        return cycle_of(chwb_cycles if meeting.body == chwb_body else cycles, meeting.start)

    occupied: dict[tuple[str, datetime], Meeting] = {}
    for meeting in active:
        found = cycle(meeting) if meeting.id not in fresh else None
        if found is not None:
            occupied.setdefault((meeting.body, found.chwb), meeting)
    by_id = {m.id: m for m in active}
    seconds: list[SecondMeeting] = []
    for identity in new:
        candidate = by_id.get(identity)
        found = cycle(candidate) if candidate is not None else None
        if candidate is None or found is None:
            continue
        meeting = candidate
        already = occupied.setdefault((meeting.body, found.chwb), meeting)
        if already is not meeting:
            seconds.append(SecondMeeting(meeting, found, already))
    return seconds


def _assumed_close(chwb: Sequence[datetime], cadence: Cadence) -> list[datetime]:
    """The CHWB meeting assumed to close the last known cycle (none when there is none)."""
    return [assumed_next_chwb(max(chwb), cadence)] if chwb else []
