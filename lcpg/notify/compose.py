"""The weekly compliance e-mails of one ISO week, composed from a check (pure: no I/O, no clock).

``compose_week`` turns a compliance ``Report`` (and how it differs from the last recorded
check) into ``OutgoingMessage`` records, one per recipient, in this order:

1. the **county email**, once for each team address of ``EmailSettings.team`` (kind
   ``county``): every district's standing in one table (how often its LCPG meets, missing core
   sectors, vacant roles, then the finding counts), the county bodies' counts, what is new and
   what was resolved since the last recorded check, the meetings of every feed body in the
   next ``UPCOMING_DAYS`` days, the past meetings nobody has recorded, the districts that get
   no district email, and a link to the dashboard;
2. a **district email** for each LCPG (blueprint order) to each current chair, then each
   current co-ordinator (kind ``district:<slug>``; by name within a role; someone holding both
   roles gets one): the district's findings grouped by rule, each rule with the blueprint clause
   behind it and what to do about it (``advice``), what was resolved, the LCPG's next meetings,
   its calendar feed and its page on the dashboard. A district with neither a chair nor a
   co-ordinator gets none, and the county email says so.

Subjects read ``LCPG compliance, week 2027-W05: 3 errors, 5 warnings`` (county: the whole
report) and ``LCPG compliance, week 2027-W05, Gravesham: 1 error, 2 warnings`` (district: its
LCPG's findings); ``, 1 info`` is added only when there is info, and ``no findings`` replaces
the counts when there are none.

Dates. Everything is as of the check's date (``report.as_of``, the week's Monday when
``lcpg.services.email_preview`` runs it): roles and members on that day, the meetings from that day
on. So the email of a week says the same whenever it is composed, and a send retried later in
the week sends what the preview showed; ``today`` only dates the footer ("Prepared on ...").

Every text from the register (names, venues, messages) is put on one line by
``lcpg.notify.mime.one_line``. The HTML templates autoescape it (``select_autoescape`` on
``.html.j2``); the text templates do not (``.txt.j2``), which is right for ``text/plain``.
The templates in ``lcpg/notify/templates/`` only print the frozen views built here; a finding
and a district row are the views the dashboard and the HTML report show too
(``rules.reporters.views``).
"""

from __future__ import annotations

import functools
import re
import textwrap
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from email.utils import parseaddr
from typing import TYPE_CHECKING, Final

from lcpg.domain.addresses import AddressError, normalise_address
from lcpg.domain.model import Body, BodyKind, Meeting, MeetingStatus
from lcpg.domain.wording import (
    hours,
    long_date,
    long_span,
    long_weekday_date,
    plural,
    short_weekday_date,
)
from lcpg.notify.messages import COUNTY, OutgoingMessage, district_kind
from lcpg.notify.mime import one_line
from rules.findings import Comparison, Finding, Report, Severity
from rules.reporters.views import DistrictRow, DistrictViews, FindingView, finding_view
from rules.reporters.wording import SEVERITY_LABELS, bodies_checked
from rules.standing import district_name

if TYPE_CHECKING:
    import jinja2
    from markupsafe import Markup

    from lcpg.domain.blueprint import Blueprint
    from lcpg.domain.register import Register

__all__ = [
    "EmailSettings",
    "advice",
    "compose_week",
    "county_subject",
    "district_subject",
    "finding_counts",
]

UPCOMING_DAYS: Final = 21
"""The county email lists the meetings of the next three weeks."""
NEXT_MEETINGS: Final = 3
"""A district email lists its LCPG's next three meetings."""
TEXT_WIDTH: Final = 78
"""The plain-text parts fit 78 columns (RFC 5322's recommended line length)."""

UNRECORDED_RULE: Final = "records.unrecorded"
CHAIR: Final = "chair"
COORDINATOR: Final = "coordinator"

DEFAULT_ADVICE: Final = "See the blueprint clause above; the dashboard shows the details."
"""The advice for a finding of a rule lcpg no longer knows (a recorded check's)."""


def advice(rule: str) -> str:
    """What to do about a finding of ``rule``: its rule record's advice (``rules.registry``)."""
    from rules.catalogue import REGISTRY

    found = REGISTRY.get(rule)
    return found.advice if found is not None else DEFAULT_ADVICE


_SEVERITIES: Final = (Severity.ERROR, Severity.WARNING, Severity.INFO)


