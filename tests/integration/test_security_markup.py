"""Threat: markup injection through names and venues (SECURITY.md).

A register whose district is called ``Gravesham <script>...`` (in the blueprint), whose
Gravesham chair is called ``<script>alert(1)</script> "onmouseover=alert(1) x="`` and whose
next Gravesham meeting is at such a venue (both imported as a user would) shows those texts
as text everywhere HTML is made: the dashboard over HTTP behind its login, the HTML compliance
report, the year-at-a-glance page and the e-mails' HTML part. No script element, no event
handler attribute; the text itself is there, escaped.
"""

from __future__ import annotations

import email
import re
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default
from html.parser import HTMLParser
from pathlib import Path

import pytest

from lcpg.bootstrap import App
from lcpg.services.register import import_register, load_register
from lcpg.web.app import WebSettings, create_app
from tests.conftest import DEMO_TODAY
from tests.hostile import demo_with_gravesham_named, gravesham_chair
from tests.samples import csv_folder

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"onmouseover=alert(1) x="'
EVIL = f"{SCRIPT} {ATTRIBUTE}"
DISTRICT = f"Gravesham {SCRIPT}"


class Outline(HTMLParser):
    """Every tag, every attribute name and all the text of a page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def assert_inert(html: str, *shown: str) -> None:
    """``html`` has no script and no event handler, and shows each of ``shown`` as text."""
    outline = Outline(html)
    assert "script" not in outline.tags
    assert not [name for name in outline.attributes if name.startswith("on")]
    assert SCRIPT not in html
    text = " ".join(" ".join(outline.text).split())
    for value in shown:
        assert " ".join(value.split()) in text, value


@pytest.fixture
def hostile(database_url: str, tmp_path: Path) -> Iterator[tuple[App, str]]:
    """The demo register under a blueprint with a hostile district name, then a hostile name
    for the Gravesham chair and a hostile venue for its next meeting, imported; the app and
    the chair's address."""
    app = demo_with_gravesham_named(database_url, tmp_path, f"name = '{DISTRICT}'")
    register = load_register(app)
    person = gravesham_chair(register)
    meeting = next(
        m
        for m in sorted(register.meetings_of("lcpg-gravesham"), key=lambda m: m.start)
        if m.start.date() >= DEMO_TODAY
    )
    quoted = EVIL.replace('"', '""')
    folder = csv_folder(
        tmp_path / "hostile",
        people=f'email,name,organisation\n{person.email},"{quoted}",{person.organisation}\n',
        memberships="body,email,sector,roles,start,end\n",
        meetings="body,start,end,venue,status\n"
        f"lcpg-gravesham,{meeting.start:%Y-%m-%dT%H:%M},{meeting.end:%Y-%m-%dT%H:%M},"
        f'"{quoted} Room 2",{meeting.status.value}\n',
        attendance="body,meeting_start,email,status\n",
    )
    import_register(app, folder)
    yield app, person.email
    app.close()


def test_the_dashboard_shows_them_as_text(hostile: tuple[App, str]) -> None:
    app, _ = hostile
    client = create_app(
        app, WebSettings.for_tests(require_login=True, password="s3cret")
    ).test_client()
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert csrf
    signed_in = client.post("/login", data={"password": "s3cret", "csrf_token": csrf[1]})
    assert signed_in.status_code == 302
    overview = client.get("/")
    assert overview.status_code == 200
    assert_inert(overview.get_data(as_text=True), DISTRICT)
    district = client.get("/districts/gravesham")
    assert district.status_code == 200
    assert_inert(district.get_data(as_text=True), DISTRICT, EVIL, f"{EVIL} Room 2")


def test_the_html_report_shows_them_as_text(hostile: tuple[App, str]) -> None:
    from lcpg.services.compliance import run_check
    from rules.reporters import render

    app, _ = hostile
    assert_inert(render(run_check(app, DEMO_TODAY).report, "html"), DISTRICT)


def test_the_calendar_page_shows_them_as_text(hostile: tuple[App, str], tmp_path: Path) -> None:
    from lcpg.services.calendar import write_year_calendar

    app, _ = hostile
    out = tmp_path / "calendar.html"
    write_year_calendar(app, 2026, out, DEMO_TODAY)
    assert_inert(out.read_text(encoding="utf-8"), DISTRICT)


def test_the_emails_html_part_shows_them_as_text(hostile: tuple[App, str], tmp_path: Path) -> None:
    from lcpg.services.email_preview import email_settings_from, preview_week

    app, chair = hostile
    out = tmp_path / "preview"
    preview_week(app, "2026-W48", DEMO_TODAY, None, out, email_settings_from({}))
    for path in out.glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=default)
        assert isinstance(message, EmailMessage)
        html = message.get_body(("html",))
        assert html is not None
        content = html.get_content()
        if message["To"].addresses[0].addr_spec == chair:
            assert_inert(content, f"Dear {EVIL},", DISTRICT, f"{EVIL} Room 2")
        else:
            assert_inert(content)
