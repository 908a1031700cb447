"""One source's discovery in one pass: what to fetch next, newest first, within budgets.

Feeds, home pages and sitemaps hand their entries to a ``SourceWalk``; the spider takes
requests from it a few at a time, so the newest entry known so far always goes next
(issue 9). Sitemap indexes nested by year, month and day are thus followed newest first
by their ``<lastmod>``, as deep as they go, not to a fixed depth. Budgets bound one
pass: sitemaps fetched, new articles fetched, listed URLs held. What a budget stopped
is the frontier the next pass starts from. An entry dated before the horizon, counted
back from the newest date the site lists (a site's clock is not ours), is never fetched,
unless a page of the site links it now (a home page or section front).
"""

from __future__ import annotations

import heapq
import itertools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from scrapy.settings import BaseSettings

from scraper.crawl.feedguess import FeedGuesses
from scraper.model import DueArticle
from scraper.store import Archive
from scraper.store.frontier import Frontier, Pending, SitemapRead
from scraper.timeutil import iso, parse_iso, utcnow

UNDATED_RANK = 2**62  # an entry without a date goes before every dated one: it is current
CLOCK_SLACK = timedelta(days=2)  # a date further ahead of our clock is a typo, not the newest


@dataclass(frozen=True)
class Budget:
    """What one pass may do for one source."""
    articles: int = 5000  # new article pages fetched
    sitemaps: int = 500  # sitemaps fetched (indexes included)
    listed: int = 50_000  # listed URLs held; past it, no more sitemaps are read
    sections: int = 12  # section pages (menu links of a start page) fetched


DEFAULT_BUDGET = Budget()


def budget_from(settings: BaseSettings, articles: int = 0, sitemaps: int = 0) -> Budget:
    """A source's budget: its own limits where it sets them (not 0), else the settings'."""
    return Budget(
        articles=articles or settings.getint("STET_MAX_NEW_ARTICLES", DEFAULT_BUDGET.articles),
        sitemaps=sitemaps or settings.getint("STET_MAX_SITEMAPS", DEFAULT_BUDGET.sitemaps),
        listed=settings.getint("STET_MAX_LISTED_URLS", DEFAULT_BUDGET.listed),
        sections=settings.getint("STET_MAX_SECTION_PAGES", DEFAULT_BUDGET.sections))


def rank(date: str) -> int:
    """Seconds since the epoch of an ISO date; undated and unreadable ones rank first."""
    try:
        return int(parse_iso(date).timestamp()) if date else UNDATED_RANK
    except ValueError:
        return UNDATED_RANK


