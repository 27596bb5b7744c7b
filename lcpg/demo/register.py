"""``build_demo_register``: the fictional Kent register behind ``lcpg demo``.

The demo is a realistic partnership two years into its life: twelve LCPGs with full (or, by
design, not quite full) memberships, dated role changes, two years of meeting cycles and their
attendance. ``lcpg.demo.scenarios`` names the situations it reproduces, so that the compliance check
has something true to say.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from lcpg.demo.attendance import build_attendance
from lcpg.demo.roster import build_roster
from lcpg.demo.scenarios import HISTORY_YEARS
from lcpg.demo.schedule import build_meetings, district_slots
from lcpg.domain.blueprint import Blueprint
from lcpg.domain.register import Register


def build_demo_register(blueprint: Blueprint, today: date, years: int = HISTORY_YEARS) -> Register:
    """The demo register for ``blueprint`` as it stands on ``today``.

    Pure and deterministic: no I/O, no clock, no global random state (every draw comes from a
    ``random.Random`` with a fixed seed), so the same ``blueprint`` and ``today`` always give an
    equal ``Register``. Contents:

    - ``bodies``: ``blueprint.bodies_list()``, each LCPG with its district's preferred weekday,
      time and venue (those of its demo meetings);
    - ``people``: fictional names, unique ``firstname.lastname@example.org`` addresses;
    - ``memberships``: LCPG seats only (Chairs and Safeguarding Group membership is derived
      from the roles), dated from a few years before ``today``;
    - ``meetings``: ``years`` of history up to ``today`` (two unless asked; benchmarks ask
      for ten), ``held`` (with the scenario
      exceptions), plus the rest of the current cycle as ``planned`` (CHWB ``confirmed``);
    - ``attendance``: for every held meeting, and only for people on the body that day.

    Raises ``ValueError`` if the blueprint's cycle leaves no room for the Chairs Group after
    the LCPGs (Kent's leaves weeks).
    """
    slots = district_slots(blueprint)
    bodies = tuple(
        replace(
            body,
            preferred_weekday=slots[body.district].weekday,
            preferred_time=slots[body.district].at,
            venue=slots[body.district].venue,
        )
        if body.district in slots
        else body
        for body in blueprint.bodies_list()
    )
    roster = build_roster(blueprint, today, years)
    meetings = build_meetings(blueprint, today, years)
    attendance = build_attendance(roster, meetings, blueprint.core_sector_slugs)
    return Register(
        bodies=bodies,
        people=roster.people,
        memberships=roster.memberships,
        meetings=meetings,
        attendance=attendance,
    )
