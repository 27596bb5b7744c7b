"""School term-date files: one TOML file per academic year, read by ``domain.terms``.

``kent-2017-18.toml`` to ``kent-2019-20.toml`` hold Kent County Council's published dates for its
community and voluntary controlled schools; each file's header comment names its sources. Add a
year, or another county, by writing a file of the same form.
"""

from pathlib import Path

KENT_TERM_FILES: tuple[Path, ...] = tuple(sorted(Path(__file__).parent.glob("kent-*.toml")))
"""The shipped Kent term-date files, oldest first."""
