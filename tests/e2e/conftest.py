"""Fixtures for the end-to-end tier: real programs, started the way a user would start them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Debian and Ubuntu call the binary chromium (or chromium-browser); Google's build is
# google-chrome. LCPG_CHROMIUM names another one.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


@pytest.fixture(scope="session")
def chromium() -> Path:
    """The path of a headless-capable Chromium. Skips the test when there is none, except in
    CI (``CI=true``), where a missing browser must fail rather than pass by skipping."""
    explicit = os.environ.get("LCPG_CHROMIUM")
    if explicit:
        if not Path(explicit).is_file():
            pytest.fail(f"LCPG_CHROMIUM={explicit} is not a file")
        return Path(explicit)
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    if Path("/usr/bin/chromium").is_file():
        return Path("/usr/bin/chromium")
    message = "chromium not installed: apt-get install chromium"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (.ci/run installs it)")
    pytest.skip(message)
