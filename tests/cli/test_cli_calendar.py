"""`lcpg calendar`: the year at a glance written as HTML or SVG from the register and plan."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from tests.cli.commands import run


def test_calendar_html_and_svg(database_url: str, tmp_path: Path) -> None:
    assert run(database_url, "init")[0] == 0
    assert run(database_url, "plan", "--year", "2018", "--as-of", "2017-12-01", "--save")[0] == 0
    html = tmp_path / "out" / "2018.html"
    code, out = run(
        database_url, "calendar", "--year", "2018", "--as-of", "2017-12-01", "--out", str(html)
    )
    assert code == 0, out
    assert out.strip() == f"Wrote {html}: 88 meetings (0 proposed, not yet saved), 0 problems."
    page = html.read_text(encoding="utf-8")
    assert "<h1>Kent Local Children&#39;s Partnership Groups: meetings in 2018</h1>" in page
    assert "Gravesham LCPG: Wed 17 Jan 2018 10:00 (planned). first Wednesday" in page
    assert "Easter holidays 2018" in page and "Good Friday" in page
    svg = tmp_path / "2018.svg"
    code, out = run(
        database_url, "calendar", "--year", "2018", "--as-of", "2017-12-01", "--out", str(svg)
    )
    assert code == 0
    root = ET.fromstring(svg.read_text(encoding="utf-8"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    labels = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "CHWB" in labels and "Gravesham" in labels and "Safeguarding Group" in labels


def test_unplanned_year_shows_proposals(database_url: str, tmp_path: Path) -> None:
    assert run(database_url, "init")[0] == 0
    code, out = run(
        database_url,
        "calendar",
        "--year",
        "2019",
        "--as-of",
        "2018-06-01",
        "--out",
        str(tmp_path / "c.html"),
    )
    assert code == 0
    assert "(88 proposed, not yet saved)" in out


def test_calendar_needs_html_or_svg(database_url: str, tmp_path: Path) -> None:
    assert run(database_url, "init")[0] == 0
    code, out = run(database_url, "calendar", "--year", "2018", "--out", str(tmp_path / "c.pdf"))
    assert code == 2 and "must end in .html or .svg" in out
