"""Where Stet may connect: http(s) only, public addresses only, verified TLS (issue 5).

``AddressGuardMiddleware`` (early in the downloader chain, before robots.txt is
asked for) drops a request whose URL is not http(s), or whose host is -- or
resolves to -- a loopback, private, link-local (cloud metadata 169.254.169.254),
unique-local (fd00::/8), unspecified or multicast address. A redirect is a new
request, so every hop is checked again. Exempt: the hosts of a source's own start
URLs when the source has ``allow_private`` (``stet crawl http://127.0.0.1:8000/``
sets it), and everything when the setting ``STET_ALLOW_PRIVATE`` is true.

``GuardedResolver`` is Scrapy's caching DNS resolver with the same check, so the
address that was checked is the address connected to: the middleware resolves
through it, the result is cached, and the connection uses the cached answer; a
fresh lookup (cache evicted, DNS rebinding) is checked again. Known gap: the
resolver is IPv4-only (as Scrapy's default) and only knows the exempt host
names, not which source asks, so its own refusals read as DNS failures.

``RedirectGuardMiddleware`` looks at a redirect before RedirectMiddleware
follows it: a Location that is not http(s) (``file:``, ``data:``) and a redirect
loop end the request; an article that moves to another site (another registrable
domain) is not followed, so a page of somebody else's site is never stored as
this source's article. Each becomes a ``skipped`` (or loop: ``error``) fetch.

``VerifiedDownloadHandler`` verifies TLS certificates against certifi (or the
system store); Scrapy does not by default. A source with ``verify_tls = false``
is fetched through a separate, unverified connection pool.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urljoin, urlsplit

from OpenSSL import SSL
from scrapy import signals
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.exceptions import IgnoreRequest
from scrapy.resolver import CachingThreadedResolver
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet import defer
from twisted.internet.error import DNSLookupError
from twisted.internet.ssl import (
    Certificate,
    optionsForClientTLS,
    platformTrust,
    trustRootFromCertificates,
)
from twisted.web.iweb import IPolicyForHTTPS
from zope.interface import implementer

from scraper.urls import forbidden_address, is_address, is_loopback, same_site

if TYPE_CHECKING:
    from collections.abc import Sequence

    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

BLOCKED = "blocked: "
OFFSITE = "redirect to another site: "
SKIP_PREFIXES = (BLOCKED, OFFSITE)  # IgnoreRequest messages that make a `skipped` fetch
SCHEMES = ("http", "https")
REDIRECTS = (301, 302, 303, 307, 308)
VERIFY_META = "stet_verify_tls"


def blocked_reason(addresses: Iterable[str]) -> str | None:
    """"blocked: private address X" for the first forbidden address, else None.

    One forbidden address blocks the host: a name that resolves to both a public and
    a private address could be connected to either."""
    for address in addresses:
        if forbidden_address(address):
            return f"{BLOCKED}private address {address}"
    return None


def exempt_hosts(spider: Any, source_name: str | None = None) -> frozenset[str]:
    """Hosts of the start URLs of the sources that allow private addresses (of one source
    when named); the spider keeps its sources in ``spider.sources``."""
    sources = getattr(spider, "sources", None) or {}
    chosen = [sources[source_name]] if source_name in sources else (
        [] if source_name else list(sources.values()))
    return frozenset((urlsplit(url).hostname or "").lower() for source in chosen
                     if source.allow_private for url in source.urls)


def may_reach(host: str, exempt: frozenset[str]) -> bool:
    """Whether an exempt start host lets host through: the same host, or, for a source
    that starts on this machine, any other name of this machine (127.0.0.1, localhost)."""
    return host in exempt or (is_loopback(host) and any(is_loopback(h) for h in exempt))


class BlockedAddress(DNSLookupError):
    """A host name resolved to an address Stet may not connect to."""


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver that refuses to hand out forbidden addresses.

    Built from the crawler process's settings, before any spider exists: the
    AddressGuardMiddleware tells it the exempt hosts when the spider opens."""

    allow_all = False
    exempt: frozenset[str] = frozenset()

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: Any) -> GuardedResolver:
        resolver = super().from_crawler(crawler, reactor)
        resolver.allow_all = crawler.settings.getbool("STET_ALLOW_PRIVATE")
        return resolver

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> defer.Deferred[str]:
        return super().getHostByName(name, timeout).addCallback(self._check, name)

    def _check(self, address: str, name: str) -> str:
        reason = blocked_reason([address])
        if reason and not self.allow_all and not (
                may_reach(name.lower(), self.exempt) or may_reach(address, self.exempt)):
            raise BlockedAddress(reason, name)
        return address