class SourceWalk:
    """The pending article pages and sitemaps of one source, newest first."""

    def __init__(self, horizon: timedelta, budget: Budget, now: datetime) -> None:
        self.horizon = horizon
        self.budget = budget
        self.now = now
        self.newest = ""  # the newest date the site lists: where the horizon counts from
        self.reads: dict[str, SitemapRead] = {}  # read in earlier passes
        self.read_now: dict[str, SitemapRead] = {}  # read in this pass
        self.skipped: Counter[str] = Counter()
        self.released: Counter[str] = Counter()
        self._heaps: dict[str, list[tuple[int, int, Pending]]] = {"article": [], "sitemap": []}
        self._out: dict[str, Pending] = {}  # released, not finished
        self._failed: list[Pending] = []  # fetches that failed: the next pass tries again
        self._resting: list[Pending] = []  # failed before and resting: kept, not fetched
        self._sitemaps_seen: set[str] = set()
        self._sections: set[str] = set()
        self._order = itertools.count()
        self.guesses = FeedGuesses(now)  # feeds its start pages do not name

    def restore(self, pending: Iterable[Pending], reads: dict[str, SitemapRead],
                resting: frozenset[str] = frozenset()) -> None:
        """What earlier passes left: their frontier and the sitemaps they read. Resting
        article URLs (failed fetches, see ``rest_after``) stay in the frontier unfetched."""
        self.reads = dict(reads)
        for read in reads.values():
            self.note_date(read.lastmod)
        for entry in pending:
            self.note_date(entry.listed)
        for entry in pending:
            if entry.kind == "article" and entry.url in resting:
                self._resting.append(entry)
            elif entry.kind == "sitemap":
                self.add_sitemap(entry.url, entry.listed)
            else:
                self.add_article(entry.url, entry.listed)

    def sections(self, urls: Iterable[str]) -> list[str]:
        """The section pages to fetch of those a start page's menus link: new ones, in
        page order, while the budget lasts."""
        taken = []
        for url in urls:
            if len(self._sections) >= self.budget.sections:
                break
            if url not in self._sections:
                self._sections.add(url)
                taken.append(url)
        return taken

    def note_date(self, date: str) -> None:
        """Move the horizon's anchor to date if it is the newest plausible one so far."""
        if date and date > self.newest and date <= iso(self.now + CLOCK_SLACK):
            self.newest = date

    def too_old(self, date: str) -> bool:
        if not date or not self.newest:
            return False
        return date < iso(parse_iso(self.newest) - self.horizon)

    def add_article(self, url: str, date: str = "", *, current: bool = False) -> bool:
        """Queue an article page; False when it is dated before the horizon. A current
        one (linked from a home page) goes before the dated ones, in page order, and is
        never too old: the site shows it now, whatever date its URL or listing gives."""
        self.note_date(date)
        if self.too_old(date) and not current:
            self.skipped["beyond_horizon"] += 1
            return False
        self._push(Pending(url, "article", date), UNDATED_RANK if current else rank(date))
        return True

    def add_sitemap(self, url: str, date: str = "") -> bool:
        """Queue a sitemap unless seen this pass, older than the horizon, or unchanged
        since an earlier pass read it (its <lastmod> is no newer than it was then)."""
        if url in self._sitemaps_seen:
            return False
        self._sitemaps_seen.add(url)
        self.note_date(date)
        if self.too_old(date):
            self.skipped["beyond_horizon"] += 1
            return False
        read = self.reads.get(url)
        if read is not None and date and read.lastmod >= date:
            self.skipped["unchanged_sitemaps"] += 1
            return False
        self._push(Pending(url, "sitemap", date), rank(date))
        return True

    def _push(self, entry: Pending, order: int) -> None:
        heapq.heappush(self._heaps[entry.kind], (-order, next(self._order), entry))

    def in_flight(self, kind: str) -> int:
        return sum(1 for entry in self._out.values() if entry.kind == kind)

    def take(self, kind: str, window: int) -> list[Pending]:
        """The newest pending entries of a kind to fetch now: while fewer than window are
        in flight and the pass's budget for that kind lasts."""
        heap, taken = self._heaps[kind], []
        in_flight = self.in_flight(kind)
        floor = self._unread_rank() if kind == "article" else -UNDATED_RANK
        while heap and in_flight < window and self._may_take(kind) and -heap[0][0] >= floor:
            entry = heapq.heappop(heap)[2]
            self._out[entry.url] = entry
            self.released[kind] += 1
            in_flight += 1
            taken.append(entry)
        return taken

    def _unread_rank(self) -> int:
        """The newest date among the sitemaps still to read this pass (in flight or next):
        an article older than that waits, since the sitemap may list newer ones."""
        ranks = [rank(entry.listed) for entry in self._out.values() if entry.kind == "sitemap"]
        if self._heaps["sitemap"] and self._may_take("sitemap"):
            ranks.append(-self._heaps["sitemap"][0][0])
        return max(ranks, default=-UNDATED_RANK)

    def _may_take(self, kind: str) -> bool:
        if kind == "article":
            return self.released["article"] < self.budget.articles
        return (self.released["sitemap"] < self.budget.sitemaps
                and len(self._heaps["article"]) < self.budget.listed)

    def finish(self, url: str, failed: bool = False, unchanged: bool = False) -> None:
        """A released entry was fetched: its place in the window is free. One that failed
        (a server error, a timeout) goes back to the frontier for the next pass; a sitemap
        unchanged since the last read (304) counts as read again, listed as it is now."""
        read = self.reads.get(url)
        if unchanged and read is not None:
            self.mark_read(url, read.etag, read.last_modified)
            self.skipped["unchanged_sitemaps"] += 1
        entry = self._out.pop(url, None)
        if entry is not None and failed:
            self._failed.append(entry)

    def mark_read(self, url: str, etag: str = "", last_modified: str = "") -> None:
        """A sitemap was read to the end; remember the date it was listed with, and the
        server's validators for a conditional request next time."""
        entry = self._out.get(url)
        self.read_now[url] = SitemapRead(url, entry.listed if entry else "", iso(self.now),
                                         etag, last_modified)

    def validators(self, url: str) -> dict[str, str]:
        """Conditional request headers for a sitemap read in an earlier pass."""
        read = self.reads.get(url)
        headers = {"If-None-Match": read.etag} if read and read.etag else {}
        if read and read.last_modified:
            headers["If-Modified-Since"] = read.last_modified
        return headers

    def forget_in_flight(self) -> None:
        """Nothing is in flight any more (the crawl is idle): free the windows."""
        self._out.clear()

    def frontier(self) -> list[Pending]:
        """What this pass leaves to the next: everything listed and not fetched, newest first."""
        left = [*self._heaps["sitemap"], *self._heaps["article"]]
        return [entry for _, _, entry in sorted(left)] + [*self._out.values(), *self._failed,
                                                          *self._resting]


