"""Reading policy files (blueprints, term dates): TOML in, validated frozen records out.

Both loaders read a file with ``read_toml`` and check its shape with ``validate``; each then
checks its own cross-references. Every problem is reported with the key that is wrong
(``districts[4].slug: required key is missing``), lists counted from 1 as a reader counts the
tables in the file, all problems of a file together, as one ``BlueprintError``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, TypeVar

from lcpg.errors import BlueprintError

T = TypeVar("T")


def read_toml(path: Path, what: str = "blueprint") -> dict[str, Any]:
    """The TOML document at ``path``. Raises ``BlueprintError`` (naming the file as ``what``)
    when the file is missing, is not UTF-8 text or is not TOML."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problem = "file not found"
    except UnicodeDecodeError as exc:
        problem = f"not UTF-8 text ({exc.reason} at byte {exc.start})"
    except tomllib.TOMLDecodeError as exc:
        problem = f"not valid TOML: {exc}"
    raise BlueprintError(path, [problem], what)


def validate(kind: type[T], raw: dict[str, Any], path: Path, what: str = "blueprint") -> T:
    """``raw`` as a ``kind`` record (a dataclass pydantic can validate). Raises ``BlueprintError``
    with one problem per wrong, missing or unknown key."""
    from pydantic import TypeAdapter, ValidationError

    try:
        return TypeAdapter(kind).validate_python(raw)
    except ValidationError as exc:
        problems = [f"{key_path(err['loc'])}: {_message(err)}" for err in exc.errors()]
    raise BlueprintError(path, problems, what)


def key_path(loc: tuple[int | str, ...]) -> str:
    """A pydantic error location as the file's reader would write it: ``terms[3].end``."""
    text = ""
    for part in loc:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def _message(err: Any) -> str:
    kind = err["type"]
    if kind == "missing":
        return "required key is missing"
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        return "unknown key (check the spelling)"
    if kind == "date_type":
        return "must be a date like 2017-09-04, written without quotes"
    return str(err["msg"]).lower()
