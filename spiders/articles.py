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

import json
import re
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from scraper.crawl import discover
from scraper.crawl.freshness import feed_dates, sitemap_dates
from scraper.crawl.middlewares import FORBIDDEN, describe, retry_after_seconds
from scraper.crawl.safety import SKIP_PREFIXES, VERIFY_META
from scraper.crawl.sources import Source, load_sources, resolve_sources
from scraper.errors import ConfigError
from scraper.model import DueArticle, FetchItem, PageItem
from scraper.store import Archive
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
HTML_TYPES = ("text/html", "application/xhtml+xml")
NEWS_SITEMAP_NS = b"schemas/sitemap-news/"
UNTYPED = ("application/octet-stream", "binary/octet-stream", "application/unknown")
DISCOVERY_PRIORITY = 10  # home pages, feeds and sitemaps before the articles they list
CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
TRUE = ("1", "true", "yes", "on")


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
        self.budget: dict[str, int] = {}  # per source: new articles still allowed this pass
        self.sitemaps_left: dict[str, int] = {}
        self.last_checks: dict[str, dict[str, DueArticle]] = {}  # per source, by URL
        self.rechecked: dict[str, set[str]] = {}  # per source: known URLs requested this pass

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ArticlesSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
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
        for name in self.sources:
            self.budget[name] = self.settings.getint("STET_MAX_NEW_ARTICLES", 500)
            self.sitemaps_left[name] = self.settings.getint("STET_MAX_SITEMAPS", 20)

    async def start(self) -> AsyncIterator[Request]:
        if not self.sources:
            return
        archive = Archive(self.db_path)
        try:
            due = {name: archive.due_articles(name, utcnow(), everything=self.everything)
                   for name in self.sources}
            self.known = {name: archive.known_urls(name) for name in self.sources}
            self.last_checks = {name: archive.last_checks(name) for name in self.sources}
        finally:
            archive.close()
        for name, source in self.sources.items():
            self.logger.info("%s: %s articles due, %s known", name, len(due[name]),
                             len(self.known[name]))
            self.rechecked[name] = {article.url for article in due[name]}
            for article in due[name]:
                self.known[name].add(article.url)
                yield self.article_request(source, article.url, article.etag,
                                           article.last_modified)
            for url in source.urls:
                yield self.discovery_request(source, url, depth=0)

    # -- requests ---------------------------------------------------------------

    def article_request(self, source: Source, url: str, etag: str = "",
                        last_modified: str = "") -> Request:
        headers = {"If-None-Match": etag} if etag else {}
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        # dont_filter: the spider dedupes article URLs itself (self.known); Scrapy's filter
        # would silently drop a redirect to an already-fetched URL -- a lost fetch row.
        return Request(url, callback=self.parse_article, errback=self.fetch_failed,
                       headers=headers, dont_filter=True,
                       meta={"stet_source": source.name, "dont_cache": True,
                             "handle_httpstatus_list": ARTICLE_STATUSES, "stet_article": True,
                             VERIFY_META: source.verify_tls})

    def discovery_request(self, source: Source, url: str, depth: int,
                          **meta: Any) -> Request:
        return Request(url, callback=self.parse_discovery, errback=self.fetch_failed,
                       priority=DISCOVERY_PRIORITY, dont_filter=depth == 0,
                       meta={"stet_source": source.name, "stet_depth": depth,
                             "dont_cache": True, VERIFY_META: source.verify_tls, **meta})

    def new_article_requests(self, source: Source, urls: Iterable[str], *,
                             listed: bool = False) -> Iterator[Request]:
        """Requests for the URLs that look like articles and are not known yet, up to
        STET_MAX_NEW_ARTICLES per source and pass. A feed's entries (listed) need only
        not look like something else; links on a page need a story's URL shape."""
        known = self.known[source.name]
        shape = may_be_article_url if listed else looks_like_article_url
        for url in map(canonicalize_url, urls):
            if url in known or not self.may_fetch(source, url):
                continue
            if not shape(url, source.article_pattern):
                continue
            known.add(url)
            if self.budget[source.name] <= 0:
                self.crawler.stats.inc_value("stet/new_articles_over_cap")
                continue
            self.budget[source.name] -= 1
            self.crawler.stats.inc_value("stet/new_articles")
            yield self.article_request(source, url)

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

    def sitemap_requests(self, source: Source, urls: Iterable[str],
                         depth: int) -> Iterator[Request]:
        if depth > self.settings.getint("STET_SITEMAP_DEPTH", 2):
            return
        for url in urls:
            if self.sitemaps_left[source.name] > 0 and self.may_fetch(source, url):
                self.sitemaps_left[source.name] -= 1
                yield self.discovery_request(source, url, depth)

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
        if response.status >= 400:  # robots.txt, which may be missing
            return
        source = self.sources[response.meta["stet_source"]]
        depth: int = response.meta.get("stet_depth", 0)
        body = response.body
        kind = discover.sniff_document(body, header(response, "Content-Type"), response.url)
        self.crawler.stats.inc_value(f"stet/discovery/{kind or 'unknown'}")
        self.logger.debug("%s is %s", response.url, kind or "of an unknown kind")
        if kind == "robots":
            text = body.decode("utf-8", errors="replace")
            yield from self.sitemap_requests(
                source, discover.parse_robots_sitemaps(text, response.url), depth + 1)
        elif kind == "feed":
            yield from self.new_article_requests(
                source, discover.parse_feed(body, response.url), listed=True)
            yield from self.updated_article_requests(source, feed_dates(body, response.url))
        elif kind == "sitemap":
            sitemap = discover.parse_sitemap(body, response.url)
            yield from self.sitemap_requests(source, sitemap.sitemaps, depth + 1)
            # A Google News sitemap lists stories only: its URLs need no story shape.
            news = NEWS_SITEMAP_NS in body[:4096]
            yield from self.new_article_requests(source, sitemap.urls, listed=news)
            yield from self.updated_article_requests(source, sitemap_dates(body, response.url))
        elif kind == "html":
            yield from self.home_page_requests(source, response, depth)

    def home_page_requests(self, source: Source, response: Response,
                           depth: int) -> Iterator[Request]:
        """Articles linked from the page; on a start page also its feeds and the
        sitemaps its host lists in robots.txt."""
        if depth == 0:
            for feed in discover.find_feeds(response.body, response.url):
                if self.may_fetch(source, feed):
                    yield self.discovery_request(source, feed, depth=1)
            parts = urlsplit(response.url)
            robots = f"{parts.scheme}://{parts.netloc}/robots.txt"
            # Only for its Sitemap: lines; a missing robots.txt is no failure worth a row.
            yield self.discovery_request(source, robots, depth=1, dont_obey_robotstxt=True,
                                         handle_httpstatus_list=ROBOTS_STATUSES)
        yield from self.new_article_requests(source, discover.find_links(response.body,
                                                                         response.url))
        # Teasers whose text reads like a headline, whatever their URLs look like.
        yield from self.new_article_requests(
            source, discover.headline_links(response.body, response.url), listed=True)

    # -- articles ---------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[PageItem | FetchItem]:
        source = self.sources[response.meta["stet_source"]]
        status = response.status
        if status == 304:
            yield self.fetch_item(response, "not_modified")
        elif status in (404, 410):
            yield self.fetch_item(response, "gone")
        elif status not in (200, 203):
            yield self.fetch_item(response, "error", http_error_text(response))
        elif not is_html(response):
            content_type = header(response, "Content-Type").split(";")[0].strip() or "unknown"
            yield self.fetch_item(response, "error", f"not HTML ({content_type})")
        else:
            kind = discover.classify_page(response.body)
            if kind.is_article is False:
                yield self.fetch_item(response, "skipped", f"not an article ({kind.evidence})")
            else:
                yield self.page_item(source, response)

    def page_item(self, source: Source, response: Response) -> PageItem:
        asked = requested_url(response.request, response.url)
        final = canonicalize_url(response.url)
        canonical = discover.canonical_link(response.body, final)
        url = canonical if trust_canonical(canonical, final, source.article_pattern) else final
        content_type = header(response, "Content-Type")
        charset = CHARSET.search(content_type)
        return PageItem(
            url=url, source=source.name, status=response.status, body=response.body,
            fetched_at=iso(utcnow()), requested_url=asked if asked != url else "",
            encoding=charset.group(1) if charset else None, etag=header(response, "ETag"),
            last_modified=header(response, "Last-Modified"), selectors=dict(source.selectors),
        )

    def fetch_item(self, response: Response, outcome: str, error: str | None = None) -> FetchItem:
        return FetchItem(
            url=requested_url(response.request, response.url),
            source=response.meta["stet_source"], fetched_at=iso(utcnow()), outcome=outcome,
            status=response.status, error=error,
        )

    def fetch_failed(self, failure: Failure) -> Iterator[FetchItem]:
        """Errback of every request: one FetchItem saying what went wrong, in one line."""
        request: Request = failure.request  # type: ignore[attr-defined]
        error = failure.value
        outcome, status, text = "error", None, describe(error)
        if isinstance(error, HttpError):
            status, text = error.response.status, http_error_text(error.response)
        elif isinstance(error, IgnoreRequest):
            text = str(error) or "request dropped"
            outcome = "skipped" if text == FORBIDDEN or text.startswith(SKIP_PREFIXES) else "error"
        elif isinstance(error, DownloadCancelledError) and not str(error):
            # A body without Content-Length is cancelled wordlessly once it passes the limit.
            limit = self.settings.getint("DOWNLOAD_MAXSIZE")
            text = f"DownloadCancelledError: body larger than DOWNLOAD_MAXSIZE ({limit} B)"
        self.logger.info("%s: %s", request.url, text)
        yield FetchItem(url=requested_url(request, request.url),
                        source=request.meta["stet_source"], fetched_at=iso(utcnow()),
                        outcome=outcome, status=status, error=text)


