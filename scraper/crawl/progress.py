"""What a running crawl has done so far, told to its parent through a small JSON file.

``StatsFile`` is a Scrapy extension: with ``STET_PROGRESS_FILE`` set, it writes the
crawl's stats there twice a second and once more when the crawl closes (written to a
temporary name and renamed, so a reader never sees half a file). The parent reads it
for the live progress bar of ``stet crawl`` and to judge whether a source's pass
failed (issue 12).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Scrapy only in the crawl process: the runner reads progress without it
    from scrapy.crawler import Crawler

INTERVAL_SECONDS = 0.5
GOOD_OUTCOMES = ("new", "changed", "unchanged", "not_modified", "gone")
EXCEPTION_PREFIX = "downloader/exception_type_count/"


class StatsFile:
    """Scrapy extension: the crawl's stats as JSON in STET_PROGRESS_FILE, kept current."""

    def __init__(self, crawler: Crawler, path: str) -> None:
        from twisted.internet.task import LoopingCall

        self.crawler = crawler
        self.path = Path(path)
        self.loop = LoopingCall(self.write)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StatsFile:
        from scrapy import signals
        from scrapy.exceptions import NotConfigured

        path = crawler.settings.get("STET_PROGRESS_FILE")
        if not path:
            raise NotConfigured
        extension = cls(crawler, str(path))
        crawler.signals.connect(extension.opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def opened(self) -> None:
        self.loop.start(INTERVAL_SECONDS, now=True)

    def closed(self, reason: str) -> None:
        if self.loop.running:
            self.loop.stop()
        self.write(finished=reason)

    def write(self, finished: str = "") -> None:
        stats = dict(self.crawler.stats.get_stats()) if self.crawler.stats else {}
        stats["stet/finished"] = finished
        temporary = self.path.with_name(self.path.name + ".tmp")
        try:
            temporary.write_text(json.dumps(stats, default=str), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError:  # the runner's folder is gone: it stopped listening
            pass


@dataclass(frozen=True)
class Progress:
    """The counts the progress bar and the pass's verdict need."""

    fetched: int = 0
    queued: int = 0
    new_versions: int = 0
    errors: int = 0
    good: int = 0
    robots_unavailable: int = 0
    exception: str = ""

    @classmethod
    def from_stats(cls, stats: dict[str, Any]) -> Progress:
        def count(name: str) -> int:
            value = stats.get(name, 0)
            return int(value) if isinstance(value, int | float) else 0

        exceptions = sorted(((count(k), k[len(EXCEPTION_PREFIX):]) for k in stats
                             if k.startswith(EXCEPTION_PREFIX)), reverse=True)
        return cls(
            fetched=count("response_received_count"),
            queued=max(0, count("scheduler/enqueued") - count("scheduler/dequeued")),
            new_versions=count("stet/outcome/new") + count("stet/outcome/changed"),
            errors=count("stet/outcome/error"),
            good=sum(count(f"stet/outcome/{name}") for name in GOOD_OUTCOMES),
            robots_unavailable=count("robotstxt/unavailable"),
            exception=exceptions[0][1].rsplit(".", 1)[-1] if exceptions else "",
        )


def read_progress(path: Path) -> Progress:
    """The latest counts in a stats file (all zero before the first write)."""
    try:
        return Progress.from_stats(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return Progress()


def failure_of(progress: Progress) -> str | None:
    """Why a finished pass counts as a failed one for its source, or None when it did not.

    A source fails when nothing of it could be read: no page fetched at all, its
    robots.txt unreachable, or every fetch an error. A pass that fetched its home page
    and found nothing new is a success.
    """
    if progress.good:
        return None
    cause = f" ({progress.exception})" if progress.exception else ""
    if progress.robots_unavailable:
        return f"robots.txt unreachable{cause}"
    if not progress.fetched:
        return f"no page fetched{cause}"
    if progress.errors:
        return f"every fetch failed ({progress.errors} errors){cause}"
    return None
