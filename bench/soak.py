#!/usr/bin/env python3
"""The soak run (issue 13), not in CI: `.venv/bin/python bench/soak.py [--minutes N]`.

For ``--minutes`` (default 10) it runs, all against one private PostgreSQL server
(``tests/faults/private_postgresql.py``; the machine's shared server is never touched):

- ``lcpg serve`` on a free port, with a dashboard password and plain-HTTP cookies;
- 32 feed clients (district feeds, the county feed and a personal feed made by
  ``lcpg feeds token create``, a third of the requests conditional on the last ETag) and 8
  dashboard clients (each logs in once through the form, with its CSRF token, then reads ``/``
  and district pages), every one a thread on a keep-alive connection of its own;
- ``lcpg import`` of an exported workbook every 30 seconds, each with a small change (a
  member's organisation and a planned meeting's venue);
- ``lcpg scheduler run`` sending the weekly e-mails every minute (``LCPG_WEEKLY_CRON``) to a
  real SMTP server (aiosmtpd, started here), which counts every message by its Message-ID;
- one PostgreSQL restart half way through (stopped at once, started again after
  ``--outage`` seconds). Requests that need the database answer 503 with ``Retry-After`` while
  it is down (README, "If the database goes away"); those are counted apart.

Then it reports requests per kind and status, errors other than those 503s, latency
percentiles, imports done and failed, messages delivered and duplicated, messages left unsent,
whether the register is intact (``lcpg export`` compared with the last imported workbook, and
``lcpg check``), and the peak memory of the server and the scheduler. ``--record`` writes the
report into BENCHMARKS.md's "Soak" section (``bench/run`` keeps that section when it rewrites
the file). The exit status is 1 when anything but the documented 503s went wrong.
"""

from __future__ import annotations

import argparse
import contextlib
import email.parser
import http.client
import http.cookies
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SECTION = "## Soak"
PASSWORD = "soak-dashboard-password"
PUBLIC_URL = "https://lcpg.example.org"
PERSON = "abigail.carver@example.org"  # a demo member, for the personal feed
REQUEST_TIMEOUT = 30.0  # seconds a client waits for one response before counting an error
IMPORT_TIMEOUT = 300.0
# 503s this long after PostgreSQL is back still count as the outage's: the server notices the
# database again at its next request, and the feed cache looks every two seconds.
RECOVERY_GRACE = 30.0
SLOW = 1.0  # seconds: responses slower than this are counted apart
DRAIN_TIMEOUT = 150.0  # seconds to wait at the end for the scheduler to send what is pending


def _say(text: str) -> None:
    """Progress, on standard error with the time since the start."""
    sys.stderr.write(f"[{time.monotonic() - STARTED:7.1f} s] {text}\n")
    sys.stderr.flush()


STARTED = time.monotonic()


# ---------------------------------------------------------------------------------------------
# What happened: every response, every import, every message.


@dataclass(frozen=True)
class Outcome:
    """One request: its kind, when it started (monotonic), its status (or the name of the
    exception that ended it, e.g. ``ConnectionResetError``) and its latency in seconds."""

    kind: str
    started: float
    status: int | str
    seconds: float


@dataclass(frozen=True)
class ImportRun:
    number: int
    started: float
    ended: float
    exit_code: int
    message: str  # the first line of its error output (or of its output when it worked)
    lines: int  # how many lines its error output has
    traceback: bool


@dataclass
class Tally:
    """Everything the clients, the importer and the restart record, from many threads."""

    outcomes: list[Outcome] = field(default_factory=list)
    imports: list[ImportRun] = field(default_factory=list)
    logins: Counter[str] = field(default_factory=Counter)
    outage: tuple[float, float] | None = None
    outage_started: float | None = None
    # (monotonic time, the machine's CPUs busy 0..1, lcpg serve's CPU in cores), every second.
    cpu: list[tuple[float, float, float]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, outcome: Outcome) -> None:
        with self.lock:
            self.outcomes.append(outcome)

    def in_outage(self, started: float, ended: float | None = None) -> bool:
        """Whether [started, ended] overlaps the outage and its recovery grace (a request
        already waiting on the database as it stops fails too)."""
        if self.outage_started is None:
            return False
        end = self.outage[1] + RECOVERY_GRACE if self.outage else float("inf")
        return started <= end and (ended if ended is not None else started) >= self.outage_started


