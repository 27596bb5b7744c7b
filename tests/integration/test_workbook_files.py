"""Workbook files on disk: CSV folders and .xlsx workbooks read, rejected and written back.

Everything here goes through real files in ``tmp_path``; the checks on values themselves are in
``tests/unit/test_workbook_parse.py``. People are fictional, at example.org.
"""

from __future__ import annotations

import random
import re
import zipfile
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

import openpyxl
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
    meeting_uid,
)
from lcpg.domain.register import Register
from lcpg.errors import InputError, InputProblem
from lcpg.workbook import read_register, read_tables, write_register
from tests.samples import FILES, MEETINGS, PEOPLE, csv_folder

BLUEPRINT = load_blueprint(KENT)
BODIES = [body.slug for body in BLUEPRINT.bodies_list()]

MARCH = datetime(2018, 3, 14, 10, 0)
JUNE = datetime(2018, 6, 13, 10, 0)
ADA, BO, CY, DEE = (f"{n}@example.org" for n in ("ada.finch", "bo.reed", "cy.lane", "dee.oneill"))


def xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """A workbook with one sheet per entry, cells written as given (text, dates, numbers)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook["Sheet"])
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def problems_reading(path: Path) -> list[InputProblem]:
    with pytest.raises(InputError) as raised:
        read_tables(path)
    assert raised.value.source == str(path)
    return raised.value.problems


def read(path: Path, existing: Register | None = None) -> Register:
    return read_register(path, BLUEPRINT, BODIES, existing or Register())


# Reading


def test_a_csv_folder_is_read_into_labelled_tables(tmp_path: Path) -> None:
    tables = read_tables(csv_folder(tmp_path / "in"))
    assert [t.name for t in tables.tables] == ["people", "memberships", "meetings", "attendance"]
    meetings = tables.get("meetings")
    assert meetings is not None
    assert meetings.label == "meetings.csv"
    assert meetings.header == ("body", "start", "end", "venue", "status")
    assert [row.number for row in meetings.rows] == [2, 3]
    assert meetings.rows[0].get("venue") == "Gateway, Swanley"
    assert meetings.rows[1].get("end") == ""


def test_a_csv_folder_becomes_a_register(tmp_path: Path) -> None:
    register = read(csv_folder(tmp_path / "in"))
    assert [p.email for p in register.people] == ["ada.finch@example.org", "bo.reed@example.org"]
    assert register.memberships[1] == Membership(
        "lcpg-sevenoaks",
        "bo.reed@example.org",
        "district-council",
        ("coordinator", "safeguarding-lead"),
        date(2016, 5, 1),
        date(2017, 9, 30),
    )
    assert register.meetings[1].end == datetime(2018, 6, 13, 12, 0)
    assert [a.status for a in register.attendance] == ["present", "apologies"]


def test_any_subset_of_the_files_may_be_present(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "People.CSV").write_text(PEOPLE, encoding="utf-8")
    (folder / "notes.txt").write_text("not a table", encoding="utf-8")
    tables = read_tables(folder)
    assert [(t.name, t.label) for t in tables.tables] == [("people", "People.CSV")]


def test_a_byte_order_mark_is_not_part_of_the_header(tmp_path: Path) -> None:
    folder = csv_folder(tmp_path / "in")
    (folder / "people.csv").write_bytes(b"\xef\xbb\xbf" + PEOPLE.encode("utf-8"))
    assert len(read(folder).people) == 2


def test_extra_columns_are_ignored_and_headers_matched_loosely(tmp_path: Path) -> None:
    people = (
        " NAME ,Notes,Email,organisation,\n"
        "Ada Finch,met at the CHWB,ada.finch@example.org,West Kent Mind (fictional),x\n"
    )
    folder = csv_folder(tmp_path / "in", people=people)
    tables = read_tables(folder)
    people_table = tables.get("people")
    assert people_table is not None
    assert people_table.header == ("name", "notes", "email", "organisation", "")
    assert read(folder, Register(people=(Person("bo.reed@example.org", "Bo Reed"),))).people == (
        Person("ada.finch@example.org", "Ada Finch", "West Kent Mind (fictional)"),
    )


def test_blank_rows_are_skipped_but_counted(tmp_path: Path) -> None:
    people = PEOPLE.replace("\nbo.reed", "\n\n , ,\nbo.reed") + "cy.lane@\n"
    folder = csv_folder(tmp_path / "in", people=people)
    with pytest.raises(InputError) as raised:
        read(folder)
    assert [(p.file, p.row, p.column) for p in raised.value.problems] == [
        ("people.csv", 6, "email"),
        ("people.csv", 6, "name"),
    ]


def test_a_file_that_is_not_utf8_is_named_with_its_row(tmp_path: Path) -> None:
    folder = csv_folder(tmp_path / "in")
    latin1 = PEOPLE.replace("Bo Reed", "Bo R\xe9ed").encode("latin-1")
    (folder / "people.csv").write_bytes(latin1)
    [problem] = problems_reading(folder)
    assert (problem.file, problem.row, problem.column) == ("people.csv", 3, None)
    assert "not UTF-8" in problem.message and "0xe9" in problem.message


def test_control_characters_in_a_cell_are_refused_with_their_cell(tmp_path: Path) -> None:
    # PostgreSQL cannot store a NUL and an .xlsx workbook holds no control character at all:
    # taken in, they would break the import on one database and every later export.
    people = PEOPLE + "cy.lane@example.org,Cy\x00 Lane,\nd.oneill@example.org,Dee,Kent\x0b\t\n"
    problems = problems_reading(csv_folder(tmp_path / "in", people=people))
    assert [(p.file, p.row, p.column, p.message) for p in problems] == [
        (
            "people.csv",
            4,
            "name",
            "holds a control character (U+0000), which is not text: delete it",
        ),
        (
            "people.csv",
            5,
            "organisation",
            "holds a control character (U+000B), which is not text: delete it",
        ),
    ]


def test_a_row_longer_than_the_header_is_refused_not_cut(tmp_path: Path) -> None:
    # An unquoted comma splits a value: "Kent Police, North" would lose ", North" unseen.
    people = (
        PEOPLE + "cy.lane@example.org,Cy Lane,Kent Police, North,\nd.oneill@example.org,Dee,,,\n"
    )
    [problem] = problems_reading(csv_folder(tmp_path / "in", people=people))
    assert (problem.file, problem.row, problem.column) == ("people.csv", 4, None)
    assert problem.message == (
        "4 cells where the header has 3 columns: a value that holds a comma must be in "
        'double quotes ("Kent Police, North")'
    )


def test_a_quoted_value_never_closed_is_named_where_it_opens(tmp_path: Path) -> None:
    # Read loosely, the rest of the file would become one venue and the rows after it vanish.
    meetings = MEETINGS.replace('"Gateway, Swanley"', '"Gateway, Swanley')
    [problem] = problems_reading(csv_folder(tmp_path / "in", meetings=meetings))
    assert (problem.file, problem.row) == ("meetings.csv", 2)
    assert problem.message == (
        'not valid CSV: a quoted value is never closed (a " is missing), so the rest of the file '
        "would be one value"
    )


def test_text_after_a_closing_quote_and_a_huge_value_are_named(tmp_path: Path) -> None:
    meetings = MEETINGS.replace('"Gateway, Swanley"', '"Gateway" Swanley')
    people = PEOPLE + "cy.lane@example.org,Cy Lane," + "x" * 200_000 + "\n"
    problems = problems_reading(csv_folder(tmp_path / "in", meetings=meetings, people=people))
    assert [(p.file, p.row, p.message) for p in problems] == [
        (
            "people.csv",
            4,
            "not valid CSV: a value longer than the 32,767 characters a spreadsheet cell holds",
        ),
        (
            "meetings.csv",
            2,
            'not valid CSV: text after the closing " of a quoted value '
            '(a " inside a quoted value is written "")',
        ),
    ]


def test_a_utf16_file_is_named_as_such(tmp_path: Path) -> None:
    folder = csv_folder(tmp_path / "in")
    (folder / "people.csv").write_bytes(PEOPLE.encode("utf-16"))
    [problem] = problems_reading(folder)
    assert (problem.file, problem.row) == ("people.csv", None)
    assert problem.message == "not UTF-8 text: the file is UTF-16 (save it as 'CSV UTF-8')"


def test_an_empty_file_needs_a_header(tmp_path: Path) -> None:
    problems = problems_reading(csv_folder(tmp_path / "in", people="", meetings="\n \n"))
    assert [(p.file, p.row, p.column) for p in problems] == [
        ("people.csv", None, None),
        ("meetings.csv", None, None),
    ]
    assert problems[0].message.startswith("the file is empty: a header row is required")


def test_each_missing_column_is_one_problem(tmp_path: Path) -> None:
    meetings = MEETINGS.replace("body,start,end,venue,status", "body,begin,end,state")
    problems = problems_reading(csv_folder(tmp_path / "in", meetings=meetings))
    assert [(p.file, p.row, p.column) for p in problems] == [
        ("meetings.csv", 1, "start"),
        ("meetings.csv", 1, "venue"),
        ("meetings.csv", 1, "status"),
    ]
    assert problems[0].message.startswith("the header has no column 'start'")


def test_a_repeated_column_is_a_problem(tmp_path: Path) -> None:
    people = "email,name,organisation,Email\na@example.org,A,,b@example.org\n"
    [problem] = problems_reading(csv_folder(tmp_path / "in", people=people))
    assert (problem.file, problem.row, problem.column) == ("people.csv", 1, "email")
    assert "appears 2 times" in problem.message


def test_problems_in_several_files_are_reported_together(tmp_path: Path) -> None:
    folder = csv_folder(tmp_path / "in", people="", attendance="body,email,status\n")
    (folder / "memberships.csv").write_bytes(b"body,email\n\xff\n")
    problems = problems_reading(folder)
    assert [(p.file, p.column) for p in problems] == [
        ("people.csv", None),
        ("memberships.csv", None),
        ("attendance.csv", "meeting_start"),
    ]


def test_a_missing_path_is_reported(tmp_path: Path) -> None:
    [problem] = problems_reading(tmp_path / "nowhere")
    assert problem == InputProblem(str(tmp_path / "nowhere"), "no such file or folder")


@pytest.mark.parametrize("name", ["register.xls", "people.csv", "register.ods"])
def test_a_file_that_is_neither_a_folder_nor_xlsx_is_refused(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text(PEOPLE, encoding="utf-8")
    [problem] = problems_reading(tmp_path / name)
    assert "expected a folder of CSV files" in problem.message
    assert "or an .xlsx workbook" in problem.message


def test_a_folder_without_any_table_is_refused(tmp_path: Path) -> None:
    (tmp_path / "readme.txt").write_text("hello", encoding="utf-8")
    [problem] = problems_reading(tmp_path)
    assert "people.csv, memberships.csv, meetings.csv, attendance.csv" in problem.message


def test_random_bytes_are_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "register.xlsx"
    path.write_bytes(random.Random(7).randbytes(2048))
    [problem] = problems_reading(path)
    assert problem.file == str(path)
    assert "not a valid .xlsx workbook" in problem.message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            PEOPLE.encode("utf-8"),
            "not an .xlsx workbook but a text file (a CSV file renamed?): put CSV files in a "
            "folder as people.csv, memberships.csv, meetings.csv, attendance.csv, or save the "
            "workbook from Excel as .xlsx",
        ),
        (
            bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504),
            "not an .xlsx workbook but an Excel 97-2003 (.xls) file: save it from Excel as "
            "Excel Workbook (.xlsx)",
        ),
    ],
    ids=["renamed-csv", "old-xls"],
)
def test_a_file_renamed_xlsx_is_named_for_what_it_is(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "register.xlsx"
    path.write_bytes(content)
    [problem] = problems_reading(path)
    assert problem == InputProblem(str(path), message)


def test_a_workbook_without_the_sheets_names_what_it_found(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "register.xlsx", {"Sheet1": [["email", "name"]]})
    [problem] = problems_reading(path)
    assert "no sheet named people, memberships, meetings, attendance" in problem.message
    assert "Sheet1" in problem.message


def test_an_xlsx_workbook_is_read_by_sheet_name(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "register.xlsx",
        {
            "Notes": [["anything"]],
            "People": [["Email", "Name", "Organisation"], ["ada.finch@example.org", "Ada", None]],
        },
    )
    tables = read_tables(path)
    assert [t.label for t in tables.tables] == ["register.xlsx, sheet People"]
    assert read(path).people == (Person("ada.finch@example.org", "Ada"),)


def test_a_sheet_missing_a_column_is_named(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "register.xlsx", {"meetings": [["body", "start", "end", "venue"]]})
    problems = problems_reading(path)
    assert [(p.file, p.row, p.column) for p in problems] == [
        ("register.xlsx, sheet meetings", 1, "status")
    ]


def test_a_sheet_with_wrong_dimensions_is_read_in_full(tmp_path: Path) -> None:
    # Some writers record a sheet's size as A1 whatever it holds; read-only openpyxl trusts it.
    built = xlsx(
        tmp_path / "built.xlsx",
        {"people": [["email", "name", "organisation"], [ADA, "Ada Finch", "Kent (fictional)"]]},
    )
    path = tmp_path / "register.xlsx"
    with zipfile.ZipFile(built) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data, count = re.subn(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', data)
                assert count == 1
            target.writestr(item, data)
    assert read(path).people == (Person(ADA, "Ada Finch", "Kent (fictional)"),)


def test_formulas_give_their_saved_result_and_without_one_are_named(tmp_path: Path) -> None:
    # Excel saves each formula's result with it; a program writing a workbook may not, and then
    # a reader sees an empty cell where the user sees a value.
    header: list[object] = ["body", "start", "end", "venue", "status"]
    path = xlsx(
        tmp_path / "register.xlsx",
        {
            "meetings": [
                header,
                ["lcpg-sevenoaks", "2018-09-12T10:00", None, '="Council "&"Offices"', "planned"],
                ["=A2", "2018-12-12T10:00", None, None, "planned"],
            ]
        },
    )
    problems = problems_reading(path)
    assert [(p.file, p.row, p.column, p.message) for p in problems] == [
        (
            "register.xlsx, sheet meetings",
            row,
            column,
            f"holds the formula {formula} but no result of it: open the workbook in Excel "
            "and save it, or type the value",
        )
        for row, column, formula in [(2, "venue", '="Council "&"Offices"'), (3, "body", "=A2")]
    ]
    saved = tmp_path / "saved.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(saved, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                # As Excel saves it: the result beside the formula.
                for cell, result in ((b"D2", b"Council Offices"), (b"A3", b"lcpg-sevenoaks")):
                    data = re.sub(
                        rb'(<c r="' + cell + rb'")>(<f>[^<]*</f>)<v />',
                        rb'\1 t="str">\2<v>' + result + rb"</v>",
                        data,
                    )
            target.writestr(item, data)
    tables = read_tables(saved)
    meetings = tables.get("meetings")
    assert meetings is not None
    assert [(r.get("body"), r.get("venue")) for r in meetings.rows] == [
        ("lcpg-sevenoaks", "Council Offices"),
        ("lcpg-sevenoaks", ""),
    ]
    assert len(read(saved).meetings) == 2


def test_merged_cells_are_named_where_their_value_is_missing(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "register.xlsx",
        {
            "meetings": [
                ["body", "start", "end", "venue", "status"],
                ["lcpg-sevenoaks", "2018-09-12T10:00", None, "Council Offices", "planned"],
                [None, "2018-12-12T10:00", None, None, "planned"],
            ]
        },
    )
    book = openpyxl.load_workbook(path)
    book["meetings"].merge_cells("A2:A3")
    book["meetings"].merge_cells("D2:D3")
    book.save(path)
    problems = problems_reading(path)
    assert [(p.file, p.row, p.column, p.message) for p in problems] == [
        (
            "register.xlsx, sheet meetings",
            3,
            column,
            f"part of the merged cells {cells}, whose value is in their first row only: unmerge "
            "them and fill in every row",
        )
        for column, cells in [("body", "A2:A3"), ("venue", "D2:D3")]
    ]


def test_an_empty_sheet_needs_a_header(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "register.xlsx", {"people": []})
    [problem] = problems_reading(path)
    assert problem.file == "register.xlsx, sheet people"
    assert problem.message.startswith("the sheet is empty")


def test_xlsx_date_cells_and_numbers_become_text_of_the_right_form(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "register.xlsx",
        {
            "people": [
                ["email", "name", "organisation"],
                ["ada.finch@example.org", "Ada Finch", 42],
                [None, None, None],
                ["bo.reed@example.org", "Bo Reed", 2.5],
            ],
            "memberships": [
                ["body", "email", "sector", "roles", "start", "end"],
                [
                    "lcpg-sevenoaks",
                    "ada.finch@example.org",
                    "police",
                    None,
                    datetime(2018, 1, 1),
                    date(2018, 12, 31),
                ],
            ],
            "meetings": [
                ["body", "start", "end", "venue", "status"],
                ["lcpg-sevenoaks", MARCH, datetime(2018, 3, 14, 11, 59, 59, 999_500), 101, "held"],
            ],
            "attendance": [
                ["body", "meeting_start", "email", "status"],
                ["lcpg-sevenoaks", MARCH, "bo.reed@example.org", "absent"],
            ],
        },
    )
    tables = read_tables(path)
    memberships = tables.get("memberships")
    assert memberships is not None
    assert (memberships.rows[0].get("start"), memberships.rows[0].get("end")) == (
        "2018-01-01",
        "2018-12-31",
    )
    register = read(path)
    assert [p.organisation for p in register.people] == ["42", "2.5"]
    assert register.memberships[0].start == date(2018, 1, 1)
    assert register.meetings == (
        Meeting(
            meeting_identity("lcpg-sevenoaks", MARCH),
            "lcpg-sevenoaks",
            MARCH,
            datetime(2018, 3, 14, 12, 0),
            "101",
            MeetingStatus.HELD,
        ),
    )
    assert register.attendance[0].meeting_id == register.meetings[0].id


def test_a_time_in_a_date_column_is_reported_not_dropped(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "register.xlsx",
        {
            "memberships": [
                ["body", "email", "sector", "roles", "start", "end"],
                [
                    "lcpg-sevenoaks",
                    "ada.finch@example.org",
                    "police",
                    None,
                    datetime(2018, 1, 1, 9, 30),
                    None,
                ],
            ]
        },
    )
    with pytest.raises(InputError) as raised:
        read(path, Register(people=(Person("ada.finch@example.org", "Ada Finch"),)))
    [problem] = raised.value.problems
    assert (problem.file, problem.row) == ("register.xlsx, sheet memberships", 2)
    assert problem.column == "start"
    assert "malformed date '2018-01-01T09:30'" in problem.message


def test_read_register_reports_file_problems_before_values(tmp_path: Path) -> None:
    folder = csv_folder(tmp_path / "in", people="", meetings=MEETINGS.replace("held", "done"))
    with pytest.raises(InputError) as raised:
        read(folder)
    assert [p.file for p in raised.value.problems] == ["people.csv"]


# Writing, and reading back what was written


def moved(meeting: Meeting, start: datetime) -> Meeting:
    """``meeting`` moved to ``start``: its identity stays that of where it was first placed."""
    return replace(meeting, start=start, end=start.replace(hour=start.hour + 2))


def _meeting(body: str, start: datetime, status: MeetingStatus, venue: str = "") -> Meeting:
    return Meeting(
        meeting_identity(body, start),
        body,
        start,
        start.replace(hour=start.hour + 2),
        venue,
        status,
    )


CHWB_JAN = _meeting("chwb", datetime(2018, 1, 10, 14, 0), MeetingStatus.HELD, "Sessions House")
SEVENOAKS_MAR = _meeting(
    "lcpg-sevenoaks", MARCH, MeetingStatus.HELD, 'The "Gateway", Swanley; room 2'
)
SEVENOAKS_JUN = moved(
    _meeting("lcpg-sevenoaks", datetime(2018, 6, 6, 10, 0), MeetingStatus.CONFIRMED, "=Hall"),
    JUNE,
)
GRAVESHAM_MAR = _meeting(
    "lcpg-gravesham", datetime(2018, 3, 21, 9, 30, 15), MeetingStatus.CANCELLED
)
SEVENOAKS_SEP = _meeting("lcpg-sevenoaks", datetime(2018, 9, 12, 10, 0), MeetingStatus.PLANNED)

# In the order the writer sorts, so that the register read back is equal as a whole.
REGISTER = Register(
    people=(
        Person(ADA, "Ada Finch", "West Kent Mind (fictional)"),
        Person(BO, "Bo Reed", "Sevenoaks District Council"),
        Person(CY, "Cy Lane"),
        Person(DEE, "Dee O'Neill, Zoë", 'Kent Police "North"'),
    ),
    memberships=(
        Membership("chairs-group", ADA, "additional"),
        Membership("lcpg-gravesham", DEE, "police", (), date(2017, 4, 1), None),
        Membership("lcpg-sevenoaks", ADA, "voluntary-sector", ("chair", "hwb-link")),
        Membership(
            "lcpg-sevenoaks", BO, "district-council", ("coordinator",), None, date(2018, 8, 31)
        ),
        Membership(
            "lcpg-sevenoaks",
            BO,
            "district-council",
            ("safeguarding-lead",),
            date(2018, 9, 1),
            date(2019, 3, 31),
        ),
        Membership("lcpg-sevenoaks", CY, "kcc-member", (), date(2018, 1, 1), None),
    ),
    meetings=(CHWB_JAN, SEVENOAKS_MAR, GRAVESHAM_MAR, SEVENOAKS_JUN, SEVENOAKS_SEP),
    attendance=(
        Attendance(CHWB_JAN.id, ADA, AttendanceStatus.PRESENT),
        Attendance(SEVENOAKS_MAR.id, ADA, AttendanceStatus.PRESENT),
        Attendance(SEVENOAKS_MAR.id, BO, AttendanceStatus.REPRESENTED),
        Attendance(SEVENOAKS_MAR.id, CY, AttendanceStatus.APOLOGIES),
        Attendance(GRAVESHAM_MAR.id, DEE, AttendanceStatus.ABSENT),
    ),
)


@pytest.mark.parametrize("name", ["export", "export.xlsx", "EXPORT.XLSX"])
def test_a_register_written_reads_back_equal(tmp_path: Path, name: str) -> None:
    target = tmp_path / "out" / name
    written = write_register(target, REGISTER, BLUEPRINT.slug)
    if name.lower().endswith(".xlsx"):
        assert written == [target]
    else:
        assert written == [target / f"{t}.csv" for t in FILES]
    # As a re-import sees it, and into an empty register (a new database): every meeting keeps
    # its identity, the moved one too, so calendars subscribed to the feeds go on working.
    assert read(target, existing=REGISTER) == REGISTER
    assert read(target) == REGISTER
    assert any(m.id != meeting_identity(m.body, m.start) for m in REGISTER.meetings)
    assert list(tmp_path.rglob("*.tmp")) == []


def test_csv_output_has_a_fixed_form(tmp_path: Path) -> None:
    write_register(tmp_path / "out", REGISTER, BLUEPRINT.slug)
    meetings = (tmp_path / "out" / "meetings.csv").read_bytes()
    uid = {m.start.month: meeting_uid(m.id, "kent") for m in REGISTER.meetings}
    gravesham = meeting_uid(GRAVESHAM_MAR.id, "kent")
    uid[3] = meeting_uid(SEVENOAKS_MAR.id, "kent")
    assert (
        meetings
        == (
            "id,body,start,end,venue,status\n"
            f"{uid[1]},chwb,2018-01-10T14:00,2018-01-10T16:00,Sessions House,held\n"
            f"{uid[3]},lcpg-sevenoaks,2018-03-14T10:00,2018-03-14T12:00,"
            '"The ""Gateway"", Swanley; room 2",held\n'
            f"{gravesham},lcpg-gravesham,2018-03-21T09:30:15,2018-03-21T11:30:15,,cancelled\n"
            f"{uid[6]},lcpg-sevenoaks,2018-06-13T10:00,2018-06-13T12:00,'=Hall,confirmed\n"
            f"{uid[9]},lcpg-sevenoaks,2018-09-12T10:00,2018-09-12T12:00,,planned\n"
        ).encode()
    )
    assert uid[1] == f"{CHWB_JAN.id}@kent.lcpg"
    memberships = (tmp_path / "out" / "memberships.csv").read_text(encoding="utf-8")
    assert "lcpg-sevenoaks,ada.finch@example.org,voluntary-sector,chair;hwb-link,,\n" in memberships
    attendance = (tmp_path / "out" / "attendance.csv").read_text(encoding="utf-8")
    assert attendance.splitlines()[1] == (
        f"{uid[1]},chwb,2018-01-10T14:00,ada.finch@example.org,present"
    )


def test_writing_is_deterministic_whatever_the_order_of_the_register(tmp_path: Path) -> None:
    shuffled = Register(
        people=tuple(reversed(REGISTER.people)),
        memberships=tuple(reversed(REGISTER.memberships)),
        meetings=tuple(reversed(REGISTER.meetings)),
        attendance=tuple(reversed(REGISTER.attendance)),
    )
    first = write_register(tmp_path / "one", REGISTER, BLUEPRINT.slug)
    second = write_register(tmp_path / "two", shuffled, BLUEPRINT.slug)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    again = write_register(tmp_path / "one", REGISTER, BLUEPRINT.slug)
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in second]


def test_line_breaks_inside_values_survive_a_csv_round_trip_as_newlines(tmp_path: Path) -> None:
    people = (Person(ADA, "Ada\rFinch", "West Kent Mind\r\n(fictional)"), Person(BO, "Bo\nReed"))
    written = write_register(tmp_path / "out", Register(people=people), BLUEPRINT.slug)
    assert b'"ada.finch@example.org","Ada\rFinch",' in written[0].read_bytes()
    # Read back, every line break is \n, as from a workbook (which cannot keep a lone \r).
    assert read(tmp_path / "out").people == (
        Person(ADA, "Ada\nFinch", "West Kent Mind\n(fictional)"),
        Person(BO, "Bo\nReed"),
    )


def test_an_empty_register_still_writes_every_table(tmp_path: Path) -> None:
    files = write_register(tmp_path / "out", Register(), BLUEPRINT.slug)
    assert [p.read_text(encoding="utf-8") for p in files] == [
        "email,name,organisation\n",
        "body,email,sector,roles,start,end\n",
        "id,body,start,end,venue,status\n",
        "meeting_id,body,meeting_start,email,status\n",
    ]
    assert read(tmp_path / "out") == Register()


def test_xlsx_cells_are_text_with_a_bold_frozen_header(tmp_path: Path) -> None:
    path = write_register(tmp_path / "out.xlsx", REGISTER, BLUEPRINT.slug)[0]
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["people", "memberships", "meetings", "attendance"]
    meetings = workbook["meetings"]
    assert meetings.freeze_panes == "A2"
    assert meetings["A1"].font.bold
    start = meetings["C2"]
    assert (start.value, start.data_type) == ("2018-01-10T14:00", "s")
    assert (meetings["E5"].value, meetings["E5"].data_type) == ("=Hall", "s")


def test_attendance_at_a_meeting_not_in_the_register_is_refused(tmp_path: Path) -> None:
    broken = replace(REGISTER, meetings=REGISTER.meetings[1:])
    with pytest.raises(ValueError, match="not in the register"):
        write_register(tmp_path / "out", broken, BLUEPRINT.slug)
    assert not (tmp_path / "out").exists()


def test_a_failed_xlsx_write_leaves_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.xlsx"
    write_register(target, REGISTER, BLUEPRINT.slug)
    before = target.read_bytes()

    def half_save(self: openpyxl.Workbook, filename: Path) -> None:
        Path(filename).write_bytes(b"PK\x03\x04 half a workbook")
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", half_save)
    with pytest.raises(OSError, match="disk full"):
        write_register(target, Register(), BLUEPRINT.slug)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]


def test_a_failed_csv_write_leaves_the_previous_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "out"
    write_register(folder, REGISTER, BLUEPRINT.slug)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    class FailingWriter:
        """Writes the header of the first file, then the disk is full."""

        def __init__(self, stream: TextIO, **options: object) -> None:
            self.stream = stream

        def writerow(self, row: list[str]) -> None:
            if row[0] != "email":
                raise OSError("disk full")
            self.stream.write(",".join(row) + "\n")

    monkeypatch.setattr("lcpg.workbook.writer.csv.writer", FailingWriter)
    with pytest.raises(OSError, match="disk full"):
        write_register(folder, REGISTER, BLUEPRINT.slug)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_csv_export_cannot_carry_formulas_and_still_round_trips(tmp_path: Path) -> None:
    from dataclasses import replace as replaced

    hostile = replaced(
        REGISTER,
        people=tuple(
            replaced(p, name='=HYPERLINK("http://evil.example.org","Ada")') if i == 0 else p
            for i, p in enumerate(REGISTER.people)
        ),
        meetings=tuple(
            replaced(m, venue="@SUM(1+1)") if i == 0 else m for i, m in enumerate(REGISTER.meetings)
        ),
    )
    folder = tmp_path / "export"
    write_register(folder, hostile, BLUEPRINT.slug)
    people_csv = (folder / "people.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK(" in people_csv and ",=HYPERLINK(" not in people_csv
    assert "'@SUM(1+1)" in (folder / "meetings.csv").read_text(encoding="utf-8")
    assert read(folder, existing=hostile) == hostile


def test_a_table_longer_than_an_xlsx_sheet_is_refused_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import lcpg.workbook.writer
    from lcpg.errors import OutputError

    # A national register's two million attendance rows, in miniature: sheets of two rows.
    monkeypatch.setattr(lcpg.workbook.writer, "XLSX_MAX_ROWS", 2)
    assert len(REGISTER.attendance) > 1
    target = tmp_path / "register.xlsx"
    with pytest.raises(OutputError, match=r"sheet would have \d+ rows, more than .* holds \(2\)"):
        write_register(target, REGISTER, BLUEPRINT.slug)
    assert list(tmp_path.iterdir()) == []
    assert (
        len(write_register(tmp_path / "csv", REGISTER, BLUEPRINT.slug)) == 4
    )  # CSV files have no limit
