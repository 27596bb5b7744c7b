"""``lcpg.services.public_url``: one address for every link, where it comes from, and which
addresses only this machine can open."""

from __future__ import annotations

import pytest

from lcpg.errors import LcpgError
from lcpg.services.public_url import (
    DEFAULT_FEEDS_URL,
    DEFAULT_PUBLIC_URL,
    check_url,
    is_local,
    public_urls,
)


def test_the_default_is_this_machine_and_says_so() -> None:
    urls = public_urls(None, {})
    assert (urls.base, urls.dashboard, urls.feeds) == (
        "http://127.0.0.1:8080/",
        "http://127.0.0.1:8080/",
        "http://127.0.0.1:8080/feeds",
    )
    assert (urls.base, urls.feeds) == (DEFAULT_PUBLIC_URL, DEFAULT_FEEDS_URL)
    assert not urls.configured
    assert urls.local == ("http://127.0.0.1:8080/", "http://127.0.0.1:8080/feeds")


def test_everything_follows_the_public_url() -> None:
    urls = public_urls(None, {"LCPG_PUBLIC_URL": " https://lcpg.example.org "})
    assert urls.dashboard == "https://lcpg.example.org/"
    assert urls.feeds == "https://lcpg.example.org/feeds"
    assert urls.personal_feed("abc") == "https://lcpg.example.org/feeds/p/abc.ics"
    assert urls.configured and urls.local == ()
    under = public_urls(None, {"LCPG_PUBLIC_URL": "https://council.example.org/lcpg"})
    assert under.feeds == "https://council.example.org/lcpg/feeds"


def test_the_environment_wins_over_the_database_which_wins_over_the_default() -> None:
    stored = "https://stored.example.org/"
    assert public_urls(stored, {}).base == stored
    assert "database" in public_urls(stored, {}).source
    given = public_urls(stored, {"LCPG_PUBLIC_URL": "https://env.example.org/"})
    assert (given.base, given.source) == ("https://env.example.org/", "LCPG_PUBLIC_URL")
    assert public_urls(stored, {"LCPG_PUBLIC_URL": ""}).base == stored  # empty: unset


def test_feeds_published_elsewhere_override_the_feeds_only() -> None:
    urls = public_urls(
        None,
        {
            "LCPG_PUBLIC_URL": "https://lcpg.example.org/",
            "LCPG_FEEDS_URL": "https://cdn.example.org/kent/",
        },
    )
    assert urls.dashboard == "https://lcpg.example.org/"
    assert urls.feeds == "https://cdn.example.org/kent"
    assert urls.personal_feed("t") == "https://cdn.example.org/kent/p/t.ics"
    # Feeds elsewhere but the dashboard on this machine: the dashboard link is still local.
    alone = public_urls(None, {"LCPG_FEEDS_URL": "https://cdn.example.org/kent"})
    assert alone.local == ("http://127.0.0.1:8080/",)


@pytest.mark.parametrize(
    "value",
    [
        "lcpg.example.org",
        "ftp://lcpg.example.org/",
        "https://",
        "https:///feeds",
        "https://user:secret@lcpg.example.org/",
        "https://lcpg.example.org/?x=1",
        "https://lcpg.example.org:port/",
        "http://[::1/",
    ],
)
def test_a_bad_address_is_refused_naming_the_setting(value: str) -> None:
    with pytest.raises(LcpgError, match=r"^LCPG_PUBLIC_URL: .* is not a web address"):
        public_urls(None, {"LCPG_PUBLIC_URL": value})
    with pytest.raises(LcpgError, match=r"^LCPG_FEEDS_URL: "):
        public_urls(None, {"LCPG_FEEDS_URL": value})
    with pytest.raises(LcpgError, match=r"^public_url in the database"):
        public_urls(value, {})
    with pytest.raises(LcpgError, match=r"^--public-url: "):
        check_url(value, "--public-url")


def test_the_retired_dashboard_variable_is_refused_naming_its_successor() -> None:
    with pytest.raises(
        LcpgError, match="LCPG_DASHBOARD_URL is no longer read: set LCPG_PUBLIC_URL"
    ):
        public_urls(None, {"LCPG_DASHBOARD_URL": "https://lcpg.example.org/"})


def test_the_dashboard_links_to_the_public_feeds_only_when_told_where_they_are() -> None:
    from lcpg.services.web import web_settings

    # Unconfigured, the dashboard links to the feeds at the address the browser used.
    assert web_settings(False, {}).feeds_url is None
    public = web_settings(
        False, {"LCPG_PUBLIC_URL": "https://lcpg.example.org/", "LCPG_DASHBOARD_PASSWORD": "pw"}
    )
    assert public.feeds_url == "https://lcpg.example.org/feeds"
    elsewhere = web_settings(False, {"LCPG_FEEDS_URL": "https://cdn.example.org/kent/"})
    assert elsewhere.feeds_url == "https://cdn.example.org/kent"


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://127.0.0.1:8080/", True),
        ("http://127.1.2.3/", True),
        ("http://localhost:8080/feeds", True),
        ("http://LOCALHOST./", True),
        ("http://app.localhost/", True),
        ("http://[::1]:8080/", True),
        ("http://0.0.0.0:8080/", True),
        ("https://lcpg.example.org/", False),
        ("http://10.0.0.5:8080/", False),  # another machine on the council's network
        ("https://localhost.example.org/", False),
    ],
)
def test_which_addresses_only_this_machine_opens(url: str, local: bool) -> None:
    assert is_local(url) is local
