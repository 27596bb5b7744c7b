"""The dashboard called directly (WSGI) on the demo register as of 22 November 2026: the
districts against the rules, a district's findings, members and meetings, the feeds'
subscription links, and the login in front of it all (but not in front of the feeds)."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser

import pytest
from flask.testing import FlaskClient

from lcpg.bootstrap import App, Settings
from lcpg.services.dashboard import SeatKind, district_page, overview
from lcpg.services.register import init_database
from lcpg.web.app import WebSettings, create_app
from rules.findings import Severity
from tests.conftest import DEMO_TODAY, PinnedApp

TODAY = DEMO_TODAY
DISTRICTS = (
    "Ashford",
    "Canterbury",
    "Dartford",
    "Dover",
    "Folkestone & Hythe",
    "Gravesham",
    "Maidstone",
    "Sevenoaks",
    "Swale",
    "Thanet",
    "Tonbridge & Malling",
    "Tunbridge Wells",
)


@pytest.fixture
def client(app: App) -> FlaskClient:
    return create_app(app, WebSettings.for_tests()).test_client()


class Tables(HTMLParser):
    """Each table's rows as lists of cell texts (whitespace collapsed), by the table's class;
    and every link's ``href``."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.links: list[str] = []
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "table":
            self._table = attributes.get("class") or ""
            self.tables[self._table] = []
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._table is not None and self._row is not None:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def parse(html: str) -> Tables:
    tables = Tables()
    tables.feed(html)
    return tables


def district_rows(html: str) -> dict[str, list[str]]:
    """The districts table's body rows by district name: name, cadence, sectors missing,
    roles vacant, next meeting, attendance, findings."""
    rows = parse(html).tables["districts"][1:]
    return {row[0]: row for row in rows}


