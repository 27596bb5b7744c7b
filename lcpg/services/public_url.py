"""Where ``lcpg serve`` is reachable: the one address that links in e-mails, feed index pages
and personal-feed addresses are built from.

``LCPG_PUBLIC_URL`` (e.g. ``https://lcpg.example.org/``) wins; else the address stored by
``lcpg init --public-url URL`` (the database's ``public_url`` setting, so the scheduler, the
server and every command agree); else ``DEFAULT_PUBLIC_URL``, which only this machine can
open. From it: the dashboard is ``<public>/``, the feeds ``<public>/feeds/<slug>.ics``, a
personal feed ``<public>/feeds/p/<token>.ics``. ``LCPG_FEEDS_URL`` still overrides the feeds'
address alone, for feeds published elsewhere (a static web server or CDN).

This module is the one place these variables are read and the default is declared. It imports
nothing heavy, so that ``cli.py`` can use it for ``--help``.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final
from urllib.parse import urlsplit

from lcpg.errors import LcpgError

if TYPE_CHECKING:
    from lcpg.bootstrap import App

__all__ = [
    "DEFAULT_FEEDS_URL",
    "DEFAULT_PUBLIC_URL",
    "FEEDS_URL_ENV",
    "PUBLIC_URL_ENV",
    "PUBLIC_URL_SETTING",
    "PublicUrls",
    "check_url",
    "is_local",
    "listening_url",
    "local_links_error",
    "public_urls",
    "resolve_public_urls",
]

PUBLIC_URL_ENV: Final = "LCPG_PUBLIC_URL"
FEEDS_URL_ENV: Final = "LCPG_FEEDS_URL"
RETIRED_DASHBOARD_ENV: Final = "LCPG_DASHBOARD_URL"
PUBLIC_URL_SETTING: Final = "public_url"
"""The database setting ``lcpg init --public-url`` writes."""

DEFAULT_PUBLIC_URL: Final = "http://127.0.0.1:8080/"
"""Where ``lcpg serve`` listens by default: fine on this machine, useless in an e-mail."""
FEEDS_PATH: Final = "feeds"
DEFAULT_FEEDS_URL: Final = DEFAULT_PUBLIC_URL + FEEDS_PATH

STORED: Final = "the database, set by lcpg init --public-url"
DEFAULT: Final = "the default"

_LOCAL_NAMES: Final = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def check_url(value: str, name: str) -> str:
    """``value`` as an http(s) address with a host and nothing after its path, ending with
    ``/``. Raises ``LcpgError`` naming ``name`` (the variable, option or setting) otherwise."""
    text = value.strip()
    try:
        parts = urlsplit(text)
        host = parts.hostname
        parts.port  # noqa: B018  (raises ValueError for a port that is not a number)
    except ValueError:
        parts, host = urlsplit(""), None
    problem = None
    if not text.startswith(("http://", "https://")) or parts.scheme not in ("http", "https"):
        problem = "it must start with https:// (or http://)"
    elif not host:
        problem = "it has no host name (or a port that is not a number)"
    elif parts.username is not None or parts.password is not None:
        problem = "it must not hold a user name or password (it is put in e-mails)"
    elif parts.query or parts.fragment:
        problem = "it must not have a query (?) or fragment (#)"
    if problem is not None:
        raise LcpgError(
            f"{name}: {value!r} is not a web address for lcpg: {problem} "
            "(e.g. https://lcpg.example.org/)"
        )
    return text if text.endswith("/") else text + "/"


def listening_url(host: str, port: int) -> str:
    """The address ``lcpg serve --host HOST --port PORT`` answers on (``http://host:port/``,
    an IPv6 address in brackets): where its links point when no public URL is configured."""
    try:
        bracketed = ipaddress.ip_address(host).version == 6
    except ValueError:
        bracketed = False
    return f"http://{f'[{host}]' if bracketed else host}:{port}/"


def is_local(url: str) -> bool:
    """True when ``url``'s host is this machine (``localhost``, ``127.0.0.1``, ``::1``, any
    loopback or unspecified address): a link nobody else can open."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if host in _LOCAL_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