@dataclass(frozen=True)
class EmailSettings:
    """Who gets the county email (``team``: addresses, or ``Name <address>``), who sends
    (``sender``: ``Name <address>``), and where the dashboard and the feeds are served
    (``dashboard_url``: its root; ``feeds_url``: the folder of ``<body-slug>.ics`` files)."""

    team: tuple[str, ...]
    sender: str
    dashboard_url: str
    feeds_url: str


# --- the views the templates print -------------------------------------------------------


@dataclass(frozen=True)
class RuleGroup:
    """A district's findings of one rule, with the clause behind the rule and the advice."""

    rule: str
    severity: str
    label: str
    clause: str
    advice: str
    findings: tuple[FindingView, ...]


@dataclass(frozen=True)
class Change:
    """New or resolved findings of one rule with the same message, and the bodies they are
    about (twelve LCPGs with nothing planned for the next cycle make one line, not twelve)."""

    severity: str
    label: str
    rule: str
    message: str
    bodies: tuple[str, ...]
    count: int


@dataclass(frozen=True)
class Since:
    """What changed since the last recorded check (``previous`` is None when there is none):
    the changes most serious first, then in report order."""

    previous: str | None
    summary: str
    new: tuple[Change, ...]
    resolved: tuple[Change, ...]


@dataclass(frozen=True)
class MeetingLine:
    """A meeting: ``day`` ``Wed 25 Nov 2026``, ``time`` ``10:00–12:00``."""

    day: str
    time: str
    body: str
    venue: str
    status: str


@dataclass(frozen=True)
class BodyCounts:
    """A county body's finding counts: ``counts`` reads as in subjects (``finding_counts``)."""

    name: str
    counts: str


@dataclass(frozen=True)
class CountyView:
    """Everything the county email shows; dates and counts already words."""

    subject: str
    week: str
    as_of: str
    prepared: str
    counts: str
    errors: int
    warnings: int
    infos: int
    checked: str
    since: Since
    districts: tuple[DistrictRow, ...]
    districts_url: str
    county_bodies: tuple[BodyCounts, ...]
    upcoming: tuple[MeetingLine, ...]
    horizon: str
    unrecorded: tuple[MeetingLine, ...]
    district_emails: str
    no_recipients: tuple[str, ...]
    dashboard_url: str


@dataclass(frozen=True)
class DistrictView:
    """Everything one district email shows, for one recipient (``recipient`` is their name,
    ``roles`` how they hold office: ``chair``, ``co-chair``, ``chair and co-ordinator``)."""

    subject: str
    week: str
    as_of: str
    prepared: str
    district: str
    body: str
    recipient: str
    roles: str
    counts: str
    errors: int
    warnings: int
    infos: int
    since: Since
    groups: tuple[RuleGroup, ...]
    meetings: tuple[MeetingLine, ...]
    feed_url: str
    webcal_url: str
    dashboard_url: str


# --- wording ---------------------------------------------------------------------------------


def finding_counts(findings: Iterable[Finding]) -> str:
    """``3 errors, 5 warnings`` (errors and warnings always, ``, 1 info`` when there is any);
    ``no findings`` when there are none."""
    counts = Counter(f.severity for f in findings)
    if not counts:
        return "no findings"
    parts = [
        plural(counts[Severity.ERROR], "error", "errors"),
        plural(counts[Severity.WARNING], "warning", "warnings"),
    ]
    if counts[Severity.INFO]:
        parts.append(plural(counts[Severity.INFO], "info", "info"))
    return ", ".join(parts)


def county_subject(week: str, findings: Iterable[Finding]) -> str:
    """``LCPG compliance, week 2027-W05: 3 errors, 5 warnings``."""
    return f"LCPG compliance, week {week}: {finding_counts(findings)}"


def district_subject(week: str, district: str, findings: Iterable[Finding]) -> str:
    """``LCPG compliance, week 2027-W05, Gravesham: 1 error, 2 warnings``."""
    return f"LCPG compliance, week {week}, {one_line(district)}: {finding_counts(findings)}"


# --- working out ---------------------------------------------------------------------------


def _body_names(register: Register, report: Report) -> dict[str, str]:
    names = {b.slug: b.name for b in register.bodies}
    names.update(report.bodies)
    return {slug: one_line(name) for slug, name in names.items()}


