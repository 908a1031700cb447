"""The extraction pool: worker processes give exactly what clean_page gives in-process."""

from __future__ import annotations

import asyncio
import gzip
import os
import signal
from pathlib import Path

import pytest

from scraper.clean import clean_page
from scraper.crawl.workers import ExtractionPool, default_workers
from scraper.model import Selectors

DATASET = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "wcxb-dev" / "html"


def real_pages(count: int) -> list[bytes]:
    paths = sorted(DATASET.glob("*.html.gz"))[:count]
    if len(paths) < count:
        pytest.skip("the WCXB dev pages are not on this machine")
    return [gzip.decompress(path.read_bytes()) for path in paths]


async def clean_all(pool: ExtractionPool, pages: list[bytes], **options: object) -> list:
    return list(await asyncio.gather(*(pool.clean(page, f"https://example.com/{n}/", **options)
                                       for n, page in enumerate(pages))))


def test_workers_clean_real_pages_as_clean_page_does() -> None:
    pages = real_pages(12)
    selectors = Selectors.from_config({"remove": [".sidebar"]})
    pool = ExtractionPool(2, in_flight=3)  # fewer places than pages: callers wait their turn
    try:
        cleaned = asyncio.run(clean_all(pool, pages, selectors=selectors))
    finally:
        pool.close()
    expected = [clean_page(page, f"https://example.com/{n}/", selectors=selectors)
                for n, page in enumerate(pages)]
    assert cleaned == expected
    assert sum(bool(page.body) for page in cleaned) >= 10


def test_no_workers_cleans_in_process() -> None:
    pages = real_pages(2)
    pool = ExtractionPool(0)
    assert asyncio.run(clean_all(pool, pages)) == [
        clean_page(page, f"https://example.com/{n}/") for n, page in enumerate(pages)]
    pool.close()


def test_a_killed_worker_does_not_lose_pages() -> None:
    pages = real_pages(6)
    pool = ExtractionPool(2)

    async def run() -> list:
        first = await clean_all(pool, pages[:2])  # the workers are up
        for pid in list(pool._executor._processes):  # type: ignore[union-attr]
            os.kill(pid, signal.SIGKILL)
        return first + await clean_all(pool, pages[2:])

    try:
        cleaned = asyncio.run(run())
    finally:
        pool.close()
    assert cleaned == [clean_page(page, f"https://example.com/{n}/")
                       for n, page in enumerate(pages[:2])] + [
        clean_page(page, f"https://example.com/{n}/") for n, page in enumerate(pages[2:])]


def test_default_is_one_worker_per_core() -> None:
    cores = len(os.sched_getaffinity(0))
    assert default_workers() == (cores if cores > 1 else 0)
