"""The limits that keep slow clients from holding `lcpg serve` (``lcpg/web/limits.py``): how they
are set, how clients are told apart, and the deadline's arithmetic. The server applying them
is tested end to end in ``tests/e2e/test_security_slow_clients.py``."""

from __future__ import annotations

import ipaddress
import re

import pytest

from lcpg.errors import LcpgError
from lcpg.web.limits import (
    LIMIT_SETTINGS,
    ClientConnections,
    ServeLimits,
    client_group,
    file_descriptors_needed,
    request_overdue,
    resolve_limits,
)

NONE_GIVEN = {setting.name: None for setting in LIMIT_SETTINGS}


def test_defaults() -> None:
    assert resolve_limits(NONE_GIVEN, {}) == ServeLimits(
        request_timeout=10, idle_timeout=30, connection_limit=1000, connections_per_client=50
    )


def test_options_win_over_the_environment_which_wins_over_defaults() -> None:
    environ = {"LCPG_SERVE_REQUEST_TIMEOUT": " 20 ", "LCPG_SERVE_CONNECTION_LIMIT": "500"}
    limits = resolve_limits({**NONE_GIVEN, "request_timeout": 5}, environ)
    assert limits == ServeLimits(request_timeout=5, connection_limit=500)


def test_every_setting_has_an_option_and_a_variable_named_after_it() -> None:
    assert [(s.option, s.env) for s in LIMIT_SETTINGS] == [
        ("--request-timeout", "LCPG_SERVE_REQUEST_TIMEOUT"),
        ("--idle-timeout", "LCPG_SERVE_IDLE_TIMEOUT"),
        ("--connection-limit", "LCPG_SERVE_CONNECTION_LIMIT"),
        ("--connections-per-client", "LCPG_SERVE_CONNECTIONS_PER_CLIENT"),
    ]
    for setting in LIMIT_SETTINGS:
        assert setting.low <= setting.default <= setting.high


@pytest.mark.parametrize("value", ["ten", "1.5", "0", "-3", "3601", "1e3", "nan"])
def test_a_bad_variable_is_one_line_naming_it(value: str) -> None:
    expected = (
        "LCPG_SERVE_REQUEST_TIMEOUT must be a whole number from 1 to 3600 (default 10), "
        f"not {value!r}"
    )
    with pytest.raises(LcpgError, match=f"^{re.escape(expected)}$"):
        resolve_limits(NONE_GIVEN, {"LCPG_SERVE_REQUEST_TIMEOUT": value})


def test_an_empty_variable_is_unset() -> None:
    assert resolve_limits(NONE_GIVEN, {"LCPG_SERVE_IDLE_TIMEOUT": " "}) == ServeLimits()


@pytest.mark.parametrize(
    ("address", "group"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),  # the same machine
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),  # another
        ("fe80::1%eth0", "fe80::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),  # IPv4 through an IPv6 socket
        ("/run/lcpg.sock", None),  # not an IP address: not counted
        ("", None),
    ],
)
def test_clients_are_addresses_and_ipv6_slash_64s(address: str, group: str | None) -> None:
    assert client_group(address) == group


def test_trusted_proxies_are_not_counted() -> None:
    trusted = (ipaddress.ip_network("10.0.0.0/24"), ipaddress.ip_network("2001:db8::5"))
    assert client_group("10.0.0.9", trusted) is None
    assert client_group("::ffff:10.0.0.9", trusted) is None
    assert client_group("2001:db8::5", trusted) is None
    assert client_group("2001:db8::6", trusted) == "2001:db8::/64"
    assert client_group("10.0.1.9", trusted) == "10.0.1.9"


def test_each_client_holds_at_most_its_cap() -> None:
    connections = ClientConnections(cap=2)
    assert connections.take("a") and connections.take("a")
    assert not connections.take("a")  # the third
    assert connections.take("b")  # others unaffected
    connections.release("a")
    assert connections.held("a") == 1
    assert connections.take("a")
    for _ in range(2):
        connections.release("a")
    assert connections.held("a") == 0


def test_a_request_is_overdue_only_past_its_deadline_from_its_first_byte() -> None:
    assert not request_overdue(None, now=1000.0, timeout=10)  # nothing under way
    assert not request_overdue(100.0, now=110.0, timeout=10)
    assert request_overdue(100.0, now=110.5, timeout=10)


def test_the_open_file_limit_leaves_room_beyond_the_connections() -> None:
    assert file_descriptors_needed(1000) > 1000