def _finding_view(finding: Finding, names: Mapping[str, str], new: bool = False) -> FindingView:
    """The shared finding view, its message and clause on one line."""
    on_one_line = replace(
        finding, message=one_line(finding.message), clause=one_line(finding.clause)
    )
    return finding_view(on_one_line, names.get(finding.body, finding.body), new=new)


def _district_row(views: DistrictViews, body: Body) -> DistrictRow:
    """The shared district row, its names on one line."""
    row = views.row(body)
    return replace(
        row,
        name=one_line(row.name),
        core_sectors_missing=tuple(map(one_line, row.core_sectors_missing)),
        roles_vacant=tuple(map(one_line, row.roles_vacant)),
    )


def _since(
    comparison: Comparison | None,
    names: Mapping[str, str],
    as_of: date,
    bodies: set[str] | None = None,
) -> Since:
    """What changed since the last check recorded as of a day before ``as_of`` (the week's
    Monday), limited to ``bodies`` when given; saying which recorded check that was."""
    if comparison is None:
        # Not "the first recorded check": checks recorded as of this Monday or later may
        # exist (the demo records one as of its day), they are just not before the week.
        return Since(
            None,
            f"No check was recorded as of a day before {long_weekday_date(as_of)}, so there is "
            "nothing to compare with yet; lcpg history lists the checks recorded and their dates.",
            (),
            (),
        )

    new = [f for f in comparison.new if bodies is None or f.body in bodies]
    resolved = [f for f in comparison.resolved if bodies is None or f.body in bodies]
    previous = long_date(comparison.previous_as_of)
    which = (
        f"check {comparison.previous_run}, as of {previous}"
        if comparison.previous_run is not None
        else f"the check of {previous}"
    )
    return Since(
        previous,
        f"Since {which}: {len(new)} new, {len(resolved)} resolved.",
        _changes(new, names),
        _changes(resolved, names),
    )


def _changes(findings: Sequence[Finding], names: Mapping[str, str]) -> tuple[Change, ...]:
    """``findings`` grouped by (rule, message), most serious first, else in the order given."""
    grouped: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        grouped.setdefault((finding.rule, one_line(finding.message)), []).append(finding)
    changes = []
    for (rule, message), found in grouped.items():
        worst = max((f.severity for f in found), key=lambda s: s.rank)
        bodies = dict.fromkeys(names.get(f.body, f.body) for f in found)
        changes.append(
            Change(worst.value, SEVERITY_LABELS[worst], rule, message, tuple(bodies), len(found))
        )
    order = {severity.value: -severity.rank for severity in Severity}
    return tuple(sorted(changes, key=lambda c: order[c.severity]))  # stable: report order


def _meeting_line(meeting: Meeting, names: Mapping[str, str]) -> MeetingLine:
    return MeetingLine(
        day=short_weekday_date(meeting.start.date()),
        time=hours(meeting.start, meeting.end),
        body=names.get(meeting.body, meeting.body),
        venue=one_line(meeting.venue),
        status=meeting.status.value,
    )


def _severity_counts(findings: Sequence[Finding]) -> tuple[int, int, int]:
    counts = Counter(f.severity for f in findings)
    errors, warnings, infos = (counts[s] for s in _SEVERITIES)
    return errors, warnings, infos


@dataclass(frozen=True)
class _Recipient:
    email: str
    name: str
    roles: tuple[str, ...]


def _recipients(register: Register, body: Body, on: date) -> list[_Recipient]:
    """The LCPG's current chairs (by name), then its co-ordinators (by name); one entry for
    someone holding both, naming both roles."""
    people = {p.email: one_line(p.name) for p in register.people}

    def by_name(email: str) -> tuple[str, str]:
        return (people.get(email, email).casefold(), email)

    def holders(role: str) -> list[str]:
        return sorted({a.email for a in register.role_holders(body.slug, role, on)}, key=by_name)

    chairs, coordinators = holders(CHAIR), holders(COORDINATOR)
    chair_word = "co-chair" if len(chairs) > 1 else "chair"
    roles: dict[str, list[str]] = {}
    for email in chairs:
        roles.setdefault(email, []).append(chair_word)
    for email in coordinators:
        roles.setdefault(email, []).append("co-ordinator")
    return [_Recipient(email, people.get(email, email), tuple(r)) for email, r in roles.items()]


