"""Checking compliance (issue 4's targets): Kent with two years of history from process start to
exit under 1 s; a national register (150 counties of twelve districts, ten years) checked by
the rules in no more than twice the time it takes to load the same rows, in under 1 GiB."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from bench.results import Result, command_seconds

TODAY = date(2026, 11, 22)

# Run in a fresh process so that its peak memory is the check's alone.
MEASURE = """
import json, re, sys, time
from datetime import date
from pathlib import Path
from lcpg.domain.blueprint import load_blueprint
from rules.engine import check
from lcpg.store.database import make_engine
from lcpg.store.unit_of_work import UnitOfWork

url, blueprint_path, as_of = sys.argv[1], Path(sys.argv[2]), date.fromisoformat(sys.argv[3])
blueprint = load_blueprint(blueprint_path)
engine = make_engine(url)
started = time.perf_counter()
with UnitOfWork(engine) as uow:
    register = uow.register.load()
loaded = time.perf_counter()
report = check(register, blueprint, as_of)
checked = time.perf_counter()
print(json.dumps({
    "load": loaded - started,
    "rules": checked - loaded,
    "meetings": len(register.meetings),
    "attendance": len(register.attendance),
    "findings": len(report.findings),
    # VmHWM is this process's own peak; ru_maxrss would carry the parent's over exec.
    "peak_mib": int(re.search(r"VmHWM:\\s+(\\d+)", Path("/proc/self/status").read_text())[1])
    / 1024,
}))
"""


def run() -> list[Result]:
    from bench import national

    lcpg = str(Path(sys.executable).with_name("lcpg"))
    with tempfile.TemporaryDirectory() as folder:
        command_seconds([lcpg, "demo", "--as-of", TODAY.isoformat()], runs=1, cwd=folder)
        kent = command_seconds([lcpg, "check", "--as-of", TODAY.isoformat()], runs=5, cwd=folder)
    register = national.national_register(national.COUNTIES, national.YEARS)
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            MEASURE,
            register.sqlite_url,
            str(register.blueprint),
            TODAY.isoformat(),
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    ).stdout
    figures = json.loads(out)
    size = f"{figures['meetings']:,} meetings, {figures['attendance']:,} attendance rows"
    return [
        Result("check: Kent, `lcpg check` (process start to exit)", kent, 1.0, 5, "SQLite demo"),
        Result(
            f"check: {register.counties} counties x {register.years} years, loading the register",
            figures["load"],
            float("inf"),
            1,
            f"SQLite; {size}",
        ),
        Result(
            f"check: {register.counties} counties x {register.years} years, the rules",
            figures["rules"],
            2 * figures["load"],
            1,
            f"target: twice the load time; {figures['findings']:,} findings",
        ),
        Result(
            f"check: {register.counties} counties x {register.years} years, peak memory (MiB)",
            figures["peak_mib"],
            1024.0,
            1,
            "load and check in one process; target 1 GiB",
            unit="MiB",
        ),
    ]
