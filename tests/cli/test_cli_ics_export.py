"""`lcpg ics export` as a user runs it, and SEQUENCE rising when a meeting changes (only then)."""

from __future__ import annotations

import re
from pathlib import Path

from icalendar import Calendar

from cli import main
from tests.cli.commands import run
from tests.samples import csv_folder

MEETINGS = (
    "body,start,end,venue,status\n"
    "lcpg-sevenoaks,2030-03-20T10:00,2030-03-20T12:00,Gateway,planned\n"
)


def sequences(folder: Path) -> list[int]:
    calendar = Calendar.from_ical((folder / "lcpg-sevenoaks.ics").read_bytes())
    return [int(e.decoded("sequence")) for e in calendar.walk("VEVENT")]


def test_export_writes_every_feed_and_the_index(database_url: str, tmp_path: Path) -> None:
    assert run(database_url, "init")[0] == 0
    out = tmp_path / "feeds"
    code, text = run(
        database_url,
        "ics",
        "export",
        "--out",
        str(out),
        "--base-url",
        "https://lcpg.example.org/feeds/",
    )
    assert code == 0, text
    names = sorted(p.name for p in out.iterdir())
    assert (
        "county.ics" in names and "chwb.ics" in names and "lcpg-folkestone-and-hythe.ics" in names
    )
    assert len([n for n in names if n.endswith(".ics")]) == 16
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="webcal://lcpg.example.org/feeds/lcpg-gravesham.ics"' in index
    assert 'href="https://lcpg.example.org/feeds/county.ics"' in index
    assert not [n for n in names if n.startswith(".")]  # no temporary files left behind


def test_sequence_rises_when_a_meeting_changes_and_only_then(
    database_url: str, tmp_path: Path
) -> None:
    assert run(database_url, "init")[0] == 0
    people = "email,name,organisation\n"
    empty = {
        "people": people,
        "memberships": "body,email,sector,roles,start,end\n",
        "attendance": "body,meeting_start,email,status\n",
    }
    assert (
        run(database_url, "import", str(csv_folder(tmp_path / "a", meetings=MEETINGS, **empty)))[0]
        == 0
    )
    out = tmp_path / "feeds"
    assert run(database_url, "ics", "export", "--out", str(out))[0] == 0
    assert sequences(out) == [0]
    assert (
        run(database_url, "import", str(csv_folder(tmp_path / "b", meetings=MEETINGS, **empty)))[0]
        == 0
    )
    assert run(database_url, "ics", "export", "--out", str(out))[0] == 0
    assert sequences(out) == [0]  # the same data again: no change, no new sequence
    moved_venue = MEETINGS.replace("Gateway", "Council Offices")
    assert (
        run(database_url, "import", str(csv_folder(tmp_path / "c", meetings=moved_venue, **empty)))[
            0
        ]
        == 0
    )
    assert run(database_url, "ics", "export", "--out", str(out))[0] == 0
    assert sequences(out) == [1]
    feed = (out / "lcpg-sevenoaks.ics").read_text(encoding="utf-8")
    assert re.search(r"LAST-MODIFIED:\d{8}T\d{6}Z", feed)
    # The planner moves it (Sevenoaks prefers Thursdays now): the sequence rises again.
    assert run(database_url, "bodies", "set", "lcpg-sevenoaks", "--weekday", "thu")[0] == 0
    assert run(database_url, "plan", "--year", "2030", "--as-of", "2030-01-01", "--save")[0] == 0
    assert run(database_url, "ics", "export", "--out", str(out))[0] == 0
    calendar = Calendar.from_ical((out / "lcpg-sevenoaks.ics").read_bytes())
    moved = [e for e in calendar.walk("VEVENT") if int(e.decoded("sequence")) == 2]
    assert len(moved) == 1
    assert moved[0].decoded("dtstart").strftime("%a %Y-%m-%d") == "Thu 2030-03-21"


def test_import_a_calendar_export_then_learn_the_cadence(database_url: str) -> None:
    from tests.conftest import FIXTURES

    assert run(database_url, "init")[0] == 0
    apple = str(FIXTURES / "ics" / "apple.ics")
    # The file's meetings are of 2017 and 2018: read as of a day then, on any day.
    sevenoaks = ("--body", "lcpg-sevenoaks", "--as-of", "2018-03-20")
    code, out = run(database_url, "ics", "import", apple, *sevenoaks, "--dry-run")
    assert code == 0, out
    assert "Dry run" in out
    assert run(database_url, "meetings", "list", "--body", "lcpg-sevenoaks")[1].strip() == "(none)"
    code, out = run(database_url, "ics", "import", apple, *sevenoaks)
    assert code == 0 and "Imported" in out
    assert "dated 2008-03-20 to 2020-03-20" in out  # the window, ten years back, two on
    code, out = run(database_url, "ics", "import", apple, *sevenoaks)
    assert code == 0 and out.startswith("Nothing to change")
    code, out = run(
        database_url,
        "check",
        "--as-of",
        "2018-03-20",
        "--body",
        "lcpg-sevenoaks",
        "--format",
        "json",
    )
    assert '"detected": "quarterly"' in out


def test_exported_files_are_readable_beyond_their_owner(database_url: str, tmp_path: Path) -> None:
    # A web server or nginx usually runs as another user: owner-only files would be unreadable.
    import os
    import stat

    assert run(database_url, "init")[0] == 0
    previous = os.umask(0o022)
    try:
        assert run(database_url, "ics", "export", "--out", str(tmp_path / "feeds"))[0] == 0
    finally:
        os.umask(previous)
    for path in (tmp_path / "feeds").iterdir():
        assert path.stat().st_mode & stat.S_IROTH, path


def test_the_base_url_option_leaves_the_default_to_the_public_url() -> None:
    # No default or variable of its own: services.public_url decides (LCPG_FEEDS_URL,
    # LCPG_PUBLIC_URL, lcpg init --public-url), so every command links to the same place.
    import click

    for command in (("ics", "export"), ("feeds", "token", "create")):
        found: click.Command | None = main
        for name in command:
            assert isinstance(found, click.Group)
            found = found.get_command(click.Context(found), name)
        assert found is not None
        (option,) = [p for p in found.params if p.name == "base_url"]
        assert isinstance(option, click.Option), command
        assert option.envvar is None and not option.show_default, command
        assert option.help and "$LCPG_PUBLIC_URL" in option.help, command
