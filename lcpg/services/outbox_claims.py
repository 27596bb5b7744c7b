"""Who is sending an outbox message, and when a claim left behind may be taken over.

``lcpg email send`` claims each message just before it delivers it and marks it sent just
after (``lcpg.services.email``). The claim records its process (``ClaimOwner``: host, process id
and when that process started). A run that finds a message still ``sending`` takes it over
when the claim is stale (``is_stale``):

- the claim is older than ``CLAIM_TIMEOUT`` (ten minutes), whoever made it: delivering one
  message takes a few SMTP steps of at most ``lcpg.notify.transport.TIMEOUT`` (20 s) each, so a
  claim that old belongs to a run that has stopped or hung; or
- it was made on this host by a process that is no longer running, or whose process id now
  belongs to a process started later (ids are reused): a run killed mid-send (``kill -9``, a
  power cut of the container) is noticed at once, not after a timeout.

A claim made on another host (or in another container: the host includes the process-id
namespace) is judged by its age alone, since its process cannot be seen from here; so is a
claim made before claims named their process (schema revision 0008).

Taking a claim over may send a message twice if the server accepted it just before its
process died; the copy carries the same Message-ID (``lcpg.notify.mime.message_id``), so mail
clients show it once.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Final

__all__ = ["CLAIM_TIMEOUT", "ClaimOwner", "is_stale", "running", "this_process"]

CLAIM_TIMEOUT: Final = timedelta(minutes=10)

_PROC: Final = Path("/proc")


@dataclass(frozen=True)
class ClaimOwner:
    """A process, as a claim records it: ``pid@host#started``. ``started`` tells a process
    from a later one given the same id (on Linux the boot and the start tick; else empty)."""

    host: str
    pid: int
    started: str

    def __str__(self) -> str:
        return f"{self.pid}@{self.host}#{self.started}"

    @classmethod
    def parse(cls, text: str | None) -> ClaimOwner | None:
        """The owner written by ``str``, or None (no owner recorded, or not in that form)."""
        if not text:
            return None
        pid, at, rest = text.partition("@")
        host, hash_, started = rest.rpartition("#")
        if not (at and hash_ and pid.isdigit() and host):
            return None
        return cls(host, int(pid), started)


def _host() -> str:
    name = socket.gethostname()
    try:  # containers on one machine share its boot but not their process ids
        return f"{name}/{(_PROC / 'self' / 'ns' / 'pid').readlink()}"
    except OSError:
        return name


def _started(pid: int) -> str | None:
    """When process ``pid`` started (boot id and start tick), "" when this system cannot say,
    None when there is no such process."""
    if not _PROC.joinpath("self", "stat").exists():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass  # it exists, as another user's
        return ""
    try:
        stat = (_PROC / str(pid) / "stat").read_text(encoding="ascii", errors="replace")
        boot = (_PROC / "sys" / "kernel" / "random" / "boot_id").read_text().strip()
    except FileNotFoundError:
        return None
    except OSError:
        return ""
    # Field 22, counted after the command name (which may hold spaces and parentheses).
    fields = stat.rpartition(")")[2].split()
    return f"{boot}:{fields[19]}" if len(fields) > 19 else ""


def this_process() -> ClaimOwner:
    """The running process, as its claims record it."""
    pid = os.getpid()
    return ClaimOwner(_host(), pid, _started(pid) or "")


def running(owner: ClaimOwner) -> bool:
    """Whether ``owner`` (a process on this host) is still running."""
    started = _started(owner.pid)
    if started is None:
        return False
    # When either start is unknown, the process id alone has to do.
    return started == owner.started or not started or not owner.started


def is_stale(
    claimed_by: str | None,
    claimed_at: datetime | None,
    now: datetime,
    here: str,
    alive: Callable[[ClaimOwner], bool] = running,
) -> bool:
    """Whether a claim made by ``claimed_by`` at ``claimed_at`` may be taken over at ``now``
    by a process on host ``here`` (``this_process().host``): older than ``CLAIM_TIMEOUT``, or
    made on ``here`` by a process that is not ``alive``."""
    if claimed_at is None or claimed_at <= now - CLAIM_TIMEOUT:
        return True
    owner = ClaimOwner.parse(claimed_by)
    if owner is None or owner.host != here:
        return False
    return not alive(owner)
