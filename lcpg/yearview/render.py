"""Draw a ``YearView`` as a standalone SVG document or a printable HTML page.

Both functions are pure (no I/O, no clock) and deterministic: the same view gives the same
string. All geometry is computed here, in ``layout``; the Jinja2 templates in
``lcpg/yearview/templates/`` only print the numbers and the (autoescaped) text.

The picture, left to right: row labels, then the year from 1 January to 31 December with one
column per Monday-start week. A date's x position is proportional to its day in the year, so
everything reaching outside the year (a cycle straddling New Year) is clipped to its edges.
Back to front: school holidays (hatched), LCPG windows (tinted, over the LCPG rows only),
week lines, bank holidays (purple lines), problems (red boxes), meetings (one glyph each,
told apart by shape, not colour alone), problem badges ("!").

The viewBox is 1000 units wide; on A4 landscape (277 mm printable) one unit is about 0.78 pt,
so the smallest text (9 units) prints at about 7 pt.
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

import jinja2

from lcpg.domain.wording import MONTHS, short_span
from lcpg.yearview.model import LCPG_GROUP, ClosureKind, MarkStatus, YearView

__all__ = ["Layout", "layout", "render_html", "render_svg"]

# Geometry, in viewBox units.
WIDTH: Final = 1000.0
MARGIN: Final = 12.0
TITLE_BAND: Final = 34.0  # standalone SVG only: the visible title above the chart
ROW_HEIGHT: Final = 24.0
GROUP_GAP: Final = 8.0
LABEL_FONT: Final = 11.0
SMALL_FONT: Final = 9.0  # the floor: about 7 pt on A4 landscape
LEGEND_FONT: Final = 10.0
MARK_RADIUS: Final = 6.0
BADGE_RADIUS: Final = 5.5
LABEL_GAP: Final = 12.0  # between the longest label and the first day of the year
MIN_LABEL_WIDTH: Final = 90.0
MAX_LABEL_WIDTH: Final = 230.0
# Header, measured down from its top: month names, ISO week numbers, window labels, rows.
MONTH_BASELINE: Final = 12.0
MONTH_RULE: Final = (0.0, 16.0)  # the ticks between month names
WEEK_BASELINE: Final = 25.0
WEEK_RULE: Final = (16.0, 28.0)  # the week lines, through the week numbers only
PILL_TOP: Final = 30.0
PILL_HEIGHT: Final = 14.0
HEADER_HEIGHT: Final = 50.0
# From the middle of a line of text to its baseline, for the sans-serif faces we name.
BASELINE_SHIFT: Final = 0.35
# Average glyph advance of a sans-serif face as a fraction of the font size. An estimate (no
# font metrics without I/O), erring wide so a label we decide fits really does.
CHAR_WIDTH: Final = 0.58

WINDOW_GROUP: Final = LCPG_GROUP

COLOURS: Final[Mapping[str, str]] = {
    "ink": "#1a1a1a",
    "muted": "#4d5661",  # 7.4:1 on white
    "grid": "#dde1e6",
    "rule": "#8d97a3",
    "zebra": "#f3f5f7",
    "mark": "#173f79",  # dark blue, 10:1 on white and 8:1 on the window tint
    "cancelled": "#4d4d4d",
    "window": "#2b7bb9",
    "window_edge": "#7fb0d6",
    "school": "#fbefd5",
    "school_hatch": "#d9a441",
    "bank": "#6a3d9a",
    "problem": "#c62828",  # 5.6:1 on white
    "problem_text": "#a51d1d",
}
WINDOW_OPACITY: Final = 0.16


# What the legend explains, in this order, in both outputs: (key, text). The keys are the
# mark statuses plus one per shading; ``Glyph.kind`` uses the same keys.
LEGEND: Final[tuple[tuple[str, str], ...]] = (
    (MarkStatus.HELD.value, "Held"),
    (MarkStatus.CONFIRMED.value, "Confirmed"),
    (MarkStatus.PLANNED.value, "Planned"),
    (MarkStatus.PROPOSED.value, "Proposed (not saved)"),
    (MarkStatus.CANCELLED.value, "Cancelled"),
    ("window", "LCPG window"),
    ("school-holiday", "School holiday"),
    ("bank-holiday", "Bank holiday"),
    ("problem", "Planning problem"),
)


def text_width(text: str, size: float) -> float:
    """Estimated rendered width of ``text`` at font ``size`` (see ``CHAR_WIDTH``)."""
    return len(text) * size * CHAR_WIDTH


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle, already clipped to the year. ``title`` is its hover text,
    ``label`` a caption drawn inside it (empty when it would not fit)."""

    x0: float
    y0: float
    x1: float
    y1: float
    title: str = ""
    label: str = ""

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def baseline(self) -> float:
        """The baseline that centres a ``SMALL_FONT`` label vertically in the box."""
        return self.cy + SMALL_FONT * BASELINE_SHIFT


