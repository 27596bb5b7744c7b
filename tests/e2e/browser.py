"""Driving a real headless Chromium from the end-to-end tests."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

TIMEOUT = 120  # seconds; a cold start in a container takes a few


def run_chromium(chromium: Path, profile: Path, page: Path, *output: str) -> None:
    """Run Chromium headless on ``page`` with a fresh profile and no network chatter."""
    command = [
        str(chromium),
        "--headless",
        "--no-sandbox",  # containers run as root, where the sandbox cannot start
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *output,
        page.as_uri(),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    assert result.returncode == 0, f"chromium failed ({result.returncode}):\n{result.stderr}"


def keep_artifact(artifact: Path) -> None:
    """Copy ``artifact`` into ``$LCPG_ARTIFACTS`` (when set) for a human to look at."""
    folder = os.environ.get("LCPG_ARTIFACTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(artifact, Path(folder) / artifact.name)
