"""``lcpg serve``: the feed server and the dashboard."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from cli import pass_app
from lcpg.bootstrap import App

F = TypeVar("F", bound=Callable[..., Any])


def serve_limit_options(command: F) -> F:
    """``--request-timeout`` and the other limits of ``lcpg.web.limits.LIMIT_SETTINGS``, each
    defaulting to its ``LCPG_SERVE_*`` variable, then to ``ServeLimits``."""
    from lcpg.web.limits import LIMIT_SETTINGS

    for setting in reversed(LIMIT_SETTINGS):
        command = click.option(
            setting.option,
            setting.name,
            type=click.IntRange(setting.low, setting.high),
            default=None,
            help=f"{setting.help} [default: {setting.default}; ${setting.env}]",
        )(command)
    return command


LOOPBACK = ("127.0.0.1", "localhost", "::1")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True)
@click.option("--threads", type=click.IntRange(1, 64), default=8, show_default=True)
@serve_limit_options
@pass_app
def serve(app: App, /, host: str, port: int, threads: int, **limits: int | None) -> None:
    """Serve the calendar feeds and the dashboard (waitress, a production WSGI server).

    With the team's password configured ($LCPG_DASHBOARD_PASSWORD or its hash in
    $LCPG_DASHBOARD_PASSWORD_HASH) the dashboard always asks for it; served beyond this machine
    (another --host, a proxy in $LCPG_TRUSTED_PROXIES, a public URL elsewhere) it needs one.
    Feeds never ask.

    Slow clients are cut off: a request must arrive whole within the request timeout, one
    address holds a limited number of connections, and request bodies over 64 KiB are
    refused (see the options below).
    """
    import os

    from lcpg.services.process_log import log_to_stderr
    from lcpg.services.public_url import listening_url, resolve_public_urls
    from lcpg.services.web import web_settings
    from lcpg.web.app import create_app, redact_server_logs
    from lcpg.web.limits import resolve_limits
    from lcpg.web.server import create_server

    serve_limits = resolve_limits(limits, os.environ)
    app.unit_of_work()  # refuse to start on a database that is not set up
    settings = web_settings(
        beyond_this_machine=host not in LOOPBACK,
        urls=resolve_public_urls(app),
        listening=listening_url(host, port),
    )
    flask_app = create_app(app, settings)
    log_to_stderr()  # the database going away and coming back is logged
    redact_server_logs()
    server = create_server(
        flask_app,
        host=host,
        port=port,
        threads=threads,
        limits=serve_limits,
        trusted=settings.trusted_proxies,
    )

    login = "password required" if settings.require_login else "no login (this machine only)"
    click.echo(f"Serving http://{host}:{port}/ (feeds at /feeds/, dashboard: {login}).")
    server.print_listen("Serving on http://{}:{}")
    server.run()