@dataclass(frozen=True)
class RowBox:
    """One row's band. ``label`` is what fits in the label column (ellipsised), ``full_label``
    the original; ``flagged`` when the row has a problem in the year (its label turns red)."""

    key: str
    label: str
    full_label: str
    group: str
    y0: float
    y1: float
    zebra: bool
    flagged: bool

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def baseline(self) -> float:
        """The baseline that centres the ``LABEL_FONT`` label on the row."""
        return self.cy + LABEL_FONT * BASELINE_SHIFT


@dataclass(frozen=True)
class Tick:
    """A labelled stretch of the time axis (a month or a week), clipped to the year.
    ``label`` is empty when it would not fit."""

    x0: float
    x1: float
    label: str

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(frozen=True)
class Line:
    """A vertical line at ``x`` from ``y0`` to ``y1`` with hover text."""

    x: float
    y0: float
    y1: float
    title: str = ""


@dataclass(frozen=True)
class Glyph:
    """One symbol centred on (cx, cy): a meeting mark (``kind`` is a ``MarkStatus`` value) or,
    in the legend, any ``LEGEND`` key. The properties give the shapes' coordinates so the
    templates need no arithmetic."""

    kind: str
    cx: float
    cy: float
    r: float
    title: str = ""

    @property
    def baseline(self) -> float:
        """The baseline that centres a ``SMALL_FONT`` character (the badge's "!")."""
        return self.cy + SMALL_FONT * BASELINE_SHIFT

    @property
    def diamond(self) -> str:
        """``points`` of a diamond a little larger than the circle (same visual weight)."""
        d = self.r * 1.3
        c, m = self.cx, self.cy
        return " ".join(
            f"{fmt(x)},{fmt(y)}" for x, y in ((c, m - d), (c + d, m), (c, m + d), (c - d, m))
        )

    @property
    def cross(self) -> str:
        """``d`` of an × the size of the circle."""
        d = self.r * 0.85
        c, m = self.cx, self.cy
        return (
            f"M{fmt(c - d)} {fmt(m - d)}L{fmt(c + d)} {fmt(m + d)}"
            f"M{fmt(c - d)} {fmt(m + d)}L{fmt(c + d)} {fmt(m - d)}"
        )


@dataclass(frozen=True)
class ProblemBox:
    """A problem's red box over its row and span (clipped), and where its "!" badge sits."""

    box: Box
    badge: Glyph


@dataclass(frozen=True)
class ProblemItem:
    """A problem as a line of the HTML list, in reading order."""

    row_label: str
    dates: str
    message: str


@dataclass(frozen=True)
class LegendEntry:
    """A legend item at (x, y): its swatch glyph (centred at ``glyph``) and text."""

    glyph: Glyph
    label: str
    text_x: float
    text_y: float


