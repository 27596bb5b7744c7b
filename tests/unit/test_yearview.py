"""The year-at-a-glance renderer: structure of the SVG and the HTML page, by parsing them.

``kent_year_view`` is a hand-built, Kent-like 2027 view (CHWB, the twelve LCPGs, the Chairs
and Safeguarding Groups; cycles straddling both New Years; marks of every status; bank and
school holidays; problems) that the browser test in ``tests/e2e`` draws too.
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Collection
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from html.parser import HTMLParser

import pytest

from lcpg.yearview.model import (
    Closure,
    ClosureKind,
    Mark,
    MarkStatus,
    ProblemMark,
    Row,
    Window,
    YearView,
)
from lcpg.yearview.render import render_html, render_svg

SVG = "{http://www.w3.org/2000/svg}"
YEAR = 2027
RED = "#c62828"

DISTRICTS = (
    ("ashford", "Ashford"),
    ("canterbury", "Canterbury"),
    ("dartford", "Dartford"),
    ("dover", "Dover"),
    ("folkestone-and-hythe", "Folkestone & Hythe"),
    ("gravesham", "Gravesham"),
    ("maidstone", "Maidstone"),
    ("sevenoaks", "Sevenoaks"),
    ("swale", "Swale"),
    ("thanet", "Thanet"),
    ("tonbridge-and-malling", "Tonbridge & Malling"),
    ("tunbridge-wells", "Tunbridge Wells"),
)
# Second Wednesdays, roughly every two months; the first and last cycles straddle New Year.
CHWB_DATES = (
    date(2026, 12, 9),
    date(2027, 2, 10),
    date(2027, 4, 14),
    date(2027, 6, 16),
    date(2027, 9, 15),
    date(2027, 11, 17),
    date(2028, 1, 19),
)
AS_OF = date(2027, 6, 1)
BANK_HOLIDAYS = (
    (date(2026, 12, 28), "Boxing Day (substitute day)"),
    (date(2027, 1, 1), "New Year's Day"),
    (date(2027, 3, 26), "Good Friday"),
    (date(2027, 3, 29), "Easter Monday"),
    (date(2027, 5, 3), "Early May bank holiday"),
    (date(2027, 5, 31), "Spring bank holiday"),
    (date(2027, 8, 30), "Summer bank holiday"),
    (date(2027, 12, 27), "Christmas Day (substitute day)"),
    (date(2027, 12, 28), "Boxing Day (substitute day)"),
    (date(2028, 1, 3), "New Year's Day (substitute day)"),
)
SCHOOL_HOLIDAYS = (
    (date(2026, 12, 21), date(2027, 1, 1), "Christmas holidays 2026"),
    (date(2027, 2, 15), date(2027, 2, 19), "February half term 2027"),
    (date(2027, 3, 29), date(2027, 4, 9), "Easter holidays 2027"),
    (date(2027, 5, 31), date(2027, 6, 4), "May half term 2027"),
    (date(2027, 7, 21), date(2027, 9, 1), "Summer holidays 2027"),
    (date(2027, 10, 25), date(2027, 10, 29), "October half term 2027"),
    (date(2027, 12, 20), date(2028, 1, 3), "Christmas holidays 2027"),
)
NOTE = "School holidays are from the Kent term dates for 2026-27 and 2027-28."


def _free(day: date, taken: Collection[date] = ()) -> date:
    """The first weekday from ``day`` that is neither a bank nor a school holiday nor taken."""
    bank = {d for d, _ in BANK_HOLIDAYS}
    while (
        day.weekday() >= 5
        or day in bank
        or day in taken
        or any(start <= day <= end for start, end, _ in SCHOOL_HOLIDAYS)
    ):
        day += timedelta(days=1)
    return day


def _status(day: date, cancelled: bool) -> MarkStatus:
    if cancelled:
        return MarkStatus.CANCELLED
    if day < AS_OF:
        return MarkStatus.HELD
    if day < AS_OF + timedelta(days=30):
        return MarkStatus.CONFIRMED
    if day < date(2027, 10, 1):
        return MarkStatus.PLANNED
    return MarkStatus.PROPOSED


def _mark(row: str, name: str, day: date, venue: str, cancelled: bool = False) -> Mark:
    start = datetime.combine(day, time(10, 0))
    status = _status(day, cancelled)
    return Mark(
        row=row,
        start=start,
        status=status,
        title=f"{name}: {day:%a} {day.day} {day:%b %Y}, 10:00, {venue} ({status.value})",
    )


def kent_year_view() -> YearView:
    """A realistic Kent 2027 year view, built by hand."""
    rows = (
        Row("chwb", "CHWB", "county"),
        *(Row(f"lcpg-{slug}", name, "lcpg") for slug, name in DISTRICTS),
        Row("chairs-group", "Chairs Group", "groups"),
        Row("safeguarding-group", "Safeguarding Group", "groups"),
    )
    marks: list[Mark] = []
    windows: list[Window] = []
    for number, (chwb, next_chwb) in enumerate(itertools.pairwise(CHWB_DATES)):
        marks.append(_mark("chwb", "CHWB", chwb, "Sessions House, Maidstone"))
        windows.append(
            Window(chwb + timedelta(days=7), next_chwb - timedelta(days=14), f"CHWB {chwb}")
        )
        last = chwb
        taken: set[date] = set()
        for position, (slug, name) in enumerate(DISTRICTS):
            # Sevenoaks meets quarterly (the seed's complaint) and has nothing in the last
            # cycle; Thanet cancelled once.
            if slug == "sevenoaks" and number == len(CHWB_DATES) - 2:
                continue
            # One LCPG a day at most, as the co-ordinators share a team.
            day = _free(chwb + timedelta(days=8 + 2 * position), taken)
            taken.add(day)
            cancelled = (slug == "sevenoaks" and number % 2 == 1) or (
                slug == "thanet" and number == 2
            )
            venue = f"{name} Gateway" if position % 3 else f"{name} District Council Offices"
            marks.append(_mark(f"lcpg-{slug}", f"{name} LCPG", day, venue, cancelled))
            last = max(last, day)
        marks.append(
            _mark("chairs-group", "Chairs Group", _free(last + timedelta(days=4)), "Oakwood House")
        )
    marks.append(_mark("chwb", "CHWB", CHWB_DATES[-1], "Sessions House, Maidstone"))
    for day in (date(2027, 3, 3), date(2027, 6, 9), date(2027, 9, 29), date(2027, 12, 8)):
        marks.append(_mark("safeguarding-group", "Safeguarding Group", day, "Invicta House"))
    closures = [Closure(d, d, ClosureKind.BANK_HOLIDAY, name) for d, name in BANK_HOLIDAYS]
    closures += [Closure(s, e, ClosureKind.SCHOOL_HOLIDAY, n) for s, e, n in SCHOOL_HOLIDAYS]
    problems = (
        ProblemMark(
            "lcpg-sevenoaks",
            date(2027, 11, 17),
            date(2028, 1, 18),
            "No meeting planned in this cycle (plan.coverage)",
        ),
        ProblemMark(
            "lcpg-sevenoaks",
            date(2027, 2, 10),
            date(2027, 4, 13),
            "Meets quarterly, not every two months (cadence.bimonthly)",
        ),
    )
    return YearView(
        year=YEAR,
        title=f"Kent LCPG meeting cycle {YEAR}",
        rows=rows,
        marks=tuple(marks),
        windows=tuple(windows),
        closures=tuple(closures),
        problems=problems,
        notes=(NOTE,),
    )


# --- helpers -------------------------------------------------------------------------------


def _svg_root(text: str) -> ET.Element:
    return ET.fromstring(text.encode())


def _chart_of_html(page: str) -> ET.Element:
    """The picture inside the page, parsed as XML (the page embeds it verbatim)."""
    found = re.search(r'<svg xmlns="http://www.w3.org/2000/svg" id="yv-chart".*?</svg>', page, re.S)
    assert found, "no inline chart SVG in the page"
    return ET.fromstring(found.group(0))


def _by_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if name in (e.get("class") or "").split()]


def _title(element: ET.Element) -> str:
    title = element.find(f"{SVG}title")
    assert title is not None, f"{element.tag} {element.attrib} has no <title>"
    return title.text or ""


def _frame(root: ET.Element) -> tuple[float, float]:
    (frame,) = _by_class(root, "yv-plot-frame")
    x0 = float(frame.get("x", ""))
    return x0, x0 + float(frame.get("width", ""))


def _centre(mark: ET.Element) -> tuple[float, float]:
    """The centre of a mark's glyph: a circle's centre or a diamond's mean vertex."""
    circle = mark.find(f"{SVG}circle")
    if circle is not None:
        return float(circle.get("cx", "")), float(circle.get("cy", ""))
    polygon = mark.find(f"{SVG}polygon")
    assert polygon is not None
    points = [tuple(map(float, p.split(","))) for p in (polygon.get("points") or "").split()]
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def _in_year(day: date) -> bool:
    return day.year == YEAR


