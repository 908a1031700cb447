"""Fetching: sources, discovery, Scrapy middlewares and pipeline, crawl runner, scheduler."""

from scraper.crawl.runner import CrawlRunner

__all__ = ["CrawlRunner"]
