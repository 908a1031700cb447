"""The one spider: revisit known articles that are due, discover new ones, fetch them.

Run by ``stet crawl`` with ``-a plan=PATH`` (a JSON file: ``{"db": ..., "all": ...,
"sources": [Source.to_plan(), ...]}``), or by hand from the repository root::

    scrapy crawl articles -a source=https://example.com/          # or a source name
    scrapy crawl articles -a source=kyiv,https://example.org/feed -a all=true

Every fetch ends as one item: a ``PageItem`` for an article page to clean and
store, or a ``FetchItem`` for everything else (304, 404/410, errors, robots.txt
skips, pages that say they are not articles, failed discovery fetches).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import replace
from itertools import zip_longest
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response
from twisted.python.failure import Failure

from scraper.crawl import discover
from scraper.crawl.feedguess import GUESSING, guess_request
from scraper.crawl.freshness import Listed, dated_sitemap, feed_dates, sitemap_dates, url_date
from scraper.crawl.middlewares import ROBOTS_SITEMAPS
from scraper.crawl.responses import (
    failure_of,
    fetch_item,
    header,
    http_error_text,
    is_feed,
    is_html,
    page_item,
    read_plan,
    requested_url,
)
from scraper.crawl.safety import VERIFY_META
from scraper.crawl.sources import Source, load_sources, resolve_sources
from scraper.crawl.walk import SourceWalk, begin_pass, budget_from, save_walks
from scraper.errors import ConfigError
from scraper.model import DueArticle, FetchItem, PageItem
from scraper.store.frontier import Frontier
from scraper.timeutil import iso, utcnow
from scraper.urls import (
    canonicalize_url,
    is_private_host,
    looks_like_article_url,
    may_be_article_url,
)

# Statuses an article request hands to parse_article. Not handle_httpstatus_all: that
# would also stop RedirectMiddleware, and a moved article must be followed.
ARTICLE_STATUSES = [304, *range(400, 600)]
ROBOTS_STATUSES = list(range(400, 600))
DISCOVERY_PRIORITY = 10  # home pages, feeds and sitemaps before the articles they list
NEW_PRIORITY = 1  # new articles, which the walk hands out newest first, before revisits
SITEMAP_WINDOW = 2  # sitemaps of one source in flight at once
TRUE = ("1", "true", "yes", "on")
SITEMAP_STATUSES = [304, 404, 410]  # unchanged or missing (they are guessed too): no row
RETRY_LATER = frozenset({408, 425, 429, *range(500, 600)})  # a new article tried next pass


class ArticlesSpider(Spider):
    name = "articles"

    def __init__(self, plan: str = "", source: str = "", **kwargs: Any) -> None:
        self.everything = str(kwargs.pop("all", "")).lower() in TRUE
        super().__init__(**kwargs)
        self.plan_path = plan
        self.source_arg = source
        self.sources: dict[str, Source] = {}
        self.db_path = ""
        self.known: dict[str, set[str]] = {}  # per source: URLs never to request as new
        self.walks: dict[str, SourceWalk] = {}  # per source: what discovery fetches next
        self.restored: set[str] = set()  # sources whose frontier was read: saved at the end
        self.last_checks: dict[str, dict[str, DueArticle]] = {}  # per source, by URL
        self.rechecked: dict[str, set[str]] = {}  # per source: known URLs requested this pass

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ArticlesSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        try:
            spider.configure()
        except ConfigError as error:  # `scrapy crawl articles -a source=...` typed wrong
            spider.logger.error("%s", error)
            spider.sources = {}
        return spider

    def configure(self) -> None:
        """Sources and archive path from the plan file, or from -a source and settings."""
        if self.plan_path:
            plan = read_plan(Path(self.plan_path))
            self.db_path = str(plan.get("db") or self.settings.get("STET_DB"))
            self.everything = self.everything or bool(plan.get("all"))
            chosen = [Source.from_plan(entry) for entry in plan.get("sources", [])]
        else:
            args = tuple(a.strip() for a in self.source_arg.split(",") if a.strip())
            path = Path(self.settings.get("STET_SOURCES") or "sources.toml")
            chosen = resolve_sources(args, load_sources(path) if path.exists() else [])
            self.db_path = str(self.settings.get("STET_DB"))
        for source in chosen:  # two URLs of one site on the command line: one source
            known = self.sources.get(source.name)
            urls = (*known.urls, *source.urls) if known else source.urls
            self.sources[source.name] = replace(source, urls=tuple(dict.fromkeys(urls)))
        for name, source in self.sources.items():
            budget = budget_from(self.settings, source.max_new_articles, source.max_sitemaps)
            self.walks[name] = SourceWalk(source.discovery_horizon, budget, utcnow())

    async def start(self) -> AsyncIterator[Request]:
        if not self.sources:
            return
        due, resting = self.read_archive()
        for name, source in self.sources.items():
            self.logger.info("%s: %s articles due, %s known, %s new URLs resting after "
                             "failed fetches", name, len(due[name]), len(self.known[name]),
                             len(resting[name]))
            self.rechecked[name] = {article.url for article in due[name]}
            self.known[name].update(self.rechecked[name])
            for url in source.urls:
                yield self.discovery_request(source, url, depth=0)
            for request in self.release(source):
                yield request
        # The due articles of every source in turn: many sites proceed side by side, each
        # in its own polite slot, instead of one site's backlog filling the crawl.
        for turn in zip_longest(*due.values()):
            for name, article in zip(due, turn, strict=True):
                if article is not None:
                    yield self.article_request(self.sources[name], article.url, article.etag,
                                               article.last_modified)

    def read_archive(self) -> tuple[dict[str, list[DueArticle]], dict[str, frozenset[str]]]:
        """Per source: the known articles due now, and the new URLs resting after failed
        fetches; known URLs, last checks and walks are set from the archive too."""
        start = begin_pass(self.db_path, list(self.sources), self.walks, self.everything)
        self.known, self.last_checks = start.known, start.last_checks
        self.restored.update(self.walks)
        return start.due, start.resting

    def closed(self, reason: str) -> None:
        """Hand what the budgets left to the next pass: the frontier, and the sitemaps read."""
        if self.restored and reason != "archive_error":  # an unwritable archive: nothing to hand on
            walks = {name: self.walks[name] for name in self.restored}
            for what, count in save_walks(Frontier(self.db_path), walks).items():
                self.crawler.stats.set_value(f"stet/discovery/{what}", count)

    def on_idle(self) -> None:
        """Nothing in flight, yet a walk waits on a request that never came back: free it."""
        requests: list[Request] = []
        for name, walk in self.walks.items():
            walk.forget_in_flight()
            requests.extend(self.release(self.sources[name]))
        for request in requests:
            assert self.crawler.engine is not None
            self.crawler.engine.crawl(request)
        if requests:
            raise DontCloseSpider

    # -- requests ---------------------------------------------------------------

    def article_request(self, source: Source, url: str, etag: str = "",
                        last_modified: str = "", *, pending: bool = False) -> Request:
        headers = {"If-None-Match": etag} if etag else {}
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        # dont_filter: the spider dedupes article URLs itself (self.known); Scrapy's filter
        # would silently drop a redirect to an already-fetched URL -- a lost fetch row.
        return Request(url, callback=self.parse_article, errback=self.fetch_failed,
                       headers=headers, dont_filter=True, priority=NEW_PRIORITY if pending else 0,
                       meta={"stet_source": source.name, "dont_cache": True,
                             "handle_httpstatus_list": ARTICLE_STATUSES, "stet_article": True,
                             VERIFY_META: source.verify_tls,
                             **({"stet_pending": url} if pending else {})})

    def discovery_request(self, source: Source, url: str, depth: int,
                          **meta: Any) -> Request:
        return Request(url, callback=self.parse_discovery, errback=self.fetch_failed,
                       priority=DISCOVERY_PRIORITY,
                       dont_filter=depth == 0 or "stet_pending" in meta,
                       meta={"stet_source": source.name, "stet_depth": depth,
                             "dont_cache": True, VERIFY_META: source.verify_tls, **meta})

    def new_article_requests(self, source: Source, urls: Iterable[str | Listed], *,
                             listed: bool = False) -> Iterator[Request]:
        """Unknown URLs that look like articles (listed ones: not like anything else) go to
        the walk, dated (their own date, else their URL's); the newest go out now."""
        known, walk = self.known[source.name], self.walks[source.name]
        shape = may_be_article_url if listed else looks_like_article_url
        for entry in urls:
            # A plain link is on a page: current, in page order whatever its URL's date.
            current = isinstance(entry, str)
            raw, date = (entry, "") if isinstance(entry, str) else (entry.url, entry.date)
            url = canonicalize_url(raw)
            if url in known or not self.may_fetch(source, url):
                continue
            if (shape(url, source.article_pattern)
                    and walk.add_article(url, date or url_date(url), current=current)):
                known.add(url)
        yield from self.release(source)

    def release(self, source: Source) -> Iterator[Request]:
        """The source's next sitemaps and new articles, newest first, within windows and budgets."""
        walk = self.walks[source.name]
        for entry in walk.take("sitemap", SITEMAP_WINDOW):
            request = self.discovery_request(source, entry.url, depth=1, stet_pending=entry.url,
                                             stet_listed=entry.listed,
                                             handle_httpstatus_list=SITEMAP_STATUSES)
            request.headers.update(walk.validators(entry.url))  # read before: 304 if unchanged
            yield request
        window = 2 * self.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN", 4)
        for entry in walk.take("article", max(window, 2)):
            self.crawler.stats.inc_value("stet/new_articles")
            yield self.article_request(source, entry.url, pending=True)

    def finished(self, meta: dict[str, Any], failed: bool = False,
                 unchanged: bool = False) -> Iterator[Request]:
        """A sitemap or new article the walk released is done: the next ones may go."""
        source = self.sources.get(meta.get("stet_source", ""))
        if source is not None and meta.get("stet_pending"):
            self.walks[source.name].finish(meta["stet_pending"], failed, unchanged)
            yield from self.release(source)

    def updated_article_requests(self, source: Source,
                                 dates: dict[str, str]) -> Iterator[Request]:
        """Known articles that a feed or sitemap says changed since we last checked them:
        re-checked now, whatever their schedule says."""
        checks = self.last_checks.get(source.name, {})
        for url, updated in dates.items():
            known = checks.get(canonicalize_url(url))
            if known is None or not known.last_checked or updated <= known.last_checked:
                continue
            if known.url in self.rechecked[source.name]:
                continue
            self.rechecked[source.name].add(known.url)
            self.crawler.stats.inc_value("stet/rechecked_updated")
            yield self.article_request(source, known.url, known.etag, known.last_modified)

    def sitemap_requests(self, source: Source, sitemaps: Iterable[Listed],
                         parent: str = "") -> Iterator[Request]:
        """Nested sitemaps to the walk, dated by <lastmod>, URL or parent; newest go now."""
        walk = self.walks[source.name]
        for entry in sitemaps:
            if self.may_fetch(source, entry.url):
                walk.add_sitemap(entry.url, entry.date or url_date(entry.url, year_alone=True)
                                 or parent)
        yield from self.release(source)

    def may_fetch(self, source: Source, url: str) -> bool:
        """http(s) only, and no private or loopback address unless the source allows it."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return False
        return (source.allow_private or self.settings.getbool("STET_ALLOW_PRIVATE")
                or not is_private_host(parts.hostname))

    # -- discovery --------------------------------------------------------------

    def parse_discovery(self, response: Response) -> Iterator[Request]:
        """A start URL, feed, sitemap or robots.txt: sniff it, then follow what it lists."""
        if response.status >= 400 or response.status == 304:  # missing, or unchanged
            yield from self.finished(response.meta, unchanged=response.status == 304)
            return
        source = self.sources[response.meta["stet_source"]]
        depth: int = response.meta.get("stet_depth", 0)
        body = response.body
        kind = discover.sniff_document(body, header(response, "Content-Type"), response.url)
        self.crawler.stats.inc_value(f"stet/discovery/{kind or 'unknown'}")
        self.logger.debug("%s is %s", response.url, kind or "of an unknown kind")
        if kind == "robots":
            text = body.decode("utf-8", errors="replace")
            yield from self.sitemap_requests(source, map(Listed, discover.parse_robots_sitemaps(
                text, response.url) or discover.guess_sitemaps(response.url)))
        elif kind == "feed":
            dates = feed_dates(body, response.url)
            yield from self.new_article_requests(
                source, [Listed(url, dates.get(url, ""))
                         for url in discover.parse_feed(body, response.url)], listed=True)
            yield from self.updated_article_requests(source, dates)
        elif kind == "sitemap":
            yield from self.sitemap_entries(source, response)
        elif kind == "html":
            yield from self.home_page_requests(source, response, depth)
        if response.meta.get("stet_pending"):
            self.walks[source.name].mark_read(response.meta["stet_pending"],
                                              header(response, "ETag"),
                                              header(response, "Last-Modified"))
            yield from self.finished(response.meta)

    def sitemap_entries(self, source: Source, response: Response) -> Iterator[Request]:
        """A sitemap's entries; an undated page takes its URL's date, else the sitemap's."""
        sitemap = dated_sitemap(response.body, response.url)
        parent: str = response.meta.get("stet_listed", "")
        yield from self.sitemap_requests(source, sitemap.sitemaps, parent)
        pages = [Listed(e.url, e.date or url_date(e.url) or parent) for e in sitemap.urls]
        # A Google News sitemap, or one named for posts, lists stories: no shape needed.
        listed = sitemap.news or discover.lists_stories(response.url)
        yield from self.new_article_requests(source, pages, listed=listed)
        yield from self.updated_article_requests(
            source, sitemap_dates(response.body, response.url))

    def home_page_requests(self, source: Source, response: Response,
                           depth: int) -> Iterator[Request]:
        """Articles linked from the page; on a start page also its feeds and the
        sitemaps its host lists in robots.txt."""
        if depth == 0:
            feeds = discover.find_feeds(response.body, response.url)
            for feed in feeds:
                if self.may_fetch(source, feed):
                    yield self.discovery_request(source, feed, depth=1)
            if not feeds:  # none named: the usual places, or what an earlier pass found there
                yield from self.guess_feeds(source, response.url)
            # Section fronts list stories the home page does not: their links, one level.
            for url in self.walks[source.name].sections(
                    discover.section_links(response.body, response.url)):
                if self.may_fetch(source, url):
                    yield self.discovery_request(source, url, depth=1)
            if ROBOTS_SITEMAPS in response.meta:  # the robots.txt guard has read them
                yield from self.sitemap_requests(source, map(Listed, response.meta[
                    ROBOTS_SITEMAPS] or discover.guess_sitemaps(response.url)))
            else:
                parts = urlsplit(response.url)
                robots = f"{parts.scheme}://{parts.netloc}/robots.txt"
                # Only for its Sitemap: lines; a missing robots.txt is no failure worth a row.
                yield self.discovery_request(source, robots, depth=1,
                                             dont_obey_robotstxt=True,
                                             handle_httpstatus_list=ROBOTS_STATUSES)
        yield from self.new_article_requests(source, discover.find_links(response.body,
                                                                         response.url))
        # Teasers whose text reads like a headline, whatever their URLs look like.
        yield from self.new_article_requests(
            source, discover.headline_links(response.body, response.url), listed=True)

    def guess_feeds(self, source: Source, url: str) -> Iterator[Request]:
        """A start page names no feed: read the one an earlier pass found below its
        folder, or try the usual places one at a time (crawl.feedguess)."""
        plan = self.walks[source.name].guesses.plan(url)
        if plan.known and self.may_fetch(source, plan.known):
            yield self.discovery_request(source, plan.known, depth=1)
        if plan.urls and self.may_fetch(source, plan.urls[0]):
            yield guess_request(source, plan.base, plan.urls, self.parse_guess)

    def parse_guess(self, answer: Response | Failure) -> Iterator[Request | FetchItem]:
        """A usual feed place answered: a feed is read and remembered; anything else (a
        404, an HTML page, a refusal) sends the next place, and after the last, that
        there is none is remembered."""
        request: Request = answer.request  # type: ignore[assignment,union-attr]
        meta = request.meta
        source, (base, rest) = self.sources[meta["stet_source"]], meta[GUESSING]
        guesses = self.walks[source.name].guesses
        if isinstance(answer, Response) and is_feed(answer):
            guesses.found(base, canonicalize_url(answer.url))
            yield from self.parse_discovery(answer)
        elif rest:
            yield guess_request(source, base, rest, self.parse_guess)
        else:
            guesses.found(base)

    # -- articles ---------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[PageItem | FetchItem | Request]:
        yield from self.article_outcome(response)
        yield from self.finished(response.meta, failed=response.status in RETRY_LATER)

    def article_outcome(self, response: Response) -> Iterator[PageItem | FetchItem]:
        source = self.sources[response.meta["stet_source"]]
        status = response.status
        if status == 304:
            yield fetch_item(response, "not_modified")
        elif status in (404, 410):
            yield fetch_item(response, "gone")
        elif status not in (200, 203):
            yield fetch_item(response, "error", http_error_text(response))
        elif not is_html(response):
            content_type = header(response, "Content-Type").split(";")[0].strip() or "unknown"
            yield fetch_item(response, "error", f"not HTML ({content_type})")
        else:
            root = discover.parse_html(response.body)  # one parse for both readers
            kind = discover.classify_page(root if root is not None else response.body)
            if kind.is_article is False:
                yield fetch_item(response, "skipped", f"not an article ({kind.evidence})")
            else:
                yield page_item(source, response, root)

    def fetch_failed(self, failure: Failure) -> Iterator[FetchItem | Request]:
        """Errback of every request: one FetchItem saying what went wrong, in one line."""
        request: Request = failure.request  # type: ignore[attr-defined]
        failed = failure_of(failure.value, self.settings.getint("DOWNLOAD_MAXSIZE"))
        self.logger.info("%s: %s", request.url, failed.text)
        yield FetchItem(url=requested_url(request, request.url),
                        source=request.meta["stet_source"], fetched_at=iso(utcnow()),
                        outcome=failed.outcome, status=failed.status, error=failed.text)
        yield from self.finished(request.meta, failed=failed.outcome == "error")