@pytest.fixture(scope="module")
def view() -> YearView:
    return kent_year_view()


@pytest.fixture(scope="module")
def svg(view: YearView) -> ET.Element:
    return _svg_root(render_svg(view))


@pytest.fixture(scope="module")
def page(view: YearView) -> str:
    return render_html(view)


# --- the SVG document ----------------------------------------------------------------------


def test_svg_is_a_standalone_accessible_document(view: YearView) -> None:
    text = render_svg(view)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')
    root = _svg_root(text)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "yv-title yv-desc"
    assert _title(root) == "Kent LCPG meeting cycle 2027"
    desc = root.find(f"{SVG}desc")
    assert desc is not None and "1 January to 31 December 2027" in (desc.text or "")
    min_x, min_y, width, height = map(float, (root.get("viewBox") or "").split())
    assert (min_x, min_y, width) == (0, 0, 1000)
    # Sized for A4 landscape: 277 mm wide and no taller than the printable 190 mm.
    assert root.get("width") == "277mm"
    assert float((root.get("height") or "").removesuffix("mm")) <= 190
    assert height > 0


def test_rows_are_labelled_in_order_with_separators_between_groups(
    view: YearView, svg: ET.Element
) -> None:
    labels = _by_class(svg, "yv-row-label")
    assert [e.text for e in labels] == [row.label for row in view.rows]
    assert [e.get("data-row") for e in labels] == [row.key for row in view.rows]
    ys = [float(e.get("y", "")) for e in labels]
    assert ys == sorted(ys)
    (separators,) = _by_class(svg, "yv-separators")
    assert len(list(separators)) == 2  # county | lcpg | groups


