"""The Scrapy pipeline: clean each fetched page, then store it. Thin on purpose."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler

from scraper.clean import CleanPage, Selectors, clean_page
from scraper.items import FetchItem, PageItem
from scraper.revisit import DEFAULT_POLICY, RevisitPolicy
from scraper.store import Archive

logger = logging.getLogger(__name__)


class ArchivePipeline:
    """Writes every item to the archive named by the STET_DB setting."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.db_path = crawler.settings.get("STET_DB", "data/archive.db")
        self.archive: Archive | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.archive = Archive(self.db_path)

    def close_spider(self) -> None:
        if self.archive is not None:
            self.archive.close()

    def process_item(self, item: Any) -> Any:
        assert self.archive is not None
        policy = self._policy(getattr(item, "source", ""))
        if isinstance(item, PageItem):
            outcome = self.archive.save_page(item, self._clean(item), policy)
        elif isinstance(item, FetchItem):
            outcome = self.archive.save_fetch(item, policy)
        else:
            return item
        logger.info("%s %s", outcome, item.url)
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"stet/outcome/{outcome}")
        return item

    def _clean(self, item: PageItem) -> CleanPage:
        given = item.selectors
        remove = given.get("remove") or ()
        selectors = Selectors(
            headline=str(given.get("headline") or "") or None,
            body=str(given.get("body") or "") or None,
            remove=tuple(str(s) for s in remove) if isinstance(remove, list | tuple) else (),
        ) if given else None
        return clean_page(item.body, item.url, encoding=item.encoding, selectors=selectors)

    def _policy(self, source: str) -> RevisitPolicy:
        sources = getattr(self.crawler.spider, "sources", {}) or {}
        found = sources.get(source) if isinstance(sources, dict) else None
        return found.revisit if found is not None else DEFAULT_POLICY
