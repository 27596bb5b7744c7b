"""The national register as a user meets it (issue 8): `lcpg import` of the register's
workbook into an empty database, then `lcpg check`, `lcpg plan` and `lcpg ics export`, each a
process timed from start to exit with its own peak memory, on SQLite and on PostgreSQL; and the
check against a bare load of the rows it reads, in the same run.

Targets, and where they come from:
- check: at most 6x a bare load of the same tables (a plain ``SELECT *`` of each through the
  database driver, no ORM, in a process of its own). Issue 4 lets the rules take twice the time
  of loading the register; loading the register (rows into frozen records, in order) may take
  twice a bare fetch: 2 + 2 x 2 = 6.
- plan: under 10 s, issue 3's target for planning 150 counties, now for the whole command.
- ics export: under 10 s for the whole command, the national envelope issue 3 gave the plan.
  Issue 5's 20,000 events a second is for writing the feeds (``bench/feeds.py``, in process);
  a process must first load every meeting of ten years (160,000) to write the 46,000 recent
  ones, so that rate is shown here but not held against it.
- import: at least 10,000 rows a second over the whole command (about 3.5 minutes for the
  two million rows of 150 counties over ten years): none was set before. A national team
  importing its register overnight, or a county its spreadsheet in under a minute, is served
  by that; it is also the rate of reading and validating a CSV row in Python, so a slower
  import means time lost in the database.
- peak memory: 1 GiB for every command (issue 4's target for the check; at national scale
  the others hold no more of the register than it does). The import holds the incoming register
  and its change set side by side; its target is 2 GiB.

The workbook is a folder of CSV files: ten years of a national register's attendance (about two
million rows) is more than an .xlsx sheet holds (1,048,576 rows).
"""

from __future__ import annotations

import csv
import json
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from bench import national
from bench.postgres import bench_database, drop_schema, fresh_schema
from bench.processes import Measured, measure
from bench.results import Result

TODAY = date(2026, 11, 22)
SCHEMA = "bench_national"
CHECK_RATIO = 6.0
PLAN_SECONDS = 10.0
EXPORT_SECONDS = 10.0
IMPORT_ROWS_PER_SECOND = 10_000
MEMORY_MIB = 1024.0
IMPORT_MEMORY_MIB = 2048.0

# Every table `lcpg check` reads: the register (store.register.SqlRegisterRepository.load) and the
# recorded checks it compares with (store.checks.SqlChecksRepository.previous).
CHECK_TABLES = (
    "bodies",
    "people",
    "memberships",
    "meetings",
    "attendance",
    "check_runs",
    "check_findings",
)

# A bare load: every row of every table, fetched through the driver, nothing built from them.
BARE_LOAD = """
import json, sys
kind, arguments, tables = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3:]
if kind == "sqlite":
    import sqlite3
    connection = sqlite3.connect(**arguments)
else:
    import psycopg
    connection = psycopg.connect(**arguments)
rows = 0
for table in tables:
    cursor = connection.cursor()
    cursor.execute(f"SELECT * FROM {table}")
    rows += len(cursor.fetchall())
connection.close()
print(rows)
"""


def run() -> list[Result]:
    register = national.national_register(national.COUNTIES, national.YEARS)
    size = f"{register.counties} counties x {register.years} years"
    results = []
    if register.built is not None:
        results.append(
            Result(
                f"scale: `lcpg demo --scale {register.counties} --years {register.years}`",
                register.built.seconds,
                float("inf"),
                1,
                f"builds the benchmarks' register (SQLite), peak {register.built.peak_mib:,.0f} "
                "MiB; no target",
            )
        )
    rows = _csv_rows(register.csv)
    with tempfile.TemporaryDirectory() as folder:
        sqlite_url = f"sqlite:///{folder}/imported.db"
        results += _backend("SQLite", size, register, sqlite_url, rows, Path(folder))
    postgres = bench_database()
    if postgres is None:
        sys.stderr.write("bench/scale: skipped PostgreSQL: PostgreSQL not reachable\n")
        results.append(
            Result(
                f"scale: {size}, PostgreSQL",
                float("inf"),  # shown as "-", and not counted as a miss
                float("inf"),
                0,
                "skipped: PostgreSQL not reachable (LCPG_BENCH_DATABASE_URL)",
            )
        )
        return results
    try:
        with tempfile.TemporaryDirectory() as folder:
            url = fresh_schema(postgres, SCHEMA)
            results += _backend("PostgreSQL", size, register, url, rows, Path(folder))
    finally:
        drop_schema(postgres, SCHEMA)
    return results