@dataclass(frozen=True)
class PublicUrls:
    """The addresses links are built from. ``base`` ends with ``/``; ``source`` says where it
    came from (``LCPG_PUBLIC_URL``, the database, or the default); ``feeds_override`` is
    ``LCPG_FEEDS_URL`` when set."""

    base: str
    source: str
    feeds_override: str | None = None

    @property
    def configured(self) -> bool:
        """False when nobody said where the server is (the default is in use)."""
        return self.source != DEFAULT

    @property
    def dashboard(self) -> str:
        return self.base

    @property
    def feeds(self) -> str:
        """The folder of ``<slug>.ics`` files, without a trailing ``/``."""
        return (self.feeds_override or self.base + FEEDS_PATH).rstrip("/")

    def personal_feed(self, token: str) -> str:
        return f"{self.feeds}/p/{token}.ics"

    @property
    def local(self) -> tuple[str, ...]:
        """The addresses among the dashboard's and the feeds' that only this machine opens."""
        return tuple(url for url in dict.fromkeys((self.dashboard, self.feeds)) if is_local(url))


def public_urls(stored: str | None, environ: Mapping[str, str] = os.environ) -> PublicUrls:
    """The addresses from ``environ`` and the ``stored`` setting (None: none stored), in that
    order of precedence, else the default. Empty variables count as unset. Raises
    ``LcpgError`` naming the variable or setting whose value is not a web address, and for
    ``LCPG_DASHBOARD_URL``, which ``LCPG_PUBLIC_URL`` replaced."""
    if environ.get(RETIRED_DASHBOARD_ENV, "").strip():
        raise LcpgError(
            f"{RETIRED_DASHBOARD_ENV} is no longer read: set {PUBLIC_URL_ENV} to the address "
            "where lcpg serve is reachable (the dashboard is at its root)"
        )
    feeds = environ.get(FEEDS_URL_ENV, "").strip()
    override = check_url(feeds, FEEDS_URL_ENV) if feeds else None
    given = environ.get(PUBLIC_URL_ENV, "").strip()
    if given:
        return PublicUrls(check_url(given, PUBLIC_URL_ENV), PUBLIC_URL_ENV, override)
    if stored:
        return PublicUrls(check_url(stored, f"{PUBLIC_URL_SETTING} in {STORED}"), STORED, override)
    return PublicUrls(DEFAULT_PUBLIC_URL, DEFAULT, override)


def resolve_public_urls(app: App, environ: Mapping[str, str] = os.environ) -> PublicUrls:
    """``public_urls`` with the setting stored in ``app``'s database (read only when
    ``LCPG_PUBLIC_URL`` does not decide it). Raises ``DatabaseError`` when the database is
    not set up, ``LcpgError`` for a bad address."""
    if environ.get(PUBLIC_URL_ENV, "").strip():
        return public_urls(None, environ)
    with app.unit_of_work() as uow:
        stored = uow.settings.get(PUBLIC_URL_SETTING)
    return public_urls(stored, environ)


def local_links_error(urls: PublicUrls) -> LcpgError:
    """The error of a send that would link to this machine: names the setting that fixes it."""
    where = ", ".join(urls.local)
    return LcpgError(
        f"the e-mails would link to {where}, which only this machine can open. Set "
        f"{PUBLIC_URL_ENV} (or run lcpg init --public-url URL) to the address where lcpg serve "
        f"is reachable, e.g. https://lcpg.example.org/"
        + (
            f", and {FEEDS_URL_ENV} to where the feeds are published"
            if urls.feeds_override and is_local(urls.feeds_override)
            else ""
        )
        + "; or pass --allow-local-links to send them anyway"
    )
