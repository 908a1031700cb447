"""Speed of the review pages on a large archive (issue 11): python tests/bench_review.py

Generates (once, then reuses) an archive of --articles articles with --versions versions
each (default 100,000 x 10 = 1,000,000 versions, edits spread over a year, ten sources,
labels on every edit), serves it with Stet's Datasette in process, and prints each page's
server time (median of --runs requests) and the query plan of the page's main question,
beside the Datasette pages that came before them (the revisions view, recent changes).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from scraper.review.serve import build_datasette
from scraper.store import Archive, browse

WORDS = ("council harbour ferry budget storm road library school mayor vote million pier "
         "coast quay crossing morning evening police court report minister plan cost "
         "year week today hospital patients staff union strike talks offer price rise").split()
LABELS = ("typo", "numbers", "quote", "paragraph-added", "headline", "correction", "stealth")
START = datetime(2025, 1, 1, tzinfo=UTC)


def body(rng: random.Random, article: int) -> list[list[str]]:
    return [[rng.choice(WORDS) for _ in range(12)] + [f"a{article}"] for _ in range(4)]


def rows(articles: int, per_article: int, seed: int = 11) -> Iterator[tuple[Any, ...]]:
    """Version rows: each edit changes one word of one paragraph."""
    rng = random.Random(seed)
    vid = 0
    for article in range(1, articles + 1):
        paragraphs = body(rng, article)
        at = START + timedelta(minutes=rng.randrange(0, 525_600))
        for number in range(1, per_article + 1):
            if number > 1:
                paragraphs[rng.randrange(4)][rng.randrange(12)] = rng.choice(WORDS)
                at += timedelta(minutes=rng.randrange(5, 600))
            vid += 1
            labels = [] if number == 1 else [rng.choice(LABELS)]
            text = "\n\n".join(" ".join(p) + "." for p in paragraphs)
            yield (vid, article, number, at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                   f"Headline {article} {rng.choice(WORDS)}", "By Staff", text,
                   None if number == 1 else number - 1, 1, 1,
                   "[" + ",".join(f'"{x}"' for x in labels) + "]", labels)


def generate(path: Path, articles: int, per_article: int) -> None:
    Archive(path).close()  # the schema, with the search index and its triggers
    db = Database(path)
    db.execute("pragma journal_mode = wal")
    db.execute("pragma synchronous = off")
    with db.conn:
        db.conn.executemany(
            "insert into articles (id, url, source, first_seen, last_checked, state) "
            "values (?, ?, ?, '2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'active')",
            ((a, f"https://site{a % 10}.example/story/{a}", f"site{a % 10}")
             for a in range(1, articles + 1)))
        batch: list[tuple[Any, ...]] = []
        for row in rows(articles, per_article):
            batch.append(row)
            if len(batch) == 20_000:
                _insert(db, batch)
                batch = []
        _insert(db, batch)
    db.execute("analyze")
    db.close()


def _insert(db: Database, batch: list[tuple[Any, ...]]) -> None:
    db.conn.executemany(
        "insert into versions (id, article_id, version, fetched_at, headline, byline, body, "
        "diff_from, words_added, words_removed, labels, quarantined) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)", [r[:11] for r in batch])
    db.conn.executemany("insert into version_labels (version_id, label) values (?, ?)",
                        [(r[0], label) for r in batch for label in r[11]])


def timed(ds: Any, path: str, runs: int) -> tuple[float, int, int]:
    """Median milliseconds of ``runs`` requests (after one warm-up), status, size."""
    response = asyncio.run(ds.client.get(path))
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = asyncio.run(ds.client.get(path))
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), response.status_code, len(response.content)


def narrowing(db: Database, runs: int) -> None:
    """The list of edits read by walking every edit by time (browse.NARROW = 0, as before)
    beside the way browse chooses, for filters of few edits and of many."""
    print(f"\n{'list of edits, in process':40} {'walk ms':>8} {'chosen ms':>9}  edits")
    for where in (browse.EditFilter(label="no-such-label"),
                  browse.EditFilter(source="no-such-source"),
                  browse.EditFilter(label="numbers"), browse.EditFilter(source="site3")):
        found, kept = [], browse.NARROW
        for narrow in (0, kept):
            browse.NARROW = narrow
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                edits = browse.list_edits(db, where).edits
                times.append((time.perf_counter() - started) * 1000)
            found.append((statistics.median(times), len(edits)))
        browse.NARROW = kept
        name = f"label={where.label}" if where.label else f"source={where.source}"
        print(f"{name:40} {found[0][0]:8.1f} {found[1][0]:9.1f}  {found[1][1]}")


def pages(db: Database, ids: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    """(name, path, plan) for every page measured."""
    article = ids["article"]
    everything = browse.EditFilter()
    filtered = browse.EditFilter(source="site3", label="numbers")
    return [
        ("front page", "/", browse.edit_plan(db, everything)),
        ("front page, source + label", "/?source=site3&label=numbers",
         browse.edit_plan(db, filtered)),
        ("front page, stealth only", "/?stealth=1",
         browse.edit_plan(db, browse.EditFilter(stealth=True))),
        ("front page, one day", "/?date=2025-06-01",
         browse.edit_plan(db, browse.EditFilter(since="2025-06-01", until="2025-06-02"))),
        ("front page, 1000 pages back", f"/?before={ids['cursor']}",
         browse.edit_plan(db, everything)),
        ("front page, a label no edit has", "/?label=no-such-label",
         browse.edit_plan(db, browse.EditFilter(label="no-such-label"))),
        ("front page, a source without edits", "/?source=no-such-source",
         browse.edit_plan(db, browse.EditFilter(source="no-such-source"))),
        ("diff", f"/-/stet/diff/{article}/4/5", browse.history_plan(db, article)),
        ("diff, side by side", f"/-/stet/diff/{article}/4/5?view=side",
         browse.history_plan(db, article)),
        ("timeline", f"/-/stet/article/{article}", browse.history_plan(db, article)),
        ("search, rare word", f"/-/stet/search?q=a{article}", browse.search_plan(db, "x")),
        ("search, common word", "/-/stet/search?q=harbour", browse.search_plan(db, "harbour")),
        ("search, phrase", '/-/stet/search?q="harbour ferry"',
         browse.search_plan(db, '"harbour ferry"')),
        ("feed, all edits", "/-/stet/changes.atom", browse.edit_plan(db, everything)),
        ("feed, one label", "/-/stet/changes.atom?label=quote",
         browse.edit_plan(db, browse.EditFilter(label="quote"))),
        ("feed, one article", f"/-/stet/article/{article}.atom",
         browse.edit_plan(db, browse.EditFilter(article_id=article))),
        ("revisions view (Datasette), 20 rows", f"/{ids['name']}/revisions", []),
        ("revisions view (Datasette), 100 rows", f"/{ids['name']}/revisions?_size=100", []),
        ("before: recent_changes query (500 rows)", f"/{ids['name']}/recent_changes", []),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--versions", type=int, default=10, help="versions per article")
    parser.add_argument("--db", type=Path, default=Path("/tmp/stet-bench/bench.db"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    args.db.parent.mkdir(parents=True, exist_ok=True)
    if not args.db.exists():
        started = time.perf_counter()
        generate(args.db, args.articles, args.versions)
        print(f"generated {args.db} in {time.perf_counter() - started:.0f} s")
    Archive(args.db).close()
    db = Database(args.db)
    counts = db.execute("select (select count(*) from articles), (select count(*) from versions)")
    print("archive: {:,} articles, {:,} versions".format(*counts.fetchone()))
    middle = browse.list_edits(db, browse.EditFilter(), limit=50 * 1000).edits[-1]
    ids = {"article": args.articles // 2, "cursor": middle.cursor, "name": args.db.stem}
    measured = pages(db, ids)
    ds = build_datasette(args.db)
    asyncio.run(ds.invoke_startup())
    print(f"\n{'page':40} {'ms':>8} {'status':>6} {'KB':>7}  query plan")
    for name, path, plan in measured:
        ms, status, size = timed(ds, path, args.runs)
        print(f"{name:40} {ms:8.1f} {status:6} {size / 1024:7.1f}  {' | '.join(plan)}")
    narrowing(db, args.runs)


if __name__ == "__main__":
    main()
