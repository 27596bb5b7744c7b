"""Starting `lcpg serve` the way a user does, on a free port, for the end-to-end tests."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from email.message import Message
from pathlib import Path


def lcpg_command() -> str:
    """The ``lcpg`` command installed beside the Python running the tests."""
    return str(Path(sys.executable).with_name("lcpg"))


def load_demo(folder: Path, command: str | None = None, as_of: str | None = None) -> Path:
    """`lcpg demo` run in ``folder`` (its default ``lcpg.db``) by ``command`` (default
    ``lcpg_command()``); ``folder``. The demo is built as of ``as_of`` (``YYYY-MM-DD``) when
    given, for tests that pass the same date to every command; else as of today, by the same
    clock as the `lcpg serve` or scheduler that will read it, so what they show holds on any
    day."""
    demo = subprocess.run(
        [command or lcpg_command(), "demo", *(("--as-of", as_of) if as_of else ())],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert demo.returncode == 0, f"lcpg demo failed:\n{demo.stdout}\n{demo.stderr}"
    return folder


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_lcpg(
    *args: str,
    cwd: Path,
    env: Mapping[str, str] | None,
    log: Path,
    command: str | None = None,
) -> subprocess.Popen[str]:
    """`lcpg ARGS` started in the background (in the environment ``env``, or this process's;
    ``command`` is the program, default ``lcpg_command()``), its output (both streams) going to
    ``log``: a file, because a pipe nobody reads fills up under load (waitress logs its queue
    depth) and the program then blocks writing to it."""
    with log.open("w", encoding="utf-8") as output:
        return subprocess.Popen(
            [command or lcpg_command(), *args],
            cwd=cwd,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
        )


def server_log(folder: Path, base: str) -> Path:
    """The file where the server ``running_server(folder)`` yielded ``base`` for logs."""
    return folder / f"serve-{base.rsplit(':', 1)[-1]}.log"


@contextlib.contextmanager
def running_server(
    folder: Path,
    *extra: str,
    start_timeout: float = 30,
    env: Mapping[str, str] | None = None,
    command: str | None = None,
) -> Iterator[str]:
    """`lcpg serve` on the demo database in ``folder`` (or on the one ``env`` names, an
    environment for the process), run by ``command`` (default ``lcpg_command()``); yields its
    base URL once it answers (within ``start_timeout`` seconds); stops it after. Its output is
    in ``server_log``."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = server_log(folder, base)
    process = start_lcpg(
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        *extra,
        cwd=folder,
        env=env,
        log=log,
        command=command,
    )
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            try:
                urllib.request.urlopen(f"{base}/feeds/", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    output = log.read_text(encoding="utf-8")
                    raise RuntimeError(f"lcpg serve did not start:\n{output}") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def fetch(
    url: str, method: str = "GET", headers: dict[str, str] | None = None
) -> tuple[int, Message, bytes]:
    """Status, headers (looked up without regard to case, as HTTP has it) and body."""
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()
