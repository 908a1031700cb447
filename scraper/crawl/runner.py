"""One crawl pass: `scrapy crawl articles` in its own process.

A process per pass because Twisted's reactor cannot be restarted, and because a
pass that dies (out of memory, a killed process) must not take the scheduler
with it. Each page is saved in its own transaction, so a pass stopped at any
moment leaves a consistent archive that the next pass completes.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from scraper.crawl.sources import Source
from scraper.errors import ArchiveError
from scraper.store import Archive
from scraper.timeutil import iso, utcnow

logger = logging.getLogger(__name__)
STOP_GRACE_SECONDS = 60


@dataclass(frozen=True)
class PassResult:
    exit_code: int
    outcomes: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        total = sum(self.outcomes.values())
        parts = ", ".join(f"{n} {name}" for name, n in sorted(self.outcomes.items()))
        return f"{total} fetches" + (f": {parts}" if parts else "")


class CrawlRunner:
    """Runs passes one at a time and can stop the one running (for SIGTERM)."""

    def __init__(self, db_path: Path, *, log_level: str = "WARNING",
                 settings: dict[str, str] | None = None) -> None:
        self.db_path = db_path
        self.log_level = log_level
        self.settings = settings or {}
        self._process: subprocess.Popen[bytes] | None = None

    def run_pass(self, sources: list[Source], *, everything: bool = False) -> PassResult:
        """One pass; ArchiveError when the archive could not be written (disk full, read-only)."""
        started = iso(utcnow())
        with tempfile.TemporaryDirectory(prefix="stet-") as folder:
            plan_path = Path(folder) / "plan.json"
            failure_path = Path(folder) / "failure.txt"  # the pipeline's fatal archive error
            plan = {"db": str(self.db_path), "all": everything,
                    "sources": [s.to_plan() for s in sources]}
            plan_path.write_text(json.dumps(plan), encoding="utf-8")
            exit_code = self._run(self._command(plan_path, failure_path))
            failure = failure_path.read_text(encoding="utf-8") if failure_path.exists() else ""
        error = failure or (None if exit_code == 0 else f"crawl process exited with status "
                                                        f"{exit_code}")
        try:
            outcomes = self._record(started, [s.name for s in sources], everything, exit_code,
                                    error)
        except ArchiveError:
            if not failure:
                raise
            outcomes = {}  # the archive is still unwritable: the pass's own error says why
        if failure:
            raise ArchiveError(failure)
        return PassResult(exit_code, outcomes)

    def _record(self, started: str, names: list[str], everything: bool, exit_code: int,
                error: str | None) -> dict[str, int]:
        archive = Archive(self.db_path)
        try:
            return archive.record_pass(started, iso(utcnow()), names, everything, exit_code,
                                       error)
        finally:
            archive.close()

    def stop(self) -> None:
        """Ask the running pass to finish its in-flight pages and exit."""
        process = self._process
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGINT)

    def _command(self, plan_path: Path, failure_path: Path) -> list[str]:
        command = [sys.executable, "-m", "scrapy", "crawl", "articles", "-a", f"plan={plan_path}",
                   "-s", f"STET_DB={self.db_path}", "-s", f"LOG_LEVEL={self.log_level}",
                   "-s", f"STET_FAILURE_FILE={failure_path}"]
        for name, value in self.settings.items():
            command += ["-s", f"{name}={value}"]
        return command

    def _run(self, command: list[str]) -> int:
        env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "scraper.settings"}
        # Own session: a Ctrl-C at the terminal reaches only us, and we forward exactly one
        # SIGINT (a second one would make Scrapy stop uncleanly).
        self._process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL,
                                         start_new_session=True)
        try:
            return self._process.wait()
        except KeyboardInterrupt:
            self.stop()
            return self._process.wait(timeout=STOP_GRACE_SECONDS)
        finally:
            self._process = None