class MessageCounter:
    """An aiosmtpd handler counting the messages it accepts by Message-ID."""

    def __init__(self) -> None:
        self.ids: Counter[str] = Counter()
        self.recipients: Counter[tuple[str, str]] = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
        headers = email.parser.BytesHeaderParser().parsebytes(envelope.original_content)
        with self.lock:
            self.ids[str(headers.get("Message-ID", "")).strip()] += 1
            for recipient in envelope.rcpt_tos:
                self.recipients[(recipient, str(headers.get("Subject", "")))] += 1
        return "250 OK"


# ---------------------------------------------------------------------------------------------
# HTTP clients: one keep-alive connection each, as a calendar app or a browser keeps one.


class Client:
    """A connection to the server that reconnects after an error and records every request."""

    def __init__(self, port: int, tally: Tally) -> None:
        self.port = port
        self.tally = tally
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def request(
        self,
        kind: str,
        path: str,
        method: str = "GET",
        headers: dict[str, str] | None = None,
        body: str | None = None,
        record: bool = True,
    ) -> tuple[int, http.client.HTTPMessage, bytes] | None:
        """The status, headers and body of one request, or None when it failed (recorded as
        the exception's name, and the connection dropped)."""
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.monotonic()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=REQUEST_TIMEOUT
                )
            self.connection.request(method, path, body=body, headers=sent)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            if record:
                self.tally.record(
                    Outcome(kind, started, type(exc).__name__, time.monotonic() - started)
                )
            return None
        elapsed = time.monotonic() - started
        for header in response.msg.get_all("Set-Cookie") or []:
            cookie = http.cookies.SimpleCookie(header)
            self.cookies.update({name: morsel.value for name, morsel in cookie.items()})
        if response.will_close:
            self.close()
        if record:
            # The documented 503 carries Retry-After; one without it is a different failure.
            status: int | str = response.status
            if status == 503 and not response.msg["Retry-After"]:
                status = "503 without Retry-After"
            self.tally.record(Outcome(kind, started, status, elapsed))
        return response.status, response.msg, content

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def feed_client(
    port: int, paths: list[tuple[str, str]], pause: float, seed: int, tally: Tally,
    stop: threading.Event,
) -> None:  # fmt: skip
    """Fetch the feeds in ``paths`` ((kind, path) pairs) at random until ``stop``, a third of
    the time with ``If-None-Match`` and the last ETag seen for that feed."""
    chance = random.Random(seed)
    client = Client(port, tally)
    etags: dict[str, str] = {}
    while not stop.is_set():
        kind, path = chance.choice(paths)
        headers = {}
        if path in etags and chance.random() < 1 / 3:
            headers["If-None-Match"] = etags[path]
        answer = client.request(kind, path, headers=headers)
        if answer is not None and answer[0] == 200 and answer[1]["ETag"]:
            etags[path] = answer[1]["ETag"]
        stop.wait(pause * chance.uniform(0.5, 1.5))
    client.close()


CSRF = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')
DISTRICT = re.compile(rb'href="(/districts/[a-z0-9-]+)"')


def log_in(client: Client) -> bool:
    """Sign ``client`` in through the form (with its CSRF token), as a browser does."""
    form = client.request("dashboard: login", "/login")
    if form is None or form[0] != 200 or not (token := CSRF.search(form[2])):
        return False
    body = urllib.parse.urlencode({"csrf_token": token[1].decode(), "password": PASSWORD})
    answer = client.request(
        "dashboard: login",
        "/login",
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        body=body,
    )
    return answer is not None and answer[0] in (302, 303)


def dashboard_client(
    port: int, pause: float, seed: int, tally: Tally, stop: threading.Event
) -> None:
    """Log in once, then read the overview and district pages at random until ``stop``. A
    redirect to the login page (the session lost) counts as an error, and logs in again."""
    chance = random.Random(seed)
    client = Client(port, tally)
    districts: list[str] = []
    signed_in = False
    while not stop.is_set():
        if not signed_in:
            signed_in = log_in(client)
            with tally.lock:
                tally.logins["done" if signed_in else "failed"] += 1
            if not signed_in:
                stop.wait(pause)
                continue
        if districts and chance.random() < 0.75:
            answer = client.request("dashboard: district", chance.choice(districts))
        else:
            answer = client.request("dashboard: overview", "/")
            if answer is not None and answer[0] == 200 and not districts:
                districts = sorted({m.decode() for m in DISTRICT.findall(answer[2])})
        if answer is not None and answer[0] in (302, 303):
            signed_in = False
        stop.wait(pause * chance.uniform(0.5, 1.5))
    client.close()


# ---------------------------------------------------------------------------------------------
# The imports: the exported workbook, a little changed each time.


