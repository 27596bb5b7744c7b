"""The services talk to the store only through the unit of work's repositories: no service
imports SQLAlchemy (its exceptions aside) or the store's tables, or reaches for a session."""

from __future__ import annotations

import ast
from pathlib import Path

import lcpg.services

SERVICES = Path(lcpg.services.__file__).parent


def _offences(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            for name in names:
                sql = name.startswith("sqlalchemy") and not name.startswith("sqlalchemy.exc")
                if sql or name in ("lcpg.store.schema", "lcpg.store.version"):
                    found.append(f"{path.name}:{node.lineno} imports {name}")
        if isinstance(node, ast.Attribute) and node.attr == "session":
            found.append(f"{path.name}:{node.lineno} uses .session")
    return found


def test_services_use_repositories_only() -> None:
    offences = [o for path in sorted(SERVICES.glob("*.py")) for o in _offences(path)]
    assert offences == []


def test_the_check_finds_an_offence(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from sqlalchemy import select\nfrom sqlalchemy.exc import OperationalError\n"
        "def f(uow):\n    return uow.session.scalars(select(1))\n",
        encoding="utf-8",
    )
    assert _offences(bad) == ["bad.py:1 imports sqlalchemy", "bad.py:4 uses .session"]
