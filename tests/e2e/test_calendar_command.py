"""The year at a glance as a user makes it: `lcpg demo`, `lcpg calendar`, open it in Chromium."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.e2e.browser import keep_artifact, run_chromium


def lcpg(*args: str, cwd: Path) -> str:
    command = Path(sys.executable).with_name("lcpg")
    result = subprocess.run(
        [str(command), *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_demo_calendar_opens_in_a_browser(chromium: Path, tmp_path: Path) -> None:
    lcpg("demo", "--as-of", "2026-11-22", cwd=tmp_path)
    out = lcpg(
        "calendar", "--year", "2026", "--as-of", "2026-11-22", "--out", "2026.html", cwd=tmp_path
    )
    assert out.startswith("Wrote 2026.html: ")
    png = tmp_path / "2026.png"
    run_chromium(
        chromium,
        tmp_path / "profile",
        tmp_path / "2026.html",
        f"--screenshot={png}",
        "--window-size=1500,1050",
    )
    assert png.stat().st_size > 10_000
    keep_artifact(png)