def changed_workbook(source: Path, target: Path, number: int) -> None:
    """``source`` with one member's organisation and one planned meeting's venue changed (a
    different row each ``number``), saved as ``target``."""
    import openpyxl

    book = openpyxl.load_workbook(source)
    people = book["people"]
    header = [cell.value for cell in people[1]]
    row = 2 + number % (people.max_row - 1)
    people.cell(row, header.index("organisation") + 1, f"Soak organisation {number}")
    meetings = book["meetings"]
    header = [cell.value for cell in meetings[1]]
    planned = [
        r for r in range(2, meetings.max_row + 1)
        if meetings.cell(r, header.index("status") + 1).value == "planned"
    ]  # fmt: skip
    if planned:
        venue = meetings.cell(planned[number % len(planned)], header.index("venue") + 1)
        venue.value = f"Soak venue {number}"
    book.save(target)


def importer(
    run: Callable[..., subprocess.CompletedProcess[str]], folder: Path,
    every: float, tally: Tally, stop: threading.Event, last_imported: list[Path],
) -> None:  # fmt: skip
    """Every ``every`` seconds (from one start to the next) until ``stop``: import the last
    imported workbook changed once more; remember it in ``last_imported`` when it worked."""
    number = 0
    began = time.monotonic()
    while not stop.wait(max(0.0, began + (number + 1) * every - time.monotonic())):
        number += 1
        workbook = folder / f"import-{number:03d}.xlsx"
        changed_workbook(last_imported[-1], workbook, number)
        started = time.monotonic()
        try:
            result = run("import", str(workbook), timeout=IMPORT_TIMEOUT)
        except subprocess.TimeoutExpired:
            result = subprocess.CompletedProcess(
                [], -1, "", f"bench/soak: no exit within {IMPORT_TIMEOUT:g} s"
            )
        ended = time.monotonic()
        output = (result.stderr.strip() or result.stdout.strip()).splitlines()
        with tally.lock:
            tally.imports.append(
                ImportRun(
                    number, started, ended, result.returncode, output[0] if output else "",
                    len(result.stderr.strip().splitlines()), "Traceback" in result.stderr,
                )
            )  # fmt: skip
        if result.returncode == 0:
            last_imported.append(workbook)
        _say(f"import {number}: exit {result.returncode} in {ended - started:.1f} s")


def _machine_ticks() -> tuple[int, int]:
    """All CPU time and the idle part of it, in ticks, from /proc/stat."""
    fields = [int(n) for n in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return sum(fields), fields[3] + fields[4]  # idle and iowait


def _process_ticks(pid: int) -> int:
    """A process's CPU time (user and system) in ticks, from /proc/PID/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def monitor(pid: int, tally: Tally, stop: threading.Event) -> None:
    """Every second until ``stop``: how busy the machine's CPUs were and how much CPU ``pid``
    (lcpg serve) used, to tell a slow server from a busy machine."""
    import os

    tick = os.sysconf("SC_CLK_TCK")
    try:
        total, idle = _machine_ticks()
        used = _process_ticks(pid)
        while not stop.wait(1.0):
            now = time.monotonic()
            new_total, new_idle = _machine_ticks()
            new_used = _process_ticks(pid)
            spent = max(1, new_total - total)
            busy = 1 - (new_idle - idle) / spent
            cores = (new_used - used) / tick
            with tally.lock:
                tally.cpu.append((now, busy, cores))
            total, idle, used = new_total, new_idle, new_used
    except OSError:  # the server exited: the main loop notices
        return


def restart_postgresql(
    server: Any, at: float, outage: float, tally: Tally, stop: threading.Event
) -> None:
    """Stop PostgreSQL at once about ``at`` seconds from now, start it again ``outage`` seconds
    later (even when ``stop`` is set meanwhile: the checks at the end need it).

    The stop is moved earlier (by at most a minute) so that the outage spans the turn of a
    minute: the scheduler, running the weekly send every minute, then finds its job store
    gone."""
    wall = time.time() + at
    at = max(0.0, at + (wall // 60) * 60 - outage / 2 - wall)
    if stop.wait(at):
        return
    with tally.lock:
        tally.outage_started = time.monotonic()
    _say("PostgreSQL: stopping (immediate)")
    server.stop()
    down = time.monotonic()
    stop.wait(outage)
    _say("PostgreSQL: starting")
    server.start()
    with tally.lock:
        tally.outage = (down, time.monotonic())
    _say("PostgreSQL: answering again")


# ---------------------------------------------------------------------------------------------
# The report.


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` in 0..1) of ``values``, which are sorted."""
    if not values:
        return float("nan")
    rank = max(0, min(len(values) - 1, round(share * len(values) + 0.5) - 1))
    return values[rank]


def peak_rss_mib(pid: int, field: str = "VmHWM") -> float | None:
    """The peak resident memory (``VmHWM``; ``VmRSS``: the current one) of a running process,
    in MiB."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    return None


def workbook_rows(path: Path) -> dict[str, Counter[tuple[str, ...]]]:
    """Every sheet's data rows, as text, regardless of order."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    sheets = {
        sheet.title: Counter(
            tuple("" if v is None else str(v) for v in row)
            for row in sheet.iter_rows(min_row=2, values_only=True)
        )
        for sheet in book.worksheets
    }
    book.close()
    return sheets


