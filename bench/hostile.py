"""Hostile calendars (issue 13): ``lcpg ics import`` as a process on each calendar bomb, its
time and peak memory, against a normal Outlook export. Every bomb must end within seconds,
read or refused with one clear error, in bounded memory.

Each runs with ``--dry-run`` on an initialised SQLite database, so that every run reads the
same file into the same register; the first line of a refusal is shown as the outcome.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from bench.processes import Measured, lcpg_path, measure
from bench.results import Result

ROOT = Path(__file__).resolve().parent.parent
OUTLOOK = ROOT / "tests" / "fixtures" / "ics" / "outlook.ics"
AS_OF = "2026-11-22"
RUNS = 3
TARGET_SECONDS = 5.0
TARGET_MIB = 400.0
HEAD = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Example Org//Bench//EN"]


def _calendar(*lines: str) -> bytes:
    return "\r\n".join([*HEAD, *lines, "END:VCALENDAR", ""]).encode()


def _event(*lines: str, uid: str = "bomb@example.org") -> list[str]:
    return ["BEGIN:VEVENT", f"UID:{uid}", "SUMMARY:Bomb", *lines, "END:VEVENT"]


def _outlook() -> bytes:
    """A body's twelve years as Outlook exports them: its VTIMEZONE, and each year's series of
    six meetings (an Outlook event with a reminder, HTML description, folded lines) plus a
    dozen single meetings a year."""
    text = OUTLOOK.read_bytes().decode("utf-8")  # with its CRLF line ends
    start = text.index("BEGIN:VEVENT")
    head, first = text[:start], text[start : text.index("END:VEVENT", start) + len("END:VEVENT")]
    events = []
    for year in range(2015, 2027):
        series = first.replace("2018", str(year)).replace("030B6C1F", f"{year:08d}")
        events.append(series)
        for month in range(1, 13):
            single = re.sub(r"RRULE:[^\r\n]*\r\n|EXDATE[^\r\n]*\r\n", "", series)
            single = single.replace("0111T", f"{month:02d}20T").replace(
                f"{year:08d}", f"{year:04d}{month:04d}"
            )
            events.append(single)
    return (head + "\r\n".join(events) + "\r\nEND:VCALENDAR\r\n").encode()


def _vtimezone_secondly() -> bytes:
    zone = [
        "BEGIN:VTIMEZONE",
        "TZID:Bomb Zone",
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0000",
        "RRULE:FREQ=SECONDLY",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]
    meeting = _event('DTSTART;TZID="Bomb Zone":20260105T100000', "RRULE:FREQ=WEEKLY;COUNT=10")
    return _calendar(*zone, *meeting)


def _hourly_series() -> bytes:
    series = [
        line
        for number in range(200)
        for line in _event(
            f"DTSTART:20260101T{number % 24:02d}0000Z",
            "RRULE:FREQ=HOURLY;INTERVAL=3;COUNT=9000",
            uid=f"hourly{number}@example.org",
        )
    ]
    return _calendar(*series)


def _folded() -> bytes:
    folded = "DESCRIPTION:" + "a" * 60 + "".join("\r\n " + "a" * 10 for _ in range(1_000_000))
    return _calendar(*_event("DTSTART:20260101T100000Z", folded))


def _large(repeats: int = 8) -> bytes:
    """24 MB of single events, each with a description ``repeats`` sentences long: under the
    size limit; with short descriptions, over the events' budget."""
    description = "DESCRIPTION:" + "Agenda and papers. " * repeats
    events: list[str] = []
    size = 0
    number = 0
    while size < 24 * 1024 * 1024 - 1000:
        block = _event(
            f"DTSTART:2026{number % 12 + 1:02d}{number % 28 + 1:02d}T{number % 24:02d}0000Z",
            description,
            uid=f"large{number}@example.org",
        )
        size += sum(len(line) + 2 for line in block)
        events += block
        number += 1
    return _calendar(*events)


CALENDARS: dict[str, Callable[[], bytes]] = {
    "normal Outlook export (12 years of meetings)": _outlook,
    "SECONDLY with a date UNTIL": lambda: _calendar(
        *_event("DTSTART:20260101T100000Z", "RRULE:FREQ=SECONDLY;UNTIL=20270101")
    ),
    "MINUTELY with a local-time UNTIL": lambda: _calendar(
        *_event("DTSTART:20260101T100000Z", "RRULE:FREQ=MINUTELY;UNTIL=20270101T000000")
    ),
    "SECONDLY rule in a VTIMEZONE": _vtimezone_secondly,
    "200 HOURLY series, each under the budget": _hourly_series,
    "never-matching BYMONTH=2;BYMONTHDAY=31": lambda: _calendar(
        *_event("DTSTART:20260131T100000Z", "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31")
    ),
    "rarely matching DAILY;BYSETPOS=2": lambda: _calendar(
        *_event("DTSTART:20260105T100000Z", "RRULE:FREQ=DAILY;BYSETPOS=2")
    ),
    "DAILY leap days begun in the year 1": lambda: _calendar(
        *_event("DTSTART:00010101T100000Z", "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29")
    ),
    "a line folded a million times": _folded,
    "24 MB of events": _large,
    "24 MB in 9,000 events with long descriptions": lambda: _large(140),
}


def run() -> list[Result]:
    results = []
    peaks: list[tuple[float, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'hostile.db'}"
        measure([lcpg_path(), "--db", url, "init"])
        for number, (what, build) in enumerate(CALENDARS.items()):
            path = Path(folder) / f"calendar{number}.ics"
            path.write_bytes(build())
            output = Path(folder) / f"output{number}.txt"
            command = [
                lcpg_path(), "--db", url, "ics", "import", str(path), "--body", "lcpg-dover",
                "--as-of", AS_OF, "--dry-run",
            ]  # fmt: skip
            measured = measure(command, RUNS, stdout=output, exits=(0, 1), stderr=output)
            results.append(_result(what, path, measured, output.read_text(encoding="utf-8")))
            peaks.append((measured.peak_mib, what))
    peak, worst = max(peaks)
    results.append(
        Result(
            "ics import, hostile calendars: largest peak memory",
            peak,
            TARGET_MIB,
            RUNS,
            f"{worst}; target {TARGET_MIB:.0f} MiB",
            unit="MiB",
        )
    )
    return results


def _result(what: str, path: Path, measured: Measured, output: str) -> Result:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    problem = next((line for line in lines if line.startswith(str(path))), "")
    if problem:
        outcome = "refused: " + problem[len(str(path)) :].lstrip(", :")[:110]
        if "problem" in lines[0] and len(lines) > 1:
            outcome = "refused: " + lines[1].split(": ", 1)[-1][:110]
    else:
        outcome = "read: " + (lines[-1][:110] if lines else "")
    size = path.stat().st_size
    shown = f"{size / 1024 / 1024:.1f} MB" if size > 100_000 else f"{size:,} bytes"
    return Result(
        f"ics import, hostile: {what}",
        measured.seconds,
        TARGET_SECONDS,
        measured.runs,
        f"{shown}; peak {measured.peak_mib:.0f} MiB; {outcome.replace('|', '/')}",
    )
