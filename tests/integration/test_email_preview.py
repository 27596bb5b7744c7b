"""``preview_week`` on the demo register (loaded as of Sunday 22 November 2026): the week's
messages as ``.eml`` files that parse, the ``--to`` filter, and no check recorded; and the
e-mail settings from the environment."""

from __future__ import annotations

import email
from datetime import date
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest

from lcpg.bootstrap import App
from lcpg.demo import CO_CHAIR_DISTRICT, VACANT_COORDINATOR_DISTRICT
from lcpg.errors import LcpgError, NotFoundError
from lcpg.notify.compose import EmailSettings
from lcpg.notify.messages import COUNTY, district_kind
from lcpg.services.compliance import recorded_checks
from lcpg.services.email_preview import (
    DEFAULT_SENDER,
    DEFAULT_TEAM,
    INDEX_FILE,
    check_date,
    email_settings_from,
    preview_week,
)
from lcpg.services.public_url import DEFAULT_FEEDS_URL, DEFAULT_PUBLIC_URL, public_urls
from tests.conftest import DEMO_TODAY

TODAY = DEMO_TODAY
WEEK = "2026-W48"
SETTINGS = email_settings_from({})
# One county email, then the twelve districts' chairs and co-ordinators: Maidstone's two
# co-chairs and co-ordinator, Dover's chair alone (no co-ordinator), two for each of the ten
# others.
EXPECTED = 1 + 3 + 1 + 10 * 2


def read(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=default)
    assert isinstance(message, EmailMessage)
    return message


def test_preview_writes_every_message_as_eml(app: App, tmp_path: Path) -> None:
    out = tmp_path / "preview"
    before = len(recorded_checks(app))
    messages = preview_week(app, WEEK, app.today(), None, out, SETTINGS)

    assert len(messages) == EXPECTED
    assert len(recorded_checks(app)) == before  # a preview records nothing
    assert [m.kind for m in messages].count(COUNTY) == 1
    assert len([m for m in messages if m.kind == district_kind(CO_CHAIR_DISTRICT)]) == 3
    assert len([m for m in messages if m.kind == district_kind(VACANT_COORDINATOR_DISTRICT)]) == 1

    files = sorted(out.glob("*.eml"))
    assert len(files) == EXPECTED
    index = (out / INDEX_FILE).read_text(encoding="utf-8").splitlines()
    assert len(index) == EXPECTED
    by_name = {line.split("\t")[0]: line.split("\t") for line in index}
    assert set(by_name) == {f.name for f in files}
    assert "county-partnership-team@example.org.eml" in by_name
    for message, line in zip(messages, index, strict=True):
        name, kind, recipient, subject = line.split("\t")
        assert (kind, recipient, subject) == (message.kind, message.recipient, message.subject)
        parsed = read(out / name)
        # A subject a little too long for one line is folded before its first word, which
        # Python's parser (unlike mail clients) keeps as a leading space.
        assert parsed["Subject"].strip() == message.subject
        (to,) = parsed["To"].addresses
        assert to.addr_spec == message.recipient
        assert parsed["From"] == DEFAULT_SENDER
        assert parsed["Message-ID"].endswith("@example.org>")
        assert parsed.get_content_type() == "multipart/alternative"
        assert [p.get_content_type() for p in parsed.iter_parts()] == ["text/plain", "text/html"]

    county = read(out / "county-partnership-team@example.org.eml")
    assert county["Subject"].startswith(f"LCPG compliance, week {WEEK}: ")
    text = county.get_body(("plain",))
    assert text is not None
    words = " ".join(text.get_content().split())
    # The demo recorded its check as of 22 November, the day before the week's Monday.
    assert "As of Monday 23 November 2026" in words
    # ... and says which recorded check it compared with (`lcpg history` numbers them).
    assert "Since check 1, as of 22 November 2026:" in words


def test_the_check_runs_as_of_the_weeks_monday(app: App) -> None:
    messages = preview_week(app, None, app.today(), None, None, SETTINGS)
    # 22 November 2026 is the Sunday of 2026-W47.
    assert {m.week for m in messages} == {"2026-W47"}
    county = next(m for m in messages if m.kind == COUNTY)
    assert "As of Monday 16 November 2026" in " ".join(county.text.split())
    # The demo recorded a check as of 22 November, after the week's Monday: there is a
    # recorded check, but none before the week to compare with, and the e-mail says just that.
    assert [run.as_of for run in recorded_checks(app)] == [TODAY]
    words = " ".join(county.text.split())
    assert "first recorded check" not in words
    assert "No check was recorded as of a day before Monday 16 November 2026" in words


