"""Threat: iCalendar injection through names, venues and descriptions (SECURITY.md).

A venue such as ``Hall\\r\\nEND:VEVENT\\r\\nBEGIN:VEVENT`` must stay one property of one
event: every feed reads back (with icalendar, ical and vobject) as the same number of events
as the same register with plain text, and each text reads back as written, with line breaks
as ``\\n`` and the control characters RFC 5545 forbids as a space.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar, Component

from calendars.content_lines import escape_text, fold
from calendars.feeds import FeedWriter, feed_specs, personal_spec
from lcpg.demo import build_demo_register
from lcpg.domain.blueprint import Blueprint
from lcpg.domain.register import Register

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
HOSTILE = (
    "Hall\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Free lunch\r\nEND:VEVENT",
    "Room 2\rEND:VCALENDAR\r\nBEGIN:VCALENDAR",
    "Annexe\nLOCATION:elsewhere",
    "a;b,c\\d \\, \\; \\n \\N",
    "Annexe\\North; C:\\New",
    "nul\x00 bell\x07 esc\x1b[31m vt\x0b ff\x0c del\x7f",
    "tab\tseparated",
    "Salle Élodie — Zoë’s room \u2028 next line \x85",
    "Maidstone " + "Very Long Venue Name " * 40,
    '<script>alert(1)</script> "onmouseover=alert(1)',
)


def read_back(text: str) -> str:
    """What a reader should see for ``text``: line breaks as ``\\n``, forbidden controls as
    one space (as ``escape_text`` promises)."""
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+", " ", text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=200))
def test_any_text_is_one_property_that_reads_back_as_written(text: str) -> None:
    event = f"BEGIN:VEVENT\r\n{fold('LOCATION:' + escape_text(text))}\r\nEND:VEVENT\r\n"
    unfolded = event.replace("\r\n ", "")
    assert unfolded.count("\r\n") == 3  # BEGIN, the one property, END: nothing more
    assert not re.search(r"[\x00-\x08\x0a-\x1f\x7f]", unfolded.replace("\r\n", ""))
    (read,) = Calendar.from_ical(event).walk("VEVENT")
    assert str(read["location"]) == read_back(text)


def hostile_register(kent: Blueprint) -> tuple[Register, Register]:
    """The demo register, and the same with hostile venues, people's and bodies' names."""
    plain = build_demo_register(kent, date(2026, 11, 22))
    hostile = replace(
        plain,
        meetings=tuple(
            replace(m, venue=HOSTILE[i % len(HOSTILE)]) for i, m in enumerate(plain.meetings)
        ),
        people=tuple(
            replace(p, name=HOSTILE[i % len(HOSTILE)]) for i, p in enumerate(plain.people)
        ),
        bodies=tuple(
            replace(b, name=f"{b.name} {HOSTILE[i % len(HOSTILE)]}")
            for i, b in enumerate(plain.bodies)
        ),
    )
    return plain, hostile


def events_of(feed: bytes) -> list[Component]:
    """The events as icalendar reads them, after checking the two other readers agree on
    their number (``ical`` refuses a calendar with control characters outright)."""
    text = feed.decode("utf-8")
    events = Calendar.from_ical(feed).walk("VEVENT")
    assert len(IcsCalendarStream.calendar_from_ics(text).events) == len(events)
    assert len(list(vobject.readOne(text).vevent_list)) == len(events)
    return list(events)


@pytest.mark.parametrize("slug", ["county", "lcpg-maidstone", "chwb"])
def test_public_feeds_keep_their_events_and_texts(kent: Blueprint, slug: str) -> None:
    plain, hostile = hostile_register(kent)
    spec = next(s for s in feed_specs(plain, kent) if s.slug == slug)
    expected = events_of(FeedWriter(plain, kent, NOW).render(spec))
    events = events_of(FeedWriter(hostile, kent, NOW).render(spec))
    assert [str(e["uid"]) for e in events] == [str(e["uid"]) for e in expected]
    meetings = {m.id: m for m in hostile.meetings}
    bodies = {b.slug: b for b in hostile.bodies}
    for event in events:
        meeting = meetings[str(event["uid"]).split("@")[0]]
        assert str(event["location"]) == read_back(meeting.venue)
        title = bodies[meeting.body].name
        assert str(event["summary"]).removeprefix("Cancelled: ") == read_back(title)


def test_a_personal_feed_keeps_its_events_and_names(kent: Blueprint) -> None:
    plain, hostile = hostile_register(kent)
    chair = next(m for m in plain.memberships if m.body == "lcpg-maidstone" and "chair" in m.roles)
    name = next(p.name for p in hostile.people if p.email == chair.email)
    assert name in HOSTILE
    on = date(2026, 11, 22)
    spec = personal_spec(plain, chair.email, "plain", on)
    expected = events_of(FeedWriter(plain, kent, NOW, name_chairs=True).render(spec))
    feed = FeedWriter(hostile, kent, NOW, name_chairs=True).render(
        personal_spec(hostile, chair.email, name, on)
    )
    events = events_of(feed)
    assert len(events) == len(expected) > 0
    # icalendar leaves the calendar's own NAME escaped: unescape it as RFC 5545 says.
    raw = str(Calendar.from_ical(feed)["name"])
    title = re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], raw)
    assert title == read_back(f"LCPG meetings: {name}")
    chaired = [e for e in events if "\nChair: " in str(e["description"])]
    assert chaired and all(read_back(name) in str(e["description"]) for e in chaired)
