"""Where the long-running processes (`lcpg serve`, `lcpg scheduler run`) log: standard error,
one line per event, which a service manager (systemd, a container runtime) collects."""

from __future__ import annotations

import logging
import sys

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_to_stderr() -> None:
    """Send INFO and above to standard error, unless logging is already set up (a test, or
    an embedding program, keeps its own)."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format=LOG_FORMAT, stream=sys.stderr)
