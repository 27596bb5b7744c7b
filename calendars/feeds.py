"""Meetings as subscribable iCalendar feeds: one per body, and one for the whole county.

``feed_specs`` says which feeds there are; ``render_feed`` turns one into the bytes of a
VCALENDAR that Outlook, Google and Apple subscribe to. Pure: the register, the blueprint and
``now`` come in, bytes come out, and the same register gives the same bytes apart from DTSTAMP
(``content_tag`` hashes what matters, for an ETag).

What a feed holds: the body's meetings from a year before ``now`` onwards. A cancelled meeting
stays for ``CANCELLED_KEPT`` after it was cancelled, as STATUS:CANCELLED with "Cancelled: "
before its title (Google hides the status; Apple strikes it through), then is dropped. Public
feeds name nobody: no members, no chairs, no addresses.
"""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from calendars.content_lines import escape_text, line, local_time, utc_time
from calendars.timezone import vtimezone_bytes
from lcpg.domain.blueprint import Blueprint
from lcpg.domain.model import Body, BodyKind, Meeting, MeetingRevision, MeetingStatus, meeting_uid
from lcpg.domain.register import Register
from lcpg.domain.wording import short_weekday_date

PRODID = "-//Kent County Council children's partnership//lcpg//EN"
REFRESH = timedelta(hours=12)
REFRESH_TEXT = "PT12H"  # REFRESH as an iCalendar duration
CANCELLED_KEPT = timedelta(days=60)
HISTORY = timedelta(days=365)
FEED_KINDS = (BodyKind.CHWB, BodyKind.CHAIRS_GROUP, BodyKind.SAFEGUARDING_GROUP, BodyKind.LCPG)
COUNTY = "county"
STATUS = {
    MeetingStatus.PLANNED: "TENTATIVE",
    MeetingStatus.CONFIRMED: "CONFIRMED",
    MeetingStatus.HELD: "CONFIRMED",
    MeetingStatus.CANCELLED: "CANCELLED",
}


@dataclass(frozen=True)
class FeedSpec:
    """One feed: its file stem (a body slug, or ``county``), name, description, the bodies
    whose meetings it holds, and single meetings of other bodies (``extra``: identities)."""

    slug: str
    name: str
    description: str
    bodies: tuple[str, ...]
    extra: frozenset[str] = frozenset()


def feed_specs(register: Register, blueprint: Blueprint) -> list[FeedSpec]:
    """A feed for the CHWB, the Chairs Group, the Safeguarding Group and each LCPG (in
    register order), and the county feed with all of them."""
    bodies = [b for b in register.bodies if b.kind in FEED_KINDS]
    specs = [
        FeedSpec(
            b.slug,
            b.name,
            f"Meetings of the {b.name}, in the {blueprint.name} meeting cycle.",
            (b.slug,),
        )
        for b in bodies
    ]
    specs.append(
        FeedSpec(
            COUNTY,
            f"{blueprint.name}: all meetings",
            "Every CHWB, LCPG, Chairs Group and Safeguarding Group meeting of the cycle.",
            tuple(b.slug for b in bodies),
        )
    )
    return specs


def personal_spec(register: Register, email: str, name: str, on: date) -> FeedSpec:
    """One person's feed: every meeting of every body they sit on as of ``on`` (their LCPG,
    and the Chairs Group or Safeguarding Group through their roles), and the CHWB meetings they
    attended or were represented at."""
    bodies = tuple(
        b.slug
        for b in register.bodies
        if b.kind in FEED_KINDS and email in register.attendees(b.slug, on)
    )
    chwb = {m.id for m in register.meetings if m.body not in bodies}
    attended = frozenset(
        a.meeting_id
        for a in register.attendance
        if a.email == email
        and a.meeting_id in chwb
        and a.status.value in ("present", "represented")
    )
    return FeedSpec(
        "personal", f"LCPG meetings: {name}", f"The meetings {name} sits on.", bodies, attended
    )


def render_feed(spec: FeedSpec, register: Register, blueprint: Blueprint, now: datetime) -> bytes:
    """The VCALENDAR for ``spec``. ``now`` is an aware datetime: DTSTAMP, and what is dropped.
    (To write many feeds of one register, use one ``FeedWriter``.)"""
    return FeedWriter(register, blueprint, now).render(spec)


