"""Feeds a home page does not name (issue 9): the usual places tried once, politely, and
what was found kept in the archive; real crawls of a local site."""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from scraper.crawl.feedguess import FEED_GUESSES, FeedGuesses, guess_base
from scraper.crawl.sources import source_for_url
from scraper.store.frontier import FeedGuess
from support.site import Site

Crawl = Callable[..., subprocess.CompletedProcess[str]]
RSS = {"Content-Type": "application/rss+xml"}
STORY = ("<html><head><title>{0}</title><meta property='og:type' content='article'></head>"
         "<body><article><h1>{0}</h1>" + "<p>The harbour board met on Monday and talked "
         "about {0} for most of the evening, with residents asking questions.</p>" * 4
         + "</article></body></html>")
# Short links to short paths: neither their URLs nor their texts look like stories, so
# only a feed can tell that they are.
HOME = ("<html><head><title>Harbour notes</title></head><body><h1>Harbour notes</h1>"
        "<ul><li><a href='/p/k3x9'>More</a></li><li><a href='/p/q7w2'>More</a></li></ul>"
        "</body></html>")


def feed(*paths: str) -> str:
    items = "".join(f"<item><title>{p}</title><link>{p}</link></item>" for p in paths)
    return f"<rss version='2.0'><channel><title>Harbour notes</title>{items}</channel></rss>"


def archived(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {row[0] for row in conn.execute("select url from articles")}


def guessed(site: Site, start: int = 0) -> list[str]:
    return [hit.path for hit in site.requests[start:] if hit.path.strip("/") in FEED_GUESSES]


def test_a_feed_the_home_page_does_not_name_is_found_once_and_remembered(
        site: Site, tmp_db: Path, crawl: Crawl) -> None:
    site.set("/", HOME)
    site.set("/robots.txt", "User-agent: *\nDisallow: /rss\n",
             headers={"Content-Type": "text/plain"})
    for path in ("/p/k3x9", "/p/q7w2", "/p/z8v4"):
        site.set(path, STORY.format(f"story {path[-4:]}"))
    # A catch-all server answers /feed.xml with an HTML page: no feed, and its links are
    # not read as a home page's.
    site.set("/feed.xml", "<html><body><a href='/news/2025/06/30/a-page-that-is-no-feed'>"
                          "A page that is no feed at all here</a></body></html>")
    site.set("/atom.xml", feed(site.url("/p/k3x9"), site.url("/p/q7w2")), headers=RSS)
    source = source_for_url(site.url("/"))
    first = crawl([source], tmp_db)
    assert first.returncode == 0, first.stderr[-3000:]
    assert archived(tmp_db) == {site.url("/p/k3x9"), site.url("/p/q7w2")}
    # In order, stopping at the first feed; /rss and /rss.xml are disallowed by robots.txt.
    assert guessed(site) == ["/feed", "/feed.xml", "/atom.xml"]
    assert "/news/2025/06/30/a-page-that-is-no-feed" not in site.paths()
    with sqlite3.connect(tmp_db) as conn:
        rows = conn.execute("select base, feed from feed_guesses").fetchall()
        fetched = {row[0] for row in conn.execute("select url from fetches")}
    assert rows == [(site.url("/"), site.url("/atom.xml"))]
    assert not fetched & {site.url("/feed"), site.url("/feed.xml"), site.url("/rss")}

    site.set("/atom.xml", feed(site.url("/p/z8v4"), site.url("/p/k3x9")), headers=RSS)
    start = len(site.requests)
    second = crawl([source], tmp_db)
    assert second.returncode == 0, second.stderr[-3000:]
    assert guessed(site, start) == ["/atom.xml"]  # the feed found, read at once
    assert site.url("/p/z8v4") in archived(tmp_db)


def test_a_site_without_a_feed_is_asked_once_and_a_named_feed_is_never_guessed(
        site: Site, tmp_db: Path, crawl: Crawl) -> None:
    site.set("/", HOME.replace("'/p/k3x9'>More", "'/p/k3x9'>The harbour board meets on Monday"))
    site.set("/p/k3x9", STORY.format("the harbour board"))
    source = source_for_url(site.url("/"))
    first = crawl([source], tmp_db)
    assert first.returncode == 0, first.stderr[-3000:]
    assert guessed(site) == [f"/{name}" for name in FEED_GUESSES]
    assert archived(tmp_db) == {site.url("/p/k3x9")}  # by its headline-like link
    start = len(site.requests)
    assert crawl([source], tmp_db).returncode == 0
    assert guessed(site, start) == []  # nothing found a pass ago: not asked again

    site.set("/", HOME.replace("<title>", "<link rel='alternate' type='application/rss+xml' "
                                          "href='/news.rss'><title>"))
    site.set("/news.rss", feed(site.url("/p/q7w2")), headers=RSS)
    site.set("/p/q7w2", STORY.format("the ferry"))
    with sqlite3.connect(tmp_db) as conn:  # as if a month had passed
        conn.execute("update feed_guesses set tried_at = '2000-01-01T00:00:00Z'")
    start = len(site.requests)
    assert crawl([source], tmp_db).returncode == 0
    assert guessed(site, start) == []  # the home page names its feed now
    assert site.url("/p/q7w2") in archived(tmp_db)


def test_guessing_is_repeated_after_a_month_below_the_start_pages_folder() -> None:
    now = datetime(2026, 12, 6, tzinfo=UTC)
    base = guess_base("https://x.example/blog/index.html")
    assert base == "https://x.example/blog/"
    guesses = FeedGuesses(now)
    guesses.restore([FeedGuess(base, "", (now - timedelta(days=29)).strftime("%Y-%m-%dT%H:%M:%SZ"))])
    assert guesses.plan("https://x.example/blog/").urls == ()
    later = FeedGuesses(now)
    later.restore([FeedGuess(base, "https://x.example/blog/feed/", "2026-10-01T00:00:00Z")])
    plan = later.plan("https://x.example/blog/")
    assert plan.urls[0] == "https://x.example/blog/feed" and plan.known == ""
    assert later.plan("https://x.example/blog/").urls == ()  # once a pass
