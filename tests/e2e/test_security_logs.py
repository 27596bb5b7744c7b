"""Threat: secrets in messages and logs (SECURITY.md), with the real commands.

Every command a deployment runs (demo, import, export, check, feeds token, serve, email send,
scheduler run and status) is run as a user runs it, with a database URL, an SMTP URL, a
dashboard password and a session key that all carry secrets, along the happy path and the
error paths (a database that refuses connections, a malformed URL, an SMTP server that
refuses the login or is not there). Nothing they print or log holds a password, the session
key or a personal feed token (but `feeds token create`, whose output is the feed address).

The database password is in the URL only on PostgreSQL (SQLite URLs have no password); the
error paths use a PostgreSQL URL with a password on every backend, since nothing needs to
answer it.
"""

from __future__ import annotations

import re
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.e2e.server import fetch, free_port, lcpg_command, running_server
from tests.e2e.test_scheduler_process import (
    RUN_ENDED,
    environment,
    far_cron,
    running_scheduler,
    stop,
)
from tests.integration.test_transports import Authenticating, authenticating_server, tls_authority

DB_PASSWORD = "Db-Pa55word-e2e"
SMTP_PASSWORD = "Smtp-Pa55word-e2e"
DASHBOARD_PASSWORD = "Dash-Pa55word-e2e"
SECRET_KEY = "Session-Key-e2e-0123456789abcdef"
SECRETS = (DB_PASSWORD, SMTP_PASSWORD, DASHBOARD_PASSWORD, SECRET_KEY)
DEMO_AS_OF = "2026-11-22"  # ISO week 2026-W47
UNSENT_WEEKS = ("2026-W45", "2026-W46")


class Outputs:
    """Everything the commands printed or logged, by what produced it."""

    def __init__(self) -> None:
        self.texts: list[tuple[str, str]] = []

    def add(self, label: str, text: str) -> None:
        self.texts.append((label, text))

    def assert_clean(self, *more: str) -> None:
        for label, text in self.texts:
            for secret in (*SECRETS, *more):
                assert secret not in text, f"{label} shows a secret:\n{text}"


