"""Every command the README shows runs as written on the database `make run` leaves.

The examples are the `lcpg ...` lines of the README's ``sh`` blocks, run in order by a shell in
a folder where `lcpg demo` (what `make run` runs) has made `lcpg.db`, with the `lcpg` installed
beside the tests first on PATH, on today's date as a reader would run them. Each must exit 0
without a traceback. The two that run until stopped (`lcpg serve`, `lcpg scheduler run`) must
start, answer or report that they started, and stop cleanly when asked.

Files an example reads must exist as the reader's own would: `outlook.ics` is a real Outlook
export and `school-terms.ics` a school's calendar of term dates, from the test fixtures,
copied in under those names.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
BLOCK = re.compile(r"^```sh\n(.*?)^```", re.MULTILINE | re.DOTALL)
COMMENT = re.compile(r"\s+#\s.*$")  # the README's comments: "   # what it does"
SERVE_PORT = 8080  # what `lcpg serve` binds when the example gives no --port
INPUTS = {
    "outlook.ics": FIXTURES / "ics" / "outlook.ics",
    "school-terms.ics": FIXTURES / "terms" / "school-terms.ics",
}


def readme_examples() -> list[str]:
    """The README's `lcpg` commands, in order, each as the shell line less its comment."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = []
    for block in BLOCK.findall(text):
        for line in block.splitlines():
            command = COMMENT.sub("", line).strip()
            if command.startswith("lcpg "):
                commands.append(command)
    return commands


def test_the_readme_shows_the_commands_it_is_tested_by() -> None:
    examples = readme_examples()
    assert len(examples) >= 20
    assert "lcpg check --format html > compliance.html" in examples
    assert all("#" not in example for example in examples)


@pytest.fixture(scope="module")
def made_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A folder as `make run` leaves it, and the environment a reader's shell would have."""
    folder = tmp_path_factory.mktemp("readme")
    env = {key: value for key, value in os.environ.items() if not key.startswith("LCPG_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    demo = subprocess.run(
        ["lcpg", "demo"], cwd=folder, env=env, capture_output=True, text=True, timeout=300
    )
    assert demo.returncode == 0, demo.stdout + demo.stderr
    for name, source in INPUTS.items():
        shutil.copyfile(source, folder / name)
    return folder, env


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def run_until_stopped(command: str, folder: Path, env: dict[str, str], ready: str) -> str:
    """Start a long-running ``command``, wait until ``ready`` holds (a URL that answers, or a
    line in its output), then stop it with SIGTERM as a service manager would; its output."""
    log = folder / "long-running.log"
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(
            ["bash", "-c", f"exec {command}"],
            cwd=folder,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
        )
    try:
        deadline = time.monotonic() + 60
        while not started(ready, log):
            assert process.poll() is None, log.read_text(encoding="utf-8")
            assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
            time.sleep(0.2)
        process.send_signal(signal.SIGTERM)
        # Ended by the signal (waitress's default) or exiting 0 after handling it (the scheduler).
        assert process.wait(timeout=30) in (0, -signal.SIGTERM), log.read_text(encoding="utf-8")
    finally:
        if process.poll() is None:
            process.kill()
    return log.read_text(encoding="utf-8")


def started(ready: str, log: Path) -> bool:
    if not ready.startswith("http"):
        return ready in log.read_text(encoding="utf-8")
    try:
        with urllib.request.urlopen(ready, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError):
        return False


def test_every_readme_example_runs_as_written(made_run: tuple[Path, dict[str, str]]) -> None:
    folder, env = made_run
    for command in readme_examples():
        if command.startswith("lcpg serve"):
            if not port_is_free(SERVE_PORT):
                pytest.fail(
                    f"port {SERVE_PORT} is taken here, so `{command}` cannot run as written"
                )
            output = run_until_stopped(
                command, folder, env, f"http://127.0.0.1:{SERVE_PORT}/feeds/county.ics"
            )
        elif command.startswith("lcpg scheduler run"):
            output = run_until_stopped(command, folder, env, "scheduler started")
        else:
            result = subprocess.run(
                ["bash", "-c", command],
                cwd=folder,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            output = result.stdout + result.stderr
            assert result.returncode == 0, f"`{command}` exited {result.returncode}:\n{output}"
        assert "Traceback" not in output, f"`{command}`:\n{output}"
