"""The dashboard end to end: ``lcpg demo`` and ``lcpg serve`` started as a user would, real HTTP,
and a real headless Chromium (through chromedriver) clicking from the overview to a district.

The screenshots are saved in the test's folder, printed (``pytest -s`` shows them) and copied
to ``$LCPG_ARTIFACTS`` when it is set, for a human to look at.
"""

from __future__ import annotations

import os
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.browser import keep_artifact
from tests.e2e.server import load_demo, running_server

CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROME_ARGS = (
    "--headless=new",
    "--no-sandbox",  # containers run as root, where the sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
START_TIMEOUT = 60.0  # seconds for the server to answer


@pytest.fixture(scope="session")
def chromedriver() -> Path:
    """Debian's chromedriver, matching its chromium. Skips the test when it is missing, except
    in CI (``CI=true``), where a missing driver must fail rather than pass by skipping."""
    if CHROMEDRIVER.is_file():
        return CHROMEDRIVER
    message = "chromedriver not installed: apt-get install chromium-driver"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode("utf-8")


def _get_headers(url: str) -> dict[str, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return dict(response.headers.items())


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """``lcpg serve`` on a free port over the demo register; yields its base URL."""
    with running_server(load_demo(tmp_path), start_timeout=START_TIMEOUT) as base:
        yield base


def _screenshot(driver: object, path: Path, width: int) -> None:
    """The whole page at ``width`` CSS pixels (the window grown to the page's height)."""
    from selenium.webdriver.remote.webdriver import WebDriver

    assert isinstance(driver, WebDriver)
    driver.set_window_size(width, 900)
    height = int(driver.execute_script("return document.documentElement.scrollHeight"))
    driver.set_window_size(width, min(max(height, 600), 8000))
    assert driver.save_screenshot(str(path)), f"no screenshot written to {path}"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    keep_artifact(path)
    print(f"screenshot: {path}")  # noqa: T201 (the test output says where to look)


def test_click_from_the_dashboard_to_a_district(
    server: str, chromium: Path, chromedriver: Path, tmp_path: Path
) -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.wait import WebDriverWait

    status, html = _get(f"{server}/")
    assert status == 200
    assert "Districts against the rules" in html and "<script" not in html.lower()

    options = webdriver.ChromeOptions()
    for argument in CHROME_ARGS:
        options.add_argument(argument)
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    options.binary_location = str(chromium)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(str(chromedriver)))
    try:
        driver.set_page_load_timeout(60)
        driver.set_window_size(1300, 900)
        driver.get(f"{server}/")
        assert driver.find_element(By.TAG_NAME, "h1").text == "LCPG dashboard"
        rows = driver.find_elements(By.CSS_SELECTOR, "table.districts tbody tr")
        assert len(rows) == 12
        # The Content Security Policy lets the inline styles through, and blocks nothing a
        # page needs (a blocked resource is reported on the console).
        header = driver.find_element(By.CSS_SELECTOR, "header.site")
        assert header.value_of_css_property("background-color") == "rgba(11, 47, 92, 1)"
        assert "Content-Security-Policy" in _get_headers(f"{server}/")
        _screenshot(driver, tmp_path / "dashboard-overview.png", 1300)

        driver.set_window_size(1300, 900)
        driver.find_element(By.CSS_SELECTOR, 'th a[href="/districts/sevenoaks"]').click()
        WebDriverWait(driver, 30).until(expected_conditions.url_contains("/districts/sevenoaks"))
        assert driver.find_element(By.TAG_NAME, "h1").text == "Sevenoaks LCPG"
        findings = driver.find_element(By.ID, "finding-cadence.bimonthly").text
        assert "Meets quarterly" in findings
        _screenshot(driver, tmp_path / "dashboard-sevenoaks.png", 1300)
        # Readable on a phone: the same page 400 CSS pixels wide.
        _screenshot(driver, tmp_path / "dashboard-sevenoaks-phone.png", 400)
        blocked = [
            entry["message"]
            for entry in driver.get_log("browser")  # type: ignore[no-untyped-call]
            if "Content Security Policy" in entry["message"]
        ]
        assert blocked == []
    finally:
        driver.quit()
