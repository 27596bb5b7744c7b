"""`lcpg plan` and `lcpg bodies set` as a user runs them, on both databases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.commands import run
from tests.samples import csv_folder


def meetings(db: str, *args: str) -> list[dict]:
    code, out = run(db, "meetings", "list", "--format", "json", *args)
    assert code == 0, out
    listed: list[dict] = json.loads(out)
    return listed


def import_meetings(db: str, folder: Path, meetings_csv: str) -> None:
    """Import ``meetings_csv`` (a meetings.csv) as the team would, from a CSV folder."""
    written = csv_folder(
        folder / "in",
        meetings=meetings_csv,
        memberships="body,email,sector,roles,start,end\n",
        attendance="body,meeting_start,email,status\n",
    )
    assert run(db, "import", str(written))[0] == 0


def test_plan_json_is_the_documented_shape_with_offsets(db: str) -> None:
    code, out = run(db, "plan", "--year", "2018", "--as-of", "2017-12-01", "--format", "json")
    assert code == 0, out
    plan = json.loads(out)
    assert set(plan) == {"year", "meetings", "problems"} and plan["year"] == 2018
    assert all(set(m) == {"body", "start", "end", "cycle", "reason"} for m in plan["meetings"])
    gravesham = [m for m in plan["meetings"] if m["body"] == "lcpg-gravesham"]
    assert len(gravesham) == 6
    assert gravesham[0]["start"] == "2018-01-17T10:00+00:00"  # winter: GMT
    assert gravesham[2]["start"].endswith("+01:00")  # May: British Summer Time
    assert gravesham[0]["cycle"] == "2018-01-10"
    assert plan["problems"] == []
    assert meetings(db) == []  # nothing saved without --save


def test_save_then_replan_then_move_keeps_identities(db: str) -> None:
    code, out = run(db, "plan", "--year", "2018", "--as-of", "2017-12-01", "--save")
    assert code == 0, out
    assert "Saved: 88 new, 0 moved, 0 unchanged" in out
    before = {m["start"]: m["id"] for m in meetings(db, "--body", "lcpg-gravesham")}
    code, out = run(db, "plan", "--year", "2018", "--as-of", "2017-12-01", "--save")
    assert "Saved: 0 new, 0 moved, 88 unchanged" in out
    code, out = run(
        db,
        "bodies",
        "set",
        "lcpg-gravesham",
        "--weekday",
        "thu",
        "--time",
        "14:00",
        "--venue",
        "Civic Centre, Gravesend",
    )
    assert code == 0
    assert out.strip() == (
        "Gravesham LCPG (lcpg-gravesham) prefers to meet on Thursdays at 14:00 at "
        "Civic Centre, Gravesend."
    )
    code, out = run(db, "plan", "--year", "2018", "--as-of", "2017-12-01", "--save")
    assert code == 0
    # Gravesham moves to Thursdays; the Chairs Group, which met that Thursday, must follow the
    # last LCPG, so it moves on too.
    assert "Saved: 0 new, 12 moved, 76 unchanged" in out
    assert "moved lcpg-gravesham: Wed 17 Jan 10:00 -> Thu 18 Jan 14:00" in out
    assert "moved chairs-group: Thu 18 Jan 10:00 -> Thu 25 Jan 10:00" in out
    moved_lines = [line for line in out.splitlines() if line.startswith("  moved ")]
    assert len(moved_lines) == 12  # every moved meeting is listed, not only counted
    after = meetings(db, "--body", "lcpg-gravesham")
    assert sorted(m["id"] for m in after) == sorted(before.values())
    # They had no venue: moving them gives them the one Gravesham now prefers.
    assert {m["venue"] for m in after} == {"Civic Centre, Gravesend"}


def test_replanning_keeps_a_planned_meetings_venue(db: str, tmp_path: Path) -> None:
    assert run(db, "plan", "--year", "2018", "--as-of", "2017-12-01", "--save")[0] == 0
    room = (
        "body,start,end,venue,status\n"
        'chairs-group,2018-01-18T10:00,2018-01-18T12:00,"County Hall, Committee Room 1",planned\n'
    )
    import_meetings(db, tmp_path, room)
    code, out = run(db, "plan", "--year", "2018", "--as-of", "2017-12-01", "--save")
    assert code == 0, out
    line = next(line for line in out.splitlines() if "Thu 2018-01-18 10:00" in line)
    assert "chairs-group" in line and "unchanged" in line
    assert "Saved: 0 new, 0 moved, 88 unchanged" in out
    chairs = meetings(db, "--body", "chairs-group", "--to", "2018-02-01")
    assert [(m["start"], m["venue"]) for m in chairs] == [
        ("2018-01-18T10:00", "County Hall, Committee Room 1")
    ]


DECEMBER_CHWB = [
    *("--chwb", "2027-01-13", "--chwb", "2027-03-10", "--chwb", "2027-05-12"),
    *("--chwb", "2027-07-14", "--chwb", "2027-09-15", "--chwb", "2027-12-15"),
]


def test_a_december_chwb_cycle_is_planned_and_saved_into_january(db: str) -> None:
    # Maidstone meets on Tuesdays: 28 December 2027 is a bank holiday, so 4 January 2028.
    assert run(db, "bodies", "set", "lcpg-maidstone", "--weekday", "tue")[0] == 0
    args = ["plan", "--year", "2027", "--as-of", "2026-12-01", *DECEMBER_CHWB]
    code, out = run(db, *args, "--format", "json")
    assert code == 0, out
    plan = json.loads(out)
    assert plan["year"] == 2027
    january = [m for m in plan["meetings"] if m["start"].startswith("2028-")]
    assert {(m["body"], m["start"][:16], m["cycle"]) for m in january} == {
        ("lcpg-maidstone", "2028-01-04T10:00", "2027-12-15"),
        ("chairs-group", "2028-01-05T10:00", "2027-12-15"),
    }
    assert not [p for p in plan["problems"] if p["cycle"] == "2027-12-15"]

    code, out = run(db, *args, "--save")
    assert code == 0, out
    saved = meetings(db, "--from", "2027-12-16", "--to", "2028-01-11")
    assert {(m["body"], m["start"]) for m in saved} >= {
        ("lcpg-maidstone", "2028-01-04T10:00"),
        ("chairs-group", "2028-01-05T10:00"),
    }

    # Planning 2028 afterwards keeps them where they are and adds none for that cycle.
    code, out = run(db, "plan", "--year", "2028", "--as-of", "2026-12-01", "--save")
    assert code == 0, out
    assert meetings(db, "--from", "2027-12-16", "--to", "2028-01-11") == saved
    line = next(line for line in out.splitlines() if "lcpg-maidstone" in line and "01-04" in line)
    assert line.startswith("2027-12-15") and "unchanged" in line


def test_held_meetings_are_never_moved(db: str, tmp_path: Path) -> None:
    held = "body,start,end,venue,status\nlcpg-dover,2018-01-26T14:00,2018-01-26T16:00,Dover,held\n"
    import_meetings(db, tmp_path, held)
    code, out = run(db, "plan", "--year", "2018", "--as-of", "2017-12-01", "--save")
    assert code == 0
    line = next(line for line in out.splitlines() if "lcpg-dover" in line and "26" in line)
    assert "kept" in line and "held in the register; never moved" in line
    dover = meetings(db, "--body", "lcpg-dover", "--to", "2018-03-01")
    assert [(m["start"], m["status"]) for m in dover] == [("2018-01-26T14:00", "held")]


def test_problems_are_listed_and_strict_exits_1(db: str) -> None:
    args = [
        "plan",
        "--year",
        "2018",
        "--as-of",
        "2017-12-01",
        "--chwb",
        "2018-01-10",
        "--chwb",
        "2018-01-20",
        "--chwb",
        "2018-03-14",
    ]
    code, out = run(db, *args)
    assert code == 0
    assert "Problems (" in out
    assert "lcpg-ashford (cycle of CHWB 2018-01-10): the window is empty" in out
    code, _ = run(db, *args, "--strict")
    assert code == 3


def test_chwb_dates_given_take_the_blueprints_time(db: str) -> None:
    code, out = run(
        db,
        "plan",
        "--year",
        "2018",
        "--as-of",
        "2017-12-01",
        "--chwb",
        "2018-01-17",
        "--format",
        "json",
    )
    assert code == 0, out
    plan = json.loads(out)
    chwb = [m for m in plan["meetings"] if m["body"] == "chwb"]
    assert [m["start"] for m in chwb] == ["2018-01-17T14:00+00:00"]
    assert chwb[0]["reason"] == "CHWB date from --chwb"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["plan", "--year", "2018", "--as-of", "2017-12-01", "--chwb", "2019-01-09"],
            "not in 2018: 2019-01-09",
        ),
        (
            ["plan", "--year", "2018", "--as-of", "2017-12-01", "--chwb", "10/01/2018"],
            "is not a date",
        ),
        (["bodies", "set", "lcpg-dover"], "give at least one of --weekday, --time and --venue"),
        (["bodies", "set", "lcpg-dover", "--time", "10am"], "is not a time in the form HH:MM"),
        (["bodies", "set", "lcpg-dover", "--weekday", "sat"], "'sat' is not one of"),
    ],
)
def test_bad_arguments_exit_2(db: str, args: list[str], message: str) -> None:
    code, out = run(db, *args)
    assert code == 2 and message in out


def test_unknown_body_exits_1(db: str) -> None:
    code, out = run(db, "bodies", "set", "lcpg-dovor", "--weekday", "mon")
    assert code == 1 and "no body 'lcpg-dovor'" in out
