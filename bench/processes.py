"""Timing a command as a process, with its own peak memory.

``resource.getrusage(RUSAGE_CHILDREN)`` gives the largest of all children waited for, and
Linux carries a process's peak resident size over ``exec``, so a child started straight from
a benchmark process that holds a large register would report that register's size. Each
command therefore runs under a small launcher process that forks and execs it and reads
``ru_maxrss`` from ``os.wait4`` for that one child: its own peak, plus at most the launcher's
few MiB.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

LAUNCHER = """
import json, os, sys, time
report, command = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execvp(command[0], command)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - started
with open(report, "w") as f:
    json.dump({"seconds": seconds, "peak_kib": usage.ru_maxrss,
               "exit": os.waitstatus_to_exitcode(status)}, f)
"""


@dataclass(frozen=True)
class Measured:
    """The median wall-clock seconds of some runs of a command and the largest peak resident
    memory (MiB) of any one of them."""

    seconds: float
    peak_mib: float
    runs: int


class CommandFailed(RuntimeError):
    pass


def measure(
    command: Sequence[str],
    runs: int = 1,
    cwd: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    stdout: Path | None = None,
    exits: Collection[int] = (0,),
    stderr: Path | None = None,
) -> Measured:
    """Run ``command`` ``runs`` times, each as its own process; raise ``CommandFailed`` with
    its error output if it exits with a status not in ``exits``. Standard output goes to
    ``stdout`` (else nowhere), error output to ``stderr`` when given (appended, after it)."""
    times = []
    peaks = []
    environment = {**os.environ, **(env or {})}
    for _ in range(runs):
        with tempfile.NamedTemporaryFile(suffix=".json") as report:
            with (
                stdout.open("wb") if stdout is not None else open(os.devnull, "wb")  # noqa: PTH123
            ) as sink:
                process = subprocess.run(
                    [sys.executable, "-c", LAUNCHER, report.name, *command],
                    cwd=cwd,
                    env=environment,
                    stdout=sink,
                    stderr=subprocess.PIPE,
                    check=False,
                )
            figures = json.loads(Path(report.name).read_text(encoding="utf-8") or "{}")
        if stderr is not None:
            with stderr.open("ab") as sink:
                sink.write(process.stderr)
        if process.returncode != 0 or figures.get("exit") not in exits:
            error = process.stderr.decode("utf-8", "replace")[-2000:]
            raise CommandFailed(f"{' '.join(command)} failed:\n{error}")
        times.append(figures["seconds"])
        peaks.append(figures["peak_kib"] / 1024)
    measured = Measured(statistics.median(times), max(peaks), runs)
    # Progress on stderr: a national run takes long enough to want it.
    shown = " ".join(Path(part).name if "/" in part else part for part in command)
    sys.stderr.write(f"  {measured.seconds:8.2f} s {measured.peak_mib:7.0f} MiB  {shown[:120]}\n")
    return measured


def lcpg_path() -> str:
    """The ``lcpg`` command installed beside the running Python."""
    return str(Path(sys.executable).with_name("lcpg"))
