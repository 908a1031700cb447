"""Crawl benchmark: Stet beside a bare Scrapy spider on a local WordPress-style site.

Usage::

    .venv/bin/python tests/bench_site.py [--articles 2000] [--sites 200] [--per-site 25]
                                         [--profile FILE.svg] [--only site|many]

The site (tests/support/benchsite.py): ``--articles`` pages made from the real
WordPress pages of the WCXB dev set (~100 KB each), served from memory by forked
asyncio servers, timed alone first (a raw client) so it is never the bottleneck.

1. The 2,000-page site, at the baseline's settings (4 per domain, AutoThrottle off,
   no delay): a bare Scrapy spider (tests/support/bare_spider.py) fetching the
   sitemap's pages, then ``stet crawl`` pass 1 and a recrawl of the unchanged site
   (``--all``: every article re-checked, answered 304). Pages/s, CPU ms per page
   (user+sys of the whole process tree), peak RSS (sum over the process tree,
   workers included), archive growth per page on the recrawl, archive bytes per
   stored article against the raw HTML.
2. Many sites: ``--sites`` sources on distinct loopback hosts (127.0.0.2, ...),
   ``--per-site`` new articles each, polite defaults: one pass over all of them
   against one source's pass alone (target: at most 1.5x).

``--profile FILE`` records one more pass 1 (untimed) with py-spy, workers included:
a flame graph (FILE.svg) or collapsed stacks (FILE.txt).
Prints one table. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import bench_storage
from sqlite_utils import Database

from support import benchsite

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
FAST = ["AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "CONCURRENT_REQUESTS_PER_DOMAIN=4",
        "CONCURRENT_REQUESTS=16", "RANDOMIZE_DOWNLOAD_DELAY=False"]


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu: float  # user+sys seconds of the process tree
    peak_rss: int  # bytes, summed over the process tree at its largest
    output: str


class TreeMemory(threading.Thread):
    """Samples the summed RSS of a process and its descendants every 50 ms."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root, self.peak, self.done = root, 0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.05):
            self.peak = max(self.peak, tree_rss(self.root))


def tree_rss(root: int) -> int:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, grown = {root}, True
    while grown:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grown = bool(more)
    total = 0
    for pid in tree:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf(
                "SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    return total


def measure(command: list[str]) -> Run:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "scraper.settings"}
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    memory = TreeMemory(process.pid)
    memory.start()
    output, _ = process.communicate()
    seconds = time.perf_counter() - started
    memory.done.set()
    memory.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if process.returncode != 0:
        raise SystemExit(f"{command[:3]} failed ({process.returncode}):\n{output[-3000:]}")
    return Run(seconds, cpu, memory.peak, output)


def settings(pairs: list[str]) -> list[str]:
    return [arg for pair in pairs for arg in ("-s", pair)]


def stet(db: Path, urls: list[str], extra: list[str], *, everything: bool = False,
         profile: str = "") -> Run:
    command = [str(BIN / "stet"), "crawl", "--db", str(db), *settings(extra), *urls]
    if everything:
        command.insert(2, "--all")
    if profile:
        kind = "raw" if profile.endswith(".txt") else "flamegraph"  # raw: collapsed stacks
        command = [str(BIN / "py-spy"), "record", "--subprocesses", "--rate", "50", "--format",
                   kind, "-o", profile, "--", *command]
    return measure(command)


def archive_figures(db: Path) -> tuple[int, int, int]:
    """(articles, fetches, file bytes) after folding the WAL into the file."""
    with sqlite3.connect(db) as conn:
        conn.execute("pragma wal_checkpoint(TRUNCATE)")
        articles = conn.execute("select count(*) from articles").fetchone()[0]
        fetches = conn.execute("select count(*) from fetches").fetchone()[0]
    return articles, fetches, db.stat().st_size


def bare_pages(output: str) -> int:
    found = re.search(r"'response_received_count': (\d+)", output)
    return int(found.group(1)) if found else 0


