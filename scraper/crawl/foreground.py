"""`stet crawl`: one pass in the foreground, stopped cleanly by Ctrl-C or SIGTERM, with a
live progress bar on a terminal (issue 12)."""

from __future__ import annotations

import signal
from types import FrameType

from scraper.crawl.live import LiveProgress
from scraper.crawl.runner import CrawlRunner, PassResult
from scraper.crawl.sources import Source


def crawl_in_foreground(runner: CrawlRunner, sources: list[Source], *, everything: bool,
                        live: bool) -> PassResult:
    """Run one pass to its end; a SIGTERM stops it within seconds (it is still recorded)."""
    def on_term(signum: int, frame: FrameType | None) -> None:
        runner.stop()

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        if not live:
            return runner.run_pass(sources, everything=everything)
        with LiveProgress(", ".join(s.name for s in sources)[:40]) as bar:
            return runner.run_pass(sources, everything=everything, on_progress=bar.update)
    finally:
        signal.signal(signal.SIGTERM, previous)