def compare_workbooks(expected: Path, actual: Path) -> list[str]:
    """The differences between two workbooks' rows, sheet by sheet (empty when equal)."""
    want, got = workbook_rows(expected), workbook_rows(actual)
    differences = []
    for sheet in sorted(set(want) | set(got)):
        missing = want.get(sheet, Counter()) - got.get(sheet, Counter())
        extra = got.get(sheet, Counter()) - want.get(sheet, Counter())
        if missing or extra:
            differences.append(
                f"{sheet}: {sum(missing.values())} rows missing, {sum(extra.values())} extra"
            )
    return differences


@dataclass
class Ending:
    """What was found at the end, after the clients stopped."""

    outbox: dict[str, int]
    stored_ids: set[str]
    register: list[str]
    check_exit: int
    check_line: str
    rows: dict[str, int]
    serve_mib: float | None
    scheduler_mib: float | None
    # Resident memory (MiB) at every progress line: growth would show a leak.
    serve_rss: list[float]
    scheduler_rss: list[float]
    serve_tracebacks: int
    scheduler_tracebacks: int
    scheduler_failures: int
    scheduler_runs: int
    job_store_errors: int


def report(
    tally: Tally, counter: MessageCounter, ending: Ending, seconds: float, options: Any
) -> tuple[str, bool]:
    """The report as Markdown, and whether everything but the documented 503s went well."""
    kinds: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in tally.outcomes:
        kinds[outcome.kind].append(outcome)
    lines = [
        "| requests | served | statuses | p50 | p95 | p99 | max |",
        "|---|---|---|---|---|---|---|",
    ]
    unexpected: Counter[str] = Counter()
    documented_503 = 0
    for kind in sorted(kinds):
        outcomes = kinds[kind]
        statuses = Counter(str(o.status) for o in outcomes)
        times = sorted(o.seconds for o in outcomes if isinstance(o.status, int))
        served = sum(1 for o in outcomes if isinstance(o.status, int))
        for o in outcomes:
            if o.status == 503 and tally.in_outage(o.started, o.started + o.seconds):
                documented_503 += 1
            elif (
                not isinstance(o.status, int)
                or o.status >= 400
                or (o.status in (302, 303) and kind != "dashboard: login")
            ):
                unexpected[f"{kind}: {o.status}"] += 1
        shown = ", ".join(f"{status} x{n:,}" for status, n in sorted(statuses.items()))
        lines.append(
            f"| {kind} | {served:,} | {shown} | {_ms(percentile(times, 0.5))} "
            f"| {_ms(percentile(times, 0.95))} | {_ms(percentile(times, 0.99))} "
            f"| {_ms(times[-1] if times else float('nan'))} |"
        )
    total = len(tally.outcomes)
    slow = [o for o in tally.outcomes if isinstance(o.status, int) and o.seconds > SLOW]
    slow_in_import = sum(
        1
        for o in slow
        if any(r.started <= o.started + o.seconds and o.started <= r.ended for r in tally.imports)
    )
    imports_ok = [r for r in tally.imports if r.exit_code == 0]
    failed = [r for r in tally.imports if r.exit_code != 0]
    failed_in_outage = [r for r in failed if tally.in_outage(r.started, r.ended)]
    failed_otherwise = [r for r in failed if r not in failed_in_outage]
    tracebacks = sum(r.traceback for r in tally.imports)
    import_seconds = sorted(r.ended - r.started for r in tally.imports)
    received = sum(counter.ids.values())
    duplicates = sum(n - 1 for n in counter.ids.values() if n > 1)
    duplicate_recipients = sum(n - 1 for n in counter.recipients.values() if n > 1)
    not_received = ending.stored_ids - set(counter.ids)
    unsent = sum(n for status, n in ending.outbox.items() if status != "sent")
    if tally.outage:
        down, up = tally.outage
        back = [
            o.started - up
            for o in tally.outcomes
            if o.kind == "dashboard: overview" and o.started > up and o.status == 200
        ]
        outage_line = (
            f"PostgreSQL stopped (immediate) at {down - STARTED_RUN[0]:.0f} s for "
            f"{up - down:.0f} s; {documented_503:,} requests answered 503 while it was down "
            f"or within {RECOVERY_GRACE:.0f} s after (documented); the first overview page "
            f"after its start was served {min(back):.1f} s later."
            if back
            else "PostgreSQL restarted, but no overview page was served after it."
        )
        during: dict[str, Counter[str]] = defaultdict(Counter)
        for o in tally.outcomes:
            if down <= o.started <= up:
                during[o.kind][str(o.status)] += 1
        outage_line += " While it was down: " + "; ".join(
            f"{kind} " + ", ".join(f"{status} x{n:,}" for status, n in sorted(statuses.items()))
            for kind, statuses in sorted(during.items())
        )
    else:
        outage_line = "PostgreSQL was not restarted (the run ended first)."
    ok = (
        not unexpected
        and not failed_otherwise
        and not tracebacks
        and duplicates == 0
        and duplicate_recipients == 0
        and not not_received
        and unsent == 0
        and received > 0
        and not ending.register
        and ending.check_exit == 0
        and ending.serve_tracebacks == 0
        and ending.scheduler_tracebacks == 0
        and bool(imports_ok)
    )
    errors = (
        ", ".join(f"{what} x{n:,}" for what, n in sorted(unexpected.items()))
        if unexpected
        else "none"
    )
    text = "\n".join(
        [
            f"- run: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}, "
            f"{seconds / 60:.1f} minutes; {options.feed_clients} feed clients "
            f"(a request every {options.feed_pause:g} s each, on average), "
            f"{options.dashboard_clients} dashboard clients (every {options.dashboard_pause:g} s)"
            f", `lcpg serve --threads {options.threads}`",
            f"- requests: {total:,} ({total / seconds:,.1f} a second); "
            f"errors other than the documented 503: {errors}",
            f"- slow: {len(slow):,} responses took over {SLOW:g} s, {slow_in_import:,} of them "
            f"while an import was running; {_cpu_share(tally, slow)}",
            f"- outage: {outage_line}",
            f"- dashboard logins: {tally.logins['done']:,} done, "
            f"{tally.logins['failed']:,} failed (each client logs in once)",
            f"- imports: {len(imports_ok)} done, {len(failed)} failed "
            f"({len(failed_in_outage)} while PostgreSQL was down, "
            f"{len(failed_otherwise)} otherwise; {tracebacks} with a traceback); "
            f"each took {_s(percentile(import_seconds, 0.5))} (median), "
            f"{_s(import_seconds[-1] if import_seconds else float('nan'))} at most"
            + "".join(
                f"; failed: {r.message!r} ({r.lines} line{'' if r.lines == 1 else 's'} of error)"
                for r in failed[:3]
            ),
            f"- e-mails: {received} delivered, {len(counter.ids)} distinct Message-IDs, "
            f"{duplicates} duplicates ({duplicate_recipients} by recipient and subject); "
            f"outbox at the end: {_counts(ending.outbox)}; "
            f"{len(not_received)} marked sent but never received; "
            f"the scheduler ran the weekly send {_times(ending.scheduler_runs)}, "
            f"{ending.scheduler_failures} failed; it found its job store unreachable "
            f"{_times(ending.job_store_errors)} (logged as a warning, tried again)",
            "- register: "
            + (
                "intact: `lcpg export` at the end equals the last imported workbook, row for row"
                if not ending.register
                else "**differs** from the last imported workbook: " + "; ".join(ending.register)
            )
            + f" ({_counts(ending.rows)}); `lcpg check` exit {ending.check_exit}"
            f" ({ending.check_line})",
            f"- peak memory: `lcpg serve` {_mib(ending.serve_mib)}, "
            f"`lcpg scheduler run` {_mib(ending.scheduler_mib)}; resident after the first "
            f"half minute and at the end: {_trend(ending.serve_rss)} and "
            f"{_trend(ending.scheduler_rss)}; tracebacks in their logs: "
            f"{ending.serve_tracebacks} and {ending.scheduler_tracebacks}",
            f"- result: {'**passed**' if ok else '**failed**'}",
            "",
            *lines,
        ]
    )
    return text, ok


