"""Forwarded headers (``X-Forwarded-For``, ``-Proto``, ``-Host``), believed only from the
proxies named in ``LCPG_TRUSTED_PROXIES``.

Anybody can send these headers. Behind the TLS proxy the README recommends, they say who the
client is (the login's rate limit counts per client) and that the connection was HTTPS (the
CSRF check then compares the Referer with the host). So they are read, through werkzeug's
``ProxyFix``, one hop deep, only on a connection that comes from one of the trusted proxies'
addresses; on any other connection they are ignored, as if absent.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import TYPE_CHECKING

from werkzeug.middleware.proxy_fix import ProxyFix

from lcpg.errors import LcpgError

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

TRUSTED_PROXIES_ENV = "LCPG_TRUSTED_PROXIES"


def parse_trusted_proxies(value: str, name: str = TRUSTED_PROXIES_ENV) -> tuple[Network, ...]:
    """The addresses or networks in ``value`` (comma-separated, e.g. ``127.0.0.1, 10.0.0.0/24``;
    empty: none). Raises ``LcpgError`` naming ``name`` and the item that is neither."""
    networks = []
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise LcpgError(
                f"{name}: {item!r} is not an IP address or network (e.g. 127.0.0.1 or "
                "10.0.0.0/24, comma-separated): name the proxies in front of lcpg serve"
            ) from None
    return tuple(networks)


class TrustedProxies:
    """WSGI middleware: ``ProxyFix`` (one proxy deep) for connections from ``networks``, the
    application untouched for all others."""

    def __init__(self, app: WSGIApplication, networks: Iterable[Network]) -> None:
        self.app = app
        self.networks = tuple(networks)
        self.fixed = ProxyFix(app, x_for=1, x_proto=1, x_host=1)

    def trusted(self, address: str | None) -> bool:
        try:
            peer = ipaddress.ip_address(address or "")
        except ValueError:
            return False
        return any(peer in network for network in self.networks)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if self.networks and self.trusted(environ.get("REMOTE_ADDR")):
            return self.fixed(environ, start_response)
        return self.app(environ, start_response)