def test_header_has_months_and_every_iso_week(svg: ET.Element) -> None:
    months = [e.text for e in _by_class(svg, "yv-month")]
    assert months[0] == "January" and months[-1] == "December" and len(months) == 12
    weeks = [e.text for e in _by_class(svg, "yv-week")]
    # 2027 starts on a Friday: ISO week 53 of 2026 is a 3-day stub, too narrow for its number.
    assert weeks == [str(n) for n in range(1, 53)]


def test_every_mark_in_the_year_has_its_glyph_and_title(view: YearView, svg: ET.Element) -> None:
    expected = Counter((m.status.value, m.title) for m in view.marks if _in_year(m.start.date()))
    drawn = _by_class(svg, "yv-mark")
    assert Counter((g.get("data-status"), _title(g)) for g in drawn) == expected
    assert {status for status, _ in expected} == {s.value for s in MarkStatus}
    for mark in drawn:
        shapes = [e for e in mark if e.tag != f"{SVG}title"]
        status = mark.get("data-status")
        if status == "held":
            assert [s.tag for s in shapes] == [f"{SVG}circle"]
            assert shapes[0].get("fill") != "#fff" and shapes[0].get("stroke") is None
        elif status == "confirmed":
            assert [s.tag for s in shapes] == [f"{SVG}polygon"]
            assert len((shapes[0].get("points") or "").split()) == 4
        elif status == "planned":
            assert [s.tag for s in shapes] == [f"{SVG}circle"]
            assert shapes[0].get("fill") == "#fff" and shapes[0].get("stroke")
            assert shapes[0].get("stroke-dasharray") is None
        elif status == "proposed":
            assert [s.tag for s in shapes] == [f"{SVG}circle"]
            assert shapes[0].get("fill") == "#fff" and shapes[0].get("stroke-dasharray")
        else:
            assert status == "cancelled"
            assert shapes[-1].tag == f"{SVG}path" and shapes[-1].get("fill") == "none"
            assert (shapes[-1].get("d") or "").count("M") == 2  # the two strokes of an ×


