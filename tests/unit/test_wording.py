"""``lcpg.domain.wording``: dates, times, counts and lists in English, whatever the locale."""

from __future__ import annotations

import locale
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

import pytest

from lcpg.demo import build_demo_register
from lcpg.domain.blueprint import Blueprint
from lcpg.domain.wording import (
    MONTHS,
    WEEKDAYS,
    clock,
    day_month,
    hours,
    listing,
    long_date,
    long_span,
    long_weekday_date,
    moment,
    plural,
    short_date,
    short_span,
    short_weekday,
    short_weekday_date,
    weekday,
)

WEDNESDAY = date(2018, 3, 14)
SEVENTH = date(2018, 3, 7)
AT_TEN = datetime(2018, 3, 7, 10, 0)


def test_dates() -> None:
    assert weekday(WEDNESDAY) == "Wednesday"
    assert short_weekday(WEDNESDAY) == "Wed"
    assert day_month(SEVENTH) == "7 Mar"
    assert day_month(SEVENTH, pad=True) == "07 Mar"
    assert short_date(SEVENTH) == "7 Mar 2018"
    assert short_date(SEVENTH, pad=True) == "07 Mar 2018"
    assert short_weekday_date(SEVENTH) == "Wed 7 Mar 2018"
    assert short_weekday_date(SEVENTH, pad=True) == "Wed 07 Mar 2018"
    assert long_date(SEVENTH) == "7 March 2018"
    assert long_weekday_date(SEVENTH) == "Wednesday 7 March 2018"


def test_every_month_and_weekday_has_its_english_name() -> None:
    assert [long_date(date(2018, m, 1)).split()[1] for m in range(1, 13)] == list(MONTHS)
    assert [short_date(date(2018, m, 1)).split()[1] for m in range(1, 13)] == [
        name[:3] for name in MONTHS
    ]
    # 1 January 2018 was a Monday.
    assert [weekday(date(2018, 1, d)) for d in range(1, 8)] == list(WEEKDAYS)
    assert [short_weekday(date(2018, 1, d)) for d in range(1, 8)] == [n[:3] for n in WEEKDAYS]


def test_times() -> None:
    assert clock(AT_TEN) == "10:00"
    assert clock(time(9, 5)) == "09:05"
    assert moment(AT_TEN) == "Wed 7 Mar 2018 10:00"
    assert moment(AT_TEN, pad=True) == "Wed 07 Mar 2018 10:00"
    assert moment(AT_TEN, pad=True, year=False) == "Wed 07 Mar 10:00"
    assert hours(AT_TEN, AT_TEN.replace(hour=12)) == "10:00–12:00"
    assert hours(AT_TEN, AT_TEN) == "10:00"


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        (date(2027, 3, 26), date(2027, 3, 26), "26 Mar 2027"),
        (date(2027, 1, 6), date(2027, 2, 3), "6 Jan – 3 Feb 2027"),
        (date(2026, 12, 16), date(2027, 1, 27), "16 Dec 2026 – 27 Jan 2027"),
    ],
)
def test_short_span(start: date, end: date, text: str) -> None:
    """The year-at-a-glance's closures, windows and problems (formerly ``format_span``)."""
    assert short_span(start, end) == text


def test_long_span() -> None:
    assert long_span(date(2026, 11, 23), date(2026, 12, 13)) == "23 November to 13 December 2026"
    assert long_span(date(2026, 12, 28), date(2027, 1, 17)) == (
        "28 December 2026 to 17 January 2027"
    )


def test_counts_and_lists() -> None:
    assert plural(1, "body", "bodies") == "1 body"
    assert plural(0, "body", "bodies") == "0 bodies"
    assert plural(2, "warning") == "2 warnings"
    assert plural(5, "info", "info") == "5 info"
    assert listing([]) == ""
    assert listing(["a"]) == "a"
    assert listing(["a", "b"]) == "a and b"
    assert listing(["a", "b", "c"]) == "a, b and c"


# --- under another locale ------------------------------------------------------------------

