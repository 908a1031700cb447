"""Storage benchmark: how raw pages are compressed, what a recheck costs, archive size.

Usage::

    .venv/bin/python tests/bench_storage.py [--sources 10] [--articles 30] [--rechecks 5]

The pages (tests/support/newsroom.py): each of ``--sources`` real pages of
../shared/datasets is one source's template, filled with the text of
``--articles`` other real articles; every third article is then edited twice
(a figure, a word, sometimes a paragraph), and every fetch carries new noise
(CSRF token, render time, a "most read" box in a new order).

1. Designs for raw pages, on the same pages in crawl order (first versions, then
   edits): zlib (what Stet did), zstandard alone, zstandard with a dictionary
   trained per source (COVER, on the source's first pages), zstandard with a
   dictionary that is a page of the source, deltas against the article's previous
   raw page, and both (what Stet does). Bytes per page, compress and read times.
2. A real archive (scraper.store.Archive, clean_page on every page): file bytes per
   stored article against the raw HTML, then ``--rechecks`` passes where every
   article answers unchanged (200) or 304: file growth per recheck, beside the
   same rows in the fetches table of the schema before (m001..m006).
Not collected by pytest.
"""

from __future__ import annotations

import argparse
import collections
import statistics
import tempfile
import time
import zlib
from pathlib import Path

import zstandard
from sqlite_utils import Database

from scraper.clean import clean_page
from scraper.model import FetchItem, PageItem
from scraper.store import Archive
from scraper.store.migrations import migrations
from support.newsroom import Fetch, newsroom

LEVEL = 3
TRAINED_SAMPLES = 8


def raw_dict(content: bytes) -> zstandard.ZstdCompressionDict:
    return zstandard.ZstdCompressionDict(content, dict_type=zstandard.DICT_TYPE_RAWCONTENT)


class Design:
    """One way to compress the pages: compress(fetch) -> bytes, kept state per source/article."""

    def __init__(self, name: str, first: str, edits: str) -> None:
        self.name, self.first, self.edits = name, first, edits
        self.previous: dict[str, bytes] = {}
        self.samples: dict[str, list[bytes]] = collections.defaultdict(list)
        self.dictionaries: dict[str, zstandard.ZstdCompressionDict] = {}
        self.extra = 0  # bytes of dictionaries kept in the archive

    def compress(self, fetch: Fetch) -> tuple[bytes, zstandard.ZstdCompressionDict | None]:
        way = self.first if fetch.version == 1 or fetch.url not in self.previous else self.edits
        prefix = None
        if way == "delta":
            prefix = raw_dict(self.previous[fetch.url])
        elif way in ("trained", "page"):
            prefix = self._dictionary(fetch, way)
        self.previous[fetch.url] = fetch.html
        if way == "zlib":
            return zlib.compress(fetch.html, 6), None
        return zstandard.ZstdCompressor(level=LEVEL, dict_data=prefix).compress(fetch.html), prefix

    def _dictionary(self, fetch: Fetch, way: str) -> zstandard.ZstdCompressionDict | None:
        found = self.dictionaries.get(fetch.source)
        if found is not None or way == "page" and not self._keep(fetch):
            return found
        if way == "page":
            return self.dictionaries[fetch.source]
        samples = self.samples[fetch.source]
        if len(samples) < TRAINED_SAMPLES:
            samples.append(fetch.html)
            return None
        trained = zstandard.train_dictionary(64 * 1024, samples, level=LEVEL)
        self.dictionaries[fetch.source] = trained
        self.extra += len(trained.as_bytes())
        return trained

    def _keep(self, fetch: Fetch) -> bool:
        """A page dictionary is the source's first page (stored compressed, as Stet does)."""
        self.dictionaries[fetch.source] = raw_dict(fetch.html)
        self.extra += len(zstandard.ZstdCompressor(level=9).compress(fetch.html))
        return True


