"""Checking workbook tables and turning them into an incoming register: the pure half of import.

``parse_register`` reads every row of every table, collects every problem it finds (each with
file, row and column) and either raises them all together or returns the incoming ``Register``.
It does no I/O: the tables come from ``workbook.tables`` (or are built in memory by tests), the
bodies and the current register from the caller.

Values are trimmed and their line breaks written ``\n`` (``workbook.tables`` has already
refused control characters); e-mail addresses are lower-cased (they are keys) and slugs and
statuses are matched case-insensitively (``Police`` is ``police``). A row with a problem is
left out, but its valid key still counts, so one mistake is reported once and not again by
every row that refers to it (an attendance row is not also "for an unknown meeting" because
its meeting row had a misspelt status).
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from domain.blueprint import Blueprint
from domain.model import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
    Membership,
    Person,
    meeting_identity,
    normalise_email,
)
from domain.register import Register
from errors import InputError, InputProblem
from workbook.schema import ATTENDANCE, MEETINGS, MEMBERSHIPS, PEOPLE
from workbook.tables import Row, Table, Tables
from workbook.values import format_date, format_datetime, parse_date, parse_datetime, split_roles

_REQUIRED = "a value is required"
# Control characters no workbook, calendar or e-mail header can carry (a tab and line breaks
# are fine: a venue may span lines). openpyxl refuses them, strict calendar readers refuse a
# feed holding one, and an address with one cannot be sent to.


def parse_register(
    tables: Tables, blueprint: Blueprint, body_slugs: Collection[str], existing: Register
) -> Register:
    """The incoming register described by ``tables``; its ``bodies`` are left empty.

    ``body_slugs`` are the bodies in the database; ``blueprint`` gives the sectors, roles and the
    default meeting length (a meeting with no ``end`` lasts ``cadence.meeting_minutes``);
    ``existing`` is the register as stored. A person referred to by a membership or attendance
    row must be in this import's people or in ``existing``; an attendance row's meeting (body
    and start) must be in this import's meetings or in ``existing``. A meeting whose body and
    start are already stored keeps the stored ``id``, otherwise it gets
    ``meeting_identity(body, start)``; attendance refers to meetings by those ids. Records keep
    the order of their rows; membership roles are sorted.

    Raises ``InputError`` (``source`` = ``tables.source``) with one ``InputProblem`` per
    problem, in table and row order, when any row has a problem.
    """
    parser = _Parser(blueprint, sorted(body_slugs), existing)
    people = parser.people(tables.get(PEOPLE.name))
    memberships = parser.memberships(tables.get(MEMBERSHIPS.name))
    meetings = parser.meetings(tables.get(MEETINGS.name))
    attendance = parser.attendance(tables.get(ATTENDANCE.name))
    if parser.problems:
        raise InputError(tables.source, parser.problems)
    return Register(
        people=tuple(people),
        memberships=tuple(memberships),
        meetings=tuple(meetings),
        attendance=tuple(attendance),
    )


def _unknown(what: str, value: str, allowed: Sequence[str], *, list_all: bool) -> str:
    """The message for a value that is not one of ``allowed``.

    Suggests the closest allowed value when there is one (``unknown sector 'polce' (did you
    mean 'police'?)``); lists every allowed value when there is none, or always with
    ``list_all`` (for short lists such as statuses).
    """
    message = f"unknown {what} {value!r}"
    close = difflib.get_close_matches(value.lower(), allowed, n=1)
    expected = f"expected one of: {', '.join(allowed)}" if allowed else f"no {what} is defined"
    if close and list_all:
        return f"{message} (did you mean {close[0]!r}? {expected})"
    if close:
        return f"{message} (did you mean {close[0]!r}?)"
    return f"{message} ({expected})"


@dataclass(frozen=True)
class _Allowed:
    """The values a column allows: ``names`` in the order messages list them, ``members`` to
    test a value against (a national register's 1,800 bodies, once per row, are too many to
    look through as a list)."""

    names: Sequence[str]
    members: frozenset[str]

    @classmethod
    def of(cls, names: Sequence[str]) -> _Allowed:
        return cls(names, frozenset(names))


# The same few thousand addresses and meeting times come back on every attendance row of a
# large workbook: each distinct text is checked (and its value built) once. Errors are not
# cached, so every bad row is still reported.
_CACHED_VALUES = 1 << 16


@functools.lru_cache(maxsize=_CACHED_VALUES)
def _email_form(raw: str) -> str | None:
    """The register's form of address ``raw``, or None when it is not one (it needs one @
    with text on both sides, and no spaces)."""
    value = normalise_email(raw)
    local, _, domain = value.partition("@")
    if value.count("@") == 1 and local and domain and len(value.split()) == 1:
        return value
    return None


_parse_datetime = functools.lru_cache(maxsize=_CACHED_VALUES)(parse_datetime)


@dataclass
class _Cells:
    """The cells of one row, read with checks; problems go to ``problems`` and the columns that
    had one to ``bad``. Readers return a harmless value (``""``, None) for a bad cell."""

    table: Table
    row: Row
    problems: list[InputProblem]
    bad: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.bad

    def problem(self, column: str, message: str) -> None:
        self.bad.add(column)
        self.problems.append(InputProblem(self.table.label, message, self.row.number, column))

    def valid(self, *columns: str) -> bool:
        """True when none of ``columns`` had a problem (a key made of them can be used)."""
        return not self.bad.intersection(columns)

    def text(self, column: str, *, required: bool = False) -> str:
        # Line breaks as \n whatever wrote them: an .xlsx cell cannot keep a lone \r (XML
        # reads it as \n), so the same text reads the same from a CSV file and a workbook.
        value = self.row.get(column).strip().replace("\r\n", "\n").replace("\r", "\n")
        if required and not value:
            self.problem(column, _REQUIRED)
        return value

    def choice(self, column: str, what: str, allowed: _Allowed, *, list_all: bool = False) -> str:
        raw = self.text(column, required=True)
        value = raw.lower()
        if value and value not in allowed.members:
            self.problem(column, _unknown(what, raw, allowed.names, list_all=list_all))
            return ""
        return value

    def email(self, column: str) -> str:
        raw = self.text(column, required=True)
        value = _email_form(raw)
        if raw and value is None:
            self.problem(column, f"not an email address: {raw!r} (expected one @ and no spaces)")
            return ""
        return value or ""

    def iso_date(self, column: str) -> date | None:
        value = self.text(column)
        if not value:
            return None
        try:
            return parse_date(value)
        except ValueError as exc:
            self.problem(column, str(exc))
            return None

    def iso_datetime(self, column: str, *, required: bool = False) -> datetime | None:
        value = self.text(column, required=required)
        if not value:
            return None
        try:
            return _parse_datetime(value)
        except ValueError as exc:
            self.problem(column, str(exc))
            return None


class _Parser:
    """Reads the four tables in order, remembering what later tables may refer to."""

    def __init__(self, blueprint: Blueprint, bodies: Sequence[str], existing: Register) -> None:
        self.blueprint = blueprint
        self.bodies = _Allowed.of(bodies)
        self.sectors = _Allowed.of(blueprint.sector_slugs)
        self.problems: list[InputProblem] = []
        # Known e-mail addresses, each mapped to one shared string: attendance records (two
        # million in a national register) then share it instead of holding a copy each.
        self.emails = {person.email: person.email for person in existing.people}
        self.stored_meetings = {(m.body, m.start): m.id for m in existing.meetings}
        self.meeting_ids: dict[tuple[str, datetime], str] = {}

    def people(self, table: Table | None) -> list[Person]:
        if table is None:
            return []
        people: list[Person] = []
        first_row: dict[str, int] = {}
        for row in table.rows:
            cells = _Cells(table, row, self.problems)
            email = cells.email("email")
            name = cells.text("name", required=True)
            organisation = cells.text("organisation")
            if cells.valid("email"):
                if email in first_row:
                    cells.problem(
                        "email", f"duplicate email {email!r} (already on row {first_row[email]})"
                    )
                else:
                    first_row[email] = row.number
                self.emails.setdefault(email, email)
            if cells.ok:
                people.append(Person(email, name, organisation))
        return people

    def memberships(self, table: Table | None) -> list[Membership]:
        if table is None:
            return []
        memberships: list[Membership] = []
        first_row: dict[tuple[str, str, str, date | None], int] = {}
        for row in table.rows:
            cells = _Cells(table, row, self.problems)
            body = cells.choice("body", "body", self.bodies)
            email = cells.email("email")
            sector = cells.choice("sector", "sector", self.sectors)
            roles = self._roles(cells)
            start, end = cells.iso_date("start"), cells.iso_date("end")
            if start is not None and end is not None and end < start:
                cells.problem("end", f"end {format_date(end)} is before start {format_date(start)}")
            self._check_person(cells, email)
            if cells.valid("body", "email", "sector", "start"):
                key = (body, email, sector, start)
                if key in first_row:
                    cells.problem(
                        "start",
                        "duplicate membership: same body, email, sector and start as row "
                        f"{first_row[key]}",
                    )
                else:
                    first_row[key] = row.number
            if cells.ok:
                memberships.append(Membership(body, email, sector, roles, start, end))
        return memberships

    def meetings(self, table: Table | None) -> list[Meeting]:
        if table is None:
            return []
        meetings: list[Meeting] = []
        first_row: dict[tuple[str, datetime], int] = {}
        length = timedelta(minutes=self.blueprint.cadence.meeting_minutes)
        statuses = _Allowed.of([status.value for status in MeetingStatus])
        for row in table.rows:
            cells = _Cells(table, row, self.problems)
            body = cells.choice("body", "body", self.bodies)
            start = cells.iso_datetime("start", required=True)
            end = cells.iso_datetime("end")
            venue = cells.text("venue")
            status = cells.choice("status", "meeting status", statuses, list_all=True)
            if start is not None and end is None and cells.valid("end"):
                end = start + length
            if start is not None and end is not None and end <= start:
                cells.problem(
                    "end",
                    f"end {format_datetime(end)} is not after start {format_datetime(start)}",
                )
            if start is None or not cells.valid("body"):
                continue
            key = (body, start)
            if key in first_row:
                cells.problem(
                    "start",
                    f"duplicate meeting: {body} already has a meeting starting "
                    f"{format_datetime(start)} on row {first_row[key]}",
                )
                continue
            first_row[key] = row.number
            identity = self.stored_meetings.get(key) or meeting_identity(body, start)
            self.meeting_ids[key] = identity
            if cells.ok and end is not None:
                meetings.append(Meeting(identity, body, start, end, venue, MeetingStatus(status)))
        return meetings

    def attendance(self, table: Table | None) -> list[Attendance]:
        if table is None:
            return []
        attendance: list[Attendance] = []
        first_row: dict[tuple[str, datetime, str], int] = {}
        statuses = _Allowed.of([status.value for status in AttendanceStatus])
        for row in table.rows:
            cells = _Cells(table, row, self.problems)
            body = cells.choice("body", "body", self.bodies)
            start = cells.iso_datetime("meeting_start", required=True)
            email = cells.email("email")
            status = cells.choice("status", "attendance status", statuses, list_all=True)
            meeting_id: str | None = None
            if start is not None and cells.valid("body"):
                key = (body, start)
                meeting_id = self.meeting_ids.get(key) or self.stored_meetings.get(key)
                if meeting_id is None:
                    cells.problem(
                        "meeting_start",
                        f"attendance for an unknown meeting: no {body} meeting starts at "
                        f"{format_datetime(start)} in this import's meetings or in the register",
                    )
            self._check_person(cells, email)
            if start is not None and cells.valid("body", "meeting_start", "email"):
                attendance_key = (body, start, email)
                if attendance_key in first_row:
                    cells.problem(
                        "email",
                        f"duplicate attendance: {email!r} is already recorded for this meeting "
                        f"on row {first_row[attendance_key]}",
                    )
                else:
                    first_row[attendance_key] = row.number
            if cells.ok and meeting_id is not None:
                email = self.emails.get(email, email)
                attendance.append(Attendance(meeting_id, email, AttendanceStatus(status)))
        return attendance

    def _roles(self, cells: _Cells) -> tuple[str, ...]:
        allowed = self.blueprint.role_slugs
        roles: set[str] = set()
        for role in split_roles(cells.text("roles")):
            slug = role.lower()
            if slug in allowed:
                roles.add(slug)
            else:
                cells.problem("roles", _unknown("role", role, allowed, list_all=False))
        return tuple(sorted(roles))

    def _check_person(self, cells: _Cells, email: str) -> None:
        if cells.valid("email") and email not in self.emails:
            cells.problem(
                "email",
                f"unknown person {email!r}: not in this import's people nor in the register",
            )
