"""`stet reextract`: run the current cleaner again over the kept HTML of every version.

A better cleaner changes the text of all of an article's versions alike, so the
diffs between them stay what they were and no edit appears; where it removes
noise that had made a false version, that version is marked as merged into the
one it duplicates and drops out of `stet changes`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from scraper.clean import CLEANER_VERSION, clean_page
from scraper.clean.site import SiteProfile
from scraper.model import CleanPage, Selectors
from scraper.store import Archive
from scraper.store.profiles import SiteLearning

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReextractResult:
    articles: int
    versions: int
    rewritten: int
    merged: int
    seconds: float
    learned: int = 0  # blocks newly learned about the sources (issue 9)

    def describe(self) -> str:
        rate = self.versions / self.seconds if self.seconds else 0.0
        return (f"{self.articles} articles, {self.versions} versions re-extracted in "
                f"{self.seconds:.1f} s ({rate:.0f} pages/s): {self.rewritten} with new text, "
                f"{self.merged} merged into an identical earlier version; "
                f"{self.learned} site blocks learned")


def reextract(archive: Archive, *, source: str = "",
              selectors: Mapping[str, Mapping[str, Any]] | None = None) -> ReextractResult:
    """Re-clean every version of every article (of one source when given)."""
    started = time.perf_counter()
    totals = [0, 0, 0, 0]
    learning, learned = SiteLearning(archive), 0
    for article_id in archive.article_ids(source):
        article = archive.find_article(article_id)
        if article is None:
            continue
        chosen = Selectors.from_config((selectors or {}).get(article.source))
        pages = _clean_versions(archive, article_id, article.url, chosen,
                                learning.profile(article.source))
        rewritten, merged = archive.rewrite_versions(article_id, pages, CLEANER_VERSION)
        # Learn from history too; what is learned is applied to the articles seen so far.
        learned += len(learning.observe(article.source, article_id,
                                        archive.versions(article_id), "reextract"))
        for index, value in enumerate((1, len(pages), rewritten, merged)):
            totals[index] += value
    articles, versions, rewritten, merged = totals
    return ReextractResult(articles, versions, rewritten, merged, time.perf_counter() - started,
                           learned)


def _clean_versions(archive: Archive, article_id: int, url: str,
                    selectors: Selectors | None, profile: SiteProfile) -> dict[int, CleanPage]:
    pages = {}
    for number, body, encoding in archive.kept_pages(article_id):
        pages[number] = clean_page(body, url, encoding=encoding, selectors=selectors,
                                   profile=profile)
    return pages