def read_plan(path: Path) -> dict[str, Any]:
    """The crawl plan the CLI wrote; ConfigError when it is missing or malformed."""
    try:
        plan = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ConfigError(f"cannot read crawl plan {path}: {error}") from None
    if not isinstance(plan, dict) or not isinstance(plan.get("sources", []), list):
        raise ConfigError(f"crawl plan {path} must be an object with a list of sources")
    return plan


def header(response: Response, name: str) -> str:
    value = response.headers.get(name)
    return value.decode("latin-1").strip() if value else ""


def requested_url(request: Request | None, fallback: str) -> str:
    """The URL first asked for, before any redirect."""
    if request is None:
        return fallback
    redirects = request.meta.get("redirect_urls") or [request.url]
    return str(redirects[0])


def is_html(response: Response) -> bool:
    content_type = header(response, "Content-Type").split(";")[0].strip().lower()
    if content_type and content_type not in UNTYPED:
        return content_type in HTML_TYPES
    # No type, or the generic one many static servers send: look at the bytes, as a
    # browser's sniffer does for an HTML document.
    start = response.body[:512].lstrip().lower()
    return start.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<!--"))


def http_error_text(response: Response) -> str:
    delay = retry_after_seconds(response.headers.get(b"Retry-After"))
    if response.status in (429, 503) and delay is not None:
        return f"HTTP {response.status} (Retry-After {delay:.0f} s)"
    return f"HTTP {response.status}"


def trust_canonical(canonical: str, final: str, pattern: str) -> bool:
    """Use <link rel=canonical> unless it is the home page, or it fails the article test
    that the fetched URL passes (sites that point every page at one URL)."""
    if not canonical or urlsplit(canonical).path in ("", "/"):
        return False
    return (looks_like_article_url(canonical, pattern)
            or not looks_like_article_url(final, pattern))
