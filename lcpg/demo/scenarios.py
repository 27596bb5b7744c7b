"""The situations the demo register reproduces, named so that tests, docs and the CLI agree.

Most of them come from the seed documents: the February 2018 district reports (``000_*.txt``:
Gravesham and Dartford bi-monthly, Sevenoaks quarterly with a new chair from 1 January) and the
July 2017 briefing (``001_*.txt``: Maidstone's co-chairs, a co-ordinator "until September").
The rest are the everyday gaps the compliance checker exists to find. Everything else in the
demo is meant to comply.
"""

from __future__ import annotations

from dataclasses import dataclass

# Districts (blueprint slugs) that carry a scenario. Every other district is ordinary: full
# membership, every role filled, bi-monthly meetings in the weeks after each CHWB.
BIMONTHLY_DISTRICTS: tuple[str, ...] = ("dartford", "gravesham")
QUARTERLY_DISTRICT = "sevenoaks"
QUARTERLY_MONTHS: tuple[int, ...] = (3, 6, 9, 12)
NEW_CHAIR_DISTRICT = "sevenoaks"
MISSING_SECTORS_DISTRICT = "swale"
LAPSED_SECTOR = "police"  # had a member, who left and was never replaced
NEVER_FILLED_SECTOR = "housing"  # never had a member
MISSING_SECTORS: tuple[str, ...] = (LAPSED_SECTOR, NEVER_FILLED_SECTOR)
VACANT_COORDINATOR_DISTRICT = "dover"
CO_CHAIR_DISTRICT = "maidstone"
COORDINATOR_HANDOVER_DISTRICT = "tonbridge-and-malling"
UNRECORDED_DISTRICT = "thanet"
ATTENDANCE_UNRECORDED_DISTRICT = "folkestone-and-hythe"  # its meeting before last
CANCELLED_DISTRICT = "canterbury"

# Role slugs the demo hands out (all defined by the Kent blueprint).
CHAIR = "chair"
COORDINATOR = "coordinator"
SAFEGUARDING_LEAD = "safeguarding-lead"
HWB_LINK = "hwb-link"

# How far back things happened, relative to ``today``.
HISTORY_YEARS = 2
# Leavers go at the end of a month, about this many months before ``today``.
LAPSED_MONTHS_AGO = 15  # Swale's police member left "over a year ago"
COORDINATOR_LEFT_MONTHS_AGO = 5  # Dover's co-ordinator left "months ago"
CANCELLED_DAYS_AGO = 450  # outside the 12-month cadence window, so the cadence stays clean


@dataclass(frozen=True)
class Scenario:
    """One deliberate situation in the demo register.

    ``body`` is the body it concerns; ``rules`` the rule ids whose findings it is there to
    produce (empty for situations that are allowed and should produce none).
    """

    key: str
    body: str
    rules: tuple[str, ...]
    description: str


DEMO_SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "bimonthly",
        "lcpg-dartford",
        (),
        "Dartford and Gravesham LCPGs meet every two months, in the weeks after each CHWB.",
    ),
    Scenario(
        "quarterly",
        f"lcpg-{QUARTERLY_DISTRICT}",
        ("cadence.bimonthly",),
        "Sevenoaks LCPG meets quarterly (March, June, September, December), not every two months.",
    ),
    Scenario(
        "new-chair",
        f"lcpg-{NEW_CHAIR_DISTRICT}",
        (),
        "Sevenoaks LCPG has had a new chair since 1 January; the previous chair left the group.",
    ),
    Scenario(
        "missing-sectors",
        f"lcpg-{MISSING_SECTORS_DISTRICT}",
        ("membership.core-sectors", "attendance.core-sectors"),
        "Swale LCPG has no Police member (the last left over a year ago) and never had Housing.",
    ),
    Scenario(
        "vacant-coordinator",
        f"lcpg-{VACANT_COORDINATOR_DISTRICT}",
        ("roles.coordinator",),
        "Dover LCPG's co-ordinator left some months ago and nobody has taken the role since.",
    ),
    Scenario(
        "co-chairs",
        f"lcpg-{CO_CHAIR_DISTRICT}",
        (),
        "Maidstone LCPG has co-chairs: two members hold the chair; both sit on the Chairs Group.",
    ),
    Scenario(
        "coordinator-handover",
        f"lcpg-{COORDINATOR_HANDOVER_DISTRICT}",
        (),
        "Tonbridge & Malling's co-ordinator served until 30 September; a successor took over.",
    ),
    Scenario(
        "unrecorded",
        f"lcpg-{UNRECORDED_DISTRICT}",
        ("records.unrecorded",),
        "Thanet LCPG's last meeting has passed but is still 'planned': nobody recorded it.",
    ),
    Scenario(
        "attendance-unrecorded",
        f"lcpg-{ATTENDANCE_UNRECORDED_DISTRICT}",
        ("records.attendance-missing",),
        "Folkestone & Hythe LCPG's meeting before last is recorded as held, but not who attended.",
    ),
    Scenario(
        "cancelled",
        f"lcpg-{CANCELLED_DISTRICT}",
        (),
        "One Canterbury LCPG meeting over a year ago was cancelled; otherwise it meets bi-monthly.",
    ),
    Scenario(
        "chwb-one-chair",
        "chwb",
        ("governance.chwb-representation",),
        "At the last CHWB meeting but one only one LCPG chair attended, not the two required.",
    ),
)
