"""Threat: one unusual e-mail address stops every weekly e-mail (issue 13, point 2), at the
command line. The register holds an address an older lcpg stored unchecked (written here
directly through the store, bypassing the import's check): `lcpg email preview`, with or
without ``--out`` and ``--to``, and `lcpg email send` write or send every other message and
report that one, naming the person, the body and the address, with exit status 1 and no
traceback. Fictional people at example.org."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import update

from cli import main
from lcpg.bootstrap import App
from lcpg.notify.messages import OutgoingMessage
from lcpg.services.email_preview import INDEX_FILE, email_settings_from, preview_week
from lcpg.store.schema import PersonRow
from lcpg.store.unit_of_work import UnitOfWork
from tests.conftest import DEMO_TODAY
from tests.integration.test_email_send import ENVIRON, WEEK

BAD = "a;b@example.org"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """E-mail settings of a real deployment; messages go to an outbox folder."""
    monkeypatch.delenv("LCPG_SMTP_URL", raising=False)
    for name, value in {**ENVIRON, "LCPG_OUTBOX_DIR": str(tmp_path / "outbox")}.items():
        monkeypatch.setenv(name, value)


def lcpg(app: App, *args: str) -> tuple[int, str, str]:
    """`lcpg --db ... ARGS`: exit status, standard output and standard error. An exception
    escaping the command (a traceback for the user) fails the test."""
    result = CliRunner().invoke(
        main, ["--db", app.settings.database_url, *args], catch_exceptions=False
    )
    return result.exit_code, result.stdout, result.stderr


def week_messages(app: App) -> list[OutgoingMessage]:
    return preview_week(app, WEEK, DEMO_TODAY, None, None, email_settings_from(ENVIRON))


def store_unchecked(app: App, address: str) -> OutgoingMessage:
    """Give the recipient of one district message ``address``, stored as an older lcpg could
    (unchecked); that message, as it was."""
    chair = next(m for m in week_messages(app) if m.kind.startswith("district:"))
    with UnitOfWork(app.engine, write=True) as uow:
        uow.session.execute(
            update(PersonRow).where(PersonRow.email == chair.recipient).values(email=address)
        )
        uow.commit()
    return chair


def assert_reported(err: str, chair: OutgoingMessage, address: str) -> None:
    assert "Traceback" not in err
    (line,) = [line for line in err.splitlines() if repr(address) in line]
    assert chair.recipient_name in line and chair.kind in line, line


@pytest.mark.usefixtures("env")
def test_preview_out_writes_the_others_and_names_the_one(app: App, tmp_path: Path) -> None:
    everyone = week_messages(app)
    chair = store_unchecked(app, BAD)
    code, out, err = lcpg(app, "email", "preview", "--week", WEEK, "--out", str(tmp_path / "p"))
    assert code == 1, out + err
    assert_reported(err, chair, BAD)
    index = (tmp_path / "p" / INDEX_FILE).read_text(encoding="utf-8").splitlines()
    assert len(index) == len(list((tmp_path / "p").glob("*.eml"))) == len(everyone) - 1


@pytest.mark.usefixtures("env")
def test_preview_lists_the_others_and_names_the_one(app: App) -> None:
    everyone = week_messages(app)
    chair = store_unchecked(app, BAD)
    code, out, err = lcpg(app, "email", "preview", "--week", WEEK)
    assert code == 1, out + err
    assert_reported(err, chair, BAD)
    assert BAD not in out and len(out.splitlines()) == len(everyone)  # the others + a total


@pytest.mark.usefixtures("env")
def test_preview_to_another_address_is_unaffected(app: App, tmp_path: Path) -> None:
    store_unchecked(app, BAD)
    code, out, err = lcpg(
        app, "email", "preview", "--week", WEEK, "--to", "team@example.org", "--out", str(tmp_path)
    )
    assert code == 0, out + err
    assert len(list(tmp_path.glob("*.eml"))) == 1


@pytest.mark.usefixtures("env")
@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("ann@bücher.example.org", "ann@bücher.example.org"),
        ("ann@bücher.example.org", "ann@xn--bcher-kva.example.org"),
        ("Ann@Example.org ", "ann@example.org"),
    ],
)
def test_preview_to_finds_an_address_stored_in_another_form(
    app: App, tmp_path: Path, stored: str, typed: str
) -> None:
    # An older lcpg stored addresses as typed; --to compares the register's forms.
    store_unchecked(app, stored)
    code, out, err = lcpg(
        app, "email", "preview", "--week", WEEK, "--to", typed, "--out", str(tmp_path)
    )
    assert code == 0, out + err
    assert len(list(tmp_path.glob("*.eml"))) == 1


@pytest.mark.usefixtures("env")
def test_send_sends_the_others_and_names_the_one(app: App, tmp_path: Path) -> None:
    everyone = week_messages(app)
    chair = store_unchecked(app, BAD)
    code, out, err = lcpg(app, "email", "send", "--week", WEEK)
    assert code == 1, out + err
    assert_reported(err, chair, BAD)
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == len(everyone) - 1
    assert f"{len(everyone) - 1} sent, 1 still pending" in err