@dataclass(frozen=True)
class PassStart:
    """What a pass reads from the archive before its first request, per source."""
    due: dict[str, list[DueArticle]]  # known articles whose revisit time has come
    known: dict[str, set[str]]  # URLs never to request as new
    last_checks: dict[str, dict[str, DueArticle]]  # every article, by URL
    resting: dict[str, frozenset[str]]  # new URLs resting after failed fetches


def begin_pass(db_path: str | Path, names: list[str], walks: dict[str, SourceWalk],
               everything: bool = False) -> PassStart:
    """Read what the pass needs and restore the walks' frontiers. With everything (``stet
    crawl --all``) every known article is due and no new URL rests."""
    archive = Archive(db_path)
    try:
        now = utcnow()
        due = {name: archive.due_articles(name, now, everything=everything) for name in names}
        known = {name: archive.known_urls(name) for name in names}
        resting = {name: frozenset() if everything
                   else frozenset(archive.resting_urls(name, now)) for name in names}
        start = PassStart(due, known, {name: archive.last_checks(name) for name in names},
                          resting)
        restore_walks(Frontier(db_path, archive.db), walks, known, resting)
    finally:
        archive.close()
    return start


def restore_walks(frontier: Frontier, walks: dict[str, SourceWalk],
                  known: dict[str, set[str]],
                  resting: dict[str, frozenset[str]] | None = None) -> None:
    """Hand each walk what earlier passes listed but left unfetched (but for the URLs now
    known) and the sitemaps they read; the restored article URLs become known, and so do
    the resting ones: not requested this pass, wherever they are listed."""
    for name, walk in walks.items():
        rest = (resting or {}).get(name, frozenset())
        pending = [p for p in frontier.pending(name) if p.url not in known[name]]
        known[name].update(p.url for p in pending if p.kind == "article")
        known[name].update(rest)
        walk.restore(pending, frontier.sitemap_reads(name), rest)
        walk.guesses.restore(frontier.feed_guesses(name))


def save_walks(frontier: Frontier, walks: dict[str, SourceWalk]) -> Counter[str]:
    """Store each walk's frontier and sitemap reads; the counts of what was skipped and
    left, summed over the walks."""
    counts: Counter[str] = Counter()
    try:
        for name, walk in walks.items():
            left = walk.frontier()
            frontier.save(name, left, walk.read_now.values(), iso(walk.now))
            frontier.save_feed_guesses(name, walk.guesses.results())
            counts.update(walk.skipped)
            counts["frontier"] += len(left)
    finally:
        frontier.close()
    return counts