def test_marks_sit_on_their_day_and_row(view: YearView, svg: ET.Element) -> None:
    x0, x1 = _frame(svg)
    day_width = (x1 - x0) / 365
    rows = {e.get("data-row"): float(e.get("y", "")) for e in _by_class(svg, "yv-row-label")}
    by_title = {m.title: m for m in view.marks}
    for drawn in _by_class(svg, "yv-mark"):
        mark = by_title[_title(drawn)]
        cx, cy = _centre(drawn)
        day_of_year = mark.start.timetuple().tm_yday - 1
        assert cx == pytest.approx(x0 + (day_of_year + 0.5) * day_width, abs=0.01)
        # The label's baseline sits a little below the row's middle (11 * 0.35 = 3.85).
        assert cy == pytest.approx(rows[mark.row] - 3.85, abs=0.01)


def test_windows_shade_only_the_lcpg_rows_and_are_clipped(view: YearView, svg: ET.Element) -> None:
    x0, x1 = _frame(svg)
    labels = {e.get("data-row"): float(e.get("y", "")) for e in _by_class(svg, "yv-row-label")}
    first_lcpg, last_lcpg = labels["lcpg-ashford"], labels["lcpg-tunbridge-wells"]
    windows = _by_class(svg, "yv-window")
    assert len(windows) == len(view.windows) == 6  # all six cycles touch 2027
    for rect in windows:
        top = float(rect.get("y", ""))
        bottom = top + float(rect.get("height", ""))
        assert top < first_lcpg < last_lcpg < bottom
        assert labels["chwb"] < top and bottom < labels["chairs-group"]
        assert "LCPG window" in _title(rect)
    # The first cycle's window opens in December 2026 and the last closes in January 2028.
    assert float(windows[0].get("x", "")) == pytest.approx(x0)
    last = windows[-1]
    assert float(last.get("x", "")) + float(last.get("width", "")) == pytest.approx(x1)
    pills = _by_class(svg, "yv-window-label")
    assert len(pills) == 6
    assert "CHWB 2027-02-10" in [e.text for pill in pills for e in pill.iter(f"{SVG}text")]


def test_bank_and_school_holidays_are_drawn_and_explained(svg: ET.Element) -> None:
    banks = _by_class(svg, "yv-bank-holiday")
    assert len(banks) == sum(_in_year(d) for d, _ in BANK_HOLIDAYS) == 8
    assert any(_title(g).startswith("Good Friday, 26 Mar 2027") for g in banks)
    assert all(g.find(f"{SVG}line") is not None for g in banks)
    schools = _by_class(svg, "yv-school-holiday")
    assert len(schools) == len(SCHOOL_HOLIDAYS)
    assert {rect.get("fill") for rect in schools} == {"url(#yv-school-hatch)"}
    assert svg.find(f".//{SVG}pattern[@id='yv-school-hatch']") is not None
    assert _title(schools[0]) == "Christmas holidays 2026, 21 Dec 2026 – 1 Jan 2027"
    legend = {g.get("data-key") for g in _by_class(svg, "yv-legend-entry")}
    assert legend == {
        "held",
        "confirmed",
        "planned",
        "proposed",
        "cancelled",
        "window",
        "school-holiday",
        "bank-holiday",
        "problem",
    }


def test_problems_are_red_boxes_with_a_badge_and_their_message(
    view: YearView, svg: ET.Element
) -> None:
    boxes = _by_class(svg, "yv-problem")
    assert [_title(b) for b in boxes] == [p.message for p in view.problems[::-1]]
    assert {b.get("stroke") for b in boxes} == {RED}
    badges = _by_class(svg, "yv-badge")
    assert [_title(b) for b in badges] == [_title(b) for b in boxes]
    for badge in badges:
        assert badge.find(f"{SVG}circle") is not None
        assert [t.text for t in badge.iter(f"{SVG}text")] == ["!"]
    (sevenoaks,) = [e for e in _by_class(svg, "yv-row-label") if e.text == "Sevenoaks"]
    assert sevenoaks.get("fill") == "#a51d1d"
    # A badge never hides a meeting on its row.
    marks = [_centre(m) for m in _by_class(svg, "yv-mark")]
    for badge in badges:
        bx, by = _centre(badge)
        assert all(abs(bx - mx) > 11 for mx, my in marks if my == by)


