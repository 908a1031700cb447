"""SIGKILL at random moments: the archive stays whole and the next pass completes it.

`stet crawl` and `stet reextract` are killed (with the crawl process they started)
at moments drawn from a seeded random generator: while the archive is being
created, in the middle of a pass, and while versions are being rewritten. After
every kill the file passes `PRAGMA integrity_check`, and every article has exactly
the versions the passes that ran saw: nothing half-written, nothing lost, no gaps
(issue 5).
"""

from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path

from support.archive import (
    FAST,
    NewsSite,
    archived_edits,
    count,
    kill_tree,
    query,
    start_stet,
    stet,
)
from support.site import Site

SEED = 20261128
ARTICLES = 30
KILLS = 4


def run_until(db: Path, args: list[str], done: int, sql: str, jitter: float,
              deadline: float = 60) -> bool:
    """Start `stet ARGS`; SIGKILL it `jitter` s after `sql` counts `done` rows.

    False if it ended first. The jitter lets the kill land anywhere, inside a
    transaction as well as between two.
    """
    process = start_stet(db, *args)
    stop_at = time.monotonic() + deadline
    while process.poll() is None and time.monotonic() < stop_at:
        try:
            if db.exists() and count(db, sql) >= done:
                break
        except Exception:  # the archive is being created: not readable yet
            pass
        time.sleep(0.005)
    time.sleep(jitter)
    if process.poll() is not None:
        process.communicate()
        return False
    kill_tree(process)
    return True


def extends(before: dict[str, list[int]], after: dict[str, list[int]],
            served: dict[str, int]) -> bool:
    """Each article kept its versions and gained at most the text served in the pass."""
    for url, edits in after.items():
        old = before.get(url, [])
        if edits != old and edits != [*old, served[url]]:
            return False
    return set(before) <= set(after)


def test_crawl_killed_at_random_moments(site: Site, tmp_path: Path) -> None:
    rng = random.Random(SEED)
    news = NewsSite(site, ARTICLES, delay=0.05)
    db = tmp_path / "archive.db"
    before: dict[str, list[int]] = {}
    killed = 0
    for kill in range(KILLS):
        mark = count(db, "select coalesce(max(id), 0) from fetches") if kill else 0
        target = rng.randint(1, ARTICLES - 1)
        sql = f"select count(*) from fetches where id > {mark}"
        killed += run_until(db, ["crawl", news.home, "--all", *FAST], target, sql,
                            rng.uniform(0, 0.05))
        after = archived_edits(db)
        assert extends(before, after, news.edits), (before, after)
        before = after
        news.edit(rng.sample(range(ARTICLES), 8))
    assert killed >= KILLS - 1  # the kills landed in the passes, not after them
    finished = stet(db, "crawl", news.home, "--all", *FAST)
    assert finished.returncode == 0, finished.stderr
    final = archived_edits(db)
    assert extends(before, final, news.edits)
    assert {url: edits[-1] for url, edits in final.items()} == news.edits
    assert any(len(edits) > 1 for edits in final.values())


def test_brand_new_archive_killed_while_created(site: Site, tmp_path: Path) -> None:
    """Killed before, during or right after the schema is made: the next crawl works."""
    rng = random.Random(SEED + 1)
    news = NewsSite(site, 3)
    for attempt in range(3):
        db = tmp_path / f"archive-{attempt}.db"
        process = start_stet(db, "crawl", news.home, *FAST)
        time.sleep(rng.uniform(0.2, 1.2))
        kill_tree(process)
        if db.exists():
            assert query(db, "pragma integrity_check") == [("ok",)]
        finished = stet(db, "crawl", news.home, *FAST)
        assert finished.returncode == 0, finished.stderr
        assert {url: edits[-1] for url, edits in archived_edits(db).items()} == news.edits


def test_reextract_killed_at_random_moments(site: Site, tmp_path: Path) -> None:
    rng = random.Random(SEED + 2)
    news = NewsSite(site, ARTICLES)
    db = tmp_path / "archive.db"
    assert stet(db, "crawl", news.home, *FAST).returncode == 0
    news.edit(list(range(0, ARTICLES, 2)))
    assert stet(db, "crawl", news.home, "--all", *FAST).returncode == 0
    expected = archived_edits(db)
    texts = query(db, "select id, headline, byline, body from versions order by id")
    sql = "select count(*) from versions where reextracted_at is not null"
    for _ in range(3):
        with sqlite3.connect(db) as conn:  # so that the count shows this run's progress
            conn.execute("update versions set reextracted_at = null")
        assert run_until(db, ["reextract"], rng.randint(1, len(texts) - 1), sql,
                         rng.uniform(0, 0.01))
        assert archived_edits(db) == expected
    finished = stet(db, "reextract")
    assert finished.returncode == 0, finished.stderr
    assert archived_edits(db) == expected
    assert query(db, "select id, headline, byline, body from versions order by id") == texts
    assert query(db, "select count(*) from versions where merged_into is not null") == [(0,)]
