"""Starting the command: `lcpg --help` and `lcpg plan --year` (Kent) against `python -c pass`
in the same run, so the ratio holds on any machine.

Targets: `lcpg plan --year` for Kent from process start to exit under 1 s (the whole-command
target of issue 4, which issue 3's plan also meets); `lcpg --help` within 5x a bare Python
start. Issue 2 asks only that `--help` "starts fast (no heavy imports at start-up)"; 5x is our
reading: Python's own start plus importing click and the command table, about as much again
each, with room to spare, and well short of importing SQLAlchemy (which alone is about 5x).
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date

from bench.processes import lcpg_path, measure
from bench.results import Result

TODAY = date(2026, 11, 22)
RUNS = 10
HELP_RATIO = 5.0


def run() -> list[Result]:
    lcpg = lcpg_path()
    python = measure([sys.executable, "-c", "pass"], runs=RUNS)
    helped = measure([lcpg, "--help"], runs=RUNS)
    with tempfile.TemporaryDirectory() as folder:
        measure([lcpg, "demo", "--as-of", TODAY.isoformat()], cwd=folder)
        plan = measure(
            [lcpg, "plan", "--year", str(TODAY.year + 1), "--as-of", TODAY.isoformat()],
            runs=5,
            cwd=folder,
        )
    base = f"`python -c pass` takes {python.seconds * 1000:.0f} ms"
    return [
        Result(
            "start: `lcpg --help` vs `python -c pass` (ratio)",
            helped.seconds / python.seconds,
            HELP_RATIO,
            RUNS,
            f"{helped.seconds * 1000:.0f} ms; {base}",
            unit="x",
        ),
        Result(
            "plan: Kent, `lcpg plan --year` (process start to exit)",
            plan.seconds,
            1.0,
            plan.runs,
            f"SQLite demo register; {plan.seconds / python.seconds:.0f}x `python -c pass`; "
            f"peak {plan.peak_mib:.0f} MiB",
        ),
    ]