def test_nothing_is_drawn_outside_the_year(svg: ET.Element) -> None:
    x0, x1 = _frame(svg)
    for name in ("yv-window", "yv-school-holiday", "yv-problem"):
        for rect in _by_class(svg, name):
            left = float(rect.get("x", ""))
            assert x0 - 1e-6 <= left < left + float(rect.get("width", "")) <= x1 + 1e-6
    for group in _by_class(svg, "yv-bank-holiday"):
        line = group.find(f"{SVG}line")
        assert line is not None and x0 < float(line.get("x1", "")) < x1
    for mark in _by_class(svg, "yv-mark"):
        assert x0 < _centre(mark)[0] < x1
    titles = " ".join(_title(m) for m in _by_class(svg, "yv-mark"))
    assert "2026" not in titles and "2028" not in titles


def test_notes_appear_in_the_svg(svg: ET.Element) -> None:
    (notes,) = _by_class(svg, "yv-notes")
    assert " ".join(t.text or "" for t in notes) == NOTE


def test_long_labels_are_shortened_with_the_full_text_as_title(view: YearView) -> None:
    long_label = "Children's Health and Wellbeing Board (the 0-25 Health and Wellbeing Board)"
    rows = (replace(view.rows[0], label=long_label), *view.rows[1:])
    root = _svg_root(render_svg(replace(view, rows=rows)))
    first = _by_class(root, "yv-row-label")[0]
    assert first.text is None or not first.text  # the <title> comes first
    title = first.find(f"{SVG}title")
    assert title is not None and title.text == long_label
    assert title.tail is not None and title.tail.endswith("…")
    assert len(title.tail) < len(long_label)


# --- the HTML page -------------------------------------------------------------------------


