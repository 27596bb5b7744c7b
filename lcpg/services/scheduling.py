"""``lcpg scheduler run`` and ``lcpg scheduler status``: the weekly e-mails and nightly feeds.

The schedule comes from the environment (the one place it is read):

- ``LCPG_WEEKLY_CRON``: when the weekly e-mails go (default ``0 7 * * mon``, Monday 07:00);
- ``LCPG_NIGHTLY_CRON``: when the feeds are written again (default ``30 2 * * *``; 02:30 is
  outside the hour that the clock changes skip or repeat, 01:00-02:00 in the UK);
- ``LCPG_FEEDS_DIR``: where the nightly export writes (default ``feeds``);
- the feeds' public address for the links in ``index.html``: ``LCPG_PUBLIC_URL``, the address
  ``lcpg init --public-url`` stored, or ``LCPG_FEEDS_URL`` (``lcpg.services.public_url``).

The weekly send refuses to send links to this machine (``lcpg.services.email.send_week``): when no
public address is configured, the run fails and says so in the log, and the scheduler says so
when it starts.

Cron expressions have five fields (minute hour day month weekday) and are read in the
blueprint's time zone.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lcpg.bootstrap import App
from lcpg.errors import LcpgError
from lcpg.notify.scheduler import (
    JobStatus,
    ScheduleSettings,
    cron_trigger,
    run_forever,
    scheduler_status,
)
from lcpg.services.process_log import log_to_stderr
from lcpg.services.public_url import PublicUrls, local_links_error, public_urls, resolve_public_urls

WEEKLY_CRON_ENV = "LCPG_WEEKLY_CRON"
NIGHTLY_CRON_ENV = "LCPG_NIGHTLY_CRON"
FEEDS_DIR_ENV = "LCPG_FEEDS_DIR"


# Any instant will do to ask whether a crontab expression ever fires: one that fires at all
# fires every year (or every leap year), and APScheduler looks years ahead.
_PROBE = datetime(2000, 1, 1, tzinfo=UTC)


def schedule_settings_from(
    environ: Mapping[str, str] = os.environ,
    timezone: str = ScheduleSettings.timezone,
    urls: PublicUrls | None = None,
) -> ScheduleSettings:
    """The schedule from ``environ`` (defaults for what is unset), in ``timezone``; the feeds'
    address from ``urls`` (default: from ``environ`` alone, ``lcpg.services.public_url``).

    Raises ``LcpgError`` naming the variable when a cron expression is malformed or can never
    fire (``0 7 30 2 *``), or when the time zone is unknown.
    """
    defaults = ScheduleSettings()
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise LcpgError(f"unknown time zone {timezone!r} for the scheduler") from None
    weekly = _cron(environ, WEEKLY_CRON_ENV, defaults.weekly_cron, timezone)
    nightly = _cron(environ, NIGHTLY_CRON_ENV, defaults.nightly_cron, timezone)
    return ScheduleSettings(
        weekly_cron=weekly,
        nightly_cron=nightly,
        timezone=timezone,
        feeds_dir=environ.get(FEEDS_DIR_ENV) or defaults.feeds_dir,
        feeds_url=(urls or public_urls(None, environ)).feeds,
    )


def run_scheduler(app: App, environ: Mapping[str, str] = os.environ) -> None:
    """Run the weekly send and the nightly feed export in the foreground until SIGTERM or
    SIGINT; returns once a running job has finished.

    Logs to standard error (unless logging is already set up), where a service manager
    collects it. Raises ``LcpgError`` for a bad schedule, or ``DatabaseError`` when the
    database is not set up.
    """
    app.unit_of_work()  # refuse to start on a database that is not set up
    urls = resolve_public_urls(app, environ)
    settings = _settings_for(app, environ, urls)
    log_to_stderr()
    if urls.local:
        logging.getLogger("lcpg.scheduler").warning(
            "the weekly send will fail until the public address is set: %s",
            local_links_error(urls),
        )
    run_forever(app.settings.database_url, str(app.settings.blueprint_path.resolve()), settings)


def status(app: App) -> list[JobStatus]:
    """The stored jobs and their next run times, soonest first; empty when no scheduler has
    run on this database yet. A next run time in the past means none is running now.

    Raises ``DatabaseError`` when the database is not set up.
    """
    app.unit_of_work()  # a missing SQLite file is reported, not created
    return scheduler_status(app.settings.database_url)


def _settings_for(app: App, environ: Mapping[str, str], urls: PublicUrls) -> ScheduleSettings:
    settings = schedule_settings_from(environ, app.blueprint.timezone, urls)
    # Stored with the jobs, so made absolute: the jobs do not depend on the folder the next
    # scheduler is started from.
    return replace(settings, feeds_dir=str(Path(settings.feeds_dir).resolve()))


def _cron(environ: Mapping[str, str], name: str, default: str, timezone: str) -> str:
    expression = (environ.get(name) or default).strip()
    try:
        trigger = cron_trigger(expression, timezone)
    except ValueError as exc:
        raise LcpgError(
            f"{name}={expression!r} is not a cron expression: {exc} (five fields: minute "
            "hour day month weekday, e.g. '0 7 * * mon' for Mondays at 07:00)"
        ) from None
    if trigger.get_next_fire_time(None, _PROBE) is None:
        raise LcpgError(f"{name}={expression!r} never fires")
    return expression
