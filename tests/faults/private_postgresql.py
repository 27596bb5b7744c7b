"""A private PostgreSQL server for one test, which the test may stop and start at will.

The machine's shared server must never be stopped (other test runs use it), so a test that
needs PostgreSQL to go away starts its own: ``initdb`` into a fresh folder and ``pg_ctl`` on a
free port, run as the ``postgres`` user when we are root (``initdb`` refuses root).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.server import free_port

SERVER_USER = "postgres"


def server_binaries() -> Path | None:
    """The newest installed PostgreSQL's ``bin`` folder (Debian's layout), or None."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    return found[-1].parent if found else None


class PrivateServer:
    """A PostgreSQL server in ``folder`` on ``port`` of 127.0.0.1, stopped at first."""

    def __init__(self, binaries: Path, folder: Path, port: int, as_user: str | None) -> None:
        self.binaries = binaries
        self.folder = folder
        self.data = folder / "data"
        self.port = port
        self._prefix = ["runuser", "-u", as_user, "--"] if as_user else []

    def _run(self, program: str, *args: str) -> None:
        result = subprocess.run(
            [*self._prefix, str(self.binaries / program), *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if result.returncode != 0:
            log = self.folder / "server.log"
            server_log = log.read_text(encoding="utf-8") if log.exists() else ""
            raise RuntimeError(f"{program} failed:\n{result.stdout}{result.stderr}{server_log}")

    def create(self) -> None:
        # --no-sync and fsync=off: a throwaway cluster need not survive a power cut.
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def start(self) -> None:
        """Start the server and return once it accepts connections."""
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "server.log"),
            "-w", "start",
        )  # fmt: skip

    def stop(self) -> None:
        """Stop the server at once, as a crash or a hard restart would (clients are cut
        off mid-conversation); return once it is down."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def url(self, password: str = "") -> str:
        secret = f":{password}" if password else ""
        return f"postgresql+psycopg://postgres{secret}@127.0.0.1:{self.port}/postgres"


@contextlib.contextmanager
def private_postgresql() -> Iterator[PrivateServer]:
    """A started private server, stopped and deleted afterwards. Skips the test when the
    server binaries are not installed, or when we are root and there is no ``postgres`` user
    to run them as."""
    binaries = server_binaries()
    if binaries is None:
        pytest.skip("no PostgreSQL server binaries under /usr/lib/postgresql")
    as_user = None
    if os.geteuid() == 0:
        try:
            account = pwd.getpwnam(SERVER_USER)
        except KeyError:
            pytest.skip("running as root and there is no postgres user to run initdb as")
        as_user = SERVER_USER
    # Not under pytest's tmp_path: that is private to root, and the server runs as postgres.
    folder = Path(tempfile.mkdtemp(prefix="lcpg-private-pg-"))
    if as_user:
        os.chown(folder, account.pw_uid, account.pw_gid)
    server = PrivateServer(binaries, folder, free_port(), as_user)
    try:
        server.create()
        server.start()
        yield server
    finally:
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)
