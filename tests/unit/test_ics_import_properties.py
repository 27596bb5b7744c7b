"""Property tests of read_calendar: any bytes, and real calendar exports mangled at random (cut,
lines dropped, repeated or swapped, text pasted in), either give events that keep the contract
or the module's own ``InputError`` naming the file and a line of it; never another exception.
"""

from __future__ import annotations

from datetime import date, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calendars.ics_import import CalendarRead, read_calendar
from lcpg.errors import InputError
from tests.conftest import FIXTURES

LONDON = ZoneInfo("Europe/London")
WINDOW = (date(2008, 3, 20), date(2020, 3, 20))
SOURCE = "calendar.ics"
REAL = {
    name: (FIXTURES / "ics" / name).read_bytes()
    for name in ("outlook.ics", "google.ics", "apple.ics", "duplicates.ics")
}
EXAMPLES = settings(max_examples=100, deadline=None)


def read_or_refuse(data: bytes) -> CalendarRead | None:
    """The events of ``data``, checked against read_calendar's contract, or None when it was
    refused as it says it would be."""
    try:
        read = read_calendar(data, SOURCE, LONDON, WINDOW, time(10, 0), 120)
    except InputError as error:
        assert error.source == SOURCE
        assert error.problems
        lines = data.count(b"\n") + data.count(b"\r") + 1
        for problem in error.problems:
            assert problem.file == SOURCE, problem
            assert problem.row is None or 1 <= problem.row <= lines, problem
            assert problem.column is None, problem
        return None
    starts = [event.start for event in read.events]
    assert starts == sorted(set(starts))
    for event in read.events:
        assert WINDOW[0] <= event.start.date() <= WINDOW[1]
        assert event.start < event.end
        assert event.start.tzinfo is None and event.end.tzinfo is None
    return read


@EXAMPLES
@given(st.binary(max_size=2000))
def test_any_bytes_give_events_or_the_modules_own_error(data: bytes) -> None:
    read_or_refuse(data)


@st.composite
def mangled(draw: st.DrawFn) -> bytes:
    """A real export with one to three random edits to its lines or bytes."""
    data = REAL[draw(st.sampled_from(sorted(REAL)))]
    for _ in range(draw(st.integers(1, 3))):
        lines = data.split(b"\r\n")
        edit = draw(st.sampled_from(["cut", "drop", "repeat", "swap", "paste", "bytes"]))
        at = draw(st.integers(0, len(lines) - 1))
        if edit == "cut":
            data = data[: draw(st.integers(0, len(data)))]
            continue
        if edit == "drop":
            del lines[at]
        elif edit == "repeat":
            lines.insert(at, lines[at])
        elif edit == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif edit == "paste":
            lines.insert(at, draw(st.text(max_size=40)).encode("utf-8", "surrogatepass"))
        else:
            lines[at] = lines[at] + draw(st.binary(min_size=1, max_size=8))
        data = b"\r\n".join(lines)
    return data


@EXAMPLES
@given(mangled())
def test_a_mangled_export_gives_events_or_the_modules_own_error(data: bytes) -> None:
    read_or_refuse(data)


@pytest.mark.parametrize("name", sorted(REAL))
def test_the_real_exports_themselves_are_read(name: str) -> None:
    read = read_or_refuse(REAL[name])
    assert read is not None and read.events
