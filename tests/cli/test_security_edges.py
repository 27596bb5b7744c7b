"""Edges that used to end in a traceback (issue 13, point 9): standard output that cannot be
written, database files that are not lcpg databases or are damaged, dates at the edges of the
calendar, and a read-only database. Each ends in one line naming what is wrong, exit status 1
(2 for a bad argument), and the database as it was.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from subprocess import CompletedProcess
from typing import Any

import pytest

from tests.cli.commands import run

ROOT = Path(__file__).resolve().parents[2]
RUN_LCPG = "from cli import main; main(prog_name='lcpg')"


def lcpg(database: Path, *args: str, stdout: Any = subprocess.PIPE) -> CompletedProcess[bytes]:
    """The real ``lcpg --db sqlite:///DATABASE ARGS...`` in a process of its own, run in the
    database's folder, so that standard output is the real file or pipe ``stdout``."""
    return subprocess.run(
        [sys.executable, "-c", RUN_LCPG, "--db", f"sqlite:///{database}", *args],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=database.parent,
        stdout=stdout,
        stderr=subprocess.PIPE,
        check=False,
    )


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite register that ``lcpg init`` has made."""
    database = tmp_path_factory.mktemp("register") / "lcpg.db"
    assert lcpg(database, "init", stdout=subprocess.DEVNULL).returncode == 0
    return database


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_a_full_disk_under_standard_output_is_one_line(register: Path) -> None:
    with Path("/dev/full").open("wb") as full:
        result = lcpg(register, "bodies", "list", stdout=full)
    assert result.returncode == 1
    assert result.stderr.decode() == (
        "Error: could not write the output: No space left on device\n"
    )


def test_a_closed_pipe_ends_quietly(register: Path) -> None:
    read, write = os.pipe()
    os.close(read)
    try:
        result = lcpg(register, "bodies", "list", "--format", "json", stdout=write)
    finally:
        os.close(write)
    assert result.returncode == 1
    assert result.stderr == b""


# Database files ------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"


@pytest.fixture(scope="module")
def register_bytes(register: Path) -> bytes:
    """The bytes of a register that ``lcpg init`` made (with its write-ahead log merged)."""
    with sqlite3.connect(register) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return register.read_bytes()


def a_file(folder: Path, content: bytes) -> tuple[Path, str]:
    path = folder / "register.db"
    path.write_bytes(content)
    return path, f"sqlite:///{path}"


@pytest.mark.parametrize("command", [["members", "list"], ["check"], ["init"]])
@pytest.mark.parametrize(
    ("content", "error"),
    [
        (
            b"name,email\nAda,ada@example.org\n",
            "is not an lcpg database (not a SQLite database file)",
        ),
        (PNG, "is not an lcpg database (not a SQLite database file)"),
        (b"SQLite format", "is not an lcpg database (not a SQLite database file)"),
        (None, "is damaged (database disk image is malformed): restore it from a backup"),
    ],
    ids=["text", "image", "cut-in-the-header", "truncated"],
)
def test_a_file_that_is_no_register_is_one_line_and_left_alone(
    tmp_path: Path, register_bytes: bytes, command: list[str], content: bytes | None, error: str
) -> None:
    path, url = a_file(tmp_path, register_bytes[:5000] if content is None else content)
    before = path.read_bytes()
    code, output = run(url, *command)
    assert (code, output) == (1, f"Error: {path} {error}\n")
    assert path.read_bytes() == before


def test_another_programs_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
    before = path.read_bytes()
    for command in (["members", "list"], ["init"]):
        code, output = run(f"sqlite:///{path}", *command)
        assert code == 1
        assert output.startswith(
            f"Error: {path} is not an lcpg database (it holds another program's tables)"
        )
    assert path.read_bytes() == before


def test_an_empty_file_is_not_written_by_a_read(tmp_path: Path) -> None:
    path, url = a_file(tmp_path, b"")
    code, output = run(url, "members", "list")
    assert code == 1
    assert "is not set up yet: run `lcpg init`" in output
    assert path.read_bytes() == b""
    assert run(url, "init")[0] == 0  # an empty file is an empty database: init sets it up


def with_a_damaged_page(register: Path, table: str) -> bytes:
    """The bytes of ``register`` with the first page of ``table`` overwritten by garbage."""
    with sqlite3.connect(register) as connection:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        (root,) = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)
        ).fetchone()
    content = register.read_bytes()
    start = (root - 1) * page_size
    garbage = bytes((index * 37 + 11) % 256 for index in range(page_size))
    return content[:start] + garbage + content[start + page_size :]


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_damaged_page_is_found_in_a_register_that_is_not_yours(
    tmp_path: Path, register: Path, register_bytes: bytes
) -> None:
    # The outbox is a table `members list` does not read: only a full check finds the damage.
    path, url = a_file(tmp_path, with_a_damaged_page(register, "outbox"))
    before = path.read_bytes()
    assert run(url, "members", "list")[0] == 0  # our own file: not read in full every time
    code, output = run(url, "init")  # init reads it all before changing anything
    assert code == 1
    assert output.startswith(f"Error: {path} is damaged (")
    assert output.endswith("): restore it from a backup\n")
    os.chown(path, 65534, 65534)  # somebody else's: read in full before use
    assert run(url, "members", "list") == (code, output)
    assert path.read_bytes() == before


# A read-only database ------------------------------------------------------------------------

READS = [["members", "list"], ["bodies", "list"], ["check"], ["history"]]


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_register_answers_reads_and_refuses_writes(
    tmp_path: Path, register_bytes: bytes, what: str
) -> None:
    # Root may write anything, so lcpg goes by the permissions themselves (chmod a-w).
    path, url = a_file(tmp_path, register_bytes)
    locked = path if what == "file" else tmp_path
    locked.chmod(0o444 if what == "file" else 0o555)
    try:
        for command in READS:
            code, output = run(url, *command)
            assert code == 0, output
        code, output = run(url, "bodies", "set", "lcpg-sevenoaks", "--venue", "Town Hall")
        assert (code, output) == (
            1,
            f"Error: the database {path} is read-only (its file or folder is not writable), "
            "so nothing was written\n",
        )
        assert path.read_bytes() == register_bytes
        if what == "folder":
            assert sorted(p.name for p in tmp_path.iterdir()) == ["register.db"]
    finally:
        locked.chmod(0o755)


# Dates at the edges of the calendar ----------------------------------------------------------

OUTSIDE = "is outside the dates lcpg accepts (1900-01-01 to 2999-12-31)"


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--as-of", "0001-01-01"],
        ["check", "--as-of", "9999-12-31"],
        ["bodies", "list", "--as-of", "1899-12-31"],
        ["meetings", "list", "--to", "9999-12-31"],
        ["email", "preview", "--week", "9999-W52"],
        ["email", "preview", "--week", "1899-W52"],
        ["plan", "--year", "2999", "--chwb", "9999-12-31T23:00"],
        ["ics", "import", "x.ics", "--body", "lcpg-sevenoaks", "--as-of", "0001-01-01"],
    ],
    ids=lambda args: " ".join(args),
)
def test_a_date_outside_the_range_is_a_bad_argument(register: Path, args: list[str]) -> None:
    code, output = run(f"sqlite:///{register}", *args)
    assert code == 2, output
    assert f"'{args[-1]}' {OUTSIDE}" in output


@pytest.mark.parametrize("as_of", ["1900-01-01", "2999-12-31"])
@pytest.mark.parametrize("args", [["check"], ["bodies", "list"], ["members", "list"]], ids=" ".join)
def test_the_first_and_last_accepted_dates_work(
    register: Path, args: list[str], as_of: str
) -> None:
    code, output = run(f"sqlite:///{register}", *args, "--as-of", as_of)
    assert code == 0, output


@pytest.mark.parametrize("week", ["1900-W01", "2999-W52"])
def test_the_first_and_last_weeks_compose(register: Path, tmp_path: Path, week: str) -> None:
    code, output = run(
        f"sqlite:///{register}", "email", "preview", "--week", week, "--out", str(tmp_path)
    )
    assert code == 0, output


@pytest.mark.parametrize("check", ["999999999999999999999", "9223372036854775808", "0"])
def test_a_check_number_no_database_can_hold_is_not_found(register: Path, check: str) -> None:
    code, output = run(f"sqlite:///{register}", "history", "show", check)
    assert (code, output) == (1, f"Error: no recorded check {check} (see `lcpg history`)\n")


def test_a_read_only_register_serves_the_dashboard_and_feeds(
    tmp_path: Path, register_bytes: bytes
) -> None:
    """``lcpg serve``'s pages and feeds answer from a register opened read-only (as root, a
    guard that the read-only opening serves them, not a failure before it)."""
    from lcpg.bootstrap import App, Settings
    from lcpg.web.app import WebSettings, create_app

    path, url = a_file(tmp_path, register_bytes)
    path.chmod(0o444)
    app = App(Settings.resolve(database_url=url))
    try:
        client = create_app(app, WebSettings.for_tests()).test_client()
        for page in ("/", "/feeds/", "/feeds/county.ics"):
            assert client.get(page).status_code == 200, page
    finally:
        app.close()
        path.chmod(0o644)
    assert path.read_bytes() == register_bytes


@pytest.mark.parametrize(
    "args",
    [("init",), ("bodies", "list"), ("check",)],
    ids=["init", "bodies-list", "check"],
)
def test_a_database_server_that_is_not_there_is_one_line(args: tuple[str, ...]) -> None:
    # psycopg's message goes on with a hint on a second line ("Is the server running on that
    # host..."); every command, `lcpg init` included, says the driver's first line only.
    from tests.e2e.server import free_port

    url = f"postgresql+psycopg://lcpg@127.0.0.1:{free_port()}/lcpg"
    code, output = run(url, *args)
    assert code == 1
    assert output.startswith("Error: cannot ")
    assert "Connection refused" in output
    assert len(output.strip().splitlines()) == 1, output
