"""Checking workbook tables and turning them into an incoming register: the pure half of import.

``parse_register`` reads every row of every table, collects every problem it finds (each with
file, row and column) and either raises them all together or returns the incoming ``Register``.
It does no I/O: the tables come from ``lcpg.workbook.tables`` (or are built in memory by tests), the
bodies and the current register from the caller.

Values are trimmed and their line breaks written ``\n`` (``lcpg.workbook.tables`` has already
refused control characters); e-mail addresses are checked and normalised by
``lcpg.domain.addresses`` (lower case: they are keys) and slugs and
statuses are matched case-insensitively (``Police`` is ``police``). A row with a problem is
left out, but its valid key still counts, so one mistake is reported once and not again by
every row that refers to it (an attendance row is not also "for an unknown meeting" because
its meeting row had a misspelt status).
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from lcpg.domain.addresses import AddressError, normalise_address
from lcpg.domain.blueprint import Blueprint
from lcpg.domain.model import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
    Membership,
    Person,
    meeting_id_from_uid,
    meeting_identity,
    meeting_uid,
)
from lcpg.domain.register import Register
from lcpg.errors import InputError, InputProblem
from lcpg.workbook.schema import ATTENDANCE, MEETINGS, MEMBERSHIPS, PEOPLE
from lcpg.workbook.tables import Row, Table, Tables
from lcpg.workbook.values import (
    format_date,
    format_datetime,
    parse_date,
    parse_datetime,
    split_roles,
)

_REQUIRED = "a value is required"
# Control characters no workbook, calendar or e-mail header can carry (a tab and line breaks
# are fine: a venue may span lines). openpyxl refuses them, strict calendar readers refuse a
# feed holding one, and an address with one cannot be sent to.


@dataclass(frozen=True)
class ParsedWorkbook:
    """The incoming register of a workbook, and the meetings it would bring into a cycle.

    ``entering`` holds, by identity in row order with each one's row number in
    ``meetings_label``, the meetings that would newly take a place in a cycle: added from a row
    without an id, moved to another start, or brought back from ``cancelled``. The import
    checks that none of them would be a second meeting of its body in its cycle
    (``cycle.one_per_cycle``): a stale copy of the register does exactly that. ``added`` are
    those of them that a row without an id would add. Meetings added with an id the register
    does not know (a register restored from its export) are not checked.
    """

    register: Register
    meetings_label: str
    entering: Mapping[str, int]
    added: frozenset[str]
    has_ids: bool = True
    """Whether the meetings table has the ``id`` column (files from older versions do not)."""


def parse_register(
    tables: Tables, blueprint: Blueprint, body_slugs: Collection[str], existing: Register
) -> Register:
    """``parse_workbook(...).register``."""
    return parse_workbook(tables, blueprint, body_slugs, existing).register


def parse_workbook(
    tables: Tables, blueprint: Blueprint, body_slugs: Collection[str], existing: Register
) -> ParsedWorkbook:
    """The incoming register described by ``tables``; its ``bodies`` are left empty.

    ``body_slugs`` are the bodies in the database; ``blueprint`` gives the sectors, roles, the
    default meeting length (a meeting with no ``end`` lasts ``cadence.meeting_minutes``) and
    the form of meeting ids (``lcpg.domain.model.meeting_uid``); ``existing`` is the register as
    stored. A person referred to by a membership or attendance row must be in this import's
    people or in ``existing``.

    Meetings: a row with an ``id`` is that meeting, wherever it now is (its body must be the
    stored one; an id the register does not know adds the meeting with that id, as when a
    register is restored from its export into a new database). A row without an id is the
    stored meeting of its body at its start, unless another row names that meeting by id;
    otherwise it is a new meeting, identified by ``meeting_identity(body, start)`` (or the next
    free identity for that place). An attendance row's meeting is its ``meeting_id`` (with
    ``body`` and ``meeting_start``, when given, agreeing), else its body and start, in this
    import's meetings or in ``existing``. Records keep the order of their rows; membership
    roles are sorted. The returned meetings carry their final identities, so the change is
    planned with ``plan_changes(..., identified=True)``.

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
    register = Register(
        people=tuple(people),
        memberships=tuple(memberships),
        meetings=tuple(meetings),
        attendance=tuple(attendance),
    )
    return ParsedWorkbook(
        register, parser.meetings_label, parser.entering, frozenset(parser.added), parser.has_ids
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
def _email_form(raw: str) -> str | AddressError:
    """The register's form of address ``raw`` (``lcpg.domain.addresses.normalise_address``), or
    why it is not one. The reason is cached with the value: it is the same for every row."""
    try:
        return normalise_address(raw)
    except AddressError as exc:
        return exc


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
        if not self.text(column, required=True):
            return ""
        # The cell as written, not ``text``'s: a no-break space or another invisible
        # character at its end is refused, not trimmed into a different address.
        value = _email_form(self.row.get(column))
        if isinstance(value, AddressError):
            self.problem(column, str(value))
            return ""
        return value

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


@dataclass(frozen=True)
class _MeetingRow:
    """A meetings row read cell by cell, before its identity is settled."""

    cells: _Cells
    identity: str | None
    body: str
    start: datetime | None
    end: datetime | None
    venue: str
    status: MeetingStatus | None


def _enters(stored: Meeting, start: datetime, status: MeetingStatus) -> bool:
    """Whether giving ``stored`` this start and status takes a new place in a cycle: it moves,
    or comes back from cancelled."""
    revived = stored.status is MeetingStatus.CANCELLED and status is not MeetingStatus.CANCELLED
    return stored.start != start or revived


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
        self.meeting_statuses = _Allowed.of([status.value for status in MeetingStatus])
        self.stored_by_id = {m.id: m for m in existing.meetings}
        self.stored_by_key = {(m.body, m.start): m for m in existing.meetings}
        # This import's meetings: identity by (body, start), and (body, start) by identity.
        self.meeting_ids: dict[tuple[str, datetime], str] = {}
        self.file_meetings: dict[str, tuple[str, datetime]] = {}
        # Meetings this import would bring into a cycle, by identity: their row (see
        # ParsedWorkbook); those of them added from rows without an id.
        self.meetings_label = MEETINGS.file_name
        self.entering: dict[str, int] = {}
        self.has_ids = True
        self.added: set[str] = set()

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
        self.meetings_label = table.label
        self.has_ids = "id" in table.header
        rows = [self._meeting_row(table, row) for row in table.rows]
        # Stored meetings that some row names by id: a row without an id at such a meeting's
        # old place is not that meeting (the named row says where it is now).
        named = {r.identity for r in rows if r.identity is not None}
        taken = set(self.stored_by_id) | named
        meetings: list[Meeting] = []
        first_row: dict[tuple[str, datetime], int] = {}
        first_id_row: dict[str, int] = {}
        for r in rows:
            cells, body, start = r.cells, r.body, r.start
            if r.identity is not None:
                if r.identity in first_id_row:
                    cells.problem(
                        "id",
                        f"the same id as row {first_id_row[r.identity]}: a meeting has one row",
                    )
                    continue
                first_id_row[r.identity] = cells.row.number
                stored = self.stored_by_id.get(r.identity)
                if stored is not None and cells.valid("body") and stored.body != body:
                    cells.problem(
                        "id",
                        f"this id is a meeting of {stored.body}, not of {body}: a meeting "
                        f"cannot change body (leave id empty to add a new {body} meeting)",
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
            first_row[key] = cells.row.number
            there = self.stored_by_key.get(key)
            identity, new = r.identity, False
            if identity is None and there is not None and there.id not in named:
                identity = there.id
            elif identity is None:
                identity, new = self._new_identity(body, start, taken), True
            elif there is not None and there.id != identity and there.id not in named:
                cells.problem(
                    "start",
                    f"{body} already has another meeting starting {format_datetime(start)} "
                    f"(id {meeting_uid(there.id, self.blueprint.slug)})",
                )
            self.meeting_ids[key] = identity
            self.file_meetings[identity] = (body, start)
            if cells.ok and r.end is not None and r.status is not None:
                meetings.append(Meeting(identity, body, start, r.end, r.venue, r.status))
                stored = self.stored_by_id.get(identity)
                if new or (stored is not None and _enters(stored, start, r.status)):
                    self.entering[identity] = cells.row.number
                if new:
                    self.added.add(identity)
        return meetings

    def _meeting_row(self, table: Table, row: Row) -> _MeetingRow:
        """One meetings row, its cells checked one by one."""
        length = timedelta(minutes=self.blueprint.cadence.meeting_minutes)
        cells = _Cells(table, row, self.problems)
        identity = self._identity(cells, "id")
        body = cells.choice("body", "body", self.bodies)
        start = cells.iso_datetime("start", required=True)
        end = cells.iso_datetime("end")
        venue = cells.text("venue")
        status = cells.choice("status", "meeting status", self.meeting_statuses, list_all=True)
        if start is not None and end is None and cells.valid("end"):
            end = start + length
        if start is not None and end is not None and end <= start:
            cells.problem(
                "end",
                f"end {format_datetime(end)} is not after start {format_datetime(start)}",
            )
        return _MeetingRow(
            cells, identity, body, start, end, venue, MeetingStatus(status) if status else None
        )

    def _identity(self, cells: _Cells, column: str) -> str | None:
        """The meeting identity in ``column`` (a calendar UID or the bare identity), or None
        when the cell is empty or malformed (then a problem is recorded)."""
        text = cells.text(column)
        if not text:
            return None
        try:
            return meeting_id_from_uid(text, self.blueprint.slug)
        except ValueError as exc:
            cells.problem(column, str(exc))
            return None

    @staticmethod
    def _new_identity(body: str, start: datetime, taken: set[str]) -> str:
        """The identity of a meeting first placed now: ``meeting_identity``, or the next free
        one when a meeting first placed at the same time has since moved away."""
        attempt = 0
        identity = meeting_identity(body, start)
        while identity in taken:
            attempt += 1
            identity = meeting_identity(body, start, attempt)
        taken.add(identity)
        return identity

    def attendance(self, table: Table | None) -> list[Attendance]:
        if table is None:
            return []
        attendance: list[Attendance] = []
        first_row: dict[tuple[str, str], int] = {}
        statuses = _Allowed.of([status.value for status in AttendanceStatus])
        for row in table.rows:
            cells = _Cells(table, row, self.problems)
            named = bool(row.get("meeting_id").strip())
            identity = self._identity(cells, "meeting_id")
            # With a meeting_id, body and meeting_start may be left empty; given, they must agree.
            given_body = not named or bool(row.get("body").strip())
            body = cells.choice("body", "body", self.bodies) if given_body else ""
            start = cells.iso_datetime("meeting_start", required=not named)
            email = cells.email("email")
            status = cells.choice("status", "attendance status", statuses, list_all=True)
            meeting_id = (
                self._attended(cells, identity, body, start)
                if cells.valid("meeting_id", "body", "meeting_start")
                else None
            )
            self._check_person(cells, email)
            if meeting_id is not None and cells.valid("email"):
                attendance_key = (meeting_id, email)
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

    def _attended(
        self, cells: _Cells, identity: str | None, body: str, start: datetime | None
    ) -> str | None:
        """The identity of the meeting an attendance row is for, or None (with a problem)."""
        if identity is not None:
            place = self.file_meetings.get(identity)
            if place is None and identity in self.stored_by_id:
                stored = self.stored_by_id[identity]
                place = (stored.body, stored.start)
            if place is None:
                cells.problem(
                    "meeting_id",
                    "attendance for an unknown meeting: no meeting has this id in this "
                    "import's meetings or in the register",
                )
                return None
            if body and body != place[0]:
                cells.problem(
                    "body",
                    f"meeting_id names a meeting of {place[0]}, not of {body}: correct one of "
                    "them, or leave body empty",
                )
            elif start is not None and start != place[1]:
                cells.problem(
                    "meeting_start",
                    f"meeting_id names the {place[0]} meeting starting "
                    f"{format_datetime(place[1])}, not {format_datetime(start)}: correct one "
                    "of them, or leave meeting_start empty",
                )
            return identity if cells.valid("body", "meeting_start") else None
        if start is None:
            return None
        key = (body, start)
        found = self.meeting_ids.get(key)
        if found is None and key in self.stored_by_key:
            found = self.stored_by_key[key].id
        if found is None:
            cells.problem(
                "meeting_start",
                f"attendance for an unknown meeting: no {body} meeting starts at "
                f"{format_datetime(start)} in this import's meetings or in the register",
            )
        return found

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
