"""Threat: a calendar "file" that is endless or huge (``/dev/zero``, a pipe, a sparse file of
terabytes) given to ``lcpg ics import`` or ``lcpg terms import``. It is refused with one line
naming the path, after reading at most the 25 MB limit and a byte, never by reading it whole
(which took all the memory there is) or by waiting on a pipe for a writer.

Each command runs under an alarm, so a regression fails here instead of hanging the suite.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from calendars.ics_import import MAX_BYTES
from tests.cli.commands import run
from tests.time_limit import within

SECONDS = 20


@pytest.fixture(autouse=True)
def bounded() -> Iterator[None]:
    with within(SECONDS, "the import"):
        yield


def imports(db: str, path: Path) -> list[tuple[int, str]]:
    """The exit code and output of each command that reads a calendar file at ``path``
    (``terms import`` only takes a name ending ``.ics``)."""
    assert run(db, "init")[0] == 0
    results = [run(db, "ics", "import", str(path), "--body", "dover")]
    if path.suffix == ".ics":
        results.append(run(db, "terms", "import", str(path)))
    return results


def test_a_file_far_over_the_limit_is_refused_without_reading_it(db: str, tmp_path: Path) -> None:
    # Sparse: a terabyte that takes no disk, and would take all the memory to read whole.
    huge = tmp_path / "huge.ics"
    with huge.open("wb") as stream:
        stream.truncate(1 << 40)
    for code, out in imports(db, huge):
        assert code == 1, out
        assert str(huge) in out and "1048576.0 MB, more than the 25 MB" in out


def test_a_file_just_over_the_limit_is_refused(db: str, tmp_path: Path) -> None:
    over = tmp_path / "over.ics"
    over.write_bytes(b"BEGIN:VCALENDAR\r\n" + b" " * MAX_BYTES)
    for code, out in imports(db, over):
        assert code == 1, out
        assert str(over) in out and "more than the 25 MB" in out


def test_a_device_is_refused(db: str) -> None:
    for code, out in imports(db, Path("/dev/zero")):
        assert code == 1, out
        assert "/dev/zero" in out and "not a regular file" in out


def test_a_pipe_is_refused_without_waiting_for_a_writer(db: str, tmp_path: Path) -> None:
    pipe = tmp_path / "calendar.ics"
    os.mkfifo(pipe)
    for code, out in imports(db, pipe):
        assert code == 1, out
        assert str(pipe) in out and "not a regular file" in out


def test_a_folder_is_refused(db: str, tmp_path: Path) -> None:
    folder = tmp_path / "calendar.ics"
    folder.mkdir()
    for code, out in imports(db, folder):
        assert code == 2, out  # a usage error: the argument must name a file
        assert str(folder) in out and "is a directory" in out
