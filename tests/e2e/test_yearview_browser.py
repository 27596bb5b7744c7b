"""The year-at-a-glance page in a real browser: it renders on screen and prints on one page.

Headless Chromium takes a screenshot (set ``LCPG_ARTIFACTS`` to a folder to keep it for a
human to look at) and prints the page to PDF, which must be exactly one A4 landscape page.
"""

from __future__ import annotations

import re
from pathlib import Path

from lcpg.yearview.render import render_html
from tests.e2e.browser import keep_artifact, run_chromium
from tests.unit.test_yearview import kent_year_view

# A4 landscape in PDF points (1/72 in): 297 mm x 210 mm.
A4_LANDSCAPE = (842.0, 595.0)


def _write_page(tmp_path: Path) -> Path:
    page = tmp_path / "yearview.html"
    page.write_text(render_html(kent_year_view()), encoding="utf-8")
    return page


def test_the_page_renders_on_screen(chromium: Path, tmp_path: Path) -> None:
    page = _write_page(tmp_path)
    png = tmp_path / "yearview.png"
    run_chromium(
        chromium, tmp_path / "profile", page, f"--screenshot={png}", "--window-size=1600,1100"
    )
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # A blank or error page compresses to a few kB; the drawn year is far larger.
    assert png.stat().st_size > 10_000
    keep_artifact(png)


def test_the_year_prints_on_one_a4_landscape_page(chromium: Path, tmp_path: Path) -> None:
    page = _write_page(tmp_path)
    pdf = tmp_path / "yearview.pdf"
    run_chromium(
        chromium, tmp_path / "profile", page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer"
    )
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    # Page objects, not the /Pages tree node.
    assert len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data)) == 1
    # The CSS @page size wins over the default Letter portrait.
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    assert boxes, "no MediaBox in the PDF"
    width, height = (float(v) for v in boxes[0])
    assert abs(width - A4_LANDSCAPE[0]) < 2 and abs(height - A4_LANDSCAPE[1]) < 2
    keep_artifact(pdf)
