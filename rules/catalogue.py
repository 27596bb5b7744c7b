"""Every rule lcpg knows, registered in the order reports list them (importing this does it).

The order of ``MODULES`` is the order of the blueprint: how often, when, who, which roles,
which groups, who came, what was recorded, what is planned. ``REGISTRY.families()`` follows it.
"""

from importlib import import_module
from typing import Final

from rules.registry import REGISTRY

MODULES: Final = (
    "cadence",
    "cycles",
    "membership",
    "roles",
    "governance",
    "attendance",
    "records",
    "coverage",
)

for _module in MODULES:
    import_module(f"rules.{_module}")

__all__ = ["MODULES", "REGISTRY"]
