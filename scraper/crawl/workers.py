"""Extraction off the crawl's core: ``clean_page`` in a pool of worker processes.

Scrapy runs on one thread, and cleaning a page costs several times what fetching it
does. The pipeline hands each page to an ``ExtractionPool`` and awaits the cleaned
page; meanwhile the crawl goes on fetching and the archive (one writer, the crawl
process) stores what has come back. Back-pressure: at most ``in_flight`` pages wait
for or sit in the pool; the next page's ``clean`` waits for a free place, which holds
its response in Scrapy's scraper slot, so Scrapy stops handing out responses
(SCRAPER_SLOT_MAX_ACTIVE_SIZE) and memory stays bounded.

``STET_EXTRACT_WORKERS`` sets the number of processes: 0 (or 1 core) cleans in the
crawl process as before; the default is one per core. A pool that breaks (a worker
killed, out of memory) is not restarted: the rest of the pass cleans in-process.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from typing import Any

from scraper.clean import clean_page
from scraper.model import CleanPage

logger = logging.getLogger(__name__)
IN_FLIGHT_PER_WORKER = 4  # pages queued or being cleaned, per worker process


def default_workers() -> int:
    """One worker per core the process may use; none on a single core."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return cores if cores > 1 else 0


class ExtractionPool:
    """``await pool.clean(body, url, **options)`` == ``clean_page(body, url, **options)``.

    options are passed through unchanged (encoding, selectors, profile, and any later
    keyword of clean_page); they must pickle.
    """

    def __init__(self, workers: int, in_flight: int = 0) -> None:
        self.workers = max(0, workers)
        self.in_flight = in_flight or IN_FLIGHT_PER_WORKER * max(1, self.workers)
        self._executor: Executor | None = None
        self._places: asyncio.Semaphore | None = None
        if self.workers:
            # spawn: workers inherit none of the reactor's threads and sockets, and are
            # the crawl process's own children (joined at close, their CPU counted).
            context = multiprocessing.get_context("spawn")
            self._executor = ProcessPoolExecutor(self.workers, mp_context=context)

    async def clean(self, body: bytes, url: str, **options: Any) -> CleanPage:
        if self._executor is None:
            return clean_page(body, url, **options)
        if self._places is None:  # created in the running loop
            self._places = asyncio.Semaphore(self.in_flight)
        async with self._places:
            loop = asyncio.get_running_loop()
            try:
                # clean_page itself goes to the worker (by name), with the options as given.
                job = partial(clean_page, body, url, **options)
                return await loop.run_in_executor(self._executor, job)
            except BrokenProcessPool:
                logger.warning("extraction workers stopped; cleaning in the crawl process")
                self._executor = None
                return clean_page(body, url, **options)

    def close(self) -> None:
        """Wait for the workers to finish what they hold, then end them."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