def _team(settings: EmailSettings) -> list[tuple[str, str]]:
    """(address, name) for each team entry, in order, each address once."""
    seen: set[str] = set()
    team = []
    for entry in settings.team:
        name, written = parseaddr(one_line(entry))
        try:
            address = normalise_address(written)
        except AddressError:
            continue  # email_settings_from has refused it already; never half a message
        if address in seen:
            continue
        seen.add(address)
        team.append((address, one_line(name) or "Partnership team"))
    return team


def _district_url(settings: EmailSettings, district: str) -> str:
    return f"{settings.dashboard_url.rstrip('/')}/districts/{district}"


def _rule_groups(
    findings: Sequence[Finding], new_keys: set[tuple[str, str, str]], names: Mapping[str, str]
) -> tuple[RuleGroup, ...]:
    """The findings by rule, in report order (most serious first); one clause per rule."""
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding.rule, []).append(finding)
    groups = []
    for rule, found in grouped.items():
        worst = max((f.severity for f in found), key=lambda s: s.rank)
        groups.append(
            RuleGroup(
                rule=rule,
                severity=worst.value,
                label=SEVERITY_LABELS[worst],
                clause=one_line(found[0].clause),
                advice=advice(rule),
                findings=tuple(_finding_view(f, names, f.key in new_keys) for f in found),
            )
        )
    return tuple(groups)


def compose_week(
    week: str,
    today: date,
    report: Report,
    comparison: Comparison | None,
    register: Register,
    blueprint: Blueprint,
    settings: EmailSettings,
) -> list[OutgoingMessage]:
    """Every message of ``week`` (``2027-W05``), in a stable order: the county email to each
    team address, then the district emails, district by district in register (blueprint)
    order, chairs before co-ordinators. See the module docstring for what each holds.

    ``report`` is the check the emails report (as of its ``as_of``), ``comparison`` how it
    differs from the last recorded check (None: there is none), ``register`` the register it
    checked. ``today`` dates the footer only. Pure: the same arguments give the same messages.
    """
    # Imported here so that importing this module (for ``EmailSettings``) stays cheap.
    from calendars.feeds import FEED_KINDS
    from calendars.index import feed_link

    as_of = report.as_of
    names = _body_names(register, report)
    by_body: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_body.setdefault(finding.body, []).append(finding)
    lcpgs = [b for b in register.bodies if b.kind is BodyKind.LCPG and b.district]
    new_keys = {f.key for f in comparison.new} if comparison is not None else set()
    prepared = long_date(today)
    views = DistrictViews(register, blueprint, report, names)

    district_messages: list[OutgoingMessage] = []
    rows: list[DistrictRow] = []
    no_recipients: list[str] = []
    for body in lcpgs:
        district = body.district or body.slug
        name = one_line(district_name(blueprint, body))
        findings = by_body.get(body.slug, [])
        errors, warnings, infos = _severity_counts(findings)
        rows.append(_district_row(views, body))
        recipients = _recipients(register, body, as_of)
        if not recipients:
            no_recipients.append(name)
            continue
        feed = feed_link(names[body.slug], settings.feeds_url, f"{body.slug}.ics", 0)
        upcoming = [
            m
            for m in register.meetings_of(body.slug)
            if m.start.date() >= as_of and m.status is not MeetingStatus.CANCELLED
        ][:NEXT_MEETINGS]
        subject = district_subject(week, name, findings)
        for recipient in recipients:
            view = DistrictView(
                subject=subject,
                week=week,
                as_of=long_weekday_date(as_of),
                prepared=prepared,
                district=name,
                body=names[body.slug],
                recipient=recipient.name,
                roles=" and ".join(recipient.roles),
                counts=finding_counts(findings),
                errors=errors,
                warnings=warnings,
                infos=infos,
                since=_since(comparison, names, as_of, {body.slug}),
                groups=_rule_groups(findings, new_keys, names),
                meetings=tuple(_meeting_line(m, names) for m in upcoming),
                feed_url=feed.https,
                webcal_url=feed.webcal,
                dashboard_url=_district_url(settings, district),
            )
            district_messages.append(
                OutgoingMessage(
                    week=week,
                    kind=district_kind(district),
                    recipient=recipient.email,
                    recipient_name=recipient.name,
                    subject=subject,
                    text=_render("district.txt.j2", view),
                    html=_render("district.html.j2", view),
                )
            )

    horizon_end = as_of + timedelta(days=UPCOMING_DAYS)
    feed_bodies = {b.slug: i for i, b in enumerate(register.bodies) if b.kind in FEED_KINDS}
    upcoming = sorted(
        (
            m
            for m in register.meetings
            if m.body in feed_bodies
            and as_of <= m.start.date() < horizon_end
            and m.status is not MeetingStatus.CANCELLED
        ),
        key=lambda m: (m.start, feed_bodies[m.body]),
    )
    lcpg_slugs = {b.slug for b in lcpgs}
    county_bodies = tuple(
        BodyCounts(name, finding_counts(by_body.get(slug, [])))
        for slug, name in names.items()
        if slug in report.bodies and slug not in lcpg_slugs
    )
    errors, warnings, infos = _severity_counts(report.findings)
    sent = len(district_messages)
    county = CountyView(
        subject=county_subject(week, report.findings),
        week=week,
        as_of=long_weekday_date(as_of),
        prepared=prepared,
        counts=finding_counts(report.findings),
        errors=errors,
        warnings=warnings,
        infos=infos,
        checked=bodies_checked(report),
        since=_since(comparison, names, as_of),
        districts=tuple(rows),
        districts_url=_district_url(settings, ""),
        county_bodies=county_bodies,
        upcoming=tuple(_meeting_line(m, names) for m in upcoming),
        horizon=long_span(as_of, horizon_end - timedelta(days=1)),
        unrecorded=tuple(_unrecorded(report, register, names)),
        district_emails=(
            f"District emails this week: {plural(sent, 'email', 'emails')} to the chairs and "
            "co-ordinators."
        ),
        no_recipients=tuple(no_recipients),
        dashboard_url=settings.dashboard_url,
    )
    text, html = _render("county.txt.j2", county), _render("county.html.j2", county)
    county_messages = [
        OutgoingMessage(week, COUNTY, address, name, county.subject, text, html)
        for address, name in _team(settings)
    ]
    return county_messages + district_messages


