"""Writing a file atomically: whole or not at all, readable as any file the user writes.

A reader (a calendar app fetching a feed, a web server, Outlook opening an ``.eml``) never sees
a half-written file: the content goes to a temporary file beside the target, which is renamed
over it. The temporary name is our own rather than ``tempfile``'s, because ``tempfile`` makes
files readable by their owner only, and the rename would carry that over (an exported feed
a web server could not read).
"""

from __future__ import annotations

import secrets
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