STARTED_RUN = [0.0]  # monotonic time the load started, for the report's offsets


def _ms(seconds: float) -> str:
    return "-" if seconds != seconds else f"{seconds * 1000:,.0f} ms"


def _s(seconds: float) -> str:
    return "-" if seconds != seconds else f"{seconds:.1f} s"


def _mib(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} MiB"


def _cpu_share(tally: Tally, slow: list[Outcome]) -> str:
    """How busy the machine and the server were while slow responses were awaited, against
    the whole run."""
    if not tally.cpu:
        return "no CPU figures"

    def during(o: Outcome, sample: tuple[float, float, float]) -> bool:
        return o.started <= sample[0] and sample[0] - 1.0 <= o.started + o.seconds

    def mean(samples: list[tuple[float, float, float]], index: int) -> float:
        return sum(c[index] for c in samples) / len(samples)

    whole = (
        f"over the whole run the machine's CPUs were {mean(tally.cpu, 1):.0%} busy "
        f"and `lcpg serve` used {mean(tally.cpu, 2):.2f} cores"
    )
    overlapping = [c for c in tally.cpu if any(during(o, c) for o in slow)]
    if not overlapping:
        return whole
    return (
        f"during those {len(overlapping)} seconds the machine's CPUs were "
        f"{mean(overlapping, 1):.0%} busy and `lcpg serve` used {mean(overlapping, 2):.2f} "
        f"cores; {whole}"
    )


