"""Python's cyclic garbage collector during bulk work.

Building a register holds millions of small records (a national register has two million
attendance records). Every few hundred new objects the collector scans the young ones and,
ever more often as the heap grows, the old ones too: about half the time of loading and
checking a national register, for nothing, since the records form no reference cycles and
reference counting frees whatever is dropped.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector inside the block; restore its state afterwards (so
    nesting is harmless). Cycles made inside are collected once it runs again."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
