"""The feeds: a correct VTIMEZONE, three independent readers accept every feed, a golden
feed byte for byte, cancelled meetings, no personal data, content tags for ETags."""

from __future__ import annotations

import io
import os
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import vobject
from dateutil.tz import tzical
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar

from calendars.feeds import content_tag, feed_specs, render_feed
from calendars.timezone import vtimezone
from lcpg.demo import build_demo_register
from lcpg.domain.blueprint import Blueprint
from lcpg.domain.model import Meeting, MeetingRevision, MeetingStatus, meeting_identity
from lcpg.domain.register import Register
from tests.conftest import FIXTURES
from tests.samples import small_register

NOW = datetime(2018, 3, 20, 9, 0, tzinfo=UTC)
GOLDEN = FIXTURES / "ics" / "golden" / "lcpg-sevenoaks.ics"


def register_for(kent: Blueprint) -> Register:
    base = small_register()
    chwb_start = datetime(2018, 3, 7, 14, 0)
    chwb = Meeting(
        meeting_identity("chwb", chwb_start),
        "chwb",
        chwb_start,
        chwb_start + timedelta(hours=2),
        "County Hall, Maidstone",
        MeetingStatus.HELD,
    )
    cancelled_start = datetime(2018, 2, 14, 10, 0)
    cancelled = Meeting(
        meeting_identity("lcpg-sevenoaks", cancelled_start),
        "lcpg-sevenoaks",
        cancelled_start,
        cancelled_start + timedelta(hours=2),
        "Gateway, Swanley",
        MeetingStatus.CANCELLED,
    )
    june_start = datetime(2018, 6, 13, 10, 0)
    june = Meeting(
        meeting_identity("lcpg-sevenoaks", june_start),
        "lcpg-sevenoaks",
        june_start,
        june_start + timedelta(hours=2),
        "Council Offices, Sevenoaks",
        MeetingStatus.PLANNED,
    )
    revisions = {
        cancelled.id: MeetingRevision(1, datetime(2018, 2, 1, 12, 0)),
        june.id: MeetingRevision(2, datetime(2018, 3, 1, 16, 30)),
    }
    return replace(
        base,
        bodies=kent.bodies_list(),
        meetings=(*base.meetings, chwb, cancelled, june),
        revisions=revisions,
    )


def sevenoaks_feed(kent: Blueprint, now: datetime = NOW) -> bytes:
    register = register_for(kent)
    spec = next(s for s in feed_specs(register, kent) if s.slug == "lcpg-sevenoaks")
    return render_feed(spec, register, kent, now)


@pytest.fixture(scope="module")
def demo_feeds(kent: Blueprint) -> dict[str, bytes]:
    register = build_demo_register(kent, date(2026, 11, 22))
    now = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    return {s.slug: render_feed(s, register, kent, now) for s in feed_specs(register, kent)}


def test_vtimezone_agrees_with_zoneinfo_at_both_clock_changes() -> None:
    block = vtimezone("Europe/London").to_ical().decode()
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in block
    assert "DTSTART:19700329T010000" in block and "DTSTART:19701025T020000" in block
    read = tzical(io.StringIO(block)).get("Europe/London")
    zone = ZoneInfo("Europe/London")
    for year in range(1996, 2038):
        for month in (3, 10):
            moment = datetime(year, month, 22, tzinfo=UTC)
            while moment.day != 8:
                assert moment.astimezone(read).utcoffset() == moment.astimezone(zone).utcoffset(), (
                    moment
                )
                moment += timedelta(minutes=30)


def test_every_feed_passes_three_independent_readers(demo_feeds: dict[str, bytes]) -> None:
    assert set(demo_feeds) >= {"chwb", "chairs-group", "safeguarding-group", "lcpg-swale", "county"}
    for slug, feed in demo_feeds.items():
        text = feed.decode("utf-8")
        vobject.readOne(text).validate()
        stream = IcsCalendarStream.calendar_from_ics(text)
        assert len(stream.events) == text.count("BEGIN:VEVENT"), slug
        assert Calendar.from_ical(feed).to_ical() == feed, slug
        used = set(re.findall(r"TZID=([^:;]+)", text))
        defined = set(re.findall(r"^TZID:(.+?)\r?$", text, flags=re.M))
        assert used and used <= defined, slug