def _trend(samples: list[float]) -> str:
    return f"{samples[0]:.0f} -> {samples[-1]:.0f} MiB" if samples else "-"


def _times(count: int) -> str:
    return {0: "no times", 1: "once", 2: "twice"}.get(count, f"{count:,} times")


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {what}" for what, n in sorted(counts.items())) or "empty"


# ---------------------------------------------------------------------------------------------
# BENCHMARKS.md's section, kept by bench/run.


def _section_span(text: str) -> tuple[int, int] | None:
    """Where the "Soak" section of ``text`` starts and ends: from its heading to the next
    heading of its level (other sections, such as the hostile calendars', follow it), or to
    the end."""
    start = text.find(f"\n{SECTION}\n")
    if start < 0:
        return None
    following = text.find("\n## ", start + 1 + len(SECTION))
    return start + 1, following + 1 if following >= 0 else len(text)


def section_of(text: str) -> str:
    """The "Soak" section of BENCHMARKS.md's ``text``, or ""."""
    span = _section_span(text)
    return text[span[0] : span[1]] if span else ""


def with_section(text: str, section: str) -> str:
    """``text`` with its "Soak" section replaced by ``section`` (or ``section`` appended),
    the sections after it kept."""
    span = _section_span(text)
    if span is None:
        return text.rstrip("\n") + "\n\n" + section.rstrip("\n") + "\n"
    before, after = text[: span[0]], text[span[1] :]
    return before + section.rstrip("\n") + "\n" + ("\n" + after if after else "")


def machine() -> str:
    import os
    import platform

    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GiB, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


# ---------------------------------------------------------------------------------------------
# The run.


@contextlib.contextmanager
def postgresql() -> Iterator[Any]:
    """The fault tests' private PostgreSQL server, started; exits with a message when it
    cannot be had (no server binaries, or root without a ``postgres`` user)."""
    import pytest

    from tests.faults.private_postgresql import private_postgresql

    try:
        with private_postgresql() as server:
            yield server
    except pytest.skip.Exception as exc:
        raise SystemExit(f"bench/soak: {exc.msg}") from None


def wait_until(condition: Callable[[], bool], what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"bench/soak: {what}: not within {timeout:g} s")
        time.sleep(0.2)