def test_to_filters_by_recipient(app: App, tmp_path: Path) -> None:
    everyone = preview_week(app, WEEK, app.today(), None, None, SETTINGS)
    chair = next(m for m in everyone if m.kind == district_kind("gravesham"))
    out = tmp_path / "one"
    only = preview_week(app, WEEK, app.today(), chair.recipient.upper(), out, SETTINGS)
    assert only == [chair]
    assert {p.name for p in out.iterdir()} == {
        INDEX_FILE,
        f"district-gravesham-{chair.recipient}.eml",
    }
    team = preview_week(app, WEEK, app.today(), DEFAULT_TEAM, None, SETTINGS)
    assert [m.kind for m in team] == [COUNTY]
    with pytest.raises(NotFoundError, match=r"no email for nobody@example\.org in week 2026-W48"):
        preview_week(app, WEEK, app.today(), "nobody@example.org", None, SETTINGS)


def test_a_bad_week_is_refused(app: App) -> None:
    for week in ("2026-48", "2026-W54", "W48"):
        with pytest.raises(LcpgError, match="ISO week"):
            preview_week(app, week, app.today(), None, None, SETTINGS)


# --- settings (no database) ----------------------------------------------------------------


def test_check_date_is_the_monday() -> None:
    assert check_date("2027-W05") == date(2027, 2, 1)
    assert check_date("2026-W53") == date(2026, 12, 28)
    with pytest.raises(LcpgError, match="not an ISO week of that year"):
        check_date("2025-W53")


def test_settings_defaults() -> None:
    assert email_settings_from({}) == EmailSettings(
        team=(DEFAULT_TEAM,),
        sender=DEFAULT_SENDER,
        dashboard_url=DEFAULT_PUBLIC_URL,
        feeds_url=DEFAULT_FEEDS_URL,
    )
    assert DEFAULT_TEAM == "partnership-team@example.org"
    assert DEFAULT_SENDER == "LCPG compliance <lcpg@example.org>"
    assert DEFAULT_PUBLIC_URL == "http://127.0.0.1:8080/"
    assert DEFAULT_FEEDS_URL == "http://127.0.0.1:8080/feeds"


def test_settings_from_the_environment() -> None:
    settings = email_settings_from(
        {
            "LCPG_TEAM_EMAILS": " team@kent.example , Ann <ann@kent.example>,, ",
            "LCPG_MAIL_FROM": "Kent LCPG <lcpg@kent.example>",
            "LCPG_PUBLIC_URL": "https://lcpg.kent.example",
        }
    )
    assert settings == EmailSettings(
        team=("team@kent.example", "Ann <ann@kent.example>"),
        sender="Kent LCPG <lcpg@kent.example>",
        dashboard_url="https://lcpg.kent.example/",
        feeds_url="https://lcpg.kent.example/feeds",
    )
    # Feeds published elsewhere; and the addresses the database gave, passed in.
    elsewhere = {"LCPG_PUBLIC_URL": "https://lcpg.kent.example/"}
    elsewhere["LCPG_FEEDS_URL"] = "https://cdn.kent.example/feeds/"
    assert email_settings_from(elsewhere).feeds_url == "https://cdn.kent.example/feeds"
    stored = public_urls("https://stored.kent.example/", {})
    assert email_settings_from({}, stored).dashboard_url == "https://stored.kent.example/"
    assert email_settings_from({"LCPG_TEAM_EMAILS": ""}).team == (DEFAULT_TEAM,)
    with pytest.raises(LcpgError, match="LCPG_TEAM_EMAILS: 'not-an-address'"):
        email_settings_from({"LCPG_TEAM_EMAILS": "team@kent.example, not-an-address"})
    with pytest.raises(LcpgError, match="LCPG_MAIL_FROM"):
        email_settings_from({"LCPG_MAIL_FROM": "LCPG compliance"})
