"""Term dates a team imports: a CSV file's rows and an .ics file's all-day events become terms,
checked together and grouped into academic years; every problem names its file, row (or line)
and column (or property)."""

from __future__ import annotations

from datetime import date

import pytest

from calendars.term_calendar import read_term_calendar
from lcpg.domain.term_import import (
    CSV_FIELDS,
    ICS_FIELDS,
    MAX_NAME,
    MAX_TERM_DAYS,
    TermEntry,
    academic_year_of,
    check_terms,
)
from lcpg.domain.terms import Term
from lcpg.errors import InputError
from lcpg.workbook.tables import Table
from lcpg.workbook.terms import terms_from_table


def entry(name: str, start: str, end: str, row: int) -> TermEntry:
    return TermEntry(name, date.fromisoformat(start), date.fromisoformat(end), row)


def problems(entries: list[TermEntry]) -> list[str]:
    with pytest.raises(InputError) as caught:
        check_terms(entries, CSV_FIELDS, file="in/terms.csv", label="terms.csv", source="s")
    assert caught.value.source == "in/terms.csv"
    return [str(p) for p in caught.value.problems]


# --- checking terms ---------------------------------------------------------------------------


def test_terms_are_grouped_into_academic_years_from_1_august() -> None:
    assert academic_year_of(date(2027, 8, 1)) == "2027/28"
    assert academic_year_of(date(2027, 7, 31)) == "2026/27"
    assert academic_year_of(date(2099, 9, 1)) == "2099/00"
    years = check_terms(
        [
            entry("Spring", "2028-01-04", "2028-03-24", 3),
            entry("Autumn", "2027-09-02", "2027-12-17", 2),
            entry("Summer", "2027-04-12", "2027-07-21", 4),
        ],
        CSV_FIELDS,
        file="in/terms.csv",
        label="terms.csv",
        source="imported from terms.csv",
    )
    assert [y.label for y in years] == ["2026/27", "2027/28"]
    assert years[1].terms == (
        Term("Autumn", date(2027, 9, 2), date(2027, 12, 17)),
        Term("Spring", date(2028, 1, 4), date(2028, 3, 24)),
    )
    assert {y.source for y in years} == {"imported from terms.csv"}


def test_a_term_ending_before_it_starts_is_refused() -> None:
    assert problems([entry("Term 1", "2027-09-06", "2027-09-03", 2)]) == [
        "terms.csv, row 2, column 'end': the term ends (2027-09-03) before it starts (2027-09-06)"
    ]


def test_a_term_longer_than_the_longest_plausible_is_refused() -> None:
    (message,) = problems([entry("Term 1", "2027-09-06", "2028-10-20", 2)])
    assert message.startswith(
        f"terms.csv, row 2, column 'end': the term is 411 days long (2027-09-06 to 2028-10-20), "
        f"more than {MAX_TERM_DAYS}"
    )
    # The longest accepted: an autumn term of a three-term year fits easily.
    (year,) = check_terms(
        [entry("Autumn", "2027-09-01", "2027-12-29", 2)],
        CSV_FIELDS,
        file="f",
        label="f",
        source="s",
    )
    assert year.terms[0].end == date(2027, 12, 29)


def test_a_term_running_into_the_next_academic_year_is_refused() -> None:
    assert problems([entry("Summer", "2027-06-07", "2027-08-02", 2)]) == [
        "terms.csv, row 2, column 'end': the term ends on 2027-08-02, after 31 July that closes "
        "academic year 2026/27 (the year of its first day, 2027-06-07)"
    ]


def test_overlapping_and_repeated_terms_and_names_are_refused_together() -> None:
    assert problems(
        [
            entry("Term 1", "2027-09-01", "2027-10-22", 2),
            entry("Term 2", "2027-10-20", "2027-12-17", 3),
            entry("term 1", "2028-01-04", "2028-02-11", 4),
            entry("Term 3", "2027-09-01", "2027-10-22", 5),
            entry("", "2028-02-21", "2028-03-24", 6),
            entry("T" * 201, "2028-04-10", "2028-05-26", 7),
        ]
    ) == [
        "terms.csv, row 3, column 'start': the term (2027-10-20 to 2027-12-17) overlaps "
        "'Term 1' on row 2 (2027-09-01 to 2027-10-22)",
        "terms.csv, row 4, column 'name': 'term 1' names two terms of 2027/28 (the other is on "
        "row 2)",
        "terms.csv, row 5, column 'start': the same term as on row 2",
        "terms.csv, row 6, column 'name': a term needs a name",
        f"terms.csv, row 7, column 'name': a term's name is at most {MAX_NAME} characters long",
    ]


def test_a_file_without_terms_is_refused() -> None:
    assert problems([]) == ["terms.csv: no terms in the file: nothing to import"]


def test_the_same_name_in_two_years_is_fine() -> None:
    years = check_terms(
        [
            entry("Term 1", "2026-09-01", "2026-10-23", 2),
            entry("Term 1", "2027-09-01", "2027-10-22", 3),
        ],
        CSV_FIELDS,
        file="f",
        label="f",
        source="s",
    )
    assert [y.label for y in years] == ["2026/27", "2027/28"]


