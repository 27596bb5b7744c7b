"""The dashboard's pages as plain data: every district against the rules, and one district's
findings, roles, members and meetings.

Each page reads the register once and checks it as of ``today`` (the caller's date: the web
layer asks ``App.today()``), so every figure on a page comes from the same snapshot and agrees
with ``lcpg check --as-of`` for that day. Nothing here knows about HTML; the templates format.

"The last 12 months" is the compliance check's period: the 365 days ending on ``today``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from lcpg.bootstrap import App
from lcpg.domain.blueprint import Blueprint
from lcpg.domain.model import Body, BodyKind, MeetingStatus, Membership
from lcpg.domain.register import Register
from lcpg.errors import NotFoundError
from rules.findings import Report, Severity
from rules.reporters.views import DistrictRow, DistrictViews, FindingView, MeetingView


class SeatKind(StrEnum):
    """Which part of the blueprint's membership a seat belongs to."""

    CORE = "core"
    INVITED = "invited"
    ADDITIONAL = "additional"


@dataclass(frozen=True)
class FeedEntry:
    """A calendar feed to subscribe to: ``slug`` is its file stem (``lcpg-dover``, ``county``)."""

    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class Overview:
    """The dashboard: one row per district (blueprint order), the county bodies' findings, how
    many findings the check made of each severity, the year-at-a-glance of ``year`` as an
    inline ``<svg>`` element (no XML declaration; its text is escaped) and the feeds."""

    today: date
    blueprint: str
    period_start: date
    core_sectors: int
    districts: tuple[DistrictRow, ...]
    county_findings: tuple[FindingView, ...]
    errors: int
    warnings: int
    infos: int
    year: int
    year_svg: str
    feeds: tuple[FeedEntry, ...]


@dataclass(frozen=True)
class MemberItem:
    """A seat on the LCPG, current on the page's date or starting later."""

    name: str
    organisation: str
    roles: tuple[str, ...]
    start: date | None
    end: date | None


@dataclass(frozen=True)
class SectorGroup:
    """The members sitting for one sector (or invited seat, or as additional members)."""

    slug: str
    name: str
    kind: SeatKind
    members: tuple[MemberItem, ...]


@dataclass(frozen=True)
class RoleHolder:
    name: str
    start: date | None
    end: date | None


@dataclass(frozen=True)
class RoleItem:
    """A role the LCPG must fill, ``needed`` times, and who holds it on the page's date."""

    slug: str
    name: str
    needed: int
    holders: tuple[RoleHolder, ...]
    clause: str

    @property
    def filled(self) -> bool:
        return len(self.holders) >= self.needed


@dataclass(frozen=True)
class DistrictPage:
    """One district: its row of the overview; its findings (severity first); its roles; its
    members by sector (core sectors in blueprint order, then invited seats, then additional
    members; a core sector or invited seat with nobody in it is listed empty); its meetings of
    the last 12 months (oldest first) and those to come; the Local HWBs it reports to; and its
    calendar feed."""

    today: date
    period_start: date
    body_name: str
    row: DistrictRow
    findings: tuple[FindingView, ...]
    roles: tuple[RoleItem, ...]
    sectors: tuple[SectorGroup, ...]
    recent_meetings: tuple[MeetingView, ...]
    upcoming_meetings: tuple[MeetingView, ...]
    local_hwbs: tuple[str, ...]
    feed: FeedEntry | None


def overview(app: App, today: date) -> Overview:
    """Every district against the rules as of ``today``, with this year's picture and the
    feeds. Raises ``DatabaseError`` when the database is not set up."""
    from calendars.feeds import feed_specs
    from lcpg.services.calendar import year_view
    from lcpg.services.register import load_register
    from lcpg.yearview.render import render_svg
    from rules.engine import check

    blueprint = app.blueprint
    register = load_register(app)
    report = check(register, blueprint, today)
    facts = _Facts(register, blueprint, report)
    svg = render_svg(year_view(app, today.year, today))
    totals = Counter(f.severity for f in report.findings)
    county = {b.slug for b in register.bodies if b.kind is not BodyKind.LCPG}
    return Overview(
        today=today,
        blueprint=blueprint.name,
        period_start=facts.context.window_start,
        core_sectors=len(blueprint.core_sector_slugs),
        districts=tuple(facts.row(body) for body in _lcpgs(register)),
        county_findings=tuple(facts.finding(f) for f in report.findings if f.body in county),
        errors=totals[Severity.ERROR],
        warnings=totals[Severity.WARNING],
        infos=totals[Severity.INFO],
        year=today.year,
        year_svg=svg[svg.index("<svg") :],
        feeds=tuple(
            FeedEntry(s.slug, s.name, s.description) for s in feed_specs(register, blueprint)
        ),
    )