def test_the_overview_lists_every_district_against_the_rules(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "As of Sunday 22 November 2026" in html
    rows = district_rows(html)
    assert tuple(rows) == DISTRICTS

    sevenoaks = rows["Sevenoaks"]
    assert sevenoaks[1] == "Error quarterly 4 held"
    assert sevenoaks[6] == "1 error"
    assert rows["Gravesham"][1] == "every two months 6 held"
    assert rows["Swale"][2] == "Missing Police, Housing"
    assert rows["Dover"][3] == "Vacant Co-ordinator"
    assert rows["Dartford"][2] == "None missing" and rows["Dartford"][3] == "All filled"
    assert rows["Canterbury"][6] == "None"
    assert rows["Swale"][5].startswith("83%")
    assert rows["Ashford"][4].startswith("Mon 23 Nov 2026 10:00–12:00")

    links = parse(html).links
    assert "/districts/sevenoaks" in links
    # Every cell of a row leads to the part of the district page that explains it.
    for section in ("meetings", "members", "roles", "upcoming", "recent", "findings"):
        assert f"/districts/sevenoaks#{section}" in links
    assert "/districts/folkestone-and-hythe" in links


def test_the_overview_totals_and_county_findings(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert re.search(r"Errors</span> <strong[^>]*>3</strong>", html)
    assert re.search(r"Warnings</span> <strong[^>]*>21</strong>", html)
    assert "governance.chwb-representation" in html
    assert "The CHWB of Wed 9 Sep 2026 14:00 had 1 Chairs Group member" in html


def test_the_overview_names_no_member(app: App, client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    page = district_page(app, "sevenoaks", TODAY)
    names = {m.name for group in page.sectors for m in group.members}
    assert names
    assert not [name for name in names if name in html]


def test_the_year_at_a_glance_is_inline_svg_and_nothing_is_fetched(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert '<h2 id="year">2026 at a glance</h2>' in html
    assert "<svg" in html and "meetings in 2026" in html
    assert "<?xml" not in html
    # No JavaScript, no external resources.
    assert "<script" not in html.lower()
    assert not re.search(r'<(link|img|iframe)\b|src="http', html)


def test_pages_are_escaped_and_tables_have_captions_and_headers(client: FlaskClient) -> None:
    for path in ("/", "/districts/folkestone-and-hythe"):
        html = client.get(path).get_data(as_text=True)
        assert "Folkestone &amp; Hythe" in html
        assert "Folkestone & Hythe" not in html
        assert html.count("<table") == html.count("<caption") > 0
        assert 'scope="col"' in html and 'scope="row"' in html
        assert "<script" not in html.lower()


def test_subscription_links_for_every_feed(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    links = parse(html).links
    # No public URL configured: the address lcpg serve listens on (by default).
    for slug in ("chwb", "chairs-group", "safeguarding-group", "lcpg-gravesham", "county"):
        assert f"http://127.0.0.1:8080/feeds/{slug}.ics" in links
        assert f"webcal://127.0.0.1:8080/feeds/{slug}.ics" in links
    feeds = [link for link in links if link.startswith("http://127.0.0.1:8080/feeds/")]
    assert len(feeds) == 16
    # The links lead to the feeds themselves.
    response = client.get("/feeds/lcpg-gravesham.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"


def test_subscription_links_follow_the_configured_address(app: App) -> None:
    # Never the address the request names (test_security_host_header.py): the public one.
    public = replace(WebSettings.for_tests(), public_url="https://lcpg.example.org/")
    plain = create_app(app, public).test_client()
    html = plain.get("/", base_url="http://localhost:8080").get_data(as_text=True)
    assert "https://lcpg.example.org/feeds/county.ics" in parse(html).links
    assert "webcal://lcpg.example.org/feeds/county.ics" in parse(html).links

    settings = WebSettings.for_tests()
    configured = WebSettings(
        require_login=settings.require_login,
        password_hash=settings.password_hash,
        secret_key=settings.secret_key,
        secure_cookies=settings.secure_cookies,
        feeds_url="https://calendars.example.org/lcpg/",
    )
    client = create_app(app, configured).test_client()
    for path in ("/", "/districts/dover"):
        links = parse(client.get(path).get_data(as_text=True)).links
        assert "https://calendars.example.org/lcpg/lcpg-dover.ics" in links
        assert "webcal://calendars.example.org/lcpg/lcpg-dover.ics" in links


def test_a_district_page_shows_findings_with_their_clause(app: App, client: FlaskClient) -> None:
    response = client.get("/districts/sevenoaks")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1>Sevenoaks LCPG</h1>" in html
    assert 'id="finding-cadence.bimonthly"' in html
    assert "Meets quarterly, not every two months: 4 held meetings" in html
    clause = app.blueprint.rules["cadence.bimonthly"].clause
    assert clause.replace("'", "&#39;") in html
    assert ">Error</span>" in html
    # Reports to two Local HWBs, and has a Local HWB link for each.
    assert "West Kent" in html and "Dartford, Gravesham &amp; Swanley" in html


def test_a_district_page_shows_members_by_sector_and_meetings(
    app: App, client: FlaskClient
) -> None:
    page = district_page(app, "sevenoaks", TODAY)
    html = client.get("/districts/sevenoaks").get_data(as_text=True)
    tables = parse(html).tables

    members = tables["members"]
    sector_names = [s.name for s in app.blueprint.membership.core_sectors]
    headers = [row[0] for row in members if len(row) == 2 and row[0] in sector_names]
    assert headers == sector_names  # core sectors in blueprint order, each one present
    groups = ("Core sectors", "Invited", "Additional members")
    kinds = [row[0] for row in members if row[0] in groups]
    assert kinds == list(groups)
    police = next(g for g in page.sectors if g.slug == "police")
    member = police.members[0]  # a fictional member
    assert member.name in html
    assert ["Police", f"{member.name} {member.organisation} · since Sun 1 Jan 2023"] in members
    chair = next(m for g in page.sectors for m in g.members if "Chair" in m.roles)
    assert any(row[-1].startswith(f"{chair.name} Chair ") for row in members)

    roles = {row[0]: row for row in tables["roles"][1:]}
    assert roles["Chair"][1].startswith(page.roles[0].holders[0].name)
    assert roles["Chair"][2] == "Filled"

    recent = tables["meetings recent"][1:]
    assert [row[1] for row in recent] == ["Held"] * 4
    assert recent[0][0].startswith("Wed 3 Dec 2025 13:30–15:30")
    assert all(row[2] == "12 of 12" for row in recent)
    upcoming = tables["meetings upcoming"][1:]
    assert upcoming[0][0] == "Wed 2 Dec 2026 13:30–15:30"
    assert upcoming[0][2] == "Planned"


def test_missing_sectors_and_vacant_roles_on_their_district_pages(client: FlaskClient) -> None:
    swale = parse(client.get("/districts/swale").get_data(as_text=True)).tables["members"]
    missing = {row[0] for row in swale if len(row) == 2 and row[1].startswith("Missing")}
    assert missing == {"Police", "Housing"}

    dover = client.get("/districts/dover").get_data(as_text=True)
    roles = {row[0]: row for row in parse(dover).tables["roles"][1:]}
    assert roles["Co-ordinator"][1:] == ["Nobody", "Vacant"]
    assert "No co-ordinator since 31 May 2026." in dover


def test_a_held_meeting_without_attendance_on_the_dashboard(client: FlaskClient) -> None:
    # The demo's attendance-unrecorded scenario: Folkestone & Hythe's meeting before last.
    overview_html = client.get("/").get_data(as_text=True)
    assert district_rows(overview_html)["Folkestone & Hythe"][6] == "2 warnings"
    html = client.get("/districts/folkestone-and-hythe").get_data(as_text=True)
    assert 'id="finding-records.attendance-missing-' in html
    assert "is recorded as held, but nobody recorded who attended." in html
    recent = parse(html).tables["meetings recent"][1:]
    unrecorded = [row for row in recent if row[2] == "attendance not recorded"]
    assert len(unrecorded) == 1 and unrecorded[0][1].startswith("Held Warning")
    assert "records.attendance-missing" in unrecorded[0][1]


def test_an_unknown_district_is_404_and_not_echoed(client: FlaskClient) -> None:
    for slug in ("atlantis", "lcpg-dover", "%3Cscript%3Ealert(1)%3C%2Fscript%3E"):
        response = client.get(f"/districts/{slug}")
        assert response.status_code == 404
        html = response.get_data(as_text=True)
        assert "atlantis" not in html and "<script" not in html
    assert client.get("/districts/").status_code == 404


def test_the_pages_data(app: App) -> None:
    data = overview(app, TODAY)
    rows = {row.slug: row for row in data.districts}
    assert rows["sevenoaks"].cadence == "quarterly"
    assert rows["sevenoaks"].cadence_severity is Severity.ERROR
    assert rows["sevenoaks"].held == 4
    assert rows["thanet"].cadence == "every two months" and rows["thanet"].held == 5
    assert rows["swale"].core_sectors_missing == ("Police", "Housing")
    assert rows["dover"].roles_vacant == ("Co-ordinator",)
    assert rows["dover"].errors == 1
    assert rows["canterbury"].attendance.percent == "100%"
    assert (data.errors, data.warnings, data.infos) == (3, 21, 0)
    assert data.year == 2026 and data.year_svg.startswith("<svg")
    assert [f.slug for f in data.feeds][:3] == ["chwb", "chairs-group", "safeguarding-group"]
    assert data.feeds[-1].slug == "county"

    page = district_page(app, "thanet", TODAY)
    unrecorded = [m for m in page.recent_meetings if m.findings]
    assert [f.rule for m in unrecorded for f in m.findings] == ["records.unrecorded"]
    assert all(m.start.date() >= TODAY for m in page.upcoming_meetings)
    assert [g.kind for g in page.sectors][-1] is SeatKind.ADDITIONAL


def test_an_empty_register_says_so_truthfully(database_url: str) -> None:
    app = PinnedApp(Settings.resolve(database_url=database_url))
    try:
        init_database(app)
        data = overview(app, TODAY)
        assert {row.cadence for row in data.districts} == {"no meetings held"}
        assert all(row.attendance.percent is None for row in data.districts)
        client = create_app(app, WebSettings.for_tests()).test_client()
        rows = district_rows(client.get("/").get_data(as_text=True))
        assert {row[1] for row in rows.values()} == {"Error no meetings held"}
        assert {row[4] for row in rows.values()} == {"None nothing planned"}
        assert {row[5] for row in rows.values()} == {"not recorded"}
        assert client.get("/districts/dover").status_code == 200
    finally:
        app.close()


# The login: needed for the dashboard whenever the server is reachable from elsewhere.


@pytest.fixture
def guarded(app: App) -> FlaskClient:
    settings = WebSettings.for_tests(require_login=True, password="s3cret")
    return create_app(app, settings).test_client()


def _csrf_token(client: FlaskClient, path: str = "/login") -> str:
    html = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"', html
    )
    assert found, "no CSRF token in the login form"
    return found.group(1)


def test_the_dashboard_asks_for_the_login(guarded: FlaskClient) -> None:
    for path in ("/", "/districts/sevenoaks"):
        response = guarded.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")


def test_the_login_form_needs_its_csrf_token(guarded: FlaskClient) -> None:
    assert guarded.post("/login", data={"password": "s3cret"}).status_code == 400
    assert guarded.get("/").status_code == 302


def test_a_wrong_password_is_refused(guarded: FlaskClient) -> None:
    token = _csrf_token(guarded)
    response = guarded.post("/login", data={"password": "wrong", "csrf_token": token})
    assert response.status_code == 401
    assert guarded.get("/").status_code == 302


def test_the_right_password_reaches_the_dashboard(guarded: FlaskClient) -> None:
    token = _csrf_token(guarded, "/login?next=/districts/sevenoaks")
    response = guarded.post(
        "/login?next=/districts/sevenoaks", data={"password": "s3cret", "csrf_token": token}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/districts/sevenoaks"
    page = guarded.get("/districts/sevenoaks")
    assert page.status_code == 200 and "<h1>Sevenoaks LCPG</h1>" in page.get_data(as_text=True)
    overview_page = guarded.get("/")
    assert overview_page.status_code == 200
    assert "Sign out" in overview_page.get_data(as_text=True)


def test_feeds_need_no_login(guarded: FlaskClient) -> None:
    assert guarded.get("/feeds/county.ics").status_code == 200
    assert guarded.get("/feeds/lcpg-sevenoaks.ics").status_code == 200
    assert guarded.get("/feeds/").status_code == 200
