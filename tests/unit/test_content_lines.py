"""Our content-line writer against icalendar's, the oracle: same bytes for the same event."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Event

from calendars.content_lines import escape_text, fold
from calendars.feeds import FeedWriter, feed_specs
from lcpg.demo import build_demo_register
from lcpg.domain.blueprint import Blueprint
from lcpg.domain.model import MeetingRevision, MeetingStatus

LONDON = ZoneInfo("Europe/London")
# Control characters (but tab and line breaks) and a backslash before N are where we differ
# from icalendar on purpose: tests/unit/test_security_ics_injection.py holds those.
TEXT = st.text(
    alphabet=st.characters(exclude_categories=["Cs", "Cc"], include_characters="\t\r\n"),
    max_size=300,
).filter(lambda text: "\\N" not in text)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_text_lines_match_icalendar(text: str) -> None:
    event = Event()
    event.add("description", text)
    expected = event.to_ical().decode().split("\r\n", 1)[1].rsplit("END:VEVENT", 1)[0]
    assert fold(f"DESCRIPTION:{escape_text(text)}") + "\r\n" == expected


def _icalendar_event(writer: FeedWriter, meeting_id: str) -> str:
    """The same event, written by icalendar from the same values."""
    register, blueprint = writer.register, writer.blueprint
    meeting = next(m for m in register.meetings if m.id == meeting_id)
    revision = register.revisions.get(meeting.id, MeetingRevision())
    body = writer.context.bodies[meeting.body]
    event = Event()
    title = ("Cancelled: " if meeting.status is MeetingStatus.CANCELLED else "") + body.name
    event.add("summary", title)
    event.add("dtstart", meeting.start.replace(tzinfo=LONDON))
    event.add("dtend", meeting.end.replace(tzinfo=LONDON))
    event.add("dtstamp", datetime(2026, 11, 22, 9, 0, tzinfo=UTC))
    event.add("uid", f"{meeting.id}@{blueprint.slug}.lcpg")
    event.add("sequence", revision.sequence)
    from calendars.feeds import _categories, _description

    event.add("categories", _categories(body, blueprint, writer.districts))
    event.add("description", _description(meeting, writer.context, blueprint))
    if revision.modified is not None:
        event.add("last-modified", revision.modified.replace(tzinfo=UTC))
    if meeting.venue:
        event.add("location", meeting.venue)
    event.add(
        "status",
        {"planned": "TENTATIVE", "cancelled": "CANCELLED"}.get(meeting.status.value, "CONFIRMED"),
    )
    event.add("transp", "OPAQUE")
    return bytes(event.to_ical()).decode()


def test_every_demo_event_matches_icalendar(kent: Blueprint) -> None:
    register = build_demo_register(kent, date(2026, 11, 22))
    revisions = {
        m.id: MeetingRevision(i % 3, datetime(2026, 1, 1 + i % 28, 8, 30))
        for i, m in enumerate(register.meetings)
    }
    # Odd venues: commas, semicolons, accents, a long name that folds.
    meetings = tuple(
        replace(m, venue=f"{m.venue}; Salle Élodie, \\\\ back room {'x' * (i % 90)}")
        if i % 7 == 0
        else m
        for i, m in enumerate(register.meetings)
    )
    register = replace(register, meetings=meetings, revisions=revisions)
    writer = FeedWriter(register, kent, datetime(2026, 11, 22, 9, 0, tzinfo=UTC))
    county = next(s for s in feed_specs(register, kent) if s.slug == "county")
    writer.render(county)
    assert writer._events
    for meeting_id, written in writer._events.items():
        assert written == _icalendar_event(writer, meeting_id), meeting_id


def test_feed_headers_read_back_as_written(kent: Blueprint) -> None:
    from icalendar import Calendar

    register = build_demo_register(kent, date(2026, 11, 22))
    writer = FeedWriter(register, kent, datetime(2026, 11, 22, 9, 0, tzinfo=UTC))
    for spec in feed_specs(register, kent):
        calendar = Calendar.from_ical(writer.render(spec))
        assert str(calendar["x-wr-calname"]) == str(calendar["name"]) == spec.name
        assert str(calendar["x-wr-caldesc"]).replace("\\,", ",") == spec.description
        assert str(calendar["x-wr-timezone"]) == "Europe/London"
        assert calendar["refresh-interval"].params["VALUE"] == "DURATION"
