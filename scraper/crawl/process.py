"""One crawl child process: started in its own process group, stopped within a bound.

A stop is SIGTERM to Scrapy (it closes gracefully: no new requests), then SIGKILL to
the whole process group once STOP_GRACE_SECONDS have passed whatever the sites do --
a host that accepts connections and never answers must not hold a stop for minutes
(issue 12).
A killed crawl loses only the pages in flight: each saved page is its own transaction.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

STOP_GRACE_SECONDS = 5.0


class CrawlProcess:
    """``python -m scraper.crawl.child`` with the given Scrapy arguments."""

    def __init__(self, scrapy_args: list[str], env: dict[str, str],
                 deadline_seconds: float | None = None) -> None:
        command = [sys.executable, "-m", "scraper.crawl.child", *scrapy_args]
        self.started = time.monotonic()
        self.deadline = None if deadline_seconds is None else self.started + deadline_seconds
        self.timed_out = False
        self.stop_requested = False
        self._kill_at: float | None = None
        self.popen = subprocess.Popen(
            command, env={**env, "STET_PARENT_PID": str(os.getpid())},
            stdin=subprocess.DEVNULL, start_new_session=True)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def poll(self) -> int | None:
        """The exit status once finished; enforces the deadline and the stop's grace."""
        code = self.popen.poll()
        if code is not None:
            return code
        now = time.monotonic()
        if self.deadline is not None and now >= self.deadline and not self.stop_requested:
            self.timed_out = True
            self.stop()
        if self._kill_at is not None and now >= self._kill_at:
            self._signal(signal.SIGKILL)
        return None

    def stop(self, grace: float = STOP_GRACE_SECONDS) -> None:
        """Ask the crawl to close; it is killed if it has not within grace seconds."""
        if self.popen.poll() is not None:
            return
        if not self.stop_requested:
            self.stop_requested = True
            self._signal(signal.SIGTERM, group=False)
        kill_at = time.monotonic() + grace
        self._kill_at = kill_at if self._kill_at is None else min(self._kill_at, kill_at)

    def wait(self, poll_seconds: float = 0.1) -> int:
        while (code := self.poll()) is None:
            time.sleep(poll_seconds)
        return code

    def _signal(self, signum: int, group: bool = True) -> None:
        """SIGTERM goes to Scrapy alone, which then closes its own helpers (its extraction
        workers finish the pages they hold); SIGKILL goes to the whole group."""
        try:
            if group:
                os.killpg(self.popen.pid, signum)
            else:
                self.popen.send_signal(signum)
        except (ProcessLookupError, PermissionError):
            pass
