"""School term dates: the shipped Kent years, the holidays derived from them, and errors that
name the key that is wrong."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import pytest

from lcpg.blueprints.terms import KENT_TERM_FILES
from lcpg.domain.terms import (
    AcademicYear,
    SchoolHoliday,
    Term,
    covered_spans,
    load_academic_year,
    load_academic_years,
    school_holidays,
    with_imported,
)
from lcpg.errors import BlueprintError

TERMS_DIR = KENT_TERM_FILES[0].parent
KENT_2017_18 = TERMS_DIR / "kent-2017-18.toml"

VALID = """\
academic_year = "2017/18"
source = "test"
terms = [
  { name = "Term 1", start = 2017-09-04, end = 2017-10-20 },
  { name = "Term 2", start = 2017-10-30, end = 2017-12-20 },
  { name = "Term 3", start = 2018-01-04, end = 2018-02-09 },
]
"""


def write(tmp_path: Path, text: str, name: str = "terms.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_for(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(BlueprintError) as caught:
        load_academic_year(write(tmp_path, text))
    return caught.value.problems


def year(label: str, *spans: tuple[str, str]) -> AcademicYear:
    terms = tuple(
        Term(f"Term {n}", date.fromisoformat(a), date.fromisoformat(b))
        for n, (a, b) in enumerate(spans, start=1)
    )
    return AcademicYear(label, "test", terms)


# --- the shipped files -----------------------------------------------------------------------


def test_the_kent_files_are_shipped_and_load() -> None:
    # 2020/21 to 2023/24 and 2027/28 on are not shipped: no two sources for them could be read
    # (see lcpg/blueprints/terms/__init__.py). Nothing is extrapolated.
    labels = ["2017/18", "2018/19", "2019/20", "2024/25", "2025/26", "2026/27"]
    assert [p.name for p in KENT_TERM_FILES] == [
        f"kent-{label.replace('/', '-')}.toml" for label in labels
    ]
    years = load_academic_years(KENT_TERM_FILES)
    assert [y.label for y in years] == labels
    for y in years:
        assert [t.name for t in y.terms] == [f"Term {n}" for n in range(1, 7)]
        assert y.source.startswith("Kent County Council")
        assert y.path.endswith(f"kent-{y.label.replace('/', '-')}.toml")
        # Kent's terms start and end on school days.
        assert all(t.start.weekday() < 5 and t.end.weekday() < 5 for t in y.terms)


def test_kent_2017_18_terms_are_kccs_published_dates() -> None:
    y = load_academic_year(KENT_2017_18)
    assert y.label == "2017/18"
    assert y.first_year == 2017
    assert [(t.start, t.end) for t in y.terms] == [
        (date(2017, 9, 4), date(2017, 10, 20)),
        (date(2017, 10, 30), date(2017, 12, 20)),
        (date(2018, 1, 4), date(2018, 2, 9)),
        (date(2018, 2, 19), date(2018, 3, 29)),
        (date(2018, 4, 16), date(2018, 5, 25)),
        (date(2018, 6, 4), date(2018, 7, 24)),
    ]


def test_kent_2017_18_holidays_and_the_summer_after_it() -> None:
    years = load_academic_years(KENT_TERM_FILES[:2])
    holidays = school_holidays(years)
    assert holidays[:6] == (
        SchoolHoliday(date(2017, 10, 21), date(2017, 10, 29), "October half term 2017"),
        SchoolHoliday(date(2017, 12, 21), date(2018, 1, 3), "Christmas holidays 2017/18"),
        SchoolHoliday(date(2018, 2, 10), date(2018, 2, 18), "February half term 2018"),
        SchoolHoliday(date(2018, 3, 30), date(2018, 4, 15), "Easter holidays 2018"),
        SchoolHoliday(date(2018, 5, 26), date(2018, 6, 3), "May half term 2018"),
        SchoolHoliday(date(2018, 7, 25), date(2018, 9, 2), "Summer holidays 2018"),
    )


def test_the_kent_blueprint_names_every_shipped_file() -> None:
    from lcpg.domain.blueprint import load_blueprint

    kent = load_blueprint(TERMS_DIR.parent / "kent.toml")
    assert [p.resolve() for p in kent.term_date_paths] == [p.resolve() for p in KENT_TERM_FILES]


@pytest.mark.parametrize(
    ("label", "spans"),
    [
        (
            "2024/25",
            [
                ("2024-09-02", "2024-10-18"),
                ("2024-11-04", "2024-12-20"),
                ("2025-01-06", "2025-02-14"),
                ("2025-02-24", "2025-04-04"),
                ("2025-04-22", "2025-05-23"),
                ("2025-06-02", "2025-07-22"),
            ],
        ),
        (
            "2025/26",
            [
                ("2025-09-01", "2025-10-17"),
                ("2025-10-27", "2025-12-19"),
                ("2026-01-05", "2026-02-13"),
                ("2026-02-23", "2026-04-02"),
                ("2026-04-20", "2026-05-22"),
                ("2026-06-01", "2026-07-21"),
            ],
        ),
        (
            "2026/27",
            [
                ("2026-09-01", "2026-10-23"),
                ("2026-11-02", "2026-12-18"),
                ("2027-01-04", "2027-02-12"),
                ("2027-02-22", "2027-03-25"),
                ("2027-04-12", "2027-05-28"),
                ("2027-06-07", "2027-07-21"),
            ],
        ),
    ],
)
def test_later_kent_years_are_the_dates_their_sources_give(
    label: str, spans: list[tuple[str, str]]
) -> None:
    y = load_academic_year(TERMS_DIR / f"kent-{label.replace('/', '-')}.toml")
    assert y.label == label
    assert [(t.start.isoformat(), t.end.isoformat()) for t in y.terms] == spans
    text = Path(y.path).read_text(encoding="utf-8")
    assert "# Source:" in text and "# Confidence:" in text


def test_three_kent_years_give_five_holidays_each_and_two_summers() -> None:
    holidays = school_holidays(load_academic_years(KENT_TERM_FILES[:3]))
    assert len(holidays) == 3 * 5 + 2
    assert [h.start for h in holidays] == sorted(h.start for h in holidays)
    assert [h.name for h in holidays if h.name.startswith("Summer")] == [
        "Summer holidays 2018",
        "Summer holidays 2019",
    ]
    assert SchoolHoliday(date(2020, 4, 2), date(2020, 4, 15), "Easter holidays 2020") in holidays
    # Consecutive holidays never touch or overlap: a term lies between each pair.
    for before, after in pairwise(holidays):
        assert before.end + timedelta(days=1) < after.start


def test_covered_spans_join_consecutive_years_only() -> None:
    years = load_academic_years(KENT_TERM_FILES)
    assert covered_spans(years) == (
        (date(2017, 9, 4), date(2020, 7, 22)),
        (date(2024, 9, 2), date(2027, 7, 21)),
    )
    assert covered_spans(years[1:2]) == ((date(2018, 9, 3), date(2019, 7, 23)),)
    assert covered_spans(()) == ()


def test_an_imported_year_replaces_the_shipped_year_of_its_label() -> None:
    shipped = [
        year("2017/18", ("2017-09-04", "2018-07-24")),
        year("2018/19", ("2018-09-03", "2019-07-23")),
    ]
    imported = [
        year("2018/19", ("2018-09-05", "2018-12-19"), ("2019-01-07", "2019-07-19")),
        year("2019/20", ("2019-09-04", "2020-07-17")),
    ]
    combined = with_imported(shipped, imported)
    assert combined == (shipped[0], *imported)
    assert with_imported(shipped, ()) == tuple(shipped)
    assert [h.name for h in school_holidays(combined)] == [
        "Summer holidays 2018",
        "Christmas holidays 2018/19",
        "Summer holidays 2019",
    ]


# --- holidays from hand-made years ------------------------------------------------------------


def test_holidays_are_named_by_the_month_they_start_in() -> None:
    y = year(
        "2020/21",
        ("2020-09-01", "2020-11-03"),  # gap from Wed 4 Nov: still the autumn half term
        ("2020-11-09", "2021-01-01"),  # gap from Sat 2 Jan: Christmas, counted from the year before
        ("2021-01-11", "2021-06-30"),  # gap from Thu 1 Jul
        ("2021-07-05", "2021-07-20"),
    )
    assert [h.name for h in school_holidays([y])] == [
        "October half term 2020",
        "Christmas holidays 2020/21",
        "Summer holidays 2021",
    ]


def test_a_weekend_between_terms_is_no_holiday() -> None:
    y = year("2017/18", ("2017-09-04", "2017-10-20"), ("2017-10-23", "2018-07-20"))
    assert school_holidays([y]) == ()


def test_no_summer_holidays_between_years_that_are_not_consecutive() -> None:
    first = year("2017/18", ("2017-09-04", "2018-07-24"))
    third = year("2019/20", ("2019-09-02", "2020-07-22"))
    assert school_holidays([third, first]) == ()
    # The missing 2018/19 is not covered: its holidays are unknown, not absent.
    assert covered_spans([third, first]) == (
        (date(2017, 9, 4), date(2018, 7, 24)),
        (date(2019, 9, 2), date(2020, 7, 22)),
    )


def test_school_holidays_refuses_overlapping_years() -> None:
    a = year("2017/18", ("2017-09-04", "2018-07-24"))
    b = year("2018/19", ("2018-07-01", "2019-07-23"))
    with pytest.raises(ValueError, match="overlap"):
        school_holidays([a, b])


# --- validation ------------------------------------------------------------------------------


def test_a_valid_file_loads(tmp_path: Path) -> None:
    y = load_academic_year(write(tmp_path, VALID))
    assert y.label == "2017/18"
    assert y.path == str(tmp_path / "terms.toml")
    assert (y.start, y.end) == (date(2017, 9, 4), date(2018, 2, 9))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "start = 2017-10-30",
            "start = 2017-10-20",
            ["terms[2].start: 2017-10-20 overlaps terms[1], which ends 2017-10-20"],
            id="overlapping terms",
        ),
        pytest.param(
            "start = 2018-01-04, end = 2018-02-09",
            "start = 2017-09-05, end = 2018-02-09",
            [
                "terms[3].start: 2017-09-05 is before terms[2] starts (2017-10-30); "
                "list the terms in date order"
            ],
            id="terms out of order",
        ),
        pytest.param(
            "end = 2018-02-09",
            "end = 2018-01-01",
            ["terms[3].end: 2018-01-01 is before the term starts (2018-01-04)"],
            id="end before start",
        ),
        pytest.param(
            'source = "test"',
            'source = "test"\nsauce = "typo"',
            ["sauce: unknown key (check the spelling)"],
            id="unknown top-level key",
        ),
        pytest.param(
            'name = "Term 2",',
            'name = "Term 2", inset = 2017-11-01,',
            ["terms[2].inset: unknown key (check the spelling)"],
            id="unknown term key",
        ),
        pytest.param(
            '"2017/18"',
            '"2017-18"',
            ["academic_year: '2017-18' is not an academic year like '2017/18'"],
            id="bad label",
        ),
        pytest.param(
            '"2017/18"',
            '"2017/19"',
            [
                "academic_year: '2017/19' does not name two consecutive years "
                "(did you mean '2017/18'?)"
            ],
            id="label not consecutive years",
        ),
        pytest.param(
            'source = "test"\n',
            "",
            ["source: required key is missing"],
            id="missing key",
        ),
        pytest.param(
            ", end = 2017-12-20",
            "",
            ["terms[2].end: required key is missing"],
            id="missing term key",
        ),
        pytest.param(
            '"2017/18"',
            '"2016/17"',
            [
                "terms[1].start: 2017-09-04 is not in 2016, the first year of academic_year "
                "'2016/17'",
                "terms[3].end: 2018-02-09 is not in 2017, the second year of academic_year "
                "'2016/17'",
            ],
            id="label does not match the dates",
        ),
        pytest.param(
            'name = "Term 3"',
            'name = "Term 1"',
            ["terms[3].name: 'Term 1' is used twice"],
            id="duplicate term name",
        ),
        pytest.param(
            'source = "test"',
            'source = "  "',
            ["source: must not be empty"],
            id="empty source",
        ),
    ],
)
def test_each_problem_names_its_key(
    tmp_path: Path, old: str, new: str, expected: list[str]
) -> None:
    assert old in VALID
    assert problems_for(tmp_path, VALID.replace(old, new, 1)) == expected


def test_no_terms(tmp_path: Path) -> None:
    text = 'academic_year = "2017/18"\nsource = "test"\nterms = []\n'
    assert problems_for(tmp_path, text) == ["terms: at least one term is needed"]


@pytest.mark.parametrize(
    "value", ['"2017-09-04"', "0", "2017-09-04T00:00:00", "2017-09-04T09:30:00+01:00"]
)
def test_a_term_date_must_be_a_toml_date(tmp_path: Path, value: str) -> None:
    problems = problems_for(tmp_path, VALID.replace("start = 2017-09-04", f"start = {value}"))
    assert problems == ["terms[1].start: must be a date like 2017-09-04, written without quotes"]


def test_every_problem_is_reported_together(tmp_path: Path) -> None:
    text = (
        VALID.replace('"2017/18"', '"2017-18"')
        .replace("end = 2018-02-09", "end = 2018-01-01")
        .replace("start = 2017-10-30", "start = 2017-10-20")
    )
    problems = problems_for(tmp_path, text)
    assert [p.split(":")[0] for p in problems] == [
        "academic_year",
        "terms[3].end",
        "terms[2].start",
    ]


def test_type_errors_are_all_reported_together(tmp_path: Path) -> None:
    text = (
        VALID.replace('source = "test"', "")
        .replace("end = 2017-10-20", 'end = "soon"')
        .replace("start = 2018-01-04", "start = 7")
    )
    problems = problems_for(tmp_path, text)
    assert problems == [
        "source: required key is missing",
        "terms[1].end: must be a date like 2017-09-04, written without quotes",
        "terms[3].start: must be a date like 2017-09-04, written without quotes",
    ]


def test_the_error_message_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace('"2017/18"', '"2017-18"'))
    with pytest.raises(BlueprintError) as caught:
        load_academic_year(path)
    assert caught.value.path == path
    assert str(path) in str(caught.value)
    assert "academic_year: '2017-18'" in str(caught.value)


# --- several years --------------------------------------------------------------------------


def test_several_years_are_sorted(tmp_path: Path) -> None:
    later = write(
        tmp_path,
        'academic_year = "2018/19"\nsource = "t"\n'
        'terms = [{ name = "T", start = 2018-09-03, end = 2019-07-23 }]\n',
        "b.toml",
    )
    earlier = write(tmp_path, VALID, "a.toml")
    assert [y.label for y in load_academic_years([later, earlier])] == ["2017/18", "2018/19"]
    assert load_academic_years([]) == ()


def test_overlapping_academic_years_are_refused_naming_both_files(tmp_path: Path) -> None:
    first = write(tmp_path, VALID, "first.toml")
    second = write(tmp_path, VALID.replace('source = "test"', 'source = "copy"'), "second.toml")
    with pytest.raises(BlueprintError) as caught:
        load_academic_years([first, second])
    (problem,) = caught.value.problems
    message = str(caught.value)
    assert "first.toml" in message
    assert "second.toml" in message
    assert problem.startswith("academic_year: 2017/18 (2017-09-04 to 2018-02-09) overlaps 2017/18")


def test_a_bad_file_among_several_is_reported(tmp_path: Path) -> None:
    good = write(tmp_path, VALID, "good.toml")
    with pytest.raises(BlueprintError) as caught:
        load_academic_years([good, tmp_path / "missing.toml"])
    assert caught.value.path == tmp_path / "missing.toml"


# --- file errors ----------------------------------------------------------------------------


def test_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(BlueprintError) as caught:
        load_academic_year(tmp_path / "nope.toml")
    assert caught.value.problems == ["file not found"]


def test_not_toml(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, "academic_year = \n")
    assert len(problems) == 1
    assert problems[0].startswith("not valid TOML: ")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('source = "caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(BlueprintError) as caught:
        load_academic_year(path)
    assert caught.value.problems == ["not UTF-8 text (invalid continuation byte at byte 13)"]