def outbox_state(url: str) -> tuple[dict[str, int], set[str], dict[str, int]]:
    """The outbox's messages by status, the Message-IDs of those sent, and the register's row
    counts, read straight from the database."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            statuses = {
                str(status): int(count)
                for status, count in connection.execute(
                    text("SELECT status, count(*) FROM outbox GROUP BY status")
                )
            }
            parser = email.parser.HeaderParser()
            ids = {
                str(parser.parsestr(message).get("Message-ID", "")).strip()
                for (message,) in connection.execute(
                    text("SELECT message FROM outbox WHERE status = 'sent'")
                )
            }
            rows = {
                table: int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
                for table in ("people", "memberships", "meetings", "attendance")
            }
    finally:
        engine.dispose()
    return statuses, ids, rows


def soak(options: argparse.Namespace) -> tuple[str, bool]:
    from aiosmtpd.controller import Controller

    from tests.e2e.server import free_port, lcpg_command, start_lcpg
    from tests.faults.processes import environment

    seconds = options.minutes * 60
    with tempfile.TemporaryDirectory(prefix="lcpg-soak-") as name, postgresql() as server:
        folder = Path(name)
        smtp_port = free_port()
        env = environment(
            server.url(),
            LCPG_DASHBOARD_PASSWORD=PASSWORD,
            LCPG_INSECURE_COOKIES="1",
            LCPG_PUBLIC_URL=PUBLIC_URL,
            LCPG_SMTP_URL=f"smtp://127.0.0.1:{smtp_port}",
            LCPG_WEEKLY_CRON="* * * * *",
            LCPG_FEEDS_DIR=str(folder / "nightly-feeds"),
        )

        def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [lcpg_command(), *args], cwd=folder, env=env, capture_output=True, text=True,
                timeout=timeout, check=False,
            )  # fmt: skip

        def must(*args: str) -> str:
            result = run(*args)
            if result.returncode != 0:
                raise SystemExit(f"bench/soak: lcpg {' '.join(args)} failed:\n{result.stderr}")
            return result.stdout

        _say(f"PostgreSQL on port {server.port}; loading the demo register")
        must("demo")
        first = folder / "import-000.xlsx"
        must("export", str(first))
        token_line = must("feeds", "token", "create", PERSON, "--base-url", PUBLIC_URL + "/feeds")
        token = re.search(r"/feeds/p/([A-Za-z0-9_-]+)\.ics", token_line)
        if token is None:
            raise SystemExit(f"bench/soak: no feed address in {token_line!r}")

        counter = MessageCounter()
        smtp = Controller(counter, hostname="127.0.0.1", port=smtp_port)
        smtp.start()
        port = free_port()
        serve_log = folder / "serve.log"
        scheduler_log = folder / "scheduler.log"
        serve = start_lcpg(
            "serve", "--port", str(port), "--threads", str(options.threads),
            cwd=folder, env=env, log=serve_log,
        )  # fmt: skip
        scheduler = start_lcpg("scheduler", "run", cwd=folder, env=env, log=scheduler_log)
        tally = Tally()
        stop = threading.Event()
        threads: list[threading.Thread] = []
        try:
            probe = Client(port, tally)

            def feeds_listed() -> bool:
                if serve.poll() is not None:
                    raise SystemExit("bench/soak: lcpg serve exited:\n" + serve_log.read_text())
                answer = probe.request("probe", "/feeds/", record=False)
                return answer is not None and answer[0] == 200

            wait_until(feeds_listed, "lcpg serve answering", 60)
            index = probe.request("probe", "/feeds/", record=False)
            assert index is not None
            probe.close()
            slugs = sorted(set(re.findall(rb"/feeds/([a-z0-9-]+)\.ics", index[2])))
            paths = [
                ("feed: county" if s == b"county" else "feed: body", f"/feeds/{s.decode()}.ics")
                for s in slugs
            ]  # fmt: skip
            # The county feed and the personal one as often as all the body feeds together.
            paths += [("feed: county", "/feeds/county.ics")] * max(1, len(slugs) // 2)
            paths += [("feed: personal", f"/feeds/p/{token[1]}.ics")] * max(1, len(slugs) // 2)
            _say(f"serving on port {port}: {len(slugs)} feeds; starting the clients")

            STARTED_RUN[0] = time.monotonic()
            last_imported = [first]
            threads = [
                threading.Thread(
                    target=feed_client,
                    args=(port, paths, options.feed_pause, n, tally, stop),
                    name=f"feed-{n}",
                )
                for n in range(options.feed_clients)
            ]
            threads += [
                threading.Thread(
                    target=dashboard_client,
                    args=(port, options.dashboard_pause, 1000 + n, tally, stop),
                    name=f"dashboard-{n}",
                )
                for n in range(options.dashboard_clients)
            ]
            threads.append(threading.Thread(target=monitor, args=(serve.pid, tally, stop)))
            threads.append(
                threading.Thread(
                    target=importer,
                    args=(run, folder, options.import_every, tally, stop, last_imported),
                    name="importer",
                )
            )
            if options.outage > 0:
                threads.append(
                    threading.Thread(
                        target=restart_postgresql,
                        args=(server, seconds / 2, options.outage, tally, stop),
                        name="restart",
                    )
                )
            for thread in threads:
                thread.start()
            deadline = STARTED_RUN[0] + seconds
            serve_rss: list[float] = []
            scheduler_rss: list[float] = []
            while time.monotonic() < deadline:
                time.sleep(min(30.0, max(0.0, deadline - time.monotonic())))
                if serve.poll() is not None or scheduler.poll() is not None:
                    _say("lcpg serve or the scheduler exited: stopping early")
                    break
                _say(f"{len(tally.outcomes):,} requests, {len(tally.imports)} imports, "
                     f"{sum(counter.ids.values())} e-mails")  # fmt: skip
                for process, samples in ((serve, serve_rss), (scheduler, scheduler_rss)):
                    if (rss := peak_rss_mib(process.pid, "VmRSS")) is not None:
                        samples.append(rss)
            stop.set()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - STARTED_RUN[0]

            # Let the scheduler send whatever is still pending (it runs every minute).
            _say("waiting for the scheduler to leave nothing pending")
            state: list[tuple[dict[str, int], set[str], dict[str, int]]] = []

            def drained() -> bool:
                state[:] = [outbox_state(server.url())]
                outbox = state[0][0]
                return bool(outbox) and set(outbox) <= {"sent"}

            with contextlib.suppress(SystemExit):
                wait_until(drained, "the outbox emptied", DRAIN_TIMEOUT)
            outbox, stored_ids, rows = state[0]
            serve_mib = peak_rss_mib(serve.pid)
            scheduler_mib = peak_rss_mib(scheduler.pid)
        finally:
            stop.set()
            for process in (serve, scheduler):
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
            smtp.stop()

        final = folder / "final.xlsx"
        must("export", str(final))
        register = compare_workbooks(last_imported[-1], final)
        check = run("check")
        check_lines = (check.stdout.strip() or check.stderr.strip()).splitlines()
        served_log = serve_log.read_text(encoding="utf-8")
        scheduled_log = scheduler_log.read_text(encoding="utf-8")
        if options.keep_logs:
            for log in (serve_log, scheduler_log):
                target = Path(options.keep_logs) / log.name
                target.write_text(log.read_text(encoding="utf-8"), encoding="utf-8")
            (Path(options.keep_logs) / "cpu.csv").write_text(
                "time,machine_busy,serve_cores\n"
                + "".join(
                    f"{t - STARTED_RUN[0]:.1f},{busy:.3f},{cores:.3f}\n"
                    for t, busy, cores in tally.cpu
                ),
                encoding="utf-8",
            )
            # Every request, for a closer look at the slow ones.
            (Path(options.keep_logs) / "requests.csv").write_text(
                "kind,started,status,seconds\n"
                + "".join(
                    f"{o.kind},{o.started - STARTED_RUN[0]:.3f},{o.status},{o.seconds:.4f}\n"
                    for o in tally.outcomes
                ),
                encoding="utf-8",
            )
        ending = Ending(
            outbox=outbox,
            stored_ids=stored_ids,
            register=register,
            check_exit=check.returncode,
            check_line=check_lines[0] if check_lines else "",
            rows=rows,
            serve_mib=serve_mib,
            scheduler_mib=scheduler_mib,
            serve_rss=serve_rss,
            scheduler_rss=scheduler_rss,
            serve_tracebacks=served_log.count("Traceback"),
            scheduler_tracebacks=scheduled_log.count("Traceback"),
            scheduler_failures=scheduled_log.count("weekly send failed"),
            scheduler_runs=scheduled_log.count("lcpg.scheduler: weekly send for"),
            job_store_errors=scheduled_log.count("Error getting due jobs"),
        )
        return report(tally, counter, ending, elapsed, options)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=10, help="how long (default 10)")
    parser.add_argument("--feed-clients", type=int, default=32)
    parser.add_argument("--dashboard-clients", type=int, default=8)
    parser.add_argument(
        "--feed-pause", type=float, default=0.5, help="seconds between a feed client's requests"
    )
    parser.add_argument(
        "--dashboard-pause",
        type=float,
        default=2.0,
        help="seconds between a dashboard client's requests",
    )
    parser.add_argument("--threads", type=int, default=8, help="lcpg serve --threads")
    parser.add_argument("--import-every", type=float, default=30, help="seconds (default 30)")
    parser.add_argument(
        "--outage", type=float, default=10, help="seconds PostgreSQL is down (0: no restart)"
    )
    parser.add_argument(
        "--keep-logs",
        metavar="FOLDER",
        help="copy the server's and the scheduler's logs here, and every request (requests.csv)",
    )
    parser.add_argument("--record", action="store_true", help="write the report into BENCHMARKS.md")
    options = parser.parse_args()
    text, ok = soak(options)
    sys.stdout.write(text + "\n")
    if options.record:
        path = ROOT / "BENCHMARKS.md"
        section = (
            f"{SECTION}\n\n"
            "Written by `.venv/bin/python bench/soak.py --record` (ten minutes; not in CI; "
            "`bench/run`\nkeeps this section). The script's docstring says what it runs; "
            "`--minutes 1` tries it.\n\n"
            f"- machine: {machine()}\n{text}\n"
        )
        path.write_text(with_section(path.read_text(encoding="utf-8"), section), "utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
