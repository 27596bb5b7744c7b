"""Writing a file atomically: whole or not at all, readable as any file the user writes; and
reading an input file in bounded memory (``read_limited``).

A reader (a calendar app fetching a feed, a web server, Outlook opening an ``.eml``) never sees
a half-written file: the content goes to a temporary file beside the target, which is renamed
over it. The temporary name is our own rather than ``tempfile``'s, because ``tempfile`` makes
files readable by their owner only, and the rename would carry that over (an exported feed
a web server could not read).
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path


def replace_atomically(target: Path, write: Callable[[Path], None]) -> None:
    """Write ``target`` through ``write(temporary)`` and rename it into place, creating the
    folder if needed. On failure the temporary file is removed, ``target`` is untouched and
    the error (an ``OSError`` for the file system) is raised."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    try:
        write(temporary)
        temporary.replace(target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_atomically(target: Path, data: bytes) -> None:
    """``data`` as the whole of ``target``; see ``replace_atomically``."""

    def write(temporary: Path) -> None:
        temporary.write_bytes(data)

    replace_atomically(target, write)


class NotARegularFile(OSError):
    """The path names something other than a file (a device, a pipe, a socket)."""


class TooLarge(OSError):
    """The file holds more than the reader's limit; ``size`` is how many bytes it has (when the
    file system tells), else at least the limit and one."""

    def __init__(self, size: int) -> None:
        super().__init__(f"{size} bytes")
        self.size = size


def read_limited(path: Path, limit: int) -> bytes:
    """The whole of the regular file at ``path``, at most ``limit`` bytes of it.

    Raises ``TooLarge`` for a longer file after reading at most ``limit`` + 1 bytes (so a
    sparse file of terabytes costs no more than the limit), ``NotARegularFile`` for a device
    (``/dev/zero`` never ends), a pipe (opening one waits for a writer, so it is opened
    without waiting and refused) or a socket, ``IsADirectoryError`` for a folder and any other
    ``OSError`` as raised.
    """
    # O_NONBLOCK: opening a pipe would otherwise wait for a writer (POSIX only; Windows has
    # neither the flag nor such pipes in its file system).
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    with os.fdopen(descriptor, "rb") as stream:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(mode):
            raise NotARegularFile(f"{path} is not a regular file")
        size = os.fstat(descriptor).st_size
        if size > limit:
            raise TooLarge(size)
        data = stream.read(limit + 1)
    if len(data) > limit:  # it grew after it was measured
        raise TooLarge(len(data))
    return data
