"""parse_register on in-memory tables: good rows become records, every bad cell one problem.

Uses the real Kent blueprint and its bodies. Each problem kind has a case that pins the file,
row, column and the telling part of the message. People are fictional, at example.org.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from lcpg.blueprints import KENT
from lcpg.domain.blueprint import load_blueprint
from lcpg.domain.model import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
    Membership,
    Person,
    meeting_identity,
)
from lcpg.domain.register import Register
from lcpg.errors import InputError, InputProblem
from lcpg.workbook import ParsedWorkbook, Table, Tables, parse_register, parse_workbook
from lcpg.workbook.schema import TABLES

BLUEPRINT = load_blueprint(KENT)
BODIES = [body.slug for body in BLUEPRINT.bodies_list()]
# The columns of files written before meetings had ids (still read): most cases here use them;
# the cases of the id columns are at the end.
IDS = ("id", "meeting_id")
COLUMNS = {spec.name: tuple(c for c in spec.columns if c not in IDS) for spec in TABLES}

ADA = "ada.finch@example.org"
BO = "bo.reed@example.org"
MARCH = datetime(2018, 3, 14, 10, 0)

PEOPLE = [
    [ADA, "Ada Finch", "West Kent Mind (fictional)"],
    [BO, "Bo Reed", "Sevenoaks District Council"],
    ["cy.lane@example.org", "Cy Lane", ""],
]
MEMBERSHIPS = [
    ["lcpg-sevenoaks", ADA, "voluntary-sector", "chair", "2018-01-01", ""],
    ["lcpg-sevenoaks", BO, "district-council", "coordinator;safeguarding-lead", "2016-05-01", ""],
]
MEETINGS = [
    ["lcpg-sevenoaks", "2018-03-14T10:00", "2018-03-14T12:00", "Gateway, Swanley", "held"],
    ["lcpg-sevenoaks", "2018-06-13T10:00", "", "Council Offices", "planned"],
]
ATTENDANCE = [
    ["lcpg-sevenoaks", "2018-03-14T10:00", ADA, "present"],
    ["lcpg-sevenoaks", "2018-03-14T10:00", BO, "apologies"],
]
GOOD = {
    "people": PEOPLE,
    "memberships": MEMBERSHIPS,
    "meetings": MEETINGS,
    "attendance": ATTENDANCE,
}


def tables(**rows: list[list[str]]) -> Tables:
    """Tables with the standard header for each table named, in the standard order."""
    return Tables(
        "in",
        tuple(Table.from_rows(name, COLUMNS[name], rows[name]) for name in COLUMNS if name in rows),
    )


def parse(existing: Register | None = None, /, **rows: list[list[str]]) -> Register:
    return parse_register(tables(**rows), BLUEPRINT, BODIES, existing or Register())


def problems_of(existing: Register | None = None, /, **rows: list[list[str]]) -> list[InputProblem]:
    with pytest.raises(InputError) as raised:
        parse(existing, **rows)
    assert raised.value.source == "in"
    return raised.value.problems


def only_problem(**rows: list[list[str]]) -> InputProblem:
    problems = problems_of(**{**GOOD, **rows})
    assert len(problems) == 1, problems
    return problems[0]


def with_cell(
    table: list[list[str]], row: int, column: str, value: str, name: str
) -> list[list[str]]:
    """A copy of ``table`` with one cell changed; ``row`` counts as in the file (data from 2)."""
    copy = [list(cells) for cells in table]
    copy[row - 2][COLUMNS[name].index(column)] = value
    return copy


# Good rows, one test per table


def test_people_are_read_with_keys_normalised_and_values_trimmed() -> None:
    register = parse(people=[[" Ada.Finch@Example.ORG ", " Ada Finch ", ""], PEOPLE[1]])
    assert register.people == (Person(ADA, "Ada Finch", ""), Person(BO, "Bo Reed", PEOPLE[1][2]))
    assert register.bodies == () and register.memberships == () and register.meetings == ()


def test_line_breaks_are_read_as_newlines_whatever_wrote_them() -> None:
    # A workbook turns a lone \r into \n (XML): CSV and .xlsx must read the same text.
    organisations = ["Kent\r\nPolice", "Kent\rPolice", "Kent\nPolice"]
    people = [[f"p{n}@example.org", f"P {n}", o] for n, o in enumerate(organisations)]
    register = parse(people=people)
    assert {person.organisation for person in register.people} == {"Kent\nPolice"}


def test_memberships_have_sorted_roles_dates_and_case_insensitive_slugs() -> None:
    register = parse(
        people=PEOPLE,
        memberships=[
            [
                "lcpg-sevenoaks",
                BO.upper(),
                "District-Council",
                " safeguarding-lead ; Coordinator;",
                "2016-05-01",
                "2017-09-30",
            ],
            ["chairs-group", ADA, "additional", "", "", ""],
        ],
    )
    assert register.memberships == (
        Membership(
            "lcpg-sevenoaks",
            BO,
            "district-council",
            ("coordinator", "safeguarding-lead"),
            date(2016, 5, 1),
            date(2017, 9, 30),
        ),
        Membership("chairs-group", ADA, "additional", (), None, None),
    )


def test_meetings_get_derived_ids_and_a_default_length() -> None:
    register = parse(
        meetings=[
            ["lcpg-sevenoaks", "2018-06-13 10:00:00", "", "", "Planned"],
            ["chwb", "2018-03-14T14:00", "2018-03-14T16:30", "County Hall", "confirmed"],
        ]
    )
    june = datetime(2018, 6, 13, 10, 0)
    chwb = datetime(2018, 3, 14, 14, 0)
    assert BLUEPRINT.cadence.meeting_minutes == 120
    assert register.meetings == (
        Meeting(
            meeting_identity("lcpg-sevenoaks", june),
            "lcpg-sevenoaks",
            june,
            datetime(2018, 6, 13, 12, 0),
            "",
            MeetingStatus.PLANNED,
        ),
        Meeting(
            meeting_identity("chwb", chwb),
            "chwb",
            chwb,
            datetime(2018, 3, 14, 16, 30),
            "County Hall",
            MeetingStatus.CONFIRMED,
        ),
    )


def test_attendance_refers_to_meetings_of_the_import() -> None:
    register = parse(**GOOD)
    march_id = meeting_identity("lcpg-sevenoaks", MARCH)
    assert register.attendance == (
        Attendance(march_id, ADA, AttendanceStatus.PRESENT),
        Attendance(march_id, BO, AttendanceStatus.APOLOGIES),
    )
    assert register.meetings[0].id == march_id


def test_rows_keep_their_input_order() -> None:
    register = parse(people=[PEOPLE[1], PEOPLE[0]])
    assert [p.email for p in register.people] == [BO, ADA]


def test_no_tables_give_an_empty_register() -> None:
    assert parse() == Register()


# One problem kind each: (table, row, column, new value) -> (column reported, message part)

CELL_PROBLEMS = [
    pytest.param(
        "meetings",
        3,
        "body",
        "lcpg-sevenoakes",
        "body",
        "unknown body 'lcpg-sevenoakes' (did you mean 'lcpg-sevenoaks'?)",
        id="unknown body",
    ),
    pytest.param(
        "memberships",
        2,
        "body",
        "lcpg-kent",
        "body",
        "unknown body 'lcpg-kent'",
        id="unknown body in memberships",
    ),
    pytest.param(
        "attendance",
        2,
        "body",
        "lcpg-sevenoak",
        "body",
        "(did you mean 'lcpg-sevenoaks'?)",
        id="unknown body in attendance",
    ),
    pytest.param(
        "memberships",
        2,
        "sector",
        "polce",
        "sector",
        "unknown sector 'polce' (did you mean 'police'?)",
        id="unknown sector",
    ),
    pytest.param(
        "memberships",
        2,
        "sector",
        "treasury",
        "sector",
        "(expected one of: district-council, schools-fe,",
        id="unknown sector, nothing close",
    ),
    pytest.param(
        "memberships",
        3,
        "roles",
        "coordinator;chiar",
        "roles",
        "unknown role 'chiar' (did you mean 'chair'?)",
        id="unknown role",
    ),
    pytest.param(
        "memberships",
        2,
        "roles",
        "treasurer",
        "roles",
        "(expected one of: chair, coordinator, safeguarding-lead, hwb-link)",
        id="unknown role, nothing close",
    ),
    pytest.param(
        "memberships",
        2,
        "start",
        "01/01/2018",
        "start",
        "malformed date '01/01/2018' (expected YYYY-MM-DD",
        id="malformed date",
    ),
    pytest.param(
        "memberships",
        3,
        "end",
        "2018-02-30",
        "end",
        "invalid date '2018-02-30': day is out of range for month",
        id="date that does not exist",
    ),
    pytest.param(
        "meetings",
        3,
        "start",
        "14/03/2018 10:00",
        "start",
        "malformed date-time '14/03/2018 10:00' (expected YYYY-MM-DDTHH:MM",
        id="malformed date-time",
    ),
    pytest.param(
        "meetings",
        2,
        "end",
        "12:00",
        "end",
        "malformed date-time '12:00'",
        id="malformed end date-time",
    ),
    pytest.param(
        "attendance",
        3,
        "meeting_start",
        "2018-03-14",
        "meeting_start",
        "malformed date-time '2018-03-14'",
        id="malformed meeting_start",
    ),
    pytest.param(
        "memberships",
        3,
        "end",
        "2015-09-30",
        "end",
        "end 2015-09-30 is before start 2016-05-01",
        id="membership ends before it starts",
    ),
    pytest.param(
        "meetings",
        2,
        "end",
        "2018-03-14T10:00",
        "end",
        "end 2018-03-14T10:00 is not after start 2018-03-14T10:00",
        id="meeting ends as it starts",
    ),
    pytest.param(
        "people",
        4,
        "email",
        "cy.lane.example.org",
        "email",
        "not an email address: 'cy.lane.example.org': An email address must have an @-sign.",
        id="email without @",
    ),
    pytest.param(
        "memberships",
        2,
        "email",
        "ada finch@example.org",
        "email",
        "not an email address: 'ada finch@example.org'",
        id="email with a space",
    ),
    pytest.param(
        "attendance",
        2,
        "email",
        "ada@finch@example.org",
        "email",
        "not an email address",
        id="email with two @",
    ),
    pytest.param(
        "meetings",
        3,
        "status",
        "done",
        "status",
        "unknown meeting status 'done' (expected one of: planned, confirmed, held, cancelled)",
        id="unknown meeting status",
    ),
    pytest.param(
        "meetings",
        2,
        "status",
        "helld",
        "status",
        "(did you mean 'held'? expected one of: planned, confirmed, held, cancelled)",
        id="misspelt meeting status",
    ),
    pytest.param(
        "attendance",
        3,
        "status",
        "late",
        "status",
        "unknown attendance status 'late' "
        "(expected one of: present, represented, apologies, absent)",
        id="unknown attendance status",
    ),
    pytest.param(
        "memberships",
        3,
        "email",
        "cy.unknown@example.org",
        "email",
        "unknown person 'cy.unknown@example.org'",
        id="membership for an unknown person",
    ),
    pytest.param(
        "attendance",
        3,
        "email",
        "cy.unknown@example.org",
        "email",
        "unknown person 'cy.unknown@example.org'",
        id="attendance of an unknown person",
    ),
    pytest.param(
        "attendance",
        3,
        "meeting_start",
        "2018-03-15T10:00",
        "meeting_start",
        "attendance for an unknown meeting: no lcpg-sevenoaks meeting starts at 2018-03-15T10:00",
        id="attendance for an unknown meeting",
    ),
]


@pytest.mark.parametrize(("name", "row", "column", "value", "reported", "message"), CELL_PROBLEMS)
def test_a_bad_cell_is_one_problem_where_it_is(
    name: str, row: int, column: str, value: str, reported: str, message: str
) -> None:
    problem = only_problem(**{name: with_cell(GOOD[name], row, column, value, name)})
    assert (problem.file, problem.row, problem.column) == (f"{name}.csv", row, reported)
    assert message in problem.message


REQUIRED = [
    ("people", "email"),
    ("people", "name"),
    ("memberships", "body"),
    ("memberships", "email"),
    ("memberships", "sector"),
    ("meetings", "body"),
    ("meetings", "start"),
    ("meetings", "status"),
    ("attendance", "body"),
    ("attendance", "meeting_start"),
    ("attendance", "email"),
    ("attendance", "status"),
]


@pytest.mark.parametrize(("name", "column"), REQUIRED)
def test_an_empty_required_value_is_reported(name: str, column: str) -> None:
    problems = problems_of(**{**GOOD, name: with_cell(GOOD[name], 2, column, "  ", name)})
    assert problems[0] == InputProblem(f"{name}.csv", "a value is required", 2, column)
    # Leaving out a person or a meeting may orphan later rows; nothing else is reported.
    assert all(p.column in {"email", "meeting_start"} for p in problems[1:]), problems


@pytest.mark.parametrize(
    ("name", "column"),
    [
        ("people", "organisation"),
        ("memberships", "roles"),
        ("memberships", "start"),
        ("memberships", "end"),
        ("meetings", "end"),
        ("meetings", "venue"),
    ],
)
def test_optional_values_may_be_empty(name: str, column: str) -> None:
    parse(**{**GOOD, name: with_cell(GOOD[name], 2, column, "", name)})


def test_duplicate_email_names_the_earlier_row() -> None:
    problem = only_problem(people=[*PEOPLE, ["ADA.FINCH@example.org", "Ada Again", ""]])
    assert (problem.file, problem.row, problem.column) == ("people.csv", 5, "email")
    assert problem.message == f"duplicate email {ADA!r} (already on row 2)"


def test_duplicate_membership_names_the_earlier_row() -> None:
    again = ["lcpg-sevenoaks", ADA.upper(), "voluntary-sector", "", "2018-01-01", "2018-12-31"]
    problem = only_problem(memberships=[*MEMBERSHIPS, again])
    assert (problem.file, problem.row, problem.column) == ("memberships.csv", 4, "start")
    assert "duplicate membership" in problem.message and "row 2" in problem.message


def test_same_person_and_sector_from_another_start_is_no_duplicate() -> None:
    later = ["lcpg-sevenoaks", ADA, "voluntary-sector", "", "2019-01-01", ""]
    assert len(parse(people=PEOPLE, memberships=[*MEMBERSHIPS, later]).memberships) == 3


def test_duplicate_meeting_is_recognised_in_another_spelling_of_its_start() -> None:
    again = ["lcpg-sevenoaks", "2018-03-14 10:00:00", "", "", "held"]
    problem = only_problem(meetings=[*MEETINGS, again])
    assert (problem.file, problem.row, problem.column) == ("meetings.csv", 4, "start")
    assert problem.message == (
        "duplicate meeting: lcpg-sevenoaks already has a meeting starting 2018-03-14T10:00 on row 2"
    )


def test_duplicate_attendance_names_the_earlier_row() -> None:
    again = ["lcpg-sevenoaks", "2018-03-14T10:00", BO, "present"]
    problem = only_problem(attendance=[*ATTENDANCE, again])
    assert (problem.file, problem.row, problem.column) == ("attendance.csv", 4, "email")
    assert "duplicate attendance" in problem.message and "row 3" in problem.message


def test_several_problems_are_all_reported_in_table_and_row_order() -> None:
    problems = problems_of(
        people=[*PEOPLE, ["not-an-address", "", ""]],
        memberships=[
            ["lcpg-sevenoaks", ADA, "polce", "chiar", "2018-01-01", "2017-01-01"],
            ["lcpg-nowhere", BO, "police", "", "", ""],
        ],
        meetings=[["chwb", "2018-03-14T14:00", "", "", "done"]],
        attendance=[["chwb", "2018-03-14T14:00", ADA, "late"]],
    )
    assert [(p.file, p.row, p.column) for p in problems] == [
        ("people.csv", 5, "email"),
        ("people.csv", 5, "name"),
        ("memberships.csv", 2, "sector"),
        ("memberships.csv", 2, "roles"),
        ("memberships.csv", 2, "end"),
        ("memberships.csv", 3, "body"),
        ("meetings.csv", 2, "status"),
        ("attendance.csv", 2, "status"),
    ]


def test_one_mistake_is_not_repeated_by_the_rows_that_refer_to_it() -> None:
    # The meeting row is bad (status), but its attendance is not "for an unknown meeting";
    # the person row is bad (name), but their membership is not "for an unknown person".
    problems = problems_of(
        **{
            **GOOD,
            "people": with_cell(PEOPLE, 2, "name", "", "people"),
            "meetings": with_cell(MEETINGS, 2, "status", "done", "meetings"),
        }
    )
    assert [(p.file, p.row, p.column) for p in problems] == [
        ("people.csv", 2, "name"),
        ("meetings.csv", 2, "status"),
    ]


def test_problems_name_the_table_by_its_label() -> None:
    people = Table.from_rows(
        "people", COLUMNS["people"], [["x", "X", ""]], label="register.xlsx, sheet People"
    )
    with pytest.raises(InputError) as raised:
        parse_register(Tables("register.xlsx", (people,)), BLUEPRINT, BODIES, Register())
    assert str(raised.value.problems[0]).startswith(
        "register.xlsx, sheet People, row 2, column 'email': not an email address"
    )


def test_without_bodies_in_the_database_every_body_is_unknown() -> None:
    with pytest.raises(InputError) as raised:
        parse_register(tables(meetings=MEETINGS[:1]), BLUEPRINT, [], Register())
    assert raised.value.problems[0].message == "unknown body 'lcpg-sevenoaks' (no body is defined)"


# Against what is already stored

STORED_MARCH = Meeting(
    "stored-march-id", "lcpg-sevenoaks", MARCH, datetime(2018, 3, 14, 12, 0), "", MeetingStatus.HELD
)
STORED = Register(people=(Person(ADA, "Ada Finch"),), meetings=(STORED_MARCH,))


def test_an_existing_meeting_keeps_its_stored_identity() -> None:
    register = parse(STORED, meetings=MEETINGS)
    assert [m.id for m in register.meetings] == [
        "stored-march-id",
        meeting_identity("lcpg-sevenoaks", datetime(2018, 6, 13, 10, 0)),
    ]


def test_attendance_of_the_import_follows_the_stored_identity() -> None:
    register = parse(STORED, people=PEOPLE, meetings=MEETINGS, attendance=ATTENDANCE)
    assert {a.meeting_id for a in register.attendance} == {"stored-march-id"}


def test_attendance_and_memberships_may_refer_to_what_is_stored() -> None:
    register = parse(
        STORED,
        memberships=[MEMBERSHIPS[0]],
        attendance=[["lcpg-sevenoaks", "2018-03-14T10:00", ADA, "represented"]],
    )
    assert register.people == () and register.meetings == ()
    assert register.memberships[0].email == ADA
    assert register.attendance == (
        Attendance("stored-march-id", ADA, AttendanceStatus.REPRESENTED),
    )


def test_what_is_stored_does_not_excuse_an_unknown_meeting_or_person() -> None:
    problems = problems_of(
        STORED, attendance=[["lcpg-sevenoaks", "2018-05-09T10:00", BO, "present"]]
    )
    assert [(p.row, p.column) for p in problems] == [(2, "meeting_start"), (2, "email")]


# The id columns: a meeting's identity, written as its calendar UID

FULL = {spec.name: spec.columns for spec in TABLES}
PLACED = datetime(2027, 3, 22, 14, 0)  # where the meeting was first placed
MOVED = datetime(2027, 3, 17, 14, 0)  # where re-planning moved it
PLANNED = Meeting(
    meeting_identity("lcpg-gravesham", PLACED),
    "lcpg-gravesham",
    MOVED,
    MOVED.replace(hour=16),
    "Civic Centre",
    MeetingStatus.PLANNED,
)
REPLANNED = Register(people=(Person(ADA, "Ada Finch"),), meetings=(PLANNED,))
UID = f"{PLANNED.id}@kent.lcpg"


def parse_full(existing: Register, /, **rows: list[list[str]]) -> ParsedWorkbook:
    """Tables with every column, as the current export writes them."""
    source = Tables(
        "in", tuple(Table.from_rows(name, FULL[name], rows[name]) for name in FULL if name in rows)
    )
    return parse_workbook(source, BLUEPRINT, BODIES, existing)


def full_problems(existing: Register, /, **rows: list[list[str]]) -> list[InputProblem]:
    with pytest.raises(InputError) as raised:
        parse_full(existing, **rows)
    return raised.value.problems


def gravesham_row(identity: str, start: str = "2027-03-22T14:00") -> list[str]:
    return [identity, "lcpg-gravesham", start, "", "Civic Centre", "planned"]


def test_a_row_with_an_id_is_that_meeting_wherever_it_has_moved() -> None:
    parsed = parse_full(REPLANNED, meetings=[gravesham_row(UID)])
    (meeting,) = parsed.register.meetings
    assert (meeting.id, meeting.start) == (PLANNED.id, PLACED)
    # Moved, it takes a new place in its cycle: the import checks the cycle has no other.
    assert parsed.entering == {PLANNED.id: 2} and parsed.added == frozenset()


def test_a_row_bringing_a_cancelled_meeting_back_enters_its_cycle() -> None:
    cancelled = Register(meetings=(replace(PLANNED, status=MeetingStatus.CANCELLED),))
    row = gravesham_row(UID, "2027-03-17T14:00")
    assert parse_full(cancelled, meetings=[row]).entering == {PLANNED.id: 2}
    row[-1] = "cancelled"
    assert parse_full(cancelled, meetings=[row]).entering == {}


def test_an_id_may_be_given_bare_and_in_any_case() -> None:
    parsed = parse_full(REPLANNED, meetings=[gravesham_row(f" {PLANNED.id.upper()} ")])
    assert [m.id for m in parsed.register.meetings] == [PLANNED.id]


def test_a_row_without_an_id_at_the_old_place_is_a_new_meeting_for_the_cycle_check() -> None:
    parsed = parse_full(REPLANNED, meetings=[gravesham_row("")])
    (meeting,) = parsed.register.meetings
    assert meeting.id != PLANNED.id
    assert parsed.entering == {meeting.id: 2} and parsed.added == {meeting.id}
    assert parsed.meetings_label == "meetings.csv"


def test_a_row_without_an_id_where_a_stored_meeting_is_is_that_meeting() -> None:
    parsed = parse_full(REPLANNED, meetings=[gravesham_row("", "2027-03-17T14:00")])
    assert [m.id for m in parsed.register.meetings] == [PLANNED.id]
    assert parsed.entering == {}


def test_a_row_without_an_id_is_not_the_meeting_another_row_names_by_id() -> None:
    # Row 2 moves the meeting back; row 3, at its current place without an id, is another.
    parsed = parse_full(
        REPLANNED, meetings=[gravesham_row(UID), gravesham_row("", "2027-03-17T14:00")]
    )
    first, second = parsed.register.meetings
    assert first.id == PLANNED.id and second.id not in (PLANNED.id, "")
    assert parsed.entering == {first.id: 2, second.id: 3} and parsed.added == {second.id}


def test_an_unknown_id_adds_the_meeting_with_that_id() -> None:
    # As when a register is restored from its export into a new database: the calendar UIDs,
    # and so everyone's subscribed calendars, carry on.
    parsed = parse_full(Register(), meetings=[gravesham_row(UID, "2027-03-17T14:00")])
    assert parsed.register.meetings == (PLANNED,)
    assert parsed.entering == {}


def test_an_id_of_another_body_is_refused() -> None:
    row = [UID, "lcpg-dover", "2027-03-17T14:00", "", "", "planned"]
    (problem,) = full_problems(REPLANNED, meetings=[row])
    assert (problem.file, problem.row, problem.column) == ("meetings.csv", 2, "id")
    assert problem.message == (
        "this id is a meeting of lcpg-gravesham, not of lcpg-dover: a meeting cannot change "
        "body (leave id empty to add a new lcpg-dover meeting)"
    )


def test_two_rows_with_one_id_are_refused() -> None:
    problems = full_problems(
        REPLANNED, meetings=[gravesham_row(UID), gravesham_row(UID, "2027-05-19T14:00")]
    )
    assert [(p.row, p.column, p.message) for p in problems] == [
        (3, "id", "the same id as row 2: a meeting has one row")
    ]


@pytest.mark.parametrize(
    ("cell", "telling"),
    [
        ("42", "malformed id '42' (expected an id as lcpg exports it, <identity>@kent.lcpg;"),
        (f"{{{PLANNED.id}}}", "malformed id"),
        (f"{PLANNED.id}@wessex.lcpg", "is from another register's calendars (@wessex.lcpg)"),
    ],
)
def test_a_malformed_or_foreign_id_is_refused(cell: str, telling: str) -> None:
    (problem,) = full_problems(REPLANNED, meetings=[gravesham_row(cell)])
    assert (problem.row, problem.column) == (2, "id")
    assert telling in problem.message


def test_a_moved_meeting_may_not_land_on_another_meeting_of_its_body() -> None:
    other = Meeting(
        meeting_identity("lcpg-gravesham", PLACED), "lcpg-gravesham", PLACED, PLACED, ""
    )
    moved = replace(PLANNED, id=meeting_identity("lcpg-gravesham", MOVED))
    (problem,) = full_problems(
        Register(meetings=(other, moved)),
        meetings=[gravesham_row(f"{moved.id}@kent.lcpg", "2027-03-22T14:00")],
    )
    assert (problem.row, problem.column) == (2, "start")
    assert problem.message == (
        "lcpg-gravesham already has another meeting starting 2027-03-22T14:00 "
        f"(id {other.id}@kent.lcpg)"
    )


def test_attendance_names_its_meeting_by_id_alone_or_with_agreeing_columns() -> None:
    rows = [
        [UID, "", "", ADA, "present"],
        [UID, "lcpg-gravesham", "2027-03-17T14:00", BO, "apologies"],
    ]
    parsed = parse_full(REPLANNED, people=PEOPLE, attendance=rows)
    assert [a.meeting_id for a in parsed.register.attendance] == [PLANNED.id, PLANNED.id]


def test_attendance_follows_a_meeting_this_import_moves() -> None:
    parsed = parse_full(
        REPLANNED,
        meetings=[gravesham_row(UID)],
        attendance=[[UID, "lcpg-gravesham", "2027-03-22T14:00", ADA, "present"]],
    )
    assert parsed.register.attendance == (Attendance(PLANNED.id, ADA, AttendanceStatus.PRESENT),)


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            [UID, "lcpg-dover", "", ADA, "present"],
            "body",
            "meeting_id names a meeting of lcpg-gravesham, not of lcpg-dover: correct one of "
            "them, or leave body empty",
        ),
        (
            [UID, "lcpg-gravesham", "2027-03-22T14:00", ADA, "present"],
            "meeting_start",
            "meeting_id names the lcpg-gravesham meeting starting 2027-03-17T14:00, not "
            "2027-03-22T14:00: correct one of them, or leave meeting_start empty",
        ),
        (
            [f"{meeting_identity('chwb', MOVED)}@kent.lcpg", "", "", ADA, "present"],
            "meeting_id",
            "attendance for an unknown meeting: no meeting has this id in this import's "
            "meetings or in the register",
        ),
        (
            ["", "lcpg-gravesham", "", ADA, "present"],
            "meeting_start",
            "a value is required",
        ),
    ],
)
def test_attendance_whose_columns_disagree_is_refused(
    row: list[str], column: str, message: str
) -> None:
    (problem,) = full_problems(REPLANNED, attendance=[row])
    assert (problem.file, problem.row, problem.column, problem.message) == (
        "attendance.csv",
        2,
        column,
        message,
    )
