"""One crawl pass: `scrapy crawl articles` in its own process.

A process per pass because Twisted's reactor cannot be restarted, and because a
pass that dies (out of memory, a killed process) must not take the scheduler
with it. Each page is saved in its own transaction, so a pass stopped at any
moment leaves a consistent archive that the next pass completes.

A pass is judged after it ends (issue 12): ``ok``, ``failed`` (nothing of the
source could be read, or the process failed), ``timeout`` (its deadline passed and
it was stopped) or ``stopped`` (the scheduler was asked to stop). The `passes` row
carries that state, an error text, and a non-zero exit code for a failed pass.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from scraper.crawl.process import CrawlProcess
from scraper.crawl.progress import Progress, failure_of, read_progress
from scraper.crawl.sources import Source
from scraper.errors import ArchiveError
from scraper.store import Archive
from scraper.timeutil import iso, utcnow

logger = logging.getLogger(__name__)
EXIT_SOURCE_FAILED = 3  # `passes.exit_code` of a pass whose process ended well but read nothing
EXIT_TIMEOUT = 124  # as timeout(1)
POLL_SECONDS = 0.2


@dataclass(frozen=True)
class PassResult:
    exit_code: int
    outcomes: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    state: str = "ok"  # ok, failed, timeout or stopped

    @property
    def crashed(self) -> bool:
        """The crawl process itself failed (not merely the sites)."""
        return self.state == "failed" and self.exit_code not in (0, EXIT_SOURCE_FAILED)

    @property
    def failed(self) -> bool:
        """The source could not be read (a stop asked for is no failure)."""
        return self.state in ("failed", "timeout")

    def describe(self) -> str:
        total = sum(self.outcomes.values())
        parts = ", ".join(f"{n} {name}" for name, n in sorted(self.outcomes.items()))
        text = f"{total} fetches" + (f": {parts}" if parts else "")
        return text if self.state == "ok" else f"{text}; {self.state}: {self.error}"


class RunningPass:
    """A started pass: poll it, read its progress, stop it, then finish (record) it."""

    def __init__(self, runner: CrawlRunner, sources: list[Source], everything: bool,
                 deadline: float | None) -> None:
        self.runner = runner
        self.names = [s.name for s in sources]
        self.everything = everything
        self.started = iso(utcnow())
        self._folder = tempfile.TemporaryDirectory(prefix="stet-")
        folder = Path(self._folder.name)
        self.progress_path = folder / "progress.json"
        self.failure_path = folder / "failure.txt"  # the pipeline's fatal archive error
        plan_path = folder / "plan.json"
        plan = {"db": str(runner.db_path), "all": everything,
                "sources": [s.to_plan() for s in sources]}
        plan_path.write_text(json.dumps(plan), encoding="utf-8")
        self.process = CrawlProcess(runner.scrapy_args(plan_path, self.failure_path,
                                                       self.progress_path),
                                    runner.environment(), deadline)

    def poll(self) -> int | None:
        return self.process.poll()

    def progress(self) -> Progress:
        return read_progress(self.progress_path)

    def stop(self) -> None:
        self.process.stop()

    def finish(self) -> PassResult:
        """Judge and record the ended pass; ArchiveError when the archive was unwritable."""
        exit_code = self.process.wait()
        self.runner.running.discard(self)
        failure = (self.failure_path.read_text(encoding="utf-8")
                   if self.failure_path.exists() else "")
        progress = self.progress()
        self._folder.cleanup()
        state, error, exit_code = self._verdict(exit_code, failure, progress)
        try:
            outcomes = self.runner.record(self.started, self.names, self.everything,
                                          exit_code, error, state)
        except ArchiveError:
            if not failure:
                raise
            outcomes = {}  # the archive is still unwritable: the pass's own error says why
        if failure:
            raise ArchiveError(failure)
        return PassResult(exit_code, outcomes, error, state)

    def _verdict(self, exit_code: int, failure: str,
                 progress: Progress) -> tuple[str, str | None, int]:
        if self.process.timed_out:
            return "timeout", "the pass's deadline passed", exit_code or EXIT_TIMEOUT
        if self.process.stop_requested:
            return "stopped", "stopped by a signal", exit_code
        if failure or exit_code != 0:
            return "failed", failure or f"crawl process exited with status {exit_code}", \
                exit_code
        why = failure_of(progress)
        return ("failed", why, EXIT_SOURCE_FAILED) if why else ("ok", None, 0)


class CrawlRunner:
    """Starts passes, each in its own process, and can stop every one running."""

    def __init__(self, db_path: Path, *, log_level: str = "WARNING",
                 settings: dict[str, str] | None = None, verbosity: int = 1) -> None:
        self.db_path = db_path
        self.log_level = log_level
        self.settings = settings or {}
        self.verbosity = verbosity
        self.running: set[RunningPass] = set()

    def start(self, sources: list[Source], *, everything: bool = False,
              deadline: float | None = None) -> RunningPass:
        """Start a pass; deadline: seconds after which it is stopped and counted failed."""
        running = RunningPass(self, sources, everything, deadline)
        self.running.add(running)
        return running

    def run_pass(self, sources: list[Source], *, everything: bool = False,
                 deadline: float | None = None,
                 on_progress: Callable[[Progress], None] | None = None) -> PassResult:
        """One pass to its end; ArchiveError when the archive could not be written."""
        running = self.start(sources, everything=everything, deadline=deadline)
        try:
            while running.poll() is None:
                if on_progress is not None:
                    on_progress(running.progress())
                time.sleep(POLL_SECONDS)
        except KeyboardInterrupt:
            running.stop()
        return running.finish()

    def stop(self) -> None:
        """Stop every running pass: SIGTERM now, SIGKILL after a short grace."""
        for running in list(self.running):
            running.stop()

    def record(self, started: str, names: list[str], everything: bool, exit_code: int,
               error: str | None, state: str) -> dict[str, int]:
        archive = Archive(self.db_path)
        try:
            return archive.record_pass(started, iso(utcnow()), names, everything, exit_code,
                                       error, state=state)
        finally:
            archive.close()

    def scrapy_args(self, plan_path: Path, failure_path: Path, progress_path: Path) -> list[str]:
        args = ["crawl", "articles", "-a", f"plan={plan_path}", "-s", f"STET_DB={self.db_path}",
                "-s", f"LOG_LEVEL={self.log_level}", "-s", f"STET_FAILURE_FILE={failure_path}",
                "-s", f"STET_PROGRESS_FILE={progress_path}"]
        for name, value in self.settings.items():
            args += ["-s", f"{name}={value}"]
        return args

    def environment(self) -> dict[str, str]:
        return {**os.environ, "SCRAPY_SETTINGS_MODULE": "scraper.settings",
                "STET_VERBOSITY": str(self.verbosity)}
