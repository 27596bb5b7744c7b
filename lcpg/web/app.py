"""Building the Flask application for `lcpg serve` (and for tests, which call it directly)."""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass
from types import TracebackType
from typing import Final
from urllib.parse import urlsplit

from flask import Flask, render_template, request
from flask_wtf import CSRFProtect
from sqlalchemy.exc import StatementError
from werkzeug.exceptions import HTTPException
from werkzeug.security import generate_password_hash

from lcpg.bootstrap import App
from lcpg.services.public_url import DEFAULT_PUBLIC_URL, FEEDS_PATH
from lcpg.store.database import database_failure
from lcpg.web import auth, headers, login_limit
from lcpg.web.health import RETRY_AFTER, UNAVAILABLE, DatabaseHealth
from lcpg.web.proxies import Network, TrustedProxies

LOGIN_LIMIT_PER_CLIENT: Final = "5 per minute; 30 per hour"
LOGIN_LIMIT_PER_ACCOUNT: Final = "100 per hour"


@dataclass(frozen=True)
class WebSettings:
    """How the web process behaves.

    ``require_login``: the dashboard asks for the password (whenever one is configured).
    ``password_hash``: werkzeug hash of the team's password. ``secret_key`` signs
    sessions (random per process when not configured: signing in again after a restart).
    ``secure_cookies``: session cookies only over HTTPS. ``feeds_url``: the public address of
    the feeds, for subscription links. ``trusted_proxies``: the addresses whose forwarded
    headers are believed (``lcpg.web.proxies``).

    ``public_url``: where the server is reachable, which every link and redirect it makes
    points to (never the request's ``Host``): the configured public URL, else the address
    ``lcpg serve`` listens on. ``feeds_address``: the feeds' folder under it (or ``feeds_url``).

    ``login_limit_per_client`` and ``login_limit_per_account``: how many failed sign-ins one
    client, and all clients together for the one account, may make (Flask-Limiter limit
    strings, moving windows; ``lcpg.web.login_limit``).
    """

    require_login: bool
    password_hash: str | None
    secret_key: str
    secure_cookies: bool
    feeds_url: str | None = None
    trusted_proxies: tuple[Network, ...] = ()
    public_url: str = DEFAULT_PUBLIC_URL
    login_limit_per_client: str = LOGIN_LIMIT_PER_CLIENT
    login_limit_per_account: str = LOGIN_LIMIT_PER_ACCOUNT

    @property
    def feeds_address(self) -> str:
        """The address of the feeds' folder, without a trailing ``/``."""
        return (self.feeds_url or self.public_url.rstrip("/") + "/" + FEEDS_PATH).rstrip("/")

    @classmethod
    def for_tests(cls, require_login: bool = False, password: str = "") -> WebSettings:
        return cls(
            require_login=require_login,
            password_hash=generate_password_hash(password) if password else None,
            secret_key=secrets.token_hex(32),
            secure_cookies=False,
        )


_PERSONAL_FEED = re.compile(r"(/feeds/p/)[^/?#\s]+")


def redact_tokens(text: str) -> str:
    """``text`` with the secret of every personal feed address (``/feeds/p/<token>.ics``)
    replaced by ``<token>``: for anything written to a log."""
    return _PERSONAL_FEED.sub(r"\1<token>", text)


class TokenRedaction(logging.Filter):
    """Rewrites a log record whose message holds a personal feed address (waitress logs the
    path of a request it could not finish)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_tokens(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def redact_server_logs() -> None:
    """Keep feed tokens out of the web server's (waitress's) log."""
    server_log = logging.getLogger("waitress")
    if not any(isinstance(f, TokenRedaction) for f in server_log.filters):
        server_log.addFilter(TokenRedaction())


class _Flask(Flask):
    def log_exception(
        self,
        exc_info: tuple[type, BaseException, TracebackType] | tuple[None, None, None],
    ) -> None:
        # Flask's own message names the path, and a personal feed's path is its secret.
        self.logger.error(
            "Exception on %s [%s]", redact_tokens(request.path), request.method, exc_info=exc_info
        )


def create_app(app: App, settings: WebSettings) -> Flask:
    """The WSGI application: feeds, dashboard and login around the wired ``app``."""
    from lcpg.web import dashboard, feeds

    # No static folder: every page is self-contained, and a route less is a route less to probe.
    flask = _Flask(__name__, static_folder=None)
    flask.wsgi_app = TrustedProxies(flask.wsgi_app, settings.trusted_proxies)  # type: ignore[method-assign]
    # Flask escapes only templates named .html, .xml, ...: ours are .html.j2, so switch
    # escaping on for all of them explicitly.
    flask.jinja_env.autoescape = True
    flask.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=64 * 1024,
        # Every absolute address Flask and werkzeug build (redirects such as /feeds to /feeds/,
        # url_for(_external=True)) names the public host, never the request's Host header,
        # which anybody can forge. Since Flask 3.1 it does not turn other hosts away.
        SERVER_NAME=urlsplit(settings.public_url).netloc,
        **{
            auth.REQUIRE_LOGIN: settings.require_login,
            auth.PASSWORD_HASH: settings.password_hash or "",
        },
    )
    flask.extensions["lcpg"] = app
    flask.extensions["lcpg_settings"] = settings
    health = DatabaseHealth(app.database_name)
    health.watch(app.engine)
    flask.extensions["lcpg_health"] = health
    CSRFProtect(flask)
    headers.install(flask)
    auth.install(flask)
    login_limit.install(flask, settings.login_limit_per_client, settings.login_limit_per_account)
    feeds.install(flask, app, settings, health)
    dashboard.install(flask, app, settings)

    @flask.context_processor
    def names() -> dict[str, str]:
        return {"blueprint_name": app.blueprint.name}

    @flask.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        # A plain page for 404, 405 and the rest: never a traceback.
        return (
            render_template(
                "error.html.j2",
                code=error.code,
                name=error.name,
                description=error.description,
            ),
            error.code or 500,
        )

    def database_unavailable(error: Exception) -> tuple[str, int, dict[str, str]]:
        # The database went away (a restart, a network cut): say so briefly, log it once,
        # and let the engine reconnect on a later request.
        health.failed(error)
        page = render_template(
            "error.html.j2",
            code=503,
            name="Service Unavailable",
            description="The register's database is not answering. Try again in a minute.",
        )
        return page, 503, {"Retry-After": str(RETRY_AFTER)}

    for unavailable in UNAVAILABLE:
        flask.register_error_handler(unavailable, database_unavailable)

    def database_error(error: StatementError) -> tuple[str, int]:
        # Any other database error (a damaged schema, a refused change): logged as the one
        # line the command line would print, never Flask's traceback, whose SQL and values may
        # hold people's details.
        failure = database_failure(error, app.settings.database_url, app.settings.busy_timeout)
        flask.logger.error("%s [%s %s]", failure, request.method, redact_tokens(request.path))
        page = render_template(
            "error.html.j2",
            code=500,
            name="Internal Server Error",
            description="The register's database could not answer this request.",
        )
        return page, 500

    flask.register_error_handler(StatementError, database_error)
    return flask
