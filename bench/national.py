"""The national register the benchmarks share: built once by ``lcpg demo --scale`` and kept.

Building 150 counties over ten years takes minutes, so it is built into
``bench/.cache/national-<counties>x<years>-<key>/`` (git-ignored) and reused while the code
that builds it is unchanged: the key is a hash of the demo and domain code and the
blueprints. The folder holds what ``lcpg demo --scale`` writes (the synthetic blueprint, the
register as CSV files, the feeds) and the SQLite database it filled.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bench.processes import Measured, lcpg_path, measure

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(__file__).resolve().parent / ".cache"
TODAY = date(2026, 11, 22)
# The size of the national benchmarks (issue 8): 150 counties over ten years; `bench/run
# --quick` makes them small (not a record, only a check that everything runs).
COUNTIES = 150
YEARS = 10
QUICK_COUNTIES = 4
QUICK_YEARS = 2
# What the register's content depends on: change any of it and the cache is rebuilt. (A newer
# schema needs no rebuild: `lcpg init` upgrades the cached database on every use.)
SOURCES = (
    "lcpg/demo",
    "lcpg/domain",
    "lcpg/blueprints",
    "lcpg/services/demo.py",
    "lcpg/services/national_demo.py",
)


@dataclass(frozen=True)
class NationalRegister:
    counties: int
    years: int
    folder: Path
    blueprint: Path
    """The synthetic blueprint: pass it to every command with ``--blueprint``."""
    csv: Path
    """The register as a folder of CSV files (``lcpg export``)."""
    sqlite_url: str
    built: Measured | None
    """How long ``lcpg demo --scale`` took, when this run built it (None: from the cache)."""

    def lcpg(self, url: str, *args: str) -> list[str]:
        """An ``lcpg`` command line on database ``url`` with this register's blueprint."""
        return [lcpg_path(), "--db", url, "--blueprint", str(self.blueprint), *args]


def use_quick_size() -> None:
    """Make the national benchmarks small: for trying ``bench/run``, not for the record."""
    global COUNTIES, YEARS
    COUNTIES, YEARS = QUICK_COUNTIES, QUICK_YEARS


def national_register(counties: int, years: int) -> NationalRegister:
    """The cached national register of ``counties`` counties and ``years`` years of history
    up to ``TODAY``, built now if the cache does not hold one for the current code."""
    folder = CACHE / f"national-{counties}x{years}-{_code_key()}"
    database = folder / "national.db"
    built = None
    if not (folder / "complete").exists():
        if folder.exists():
            shutil.rmtree(folder)  # an interrupted build
        for stale in CACHE.glob(f"national-{counties}x{years}-*"):
            shutil.rmtree(stale)
        folder.mkdir(parents=True)
        built = measure(
            [
                lcpg_path(), "--db", f"sqlite:///{database}", "demo",
                "--scale", str(counties), "--years", str(years),
                "--as-of", TODAY.isoformat(), "--out", str(folder),
            ],
            cwd=folder,
        )  # fmt: skip
        (folder / "complete").write_text("", encoding="utf-8")
    register = NationalRegister(
        counties,
        years,
        folder,
        folder / f"national-{counties}.toml",
        folder / "register",
        f"sqlite:///{database}",
        built,
    )
    measure(register.lcpg(register.sqlite_url, "init"))
    return register


def _code_key() -> str:
    digest = hashlib.sha256()
    for name in SOURCES:
        path = ROOT / name
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.is_file() and file.suffix in (".py", ".toml"):
                digest.update(str(file.relative_to(ROOT)).encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()[:12]