def site_bench(args: argparse.Namespace, pages: list[bytes], rows: list[tuple[str, ...]]) -> None:
    count = args.articles
    sites = {"127.0.0.1": list(range(count))}
    raw = sum(len(pages[n % len(pages)]) for n in range(count)) / count
    with benchsite.serve(pages, sites) as port, tempfile.TemporaryDirectory() as folder:
        start = f"http://127.0.0.1:{port}/"
        server = benchsite.load("127.0.0.1", port, [benchsite.article_path(n)
                                                    for n in range(count)])
        bare = measure([str(BIN / "scrapy"), "runspider", "tests/support/bare_spider.py",
                        "-a", f"start={start}", "-s", "LOG_LEVEL=INFO", *settings(FAST)])
        fetched = bare_pages(bare.output) or count
        db = Path(folder) / "bench.db"
        extra = [*FAST, f"STET_MAX_NEW_ARTICLES={count + 100}"]
        first = stet(db, [start], extra)
        articles, fetches, size1 = archive_figures(db)
        opened = Database(db)
        parts = bench_storage.breakdown(opened, max(1, articles))
        opened.close()
        again = stet(db, [start], extra, everything=True)
        articles2, fetches2, size2 = archive_figures(db)
        # Growth on a second recrawl: the first may also store articles pass 1 left for later.
        stet(db, [start], extra, everything=True)
        _, fetches3, size3 = archive_figures(db)
        if args.profile:  # a pass of its own: the profiler's cost stays out of the figures
            stet(Path(folder) / "profiled.db", [start], extra, profile=args.profile)
    rechecked = max(1, fetches2 - fetches)
    rechecked2 = max(1, fetches3 - fetches2)
    rows += [
        ("server alone (raw client, 4 connections), pages/s", f"{server:.0f}", "", ""),
        ("site: articles / mean raw HTML", f"{fetched} fetched", f"{articles} stored",
         f"{raw / 1024:.0f} KB"),
        ("pass 1, pages/s", f"{fetched / bare.seconds:.0f}", f"{articles / first.seconds:.0f}",
         f"{(articles / first.seconds) / (fetched / bare.seconds):.2f}x (target >= 0.8x)"),
        ("pass 1, CPU ms per page (process tree)", f"{1000 * bare.cpu / fetched:.1f}",
         f"{1000 * first.cpu / max(1, articles):.1f}", ""),
        ("peak RSS, process tree (MB)", f"{bare.peak_rss / 2**20:.0f}",
         f"{first.peak_rss / 2**20:.0f}", "target <= 300"),
        ("recrawl: articles pass 1 had left for later, stored now", "", f"{articles2 - articles}",
         ""),
        ("recrawl of the unchanged site, s (x pass 1)", "", f"{again.seconds:.1f}",
         f"{again.seconds / first.seconds:.2f}x (target <= 0.5x)"),
        ("recrawl, CPU ms per page", "", f"{1000 * again.cpu / rechecked:.1f}", ""),
        ("archive growth per page on a second recrawl, B", "",
         f"{(size3 - size2) / rechecked2:.0f}",
         "target <= 200"),
        ("archive per stored article, KB (% of raw HTML)", "",
         f"{size1 / max(1, articles) / 1024:.1f}",
         f"{100 * size1 / max(1, articles) / raw:.0f}% (target <= 15%)"),
        ("  of which", "", "", parts),
    ]


def many_bench(args: argparse.Namespace, pages: list[bytes], rows: list[tuple[str, ...]]) -> None:
    hosts = [f"127.0.0.{2 + i}" if i < 250 else f"127.0.1.{i - 248}" for i in range(args.sites)]
    sites = {host: list(range(i * args.per_site, (i + 1) * args.per_site))
             for i, host in enumerate(hosts)}
    with benchsite.serve(pages, sites) as port, tempfile.TemporaryDirectory() as folder:
        urls = [f"http://{host}:{port}/" for host in hosts]
        one = stet(Path(folder) / "one.db", urls[:1], [])
        one_articles = archive_figures(Path(folder) / "one.db")[0]
        every = stet(Path(folder) / "many.db", urls, [])
        articles = archive_figures(Path(folder) / "many.db")[0]
    rows += [
        (f"one source's polite pass, s ({one_articles} articles)", "", f"{one.seconds:.1f}", ""),
        (f"{args.sites} sources in one polite pass, s ({articles} articles)", "",
         f"{every.seconds:.1f}", f"{every.seconds / one.seconds:.2f}x (target <= 1.5x)"),
        (f"{args.sites} sources: CPU ms per page, peak RSS MB", "",
         f"{1000 * every.cpu / max(1, articles):.1f}, {every.peak_rss / 2**20:.0f}",
         f"CPU-bound floor {every.cpu / (os.cpu_count() or 1):.1f} s"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--sites", type=int, default=200)
    parser.add_argument("--per-site", type=int, default=25)
    parser.add_argument("--profile", default="", help="py-spy profile of pass 1 (.svg/.txt)")
    parser.add_argument("--only", choices=("site", "many"), default="")
    args = parser.parse_args()
    pages = benchsite.build_pages(args.articles)
    rows: list[tuple[str, ...]] = []
    if args.only != "many":
        site_bench(args, pages, rows)
    if args.only != "site":
        many_bench(args, pages, rows)
    print(f"Crawl benchmark ({os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})")
    head = ("figure", "bare Scrapy", "Stet", "ratio / target")
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(4)]
    for row in [head, tuple("-" * w for w in widths), *rows]:
        print(" | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