DESIGNS = [
    Design("zlib level 6 (before)", "zlib", "zlib"),
    Design("zstandard, no dictionary", "plain", "plain"),
    Design("zstandard, trained dictionary per source", "trained", "trained"),
    Design("zstandard, a page of the source as dictionary", "page", "page"),
    Design("delta to the article's previous page", "plain", "delta"),
    Design("page dictionary + deltas (Stet)", "page", "delta"),
]


def compare(fetches: list[Fetch]) -> list[tuple[str, ...]]:
    raw_first = [len(f.html) for f in fetches if f.version == 1]
    raw_edits = [len(f.html) for f in fetches if f.version > 1]
    rows = []
    for design in DESIGNS:
        sizes: dict[bool, list[int]] = {True: [], False: []}
        started, reading = time.perf_counter(), 0.0
        for fetch in fetches:
            data, prefix = design.compress(fetch)
            sizes[fetch.version == 1].append(len(data))
            start = time.perf_counter()
            back = (zlib.decompress(data) if design.first == "zlib" and fetch.version == 1
                    or design.edits == "zlib" else
                    zstandard.ZstdDecompressor(dict_data=prefix).decompress(data))
            reading += time.perf_counter() - start
            assert back == fetch.html
        seconds = time.perf_counter() - started - reading
        first = (sum(sizes[True]) + design.extra) / len(sizes[True])
        edits = sum(sizes[False]) / max(len(sizes[False]), 1)
        total = sum(sizes[True]) + sum(sizes[False]) + design.extra
        rows.append((design.name, f"{first:,.0f}", f"{first / statistics.mean(raw_first):.1%}",
                     f"{edits:,.0f}", f"{edits / statistics.mean(raw_edits):.2%}",
                     f"{total / (sum(raw_first) + sum(raw_edits)):.1%}",
                     f"{seconds * 1000 / len(fetches):.2f}", f"{reading * 1000 / len(fetches):.2f}"))
    return rows


def table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True))
             for row in [head, *rows]]
    lines.insert(1, "-|-".join("-" * w for w in widths))
    return "\n".join(lines)


def file_size(db: Database, path: Path) -> int:
    """Bytes of the file in use: its size less the free pages SQLite will reuse."""
    db.execute("pragma wal_checkpoint(truncate)")
    free = db.execute("pragma freelist_count").fetchone()[0]
    return path.stat().st_size - free * db.execute("pragma page_size").fetchone()[0]


def breakdown(db: Database, articles: int) -> str:
    """Bytes per article in each kind of table (indexes with their table)."""
    kinds = {"versions": "versions", "raw_pages": "raw pages", "raw_dicts": "dictionaries",
             "versions_fts": "search index", "sightings": "site learning",
             "site_": "site learning"}
    sizes: dict[str, int] = collections.Counter()
    for table, size in db.execute(
            "select coalesce(m.tbl_name, d.name), sum(d.pgsize) from dbstat d "
            "left join sqlite_master m on m.name = d.name group by d.name").fetchall():
        kind = next((k for prefix, k in sorted(kinds.items(), reverse=True)
                     if table.startswith(prefix)), "other")
        sizes[kind] += size
    return ", ".join(f"{kind} {size / articles:,.0f} B" for kind, size in sizes.items())


def when(n: int, day: int = 1) -> str:
    return f"2026-11-{day:02d}T{n // 3600 % 24:02d}:{n // 60 % 60:02d}:{n % 60:02d}Z"


def old_fetch(old: Database, fetch: Fetch, at: str, status: int, outcome: str) -> None:
    """The row the schema before m031 wrote for the same fetch."""
    old.execute("insert into fetches (article_id, url, fetched_at, status, outcome, source, "
                "version) values (?, ?, ?, ?, ?, ?, ?)",
                [int(fetch.url.rsplit("-", 1)[1]) + 1, fetch.url, at, status, outcome,
                 fetch.source, 1 if outcome == "new" else None])


