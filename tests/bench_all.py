"""Every performance benchmark of issue 10 in one run, printed as ONE table.

Usage::

    .venv/bin/python tests/bench_all.py [--articles 2000] [--sites 200] [--per-site 25]
                                        [--archive-articles 100000]

Stet beside its baseline, measured in the same run so the machine's load biases both:

1. The 2,000-page site (tests/bench_site.py): the benchmark server timed alone first,
   then a bare Scrapy spider beside ``stet crawl`` -- pass 1, the recrawl, archive growth,
   archive size against the raw HTML, CPU per page and peak RSS of the process tree.
2. The 200-source polite pass beside one source's polite pass (tests/bench_site.py).
3. The archive of real templates (tests/bench_storage.py): bytes per stored article
   against the raw HTML, and what the search index takes of them.
4. The 1M-version archive (tests/bench_archive.py): ``stet changes``, an article's
   history and ``stet diff`` in process (beside a tenth of the archive: flat means the
   indexes work) and as shell commands (beside ``python -c pass``).

The first line names the machine (cores, load average). Not collected by pytest.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

import bench_archive
import bench_site
import bench_storage

from support import benchsite
from support.newsroom import newsroom

Row = tuple[str, str, str, str]
ARCHIVE_READS = ("stet changes", "stet changes --source news3", "an article's history",
                 "stet diff URL (last two)", "stet diff URL --from 1 --to 10")
ARCHIVE_COMMANDS = ("stet changes", "stet diff URL (last two)", "stet diff URL --from 1 --to 10",
                    "stet status")


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in
                  Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.machine())
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    return f"{os.cpu_count()} cores ({model}), load average {load}, Python {platform.python_version()}"


def crawl_rows(args: argparse.Namespace) -> list[Row]:
    pages = benchsite.build_pages(args.articles)
    rows: list[tuple[str, ...]] = []
    bench_site.site_bench(args, pages, rows)
    bench_site.many_bench(args, pages, rows)
    return [(row[0], row[1], row[2], row[3]) for row in rows]


def storage_rows() -> list[Row]:
    fetches = list(newsroom(sources=10, articles=30))
    with tempfile.TemporaryDirectory(prefix="stet-storage-") as folder:
        rows = bench_storage.real_archive(fetches, 6, Path(folder))
    found = {row[0]: row for row in rows}
    stored = found["archive bytes per stored article"]
    growth = found["growth per recheck (200 unchanged / 304)"]
    before = growth[2].removeprefix("fetches table before: ").split(" (")[0]
    return [
        ("real templates (10 x 30 articles): bytes per stored article", "", stored[1],
         stored[2]),
        ("  of which", "", "", found["  of which"][2]),
        ("real templates: growth per recheck (baseline: the fetches table before)", before,
         growth[1], "target <= 200 B"),
    ]


def archive_rows(count: int, per: int = 10) -> list[Row]:
    sizes = [count // 10, count]
    table = {}
    with tempfile.TemporaryDirectory(prefix="stet-bench-") as folder:
        for size in sizes:
            path = Path(folder) / f"archive-{size}.db"
            bench_archive.build(path, size, per)
            target = bench_archive.add_real_article(path, size)
            table[size] = bench_archive.measure(path, size, target, show_plans=False)
            path.unlink()
    small, big = (table[size] for size in sizes)
    label = f"{count * per:,} versions"
    rows: list[Row] = [(f"{label}: {name}, in process ms (baseline: {count * per // 10:,})",
                        f"{small[name]:.1f}", f"{big[name]:.1f}", "target < 200 ms")
                       for name in ARCHIVE_READS]
    floor = big["$ python -c pass (baseline: a bare interpreter)"]
    rows.append((f"{label}: `stet --version` as a command, ms (baseline: python -c pass)",
                 f"{floor:.0f}", f"{big['$ stet --version (start-up alone)']:.0f}", ""))
    rows += [(f"{label}: `{name}` as a command, ms (baseline: python -c pass)", f"{floor:.0f}",
              f"{big['$ ' + name]:.0f}", "target < 200 ms") for name in ARCHIVE_COMMANDS]
    return rows


def print_table(rows: list[Row]) -> None:
    head = ("figure", "baseline", "Stet", "ratio / target")
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(4)]
    for row in [head, tuple("-" * w for w in widths), *rows]:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--sites", type=int, default=200)
    parser.add_argument("--per-site", type=int, default=25)
    parser.add_argument("--archive-articles", type=int, default=100_000)
    args = parser.parse_args()
    args.profile, args.only = "", ""
    started = time.perf_counter()
    print(f"Machine: {machine()}", flush=True)
    rows = crawl_rows(args) + storage_rows() + archive_rows(args.archive_articles)
    print(f"\nIssue 10 benchmarks (load average {os.getloadavg()[0]:.1f} at the end, "
          f"{(time.perf_counter() - started) / 60:.0f} min)\n")
    print_table(rows)


if __name__ == "__main__":
    main()
