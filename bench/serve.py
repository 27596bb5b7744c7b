"""Serving feeds (issue 6's target): conditional GETs of a district feed from 32 concurrent
clients (wrk, a separate process, on loopback) answered at least 1,000 times a second with a
99th percentile under 100 ms; and, in the same run, the ratio to nginx serving the same
exported file. Needs Debian's wrk and nginx (`apt-get install wrk nginx-light`)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.results import Result
from tests.e2e.server import free_port, lcpg_command, running_server

FEED = "lcpg-gravesham.ics"
CONNECTIONS = 32
SECONDS = 10

NGINX_CONF = """
daemon off;
worker_processes 2;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    types {{ text/calendar ics; }}
    server {{
        listen 127.0.0.1:{port};
        root {feeds};
        location /feeds/ {{ alias {feeds}/; }}
    }}
}}
"""


def _wrk(url: str, etag: str) -> tuple[float, float]:
    """Responses a second and the 99th percentile latency (ms) of conditional GETs of url."""
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{SECONDS}s",
            "--latency",
            "-H",
            f"If-None-Match: {etag}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])  # type: ignore[index]
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    return rate, p99


def _etag(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.headers["ETag"])


def run() -> list[Result]:
    if not (shutil.which("wrk") and shutil.which("nginx")):
        sys.stderr.write("bench/serve: wrk or nginx missing (apt-get install wrk nginx-light)\n")
        return []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        subprocess.run(
            [lcpg_command(), "demo", "--as-of", "2026-11-22"],
            cwd=folder,
            check=True,
            capture_output=True,
        )
        feeds = folder / "lcpg-demo" / "feeds"
        # nginx's workers run as an unprivileged user: open the temporary folders to them
        # (the exported feeds themselves are written readable, as any file the user writes).
        for path in (folder, folder / "lcpg-demo", feeds):
            path.chmod(0o755)
        port = free_port()
        conf = folder / "nginx.conf"
        conf.write_text(NGINX_CONF.format(folder=folder, port=port, feeds=feeds), encoding="utf-8")
        nginx = subprocess.Popen(
            ["nginx", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            time.sleep(0.5)
            static_url = f"http://127.0.0.1:{port}/feeds/{FEED}"
            static_rate, static_p99 = _wrk(static_url, _etag(static_url))
        finally:
            nginx.terminate()
            nginx.wait(timeout=10)
        with running_server(folder) as base:
            url = f"{base}/feeds/{FEED}"
            rate, p99 = _wrk(url, _etag(url))
    ratio = f"{rate / static_rate:.2f} of nginx's {static_rate:,.0f}/s (p99 {static_p99:.1f} ms)"
    return [
        Result(
            f"serve: conditional GETs of a feed, {CONNECTIONS} clients (seconds per 1,000)",
            1000 / rate,
            1.0,
            1,
            f"{rate:,.0f} responses a second; {ratio}",
        ),
        Result(
            f"serve: p99 latency, {CONNECTIONS} clients (s)",
            p99 / 1000,
            0.1,
            1,
            f"{p99:.1f} ms",
        ),
    ]
