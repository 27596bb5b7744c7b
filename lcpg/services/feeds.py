"""``lcpg ics export``: write every feed, the county feed and the page that lists them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from lcpg.bootstrap import App
from lcpg.errors import OutputError
from lcpg.files import write_atomically


@dataclass(frozen=True)
class ExportedFeed:
    path: Path
    name: str
    events: int


def export_feeds(app: App, out: Path, base_url: str) -> list[ExportedFeed]:
    """Write ``<body-slug>.ics`` for each body, ``county.ics`` and ``index.html`` into ``out``;
    ``index.html`` links to each feed under ``base_url`` (``lcpg.services.public_url``'s
    ``PublicUrls.feeds``, unless the user gave another).

    Each file is written beside its target and renamed over it, so a subscriber never reads a
    half-written feed. Raises ``OutputError`` when ``out`` cannot be written.
    """
    from calendars.feeds import FeedWriter, feed_specs
    from calendars.index import feed_link, render_index
    from lcpg.services.register import load_register

    register = load_register(app, attendance=False)
    now = app.utc_now().replace(tzinfo=UTC)
    exported: list[ExportedFeed] = []
    links = []
    writer = FeedWriter(register, app.blueprint, now)
    for spec in feed_specs(register, app.blueprint):
        feed = writer.render(spec)
        path = out / f"{spec.slug}.ics"
        events = feed.count(b"BEGIN:VEVENT")
        _write_atomically(path, feed)
        exported.append(ExportedFeed(path, spec.name, events))
        links.append(feed_link(spec.name, base_url, path.name, events))
    index = render_index(f"{app.blueprint.name}: calendar feeds", links)
    _write_atomically(out / "index.html", index.encode("utf-8"))
    return exported


def _write_atomically(path: Path, data: bytes) -> None:
    try:
        write_atomically(path, data)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