class _Outline(HTMLParser):
    """The tags of a page in order, and whether anything loads from outside."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: dict[str, list[dict[str, str | None]]] = {}
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.setdefault(tag, []).append(dict(attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _outline(page: str) -> _Outline:
    parser = _Outline()
    parser.feed(page)
    parser.close()
    return parser


def test_html_is_a_standalone_printable_page(page: str) -> None:
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    outline = _outline(page)
    assert outline.tags.count("h1") == 1
    assert "script" not in outline.tags and "<script" not in page.lower()
    # No external resources: nothing to fetch, no stylesheet links, no web fonts.
    for tag in ("link", "img", "iframe", "object", "embed"):
        assert tag not in outline.tags
    assert "@import" not in page and "@font-face" not in page
    assert re.findall(r"https?://[^\s\"')]+", page) == ["http://www.w3.org/2000/svg"]
    assert re.search(r"@page\s*\{\s*size:\s*A4 landscape;\s*margin:\s*10mm;", page)
    assert re.search(r"\.yearview\s*\{[^}]*break-inside:\s*avoid", page)
    assert "@media print" in page
    (main_svg,) = [a for a in outline.attrs["svg"] if a.get("id") == "yv-chart"]
    assert main_svg["role"] == "img" and main_svg["width"] == "100%"


def test_html_embeds_the_same_picture_without_its_own_legend(
    view: YearView, svg: ET.Element, page: str
) -> None:
    chart = _chart_of_html(page)
    for name in ("yv-mark", "yv-window", "yv-bank-holiday", "yv-school-holiday", "yv-problem"):
        standalone = [(e.get("data-status"), _title(e)) for e in _by_class(svg, name)]
        assert [(e.get("data-status"), _title(e)) for e in _by_class(chart, name)] == standalone
    # The page has an <h1>, an HTML legend and notes, so the picture leaves them out.
    assert not _by_class(chart, "yv-legend") and not _by_class(chart, "yv-heading")
    legend = re.findall(r'<li data-key="([a-z-]+)"><svg viewBox="0 0 24 16"', page)
    assert legend == [
        "held",
        "confirmed",
        "planned",
        "proposed",
        "cancelled",
        "window",
        "school-holiday",
        "bank-holiday",
        "problem",
    ]
    assert "School holiday</li>" in page and "Bank holiday</li>" in page


def test_html_lists_problems_in_date_order_and_the_notes(page: str) -> None:
    section = re.search(r'<section class="problems".*?</section>', page, re.S)
    assert section is not None
    assert '<h2 id="problems-heading">Problems (2)</h2>' in section.group(0)
    items = re.findall(r"<li>(.*?)</li>", section.group(0), re.S)
    assert items == [
        '<span class="row">Sevenoaks</span>, <span class="dates">10 Feb – 13 Apr 2027</span>: '
        "Meets quarterly, not every two months (cadence.bimonthly)",
        '<span class="row">Sevenoaks</span>, <span class="dates">17 Nov 2027 – 18 Jan 2028'
        "</span>: No meeting planned in this cycle (plan.coverage)",
    ]
    assert f"<li>{NOTE}</li>" in page


def test_html_says_when_there_are_no_problems(view: YearView) -> None:
    page = render_html(replace(view, problems=(), notes=()))
    assert "No planning problems." in page and "Problems (0)" in page
    assert "Notes</h2>" not in page
    assert not _by_class(_chart_of_html(page), "yv-problem")


# --- both outputs --------------------------------------------------------------------------


def test_text_is_escaped_in_both_outputs(view: YearView) -> None:
    nasty = "<script>alert('x')</script> & Co"
    inside = next(m for m in view.marks if _in_year(m.start.date()))
    mark = replace(inside, title=f"Venue: {nasty}")
    hostile = replace(
        view,
        title=nasty,
        rows=(replace(view.rows[0], label=nasty), *view.rows[1:]),
        marks=(mark, *view.marks),
        problems=(replace(view.problems[0], message=nasty),),
        notes=(nasty,),
    )
    svg_text, page = render_svg(hostile), render_html(hostile)
    for text in (svg_text, page):
        assert "<script" not in text
        assert "&lt;script&gt;" in text and "&amp; Co" in text
    root = _svg_root(svg_text)
    assert _title(root) == nasty
    assert f"Venue: {nasty}" in [_title(e) for e in _by_class(root, "yv-mark")]
    assert _title(_chart_of_html(page)) == nasty
    outline = _outline(page)
    assert "script" not in outline.tags
    assert nasty in "".join(outline.text)


def test_output_is_deterministic_whatever_the_input_order(view: YearView) -> None:
    shuffled = replace(
        view,
        marks=view.marks[::-1],
        windows=view.windows[::-1],
        closures=view.closures[::-1],
        problems=view.problems[::-1],
    )
    assert render_svg(view) == render_svg(view) == render_svg(shuffled)
    assert render_html(view) == render_html(view) == render_html(shuffled)


def test_an_empty_view_still_renders(view: YearView) -> None:
    empty = YearView(
        year=2028, title="Nothing yet", rows=(), marks=(), windows=(), closures=(), problems=()
    )
    root = _svg_root(render_svg(empty))
    # 2028 is a leap year starting on a Saturday: ISO week 52 of 2027 is a 2-day stub, unlabelled.
    weeks = [e.text for e in _by_class(root, "yv-week")]
    assert weeks == [str(n) for n in range(1, 53)]
    assert "No planning problems." in render_html(empty)


def test_an_unknown_row_is_a_bug_not_a_missing_mark(view: YearView) -> None:
    stray_mark = replace(view.marks[0], row="lcpg-nowhere")
    with pytest.raises(ValueError, match="lcpg-nowhere"):
        render_svg(replace(view, marks=(*view.marks, stray_mark)))
    stray_problem = replace(view.problems[0], row="lcpg-nowhere")
    with pytest.raises(ValueError, match="lcpg-nowhere"):
        render_html(replace(view, problems=(*view.problems, stray_problem)))


def test_duplicate_rows_are_refused(view: YearView) -> None:
    with pytest.raises(ValueError, match="twice"):
        render_html(replace(view, rows=(*view.rows, view.rows[0])))
