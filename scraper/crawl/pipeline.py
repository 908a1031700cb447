"""The Scrapy pipeline: clean each fetched page, then store it. Thin on purpose.

Cleaning runs in worker processes (crawl/workers.py, STET_EXTRACT_WORKERS); storing
stays here, one writer for the archive.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro

from scraper.clean import CLEANER_VERSION
from scraper.crawl.workers import ExtractionPool, default_workers
from scraper.errors import ArchiveError
from scraper.model import CleanPage, FetchItem, Ordered, PageItem, Selectors
from scraper.store import DEFAULT_ARCHIVE, Archive
from scraper.store.noise import only_noise
from scraper.store.normalize import text_hash
from scraper.store.profiles import SiteLearning
from scraper.store.queries import KeptPage
from scraper.store.revisit import DEFAULT_POLICY, RevisitPolicy

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Compared:
    """A fetched page cleaned now and, when its text is not the current version's, that
    version's kept page (HTML and charset) cleaned the same way."""

    page: CleanPage
    baseline: CleanPage | None = None
    kept: KeptPage | None = None


def _texts(page: CleanPage) -> str:
    return text_hash(page.headline, page.byline, page.body)


def _read_otherwise(compared: Compared) -> bool:
    """Whether the current version's kept page, cleaned now, reads otherwise than the
    stored text (a container or headline learned since): history is then read again
    before the fetched page is compared, so that an edit is diffed against like, not
    mixed with Stet's new reading of the page (a paragraph the old reading missed)."""
    return (compared.kept is not None and compared.baseline is not None
            and compared.kept.text_hash != _texts(compared.baseline))


class ArchivePipeline:
    """Writes every item to the archive named by the STET_DB setting."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.db_path = crawler.settings.get("STET_DB", DEFAULT_ARCHIVE)
        self.archive: Archive | None = None
        self.learning: SiteLearning | None = None  # issue 9: learns as pages arrive
        self.pool: ExtractionPool | None = None
        self.failure = ""  # a fatal archive error (disk full, read-only): the pass stops

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.archive = Archive(self.db_path)
        if self.crawler.settings.getbool("STET_SITE_LEARNING", True):
            self.learning = SiteLearning(self.archive)
        workers = self.crawler.settings.get("STET_EXTRACT_WORKERS")
        self.pool = ExtractionPool(default_workers() if workers in (None, "") else int(workers))

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.close()
        if self.archive is not None:
            self.archive.close()

    async def process_item(self, item: Any) -> Any:
        assert self.archive is not None
        page = await self._clean(item) if isinstance(item, PageItem) and not self.failure \
            else None
        if self.failure:
            return item
        policy = self._policy(getattr(item, "source", ""))
        try:
            if isinstance(item, PageItem):
                assert page is not None
                compared = await self._baseline(item, page)
                page, baseline = compared.page, compared.baseline
                if baseline is not None and (_texts(baseline) == _texts(page)
                                             or _read_otherwise(compared)):
                    await self._catch_up(item)
                outcome = self.archive.save_page(item, page, policy, baseline,
                                                 await self._ordered(item, compared))
                if outcome in ("new", "changed") and self.learning is not None:
                    self.learning.observe_page(item.source, item.url, item.fetched_at,
                                               page.template)
            elif isinstance(item, FetchItem):
                outcome = self.archive.save_fetch(item, policy)
            else:
                return item
        except ArchiveError as error:
            self._stop(str(error))
            return item
        logger.info("%s %s", outcome, item.url)
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"stet/outcome/{outcome}")
        return item

    def _stop(self, failure: str) -> None:
        """End the pass after a fatal archive error; tell the runner (STET_FAILURE_FILE).

        Every page saved so far is complete (one transaction each), so stopping is safe.
        """
        self.failure = failure
        path = self.crawler.settings.get("STET_FAILURE_FILE") or ""
        if path:
            try:
                Path(path).write_text(failure, encoding="utf-8")
            except OSError:
                path = ""
        # The runner reports it in one line; a bare `scrapy crawl` has only the log.
        logger.log(logging.INFO if path else logging.ERROR, "stopping the pass: %s", failure)
        assert self.crawler.engine is not None
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="archive_error"))

    async def _clean(self, item: PageItem, body: bytes | None = None,
                     encoding: str | None = None, ordered: bool = False) -> CleanPage:
        assert self.pool is not None
        selectors = Selectors.from_config(item.selectors)
        profile = self.learning.profile(item.source) if self.learning is not None else None
        page = await self.pool.clean(item.body if body is None else body, item.url,
                                     encoding=item.encoding if body is None else encoding,
                                     selectors=selectors, profile=profile, ordered=ordered)
        if self.learning is None or self.learning.profile(item.source) is profile:
            return page  # cleaned with what is known now (issue 10: no second pass over it)
        # Learned since: what was learned is applied to the text. A container or headline
        # learned meanwhile is used from the next fetch on, when the earlier fetch's page,
        # cleaned again (`_baseline`), shows the page did not change (`_catch_up`).
        return self.learning.settle(item.source, page)

    async def _baseline(self, item: PageItem, page: CleanPage) -> Compared:
        """The page, and the current version's kept page cleaned now as the page is, when
        their texts differ: the archive tells a change of cleaner or of learned state from
        an edit. Both are cleaned with what is known now (the page may have been cleaned
        before a container or a headline of its site was learned)."""
        assert self.archive is not None
        if not page.body or page.blocked:
            return Compared(page)
        try:
            kept = self.archive.stale_raw([item.url, item.requested_url], page)
        except ArchiveError as error:  # a kept page that cannot be read: compare texts only
            logger.warning("%s: %s", item.url, error)
            return Compared(page)
        if kept is None:
            return Compared(page)
        return Compared(await self._clean(item),
                        await self._clean(item, kept.content, kept.encoding), kept)

    async def _ordered(self, item: PageItem, compared: Compared) -> Ordered | None:
        """The kept page and the fetched one cleaned with their link lists in one order,
        when their texts differ by more than volatile noise: a rotated list of promo cards
        kept in the story is then no edit (versioning.same_page)."""
        page, baseline = compared.page, compared.baseline
        if compared.kept is None or baseline is None or not baseline.body \
                or _texts(baseline) == _texts(page) or only_noise(
                    (baseline.headline, baseline.byline, baseline.body),
                    (page.headline, page.byline, page.body)):
            return None
        kept = compared.kept
        return Ordered(await self._clean(item, kept.content, kept.encoding, ordered=True),
                       await self._clean(item, ordered=True))

    async def _catch_up(self, item: PageItem) -> None:
        """The page did not change but Stet's reading of it did (a new cleaner, a selector,
        something learned about the site): the article's stored versions are read again
        from their kept pages, as `stet reextract` does, so that history and the next
        fetch compare like with like."""
        assert self.archive is not None
        article = self.archive.find_article(item.url) or (
            self.archive.find_article(item.requested_url) if item.requested_url else None)
        if article is None:
            return
        pages = {number: await self._clean(item, body, encoding)
                 for number, body, encoding in self.archive.kept_pages(article.id)}
        rewritten, merged = self.archive.rewrite_versions(article.id, pages, CLEANER_VERSION)
        logger.info("%s read again from its kept pages: %d versions with new text, %d merged",
                    item.url, rewritten, merged)

    def _policy(self, source: str) -> RevisitPolicy:
        sources = getattr(self.crawler.spider, "sources", {}) or {}
        found = sources.get(source) if isinstance(sources, dict) else None
        return found.revisit if found is not None else DEFAULT_POLICY
