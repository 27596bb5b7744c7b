"""A time limit for code that must finish, not hang: the calendar-bomb tests use it."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


@contextmanager
def within(seconds: int, what: str) -> Iterator[None]:
    """Raise ``TimeoutError`` naming ``what`` in the block when it runs past ``seconds``
    (SIGALRM, so in the main thread on a POSIX system only). A generous limit proves that
    the code stops; how fast it is belongs in ``bench/``."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"{what} ran past {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
