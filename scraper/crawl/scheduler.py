"""`stet schedule`: crawl passes on each source's interval until stopped.

The `schedule` library decides when; every job catches, logs and records its
own failure, because `schedule` does not, and one bad pass must not end months
of unattended running.
"""

from __future__ import annotations

import logging
import signal
import threading
from datetime import timedelta
from types import FrameType

import schedule

from scraper.crawl.runner import CrawlRunner
from scraper.crawl.sources import Source
from scraper.errors import StetError

logger = logging.getLogger(__name__)


class Watcher:
    """One `schedule.Scheduler` with a job per source, and a clean stop."""

    def __init__(self, runner: CrawlRunner, sources: list[Source],
                 every: timedelta | None = None) -> None:
        self.runner = runner
        self.stopping = threading.Event()
        self.scheduler = schedule.Scheduler()
        for source in sources:
            seconds = max(1, int((every or source.interval).total_seconds()))
            self.scheduler.every(seconds).seconds.do(self._pass, source)

    def run(self) -> None:
        """Run a pass for every source now, then each on its interval, until stopped."""
        previous = {sig: signal.signal(sig, self._on_signal)
                    for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            self.scheduler.run_all()
            while not self.stopping.is_set():
                self.scheduler.run_pending()
                idle = self.scheduler.idle_seconds
                self.stopping.wait(timeout=min(max(idle or 1.0, 0.1), 5.0))
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _pass(self, source: Source) -> None:
        if self.stopping.is_set():
            return
        try:
            result = self.runner.run_pass([source])
            level = logging.INFO if result.exit_code == 0 else logging.ERROR
            logger.log(level, "pass %s: %s (exit %s)", source.name, result.describe(),
                       result.exit_code)
        except StetError as error:  # the archive (disk full, read-only): one line, go on
            logger.error("pass %s failed: %s", source.name, error)
        except Exception:  # a failed pass must never end the loop
            logger.exception("pass %s failed", source.name)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        logger.warning("stopping after the current pages (signal %s)", signum)
        self.stopping.set()
        self.runner.stop()
