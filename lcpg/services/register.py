"""Setting up the database, importing and exporting the register, and listing what it holds."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from lcpg.bootstrap import App
from lcpg.domain.changes import ChangeSet, plan_changes
from lcpg.domain.model import (
    Body,
    BodyKind,
    Meeting,
    MeetingStatus,
    Membership,
    Person,
    meeting_uid,
)
from lcpg.domain.register import Register
from lcpg.errors import DatabaseError, InputError, InputProblem, NotFoundError, OutputError
from lcpg.services.public_url import PUBLIC_URL_SETTING, check_url

if TYPE_CHECKING:
    from lcpg.domain.blueprint import Blueprint
    from lcpg.workbook import ParsedWorkbook

BLUEPRINT_SETTING = "blueprint"


@dataclass(frozen=True)
class InitResult:
    database: str
    revision_before: str | None
    revision_after: str
    blueprint: str
    bodies_added: tuple[str, ...]
    bodies_updated: tuple[str, ...]
    bodies_unchanged: int


def init_database(app: App, public_url: str | None = None) -> InitResult:
    """Create or upgrade the schema, then add or update the blueprint's bodies; with
    ``public_url``, store it as where ``lcpg serve`` is reachable (``lcpg.services.public_url``;
    ``LCPG_PUBLIC_URL`` still wins over it).

    Safe to run again: an up-to-date database with the same blueprint is left as it was.
    Raises ``LcpgError`` naming ``--public-url`` for an address that is not one, before
    touching the database.
    """
    from sqlalchemy.exc import OperationalError

    from lcpg.store.database import (
        WRITE_OPTION,
        database_failure,
        ensure_sqlite_folder,
        sqlite_file,
    )
    from lcpg.store.migrate import initialise_on
    from lcpg.store.schema_version import SchemaState, schema_state

    blueprint = app.blueprint  # validate the blueprint before touching the database
    if public_url is not None:
        public_url = check_url(public_url, "--public-url")
    ensure_sqlite_folder(app.settings.database_url)
    # Not a database, or damaged: refused before anything is written to it.
    app.check_database_file(verify=True)
    try:
        app.engine.connect().close()  # a server that is not there is a message, not a traceback
    except OperationalError as exc:
        # One line, as every command says it: the driver's hints and any SQL stay out.
        failure = database_failure(exc, app.settings.database_url, app.settings.busy_timeout)
        raise failure or DatabaseError(f"cannot open the database {app.database_name}") from None
    if schema_state(app.engine) is SchemaState.FOREIGN:
        raise DatabaseError(
            f"{sqlite_file(app.settings.database_url)} is not an lcpg database (it holds another "
            "program's tables): give lcpg a file of its own"
        )
    # Schema and bodies in one transaction: a failure leaves the database as it was.
    with app.engine.execution_options(**{WRITE_OPTION: True}).begin() as connection:
        settings = {BLUEPRINT_SETTING: blueprint.slug}
        if public_url is not None:
            settings[PUBLIC_URL_SETTING] = public_url
        before, after, synced = initialise_on(connection, blueprint.bodies_list(), settings)
    return InitResult(
        database=app.database_name,
        revision_before=before,
        revision_after=after,
        blueprint=f"{blueprint.name} ({app.settings.blueprint_path})",
        bodies_added=synced.added,
        bodies_updated=synced.updated,
        bodies_unchanged=synced.unchanged,
    )


def load_register(app: App, *, attendance: bool = True) -> Register:
    """The whole register as it stands now (without attendance records if not needed)."""
    with app.unit_of_work() as uow:
        return uow.register.load(attendance=attendance)


@dataclass(frozen=True)
class WriteResult:
    """What an import (or the demo load) changed, or with ``dry_run`` would change."""

    source: str
    changes: ChangeSet
    dry_run: bool
    meetings: Mapping[str, Meeting]
    """Every meeting the change set may refer to, by identity (to name attendance rows)."""


def _upsert(
    app: App,
    source: str,
    dry_run: bool,
    build_incoming: Callable[[Register], Register],
    *,
    identified: bool | AbstractSet[str] = False,
) -> WriteResult:
    # The current register is read inside the writing transaction, so what is reported is
    # exactly what is written, and nothing is written unless every record was valid.
    with app.unit_of_work(write=True) as uow:
        current = uow.register.load()
        changes = plan_changes(current, build_incoming(current), identified=identified)
        if not dry_run and not changes.is_empty:
            uow.register.apply_changes(changes, app.utc_now())
            uow.commit()
    meetings = {m.id: m for m in current.meetings}
    meetings.update((c.after.id, c.after) for c in changes.meetings.changes)
    return WriteResult(source, changes, dry_run, meetings)


def write_incoming(
    app: App,
    incoming: Register,
    source: str,
    *,
    dry_run: bool,
    identified: AbstractSet[str] = frozenset(),
) -> WriteResult:
    """Upsert ``incoming`` into the register in one transaction (or only report, if
    ``dry_run``). Its bodies must already exist. Its meetings are matched by body and start,
    except those whose identity is in ``identified``, matched by identity
    (``lcpg.domain.changes.plan_changes``)."""
    return _upsert(app, source, dry_run, lambda _current: incoming, identified=identified)


def import_register(app: App, path: Path, *, dry_run: bool = False) -> WriteResult:
    """Import a CSV folder or ``.xlsx`` workbook: all of it, or nothing.

    Meetings are matched by their ``id`` first, then by body and start (see
    ``lcpg.workbook.parse_workbook``). A row without an id that would add a second meeting of its
    body in a cycle (``cycle.one_per_cycle``) is refused: it is nearly always an old copy of a
    meeting that has moved since the file was exported.

    Raises ``InputError`` listing every problem (file, row, column) when any row is bad; the
    database is then left exactly as it was.
    """
    from lcpg.workbook import read_workbook

    blueprint = app.blueprint

    def incoming(current: Register) -> Register:
        bodies = [body.slug for body in current.bodies]
        parsed = read_workbook(path, blueprint, bodies, existing=current)
        _refuse_second_meetings(str(path), current, parsed, blueprint)
        return parsed.register

    return _upsert(app, str(path), dry_run, incoming, identified=True)


def _refuse_second_meetings(
    source: str, current: Register, parsed: ParsedWorkbook, blueprint: Blueprint
) -> None:
    """Raise ``InputError`` naming each row that would give its body a second meeting in a
    cycle: one without an id adding a meeting, or one moving a meeting or bringing it back
    from cancelled (``ParsedWorkbook.entering``)."""
    from cycle.one_per_cycle import second_meetings
    from lcpg.workbook.values import format_datetime

    chwb = next((b.slug for b in current.bodies if b.kind is BodyKind.CHWB), None)
    if chwb is None or not parsed.entering:
        return
    after = {m.id: m for m in current.meetings}
    after.update((m.id, m) for m in parsed.register.meetings)
    seconds = second_meetings(list(after.values()), list(parsed.entering), chwb, blueprint.cadence)
    problems: list[InputProblem] = []
    for found in seconds:
        already = (
            f"{found.meeting.body} meeting in the cycle of the CHWB of "
            f"{found.cycle.chwb.date().isoformat()}, which already has its meeting starting "
            f"{format_datetime(found.already.start)} "
            f"(id {meeting_uid(found.already.id, blueprint.slug)})"
        )
        if found.meeting.id in parsed.added:
            where = "the id column" if parsed.has_ids else "an id column"
            message = (
                f"would be a second {already}: if this row is that meeting, moved since the "
                f"file was exported, put that id in {where}; if it replaces that meeting, "
                "mark one of them cancelled"
            )
        else:
            message = (
                f"would make this meeting a second {already}: if the file is older than the "
                "register, give this row the start and status the register has; otherwise "
                "mark one of them cancelled"
            )
        row = parsed.entering[found.meeting.id]
        # The id cell is where the fix goes; a file without that column is told of its start.
        column = "id" if parsed.has_ids else "start"
        problems.append(InputProblem(parsed.meetings_label, message, row, column))
    if problems:
        raise InputError(source, sorted(problems, key=lambda problem: problem.row or 0))


@dataclass(frozen=True)
class ExportResult:
    files: tuple[Path, ...]
    counts: dict[str, int]


def export_register(app: App, path: Path) -> ExportResult:
    """Write the register to a CSV folder or ``.xlsx`` workbook that ``lcpg import`` reads back.

    Raises ``OutputError`` when ``path`` cannot be written (a file where a folder is wanted,
    no permission, a full disk).
    """
    from lcpg.workbook import write_register

    register = load_register(app)
    try:
        files = write_register(path, register, app.blueprint.slug)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OutputError(f"cannot write {path}: {reason}") from None
    return ExportResult(
        files=tuple(files),
        counts={
            "people": len(register.people),
            "memberships": len(register.memberships),
            "meetings": len(register.meetings),
            "attendance": len(register.attendance),
        },
    )


@dataclass(frozen=True)
class BodyListing:
    body: Body
    current_members: int
    held_meetings: int
    next_meeting: datetime | None


def list_bodies(app: App, today: date) -> list[BodyListing]:
    """Every body with its current membership count, meetings held and next meeting."""
    register = load_register(app)
    members = Counter(m.body for m in register.memberships if m.is_current(today))
    return [
        BodyListing(
            body=body,
            current_members=members[body.slug],
            held_meetings=sum(
                1 for m in register.meetings_of(body.slug) if m.status is MeetingStatus.HELD
            ),
            next_meeting=next(
                (
                    m.start
                    for m in register.meetings_of(body.slug)
                    if m.start.date() >= today and m.status is not MeetingStatus.CANCELLED
                ),
                None,
            ),
        )
        for body in register.bodies
    ]


@dataclass(frozen=True)
class MemberListing:
    membership: Membership
    person: Person


def list_members(app: App, body: str | None, on: date | None) -> list[MemberListing]:
    """Memberships (of one body, or all), current on ``on`` or, with ``on=None``, all of them."""
    register = load_register(app)
    if body is not None:
        _require_body(register, body)
    people = {p.email: p for p in register.people}
    return [
        MemberListing(m, people[m.email])
        for m in register.memberships
        if (body is None or m.body == body) and (on is None or m.is_current(on))
    ]


def list_meetings(
    app: App,
    body: str | None,
    since: date | None,
    until: date | None,
    status: MeetingStatus | None,
) -> list[Meeting]:
    """Meetings in start order, filtered by body, date range (inclusive) and status."""
    register = load_register(app)
    if body is not None:
        _require_body(register, body)
    return [
        m
        for m in register.meetings
        if (body is None or m.body == body)
        and (since is None or m.start.date() >= since)
        and (until is None or m.start.date() <= until)
        and (status is None or m.status is status)
    ]


def _require_body(register: Register, slug: str) -> None:
    if register.body(slug) is None:
        raise NotFoundError.body(slug, (b.slug for b in register.bodies))
