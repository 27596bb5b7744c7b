"""Starting the command: `lcpg --help`, and Kent's `lcpg check`, `lcpg plan --year` and `lcpg ics
export` from process start to exit, each against `python -c pass` and against the same command
of the commit before issue 14 (``BASELINE``), all in the same run, so the ratios hold on any
machine.

Targets: `lcpg plan --year` for Kent from process start to exit under 1 s (the whole-command
target of issue 4, which issue 3's plan also meets); `lcpg --help` within 5x a bare Python
start. Issue 2 asks only that `--help` "starts fast (no heavy imports at start-up)"; 5x is our
reading: Python's own start plus importing click and the command table, about as much again
each, with room to spare, and well short of importing SQLAlchemy (which alone is about 5x).
Issue 14: `check`, `plan --year` and `ics export` at most half the baseline's time each, and
`--help` no slower than the baseline's.

The baseline runs from its own tree (``git archive`` into a temporary folder, put first on
``PYTHONPATH``) with this Python and these installed libraries, on its own demo register (made
by its own `lcpg demo`, since the schema may have moved on). Both versions are started the
same way, ``python -c 'from cli import main; main()'``, and timed in turns, so that a busy
moment of the machine falls on both.
"""

from __future__ import annotations

import io
import statistics
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bench.processes import measure
from bench.results import Result

TODAY = date(2026, 11, 22)
RUNS = 10
COMMAND_RUNS = 5
HELP_RATIO = 5.0
BASELINE = "8a13ae82bce017a3e0ea07562097fc48ed056836"
"""The commit before issue 14 ("CHANGELOG: the malformed-input corpus as it is now"), the last
before the package move that opened it."""
SPEED_UP = 0.5
"""Issue 14: each command at most half the baseline's time."""
ROOT = Path(__file__).resolve().parent.parent
RUN_LCPG = "import sys; sys.argv[0] = 'lcpg'; from cli import main; sys.exit(main())"

COMMANDS = {
    "check": ["check", "--as-of", TODAY.isoformat()],
    "plan --year": ["plan", "--year", str(TODAY.year + 1), "--as-of", TODAY.isoformat()],
    "ics export": ["ics", "export", "--out", "feeds"],
}


@dataclass(frozen=True)
class Version:
    """A version of lcpg to start: its source tree on ``PYTHONPATH`` (None: the installed one)
    and the folder holding its demo register."""

    tree: Path | None
    folder: Path

    def seconds(self, args: list[str], runs: int) -> list[float]:
        env = {"PYTHONPATH": str(self.tree)} if self.tree else None
        return [
            measure([sys.executable, "-c", RUN_LCPG, *args], cwd=self.folder, env=env).seconds
            for _ in range(runs)
        ]


def baseline_tree(into: Path) -> Path:
    """``BASELINE``'s files (as git tracks them) in ``into``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", BASELINE],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def in_turns(versions: list[Version], args: list[str], runs: int) -> list[float]:
    """The median seconds of ``lcpg ARGS`` for each version, run in turns ``runs`` times."""
    times: list[list[float]] = [[] for _ in versions]
    for _ in range(runs):
        for version, seconds in zip(versions, times, strict=True):
            seconds += version.seconds(args, 1)
    return [statistics.median(seconds) for seconds in times]


def run() -> list[Result]:
    python = measure([sys.executable, "-c", "pass"], runs=RUNS)
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        now = Version(None, base / "now")
        before = Version(baseline_tree(base / "baseline"), base / "before")
        versions = [now, before]
        for version in versions:
            version.folder.mkdir()
            version.seconds(["demo", "--as-of", TODAY.isoformat()], 1)  # also compiles it
        help_now, help_before = in_turns(versions, ["--help"], RUNS)
        figures = {name: in_turns(versions, args, COMMAND_RUNS) for name, args in COMMANDS.items()}
        peak = measure(
            [sys.executable, "-c", RUN_LCPG, *COMMANDS["plan --year"]], cwd=now.folder
        ).peak_mib
    bare = f"`python -c pass` takes {python.seconds * 1000:.0f} ms"
    plan_now = figures["plan --year"][0]
    results = [
        Result(
            "start: `lcpg --help` vs `python -c pass` (ratio)",
            help_now / python.seconds,
            HELP_RATIO,
            RUNS,
            f"{help_now * 1000:.0f} ms; {bare}",
            unit="x",
        ),
        Result(
            "start: `lcpg --help` vs before issue 14 (ratio)",
            help_now / help_before,
            1.0,
            RUNS,
            f"{help_now * 1000:.0f} ms; before: {help_before * 1000:.0f} ms "
            f"(commit {BASELINE[:7]})",
            unit="x",
        ),
        Result(
            "plan: Kent, `lcpg plan --year` (process start to exit)",
            plan_now,
            1.0,
            COMMAND_RUNS,
            f"SQLite demo register; {plan_now / python.seconds:.0f}x `python -c pass`; "
            f"peak {peak:.0f} MiB",
        ),
    ]
    results += [
        Result(
            f"start: Kent, `lcpg {name}` vs before issue 14 (ratio)",
            seconds / earlier,
            SPEED_UP,
            COMMAND_RUNS,
            f"SQLite demo register; {seconds * 1000:.0f} ms; before: {earlier * 1000:.0f} ms "
            f"(commit {BASELINE[:7]}); {bare}",
            unit="x",
        )
        for name, (seconds, earlier) in figures.items()
    ]
    return results