# --- CSV rows ---------------------------------------------------------------------------------


def test_csv_rows_become_terms_with_their_row_numbers() -> None:
    table = Table.from_rows(
        "terms",
        ["Name", "Start", "End"],
        [[" Term 1 ", "2027-09-01", "2027-10-22"], ["Term 2", "2027-11-01", "2027-12-17"]],
    )
    assert terms_from_table(table, "in/terms.csv") == [
        entry("Term 1", "2027-09-01", "2027-10-22", 2),
        entry("Term 2", "2027-11-01", "2027-12-17", 3),
    ]


def test_csv_cells_that_are_empty_or_not_dates_are_refused_with_row_and_column() -> None:
    table = Table.from_rows(
        "terms",
        ["name", "start", "end"],
        [["Term 1", "01/09/2027", "2027-10-22"], ["", "2027-11-01", ""], ["T", "2027-02-30", "x"]],
    )
    with pytest.raises(InputError) as caught:
        terms_from_table(table, "in/terms.csv")
    assert [str(p) for p in caught.value.problems] == [
        "terms.csv, row 2, column 'start': malformed date '01/09/2027' (expected YYYY-MM-DD, "
        "e.g. 2018-03-14)",
        "terms.csv, row 3, column 'name': a value is required",
        "terms.csv, row 3, column 'end': a value is required",
        "terms.csv, row 4, column 'start': invalid date '2027-02-30': day is out of range "
        "for month",
        "terms.csv, row 4, column 'end': malformed date 'x' (expected YYYY-MM-DD, e.g. 2018-03-14)",
    ]


# --- .ics events ------------------------------------------------------------------------------


def calendar(*events: str) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//example.org//terms//EN"]
    for n, body in enumerate(events, start=1):
        lines += ["BEGIN:VEVENT", f"UID:term-{n}@example.org", *body.split("|"), "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def test_each_all_day_event_is_a_term_whose_dtend_is_the_day_after_its_last() -> None:
    data = calendar(
        "SUMMARY:Term 1|DTSTART;VALUE=DATE:20270901|DTEND;VALUE=DATE:20271023",
        "SUMMARY:Term 2|DTSTART;VALUE=DATE:20271101|DTEND;VALUE=DATE:20271218",
    )
    assert read_term_calendar(data, "terms.ics") == [
        entry("Term 1", "2027-09-01", "2027-10-22", 4),
        entry("Term 2", "2027-11-01", "2027-12-17", 10),
    ]


def test_timed_recurring_and_endless_events_are_refused_naming_their_lines() -> None:
    data = calendar(
        "SUMMARY:Term 1|DTSTART:20270901T090000Z|DTEND:20271022T150000Z",
        "SUMMARY:Term 2|DTSTART;VALUE=DATE:20271101|DTEND;VALUE=DATE:20271218|RRULE:FREQ=YEARLY",
        "SUMMARY:Term 3|DTSTART;VALUE=DATE:20280104",
        "SUMMARY:Term 4|DTSTART;VALUE=DATE:20280221|DTEND:20280324T150000Z",
    )
    with pytest.raises(InputError) as caught:
        read_term_calendar(data, "terms.ics")
    assert [str(p) for p in caught.value.problems] == [
        "terms.ics, row 4, column 'DTSTART': the event 'Term 1' is timed (2027-09-01 09:00): a "
        "term is an all-day event (DTSTART;VALUE=DATE)",
        "terms.ics, row 10, column 'RRULE': the event 'Term 2' repeats (RRULE, RDATE or "
        "RECURRENCE-ID): each term must be one all-day event",
        "terms.ics, row 17, column 'DTEND': the event 'Term 3' has no DTEND (the day after the "
        "term's last day)",
        "terms.ics, row 22, column 'DTEND': the event 'Term 4' ends at a time: DTEND must be a "
        "date, as DTSTART is",
    ]


def test_an_event_without_dtstart_is_refused_by_the_calendar_reader() -> None:
    with pytest.raises(InputError) as caught:
        read_term_calendar(calendar("SUMMARY:Term 1|DTEND;VALUE=DATE:20271023"), "terms.ics")
    assert [str(p) for p in caught.value.problems] == [
        "terms.ics, row 4: the event 'Term 1' (UID term-1@example.org) has no DTSTART (start "
        "date or time)"
    ]


def test_an_ics_term_ending_before_it_starts_explains_dtend() -> None:
    data = calendar("SUMMARY:Term 1|DTSTART;VALUE=DATE:20270901|DTEND;VALUE=DATE:20270901")
    with pytest.raises(InputError) as caught:
        entries = read_term_calendar(data, "terms.ics")
        check_terms(entries, ICS_FIELDS, file="terms.ics", label="terms.ics", source="s")
    assert [str(p) for p in caught.value.problems] == [
        "terms.ics, row 4, column 'DTEND': the term ends (2027-08-31) before it starts "
        "(2027-09-01) (DTEND is the day after the last day, as RFC 5545 has it)"
    ]