@dataclass(frozen=True)
class Layout:
    """Everything the templates draw, in viewBox units, for one view and one output.

    ``standalone`` layouts (``render_svg``) carry a visible title, legend and notes inside the
    SVG; embedded ones (``render_html``) leave those to the page around the picture.
    """

    width: float
    height: float
    margin: float
    title: str
    desc: str
    title_y: float | None
    plot: Box  # the rows' area: x0..x1 is exactly 1 January .. 31 December
    month_y: float
    month_rule: tuple[float, float]
    week_y: float
    week_rule: tuple[float, float]
    rows: tuple[RowBox, ...]
    separators: tuple[float, ...]
    months: tuple[Tick, ...]
    month_lines: tuple[float, ...]
    weeks: tuple[Tick, ...]
    week_lines: tuple[float, ...]
    school_holidays: tuple[Box, ...]
    windows: tuple[Box, ...]
    window_pills: tuple[Box, ...]
    bank_holidays: tuple[Line, ...]
    problems: tuple[ProblemBox, ...]
    marks: tuple[Glyph, ...]
    legend: tuple[LegendEntry, ...]
    notes: tuple[tuple[float, str], ...]
    problem_items: tuple[ProblemItem, ...]
    html_legend: tuple[LegendEntry, ...]
    note_texts: tuple[str, ...]


def fmt(value: float) -> str:
    """A coordinate as short, stable text: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class _Axis:
    """Maps days of ``year`` to x between ``x0`` (1 January) and ``x1`` (end of 31 December)."""

    def __init__(self, year: int, x0: float, x1: float) -> None:
        self.first = date(year, 1, 1)
        self.last = date(year, 12, 31)
        self.x0 = x0
        self.x1 = x1
        self.day = (x1 - x0) / ((self.last - self.first).days + 1)

    def left(self, day: date) -> float:
        """The x where ``day`` begins (may lie outside the year: callers clip)."""
        return self.x0 + (day - self.first).days * self.day

    def centre(self, day: date) -> float:
        return self.left(day) + self.day / 2

    def clip(self, start: date, end: date) -> tuple[float, float] | None:
        """x0..x1 of the days ``start``..``end`` (inclusive) inside the year, or None."""
        start, end = max(start, self.first), min(end, self.last)
        if start > end:
            return None
        return self.left(start), self.left(end) + self.day

    def contains(self, day: date) -> bool:
        return self.first <= day <= self.last


def _ellipsise(text: str, size: float, width: float) -> str:
    if text_width(text, size) <= width:
        return text
    keep = max(1, int(width / (size * CHAR_WIDTH)) - 1)
    return text[:keep].rstrip() + "…"


def _check_rows(view: YearView) -> dict[str, int]:
    index: dict[str, int] = {}
    for position, row in enumerate(view.rows):
        if row.key in index:
            raise ValueError(f"row {row.key!r} appears twice in the year view")
        index[row.key] = position
    for key in [m.row for m in view.marks] + [p.row for p in view.problems]:
        if key not in index:
            raise ValueError(f"a mark or problem names row {key!r}, which the view does not have")
    return index


def _rows(view: YearView, top: float, label_width: float) -> tuple[list[RowBox], list[float]]:
    """Stack the rows from ``top``, leaving a gap (with a rule in it) where the group changes."""
    first, last = date(view.year, 1, 1), date(view.year, 12, 31)
    flagged = {p.row for p in view.problems if p.start <= last and p.end >= first}
    boxes: list[RowBox] = []
    separators: list[float] = []
    y = top
    for position, row in enumerate(view.rows):
        if position and row.group != view.rows[position - 1].group:
            separators.append(y + GROUP_GAP / 2)
            y += GROUP_GAP
        boxes.append(
            RowBox(
                key=row.key,
                label=_ellipsise(row.label, LABEL_FONT, label_width),
                full_label=row.label,
                group=row.group,
                y0=y,
                y1=y + ROW_HEIGHT,
                zebra=position % 2 == 1,
                flagged=row.key in flagged,
            )
        )
        y += ROW_HEIGHT
    return boxes, separators


def _runs(rows: Sequence[RowBox], group: str) -> list[tuple[float, float]]:
    """The y extents of each unbroken run of rows in ``group`` (usually one)."""
    runs: list[tuple[float, float]] = []
    for row in rows:
        if row.group != group:
            continue
        if runs and abs(runs[-1][1] - row.y0) < 1e-9:
            runs[-1] = (runs[-1][0], row.y1)
        else:
            runs.append((row.y0, row.y1))
    return runs


def _months(axis: _Axis) -> tuple[list[Tick], list[float]]:
    """The twelve months (full names where they fit) and the x of each month's start."""
    year = axis.first.year
    ticks: list[Tick] = []
    lines: list[float] = []
    for month in range(1, 13):
        start = date(year, month, 1)
        end = date(year, month + 1, 1) - timedelta(days=1) if month < 12 else axis.last
        x0, x1 = axis.left(start), axis.left(end) + axis.day
        name = MONTHS[month - 1]
        if text_width(name, LABEL_FONT) > x1 - x0 - 4:
            name = name[:3]
        ticks.append(Tick(x0, x1, name))
        if month > 1:
            lines.append(x0)
    return ticks, lines


