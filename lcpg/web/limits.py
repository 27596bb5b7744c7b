"""How long and how much `lcpg serve` gives a client: the limits that keep slow clients
(slowloris) from holding the server, declared once for the command line, the environment and
the documentation. Pure: no sockets, no clock; ``lcpg/web/server.py`` applies them.

A slow client sends its request one byte every few seconds. An idle timeout alone never cuts it
(it is never idle), so a request also has a deadline from its first byte; one address gets a
limited number of connections; and the server as a whole allows many more connections than
waitress's default of 100, so that cutting the slow ones keeps up with them.
"""

from __future__ import annotations

import ipaddress
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from lcpg.errors import LcpgError

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

MAX_REQUEST_BODY = 64 * 1024
"""Bytes of request body accepted (waitress answers 413 to more, before reading it): nothing
lcpg serves takes uploads, and the login form is a few hundred bytes."""

IPV6_CLIENT_PREFIX = 64
"""An IPv6 client is counted by its /64: one machine usually holds a whole /64, and could
otherwise open each connection from another address."""


@dataclass(frozen=True)
class ServeLimits:
    """The limits of one `lcpg serve` (seconds and connection counts)."""

    request_timeout: int = 10
    idle_timeout: int = 30
    connection_limit: int = 1000
    connections_per_client: int = 50


@dataclass(frozen=True)
class LimitSetting:
    """One field of ``ServeLimits`` as a user sets it: ``--OPTION`` or ``LCPG_SERVE_NAME``."""

    name: str
    low: int
    high: int
    help: str

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def env(self) -> str:
        return "LCPG_SERVE_" + self.name.upper()

    @property
    def default(self) -> int:
        value: int = getattr(ServeLimits(), self.name)
        return value


LIMIT_SETTINGS = (
    LimitSetting(
        "request_timeout",
        1,
        3600,
        "Seconds a client has to send a whole request (headers and body) from its first byte; "
        "then the connection is closed (408).",
    ),
    LimitSetting(
        "idle_timeout",
        1,
        86_400,
        "Seconds a connection may stay without sending or reading anything before it is closed.",
    ),
    LimitSetting(
        "connection_limit",
        10,
        100_000,
        "Open connections in all; beyond it new ones wait. Raises the open-file limit to fit.",
    ),
    LimitSetting(
        "connections_per_client",
        1,
        100_000,
        "Open connections from one address (an IPv6 /64); more are refused (503). The proxies "
        "in LCPG_TRUSTED_PROXIES are exempt.",
    ),
)


def resolve_limits(options: Mapping[str, int | None], environ: Mapping[str, str]) -> ServeLimits:
    """``ServeLimits`` from the command line's ``options`` (by field name; ``None``: not
    given), else ``LCPG_SERVE_<NAME>`` in ``environ``, else the defaults. Raises ``LcpgError``
    naming the variable when one is not a whole number in its range (options are checked by
    click)."""
    values = {}
    for setting in LIMIT_SETTINGS:
        given = options.get(setting.name)
        if given is None:
            given = _from_environment(setting, environ)
        if given is not None:
            values[setting.name] = given
    return ServeLimits(**values)


def _from_environment(setting: LimitSetting, environ: Mapping[str, str]) -> int | None:
    text = environ.get(setting.env, "").strip()
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        value = setting.low - 1
    if not setting.low <= value <= setting.high:
        raise LcpgError(
            f"{setting.env} must be a whole number from {setting.low} to {setting.high} "
            f"(default {setting.default}), not {text!r}"
        )
    return value


def client_group(address: str, trusted: Iterable[Network] = ()) -> str | None:
    """The key one client's connections are counted under: its IPv4 address, or its IPv6
    address's /64 (an IPv4 address mapped into IPv6 counts as that IPv4 address). ``None``
    (not counted) for an address in ``trusted`` (a proxy speaks for many clients) and for
    anything that is not an IP address (a Unix socket)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # without an IPv6 zone (%eth0)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if any(ip in network for network in trusted):
        return None
    if isinstance(ip, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((ip, IPV6_CLIENT_PREFIX), strict=False))
    return str(ip)


class ClientConnections:
    """How many connections each client (a ``client_group``) holds, within ``cap`` each.
    Safe to call from several threads."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self._open: Counter[str] = Counter()
        self._lock = threading.Lock()

    def take(self, client: str) -> bool:
        """Count one more connection of ``client``; false (nothing counted) when it already
        holds ``cap``."""
        with self._lock:
            if self._open[client] >= self.cap:
                return False
            self._open[client] += 1
            return True

    def release(self, client: str) -> None:
        """Count one connection of ``client`` fewer (it was taken and is now closed)."""
        with self._lock:
            self._open[client] -= 1
            if self._open[client] <= 0:
                del self._open[client]

    def held(self, client: str) -> int:
        """The connections ``client`` holds now."""
        with self._lock:
            return self._open[client]


def request_overdue(started: float | None, now: float, timeout: float) -> bool:
    """Whether a request whose first byte came at ``started`` (``None``: no request under
    way) is still incomplete past its deadline at ``now`` (same clock, seconds)."""
    return started is not None and now - started > timeout


def file_descriptors_needed(connection_limit: int) -> int:
    """Open files `lcpg serve` needs for ``connection_limit`` connections: one each, and a
    margin for the listening sockets, the database, logs and the libraries."""
    return connection_limit + 64
