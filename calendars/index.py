"""The page that lists the feeds, with an https and a webcal link for each (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import jinja2


@dataclass(frozen=True)
class FeedLink:
    """One feed on the page: its name, addresses and how many meetings it holds."""

    name: str
    https: str
    webcal: str
    events: int


def feed_link(name: str, base_url: str, file_name: str, events: int) -> FeedLink:
    """The links to ``file_name`` under ``base_url`` (``https://host/feeds``): webcal is the
    same address with the ``webcal`` scheme, which opens the subscribe dialogue."""
    https = f"{base_url.rstrip('/')}/{file_name}"
    _, _, rest = https.partition("://")
    return FeedLink(name, https, f"webcal://{rest}" if rest else https, events)


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("calendars", "templates"),
        autoescape=True,
        keep_trailing_newline=True,
    )


def render_index(title: str, feeds: list[FeedLink]) -> str:
    """The HTML page listing ``feeds``."""
    return _environment().get_template("index.html.j2").render(title=title, feeds=feeds)
