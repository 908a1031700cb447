"""`stet crawl`'s live progress on a terminal: pages fetched of those known so far,
new versions and errors, redrawn as the crawl process reports them (rich)."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from scraper.crawl.progress import Progress as CrawlProgress


class LiveProgress:
    """``with LiveProgress(label) as live: runner.run_pass(..., on_progress=live.update)``."""

    def __init__(self, label: str, console: Console | None = None) -> None:
        self.bar = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("pages · {task.fields[versions]} new versions · "
                       "{task.fields[errors]} errors"),
            TimeElapsedColumn(), console=console or Console(stderr=True), transient=True)
        self.task = self.bar.add_task(label, total=None, versions=0, errors=0)

    def update(self, progress: CrawlProgress) -> None:
        total = progress.fetched + progress.queued
        self.bar.update(self.task, completed=progress.fetched, total=max(total, 1),
                        versions=progress.new_versions, errors=progress.errors)

    def __enter__(self) -> LiveProgress:
        self.bar.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.bar.stop()
