"""Threat: a crash mid-send hides a message. A claim is stale, and may be taken over, when
its process is gone from this host or it is older than CLAIM_TIMEOUT."""

from __future__ import annotations

from datetime import datetime, timedelta

from lcpg.services.outbox_claims import CLAIM_TIMEOUT, ClaimOwner, is_stale

NOW = datetime(2026, 11, 23, 7, 0)
HERE = "lcpg-host/pid:[1]"
OWNER = ClaimOwner(HERE, 4242, "boot:123")


def test_a_claim_of_a_dead_process_on_this_host_is_stale_at_once() -> None:
    assert is_stale(str(OWNER), NOW, NOW, HERE, alive=lambda owner: False)


def test_a_claim_of_a_running_process_is_not_stale_until_the_timeout() -> None:
    assert not is_stale(str(OWNER), NOW - timedelta(minutes=9), NOW, HERE, alive=lambda o: True)
    assert is_stale(str(OWNER), NOW - CLAIM_TIMEOUT, NOW, HERE, alive=lambda o: True)


def test_a_claim_from_another_host_or_without_owner_waits_for_the_timeout() -> None:
    assert not is_stale(str(OWNER), NOW, NOW, "elsewhere", alive=lambda o: False)
    assert not is_stale(None, NOW, NOW, HERE, alive=lambda o: False)
    assert is_stale(None, NOW - CLAIM_TIMEOUT - timedelta(seconds=1), NOW, HERE)


def test_an_owner_reads_back() -> None:
    assert ClaimOwner.parse(str(OWNER)) == OWNER
    assert ClaimOwner.parse("not an owner") is None
