"""Downloader middlewares that make Stet polite where Scrapy's defaults are not enough.

``RobotsGuardMiddleware`` replaces Scrapy's RobotsTxtMiddleware. Every request to
a host waits until that host's robots.txt has been fetched and parsed (Protego),
so a disallowed page is never requested, not even the first one (the stock
middleware's guarantee has changed between releases, scrapy/scrapy#2014 and #6802).
Unlike the stock middleware it follows RFC 9309 section 2.3.1: a robots.txt that
answers 4xx allows everything; one that answers 429 or 5xx, or cannot be reached
at all, allows nothing.

``HostConcurrencyMiddleware`` holds each request, just before the download, until
fewer than CONCURRENT_REQUESTS_PER_DOMAIN requests to its host are in flight: with
the asyncio reactor and DOWNLOAD_DELAY = 0, Scrapy 2.19's downloader counts a
slot's transfers only once their tasks start, so a whole queue went out at once.

``RetryAfterMiddleware`` replaces Scrapy's RetryMiddleware: a 429 or 503 with a
``Retry-After`` header is retried once the server's delay has passed, without
blocking the reactor (Scrapy ignores the header, scrapy/scrapy#3849).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from protego import Protego
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.asyncio import sleep
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred, DeferredSemaphore

from scraper.crawl.discover import parse_robots_sitemaps
from scraper.crawl.safety import tls_failure

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

ROBOTS_PRIORITY = 1000  # robots.txt jumps the queue: everything else on the host waits for it
FORBIDDEN = "disallowed by robots.txt"
DISALLOW_ALL = "User-agent: *\nDisallow: /\n"
INHERITED_META = ("stet_source", "stet_verify_tls")  # robots.txt is fetched as its asker
# Set on every request the guard let through: its host's robots.txt Sitemap: lines, so the
# spider need not fetch robots.txt a second time for them.
ROBOTS_SITEMAPS = "stet_robots_sitemaps"


class RobotsRules:
    """One host's robots.txt, parsed; why is set when the file could not be read."""

    def __init__(self, text: str, why: str = "", url: str = "") -> None:
        self.parser = Protego.parse(text)
        self.why = why
        self.sitemaps = tuple(parse_robots_sitemaps(text, url))

    def allowed(self, url: str, user_agent: str) -> bool:
        return bool(self.parser.can_fetch(url, user_agent))


def rules_from_response(response: Response) -> RobotsRules:
    """RFC 9309 2.3.1: 2xx is the rules; 4xx (but 429) means no rules; 429/5xx, none allowed."""
    if response.status == 429 or response.status >= 500:
        return RobotsRules(DISALLOW_ALL, f"robots.txt unavailable (HTTP {response.status})")
    if response.status >= 400:
        return RobotsRules("")
    if response.status >= 300:  # a redirect RedirectMiddleware could not follow
        return RobotsRules(DISALLOW_ALL, f"robots.txt unavailable (HTTP {response.status})")
    return RobotsRules(response.body.decode("utf-8", errors="ignore"), url=response.url)