def _weeks(axis: _Axis) -> tuple[list[Tick], list[float]]:
    """Every Monday-start week touching the year, clipped to it, labelled with its ISO week
    number where the clipped column is wide enough (a 1-day stub on 1 January is not)."""
    ticks: list[Tick] = []
    lines: list[float] = []
    monday = axis.first - timedelta(days=axis.first.weekday())
    while monday <= axis.last:
        span = axis.clip(monday, monday + timedelta(days=6))
        assert span is not None  # every week we visit touches the year
        x0, x1 = span
        number = str(monday.isocalendar().week)
        fits = text_width(number, SMALL_FONT) <= x1 - x0 - 1
        ticks.append(Tick(x0, x1, number if fits else ""))
        if monday > axis.first:
            lines.append(x0)
        monday += timedelta(days=7)
    return ticks, lines


def _badge_x(x0: float, x1: float, taken: Iterable[float]) -> float:
    """Where a problem's "!" goes: the leftmost spot in its box clear of the row's marks, so
    the badge never hides a meeting; the box's left end when there is no clear spot."""
    clearance = MARK_RADIUS + BADGE_RADIUS + 1
    occupied = sorted(taken)
    x = x0 + BADGE_RADIUS + 1.5
    while x <= x1 - BADGE_RADIUS - 1.5:
        if all(abs(x - m) >= clearance for m in occupied):
            return x
        x += 1.0
    return x0 + BADGE_RADIUS + 1.5


def _legend(x0: float, top: float, right: float) -> tuple[list[LegendEntry], float]:
    """Flow the legend entries left to right from (x0, top), wrapping at ``right``. Returns
    the entries and the y just below the last line."""
    entries: list[LegendEntry] = []
    line_height = 18.0
    x, y = x0, top
    for key, text in LEGEND:
        # A slightly tighter estimate than CHAR_WIDTH: an error here only shifts the spacing.
        width = 24 + 6 + len(text) * LEGEND_FONT * 0.55 + 14
        if x + width > right and x > x0:
            x, y = x0, y + line_height
        middle = y + line_height / 2
        entries.append(
            LegendEntry(Glyph(key, x + 12, middle, MARK_RADIUS), text, x + 30, middle + 3.5)
        )
        x += width
    return entries, y + line_height


def _desc(view: YearView, marks: Sequence[Glyph], windows: int, problems: int) -> str:
    counts = {status: 0 for status in MarkStatus}
    for mark in marks:
        counts[MarkStatus(mark.kind)] += 1
    by_status = ", ".join(f"{counts[s]} {s.value}" for s in MarkStatus if counts[s])
    rows = f"{len(view.rows)} rows"
    if view.rows:
        rows += f", from {view.rows[0].label} to {view.rows[-1].label}"
    return (
        f"Weeks across from 1 January to 31 December {view.year}; {rows}. "
        f"{len(marks)} meetings ({by_status or 'none'}); {windows} LCPG windows; "
        f"{problems} planning problems."
    )