def district_page(app: App, slug: str, today: date) -> DistrictPage:
    """District ``slug`` (``gravesham``) as of ``today``. Raises ``NotFoundError`` when the
    register has no LCPG for that district."""
    from calendars.feeds import feed_specs
    from lcpg.services.register import load_register
    from rules.engine import check

    blueprint = app.blueprint
    register = load_register(app)
    body = next((b for b in _lcpgs(register) if b.district == slug), None)
    if body is None:
        known = ", ".join(b.district or b.slug for b in _lcpgs(register))
        raise NotFoundError(f"no district {slug!r} (known districts: {known})")
    report = check(register, blueprint, today, body.slug)
    facts = _Facts(register, blueprint, report)
    findings = tuple(facts.finding(f) for f in report.findings)
    by_subject: dict[str, list[FindingView]] = {}
    for finding in findings:
        by_subject.setdefault(finding.subject, []).append(finding)
    recent: list[MeetingView] = []
    upcoming: list[MeetingView] = []
    for meeting in register.meetings_of(body.slug):
        day = meeting.start.date()
        if day >= today and meeting.status is not MeetingStatus.HELD:
            upcoming.append(facts.meeting(meeting, by_subject))
        elif facts.context.window_start <= day <= today:
            recent.append(facts.meeting(meeting, by_subject))
    feed = next((s for s in feed_specs(register, blueprint) if s.slug == body.slug), None)
    return DistrictPage(
        today=today,
        period_start=facts.context.window_start,
        body_name=body.name,
        row=facts.row(body),
        findings=findings,
        roles=facts.roles(body),
        sectors=facts.sectors(body),
        recent_meetings=tuple(recent),
        upcoming_meetings=tuple(upcoming),
        local_hwbs=tuple(h.name for h in blueprint.hwbs_for(body.district or "")),
        feed=FeedEntry(feed.slug, feed.name, feed.description) if feed else None,
    )


def _lcpgs(register: Register) -> list[Body]:
    return [b for b in register.bodies if b.kind is BodyKind.LCPG and b.district]


class _Facts(DistrictViews):
    """What the pages say about bodies, read from one register and one report: the shared
    views (``rules.reporters.views``), and the district page's roles and members."""

    def __init__(self, register: Register, blueprint: Blueprint, report: Report) -> None:
        super().__init__(register, blueprint, report)
        self.people = {p.email: p for p in register.people}
        self.role_names = {r.slug: r.name for r in blueprint.roles}

    def roles(self, body: Body) -> tuple[RoleItem, ...]:
        boards = len(self.blueprint.hwbs_for(body.district or ""))
        items = []
        for role in self.blueprint.roles:
            holders = sorted(
                (
                    RoleHolder(self._name(a.email), a.start, a.end)
                    for a in self.register.role_holders(body.slug, role.slug, self.today)
                ),
                key=lambda h: h.name,
            )
            items.append(
                RoleItem(
                    slug=role.slug,
                    name=role.name,
                    needed=max(boards, 1) if role.per_linked_hwb else 1,
                    holders=tuple(holders),
                    clause=role.clause,
                )
            )
        return tuple(items)

    def sectors(self, body: Body) -> tuple[SectorGroup, ...]:
        seats = [
            m
            for m in self.context.memberships_by_body.get(body.slug, ())
            if m.end is None or m.end >= self.today
        ]
        policy = self.blueprint.membership
        groups = [
            self._group(s.slug, s.name, SeatKind.CORE, seats) for s in policy.core_sectors
        ] + [self._group(s.slug, s.name, SeatKind.INVITED, seats) for s in policy.invited]
        additional = self._group(policy.additional_slug, "Additional", SeatKind.ADDITIONAL, seats)
        if additional.members:
            groups.append(additional)
        return tuple(groups)

    def _group(
        self, slug: str, name: str, kind: SeatKind, seats: Sequence[Membership]
    ) -> SectorGroup:
        members = sorted(
            (
                MemberItem(
                    name=self._name(m.email),
                    organisation=self.people[m.email].organisation
                    if m.email in self.people
                    else "",
                    roles=tuple(self.role_names.get(r, r) for r in m.roles),
                    start=m.start,
                    end=m.end,
                )
                for m in seats
                if m.sector == slug
            ),
            key=lambda item: (item.name, item.start or date.min),
        )
        return SectorGroup(slug, name, kind, tuple(members))

    def _name(self, email: str) -> str:
        person = self.people.get(email)
        return person.name if person is not None else email
