"""``LCPG_PUBLIC_URL`` and ``lcpg init --public-url``: where links in e-mails, feed pages and
personal-feed addresses point; and ``lcpg email send`` refusing links to this machine."""

from __future__ import annotations

import email
import re
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from lcpg.bootstrap import App, Settings
from tests.samples import csv_folder

AS_OF = "2026-11-22"
WEEK = "2026-W48"


@pytest.fixture(autouse=True)
def no_address_configured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("LCPG_PUBLIC_URL", "LCPG_FEEDS_URL", "LCPG_DASHBOARD_URL", "LCPG_SMTP_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LCPG_OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.chdir(tmp_path)


def run(db: str, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--db", db, *args], env=env, catch_exceptions=False)
    return result.exit_code, result.output


def index_links(folder: Path) -> list[str]:
    return re.findall(r'href="([^"]+)"', (folder / "index.html").read_text(encoding="utf-8"))


def test_init_stores_the_public_url_and_every_link_follows_it(
    database_url: str, tmp_path: Path
) -> None:
    code, out = run(database_url, "init")
    assert code == 0
    assert "Public address: http://127.0.0.1:8080/ (from the default)." in out
    assert "Only this machine can open it" in out and "LCPG_PUBLIC_URL" in out

    code, out = run(database_url, "init", "--public-url", "https://lcpg.example.org")
    assert code == 0, out
    assert "Public address: https://lcpg.example.org/ (from the database" in out
    assert "Only this machine" not in out

    assert run(database_url, "ics", "export", "--out", str(tmp_path / "feeds"))[0] == 0
    assert "https://lcpg.example.org/feeds/county.ics" in index_links(tmp_path / "feeds")
    assert run(database_url, "import", str(csv_folder(tmp_path / "in")))[0] == 0
    code, out = run(database_url, "feeds", "token", "create", "ada.finch@example.org")
    assert code == 0, out
    assert re.search(r"https://lcpg\.example\.org/feeds/p/[A-Za-z0-9_-]{40,}\.ics", out)

    # The environment wins over the database; LCPG_FEEDS_URL moves the feeds alone.
    env = {"LCPG_PUBLIC_URL": "https://other.example.org/"}
    assert run(database_url, "ics", "export", "--out", str(tmp_path / "f2"), env=env)[0] == 0
    assert "https://other.example.org/feeds/county.ics" in index_links(tmp_path / "f2")
    env = {"LCPG_FEEDS_URL": "https://cdn.example.org/kent"}
    assert run(database_url, "ics", "export", "--out", str(tmp_path / "f3"), env=env)[0] == 0
    assert "https://cdn.example.org/kent/county.ics" in index_links(tmp_path / "f3")
    # --base-url still wins for the one command.
    code, _ = run(
        database_url,
        "ics",
        "export",
        "--out",
        str(tmp_path / "f4"),
        "--base-url",
        "https://x.example.org/f/",
    )
    assert code == 0 and "https://x.example.org/f/county.ics" in index_links(tmp_path / "f4")


def test_a_bad_public_url_is_refused_naming_it(database_url: str, tmp_path: Path) -> None:
    code, out = run(database_url, "init", "--public-url", "lcpg.example.org")
    assert code == 1 and "Error: --public-url: 'lcpg.example.org' is not a web address" in out
    assert run(database_url, "init")[0] == 0
    code, out = run(
        database_url,
        "ics",
        "export",
        "--out",
        str(tmp_path / "feeds"),
        env={"LCPG_PUBLIC_URL": "ftp://lcpg.example.org/"},
    )
    assert code == 1 and "Error: LCPG_PUBLIC_URL: 'ftp://lcpg.example.org/'" in out
    assert not (tmp_path / "feeds").exists()


def sent_and_queued(database_url: str, tmp_path: Path) -> tuple[list[Path], dict[str, int]]:
    app = App(Settings.resolve(database_url=database_url))
    try:
        with app.unit_of_work() as uow:
            counts = uow.outbox.counts(WEEK)
    finally:
        app.close()
    outbox = tmp_path / "outbox"
    return (sorted(outbox.iterdir()) if outbox.exists() else []), counts


def parts(path: Path) -> tuple[str, str]:
    """The plain-text and HTML parts of an .eml file, decoded."""
    message = email.message_from_bytes(path.read_bytes(), policy=default)
    assert isinstance(message, EmailMessage)
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def test_email_send_refuses_links_to_this_machine(database_url: str, tmp_path: Path) -> None:
    assert run(database_url, "demo", "--as-of", AS_OF)[0] == 0
    code, history = run(database_url, "history")
    code, out = run(database_url, "email", "send", "--week", WEEK)
    assert code == 1
    assert "http://127.0.0.1:8080/" in out and "Set LCPG_PUBLIC_URL" in out
    assert "--allow-local-links" in out
    assert sent_and_queued(database_url, tmp_path) == ([], {})  # nothing sent, nothing queued
    assert run(database_url, "history")[1] == history  # and no check recorded

    # The preview still composes them, with a warning.
    code, out = run(database_url, "email", "preview", "--week", WEEK)
    assert code == 0 and "Warning: the links point at http://127.0.0.1:8080/" in out

    code, out = run(database_url, "email", "send", "--week", WEEK, "--allow-local-links")
    assert code == 0, out
    files, counts = sent_and_queued(database_url, tmp_path)
    assert files and counts == {"sent": len(files)}


def test_email_send_links_to_the_public_url(database_url: str, tmp_path: Path) -> None:
    assert run(database_url, "demo", "--as-of", AS_OF)[0] == 0
    env = {"LCPG_PUBLIC_URL": "https://lcpg.example.org/"}
    code, out = run(database_url, "email", "send", "--week", WEEK, env=env)
    assert code == 0, out
    files, _ = sent_and_queued(database_url, tmp_path)
    county = next(f for f in files if "-county-" in f.name)
    text, html = parts(county)
    assert "https://lcpg.example.org/" in text and 'href="https://lcpg.example.org/"' in html
    district = next(f for f in files if "-district_gravesham-" in f.name)
    text, html = parts(district)
    assert "https://lcpg.example.org/feeds/lcpg-gravesham.ics" in text
    assert "https://lcpg.example.org/districts/gravesham" in html
    for path in files:
        assert "127.0.0.1" not in "".join(parts(path))
