"""Feeds a start page does not name: the usual places tried once, and the answer kept.

A home page without ``<link rel="alternate">`` feeds often has one where its CMS puts it
(WordPress ``/feed``, Ghost ``/rss``, Jekyll ``/feed.xml``, Drupal ``/rss.xml``, Hugo
``/index.xml``). Discovery tries ``FEED_GUESSES`` below the start page's folder one at a
time, in order, and stops at the first that answers with a feed; robots.txt is obeyed as
for every request. What came of it (the feed found, or none) is kept in the archive
(``feed_guesses``): later passes read that feed at once, or try nothing, until
``GUESS_AGAIN`` has passed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from scrapy import Request

from scraper.crawl.safety import VERIFY_META
from scraper.crawl.sources import Source
from scraper.store.frontier import FeedGuess
from scraper.timeutil import iso

FEED_GUESSES = ("feed", "rss", "feed.xml", "rss.xml", "atom.xml", "index.xml")
GUESS_AGAIN = timedelta(days=30)  # a site may add a feed, or move it
GUESSING = "stet_feed_guess"  # a guess request's meta: (its folder, the places left to try)
PRIORITY = 10  # as the spider's other discovery requests: before the articles they list
ANY_ERROR = list(range(400, 600))


@dataclass(frozen=True)
class GuessPlan:
    """What a start page without feeds leads to: the feed an earlier pass found, or the
    places to try in order (both empty when an earlier pass found none, or this pass has
    already guessed below that folder)."""
    base: str = ""
    known: str = ""
    urls: tuple[str, ...] = ()


def guess_base(url: str) -> str:
    """The folder the guesses go below: the start page's (https://x.example/blog/ for
    https://x.example/blog/index.html; the site's root for https://x.example/)."""
    parts = urlsplit(url)
    folder = parts.path.rpartition("/")[0] + "/"
    return urlunsplit((parts.scheme, parts.netloc, folder, "", ""))


class FeedGuesses:
    """One source's feed guesses: those of earlier passes, and those this pass makes."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.earlier: dict[str, FeedGuess] = {}
        self.made: dict[str, FeedGuess] = {}
        self.asked: set[str] = set()

    def restore(self, guesses: Iterable[FeedGuess]) -> None:
        self.earlier = {guess.base: guess for guess in guesses}

    def plan(self, page_url: str) -> GuessPlan:
        base = guess_base(page_url)
        if base in self.asked:
            return GuessPlan()
        self.asked.add(base)
        earlier = self.earlier.get(base)
        if earlier is not None and earlier.tried_at > iso(self.now - GUESS_AGAIN):
            return GuessPlan(base, known=earlier.feed)
        return GuessPlan(base, urls=tuple(urljoin(base, name) for name in FEED_GUESSES))

    def found(self, base: str, feed: str = "") -> None:
        """Guessing below base ended: with the feed found, or "" for none."""
        self.made[base] = FeedGuess(base, feed, iso(self.now))

    def results(self) -> list[FeedGuess]:
        return list(self.made.values())


def guess_request(source: Source, base: str, urls: tuple[str, ...],
                  callback: Callable[..., Any]) -> Request:
    """A request for the first of urls, answered (or failed) into callback. Nothing of a
    guess is a fetch row: a place without a feed, a robots.txt refusal or an error only
    moves on to the next place."""
    return Request(urls[0], callback=callback, errback=callback, priority=PRIORITY,
                   dont_filter=True, meta={"stet_source": source.name, GUESSING: (base, urls[1:]),
                                           "dont_cache": True, "handle_httpstatus_list": ANY_ERROR,
                                           VERIFY_META: source.verify_tls})