GERMAN = "de_DE.UTF-8"


@pytest.fixture(scope="module")
def german_locale_path(tmp_path_factory: pytest.TempPathFactory) -> str | None:
    """A folder for ``LOCPATH`` holding a German locale made with ``localedef`` (None when
    the system has one already); skips when neither is to be had."""
    saved = locale.setlocale(locale.LC_TIME)
    try:
        locale.setlocale(locale.LC_TIME, GERMAN)
        return None
    except locale.Error:
        pass
    finally:
        locale.setlocale(locale.LC_TIME, saved)
    localedef = shutil.which("localedef")
    if localedef is None:
        pytest.skip("no German locale and no localedef to make one")
    folder = tmp_path_factory.mktemp("locales")
    made = subprocess.run(
        [localedef, "-i", "de_DE", "-f", "UTF-8", str(folder / GERMAN)],
        capture_output=True,
        check=False,
    )
    if not (folder / GERMAN).is_dir():
        pytest.skip(f"localedef could not make {GERMAN}: {made.stderr.decode(errors='replace')}")
    return str(folder)


@pytest.fixture
def german_time(german_locale_path: str | None, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """``LC_TIME`` German for the test, and back afterwards."""
    if german_locale_path is not None:
        monkeypatch.setenv("LOCPATH", german_locale_path)
    saved = locale.setlocale(locale.LC_TIME)
    locale.setlocale(locale.LC_TIME, GERMAN)
    try:
        # The locale really is in force: strftime speaks German now.
        assert f"{WEDNESDAY:%A %B}" == "Mittwoch März"
        yield
    finally:
        locale.setlocale(locale.LC_TIME, saved)


def _outputs(kent: Blueprint) -> list[str]:
    """What users read, from the wording functions to whole reports and e-mails."""
    from cycle.days import DayRules
    from lcpg.notify.compose import EmailSettings, compose_week
    from rules.engine import check
    from rules.reporters import render

    register = build_demo_register(kent, date(2026, 11, 22))
    report = check(register, kent, date(2026, 11, 23))
    settings = EmailSettings(
        team=("team@example.org",),
        sender="LCPG <lcpg@example.org>",
        dashboard_url="https://lcpg.example.org/",
        feeds_url="https://lcpg.example.org/feeds",
    )
    messages = compose_week("2026-W48", date(2026, 11, 22), report, None, register, kent, settings)
    days = [date(2018, 3, d) for d in range(5, 12)]
    return [
        *(moment(datetime.combine(d, time(10))) for d in days),
        *(f"{long_weekday_date(d)} {short_weekday_date(d, pad=True)}" for d in days),
        *(str(DayRules().blocked(d)) for d in days),
        render(report, "text"),
        render(report, "html"),
        *(m.text + (m.html or "") for m in messages),
    ]


def test_output_is_the_same_under_a_german_locale(
    kent: Blueprint, request: pytest.FixtureRequest
) -> None:
    english = _outputs(kent)
    assert "Wed 7 Mar 2018 10:00" in english
    assert "Saturday" in english
    request.getfixturevalue("german_time")
    assert _outputs(kent) == english


def test_no_product_code_formats_names_with_the_locale() -> None:
    """``%a``, ``%A``, ``%b``, ``%B``, ``%c``, ``%x``, ``%X`` and ``%p`` follow ``LC_TIME``: every
    day and month name is written by ``lcpg.domain.wording``."""
    root = Path(__file__).resolve().parents[2]
    sources = [root / "cli.py"]
    for package in ("lcpg", "rules", "cycle", "calendars"):
        sources += (root / package).rglob("*.py")
        sources += (root / package).rglob("*.j2")
    pattern = re.compile(r"%[-#]?[aAbBcxXp]\b|strftime\(")
    offenders = [
        f"{path.relative_to(root)}:{n}: {line.strip()}"
        for path in sources
        if "migrations" not in path.parts and path.name != "wording.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert len(sources) > 100  # the folders were found
    assert offenders == []