def _unrecorded(
    report: Report, register: Register, names: Mapping[str, str]
) -> Iterable[MeetingLine]:
    """The meetings of ``records.unrecorded`` findings, oldest first."""
    found = [f for f in report.findings if f.rule == UNRECORDED_RULE]
    meetings = {(m.body, m.start.isoformat(timespec="minutes")): m for m in register.meetings}
    lines: list[tuple[str, MeetingLine]] = []
    for finding in found:
        meeting = meetings.get((finding.body, finding.subject))
        if meeting is not None:
            lines.append((finding.subject, _meeting_line(meeting, names)))
            continue
        # The register changed since the check: say what the finding says.
        lines.append(
            (
                finding.subject,
                MeetingLine(
                    finding.subject.replace("T", " "),
                    "",
                    names.get(finding.body, finding.body),
                    "",
                    str(finding.evidence.get("status", "planned")),
                ),
            )
        )
    return [line for _, line in sorted(lines, key=lambda pair: pair[0])]


# --- rendering -----------------------------------------------------------------------------

_CODE: Final = re.compile(r"`([^`]+)`")


def _code_spans(text: str) -> Markup:
    """``text`` escaped for HTML, with `backticked` commands set as code."""
    from markupsafe import Markup, escape

    escaped = str(escape(text))
    return Markup(
        _CODE.sub(
            r'<code style="font-family:Consolas,Courier New,monospace;font-size:13px;'
            r'background-color:#eef1f4;padding:0 3px;">\1</code>',
            escaped,
        )
    )


def _wrap(text: str, indent: str = "", first: str | None = None) -> str:
    """``text`` wrapped to ``TEXT_WIDTH`` columns: the first line starts with ``first``
    (default ``indent``), the others with ``indent``. Long words (addresses) are not broken."""
    return textwrap.fill(
        text,
        width=TEXT_WIDTH,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


@functools.cache
def _environment() -> jinja2.Environment:
    """Built once. Autoescaping is on for ``*.html.j2`` and off for ``*.txt.j2``: names,
    venues and messages come from a register that many people edit, and must never become
    markup in the HTML part, while ``&`` must stay ``&`` in the plain-text part."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("lcpg.notify", "templates"),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html.j2",), disabled_extensions=("txt.j2",), default=True
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["code"] = _code_spans
    env.filters["wrap"] = _wrap
    return env


def _render(template: str, view: CountyView | DistrictView) -> str:
    return _environment().get_template(template).render(view=view, width=TEXT_WIDTH)
