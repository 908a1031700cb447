"""Archive scale benchmark: the CLI's reads and the crawler's work on a big archive.

Usage::

    .venv/bin/python tests/bench_archive.py [--articles 100000] [--versions 10] [--plans]

Builds two archives with the real schema (migrations.py) in a temporary folder,
with bulk inserts: a small one (a tenth of the articles) as the baseline and the
full one (by default 100,000 articles x 10 versions = 1,000,000 versions, 3
fetches per version, 1% of the articles with a flip-flop). One article of each
gets ten real versions of a ~1,500-word story through ``Archive.save_page``, so
``stet diff`` compares texts of a real length. Then it times, on both:

- in process (median of 5, warm): ``stet changes`` (newest 100; last day; one
  label; one source), an article's history (find it, its versions and events, as
  its review page does), ``stet diff`` (last two versions; 1 against 10), and the
  crawler's per-pass and per-page work (open, due articles, known URLs, saves);
- ``stet status`` in process, and the question behind its "last pass" column on
  months of ``stet schedule`` passes (one a source every 15 minutes: 18 days on the
  small archive, 180 on the big one; ``news0`` stopped halfway, ``never-run`` never
  ran), beside the query it replaced (the passes' JSON lists read newest first);
- as commands (median of 5, after one unmeasured run): the same ``stet changes``,
  ``stet diff`` and ``stet status`` run as processes, beside ``python -c pass`` (a bare
  interpreter, the floor) and ``stet --version`` (the cost of starting Stet). There is
  no history command: an article's history is read by its review page, timed in process.

``--plans`` prints SQLite's query plan of every statement the reads ran, to show
which indexes they use. Flat times from the small to the big archive mean the
indexes do their work. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from scraper.clean import CleanPage
from scraper.crawl.health import build_status
from scraper.model import FetchItem, PageItem
from scraper.review.report import list_changes, pick_versions, render_diff
from scraper.store import Archive
from scraper.store.migrations import migrations
from scraper.store.passes_schema import LAST_PASS
from scraper.timeutil import iso, parse_iso

NOW = parse_iso("2026-11-28T12:00:00Z")
WORDS = ("harbour council ferry storm budget school library quay road vote police fire "
         "grain bridge market festival tide pier engine crew report inquiry").split()
SOURCES = 20
STET = [str(Path(sys.executable).parent / "stet")]
PASS_MINUTES = 15
# `stet status`'s last pass before m073: the passes' JSON lists read newest first.
OLD_LAST_PASS = ("select finished_at, coalesce(state, ''), coalesce(error, '') from passes "
                 "where exists (select 1 from json_each(passes.sources) where value = ?) "
                 "order by id desc limit 1")


def body(rng: random.Random, words: int = 60) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def url(n: int) -> str:
    return f"https://news{n % SOURCES}.example/2026/11/story-{n}-about-the-harbour"


def minutes_ago(n: int, extra: int = 0) -> str:
    return iso(NOW - timedelta(minutes=(n % 50_000) + extra))


def articles(count: int, per: int) -> Iterator[tuple[Any, ...]]:
    for n in range(1, count + 1):
        changed = NOW - timedelta(minutes=n % 50_000)
        yield (n, url(n), f"news{n % SOURCES}", iso(changed - timedelta(days=3)), iso(changed),
               iso(changed), iso(changed + timedelta(hours=1)), "active", per, f'"{n}"')


def versions(count: int, per: int, rng: random.Random) -> Iterator[tuple[Any, ...]]:
    for n in range(1, count + 1):
        for v in range(1, per + 1):
            yield (n, v, minutes_ago(n, (per - v) * 60), f"Story {n}", "Ann Lee", body(rng),
                   f"{n}-{v}", v - 1 or None, '["numbers"]' if v > 1 else None, 2, 1)


def checks(count: int, per: int) -> Iterator[tuple[Any, ...]]:
    for n in range(1, count + 1):
        for k in range(per * 3):
            at = int((NOW - timedelta(minutes=(n % 50_000) + k * 20)).timestamp())
            yield (n, at, 200, 2 if k else 0, n % SOURCES + 1)


def passes(count: int) -> Iterator[tuple[Any, ...]]:
    """Scheduled passes, one source each, oldest first; news0 stopped halfway."""
    steps = count * 18 // 10_000 * 24 * 60 // PASS_MINUTES
    for step in range(steps):
        started = NOW - timedelta(minutes=(steps - step) * PASS_MINUTES)
        for n in range(0 if step < steps // 2 else 1, SOURCES):
            yield (iso(started), iso(started + timedelta(seconds=40)), f'["news{n}"]', 0, 0,
                   '{"unchanged": 40}', None, "ok")


def build(path: Path, count: int, per: int) -> None:
    """The archive's rows by bulk inserts; full-text search indexed once at the end."""
    Archive(path).close()  # schema and WAL, as stet makes them
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("pragma synchronous = off")
    triggers = conn.execute("select name, sql from sqlite_master where type = 'trigger' "
                            "and tbl_name = 'versions'").fetchall()
    conn.execute("begin")
    for name, _ in triggers:
        conn.execute(f"drop trigger [{name}]")
    conn.executemany("insert into check_sources (id, name) values (?, ?)",
                     [(n + 1, f"news{n}") for n in range(SOURCES)])
    conn.executemany("insert into articles (id, url, source, first_seen, last_checked, "
                     "last_changed, next_check, state, current_version, etag) "
                     "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", articles(count, per))
    conn.executemany("insert into versions (article_id, version, fetched_at, headline, byline, "
                     "body, text_hash, diff_from, labels, cleaner_version, words_added) "
                     "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     versions(count, per, random.Random(count)))
    conn.execute("insert into version_labels (version_id, label) "
                 "select id, 'numbers' from versions where version > 1")
    conn.execute("insert into events (article_id, at, kind, version, detail) "
                 "select id, last_changed, 'flip-flop', 1, json_object('from', current_version, "
                 "'to', 1) from articles where id % 100 = 0")
    conn.executemany("insert into checks (article_id, at, status, outcome, source) "
                     "values (?, ?, ?, ?, ?)", checks(count, per))
    conn.executemany("insert into passes (started_at, finished_at, sources, all_articles, "
                     "exit_code, outcomes, error, state) values (?, ?, ?, ?, ?, ?, ?, ?)",
                     passes(count))
    for _, sql in triggers:
        conn.execute(sql)
    for (table,) in conn.execute("select name from sqlite_master where type = 'table' and "
                                 "sql like '%using fts5%content=[versions]%'").fetchall():
        conn.execute(f"insert into [{table}] ([{table}]) values ('rebuild')")
    conn.execute("commit")
    conn.execute("analyze")
    conn.close()


def old_fetches(count: int, per: int) -> Iterator[tuple[Any, ...]]:
    for n in range(1, count + 1):
        for k in range(per * 3):
            yield (n, url(n), minutes_ago(n, k * 20), 200, "unchanged" if k else "new",
                   f"news{n % SOURCES}")


def migration_seconds(folder: Path, count: int, per: int) -> float:
    """Seconds to open an archive of the schema before m030 with as many fetches."""
    path = folder / f"before-{count}.db"
    db = Database(path)
    migrations.apply(db, stop_before="m030_compact_raw_pages")
    db.conn.execute("pragma synchronous = off")
    with db.conn:
        db.conn.executemany("insert into articles (id, url, source, first_seen, last_checked, "
                            "last_changed, next_check, state, current_version, etag) "
                            "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", articles(count, per))
        db.conn.executemany("insert into fetches (article_id, url, fetched_at, status, "
                            "outcome, source) values (?, ?, ?, ?, ?, ?)",
                            old_fetches(count, per))
    db.close()
    start = time.perf_counter()
    Archive(path).close()
    seconds = time.perf_counter() - start
    path.unlink()
    return seconds


def story(edit: int) -> CleanPage:
    """A ~1,500-word article after `edit` edits: a figure and a sentence change each time."""
    rng = random.Random(7)
    paragraphs = [body(rng, 50) for _ in range(30)]
    for n in range(edit):
        paragraphs[(n * 7) % 30] += f" The council said {n + 12} boats were lost."
    return CleanPage(headline="Harbour storm", byline="Ann Lee", body="\n\n".join(paragraphs))


def add_real_article(path: Path, count: int) -> str:
    target = f"https://news0.example/2026/11/the-long-story-{count}"
    archive = Archive(path)
    for edit in range(10):
        page = PageItem(url=target, source="news0", status=200, fetched_at=minutes_ago(edit),
                        body=f"<html><p>{story(edit).body}</p></html>".encode())
        archive.save_page(page, story(edit))
    archive.close()
    return target


def timed(run: Callable[[], object], repeat: int = 5) -> float:
    """Median milliseconds of run()."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def reads(archive: Archive, target: str, count: int) -> dict[str, Callable[[], object]]:
    """The CLI's and the review page's reads, as they run them."""
    day = iso(NOW - timedelta(days=1))

    def history() -> object:
        article = archive.find_article(url(count // 2))
        assert article is not None
        return archive.versions(article.id), archive.events(article.id)

    def diff(first: int | None = None, last: int | None = None) -> str:
        chosen, old, new = pick_versions(archive, target, first, last)
        return render_diff(chosen, old, new, "text")

    return {
        "stet changes": lambda: list_changes(archive, "", "", "", 100, "text"),
        "stet changes --since 1d": lambda: list_changes(archive, day, "", "", 100, "text"),
        "stet changes --label numbers": lambda: list_changes(archive, "", "numbers", "", 100,
                                                             "text"),
        "stet changes --source news3": lambda: list_changes(archive, "", "", "news3", 100,
                                                            "text"),
        "an article's history": history,
        "stet status (in process)": lambda: build_status(archive, ["never-run"]),
        "last pass, stopped source": lambda: archive.db.execute(LAST_PASS, ["news0"]).fetchone(),
        "before m073: last pass, stopped source": lambda: archive.db.execute(
            OLD_LAST_PASS, ["news0"]).fetchone(),
        "before m073: last pass, never run": lambda: archive.db.execute(
            OLD_LAST_PASS, ["never-run"]).fetchone(),
        "stet diff URL (last two)": diff,
        "stet diff URL --from 1 --to 10": lambda: diff(1, 10),
    }


def crawler_work(archive: Archive, path: Path, count: int) -> dict[str, Callable[[], object]]:
    target = url(count // 2)
    page = PageItem(url=target, source=f"news{(count // 2) % SOURCES}", status=200,
                    body=b"<html>x</html>", fetched_at=iso(NOW))
    same = archive.versions(count // 2)[-1]
    texts = iter(range(10**6))
    return {
        "open + migrate": lambda: Archive(path).close(),
        "due articles of a source": lambda: archive.due_articles("news1", NOW),
        "known URLs of a source": lambda: archive.known_urls("news1"),
        "save an unchanged page": lambda: archive.save_page(page, CleanPage(
            headline=same.headline, byline=same.byline, body=same.body)),
        "save a 304": lambda: archive.save_fetch(FetchItem(
            url=target, source=page.source, status=304, fetched_at=iso(NOW),
            outcome="not_modified")),
        "save a changed page": lambda: archive.save_page(page, CleanPage(
            headline=same.headline, byline=same.byline, body=f"{same.body} {next(texts)}")),
    }


def commands(path: Path, target: str) -> dict[str, list[str]]:
    """Shell commands (a list starting with python: the baseline, not stet)."""
    db = ["--db", str(path)]
    return {
        "python -c pass (baseline: a bare interpreter)": [sys.executable, "-c", "pass"],
        "stet --version (start-up alone)": ["--version"],
        "stet changes": [*db, "changes"],
        "stet changes --since 1d": [*db, "changes", "--since", "2026-11-27"],
        "stet diff URL (last two)": [*db, "diff", target, "--no-color"],
        "stet diff URL --from 1 --to 10": [*db, "diff", target, "--from", "1", "--to", "10",
                                           "--no-color"],
        "stet status": [*db, "status"],
    }


def run_command(args: list[str]) -> float:
    command = args if args[0] == sys.executable else STET + args
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return (time.perf_counter() - start) * 1000


def plans(archive: Archive, operations: dict[str, Callable[[], object]]) -> None:
    """SQLite's plan for every distinct statement the reads ran."""
    seen: list[str] = []
    archive.db.conn.set_trace_callback(seen.append)
    for run in operations.values():
        run()
    archive.db.conn.set_trace_callback(None)
    printed = set()
    for sql in seen:
        shape = " ".join(sql.split())
        if not shape.lower().startswith(("select", "with")) or shape in printed:
            continue
        printed.add(shape)
        print(f"\n{shape[:160]}{'...' if len(shape) > 160 else ''}")
        for row in archive.db.execute(f"explain query plan {sql}").fetchall():
            print(f"  {row[3]}")


def measure(path: Path, count: int, target: str, show_plans: bool) -> dict[str, float]:
    archive = Archive(path)
    operations = reads(archive, target, count)
    results = {name: timed(run) for name, run in operations.items()}
    results.update({name: timed(run) for name, run in crawler_work(archive, path, count).items()})
    for args in commands(path, target).values():  # once unmeasured: files in the page cache
        run_command(args)
    results.update({f"$ {name}": statistics.median(run_command(args) for _ in range(5))
                    for name, args in commands(path, target).items()})
    if show_plans:
        plans(archive, operations)
    archive.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--versions", type=int, default=10)
    parser.add_argument("--plans", action="store_true", help="print the query plans")
    args = parser.parse_args()
    sizes = [max(args.articles // 10, 1), args.articles]
    table = {}
    with tempfile.TemporaryDirectory(prefix="stet-bench-") as folder:
        for count in sizes:
            path = Path(folder) / f"archive-{count}.db"
            start = time.perf_counter()
            build(path, count, args.versions)
            target = add_real_article(path, count)
            size = path.stat().st_size / 2**20
            print(f"built {count:,} articles, {count * args.versions:,} versions, "
                  f"{count * args.versions * 3:,} fetches in {time.perf_counter() - start:.0f} s "
                  f"({size:,.0f} MiB)", flush=True)
            table[count] = measure(path, count, target, args.plans and count == sizes[-1])
            path.unlink()
            table[count]["migrate an archive of the schema before (s)"] = migration_seconds(
                Path(folder), count, args.versions)
    small, big = sizes
    print(f"\n| median ms | {small * args.versions:,} versions | "
          f"{big * args.versions:,} versions |\n|---|---|---|")
    for name in table[big]:
        print(f"| {name} | {table[small][name]:.2f} | {table[big][name]:.2f} |")


if __name__ == "__main__":
    main()
