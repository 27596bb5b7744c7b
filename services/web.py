"""Settings for the web process, from the environment (the one place web settings are read)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping

from werkzeug.security import generate_password_hash

from errors import LcpgError
from services.public_url import PublicUrls, public_urls
from web.app import WebSettings


def web_settings(
    require_login: bool, environ: Mapping[str, str] = os.environ, urls: PublicUrls | None = None
) -> WebSettings:
    """``WebSettings`` from ``LCPG_DASHBOARD_PASSWORD(_HASH)``, ``LCPG_SECRET_KEY``,
    ``LCPG_INSECURE_COOKIES`` and the public addresses (``urls``; default: from ``environ``
    alone, see ``services.public_url``). Subscription links use the feeds' public address
    when one is configured, else the address the browser used. Raises ``LcpgError`` when a
    login is required and no password is configured, or an address is bad."""
    urls = urls or public_urls(None, environ)
    password_hash = environ.get("LCPG_DASHBOARD_PASSWORD_HASH")
    if not password_hash and environ.get("LCPG_DASHBOARD_PASSWORD"):
        password_hash = generate_password_hash(environ["LCPG_DASHBOARD_PASSWORD"])
    if require_login and not password_hash:
        raise LcpgError(
            "the dashboard shows personal data, so serving beyond this machine needs a "
            "password: set LCPG_DASHBOARD_PASSWORD (or LCPG_DASHBOARD_PASSWORD_HASH)"
        )
    return WebSettings(
        require_login=require_login,
        password_hash=password_hash,
        secret_key=environ.get("LCPG_SECRET_KEY") or secrets.token_hex(32),
        # Behind HTTPS (as it should be when reachable), cookies travel only encrypted.
        secure_cookies=require_login and environ.get("LCPG_INSECURE_COOKIES") != "1",
        feeds_url=urls.feeds if urls.configured or urls.feeds_override else None,
    )