class FeedWriter:
    """Writes the feeds of one register at one moment. Each event is written once and reused
    by every feed it appears in (a body's feed and the county feed)."""

    def __init__(
        self, register: Register, blueprint: Blueprint, now: datetime, name_chairs: bool = False
    ) -> None:
        """``name_chairs``: say who chairs each LCPG meeting (personal feeds only: public
        feeds name nobody)."""
        self.register = register
        self.blueprint = blueprint
        self.zone = ZoneInfo(blueprint.timezone)
        self.local_now = now.astimezone(self.zone).replace(tzinfo=None)
        self.stamp = utc_time(now.astimezone(UTC))
        self.context = _Context(register, self.zone)
        self.districts = {d.slug: d.name for d in blueprint.districts}
        self.tzid = f"TZID={blueprint.timezone}"
        self.stamp_line = line("DTSTAMP", self.stamp)
        self._body_cache: dict[tuple[str, bool], tuple[str, str]] = {}
        self.name_chairs = name_chairs
        self.people = {p.email: p.name for p in register.people} if name_chairs else {}
        self._events: dict[str, str] = {}

    def render(self, spec: FeedSpec) -> bytes:
        """The VCALENDAR for ``spec``: its header, the VTIMEZONE, then the events."""
        events = "".join(
            self._event(meeting)
            for meeting in _meetings(spec, self.register, self.local_now)
            if not _dropped(
                meeting,
                self.register.revisions.get(meeting.id, MeetingRevision()),
                self.zone,
                self.local_now,
            )
        )
        return (
            self.header(spec).encode("utf-8")
            + vtimezone_bytes(self.blueprint.timezone)
            + events.encode("utf-8")
            + b"END:VCALENDAR\r\n"
        )

    def header(self, spec: FeedSpec) -> str:
        """The calendar's own properties, as icalendar writes them (the tests compare)."""
        return "".join(
            (
                "BEGIN:VCALENDAR\r\n",
                line("VERSION", "2.0"),
                line("PRODID", escape_text(PRODID)),
                line("CALSCALE", "GREGORIAN"),
                line("METHOD", "PUBLISH"),
                line("X-WR-CALDESC", escape_text(spec.description)),
                line("NAME", escape_text(spec.name)),
                line("X-WR-CALNAME", escape_text(spec.name)),
                line("REFRESH-INTERVAL;VALUE=DURATION", REFRESH_TEXT),
                line("X-PUBLISHED-TTL", REFRESH_TEXT),
                line("X-WR-TIMEZONE", escape_text(self.blueprint.timezone)),
            )
        )

    def _event(self, meeting: Meeting) -> str:
        written = self._events.get(meeting.id)
        if written is None:
            written = self._events[meeting.id] = self._write_event(meeting)
        return written

    def _body_lines(self, body: Body, cancelled: bool) -> tuple[str, str]:
        """A body's SUMMARY and CATEGORIES lines, the same for each of its meetings."""
        key = (body.slug, cancelled)
        found = self._body_cache.get(key)
        if found is None:
            title = f"Cancelled: {body.name}" if cancelled else body.name
            categories = ",".join(
                escape_text(c) for c in _categories(body, self.blueprint, self.districts)
            )
            found = self._body_cache[key] = (
                line("SUMMARY", escape_text(title)),
                line("CATEGORIES", categories),
            )
        return found

    def _description(self, meeting: Meeting) -> str:
        text = _description(meeting, self.context, self.blueprint)
        if self.name_chairs and self.context.bodies[meeting.body].kind is BodyKind.LCPG:
            chairs = self.register.role_holders(meeting.body, "chair", meeting.start.date())
            names = [self.people.get(c.email, c.email) for c in chairs]
            if names:
                text += f"\nChair: {' and '.join(names)}."
        return text

    def _write_event(self, meeting: Meeting) -> str:
        # The properties, their order and their form are icalendar's (the tests compare).
        revision = self.register.revisions.get(meeting.id, MeetingRevision())
        body = self.context.bodies[meeting.body]
        summary, categories = self._body_lines(body, meeting.status is MeetingStatus.CANCELLED)
        tzid = self.tzid
        lines = [
            "BEGIN:VEVENT\r\n",
            summary,
            f"DTSTART;{tzid}:{local_time(meeting.start)}\r\n",
            f"DTEND;{tzid}:{local_time(meeting.end)}\r\n",
            self.stamp_line,
            line("UID", escape_text(meeting_uid(meeting.id, self.blueprint.slug))),
            f"SEQUENCE:{revision.sequence}\r\n",
            categories,
            line("DESCRIPTION", escape_text(self._description(meeting))),
        ]
        if revision.modified is not None:
            lines.append(line("LAST-MODIFIED", utc_time(revision.modified)))
        if meeting.venue:
            lines.append(line("LOCATION", escape_text(meeting.venue)))
        lines += [
            line("STATUS", STATUS[meeting.status]),
            line("TRANSP", "OPAQUE"),
            "END:VEVENT\r\n",
        ]
        return "".join(lines)


