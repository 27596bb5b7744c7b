"""The malformed-input corpus (``tests/fixtures/malformed/``): every file gives exactly the error
its manifest says, through the real command, and leaves the database exactly as it was.

A rejected input is run twice, with ``--dry-run`` and without, against one database per backend
that holds the small sample register; each run must leave a full dump of it unchanged, so the
next input still finds it as it was. An accepted input changes the register, so it gets a fresh
database of its own.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cli import main
from lcpg.bootstrap import App
from tests.conftest import DEMO_TODAY, FIXTURES
from tests.database_dump import dump
from tests.samples import csv_folder

CORPUS = FIXTURES / "malformed"
MANIFEST = CORPUS / "expected.toml"
KINDS = ("people", "memberships", "meetings", "attendance")


@dataclass(frozen=True)
class Case:
    """One manifest entry: the input (a path from the corpus folder) and what it must give."""

    path: str
    why: str
    error: str | None = None
    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    body: str = "lcpg-sevenoaks"

    @property
    def command(self) -> list[str]:
        if self.path.startswith("ics/"):
            return ["ics", "import", self.path, "--body", self.body]
        if self.path.startswith("terms/"):
            return ["terms", "import", self.path]
        return ["import", self.path]


def load_cases() -> list[Case]:
    entries = tomllib.loads(MANIFEST.read_text(encoding="utf-8"))
    return [Case(path, **entry) for path, entry in entries.items()]


CASES = load_cases()
REJECTED = [case for case in CASES if case.error is not None]
ACCEPTED = [case for case in CASES if case.error is None]


def corpus_inputs() -> set[str]:
    """Every input in the corpus: the CSV folders, the workbooks, the calendars and the term
    dates."""
    return {
        *(f"csv/{p.name}" for p in (CORPUS / "csv").iterdir() if p.is_dir()),
        *(f"workbooks/{p.name}" for p in (CORPUS / "workbooks").glob("*.xlsx")),
        *(f"ics/{p.name}" for p in (CORPUS / "ics").glob("*.ics")),
        *(f"terms/{p.name}" for p in (CORPUS / "terms").iterdir()),
    }


def test_the_manifest_and_the_corpus_name_the_same_inputs() -> None:
    assert sorted(case.path for case in CASES) == sorted(corpus_inputs())
    assert all(case.why for case in CASES)
    assert all(case.error or case.added or case.updated for case in CASES)


def invoke(url: str, args: list[str]) -> Result:
    return CliRunner().invoke(main, ["--db", url, *args])


def assert_clean_exit(result: Result, code: int) -> None:
    """Exit status ``code`` by way of click, never an exception escaping the command."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"the command crashed:\n{result.output}") from result.exception
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output


def load_samples(url: str, folder: Path) -> None:
    for args in (["init"], ["import", str(csv_folder(folder))]):
        assert_clean_exit(invoke(url, args), 0)


@pytest.fixture
def in_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the corpus folder (paths in messages are as in the manifest), on the day the
    other tests use: ``ics import`` reads calendars from ten years before today."""
    monkeypatch.chdir(CORPUS)
    monkeypatch.setattr(App, "today", lambda self: DEMO_TODAY)


@pytest.fixture(scope="module")
def samples_db(module_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    load_samples(module_database_url, tmp_path_factory.mktemp("samples"))
    yield module_database_url


@pytest.mark.usefixtures("in_corpus")
@pytest.mark.parametrize("case", REJECTED, ids=[case.path for case in REJECTED])
def test_a_malformed_input_gives_its_error_and_changes_nothing(samples_db: str, case: Case) -> None:
    before = dump(samples_db)
    for dry_run in (["--dry-run"], []):
        result = invoke(samples_db, [*case.command, *dry_run])
        assert_clean_exit(result, 1)
        assert result.output == f"Error: {case.error}\n"
        assert dump(samples_db) == before


def counts(output: str) -> dict[str, tuple[int, int]]:
    """Added and updated records by kind, from an import's report table."""
    found = {}
    for line in output.splitlines():
        row = re.fullmatch(rf"({'|'.join(KINDS)}) +(\d+) +(\d+) +(\d+)", line.strip())
        if row:
            found[row.group(1)] = (int(row.group(2)), int(row.group(3)))
    return found


@pytest.mark.usefixtures("in_corpus")
@pytest.mark.parametrize("case", ACCEPTED, ids=[case.path for case in ACCEPTED])
def test_an_odd_but_valid_input_is_imported(database_url: str, tmp_path: Path, case: Case) -> None:
    load_samples(database_url, tmp_path / "samples")
    expected = {kind: (case.added.get(kind, 0), case.updated.get(kind, 0)) for kind in KINDS}
    before = dump(database_url)
    dry = invoke(database_url, [*case.command, "--dry-run"])
    assert_clean_exit(dry, 0)
    assert dry.output.startswith("Dry run:")
    assert counts(dry.output) == expected
    assert dump(database_url) == before
    done = invoke(database_url, case.command)
    assert_clean_exit(done, 0)
    assert counts(done.output) == expected
    assert dump(database_url) != before
    again = invoke(database_url, case.command)
    assert_clean_exit(again, 0)
    assert again.output.startswith("Nothing to change")
