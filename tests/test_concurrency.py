"""Two writers at once and a reader: nobody sees "database is locked" (issue 5).

Writers take the write lock up front (BEGIN IMMEDIATE) and wait for each other
for up to a minute, also while a brand-new archive is created and migrated;
readers (Datasette, plain sqlite3) read a WAL snapshot and never wait.
"""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from scraper.review.serve import build_datasette
from scraper.store.migrations import migrations
from support.archive import FAST, NewsSite, archived_edits, start_stet, stet
from support.site import ROOT, Site, serve_site

ARTICLES = 20


@pytest.fixture
def other_site() -> Iterator[Site]:
    """A second local site: another source, crawled by another process."""
    with serve_site() as pages:
        yield pages


class Reader(threading.Thread):
    """Reads the archive in a loop until stopped: Datasette pages and the revisions view."""

    def __init__(self, db: Path) -> None:
        super().__init__(daemon=True)
        self.db = db
        self.stop = threading.Event()
        self.reads = 0
        self.errors: list[str] = []

    def run(self) -> None:
        asyncio.run(self._loop())

    async def _loop(self) -> None:
        ds = build_datasette(self.db)
        await ds.invoke_startup()
        name = self.db.stem
        while not self.stop.is_set():
            for path in (f"/{name}/revisions.json?_shape=array", f"/{name}/articles.json"):
                response = await ds.client.get(path)
                if response.status_code != 200:
                    self.errors.append(f"{path}: {response.status_code} {response.text[:200]}")
            self._read_view()
            self.reads += 1

    def _read_view(self) -> None:
        try:
            with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True) as conn:
                conn.execute("select count(*), max(version) from revisions").fetchall()
        except sqlite3.Error as error:
            self.errors.append(f"revisions: {error}")


def finished(process: subprocess.Popen[str]) -> tuple[int, str]:
    _, err = process.communicate(timeout=120)
    assert "locked" not in err and "Traceback" not in err, err
    return process.returncode, err


def test_crawl_and_reextract_at_once_while_reading(site: Site, tmp_path: Path) -> None:
    news = NewsSite(site, ARTICLES, delay=0.05)
    db = tmp_path / "archive.db"
    assert stet(db, "crawl", news.home, *FAST).returncode == 0
    news.edit(list(range(0, ARTICLES, 2)))
    reader = Reader(db)
    reader.start()
    crawl = start_stet(db, "crawl", news.home, "--all", *FAST)
    runs = 0
    while crawl.poll() is None or runs == 0:  # re-extract again and again, all the pass long
        assert finished(start_stet(db, "reextract"))[0] == 0
        runs += 1
    assert finished(crawl)[0] == 0
    reader.stop.set()
    reader.join(timeout=30)
    assert reader.errors == [] and reader.reads > 0
    final = archived_edits(db)
    assert {url: edits[-1] for url, edits in final.items()} == news.edits
    assert sum(len(edits) for edits in final.values()) == ARTICLES + ARTICLES // 2


def test_two_crawls_of_two_sources_at_once(site: Site, other_site: Site, tmp_path: Path) -> None:
    first, second = NewsSite(site, ARTICLES, delay=0.02), NewsSite(other_site, ARTICLES,
                                                                    delay=0.02)
    db = tmp_path / "archive.db"  # brand new: both processes create it at the same moment
    for rounds in range(2):
        reader = Reader(db) if rounds else None
        if reader:
            reader.start()
        # One writer per archive (issue 12): the second crawl waits for the first's lock.
        crawls = [start_stet(db, "crawl", news.home, "--all", "--wait", *FAST)
                  for news in (first, second)]
        assert [finished(crawl)[0] for crawl in crawls] == [0, 0]
        if reader:
            reader.stop.set()
            reader.join(timeout=30)
            assert reader.errors == [] and reader.reads > 0
        first.edit([1, 2, 3])
        second.edit([4, 5])
    final = archived_edits(db)
    assert len(final) == 2 * ARTICLES
    assert sum(len(edits) for edits in final.values()) == 2 * ARTICLES + 5


OPEN = """
import sys, time
from scraper.store import Archive
start = float(sys.argv[2])
time.sleep(max(0.0, start - time.time()))
Archive(sys.argv[1]).close()
"""


def test_many_processes_create_one_new_archive(tmp_path: Path) -> None:
    """The first-creation race: every opener waits for the one creating the schema."""
    for attempt in range(3):
        db = tmp_path / f"new-{attempt}.db"
        start = str(time.time() + 1.5)
        openers = [subprocess.Popen([sys.executable, "-c", OPEN, str(db), start], cwd=ROOT,
                                    stderr=subprocess.PIPE, text=True) for _ in range(4)]
        for opener in openers:
            _, err = opener.communicate(timeout=60)
            assert opener.returncode == 0, err
        with sqlite3.connect(db) as conn:
            assert conn.execute("pragma journal_mode").fetchone() == ("wal",)
            assert migrations.pending(Database(conn)) == []
