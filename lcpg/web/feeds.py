"""The feeds over HTTP: ``/feeds/<slug>.ics``, ``/feeds/county.ics``, ``/feeds/p/<token>.ics``.

Feeds are built once per change of the register, not per request: ``FeedCache`` reads the
register's version (a value every commit that changes the register replaces) at most every
``CHECK_EVERY`` seconds and rebuilds all public feeds when it changed. Each response carries an
ETag and a Last-Modified derived from the feed's content, and werkzeug answers
``If-None-Match`` / ``If-Modified-Since`` with 304 (and HEAD) for us.

While the database is not answering, the public feeds already built go on being served (they
are what calendar clients poll); personal feeds need the database to check their token.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Blueprint, Flask, abort, request
from werkzeug.wrappers import Response

from calendars.feeds import FeedWriter, content_tag, feed_specs, personal_spec
from calendars.index import feed_link, render_index
from lcpg.bootstrap import App
from lcpg.domain.register import Register
from lcpg.web.app import WebSettings
from lcpg.web.health import UNAVAILABLE, DatabaseHealth

log = logging.getLogger("lcpg.web")

CHECK_EVERY = 2.0  # seconds between looks at the register's version
CACHE_CONTROL = "public, max-age=900"
# A personal feed names people and works only while its token does: no shared cache may keep
# it, and a calendar asks again each time (a 304 while the token lives, a 404 once revoked).
PERSONAL_CACHE_CONTROL = "private, no-cache"


@dataclass(frozen=True)
class BuiltFeed:
    """A feed's bytes, its ETag and the moment its content last changed (UTC)."""

    body: bytes
    etag: str
    last_modified: datetime


class FeedCache:
    """The public feeds of the register's current version, rebuilt when it changes; the
    last ones built while the database is not answering (``health`` hears of the outage)."""

    def __init__(self, app: App, health: DatabaseHealth | None = None) -> None:
        self.app = app
        self.health = health or DatabaseHealth(app.database_name)
        self._stale = False
        self._lock = threading.Lock()
        self._version: str | None = None
        self._checked = 0.0
        self._feeds: dict[str, BuiltFeed] = {}
        self._names: dict[str, str] = {}
        self._personal: dict[tuple[str, str], BuiltFeed] = {}
        self._register: Register | None = None
        self._latest: Mapping[str, datetime] = {}

    def _current(self) -> None:
        now = time.monotonic()
        if now - self._checked < CHECK_EVERY and self._version is not None:
            return
        with self._lock:
            if now - self._checked < CHECK_EVERY and self._version is not None:
                return
            try:
                self._refresh()
            except UNAVAILABLE as error:
                if self._version is None:
                    raise  # nothing built yet to fall back on: the request gets a 503
                self.health.failed(error)
                if not self._stale:
                    log.warning("serving the feeds built before the database stopped answering")
                self._stale = True
            else:
                self._stale = False
            self._checked = now

    def _refresh(self) -> None:
        """Rebuild the feeds if the register's version changed. Needs the lock."""
        from lcpg.services.register import load_register

        with self.app.unit_of_work() as uow:
            version = uow.register.version()
        if version != self._version:
            register = load_register(self.app)
            writer = FeedWriter(register, self.app.blueprint, _now())
            latest = _latest_changes(register)
            feeds = {}
            names = {}
            for spec in feed_specs(register, self.app.blueprint):
                feeds[spec.slug] = _built(
                    writer.render(spec), register, latest, spec.bodies, spec.extra
                )
                names[spec.slug] = spec.name
            self._feeds, self._names, self._register = feeds, names, register
            self._latest = latest
            self._personal = {}
            self._version = version

    def feed(self, slug: str) -> BuiltFeed | None:
        self._current()
        return self._feeds.get(slug)

    def names(self) -> dict[str, str]:
        self._current()
        return dict(self._names)

    def personal(self, email: str) -> BuiltFeed:
        self._current()
        assert self._register is not None and self._version is not None
        key = (self._version, email)
        with self._lock:
            found = self._personal.get(key)
            if found is None:
                register = self._register
                person = next((p for p in register.people if p.email == email), None)
                name = person.name if person else email
                spec = personal_spec(register, email, name, self.app.today())
                writer = FeedWriter(register, self.app.blueprint, _now(), name_chairs=True)
                found = self._personal[key] = _built(
                    writer.render(spec), register, self._latest, spec.bodies, spec.extra
                )
        return found


def _now() -> datetime:
    return datetime.now(tz=UTC)


def _built(
    body: bytes,
    register: Register,
    latest: Mapping[str, datetime],
    bodies: tuple[str, ...],
    extra: frozenset[str],
) -> BuiltFeed:
    """A built feed; ``latest``: each body's latest meeting change (``_latest_changes``)."""
    modified = [latest[b] for b in bodies if b in latest]
    modified += [
        revision.modified
        for meeting_id in extra
        if (revision := register.revisions.get(meeting_id)) is not None and revision.modified
    ]
    # The content's own date: the latest change among its meetings (second precision, as HTTP).
    last = max(modified, default=datetime(2000, 1, 1)).replace(tzinfo=UTC, microsecond=0)
    return BuiltFeed(body, f'"{content_tag(body)}"', last)


def _latest_changes(register: Register) -> dict[str, datetime]:
    """Each body's latest meeting change, worked out once per register (a national register
    has thousands of feeds and a hundred thousand meetings)."""
    latest: dict[str, datetime] = {}
    for meeting in register.meetings:
        revision = register.revisions.get(meeting.id)
        modified = revision.modified if revision is not None else None
        if modified is not None and (meeting.body not in latest or modified > latest[meeting.body]):
            latest[meeting.body] = modified
    return latest


def _respond(feed: BuiltFeed, cache_control: str = CACHE_CONTROL) -> Response:
    response = Response(feed.body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.set_etag(feed.etag.strip('"'))
    response.last_modified = feed.last_modified
    response.headers["Cache-Control"] = cache_control
    return response.make_conditional(request)


def install(flask: Flask, app: App, settings: WebSettings, health: DatabaseHealth) -> None:
    cache = FeedCache(app, health)
    flask.extensions["lcpg_feeds"] = cache
    bp = Blueprint("feeds", __name__)

    @bp.get("/feeds/")
    def index() -> str:
        base = settings.feeds_address  # never the request's Host: anybody can forge it
        names = cache.names()
        links = [
            feed_link(name, base, f"{slug}.ics", cache_events(slug)) for slug, name in names.items()
        ]
        return render_index(f"{app.blueprint.name}: calendar feeds", links)

    def cache_events(slug: str) -> int:
        feed = cache.feed(slug)
        return feed.body.count(b"BEGIN:VEVENT") if feed else 0

    @bp.get("/feeds/<string:slug>.ics")
    def feed(slug: str) -> Response:
        built = cache.feed(slug)
        if built is None:
            abort(404)
        return _respond(built)

    @bp.get("/feeds/p/<string:token>.ics")
    def personal(token: str) -> Response:
        from lcpg.services.tokens import person_for_token

        email = person_for_token(app, token) if len(token) <= 128 else None
        if email is None:
            abort(404)  # unknown and revoked look the same: nothing to learn by guessing
        return _respond(cache.personal(email), PERSONAL_CACHE_CONTROL)

    flask.register_blueprint(bp)
