"""`stet schedule`: crawl passes on each source's interval until stopped.

The `schedule` library decides when: one job per source, whose next run is moved
out by the source's back-off. Built to be left alone for months (issue 12):
- sources run side by side, up to ``jobs`` crawl processes at once, each pass with a
  deadline, so a host that never answers costs only its own source;
- a source whose pass fails waits exponentially longer (capped, reset on success),
  is marked backing off, then degraded, and recovers by itself;
- SIGTERM or Ctrl-C stops the running passes within seconds (exit 0); SIGHUP reads
  the sources file again;
- every pass catches, logs and records its own failure: one bad pass never ends the loop.
The per-source state is kept in the archive (``source_state``) for `stet status` and
so that a restart keeps a failing source's back-off.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import FrameType

import schedule

from scraper.crawl.runner import CrawlRunner, PassResult, RunningPass
from scraper.crawl.sources import Source
from scraper.errors import StetError
from scraper.store import Archive
from scraper.store.status import SourceState, load_source_states, save_source_state
from scraper.timeutil import iso, parse_iso, utcnow

logger = logging.getLogger(__name__)
TICK_SECONDS = 0.2
DEADLINE_FACTOR = 3  # a pass may take this many intervals ...
DEADLINE_FLOOR = timedelta(minutes=2)  # ... but at least this (a crawl process starts slowly)
DEADLINE_CAP = timedelta(hours=1)  # ... and at most this
BACKOFF_CAP = timedelta(hours=6)
DEGRADED_AFTER = 3  # consecutive failed passes

AfterPass = Callable[[Source, str, PassResult], None]


@dataclass(frozen=True)
class WatchOptions:
    every: timedelta | None = None  # interval for every source, instead of its own
    jobs: int = 4  # crawl processes at once
    deadline: timedelta | None = None  # per pass; default from the interval
    once: bool = False  # every due source one time, then return (for cron)


def deadline_for(interval: timedelta, chosen: timedelta | None = None) -> float:
    if chosen is not None:
        return chosen.total_seconds()
    return min(max(interval * DEADLINE_FACTOR, DEADLINE_FLOOR), DEADLINE_CAP).total_seconds()


def backoff(interval: timedelta, failures: int) -> timedelta:
    """The wait after the n-th consecutive failure: interval x 2^n, capped."""
    cap = max(interval, BACKOFF_CAP)
    return cap if failures >= 30 else min(interval * (2 ** failures), cap)


def state_name(failures: int) -> str:
    if failures == 0:
        return "ok"
    return "backing off" if failures < DEGRADED_AFTER else "degraded"


class Watcher:
    """The loop: start due passes, reap finished ones, stop cleanly on a signal."""

    def __init__(self, runner: CrawlRunner, sources: list[Source],
                 options: WatchOptions | None = None, *,
                 reload: Callable[[], list[Source]] | None = None,
                 after_pass: AfterPass | None = None) -> None:
        self.runner = runner
        self.options = options or WatchOptions()
        self.reload = reload
        self.after_pass = after_pass
        self.stopping = threading.Event()
        self.reload_requested = False
        self.sources: dict[str, Source] = {}
        self.scheduler = schedule.Scheduler()
        self.jobs: dict[str, schedule.Job] = {}  # one per source
        self.deferred: set[str] = set()  # due, but running or out of crawl slots
        self.states: dict[str, SourceState] = {}
        self.running: dict[str, RunningPass] = {}
        self.passed: set[str] = set()
        self._set_sources(sources)

    def interval(self, source: Source) -> timedelta:
        return self.options.every or source.interval

    def run(self) -> None:
        """Run until stopped (or, with once, until every due source had its pass)."""
        handlers = {signal.SIGTERM: self._on_stop, signal.SIGINT: self._on_stop,
                    signal.SIGHUP: self._on_reload}
        previous = {sig: signal.signal(sig, handler) for sig, handler in handlers.items()}
        try:
            self._restore_states()
            while not self.stopping.is_set() and not self._finished_once():
                self.tick()
                self.stopping.wait(timeout=TICK_SECONDS)
            self._stop_running()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def tick(self) -> None:
        if self.reload_requested:
            self.reload_requested = False
            self._reload()
        for name, running in list(self.running.items()):
            if running.poll() is not None:
                self._reap(name, running)
        if not self.stopping.is_set():
            self.deferred.clear()
            self.scheduler.run_pending()
            for name in self.deferred:  # still due: tried again on the next tick
                self._next_run(name, timedelta(0))

    def _start(self, name: str) -> None:
        """A source's job: start its pass, unless it runs already or every slot is taken."""
        if name in self.passed:
            return
        if name in self.running or len(self.running) >= self.options.jobs:
            self.deferred.add(name)
            return
        source = self.sources[name]
        deadline = deadline_for(self.interval(source), self.options.deadline)
        try:
            self.running[name] = self.runner.start([source], deadline=deadline)
        except OSError as error:  # no process could be started (out of memory, pids)
            logger.error("pass %s could not start: %s", name, error)

    def _next_run(self, name: str, wait: timedelta) -> None:
        if name in self.jobs:
            self.jobs[name].next_run = datetime.now() + wait

    def _reap(self, name: str, running: RunningPass) -> None:
        del self.running[name]
        source = self.sources.get(name)
        try:
            result = running.finish()
        except StetError as error:  # the archive (disk full, read-only): one line, go on
            logger.error("pass %s failed: %s", name, error)
            result = PassResult(1, error=str(error), state="failed")
        except Exception:  # a failed pass must never end the loop
            logger.exception("pass %s failed", name)
            result = PassResult(1, error="internal error", state="failed")
        if self.options.once:
            self.passed.add(name)
        if source is None or result.state == "stopped":
            return  # removed by a reload, or stopped: nothing learnt about the source
        self._after(source, running.started, result)

    def _after(self, source: Source, started: str, result: PassResult) -> None:
        old = self.states.get(source.name, SourceState(source.name))
        failures = old.failures + 1 if result.failed else 0
        wait = backoff(self.interval(source), failures)
        self._next_run(source.name, wait)
        state = SourceState(source.name, state_name(failures), failures, iso(utcnow()),
                            iso(utcnow() + wait), result.error or "")
        self.states[source.name] = state
        self._log(source, result, state, old, wait)
        self._save(state)
        if self.after_pass is not None and not result.failed:
            try:
                self.after_pass(source, started, result)
            except Exception:  # alerts must never end the loop; they log their own failures
                logger.exception("after pass %s", source.name)

    def _log(self, source: Source, result: PassResult, state: SourceState, old: SourceState,
             wait: timedelta) -> None:
        if result.failed:
            logger.warning("pass %s failed: %s; next try in %ss (%s failed in a row, %s)",
                           source.name, result.error, int(wait.total_seconds()),
                           state.failures, state.state)
        elif old.failures:
            logger.warning("pass %s: %s; recovered after %s failed passes", source.name,
                           result.describe(), old.failures)
        else:
            logger.info("pass %s: %s", source.name, result.describe())

    def _save(self, state: SourceState) -> None:
        try:
            archive = Archive(self.runner.db_path)
            try:
                save_source_state(archive, state)
            finally:
                archive.close()
        except StetError as error:
            logger.error("could not note the state of %s: %s", state.source, error)

    def _restore_states(self) -> None:
        """Back-off survives a restart: a failing source is not hammered again at once."""
        try:
            archive = Archive(self.runner.db_path)
            try:
                self.states = load_source_states(archive)
            finally:
                archive.close()
        except StetError as error:
            logger.error("could not read the sources' state: %s", error)
            return
        now = utcnow()
        for name, state in self.states.items():
            if state.failures and state.next_pass:
                self._next_run(name, max(timedelta(0), parse_iso(state.next_pass) - now))

    def _set_sources(self, sources: list[Source]) -> None:
        """One job per source; a new source's first pass is due at once."""
        self.sources = {s.name: s for s in sources}
        for name in set(self.jobs) - set(self.sources):
            self.scheduler.cancel_job(self.jobs.pop(name))
        for name, source in self.sources.items():
            seconds = max(1, int(self.interval(source).total_seconds()))
            job = self.jobs.get(name)
            if job is None:
                self.jobs[name] = self.scheduler.every(seconds).seconds.do(self._start, name)
                self._next_run(name, timedelta(0))
            else:
                job.interval = seconds

    def _reload(self) -> None:
        if self.reload is None:
            return
        try:
            sources = self.reload()
        except StetError as error:
            logger.error("sources not reloaded, the old ones go on: %s", error)
            return
        added = sorted(set(s.name for s in sources) - set(self.sources))
        removed = sorted(set(self.sources) - set(s.name for s in sources))
        self._set_sources(sources)
        logger.warning("sources reloaded: %s source(s); added %s; removed %s", len(sources),
                       ", ".join(added) or "none", ", ".join(removed) or "none")

    def _finished_once(self) -> bool:
        if not self.options.once or self.running:
            return False
        now = datetime.now()
        return all(name in self.passed or job.next_run is None or job.next_run > now
                   for name, job in self.jobs.items())

    def _stop_running(self) -> None:
        """Stop every running pass (killed after a short grace) and record it."""
        self.runner.stop()
        for name, running in list(self.running.items()):
            self._reap(name, running)

    def _on_stop(self, signum: int, frame: FrameType | None) -> None:
        if not self.stopping.is_set():
            logger.warning("stopping: %s pass(es) running (signal %s)", len(self.running),
                           signum)
        self.stopping.set()
        self.runner.stop()

    def _on_reload(self, signum: int, frame: FrameType | None) -> None:
        self.reload_requested = True
