"""`lcpg terms import` and `lcpg terms list` as a user runs them, on both databases, and what
the planner makes of the dates."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

from tests.cli.commands import run

SVG = "{http://www.w3.org/2000/svg}"

# A team's own three-term calendar for two years Kent has not published (fictional dates).
TERMS_CSV = """\
name,start,end
Autumn 2027,2027-09-06,2027-12-17
Spring 2028,2028-01-04,2028-03-31
Summer 2028,2028-04-18,2028-07-21
Autumn 2028,2028-09-04,2028-12-15
Spring 2029,2029-01-03,2029-03-29
Summer 2029,2029-04-16,2029-07-20
"""

# Holidays the team's calendar makes in 2028 (the days between its terms).
HOLIDAYS_2028 = [
    (date(2028, 4, 1), date(2028, 4, 17)),
    (date(2028, 7, 22), date(2028, 9, 3)),
    (date(2028, 12, 16), date(2029, 1, 2)),
]


def years(db: str) -> list[dict]:
    code, out = run(db, "terms", "list", "--format", "json")
    assert code == 0, out
    listed: list[dict] = json.loads(out)
    return listed


def plan_2028(db: str) -> dict:
    code, out = run(db, "plan", "--year", "2028", "--as-of", "2027-12-01", "--format", "json")
    assert code == 0, out
    plan: dict = json.loads(out)
    return plan


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_years_are_listed_with_their_files(db: str) -> None:
    listed = years(db)
    assert [y["year"] for y in listed] == [
        "2017/18",
        "2018/19",
        "2019/20",
        "2024/25",
        "2025/26",
        "2026/27",
    ]
    assert {y["from"] for y in listed} == {"shipped"}
    assert listed[-1]["source"].endswith("(kent-2026-27.toml)")
    assert listed[-1]["first_day"] == "2026-09-01" and listed[-1]["last_day"] == "2027-07-21"


def test_a_year_without_term_dates_is_a_problem_until_the_team_imports_them(
    db: str, tmp_path: Path
) -> None:
    before = plan_2028(db)
    assert [p for p in before["problems"] if p["body"] == "term-dates"] == [
        {
            "body": "term-dates",
            "cycle": None,
            "message": "No school term dates for 1 Jan to 31 Dec 2028: meetings there may fall "
            "in school holidays; import the dates with `lcpg terms import FILE`",
            "closest": None,
        }
    ]
    code, out = run(db, "plan", "--year", "2028", "--as-of", "2027-12-01", "--strict")
    assert code == 3
    assert "term-dates (no cycle): No school term dates for 1 Jan to 31 Dec 2028" in out

    csv = write(tmp_path, "team-terms.csv", TERMS_CSV)
    code, out = run(db, "terms", "import", str(csv), "--dry-run")
    assert code == 0, out
    assert out.splitlines() == [
        "Dry run: nothing was written.",
        f"2 academic years in {csv}:",
        "  2027/28: 3 terms, Mon 06 Sep 2027 to Fri 21 Jul 2028: added",
        "  2028/29: 3 terms, Mon 04 Sep 2028 to Fri 20 Jul 2029: added",
    ]
    assert len(years(db)) == 6  # nothing written

    code, out = run(db, "terms", "import", str(csv))
    assert code == 0, out
    assert "  2027/28: 3 terms, Mon 06 Sep 2027 to Fri 21 Jul 2028: added" in out
    listed = years(db)
    assert [(y["year"], y["from"]) for y in listed[-2:]] == [
        ("2027/28", "imported"),
        ("2028/29", "imported"),
    ]
    assert listed[-1]["source"] == "imported from team-terms.csv"

    # Importing the same file again changes nothing.
    code, out = run(db, "terms", "import", str(csv))
    assert code == 0, out
    assert out.splitlines()[-1] == "Nothing to change: these term dates are already recorded."
    assert "unchanged" in out

    after = plan_2028(db)
    assert not [p for p in after["problems"] if p["body"] == "term-dates"]
    for meeting in after["meetings"]:
        day = date.fromisoformat(meeting["start"][:10])
        if meeting["body"] != "chwb":  # the board sets its own dates
            assert not any(a <= day <= b for a, b in HOLIDAYS_2028), meeting


def test_an_imported_calendar_overrides_the_shipped_year_and_can_be_replaced(
    db: str, tmp_path: Path
) -> None:
    ics = write(
        tmp_path,
        "school.ics",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//example.org//terms//EN\r\n"
        "BEGIN:VEVENT\r\nUID:t1@example.org\r\nSUMMARY:Autumn\r\n"
        "DTSTART;VALUE=DATE:20260903\r\nDTEND;VALUE=DATE:20261219\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:t2@example.org\r\nSUMMARY:Spring\r\n"
        "DTSTART;VALUE=DATE:20270105\r\nDTEND;VALUE=DATE:20270326\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:t3@example.org\r\nSUMMARY:Summer\r\n"
        "DTSTART;VALUE=DATE:20270412\r\nDTEND;VALUE=DATE:20270721\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n",
    )
    code, out = run(db, "terms", "import", str(ics))
    assert code == 0, out
    assert out.splitlines()[1:] == [
        "  2026/27: 3 terms, Thu 03 Sep 2026 to Tue 20 Jul 2027: added (overrides the shipped "
        "kent-2026-27.toml)"
    ]
    (year,) = [y for y in years(db) if y["year"] == "2026/27"]
    assert (year["from"], year["replaces"], year["terms"]) == ("imported", "kent-2026-27.toml", 3)
    assert (year["first_day"], year["last_day"]) == ("2026-09-03", "2027-07-20")

    csv = write(tmp_path, "fix.csv", "name,start,end\nWhole year,2026-09-03,2026-12-18\n")
    code, out = run(db, "terms", "import", str(csv), "--dry-run")
    assert code == 0, out
    assert (
        "2026/27: 1 term, Thu 03 Sep 2026 to Fri 18 Dec 2026: replaces the dates imported " in out
    )
    (year,) = [y for y in years(db) if y["year"] == "2026/27"]
    assert year["terms"] == 3  # the dry run wrote nothing


def test_a_bad_file_is_refused_whole_naming_rows_and_columns(db: str, tmp_path: Path) -> None:
    csv = write(
        tmp_path,
        "bad.csv",
        TERMS_CSV + "Extra,2029-07-01,2029-07-31\nBackwards,2029-10-10,2029-09-10\n",
    )
    code, out = run(db, "terms", "import", str(csv))
    assert code == 1
    assert out == (
        f"Error: {csv}: 2 problems, nothing was imported:\n"
        "  bad.csv, row 8, column 'start': the term (2029-07-01 to 2029-07-31) overlaps "
        "'Summer 2029' on row 7 (2029-04-16 to 2029-07-20)\n"
        "  bad.csv, row 9, column 'end': the term ends (2029-09-10) before it starts "
        "(2029-10-10)\n"
    )
    assert len(years(db)) == 6  # not even the good rows were stored


def test_an_imported_year_next_to_a_shipped_one_makes_the_summer_between_known(
    db: str, tmp_path: Path
) -> None:
    # The README's example file: a fictional school's 2027/28 calendar.
    example = Path(__file__).resolve().parents[1] / "fixtures" / "terms" / "school-terms.ics"
    code, out = run(db, "plan", "--year", "2027", "--as-of", "2026-12-01", "--format", "json")
    (problem,) = [p for p in json.loads(out)["problems"] if p["body"] == "term-dates"]
    assert problem["message"].startswith("No school term dates for 22 Jul to 31 Dec 2027:")
    code, out = run(db, "terms", "import", str(example))
    assert code == 0, out
    assert "  2027/28: 6 terms, Mon 06 Sep 2027 to Fri 21 Jul 2028: added" in out
    code, out = run(db, "plan", "--year", "2027", "--as-of", "2026-12-01", "--format", "json")
    assert not [p for p in json.loads(out)["problems"] if p["body"] == "term-dates"]


def test_the_calendar_marks_the_days_without_term_dates(db: str, tmp_path: Path) -> None:
    out_file = tmp_path / "2027.svg"
    code, out = run(
        db, "calendar", "--year", "2027", "--as-of", "2026-12-01", "--out", str(out_file)
    )
    assert code == 0, out
    root = ET.fromstring(out_file.read_text(encoding="utf-8"))
    boxes = [
        rect.findtext(f"{SVG}title", "")
        for rect in root.iter(f"{SVG}rect")
        if rect.get("class") == "yv-problem"
    ]
    assert [t for t in boxes if "No school term dates for 22 Jul to 31 Dec 2027" in t] == [
        "No school term dates for 22 Jul to 31 Dec 2027: meetings there may fall in school "
        "holidays; import the dates with `lcpg terms import FILE`."
    ]
