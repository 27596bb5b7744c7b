"""`--as-of` defaults itself to the App's today (`App.today`, the one place the clock is read),
for every command that takes it."""

from __future__ import annotations

import json
from datetime import date

import pytest

from lcpg.bootstrap import App
from tests.cli.commands import run

PINNED = date(2018, 3, 1)


@pytest.fixture
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.setattr(App, "today", lambda self: PINNED)
    return PINNED


def test_check_without_as_of_checks_as_of_the_apps_today(db: str, pinned_today: date) -> None:
    code, out = run(db, "check", "--format", "json")
    assert code == 0, out
    assert json.loads(out)["as_of"] == pinned_today.isoformat()
    code, out = run(db, "check", "--format", "json", "--as-of", "2017-06-30")
    assert json.loads(out)["as_of"] == "2017-06-30"


def test_plan_without_as_of_places_nothing_before_the_apps_today(
    db: str, pinned_today: date
) -> None:
    code, out = run(db, "plan", "--year", "2018", "--format", "json")
    assert code == 0, out
    starts = [date.fromisoformat(m["start"][:10]) for m in json.loads(out)["meetings"]]
    assert starts and min(starts) > pinned_today
    code, out = run(db, "plan", "--year", "2018", "--format", "json", "--as-of", "2017-12-01")
    starts = [date.fromisoformat(m["start"][:10]) for m in json.loads(out)["meetings"]]
    assert min(starts) < pinned_today


def test_as_of_given_is_told_from_the_default(db: str, pinned_today: date) -> None:
    # --all lists every date, so an --as-of given with it is a usage error; the default is not.
    assert run(db, "members", "list", "--all")[0] == 0
    code, out = run(db, "members", "list", "--all", "--as-of", pinned_today.isoformat())
    assert code == 2 and "--all and --as-of cannot be used together" in out
