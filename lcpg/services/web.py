"""Settings for the web process, from the environment (the one place web settings are read)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping

from werkzeug.security import check_password_hash, generate_password_hash

from lcpg.errors import LcpgError
from lcpg.services.public_url import PublicUrls, is_local, public_urls
from lcpg.web.app import WebSettings
from lcpg.web.proxies import TRUSTED_PROXIES_ENV, parse_trusted_proxies

PASSWORD_ENV = "LCPG_DASHBOARD_PASSWORD"
PASSWORD_HASH_ENV = "LCPG_DASHBOARD_PASSWORD_HASH"


def web_settings(
    beyond_this_machine: bool,
    environ: Mapping[str, str] = os.environ,
    urls: PublicUrls | None = None,
    listening: str | None = None,
) -> WebSettings:
    """``WebSettings`` from ``LCPG_DASHBOARD_PASSWORD(_HASH)``, ``LCPG_SECRET_KEY``,
    ``LCPG_INSECURE_COOKIES``, ``LCPG_TRUSTED_PROXIES`` and the public addresses (``urls``;
    default: from ``environ`` alone, see ``lcpg.services.public_url``). Links point to the public
    address when one is configured, else to ``listening`` (where ``lcpg serve`` listens,
    ``lcpg.services.public_url.listening_url``; default: the default public address): never to the
    address a request names.

    A configured password always applies: the dashboard then asks for it, wherever the server
    listens. Without one, the dashboard is served without a login only when nothing says that
    other machines reach it: ``beyond_this_machine`` false (a loopback bind), no trusted proxy
    named, and a public address on this machine. Raises ``LcpgError`` when a password is
    needed and none is configured, when ``LCPG_DASHBOARD_PASSWORD_HASH`` is not a werkzeug
    hash (nobody could sign in), or when an address is bad."""
    urls = urls or public_urls(None, environ)
    proxies = parse_trusted_proxies(environ.get(TRUSTED_PROXIES_ENV, ""))
    password_hash = environ.get(PASSWORD_HASH_ENV, "").strip() or None
    if password_hash is not None:
        check_password_hash_format(password_hash)
    elif environ.get(PASSWORD_ENV):
        password_hash = generate_password_hash(environ[PASSWORD_ENV])
    reached_from_elsewhere = beyond_this_machine or bool(proxies) or not is_local(urls.dashboard)
    if reached_from_elsewhere and not password_hash:
        why = (
            "serving beyond this machine"
            if beyond_this_machine
            else f"served behind a proxy ({TRUSTED_PROXIES_ENV})"
            if proxies
            else f"served at {urls.dashboard} (from {urls.source})"
        )
        raise LcpgError(
            f"the dashboard shows personal data, so {why} needs a password: "
            f"set {PASSWORD_ENV} (or {PASSWORD_HASH_ENV})"
        )
    require_login = password_hash is not None
    return WebSettings(
        require_login=require_login,
        password_hash=password_hash,
        secret_key=environ.get("LCPG_SECRET_KEY") or secrets.token_hex(32),
        # Behind HTTPS (as it should be when reachable), cookies travel only encrypted.
        secure_cookies=require_login and environ.get("LCPG_INSECURE_COOKIES") != "1",
        feeds_url=urls.feeds if urls.configured or urls.feeds_override else None,
        public_url=urls.base if urls.configured else listening or urls.base,
        trusted_proxies=proxies,
    )


def check_password_hash_format(value: str) -> None:
    """Raise ``LcpgError`` unless ``value`` is a werkzeug password hash
    (``method$salt$hexdigest``, as ``generate_password_hash`` makes) that some password can
    match: werkzeug itself would accept anything and then refuse every password."""
    method, _, rest = value.partition("$")
    salt, _, digest = rest.partition("$")
    problem = None
    if not (method and salt and digest):
        problem = "it is not of the form method$salt$hash"
    else:
        try:
            # The digest of the same method has the same length for any password and salt.
            expected = generate_password_hash("", method=method).rsplit("$", 1)[-1]
            check_password_hash(value, "")
        except (ValueError, TypeError, OverflowError, MemoryError):
            problem = f"its method {method!r} is not one werkzeug knows (e.g. scrypt, pbkdf2)"
        else:
            if len(digest) != len(expected) or any(c not in "0123456789abcdef" for c in digest):
                problem = f"its hash is not the {len(expected)} hex digits {method!r} makes"
    if problem is not None:
        raise LcpgError(
            f"{PASSWORD_HASH_ENV} is not a werkzeug password hash, so nobody could sign in: "
            f'{problem}. Make one with: python -c "from werkzeug.security import '
            "generate_password_hash as g; print(g(input('Password: ')))\", "
            f"or set {PASSWORD_ENV} instead"
        )