def _dropped(
    meeting: Meeting, revision: MeetingRevision, zone: ZoneInfo, local_now: datetime
) -> bool:
    """A cancelled meeting leaves the feed ``CANCELLED_KEPT`` after it was cancelled (or after
    its date, if later): long enough for every subscribed calendar to see the cancellation."""
    if meeting.status is not MeetingStatus.CANCELLED:
        return False
    cancelled = meeting.start
    if revision.modified is not None:
        cancelled = revision.modified.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)
    return max(cancelled, meeting.start) + CANCELLED_KEPT < local_now


def content_tag(feed: bytes) -> str:
    """A tag for what a feed says: the SHA-256 of its bytes without the DTSTAMP lines, which
    change every time a feed is written."""
    digest = hashlib.sha256()
    for feed_line in feed.splitlines(keepends=True):
        if not feed_line.startswith(b"DTSTAMP"):
            digest.update(feed_line)
    return digest.hexdigest()


def _meetings(spec: FeedSpec, register: Register, local_now: datetime) -> list[Meeting]:
    since = local_now - HISTORY
    chosen = [m for body in spec.bodies for m in register.meetings_of(body) if m.end >= since]
    if spec.extra:
        chosen += [m for m in register.meetings if m.id in spec.extra and m.end >= since]
    return sorted(chosen, key=lambda m: (m.start, m.body, m.id))


class _Context:
    """Lookups an event's description needs, by binary search over start times (a county feed
    describes thousands of meetings)."""

    def __init__(self, register: Register, zone: ZoneInfo) -> None:
        self.bodies = {b.slug: b for b in register.bodies}
        self.zone = zone
        self._active: dict[str, tuple[list[datetime], list[Meeting]]] = {}
        for body in register.bodies:
            meetings = [
                m
                for m in register.meetings_of(body.slug)
                if m.status is not MeetingStatus.CANCELLED
            ]
            self._active[body.slug] = ([m.start for m in meetings], meetings)
        self.chwb = next((b.slug for b in register.bodies if b.kind is BodyKind.CHWB), "")

    def before(self, body: str, moment: datetime) -> Meeting | None:
        """``body``'s last meeting (not cancelled) starting before ``moment``."""
        starts, meetings = self._active.get(body, ([], []))
        index = bisect.bisect_left(starts, moment)
        return meetings[index - 1] if index > 0 else None

    def after(self, body: str, moment: datetime) -> Meeting | None:
        """``body``'s first meeting (not cancelled) starting after ``moment``."""
        starts, meetings = self._active.get(body, ([], []))
        index = bisect.bisect_right(starts, moment)
        return meetings[index] if index < len(meetings) else None


# Cached: a national export writes the same few CHWB dates into every description.
_day = cache(short_weekday_date)


def _description(meeting: Meeting, context: _Context, blueprint: Blueprint) -> str:
    body = context.bodies[meeting.body]
    opening = context.before(context.chwb, meeting.start)
    closing = context.after(context.chwb, meeting.start)
    lines: list[str] = []
    if body.kind is BodyKind.CHWB:
        lines.append(
            f"The {body.name}. Its key messages go to the LCPGs, which meet in the weeks "
            "that follow."
        )
        if opening:
            lines.append(f"Previous CHWB meeting: {_day(opening.start)}.")
    elif body.kind is BodyKind.LCPG:
        lines.append(
            "District meeting in the weeks after the CHWB, so that the CHWB's key messages "
            "can be discussed at district level."
        )
        if opening:
            lines.append(
                f"Follows the board's previous meeting, the CHWB of {_day(opening.start)}."
            )
    elif body.kind is BodyKind.CHAIRS_GROUP:
        lines.append(
            "The LCPG chairs meet after every LCPG of the cycle and before the next CHWB; two "
            "of them attend each CHWB."
        )
        if opening:
            lines.append(
                f"Follows the board's previous meeting, the CHWB of {_day(opening.start)}."
            )
        if closing:
            lines.append(f"Next CHWB: {_day(closing.start)}.")
    else:
        lines.append(
            f"The {body.name}: the LCPGs' safeguarding leads, feeding the KSCB through its "
            "Business Group."
        )
    previous = context.before(meeting.body, meeting.start)
    if previous is not None and body.kind is not BodyKind.CHWB:
        lines.append(f"Previous {body.name} meeting: {_day(previous.start)}.")
    if meeting.status is MeetingStatus.HELD:
        lines.append("This meeting was held.")
    elif meeting.status is MeetingStatus.PLANNED:
        lines.append("Planned: the date may still move.")
    return "\n".join(lines)


def _categories(body: Body, blueprint: Blueprint, districts: dict[str, str]) -> list[str]:
    """``districts``: district names by slug."""
    if body.kind is BodyKind.LCPG:
        district = districts.get(body.district or "", "")
        return ["LCPG", district] if district else ["LCPG"]
    if body.kind.value in blueprint.bodies:
        return [blueprint.bodies[body.kind.value].short_name]
    return [body.name]
