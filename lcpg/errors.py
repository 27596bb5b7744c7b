"""The one error hierarchy of lcpg.

Every failure a user can cause or meet (bad input, a database that is not set up, a broken
blueprint) is an ``LcpgError``. The command line turns these into a message and exit status 1
in one place (``cli.LcpgGroup``); bad arguments are click's ``UsageError`` (exit status 2).
Anything else is a bug and is allowed to show its traceback.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path


class LcpgError(Exception):
    """Base of every expected failure. ``str(error)`` is the message shown to the user."""


class BlueprintError(LcpgError):
    """A policy file (a blueprint, or the term dates it names) is missing, unreadable or
    inconsistent. ``what`` names the kind of file in the message."""

    def __init__(self, path: Path, problems: Sequence[str], what: str = "blueprint") -> None:
        self.path = path
        self.problems = list(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{what} {path} is not valid:\n{lines}")


class DatabaseError(LcpgError):
    """The database cannot be reached, or its schema is missing or out of date."""


@dataclass(frozen=True)
class InputProblem:
    """One problem with one place in an input file. ``row`` counts the header as row 1."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column {self.column!r}"
        return f"{where}: {self.message}"


class InputError(LcpgError):
    """An input (workbook, CSV folder, calendar file) has problems; nothing was written."""

    def __init__(self, source: str, problems: Sequence[InputProblem]) -> None:
        self.source = source
        self.problems = list(problems)
        count = len(self.problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(
            f"{source}: {count} problem{'s' if count != 1 else ''}, nothing was imported:\n{lines}"
        )


class OutputError(LcpgError):
    """A file or folder lcpg was asked to write cannot be written."""


class NotFoundError(LcpgError):
    """A named thing (body, person, meeting) is not in the register."""

    @classmethod
    def body(cls, slug: str, known: Iterable[str]) -> NotFoundError:
        """No body ``slug``; the message lists the ``known`` slugs to choose from."""
        return cls(f"no body {slug!r} in the register (known bodies: {', '.join(known)})")
