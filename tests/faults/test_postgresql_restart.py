"""PostgreSQL going away under a running `lcpg serve` and coming back: requests that need the
database fail cleanly (503, a short page, logged once without secrets), feeds already built
keep being served, and everything answers again without restarting the server."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.server import fetch, running_server, server_log
from tests.faults.private_postgresql import private_postgresql
from tests.faults.processes import DEMO_DATE, environment, run_lcpg, wait_for

pytestmark = pytest.mark.faults

PASSWORD = "not-for-logs-7f3a"  # trust authentication ignores it; it must never be shown
FEED = "/feeds/lcpg-sevenoaks.ics"
DOWN = " not answering ("
STALE = "serving the feeds built before"
BACK = " answering again"


def test_requests_fail_cleanly_while_postgresql_is_down_and_recover(tmp_path: Path) -> None:
    with private_postgresql() as server:
        env = environment(server.url(PASSWORD))
        loaded = run_lcpg("demo", "--as-of", DEMO_DATE, cwd=tmp_path, env=env)
        assert loaded.returncode == 0, loaded.stderr
        with running_server(tmp_path, env=env) as base:
            log = server_log(tmp_path, base)
            status, headers, feed = fetch(base + FEED)
            assert status == 200 and feed.startswith(b"BEGIN:VCALENDAR")
            assert fetch(base + "/")[0] == 200

            server.stop()
            for _ in range(3):
                status, headers, page = fetch(base + "/")
                assert status == 503, page
                assert headers["Retry-After"] == "30"
                assert b"Traceback" not in page and len(page) < 4000
                assert b"database" in page

            # Feeds already built are served while the database is away: the cache looks for
            # a newer register (every two seconds), finds no database, and keeps what it has.
            def stale_feed_served() -> bool:
                status, _, body = fetch(base + FEED)
                assert status == 200 and body == feed
                return STALE in log.read_text(encoding="utf-8")

            wait_for(stale_feed_served, "the feed cache noticing the outage", timeout=30)

            server.start()
            wait_for(lambda: fetch(base + "/")[0] == 200, "the dashboard answering again")
            assert fetch(base + FEED)[:3:2] == (200, feed)
            wait_for(lambda: BACK in log.read_text(encoding="utf-8"), "recovery logged", 10)

        output = log.read_text(encoding="utf-8")
        assert output.count(DOWN) == 1, output  # once per outage, not once per request
        assert "Traceback" not in output
        assert PASSWORD not in output
