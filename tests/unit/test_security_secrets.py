"""Threat: secrets in messages (SECURITY.md). Database URLs are shown with the password
hidden, however the URL is written and whether or not it parses; a bad URL is an error
message, never a traceback. (The real commands' output and logs: tests/e2e/test_security_logs.py.)
"""

from __future__ import annotations

import pytest

from lcpg.errors import DatabaseError
from lcpg.notify.transport import Smtp
from lcpg.store.database import display_url, make_engine

PASSWORD = "Tr0ub4dor-3"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (f"postgresql+psycopg://lcpg:{PASSWORD}@db.example.org/lcpg", "lcpg:***@db.example.org"),
        (f"postgresql://lcpg:{PASSWORD}@db.example.org:5432/lcpg", "lcpg:***@db.example.org"),
        # An unencoded @ in the password: SQLAlchemy would show what follows it.
        ("postgresql+psycopg://lcpg:Tr0ub@dor@db.example.org/lcpg", "lcpg:***@db.example.org"),
        (f"postgresql+psycopg://lcpg@db.example.org/lcpg?password={PASSWORD}", "password=***"),
        (f"postgresql+psycopg://lcpg:{PASSWORD}@db.example.org:port/lcpg", "lcpg:***@"),
        (f"lcpg:{PASSWORD}@db.example.org/lcpg", "lcpg:***@db.example.org"),
        ("sqlite:///lcpg.db", "sqlite:///lcpg.db"),
        ("postgresql+psycopg://postgres@127.0.0.1:5432/test", "postgres@127.0.0.1:5432/test"),
    ],
)
def test_a_database_url_is_shown_without_its_password(url: str, shown: str) -> None:
    text = display_url(url)
    assert shown in text
    assert PASSWORD not in text and "dor@db" not in text


@pytest.mark.parametrize(
    "url",
    [
        f"lcpg:{PASSWORD}@db.example.org/lcpg",  # no scheme
        f"postgresql+psycopg://lcpg:{PASSWORD}@db.example.org:port/lcpg",  # port not a number
        f"nosuchdb://lcpg:{PASSWORD}@db.example.org/lcpg",  # no such dialect
        f"sqlite://lcpg:{PASSWORD}@/lcpg.db",  # parses, but SQLite takes no credentials
    ],
)
def test_a_bad_database_url_is_an_error_that_hides_the_password(url: str) -> None:
    with pytest.raises(DatabaseError) as raised:
        make_engine(url)
    assert "***" in str(raised.value) and PASSWORD not in str(raised.value)


def test_an_smtp_server_is_described_without_its_password() -> None:
    smtp = Smtp(f"smtp://lcpg%40example.org:{PASSWORD}@mail.example.org:587")
    assert smtp.describe() == "smtp://lcpg@example.org@mail.example.org:587"
    assert PASSWORD not in smtp.describe()
