"""Threat: an unusual e-mail address given on the command line (``feeds token create EMAIL``,
``email preview --to``) is checked as the register's addresses are: a usage error (exit
status 2) naming why, never a traceback or a lookup of a different address."""

from __future__ import annotations

import pytest

from tests.cli.commands import run

UNUSUAL = ['"x,y"@example.org', "a;b@example.org", "zoë@example.org", "ann@example.org\u200b"]


@pytest.mark.parametrize("address", UNUSUAL)
def test_token_create_refuses_an_unusual_address(database_url: str, address: str) -> None:
    assert run(database_url, "init")[0] == 0
    code, out = run(database_url, "feeds", "token", "create", address)
    assert code == 2, out
    assert "not an email address" in out and repr(address) in out


@pytest.mark.parametrize("address", UNUSUAL)
def test_preview_to_refuses_an_unusual_address(database_url: str, address: str) -> None:
    assert run(database_url, "init")[0] == 0
    code, out = run(database_url, "email", "preview", "--to", address)
    assert code == 2, out
    assert "not an email address" in out
