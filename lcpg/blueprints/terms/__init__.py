"""School term-date files: one TOML file per academic year, read by ``lcpg.domain.terms``.

``kent-2017-18.toml`` to ``kent-2019-20.toml`` and ``kent-2024-25.toml`` to ``kent-2026-27.toml``
hold Kent County Council's published dates for its community and voluntary controlled schools;
each file's header comment names its sources (the pages read, with their addresses) and how sure
they are. 2026/27 is of medium confidence: no page of KCC's own could be read, and its dates come
from schools' pages that agree once their INSET days are allowed for.

Not shipped, because no two sources for them could be read (and no date is extrapolated):
2020/21, 2021/22, 2022/23, 2023/24, and 2027/28 onwards. A plan for days no term dates cover
lists it as a problem; the team imports the missing years with ``lcpg terms import FILE``
(kept in the database, replacing a shipped year of the same label). Add a year, or another
county, by writing a file of the same form and naming it in the blueprint's ``term_dates``.
"""

from pathlib import Path

KENT_TERM_FILES: tuple[Path, ...] = tuple(sorted(Path(__file__).parent.glob("kent-*.toml")))
"""The shipped Kent term-date files, oldest first."""
