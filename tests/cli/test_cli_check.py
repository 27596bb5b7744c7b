"""`lcpg check` and `lcpg rules` as a user runs them, on both databases, with the demo."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.cli.commands import run

AS_OF = "2026-11-22"


@pytest.fixture
def demo_db(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    code, out = run(database_url, "demo", "--as-of", AS_OF)
    assert code == 0, out
    return database_url


def test_check_json_finds_the_demo_scenarios(demo_db: str) -> None:
    code, out = run(demo_db, "check", "--as-of", AS_OF, "--format", "json")
    assert code == 0, out
    report = json.loads(out)
    assert set(report) == {"as_of", "findings", "summary"} and report["as_of"] == AS_OF
    assert all(
        set(f) == {"rule", "severity", "body", "message", "clause", "evidence"}
        for f in report["findings"]
    )
    keys = {(f["rule"], f["body"]) for f in report["findings"]}
    assert ("cadence.bimonthly", "lcpg-sevenoaks") in keys
    assert ("membership.core-sectors", "lcpg-swale") in keys
    assert ("roles.coordinator", "lcpg-dover") in keys
    assert ("records.unrecorded", "lcpg-thanet") in keys
    assert ("governance.chwb-representation", "chwb") in keys
    assert {k for k in keys if k[0] == "records.attendance-missing"} == {
        ("records.attendance-missing", "lcpg-folkestone-and-hythe")
    }
    assert not {k for k in keys if k[0] == "cadence.bimonthly"} - {
        ("cadence.bimonthly", "lcpg-sevenoaks")
    }
    assert not [k for k in keys if k[1] == "lcpg-maidstone" and k[0].startswith("roles.")]
    sevenoaks = next(f for f in report["findings"] if f["rule"] == "cadence.bimonthly")
    assert sevenoaks["evidence"]["detected"] == "quarterly"
    assert report["summary"]["error"] >= 3


def test_fail_on_sets_the_exit_status(demo_db: str) -> None:
    assert run(demo_db, "check", "--as-of", AS_OF, "--fail-on", "error")[0] == 3
    assert (
        run(demo_db, "check", "--as-of", AS_OF, "--body", "lcpg-ashford", "--fail-on", "error")[0]
        == 0
    )
    assert (
        run(demo_db, "check", "--as-of", AS_OF, "--body", "lcpg-ashford", "--fail-on", "warning")[0]
        == 3
    )


def test_body_filter_and_formats(demo_db: str) -> None:
    code, out = run(demo_db, "check", "--as-of", AS_OF, "--body", "lcpg-swale", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and {r["body"] for r in rows} == {"lcpg-swale"}
    code, out = run(demo_db, "check", "--as-of", AS_OF, "--body", "lcpg-swale", "--format", "html")
    assert code == 0 and out.lstrip().startswith("<!DOCTYPE html>") and "lcpg-swale" in out
    code, out = run(demo_db, "check", "--as-of", AS_OF, "--body", "lcpg-swale")
    assert code == 0 and "Swale LCPG" in out and "Police and Housing" in out


def test_text_and_html_show_a_held_meeting_without_attendance(demo_db: str) -> None:
    body = "lcpg-folkestone-and-hythe"
    code, text = run(demo_db, "check", "--as-of", AS_OF, "--body", body)
    assert code == 0
    flat = " ".join(text.split())
    assert "records.attendance-missing" in flat
    assert "is recorded as held, but nobody recorded who attended" in flat
    assert "Attending or being represented at every meeting" in flat
    code, html = run(demo_db, "check", "--as-of", AS_OF, "--body", body, "--format", "html")
    assert code == 0
    assert "records.attendance-missing" in html
    assert "nobody recorded who attended" in " ".join(html.split())


def test_record_then_compare(demo_db: str, tmp_path: Path) -> None:
    code, out = run(demo_db, "check", "--as-of", "2026-11-15", "--record", "--format", "json")
    assert code == 0
    first = json.loads(out.split("Recorded as check")[0])
    assert "since" not in first["summary"]
    # Dover's co-ordinator comes back: that finding is resolved a week later.
    member = (
        "body,email,sector,roles,start,end\n"
        "lcpg-dover,new.coordinator@example.org,additional,coordinator,2026-11-16,\n"
    )
    people = (
        "email,name,organisation\nnew.coordinator@example.org,Nia Okafor,Dover District Council\n"
    )
    folder = tmp_path / "coordinator"
    folder.mkdir()
    (folder / "people.csv").write_text(people, encoding="utf-8")
    (folder / "memberships.csv").write_text(member, encoding="utf-8")
    assert run(demo_db, "import", str(folder))[0] == 0
    code, out = run(demo_db, "check", "--as-of", AS_OF, "--format", "json")
    since = json.loads(out)["summary"]["since"]
    assert since["as_of"] == "2026-11-15"
    assert since["check"] == 2  # the demo recorded check 1 (as of AS_OF, so not compared)
    code, text = run(demo_db, "check", "--as-of", AS_OF)
    assert "Since check 2, as of 15 November 2026:" in " ".join(text.split())
    assert {"rule": "roles.coordinator", "body": "lcpg-dover", "subject": ""} in since["resolved"]


def test_only_a_whole_check_is_recorded(demo_db: str) -> None:
    # A recorded check is what later checks and e-mails compare with, over every body: one
    # body's findings recorded would make every other body's findings look new next time.
    code, out = run(demo_db, "check", "--body", "lcpg-dover", "--record")
    assert code == 2 and "--record records the whole check" in out
    code, out = run(demo_db, "history", "--format", "json")
    assert len(json.loads(out)) == 1  # the demo's own


def test_bad_arguments(demo_db: str) -> None:
    assert run(demo_db, "check", "--as-of", "22/11/2026")[0] == 2
    assert run(demo_db, "check", "--format", "pdf")[0] == 2
    code, out = run(demo_db, "check", "--body", "lcpg-sevenoak")
    assert code == 1 and "no body 'lcpg-sevenoak'" in out


def test_rules_lists_every_rule_with_its_clause(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'r.db'}"
    code, out = run(db, "rules", "--format", "json")
    assert code == 0, out
    rules = json.loads(out)
    assert len(rules) == 16
    cadence = next(r for r in rules if r["id"] == "cadence.bimonthly")
    assert cadence["severity"] == "error" and "every two months" in cadence["clause"]
    code, out = run(db, "rules")
    assert code == 0 and "roles.safeguarding-lead" in out


def test_history_shows_a_recorded_check_as_it_was(demo_db: str) -> None:
    code, out = run(demo_db, "check", "--as-of", AS_OF, "--record", "--format", "json")
    recorded = json.loads(out.split("Recorded as check")[0])
    code, out = run(demo_db, "history", "--format", "json")
    assert code == 0
    demo_run, listed = sorted(json.loads(out), key=lambda r: r["check"])  # the demo records one
    assert demo_run["as_of"] == AS_OF
    assert listed["as_of"] == AS_OF and listed["error"] == recorded["summary"]["error"]
    # The register changes afterwards; the recorded check does not.
    assert run(demo_db, "bodies", "set", "lcpg-dover", "--venue", "Dover Town Hall")[0] == 0
    code, out = run(demo_db, "history", "show", str(listed["check"]), "--format", "json")
    assert code == 0
    assert json.loads(out)["findings"] == recorded["findings"]
    code, out = run(demo_db, "history", "show", "999")
    assert code == 1 and "no recorded check 999" in out


def test_a_recorded_check_counts_the_bodies_the_live_check_counts(demo_db: str) -> None:
    # The demo recorded its check as of AS_OF: shown from the history, it must read as the
    # live check of the same day does, "15 bodies checked" and not every body of the register.
    code, history = run(demo_db, "history", "--format", "json")
    (demo_run,) = json.loads(history)
    code, shown = run(demo_db, "history", "show", str(demo_run["check"]), "--format", "json")
    assert code == 0
    code, live = run(demo_db, "check", "--as-of", AS_OF, "--format", "json")
    assert code == 0
    live_summary = {k: v for k, v in json.loads(live)["summary"].items() if k != "since"}
    assert json.loads(shown)["summary"] == live_summary
    assert live_summary["bodies"] == 15
    code, text = run(demo_db, "history", "show", str(demo_run["check"]))
    code, live_text = run(demo_db, "check", "--as-of", AS_OF)
    assert text.splitlines()[0] == live_text.splitlines()[0]
    assert "(15 bodies checked)" in text.splitlines()[0]
