"""A benchmark result and the small timing helpers every benchmark shares."""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    """One measured figure against its target (met when not above it). ``seconds`` is the
    median of the runs (or, by ``unit``, a peak memory or a ratio)."""

    name: str
    seconds: float
    target: float
    runs: int
    detail: str = ""
    unit: str = "s"
    """How ``seconds`` and ``target`` read: "s", "MiB" (peak memory) or "x" (a ratio)."""

    @property
    def met(self) -> bool:
        return self.seconds <= self.target


def median_seconds(action: Callable[[], object], runs: int) -> float:
    """The median wall-clock time of ``runs`` calls of ``action``."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def command_seconds(command: Sequence[str], runs: int, cwd: str | None = None) -> float:
    """The median time of running ``command`` from process start to exit."""

    def once() -> None:
        subprocess.run(command, cwd=cwd, check=True, capture_output=True)

    return median_seconds(once, runs)
