"""The dashboard: ``/`` (every district against the rules, the year at a glance, the feeds)
and ``/districts/<slug>`` (one district's findings, roles, members and meetings).

Server-rendered HTML with no JavaScript and no external resources. Every view asks for the
login when the server requires one (``auth.login_required``): the district pages name members.
The pages' data comes from ``lcpg.services.dashboard`` as of ``App.today()``; formatting is here
and in the templates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import Blueprint, Flask, abort, render_template
from markupsafe import Markup

from lcpg.bootstrap import App
from lcpg.domain.wording import hours, long_weekday_date, plural, short_weekday_date
from lcpg.errors import NotFoundError
from lcpg.services.dashboard import FeedEntry
from lcpg.web import auth
from lcpg.web.app import WebSettings
from rules.reporters.wording import SEVERITY_LABELS


@dataclass(frozen=True)
class FeedLink:
    """A feed with its two subscription addresses: ``https`` (the feed's web address, which
    Outlook and Google take "from URL") and ``webcal`` (the same address, which opens the
    calendar app to subscribe)."""

    slug: str
    name: str
    description: str
    https: str
    webcal: str


def feed_links(feeds: Iterable[FeedEntry], settings: WebSettings) -> list[FeedLink]:
    """Subscription links for ``feeds`` under ``settings.feeds_address`` (the feeds' public
    address, or where ``lcpg serve`` listens): never from the request's ``Host``, which anybody
    can forge."""
    links = []
    for feed in feeds:
        address = f"{settings.feeds_address}/{feed.slug}.ics"
        webcal = "webcal://" + address.split("://", 1)[-1]
        links.append(FeedLink(feed.slug, feed.name, feed.description, address, webcal))
    return links


FORMATTERS: dict[str, Callable[..., str]] = {
    "long_day": long_weekday_date,  # Sunday 22 November 2026
    "short_day": short_weekday_date,  # Wed 2 Dec 2026
    "span": hours,  # 13:30–15:30
    "plural": plural,  # 1 warning, 2 warnings
    "severity_word": SEVERITY_LABELS.__getitem__,  # Error
}
"""The wording the templates use (``lcpg.domain.wording``, ``rules.reporters.wording``)."""


def install(flask: Flask, app: App, settings: WebSettings) -> None:
    """Register the ``dashboard`` Blueprint (``index`` at ``/``, ``district`` at
    ``/districts/<slug>``) on ``flask``."""
    from lcpg.services.dashboard import district_page, overview

    bp = Blueprint("dashboard", __name__)

    @bp.get("/")
    @auth.login_required
    def index() -> str:
        data = overview(app, app.today())
        return render_template(
            "dashboard.html.j2",
            overview=data,
            # Drawn by yearview.render, which escapes every text it writes into the SVG.
            year_svg=Markup(data.year_svg),
            feeds=feed_links(data.feeds, settings),
            **FORMATTERS,
        )

    @bp.get("/districts/<string:slug>")
    @auth.login_required
    def district(slug: str) -> str:
        try:
            page = district_page(app, slug, app.today())
        except NotFoundError:
            # A fixed text: the error page must never echo what was typed into the address.
            abort(404, description="There is no district at this address.")
        feeds = feed_links([page.feed], settings) if page.feed is not None else []
        return render_template("district.html.j2", page=page, feeds=feeds, **FORMATTERS)

    flask.register_blueprint(bp)
