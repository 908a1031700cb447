"""What the spider asks of a response or its plan, as plain functions."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError

from scraper.crawl import discover
from scraper.crawl.middlewares import FORBIDDEN, describe, retry_after_seconds
from scraper.crawl.safety import SKIP_PREFIXES
from scraper.crawl.sources import Source
from scraper.errors import ConfigError
from scraper.model import FetchItem, PageItem
from scraper.timeutil import iso, utcnow
from scraper.urls import canonicalize_url, looks_like_article_url

HTML_TYPES = ("text/html", "application/xhtml+xml")
UNTYPED = ("application/octet-stream", "binary/octet-stream", "application/unknown")
CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Failed:
    """What a failed request becomes: its fetch outcome, HTTP status and one-line error."""
    outcome: str
    status: int | None
    text: str


def failure_of(error: BaseException | None, max_size: int) -> Failed:
    """How a request failed: a robots.txt or safety skip, an HTTP error, an oversized
    body (max_size: DOWNLOAD_MAXSIZE), or another error, described in one line."""
    if error is None:  # a Failure always carries one; its type says it may not
        return Failed("error", None, "request failed")
    if isinstance(error, HttpError):
        return Failed("error", error.response.status, http_error_text(error.response))
    if isinstance(error, IgnoreRequest):
        text = str(error) or "request dropped"
        skipped = text == FORBIDDEN or text.startswith(SKIP_PREFIXES)
        return Failed("skipped" if skipped else "error", None, text)
    if isinstance(error, DownloadCancelledError) and not str(error):
        # A body without Content-Length is cancelled wordlessly once it passes the limit.
        return Failed("error", None, f"DownloadCancelledError: body larger than "
                                     f"DOWNLOAD_MAXSIZE ({max_size} B)")
    return Failed("error", None, describe(error))


def fetch_item(response: Response, outcome: str, error: str | None = None) -> FetchItem:
    """A fetch that stores no page: its outcome, and the error when there is one."""
    return FetchItem(url=requested_url(response.request, response.url),
                     source=response.meta["stet_source"], fetched_at=iso(utcnow()),
                     outcome=outcome, status=response.status, error=error)


def is_feed(response: Response) -> bool:
    """A 200 answer whose body is an RSS, RSS 1.0 or Atom feed (whatever its type says)."""
    return response.status == 200 and discover.sniff_document(
        response.body, header(response, "Content-Type"), response.url) == "feed"


def page_item(source: Source, response: Response, root: Any = None) -> PageItem:
    """An article page to clean and store, named by its trusted canonical link."""
    asked = requested_url(response.request, response.url)
    final = canonicalize_url(response.url)
    canonical = discover.canonical_link(root if root is not None else response.body, final)
    url = canonical if trust_canonical(canonical, final, source.article_pattern) else final
    charset = CHARSET.search(header(response, "Content-Type"))
    return PageItem(
        url=url, source=source.name, status=response.status, body=response.body,
        fetched_at=iso(utcnow()), requested_url=asked if asked != url else "",
        encoding=charset.group(1) if charset else None, etag=header(response, "ETag"),
        last_modified=header(response, "Last-Modified"), selectors=dict(source.selectors),
    )


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
