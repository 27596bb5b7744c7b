"""Seeded randomness for the demo: every choice is reproducible and independent of the clock.

Each concern draws from its own ``random.Random`` seeded from a fixed string and the concern's
name (a district, a meeting id), never from the global generator. So a district's people stay the
same whatever ``today`` is, and one meeting's attendance does not shift when another meeting is
added or removed.
"""

from __future__ import annotations

import random

# Changing this string changes every generated name, date and attendance mark at once.
SEED = "lcpg-demo-register-v1"


def rng_for(*parts: str) -> random.Random:
    """A fresh generator seeded from ``SEED`` and ``parts`` (string seeds hash stably)."""
    return random.Random(":".join((SEED, *parts)))
