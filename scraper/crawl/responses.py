"""What the spider asks of a response or its plan, as plain functions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.http import Response

from scraper.crawl.middlewares import retry_after_seconds
from scraper.errors import ConfigError
from scraper.urls import looks_like_article_url

HTML_TYPES = ("text/html", "application/xhtml+xml")
UNTYPED = ("application/octet-stream", "binary/octet-stream", "application/unknown")


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
