"""A fictional but realistic register for the Kent blueprint, for ``lcpg demo`` and for tests.

``build_demo_register(blueprint, today)`` returns a complete ``Register``: people with
``example.org`` addresses, dated LCPG memberships and roles, two years of meetings up to
``today`` and their attendance. It is pure and deterministic. ``DEMO_SCENARIOS`` describes the
situations it reproduces (Sevenoaks meeting quarterly, Swale without Police and Housing, ...);
the constants name the districts that carry them.
"""

from lcpg.demo.register import build_demo_register
from lcpg.demo.scenarios import (
    ATTENDANCE_UNRECORDED_DISTRICT,
    BIMONTHLY_DISTRICTS,
    CANCELLED_DISTRICT,
    CO_CHAIR_DISTRICT,
    COORDINATOR_HANDOVER_DISTRICT,
    DEMO_SCENARIOS,
    MISSING_SECTORS,
    MISSING_SECTORS_DISTRICT,
    NEW_CHAIR_DISTRICT,
    QUARTERLY_DISTRICT,
    QUARTERLY_MONTHS,
    UNRECORDED_DISTRICT,
    VACANT_COORDINATOR_DISTRICT,
    Scenario,
)

__all__ = [
    "ATTENDANCE_UNRECORDED_DISTRICT",
    "BIMONTHLY_DISTRICTS",
    "CANCELLED_DISTRICT",
    "COORDINATOR_HANDOVER_DISTRICT",
    "CO_CHAIR_DISTRICT",
    "DEMO_SCENARIOS",
    "MISSING_SECTORS",
    "MISSING_SECTORS_DISTRICT",
    "NEW_CHAIR_DISTRICT",
    "QUARTERLY_DISTRICT",
    "QUARTERLY_MONTHS",
    "UNRECORDED_DISTRICT",
    "VACANT_COORDINATOR_DISTRICT",
    "Scenario",
    "build_demo_register",
]
