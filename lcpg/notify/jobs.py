"""The scheduler's jobs: the weekly compliance e-mails and the nightly feed export.

APScheduler 3 stores a job as a reference to its function (``lcpg.notify.jobs:weekly_send``) and
its arguments, pickled into the job store. So these functions stay at these import paths, take
only strings, and wire their own ``App`` on each run: a renamed function or an argument that
does not pickle would strand the jobs already stored in a database.

The database is not among those arguments: its URL may carry a password, and the job store
is a table anyone who can read the register can read. The jobs run inside the scheduler
process, which knows its database (``use_database``, called by ``build_scheduler``); the
stored jobs hold only the blueprint path and where the feeds go.

Each run logs what it did to the ``lcpg.scheduler`` logger. A run that fails logs why and
raises again, so that APScheduler records the failure (and logs the traceback) too.
"""

from __future__ import annotations

import logging
from pathlib import Path

from lcpg.bootstrap import App, Settings
from lcpg.errors import LcpgError

log = logging.getLogger("lcpg.scheduler")

# The scheduler process's database: one scheduler per process, in memory only.
_database_url: str | None = None


def use_database(database_url: str) -> None:
    """Run this process's jobs against ``database_url`` (kept in memory, never stored)."""
    global _database_url
    _database_url = database_url


def _app(blueprint_path: str) -> App:
    if _database_url is None:
        raise LcpgError(
            "the scheduler's jobs run inside `lcpg scheduler run`, which names their database"
        )
    return App(Settings.resolve(database_url=_database_url, blueprint_path=blueprint_path))


def weekly_send(blueprint_path: str) -> None:
    """Send this week's compliance e-mails (``lcpg.services.email.send_week``), and what earlier
    runs left unsent in the weeks before (its catch-up: pending messages and stale claims,
    such as a killed run's).

    Sending is idempotent per week and recipient, so a second run in the same week, or a
    second scheduler started by mistake, sends only what is still pending. Raises the
    ``LcpgError`` of a run that left messages pending or could not run at all.
    """
    from lcpg.services.email import send_week

    app = _app(blueprint_path)
    try:
        result = send_week(app, None, app.today())
    except LcpgError as exc:
        log.error("weekly send failed: %s", exc)
        raise
    finally:
        app.close()
    log.info(
        "weekly send for %s: %d sent (%d of earlier weeks), %d pending, %d already sent, "
        "%d failed (%s)",
        result.week,
        result.sent,
        result.earlier_sent,
        result.pending,
        result.already_sent,
        len(result.errors),
        result.destination,
    )


def nightly_feeds(blueprint_path: str, out_dir: str, base_url: str) -> None:
    """Write every calendar feed into ``out_dir`` (``lcpg.services.feeds.export_feeds``), linked
    from ``base_url``. Raises the ``LcpgError`` of a failed export."""
    from lcpg.services.feeds import export_feeds

    app = _app(blueprint_path)
    try:
        feeds = export_feeds(app, Path(out_dir), base_url)
    except LcpgError as exc:
        log.error("nightly feed export failed: %s", exc)
        raise
    finally:
        app.close()
    events = sum(feed.events for feed in feeds)
    log.info("nightly feed export: %d feeds, %d events, into %s", len(feeds), events, out_dir)