class AddressGuardMiddleware:
    """Drop requests to non-http(s) URLs and to private addresses (module docs)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.allow_all = crawler.settings.getbool("STET_ALLOW_PRIVATE")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AddressGuardMiddleware:
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def spider_opened(self) -> None:
        from twisted.internet import reactor

        resolver = getattr(reactor, "resolver", None)
        if isinstance(resolver, GuardedResolver):
            resolver.exempt |= exempt_hosts(self.crawler.spider)

    async def process_request(self, request: Request) -> None:
        parts = urlparse_cached(request)
        if parts.scheme not in SCHEMES:
            self._block(request, f"{BLOCKED}not an http(s) URL")
        host = (parts.hostname or "").lower()
        exempt = exempt_hosts(self.crawler.spider, request.meta.get("stet_source") or "-")
        if self.allow_all or may_reach(host, exempt):
            return
        if is_address(host):
            reason = blocked_reason([host])
        else:
            reason = await self._resolve(host, exempt)
        if reason:
            self._block(request, reason)

    async def _resolve(self, host: str, exempt: frozenset[str]) -> str | None:
        """The reason to block host after resolving it through the reactor's resolver
        (GuardedResolver caches the answer the connection will use)."""
        if is_loopback(host):
            return f"{BLOCKED}private address ({host})"
        from twisted.internet import reactor

        try:
            address: str = await maybe_deferred_to_future(cast(Any, reactor).resolve(host))
        except BlockedAddress as error:
            return str(error.args[0])
        except DNSLookupError:
            return None  # the download fails with the DNS error, recorded as an error
        return None if may_reach(address, exempt) else blocked_reason([address])

    def _block(self, request: Request, reason: str) -> None:
        logger.info("%s: %s", request.url, reason)
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("stet/blocked")
        raise IgnoreRequest(reason)


class RedirectGuardMiddleware:
    """Check a redirect before RedirectMiddleware follows it (module docs)."""

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get(b"Location")
        if (response.status not in REDIRECTS or not location or request.meta.get("dont_redirect")
                or response.status in request.meta.get("handle_httpstatus_list", ())):
            return response
        target = urljoin(request.url, location.decode("latin-1").strip())
        if urlsplit(target).scheme.lower() not in SCHEMES:
            raise IgnoreRequest(f"{BLOCKED}redirect to a non-HTTP URL {target[:80]}")
        seen = [*request.meta.get("redirect_urls", []), request.url]
        if target in seen:
            raise IgnoreRequest(f"redirect loop: {request.url} -> {target}")
        if request.meta.get("stet_article") and not same_site(target, seen[0]):
            raise IgnoreRequest(f"{OFFSITE}{target[:200]}")
        return response


def tls_failure(error: BaseException | None) -> str | None:
    """"TLS: certificate verify failed" when a TLS error is behind error (Twisted wraps it
    in ResponseNeverReceived, Scrapy that in DownloadFailedError), else None."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, SSL.Error):
            parts = [str(item[-1]) for item in (error.args[0] if error.args else [])
                     if isinstance(item, tuple) and item]
            return "TLS: " + ("; ".join(parts) or str(error) or "handshake failed")
        reasons = getattr(error, "reasons", None)
        first = reasons[0] if isinstance(reasons, list) and reasons else None
        error = getattr(first, "value", None) or error.__cause__ or error.__context__
        seen += 1
    return None


def trust_root() -> Any:
    """certifi's CA bundle when installed, else the system store."""
    try:
        import certifi
    except ImportError:  # pragma: no cover - certifi comes with requests/tldextract
        return platformTrust()  # type: ignore[no-untyped-call]
    with open(certifi.where(), "rb") as bundle:
        blocks = bundle.read().split(b"-----END CERTIFICATE-----")
    certificates = [Certificate.loadPEM(block + b"-----END CERTIFICATE-----\n")
                    for block in blocks if b"-----BEGIN CERTIFICATE-----" in block]
    return trustRootFromCertificates(certificates)  # type: ignore[no-untyped-call]


@implementer(IPolicyForHTTPS)
class VerifyingPolicy:
    """TLS client options that check the chain and the host name."""

    def __init__(self) -> None:
        self.trust = trust_root()

    def creatorForNetloc(self, hostname: bytes, port: int) -> Any:
        return optionsForClientTLS(hostname.decode("ascii"), trustRoot=self.trust)


class VerifiedDownloadHandler:
    """http/https downloads; certificates verified unless the request's source opts out.

    Two HTTP/1.1 handlers with their own connection pools, so a connection opened
    without verification is never reused for a request that needs it."""

    lazy = False

    def __init__(self, crawler: Crawler) -> None:
        self.verified = HTTP11DownloadHandler(crawler)
        self.verified._contextFactory = cast(IPolicyForHTTPS, VerifyingPolicy())
        self.unverified = HTTP11DownloadHandler(crawler)  # Scrapy's default: no checks

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> VerifiedDownloadHandler:
        return cls(crawler)

    async def download_request(self, request: Request) -> Response:
        handler = self.unverified if request.meta.get(VERIFY_META) is False else self.verified
        return await handler.download_request(request)

    async def close(self) -> None:
        await self.verified.close()
        await self.unverified.close()