def test_feed_headers(kent: Blueprint) -> None:
    text = sevenoaks_feed(kent).decode()
    for line in (
        "VERSION:2.0",
        "METHOD:PUBLISH",
        "NAME:Sevenoaks LCPG",
        "X-WR-CALNAME:Sevenoaks LCPG",
        "REFRESH-INTERVAL;VALUE=DURATION:PT12H",
        "X-PUBLISHED-TTL:PT12H",
    ):
        assert f"\r\n{line}\r\n" in text
    assert text.startswith("BEGIN:VCALENDAR\r\n") and "PRODID:-//Kent County Council" in text
    assert text.count("BEGIN:VTIMEZONE") == 1


def test_golden_feed(kent: Blueprint) -> None:
    feed = sevenoaks_feed(kent)
    if os.environ.get("LCPG_UPDATE_GOLDEN") == "1":  # after a deliberate change: review the diff
        GOLDEN.write_bytes(feed)
    assert feed == GOLDEN.read_bytes()


def test_same_register_same_feed_but_dtstamp(kent: Blueprint) -> None:
    first = sevenoaks_feed(kent)
    later = sevenoaks_feed(kent, NOW + timedelta(hours=3))
    assert first != later
    assert re.sub(rb"DTSTAMP:\d{8}T\d{6}Z", b"", first) == re.sub(
        rb"DTSTAMP:\d{8}T\d{6}Z", b"", later
    )
    assert content_tag(first) == content_tag(later)
    moved = replace(register_for(kent), revisions={})
    spec = next(s for s in feed_specs(moved, kent) if s.slug == "lcpg-sevenoaks")
    assert content_tag(render_feed(spec, moved, kent, NOW)) != content_tag(first)


def test_events_carry_identity_revision_and_status(kent: Blueprint) -> None:
    calendar = Calendar.from_ical(sevenoaks_feed(kent))
    events = {
        str(e["summary"]) + " " + e.decoded("dtstart").isoformat(): e
        for e in calendar.walk("VEVENT")
    }
    june = events["Sevenoaks LCPG 2018-06-13T10:00:00+01:00"]
    june_id = meeting_identity("lcpg-sevenoaks", datetime(2018, 6, 13, 10, 0))
    assert str(june["uid"]) == f"{june_id}@kent.lcpg"
    assert june["sequence"] == 2 and str(june["status"]) == "TENTATIVE"
    assert june.decoded("last-modified") == datetime(2018, 3, 1, 16, 30, tzinfo=UTC)
    assert june["dtstart"].params["TZID"] == "Europe/London"
    march = events["Sevenoaks LCPG 2018-03-14T10:00:00+00:00"]
    assert str(march["status"]) == "CONFIRMED" and march["sequence"] == 0
    assert "Follows the board's previous meeting, the CHWB of Wed 7 Mar 2018." in str(
        march["description"]
    )
    assert "\r\nCATEGORIES:LCPG,Sevenoaks\r\n" in sevenoaks_feed(kent).decode()


def test_cancelled_meetings_stay_sixty_days_then_go(kent: Blueprint) -> None:
    text = sevenoaks_feed(kent).decode()
    assert "SUMMARY:Cancelled: Sevenoaks LCPG" in text and "STATUS:CANCELLED" in text
    later = sevenoaks_feed(kent, datetime(2018, 4, 16, tzinfo=UTC)).decode()
    assert "Cancelled:" not in later


def test_public_feeds_name_nobody(kent: Blueprint, demo_feeds: dict[str, bytes]) -> None:
    register = build_demo_register(kent, date(2026, 11, 22))
    county = demo_feeds["county"].decode()
    unfolded = county.replace("\r\n ", "")
    for person in register.people:
        assert person.email not in unfolded
        assert person.name not in unfolded, person.name


def test_cancelled_without_revision_uses_its_date(kent: Blueprint) -> None:
    register = replace(register_for(kent), revisions={})
    spec = next(s for s in feed_specs(register, kent) if s.slug == "lcpg-sevenoaks")
    kept = render_feed(spec, register, kent, datetime(2018, 4, 10, tzinfo=UTC)).decode()
    gone = render_feed(spec, register, kent, datetime(2018, 4, 20, tzinfo=UTC)).decode()
    assert "Cancelled:" in kept and "Cancelled:" not in gone