def real_archive(fetches: list[Fetch], rounds: int, folder: Path) -> list[tuple[str, ...]]:
    path, old_path = folder / "stet.db", folder / "before.db"
    archive, old = Archive(path), Database(old_path)
    migrations.apply(old, stop_before="m030_compact_raw_pages")
    firsts = [f for f in fetches if f.version == 1]
    pages = {}
    for n, fetch in enumerate(firsts):
        pages[fetch.url] = clean_page(fetch.html, fetch.url)
        archive.save_page(PageItem(url=fetch.url, source=fetch.source, status=200,
                                   body=fetch.html, fetched_at=when(n)), pages[fetch.url])
        old_fetch(old, fetch, when(n), 200, "new")
    old.conn.commit()
    size1, old1 = file_size(archive.db, path), file_size(old, old_path)
    raw1 = sum(len(f.html) for f in firsts)
    parts = breakdown(archive.db, len(firsts))
    checks = 0
    for day in range(2, 2 + rounds):  # odd rounds answer 304, even ones 200 with the same text
        for n, fetch in enumerate(firsts):
            at = when(n, day)
            if day % 2:
                outcome = archive.save_fetch(FetchItem(url=fetch.url, source=fetch.source,
                                                       status=304, fetched_at=at,
                                                       outcome="not_modified"))
            else:
                outcome = archive.save_page(PageItem(url=fetch.url, source=fetch.source,
                                                     status=200, body=fetch.html,
                                                     fetched_at=at), pages[fetch.url])
            old_fetch(old, fetch, at, 304 if day % 2 else 200, outcome)
            checks += 1
    old.conn.commit()
    size2, old2 = file_size(archive.db, path), file_size(old, old_path)
    edits = [f for f in fetches if f.version > 1]
    for n, fetch in enumerate(edits):
        archive.save_page(PageItem(url=fetch.url, source=fetch.source, status=200,
                                   body=fetch.html, fetched_at=when(n, 20)),
                          clean_page(fetch.html, fetch.url))
    size3 = file_size(archive.db, path)
    versions = archive.counts()[1]
    archive.close()
    return [
        ("articles, first pass", f"{len(firsts)}", f"raw HTML {raw1 / len(firsts):,.0f} B each"),
        ("archive bytes per stored article", f"{size1 / len(firsts):,.0f}",
         f"{size1 / raw1:.1%} of the raw HTML (target <= 15%)"),
        ("  of which", "", parts),
        ("growth per recheck (200 unchanged / 304)", f"{(size2 - size1) / checks:,.0f} B",
         f"fetches table before: {(old2 - old1) / checks:,.0f} B (target <= 200 B)"),
        ("after the edits: versions, bytes per version", f"{versions}",
         f"{size3 / versions:,.0f} B; {size3 / (raw1 + sum(len(f.html) for f in edits)):.1%}"
         " of the raw HTML of every stored page"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=10)
    parser.add_argument("--articles", type=int, default=30)
    parser.add_argument("--rechecks", type=int, default=6)
    args = parser.parse_args()
    fetches = list(newsroom(sources=args.sources, articles=args.articles))
    edits = sum(f.version > 1 for f in fetches)
    print(f"{len(fetches)} pages: {len(fetches) - edits} first versions on {args.sources} "
          f"templates, {edits} edits; raw HTML {sum(len(f.html) for f in fetches) / 2**20:.1f} "
          "MiB\n", flush=True)
    head = ("raw pages", "first version B", "of raw", "edit B", "of raw", "all, of raw",
            "compress ms", "read ms")
    print(table(head, compare(fetches)), "\n", flush=True)
    with tempfile.TemporaryDirectory(prefix="stet-storage-") as folder:
        rows = real_archive(fetches, args.rechecks, Path(folder))
    print(table(("archive (Archive + clean_page)", "Stet", "beside"), rows))


if __name__ == "__main__":
    main()
