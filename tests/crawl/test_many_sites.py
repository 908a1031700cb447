"""A pass over many sources is one crawl: the sites proceed side by side, each polite."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from support import benchsite

HOSTS = ["127.0.0.2", "127.0.0.3", "127.0.0.4"]
ARTICLES = 16
FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"]
# The recheck: a fixed delay per host, and the old global cap of 16 requests.
POLITE = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0.4",
          "-s", "RANDOMIZE_DOWNLOAD_DELAY=False", "-s", "CONCURRENT_REQUESTS=16"]


def stet(db: Path, *args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "scraper", "--db", str(db), *args],
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]


def test_due_articles_of_many_sites_are_rechecked_side_by_side(tmp_path: Path) -> None:
    pages = benchsite.build_pages(ARTICLES)
    sites = {host: list(range(ARTICLES)) for host in HOSTS}
    db = tmp_path / "archive.db"
    with benchsite.serve(pages, sites, processes=1) as port:
        urls = [f"http://{host}:{port}/" for host in HOSTS]
        stet(db, "crawl", *urls, *FAST)
        with sqlite3.connect(db) as conn:
            last = conn.execute("select max(id) from fetches").fetchone()[0]
        stet(db, "crawl", "--all", *urls, *POLITE)
    with sqlite3.connect(db) as conn:
        rows = conn.execute("select source, id from fetches where id > ? and outcome = "
                            "'not_modified' order by id", [last]).fetchall()
    order = [source for source, _ in rows]
    assert len(order) == len(HOSTS) * ARTICLES
    # Each site's rechecks are spread over the pass, not one site's after another's.
    for source in set(order):
        positions = [n for n, name in enumerate(order) if name == source]
        assert positions[0] < len(order) // 3, (source, positions)
        assert positions[-1] > 2 * len(order) // 3, (source, positions)
