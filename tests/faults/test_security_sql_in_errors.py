"""A database that refuses a change (here a unique index the register does not expect, as a
second writer's row or a hand-made constraint would) ends `lcpg import` with one line naming
the constraint and its table: no traceback, no SQL, and none of the names and addresses it was
writing (SECURITY.md, "SQL and personal data in database errors")."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from lcpg.store.database import make_engine
from tests.database_dump import dump
from tests.faults.processes import environment, run_lcpg
from tests.samples import PEOPLE, csv_folder

pytestmark = pytest.mark.faults

# A second Ada Finch: a new address, so the register adds a person the index refuses.
SECOND_ADA = "ada.finch.home@example.org,Ada Finch,Tonbridge Youth Hub (fictional)\n"


def test_a_refused_change_is_one_line_without_sql_or_personal_data(
    database_url: str, tmp_path: Path
) -> None:
    env = environment(database_url)
    for args in (("init",), ("import", str(csv_folder(tmp_path / "first")))):
        result = run_lcpg(*args, cwd=tmp_path, env=env)
        assert result.returncode == 0, result.stderr
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE UNIQUE INDEX people_name_once ON people (name)"))
    finally:
        engine.dispose()
    before = dump(database_url)

    second = csv_folder(tmp_path / "second", people=PEOPLE + SECOND_ADA)
    result = run_lcpg("import", str(second), cwd=tmp_path, env=env)

    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "refused the change (" in result.stderr
    assert "people" in result.stderr  # the table, so an administrator knows where to look
    assert "Traceback" not in output
    for sql in ("INSERT", "SELECT", "UPDATE", "VALUES", "parameters"):
        assert sql not in output
    for personal in ("Ada", "Finch", "Bo Reed", "example.org", "Tonbridge", "Mind"):
        assert personal not in output
    assert len(result.stderr.strip().splitlines()) == 1, output
    assert dump(database_url) == before
