"""`lcpg feeds token create|list|revoke` as a user runs them."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.cli.commands import run
from tests.samples import csv_folder


def test_create_list_revoke(database_url: str, tmp_path: Path) -> None:
    assert run(database_url, "init")[0] == 0
    assert run(database_url, "import", str(csv_folder(tmp_path / "in")))[0] == 0
    code, out = run(
        database_url,
        "feeds",
        "token",
        "create",
        "Ada.Finch@example.org",
        "--base-url",
        "https://lcpg.example.org/feeds",
    )
    assert code == 0, out
    address = re.search(r"https://lcpg\.example\.org/feeds/p/([A-Za-z0-9_-]{40,})\.ics", out)
    assert address and "webcal://lcpg.example.org/feeds/p/" in out
    code, out = run(database_url, "feeds", "token", "list", "--format", "json")
    listed = json.loads(out)
    assert [t["email"] for t in listed] == ["ada.finch@example.org"] and listed[0][
        "revoked"
    ] is None
    assert address[1] not in out  # the secret is shown once, never listed
    code, out = run(database_url, "feeds", "token", "revoke", "ada.finch@example.org")
    assert code == 0 and out.strip() == "Revoked 1 token of ada.finch@example.org."
    code, out = run(
        database_url, "feeds", "token", "list", "ada.finch@example.org", "--format", "json"
    )
    assert json.loads(out)[0]["revoked"] is not None


def test_unknown_person(database_url: str) -> None:
    assert run(database_url, "init")[0] == 0
    code, out = run(database_url, "feeds", "token", "create", "nobody@example.org")
    assert code == 1 and "nobody with the e-mail address 'nobody@example.org'" in out
