"""Fetching: sources, discovery, Scrapy middlewares and pipeline, crawl runner, scheduler.

``CrawlRunner`` is imported on first use: a module of this package (the crawl child,
whose extraction workers import it again) need not pay for the runner's imports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scraper.crawl.runner import CrawlRunner

__all__ = ["CrawlRunner"]


def __getattr__(name: str) -> Any:
    if name == "CrawlRunner":
        from scraper.crawl.runner import CrawlRunner

        return CrawlRunner
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
