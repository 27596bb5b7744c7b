"""Control characters: bytes of a file that are not text, refused wherever text comes in.

A NUL, a vertical tab or an escape character in a name or a venue is never meant: it comes
from a damaged file or a paste from another program. It is invisible on screen, PostgreSQL
cannot store a NUL, and an ``.xlsx`` workbook can hold none of them, so a register holding
one could be neither saved nor exported. Tab, line feed and carriage return are text.
"""

from __future__ import annotations

import re
from typing import Final

_CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def control_character(text: str) -> str | None:
    """The first control character in ``text`` (as ``U+000B``), or None when it has none."""
    found = _CONTROL.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"