@pytest.fixture
def smtp(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """An SMTP server with STARTTLS and AUTH (password ``SMTP_PASSWORD``); its port, and the
    certificate authority file that lets lcpg trust it (``SSL_CERT_FILE``)."""
    authority, server_context = tls_authority()
    ca_file = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    controller = authenticating_server(Authenticating(), server_context, SMTP_PASSWORD)
    yield controller.port, ca_file
    controller.stop()


def with_password(url: str) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return url
    return parsed.set(password=DB_PASSWORD).render_as_string(hide_password=False)


def run(folder: Path, env: dict[str, str], *args: str, outputs: Outputs) -> str:
    result = subprocess.run(
        [lcpg_command(), *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    outputs.add(f"lcpg {' '.join(args)}", result.stdout + result.stderr)
    return f"{result.returncode}\n{result.stdout}{result.stderr}"


def get(url: str) -> int:
    return fetch(url)[0]


def test_no_command_shows_a_secret(
    database_url: str,
    tmp_path: Path,
    smtp: tuple[int, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    smtp_port, ca_file = smtp
    folder = tmp_path / "deployment"
    folder.mkdir()
    outputs = Outputs()
    url = with_password(database_url)
    env = environment(folder, far_cron(12))
    env.update(
        LCPG_DATABASE_URL=url,
        LCPG_DASHBOARD_PASSWORD=DASHBOARD_PASSWORD,
        LCPG_SECRET_KEY=SECRET_KEY,
        LCPG_SMTP_URL=f"smtp://lcpg:{SMTP_PASSWORD}@127.0.0.1:{smtp_port}",
        SSL_CERT_FILE=str(ca_file),
    )

    # The happy path.
    assert run(folder, env, "demo", "--as-of", DEMO_AS_OF, outputs=outputs).startswith("0")
    assert run(folder, env, "export", "register.xlsx", outputs=outputs).startswith("0")
    assert run(folder, env, "import", "register.xlsx", outputs=outputs).startswith("0")
    assert run(folder, env, "check", "--format", "json", outputs=outputs)[0] in "01"
    members = run(
        folder,
        env,
        "members",
        "list",
        "--body",
        "lcpg-maidstone",
        "--format",
        "json",
        outputs=outputs,
    )
    email = re.search(r'"email": "([^"]+)"', members)
    assert email, members
    created = subprocess.run(
        [lcpg_command(), "feeds", "token", "create", email[1]],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert created.returncode == 0, created.stderr
    token_match = re.search(r"/feeds/p/([A-Za-z0-9_-]{40,})\.ics", created.stdout)
    assert token_match
    token = token_match[1]
    run(folder, env, "feeds", "token", "list", outputs=outputs)
    assert run(folder, env, "email", "send", outputs=outputs).startswith("0")

    # The web server, bound beyond this machine so that the login is in play.
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with running_server(folder, "--host", "0.0.0.0") as base:
        assert get(f"{base}/feeds/p/{token}.ics") == 200
        assert get(f"{base}/feeds/p/{token[:-2]}xx.ics") == 404
        assert get(f"{base}/") in (200, 302)
        assert get(f"{base}/login?next=/feeds/p/{token}.ics") == 200
        request = urllib.request.Request(
            f"{base}/login", data=f"password={DASHBOARD_PASSWORD}".encode(), method="POST"
        )
        try:
            urllib.request.urlopen(request, timeout=20)
        except urllib.error.HTTPError as error:
            assert error.code == 400  # no CSRF token: refused, and not logged with the password
    for log in folder.glob("serve-*.log"):
        outputs.add(log.name, log.read_text(encoding="utf-8"))

    # The scheduler, with a weekly send due at once (sent through the SMTP server).
    from lcpg.notify.scheduler import WEEKLY_SEND, ScheduleSettings, build_scheduler

    earlier = build_scheduler(
        url,
        "unused",
        ScheduleSettings(
            weekly_cron=env["LCPG_WEEKLY_CRON"], nightly_cron=env["LCPG_NIGHTLY_CRON"]
        ),
    )
    earlier.start(paused=True)
    earlier.modify_job(WEEKLY_SEND, next_run_time=datetime.now(UTC) - timedelta(minutes=5))
    earlier.shutdown()
    with running_scheduler(folder, env) as (process, log):
        deadline = datetime.now(UTC) + timedelta(seconds=60)
        while not any(done in log.read_text(encoding="utf-8") for done in RUN_ENDED):
            assert datetime.now(UTC) < deadline, log.read_text(encoding="utf-8")
        outputs.add("scheduler run", stop(process, log))
    run(folder, env, "scheduler", "status", outputs=outputs)

    # The error paths.
    refused = f"postgresql+psycopg://lcpg:{DB_PASSWORD}@127.0.0.1:{free_port()}/lcpg"
    for command in (("check",), ("init",), ("email", "send"), ("scheduler", "status")):
        assert run(folder, env, "--db", refused, *command, outputs=outputs).startswith("1")
    serve = run(folder, env, "--db", refused, "serve", "--port", str(free_port()), outputs=outputs)
    assert serve.startswith("1")
    scheduler = run(folder, env, "--db", refused, "scheduler", "run", outputs=outputs)
    assert scheduler.startswith("1")
    for malformed in (
        f"lcpg:{DB_PASSWORD}@db.example.org/lcpg",
        f"postgresql+psycopg://lcpg:{DB_PASSWORD}@db.example.org:port/lcpg",
    ):
        assert run(folder, env, "--db", malformed, "check", outputs=outputs).startswith("1")
    # Weeks before the demo's as-of date: the happy path and the scheduler above send the
    # current week by the real clock, so on any day after the demo these are still unsent.
    wrong = {**env, "LCPG_SMTP_URL": f"smtp://lcpg:not-{SMTP_PASSWORD[::-1]}@127.0.0.1:{smtp_port}"}
    assert run(folder, wrong, "email", "send", "--week", UNSENT_WEEKS[0], outputs=outputs)[0] == "1"
    away = {**env, "LCPG_SMTP_URL": f"smtp://lcpg:{SMTP_PASSWORD}@127.0.0.1:{free_port()}"}
    assert run(folder, away, "email", "send", "--week", UNSENT_WEEKS[1], outputs=outputs)[0] == "1"

    outputs.assert_clean(token)
    # Every failure is a message, not a traceback (which could print anything).
    assert [label for label, text in outputs.texts if "Traceback" in text] == []
    every = "\n".join(text for _, text in outputs.texts)
    assert "***" in every  # the URLs were shown, with the password hidden