def layout(view: YearView, *, standalone: bool) -> Layout:
    """Compute every position the picture needs for ``view``.

    ``standalone`` adds the title band at the top and the legend and notes at the bottom (for
    ``render_svg``). Raises ``ValueError`` when two rows share a key or a mark or problem names
    a row the view does not have: that is a bug in whoever built the view, and drawing the
    rest would quietly hide a meeting.
    """
    index = _check_rows(view)
    longest = max((text_width(r.label, LABEL_FONT) for r in view.rows), default=0.0)
    label_width = min(max(longest, MIN_LABEL_WIDTH), MAX_LABEL_WIDTH)
    x0 = MARGIN + label_width + LABEL_GAP
    x1 = WIDTH - MARGIN
    axis = _Axis(view.year, x0, x1)

    title_y = MARGIN + 16 if standalone else None
    header_y = MARGIN + TITLE_BAND if standalone else 4.0
    rows_top = header_y + HEADER_HEIGHT
    rows, separators = _rows(view, rows_top, label_width)
    rows_bottom = rows[-1].y1 if rows else rows_top
    plot = Box(x0, rows_top, x1, rows_bottom)
    by_key = {row.key: row for row in rows}

    months, month_lines = _months(axis)
    weeks, week_lines = _weeks(axis)

    school: list[Box] = []
    bank: list[Line] = []
    for closure in sorted(view.closures, key=lambda c: (c.start, c.end, c.kind, c.name)):
        span = axis.clip(closure.start, closure.end)
        if span is None:
            continue
        when = short_span(closure.start, closure.end)
        if closure.kind is ClosureKind.BANK_HOLIDAY:
            # Centred on the day so a meeting mark on a bank holiday sits on the line.
            x = axis.centre(max(closure.start, axis.first))
            bank.append(Line(x, rows_top, rows_bottom, f"{closure.name}, {when}"))
        else:
            school.append(Box(span[0], rows_top, span[1], rows_bottom, f"{closure.name}, {when}"))

    windows: list[Box] = []
    pills: list[Box] = []
    lcpg_runs = _runs(rows, WINDOW_GROUP)
    for window in sorted(view.windows, key=lambda w: (w.start, w.end, w.label)):
        span = axis.clip(window.start, window.end)
        if span is None:
            continue
        title = f"{window.label}: LCPG window, {short_span(window.start, window.end)}"
        for top, bottom in lcpg_runs:
            windows.append(Box(span[0], top, span[1], bottom, title))
        fits = text_width(window.label, SMALL_FONT) <= span[1] - span[0] - 6
        pill_top = header_y + PILL_TOP
        pills.append(
            Box(
                span[0],
                pill_top,
                span[1],
                pill_top + PILL_HEIGHT,
                title,
                window.label if fits else "",
            )
        )

    order = {status: n for n, status in enumerate(MarkStatus)}
    marks: list[Glyph] = []
    # Cancelled first, so a live meeting on the same day is drawn over it; otherwise by row
    # and time, which keeps the output stable whatever order the view lists marks in.
    for mark in sorted(
        view.marks,
        key=lambda m: (
            m.status is not MarkStatus.CANCELLED,
            index[m.row],
            m.start.date(),
            m.start.time(),
            order[m.status],
            m.title,
        ),
    ):
        day = mark.start.date()
        if not axis.contains(day):
            continue
        row = by_key[mark.row]
        marks.append(Glyph(mark.status.value, axis.centre(day), row.cy, MARK_RADIUS, mark.title))

    problems: list[ProblemBox] = []
    items: list[ProblemItem] = []
    for problem in sorted(view.problems, key=lambda p: (p.start, index[p.row], p.end, p.message)):
        row = by_key[problem.row]
        items.append(
            ProblemItem(row.full_label, short_span(problem.start, problem.end), problem.message)
        )
        span = axis.clip(problem.start, problem.end)
        if span is None:
            continue
        box = Box(span[0], row.y0 + 1.5, span[1], row.y1 - 1.5, problem.message)
        taken = [g.cx for g in marks if abs(g.cy - row.cy) < 1e-9]
        x = _badge_x(span[0], span[1], taken)
        problems.append(ProblemBox(box, Glyph("problem", x, row.cy, BADGE_RADIUS, problem.message)))

    legend: list[LegendEntry] = []
    notes: list[tuple[float, str]] = []
    height = rows_bottom + MARGIN
    if standalone:
        legend, bottom = _legend(MARGIN, rows_bottom + 12, WIDTH - MARGIN)
        y = bottom + 4
        columns = int((WIDTH - 2 * MARGIN) / (SMALL_FONT * CHAR_WIDTH))
        for note in view.notes:
            for line in textwrap.wrap(note, columns) or [""]:
                y += SMALL_FONT + 4
                notes.append((y, line))
        height = y + MARGIN

    # The HTML legend draws each swatch in its own small SVG (viewBox 0 0 24 16).
    html_legend = tuple(
        LegendEntry(Glyph(key, 12, 8, MARK_RADIUS), text, 0, 0) for key, text in LEGEND
    )

    return Layout(
        width=WIDTH,
        height=height,
        margin=MARGIN,
        title=view.title,
        desc=_desc(view, marks, len(pills), len(problems)),
        title_y=title_y,
        plot=plot,
        month_y=header_y + MONTH_BASELINE,
        month_rule=(header_y + MONTH_RULE[0], header_y + MONTH_RULE[1]),
        week_y=header_y + WEEK_BASELINE,
        week_rule=(header_y + WEEK_RULE[0], header_y + WEEK_RULE[1]),
        rows=tuple(rows),
        separators=tuple(separators),
        months=tuple(months),
        month_lines=tuple(month_lines),
        weeks=tuple(weeks),
        week_lines=tuple(week_lines),
        school_holidays=tuple(school),
        windows=tuple(windows),
        window_pills=tuple(pills),
        bank_holidays=tuple(bank),
        problems=tuple(problems),
        marks=tuple(marks),
        legend=tuple(legend),
        notes=tuple(notes),
        problem_items=tuple(items),
        html_legend=html_legend,
        note_texts=view.notes,
    )


