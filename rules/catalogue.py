"""Every rule lcpg knows, registered in the order reports list them (importing this does it)."""

from rules import (  # noqa: F401  (imported for their registrations)
    attendance,
    cadence,
    coverage,
    cycles,
    governance,
    membership,
    records,
    roles,
)
from rules.registry import REGISTRY

__all__ = ["REGISTRY"]