class RobotsGuardMiddleware:
    """Hold every request until its host's robots.txt is parsed; drop disallowed ones."""

    def __init__(self, crawler: Crawler) -> None:
        if not crawler.settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        self.crawler = crawler
        self.user_agent: str = (crawler.settings.get("ROBOTSTXT_USER_AGENT")
                                or crawler.settings.get("USER_AGENT") or "")
        self._rules: dict[str, RobotsRules | Deferred[RobotsRules]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RobotsGuardMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        parts = urlparse_cached(request)
        if request.meta.get("dont_obey_robotstxt") or parts.scheme not in ("http", "https"):
            return
        rules = await self.rules_for(parts.scheme, parts.netloc, request.meta)
        if rules.why:
            self._count("robotstxt/unavailable")
            raise IgnoreRequest(rules.why)
        if not rules.allowed(request.url, self.user_agent):
            self._count("robotstxt/forbidden")
            logger.debug("Forbidden by robots.txt: %s", request.url)
            raise IgnoreRequest(FORBIDDEN)
        request.meta[ROBOTS_SITEMAPS] = rules.sitemaps

    async def rules_for(self, scheme: str, netloc: str,
                        meta: dict[str, Any] | None = None) -> RobotsRules:
        """The host's rules, fetching robots.txt once; later callers wait for that fetch.
        The fetch carries the first asker's source (for scraper.crawl.safety's checks)."""
        known = self._rules.get(netloc)
        if isinstance(known, RobotsRules):
            return known
        if known is not None:
            waiter: Deferred[RobotsRules] = Deferred()
            known.addCallback(_pass_on, waiter)
            return await maybe_deferred_to_future(waiter)
        pending: Deferred[RobotsRules] = Deferred()
        self._rules[netloc] = pending
        rules = await self._fetch(f"{scheme}://{netloc}/robots.txt", meta or {})
        self._rules[netloc] = rules
        pending.callback(rules)
        return rules

    async def _fetch(self, url: str, asker: dict[str, Any]) -> RobotsRules:
        inherited = {key: asker[key] for key in INHERITED_META if key in asker}
        request = Request(url, priority=ROBOTS_PRIORITY, callback=NO_CALLBACK,
                          meta={"dont_obey_robotstxt": True, "dont_cache": True, **inherited})
        self._count("robotstxt/request_count")
        assert self.crawler.engine is not None
        try:
            response = await self.crawler.engine.download_async(request)
        except Exception as error:  # any failure to fetch it: RFC 9309 says allow nothing
            logger.warning("Cannot fetch %s: %s", url, error)
            return RobotsRules(DISALLOW_ALL, f"robots.txt unreachable ({describe(error)})")
        self._count(f"robotstxt/response_status_count/{response.status}")
        return rules_from_response(response)

    def _count(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key)


class HostConcurrencyMiddleware:
    """At most CONCURRENT_REQUESTS_PER_DOMAIN downloads in flight per host."""

    TOKEN = "stet_host_token"

    def __init__(self, crawler: Crawler) -> None:
        self.limit = max(1, crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN", 4))
        self.hosts: dict[str, DeferredSemaphore] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HostConcurrencyMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        host = urlparse_cached(request).hostname or ""
        semaphore = self.hosts.setdefault(host, DeferredSemaphore(self.limit))
        await maybe_deferred_to_future(semaphore.acquire())
        request.meta[self.TOKEN] = host

    def process_response(self, request: Request, response: Response) -> Response:
        self._release(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._release(request)

    def _release(self, request: Request) -> None:
        host = request.meta.pop(self.TOKEN, None)
        if host is not None:
            self.hosts[host].release()


def _pass_on(rules: RobotsRules, waiter: Deferred[RobotsRules]) -> RobotsRules:
    """Give one waiter its own copy of the result (a Deferred has one callback chain)."""
    waiter.callback(rules)
    return rules


def describe(error: BaseException | None) -> str:
    """One line about an exception: its class and first line of message."""
    tls = tls_failure(error)
    if tls:
        return f"{tls}; verify_tls = false in the source accepts it"
    message = str(error).strip().splitlines()[0] if str(error).strip() else ""
    name = type(error).__name__
    reasons = getattr(error.__cause__ if error else None, "reasons", None)
    if message.startswith("[<twisted.python.failure.Failure") and reasons:
        message = describe(getattr(reasons[0], "value", None))  # what Twisted wrapped
    return f"{name}: {message}"[:300] if message else name


def retry_after_seconds(value: str | bytes | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks (delta-seconds or HTTP date); None if unreadable."""
    if not value:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """RetryMiddleware that waits as long as a 429/503 Retry-After asks (up to a cap).

    Retries that honour Retry-After are counted apart (STET_RETRY_AFTER_TIMES), so a
    server that asks for patience does not use up RETRY_TIMES.
    """

    WAIT_STATUSES = (429, 503)

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.max_wait = settings.getfloat("STET_MAX_RETRY_AFTER", 120.0)
        self.max_waits = settings.getint("STET_RETRY_AFTER_TIMES", 3)

    async def process_response(  # type: ignore[override]  # Scrapy awaits async ones
            self, request: Request, response: Response) -> Request | Response:
        delay = retry_after_seconds(response.headers.get(b"Retry-After"))
        if (response.status not in self.WAIT_STATUSES or delay is None
                or request.meta.get("dont_retry", False)):
            return super().process_response(request, response)
        waits = request.meta.get("retry_after_times", 0) + 1
        if delay > self.max_wait or waits > self.max_waits:
            logger.info("Giving up on %s: HTTP %s, Retry-After %.0f s (retry %s, cap %.0f s)",
                        request.url, response.status, delay, waits, self.max_wait)
            self._count("retry_after/given_up")
            return response
        logger.info("HTTP %s for %s: retrying in %.1f s as asked", response.status,
                    request.url, delay)
        await sleep(delay)  # a timer, not time.sleep: the reactor keeps running
        retry = request.replace(dont_filter=True, priority=request.priority + self.priority_adjust)
        retry.meta["retry_after_times"] = waits
        self._count("retry_after/count")
        return retry

    def _count(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key)