@functools.cache
def _environment() -> jinja2.Environment:
    """Built once: loading and compiling templates is the slow part."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("lcpg.yearview", "templates"),
        # SVG is XML: every title, venue and label must be escaped in both outputs.
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _render(template: str, view: YearView, *, standalone: bool) -> str:
    env = _environment()
    return env.get_template(template).render(
        view=view,
        layout=layout(view, standalone=standalone),
        colour=COLOURS,
        window_opacity=WINDOW_OPACITY,
        n=fmt,
        standalone=standalone,
    )


def render_svg(view: YearView) -> str:
    """A complete standalone SVG document (XML declaration, ``<svg>`` root) of ``view``.

    It carries its own visible title, legend and notes, a ``viewBox`` 1000 units wide and a
    physical size of 277 mm wide (A4 landscape's printable width). Raises ``ValueError`` as
    ``layout`` does.
    """
    return _render("yearview.svg.j2", view, standalone=True)


def render_html(view: YearView) -> str:
    """A complete standalone HTML5 page for ``view``: an ``<h1>`` title, the picture as inline
    SVG (the same drawing as ``render_svg`` without the title, legend and notes that the page
    shows as HTML), a legend, the problems ("Problems (N)" or "No planning problems.") and the
    notes. Print CSS fits it to one A4 landscape page; no script and no external resources.
    Raises ``ValueError`` as ``layout`` does.
    """
    return _render("yearview.html.j2", view, standalone=False)
