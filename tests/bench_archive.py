"""Archive scale benchmark: the per-pass and per-page work on a big archive.

Usage::

    .venv/bin/python tests/bench_archive.py [--articles 100000] [--versions 10]

Builds two synthetic archives with the real schema (migrations.py) in a temporary
folder: a small one (a tenth of the articles) as the baseline and the full one
(by default 100,000 articles x 10 versions = 1,000,000 versions and 3 fetches per
version), then times, on both, what every crawl pass and every page does: open and
migrate, the due articles and known URLs of a source, `stet changes` for the last
day, finding an article by URL, and saving an unchanged and a changed page. Flat
times from the small to the big archive mean the indexes do their work. Not
collected by pytest.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from scraper.model import CleanPage, PageItem
from scraper.store import Archive
from scraper.store.migrations import migrate
from scraper.timeutil import iso, parse_iso

NOW = parse_iso("2026-11-28T12:00:00Z")
WORDS = ("harbour council ferry storm budget school library quay road vote police fire "
         "grain bridge market festival tide pier engine crew report inquiry").split()
SOURCES = 20


def body(rng: random.Random, words: int = 60) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def url(n: int) -> str:
    return f"https://news{n % SOURCES}.example/2026/11/story-{n}-about-the-harbour"


def articles(count: int) -> Iterator[dict[str, Any]]:
    for n in range(1, count + 1):
        changed = NOW - timedelta(minutes=n % 50_000)
        yield {"id": n, "url": url(n), "source": f"news{n % SOURCES}",
               "first_seen": iso(changed - timedelta(days=3)), "last_checked": iso(changed),
               "last_changed": iso(changed), "next_check": iso(changed + timedelta(hours=1)),
               "state": "active", "current_version": 0, "etag": f'"{n}"', "last_modified": ""}


def versions(count: int, per: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    for n in range(1, count + 1):
        for v in range(1, per + 1):
            when = iso(NOW - timedelta(minutes=(n % 50_000) + (per - v) * 60))
            yield {"article_id": n, "version": v, "fetched_at": when, "headline": f"Story {n}",
                   "byline": "Ann Lee", "body": body(rng), "text_hash": f"{n}-{v}",
                   "quarantined": 0, "diff_from": v - 1 or None,
                   "labels": '["numbers"]' if v > 1 else None, "cleaner_version": "4"}


def fetches(count: int, per: int) -> Iterator[dict[str, Any]]:
    for n in range(1, count + 1):
        for k in range(per * 3):
            yield {"article_id": n, "url": url(n), "source": f"news{n % SOURCES}",
                   "fetched_at": iso(NOW - timedelta(minutes=(n % 50_000) + k * 20)),
                   "status": 200, "outcome": "unchanged" if k else "new"}


def build(path: Path, count: int, per: int) -> None:
    rng = random.Random(count)
    db = Database(path)
    db.enable_wal()
    migrate(db)
    db["articles"].insert_all(articles(count), batch_size=5000)
    db["versions"].insert_all(versions(count, per, rng), batch_size=5000)
    db.execute(f"update articles set current_version = {per}")
    db["fetches"].insert_all(fetches(count, per), batch_size=5000)
    db.execute("analyze")
    db.close()


def timed(run: Callable[[], object], repeat: int = 5) -> float:
    """Median milliseconds of run()."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def measure(path: Path, count: int) -> dict[str, float]:
    archive = Archive(path)
    target = url(count // 2)
    page = PageItem(url=target, source=f"news{(count // 2) % SOURCES}", status=200,
                    body=b"<html>x</html>", fetched_at=iso(NOW))
    same = archive.versions(count // 2)[-1]
    texts = iter(range(10**6))
    results = {
        "open + migrate": timed(lambda: Archive(path).close()),
        "due articles of a source": timed(lambda: archive.due_articles("news1", NOW)),
        "known URLs of a source": timed(lambda: archive.known_urls("news1")),
        "stet changes, last day": timed(lambda: archive.changes(since=iso(NOW - timedelta(days=1)),
                                                                limit=100)),
        "find an article by URL": timed(lambda: archive.find_article(target)),
        "save an unchanged page": timed(lambda: archive.save_page(page, CleanPage(
            headline=same.headline, byline=same.byline, body=same.body))),
        "save a changed page": timed(lambda: archive.save_page(page, CleanPage(
            headline=same.headline, byline=same.byline, body=f"{same.body} {next(texts)}"))),
    }
    archive.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--versions", type=int, default=10)
    args = parser.parse_args()
    sizes = [max(args.articles // 10, 1), args.articles]
    table = {}
    with tempfile.TemporaryDirectory(prefix="stet-bench-") as folder:
        for count in sizes:
            path = Path(folder) / f"archive-{count}.db"
            start = time.perf_counter()
            build(path, count, args.versions)
            size = path.stat().st_size / 2**20
            print(f"built {count:,} articles, {count * args.versions:,} versions, "
                  f"{count * args.versions * 3:,} fetches in {time.perf_counter() - start:.0f} s "
                  f"({size:,.0f} MiB)", flush=True)
            table[count] = measure(path, count)
    small, big = sizes
    print(f"\nmedian ms          {small * args.versions:>14,} versions {big * args.versions:>10,}")
    for name in table[big]:
        print(f"{name:<28} {table[small][name]:>14.2f} {table[big][name]:>19.2f}")


if __name__ == "__main__":
    main()