def _backend(
    backend: str,
    size: str,
    register: national.NationalRegister,
    url: str,
    rows: int,
    folder: Path,
) -> list[Result]:
    """Import the register into the empty database at ``url`` and run the commands on it."""
    measure(register.lcpg(url, "init"))
    imported = measure(register.lcpg(url, "import", str(register.csv)))
    checked = measure(register.lcpg(url, "check", "--as-of", TODAY.isoformat()), runs=3)
    bare = measure(_bare_load_command(url), runs=3)
    planned = measure(
        register.lcpg(url, "plan", "--year", str(TODAY.year + 1), "--as-of", TODAY.isoformat()),
        runs=3,
    )
    feeds = folder / "feeds"
    exported = measure(register.lcpg(url, "ics", "export", "--out", str(feeds)), runs=3)
    events = sum(path.read_bytes().count(b"BEGIN:VEVENT") for path in feeds.glob("*.ics"))

    def named(what: str) -> str:
        return f"scale: {what}, {size}, {backend}"

    return [
        Result(
            named("`lcpg import` of the CSV workbook (seconds per 10,000 rows)"),
            imported.seconds / rows * IMPORT_ROWS_PER_SECOND,
            1.0,
            1,
            f"{rows:,} rows in {imported.seconds:.1f} s ({rows / imported.seconds:,.0f} a "
            "second) into an empty database",
        ),
        _memory(named("`lcpg import`, peak memory (MiB)"), imported, IMPORT_MEMORY_MIB),
        Result(
            named("`lcpg check` vs a bare load of its tables (ratio)"),
            checked.seconds / bare.seconds,
            CHECK_RATIO,
            checked.runs,
            f"check {checked.seconds:.2f} s; bare load (driver, no ORM) {bare.seconds:.2f} s",
            unit="x",
        ),
        _memory(named("`lcpg check`, peak memory (MiB)"), checked, MEMORY_MIB),
        Result(
            named("`lcpg plan --year` (process start to exit)"),
            planned.seconds,
            PLAN_SECONDS,
            planned.runs,
            f"{register.counties * 12:,} LCPGs",
        ),
        _memory(named("`lcpg plan`, peak memory (MiB)"), planned, MEMORY_MIB),
        Result(
            named("`lcpg ics export` (process start to exit)"),
            exported.seconds,
            EXPORT_SECONDS,
            exported.runs,
            f"{events:,} events, {events / exported.seconds:,.0f} a second over the whole "
            "command (county feed included)",
        ),
        _memory(named("`lcpg ics export`, peak memory (MiB)"), exported, MEMORY_MIB),
    ]


def _memory(name: str, measured: Measured, target: float) -> Result:
    return Result(name, measured.peak_mib, target, measured.runs, "largest of the runs", "MiB")


def _bare_load_command(url: str) -> list[str]:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    arguments: dict[str, Any]
    if parsed.get_backend_name() == "sqlite":
        kind, arguments = "sqlite", {"database": parsed.database}
    else:
        kind = "postgresql"
        arguments = {
            key: value
            for key, value in {
                "host": parsed.host,
                "port": parsed.port,
                "user": parsed.username,
                "password": parsed.password,
                "dbname": parsed.database,
                "options": parsed.query.get("options"),
            }.items()
            if value is not None
        }
    return [sys.executable, "-c", BARE_LOAD, kind, json.dumps(arguments), *CHECK_TABLES]


def _csv_rows(folder: Path) -> int:
    """Data rows in the workbook's CSV files (header rows not counted)."""
    total = 0
    for path in folder.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as file:
            total += sum(1 for _ in csv.reader(file)) - 1
    return total
