"""``lcpg calendar``: the year-at-a-glance picture, written as SVG or HTML."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from lcpg.bootstrap import App
from lcpg.errors import OutputError
from lcpg.files import write_atomically

if TYPE_CHECKING:
    from lcpg.yearview.model import YearView

FORMATS = (".html", ".svg")


@dataclass(frozen=True)
class CalendarResult:
    path: Path
    meetings: int
    proposed: int
    problems: int


def year_view(app: App, year: int, today: date) -> YearView:
    """The year-at-a-glance of ``year``: what the register holds, and where it has nothing yet
    the planner's proposals (planned against the register as of ``today``, never saved)."""
    from lcpg.services.planning import make_plan
    from lcpg.yearview.build import build_year_view

    result = make_plan(app, year, today=today)
    short_names = {slug: body.short_name for slug, body in app.blueprint.bodies.items()}
    return build_year_view(
        f"{app.blueprint.name}: meetings in {year}",
        short_names,
        result.register,
        result.plan,
        result.days,
    )


def write_year_calendar(app: App, year: int, out: Path, today: date) -> CalendarResult:
    """Plan ``year`` against the register (without saving) and write its picture to ``out``:
    HTML when it ends in ``.html``, SVG when ``.svg``. Raises ``OutputError`` when it cannot be
    written."""
    from lcpg.yearview.model import MarkStatus
    from lcpg.yearview.render import render_html, render_svg

    view = year_view(app, year, today)
    write_text(out, render_html(view) if out.suffix.lower() == ".html" else render_svg(view))
    return CalendarResult(
        path=out,
        meetings=len(view.marks),
        proposed=sum(1 for m in view.marks if m.status is MarkStatus.PROPOSED),
        problems=len(view.problems),
    )


def write_text(out: Path, text: str) -> None:
    """Write ``text`` to ``out`` atomically (creating its folder). Raises ``OutputError``
    when it cannot."""
    try:
        write_atomically(out, text.encode("utf-8"))
    except OSError as exc:
        raise OutputError(f"cannot write {out}: {exc.strerror or exc}") from None
