"""The installed package is the tested package.

The rest of the suite runs against the editable install in `.venv`, which reads every file from
the checkout. A deployment runs `pip install .`: a wheel, holding only what the packaging
declares. Here that wheel is built from the files git tracks, installed into a fresh virtual
environment with its dependencies, as a deployment would, and used from there: `lcpg demo`,
then `lcpg serve`, whose pages need the templates that a wheel can leave out.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.e2e.server import fetch, load_demo, running_server

ROOT = Path(__file__).resolve().parents[2]
WARNING = "would be ignored"  # setuptools' warning for a data folder it was not told about


def tracked_files() -> list[str]:
    """The checkout's files as git tracks them (a fresh clone has exactly these)."""
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("needs a git checkout to know which files are part of the source")
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z"],
        capture_output=True,
        check=True,
    )
    return [name for name in listed.stdout.decode().split("\0") if name]


def run(*command: str | Path, cwd: Path) -> str:
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


class Installed:
    """A fresh virtual environment with lcpg installed from a wheel of the tracked files."""

    def __init__(self, folder: Path) -> None:
        self.source = folder / "source"
        self.environment = folder / "venv"
        self.build_output = ""
        self.files = tracked_files()

    def build_and_install(self) -> None:
        for name in self.files:
            target = self.source / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target)
        wheels = self.source.parent / "wheels"
        self.build_output = run(
            sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", wheels, ".", cwd=self.source
        )
        (wheel,) = wheels.glob("lcpg-*.whl")
        venv.EnvBuilder(with_pip=True).create(self.environment)
        run(self.bin("python"), "-m", "pip", "install", "--quiet", wheel, cwd=self.source.parent)

    def bin(self, name: str) -> Path:
        return self.environment / "bin" / name

    def site_packages(self) -> Path:
        (found,) = self.environment.glob("lib/python*/site-packages")
        return found


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    package = Installed(tmp_path_factory.mktemp("installed"))
    package.build_and_install()
    return package


def test_the_wheel_builds_without_setuptools_warnings(installed: Installed) -> None:
    assert WARNING not in installed.build_output, installed.build_output


def test_every_data_file_of_a_package_is_installed(installed: Installed) -> None:
    site = installed.site_packages()
    top_level = {
        name.split("/", 1)[0]
        for name in installed.files
        if "/" in name and (ROOT / name.split("/", 1)[0] / "__init__.py").is_file()
    }
    shipped = {name.split("/", 1)[0] for name in top_level if (site / name).is_dir()}
    assert {"lcpg", "rules", "calendars"} <= shipped
    data = [
        name
        for name in installed.files
        if name.split("/", 1)[0] in shipped and not name.endswith(".py")
    ]
    missing = [name for name in data if not (site / name).is_file()]
    assert missing == []
    # The modules come from the environment, not from the checkout.
    where = run(
        installed.bin("python"),
        "-c",
        "import lcpg.web; print(lcpg.web.__file__)",
        cwd=installed.environment,
    )
    assert where.strip().startswith(str(site)), where


def test_only_the_core_the_command_and_the_application_are_top_level(installed: Installed) -> None:
    # Generic names such as `store` or `errors` at the top of site-packages would clash with
    # other distributions; everything but the user-fixed core and command lives under `lcpg`.
    listing = run(
        installed.bin("python"),
        "-c",
        "import importlib.metadata as m; print('\\n'.join(str(f) for f in m.files('lcpg')))",
        cwd=installed.environment,
    )
    top = {
        line.split("/", 1)[0].removesuffix(".py")
        for line in listing.splitlines()
        if not line.startswith("..") and ".dist-info" not in line.split("/", 1)[0]
    } - {"__pycache__"}
    assert top == {"calendars", "cli", "cycle", "lcpg", "rules"}


def test_the_installed_server_answers_pages_and_a_404(installed: Installed, tmp_path: Path) -> None:
    lcpg = str(installed.bin("lcpg"))
    folder = load_demo(tmp_path, command=lcpg)
    with running_server(folder, command=lcpg) as base:
        status, _, index = fetch(f"{base}/")
        assert status == 200, index
        # A district page, reached as a person would: by the dashboard's link to it.
        link = re.search(rb'<a href="(/districts/[^"]+)">Gravesham</a>', index)
        assert link, index
        status, _, district = fetch(f"{base}{link[1].decode()}")
        assert status == 200 and b"Gravesham" in district, district
        feed = fetch(f"{base}/feeds/lcpg-gravesham.ics")
        assert feed[0] == 200 and feed[2].startswith(b"BEGIN:VCALENDAR"), feed
        for missing in ("/feeds/p/" + "x" * 43 + ".ics", "/districts/nowhere", "/no-such-page"):
            status, headers, body = fetch(f"{base}{missing}")
            assert status == 404, (missing, status, body)
            assert headers.get_content_type() == "text/html" and b"<html" in body.lower()
