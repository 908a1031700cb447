"""The compact archive (issue 10) on real SQLite files: raw pages compressed against a
source dictionary or an article's previous page, and fetches as a view over checks.

Pages are real ones from ../shared/datasets, rendered many times on one template
(tests/support/newsroom.py).
"""

from __future__ import annotations

import sqlite3
import zlib
from pathlib import Path

import pytest
from sqlite_utils import Database

from scraper.clean import CleanPage
from scraper.crawl.reextract import reextract
from scraper.model import FetchItem, PageItem
from scraper.store import Archive
from scraper.store import rawpages as rawpages_module
from scraper.store.migrations import migrations
from support.newsroom import DATASETS, Fetch, newsroom

CONTRACT = ["id", "article_id", "url", "fetched_at", "status", "outcome", "error"]


@pytest.fixture(scope="module")
def pages() -> list[Fetch]:
    if not DATASETS.is_dir():
        pytest.skip(f"needs the shared real-page data sets in {DATASETS}")
    return list(newsroom(sources=2, articles=6, edited_every=2, edits=3))


def item(fetch: Fetch, when: str, url: str = "", requested: str = "") -> PageItem:
    return PageItem(url=url or fetch.url, source=fetch.source, status=200, body=fetch.html,
                    fetched_at=when, requested_url=requested, encoding="utf-8")


def text(fetch: Fetch) -> CleanPage:
    """A stand-in for clean_page: the versions follow the page's bytes."""
    return CleanPage(headline="Story", byline="", body=str(hash(fetch.html)))


def store(archive: Archive, fetches: list[Fetch]) -> None:
    for n, fetch in enumerate(fetches):
        archive.save_page(item(fetch, f"2026-11-28T{8 + n // 60:02d}:{n % 60:02d}:00Z"),
                          text(fetch))


def test_raw_pages_round_trip_through_dictionaries_and_deltas(
        tmp_path: Path, pages: list[Fetch]) -> None:
    archive = Archive(tmp_path / "archive.db")
    store(archive, pages)
    rows = archive.db.execute("select hash, compression, dict_id, base, length(content), size "
                              "from raw_pages").fetchall()
    assert len(rows) == len(pages)
    assert {r[1] for r in rows} == {"zstd"}
    deltas = [r for r in rows if r[3] is not None]
    assert len(deltas) == sum(f.version > 1 for f in pages)
    assert all(r[4] < r[5] / 20 for r in deltas)  # an edit costs little
    assert archive.db.execute("select count(*) from raw_dicts").fetchone()[0] == 2
    kept = {v.raw_hash: v for a in archive.article_ids() for v in archive.versions(a)}
    for fetch in pages:
        versions = [v for v in kept.values() if v.body == str(hash(fetch.html))]
        assert archive.raw_html(versions[0].raw_hash) == fetch.html
    archive.close()
    reopened = Archive(tmp_path / "archive.db")  # no dictionary in memory: read from the file
    assert all(reopened.raw_html(r[0]) is not None for r in rows)
    reopened.close()


def test_dictionaries_are_made_anew_and_old_pages_stay_readable(
        tmp_path: Path, pages: list[Fetch], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rawpages_module, "DICTIONARY_PAGES", 2)
    monkeypatch.setattr(rawpages_module, "MAX_CHAIN", 2)
    archive = Archive(tmp_path / "archive.db")
    store(archive, pages)
    versions = archive.db.execute("select source, version from raw_dicts "
                                  "order by source, version").fetchall()
    assert ("source0", 3) in versions
    deepest = archive.db.execute("select max(depth) from (with recursive chain(hash, depth) "
                                 "as (select hash, 1 from raw_pages where base is null union "
                                 "all select r.hash, depth + 1 from raw_pages r join chain c "
                                 "on r.base = c.hash) select depth from chain)").fetchone()[0]
    assert deepest == 2
    for fetch in pages:
        digest = archive.db.execute("select raw_hash from versions where body = ?",
                                    [str(hash(fetch.html))]).fetchone()[0]
        assert archive.raw_html(digest) == fetch.html
    archive.close()


def test_old_zlib_rows_are_still_read(tmp_path: Path, pages: list[Fetch]) -> None:
    archive = Archive(tmp_path / "archive.db")
    old = pages[0].html
    archive.db.execute("insert into raw_pages (hash, compression, size, content, encoding) "
                       "values ('old', 'zlib', ?, ?, 'utf-8')", [len(old), zlib.compress(old)])
    assert archive.raw_page("old") == (old, "utf-8")
    archive.close()


def contract_rows(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(f"select {', '.join(CONTRACT)} from fetches order by id").fetchall()


def test_fetches_view_returns_the_contract_columns(tmp_path: Path, pages: list[Fetch]) -> None:
    archive = Archive(tmp_path / "archive.db")
    first, moved_to = pages[0], pages[0].url + "-moved"
    archive.save_page(item(first, "2026-11-28T08:00:00Z"), text(first))
    archive.save_page(item(first, "2026-11-28T09:00:00Z"), text(first))
    archive.save_fetch(FetchItem(url=first.url, source=first.source, status=304,
                                 fetched_at="2026-11-28T10:00:00Z", outcome="not_modified"))
    archive.save_fetch(FetchItem(url="https://elsewhere.example/x", source="other",
                                 fetched_at="2026-11-28T10:00:01Z", outcome="error",
                                 error="timed out"))
    archive.save_page(item(first, "2026-11-28T11:00:00Z", url=moved_to, requested=first.url),
                      text(first))
    archive.close()
    assert contract_rows(tmp_path / "archive.db") == [
        (1, 1, first.url, "2026-11-28T08:00:00Z", 200, "new", None),
        (2, 1, first.url, "2026-11-28T09:00:00Z", 200, "unchanged", None),
        (3, 1, first.url, "2026-11-28T10:00:00Z", 304, "not_modified", None),
        (4, None, "https://elsewhere.example/x", "2026-11-28T10:00:01Z", None, "error",
         "timed out"),
        (5, 1, moved_to, "2026-11-28T11:00:00Z", 200, "unchanged", None),
    ]


def test_writes_through_the_view_still_work(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    Archive(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("insert into fetches (url, fetched_at, status, outcome, error, source) "
                     "values ('https://a.example/', '2026-11-28T08:00:00Z', 503, 'error', "
                     "'HTTP 503', 'a')")
        conn.execute("update fetches set outcome = 'skipped' where url = 'https://a.example/'")
        assert conn.execute("select url, fetched_at, status, outcome, error, source "
                            "from fetches").fetchall() == [
            ("https://a.example/", "2026-11-28T08:00:00Z", 503, "skipped", "HTTP 503", "a")]
        conn.execute("delete from fetches where outcome = 'skipped'")
        assert conn.execute("select count(*) from checks").fetchone()[0] == 0


def test_a_recheck_costs_few_bytes(tmp_path: Path, pages: list[Fetch]) -> None:
    archive = Archive(tmp_path / "archive.db")
    store(archive, [f for f in pages if f.version == 1])
    archive.db.execute("vacuum")
    archive.db.execute("pragma wal_checkpoint(truncate)")
    before = (tmp_path / "archive.db").stat().st_size
    urls = [f.url for f in pages if f.version == 1]
    for n in range(40):
        for url in urls:
            archive.save_fetch(FetchItem(url=url, source="source0", status=304,
                                         fetched_at=f"2026-11-29T10:{n:02d}:00Z",
                                         outcome="not_modified"))
    archive.db.execute("pragma wal_checkpoint(truncate)")
    growth = ((tmp_path / "archive.db").stat().st_size - before) / (40 * len(urls))
    archive.close()
    assert growth <= 120, growth


def old_archive(path: Path, pages: list[Fetch]) -> None:
    """An archive as the schema before m030 wrote it: zlib raw pages, a fetches table."""
    db = Database(path)
    migrations.apply(db, stop_before="m030_compact_raw_pages")
    for n, fetch in enumerate(pages[:4], start=1):
        digest = f"hash{n}"
        db.execute("insert into raw_pages (hash, compression, size, content, encoding) "
                   "values (?, 'zlib', ?, ?, 'utf-8')", [digest, len(fetch.html),
                                                        zlib.compress(fetch.html, 6)])
        db.execute("insert into articles (id, url, source, first_seen, last_checked, "
                   "current_version) values (?, ?, ?, '2026-11-01T08:00:00Z', "
                   "'2026-11-01T09:00:00Z', 1)", [n, fetch.url, fetch.source])
        db.execute("insert into versions (article_id, version, fetched_at, headline, byline, "
                   "body, raw_hash) values (?, 1, '2026-11-01T08:00:00Z', 'Story', '', 'Old "
                   "text', ?)", [n, digest])
        for when, outcome in (("08:00:00", "new"), ("09:00:00", "unchanged")):
            db.execute("insert into fetches (article_id, url, fetched_at, status, outcome, "
                       "source, version) values (?, ?, ?, 200, ?, ?, 1)",
                       [n, fetch.url, f"2026-11-01T{when}Z", outcome, fetch.source])
    db.execute("insert into fetches (url, fetched_at, status, outcome, error, source) values "
               "('https://x.example/robots', '2026-11-01T10:00:00Z', null, 'skipped', "
               "'disallowed by robots.txt', 'source0')")
    db.conn.commit()
    db.close()


def test_migration_keeps_every_row_and_reextract_reads_old_pages(
        tmp_path: Path, pages: list[Fetch]) -> None:
    path = tmp_path / "old.db"
    old_archive(path, pages)
    before = contract_rows(path)
    assert len(before) == 9
    archive = Archive(path)
    assert contract_rows(path) == before
    assert [r[0] for r in archive.db.execute("select source from fetches order by id")] == [
        f.source for f in pages[:4] for _ in range(2)] + ["source0"]
    assert archive.raw_html("hash1") == pages[0].html
    result = reextract(archive)
    assert result.versions == 4 and result.rewritten == 4  # the real cleaner read the pages
    first = archive.versions(1)[0]
    assert first.body != "Old text" and first.raw_hash == "hash1"
    archive.save_page(item(pages[0], "2026-11-02T08:00:00Z"), text(pages[0]))
    assert archive.raw_html(archive.versions(1)[-1].raw_hash) == pages[0].html
    archive.close()


def test_changes_of_one_source_are_its_newest_edits(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive.db")
    for n in range(6):
        source = "a" if n % 2 else "b"
        url = f"https://{source}.example/story-{n}"
        for edit in range(3):
            body = f"The council spent {n * 10 + edit} million on the harbour this year."
            archive.save_page(PageItem(url=url, source=source, status=200, body=b"<p>x</p>",
                                       fetched_at=f"2026-11-{edit + 1:02d}T0{n}:00:00Z"),
                              CleanPage(headline=f"Story {n}", body=body))
    everything = archive.changes()
    for source in ("a", "b"):
        mine = [(c.url, c.version) for c in everything if c.source == source]
        assert [(c.url, c.version) for c in archive.changes(source=source)] == mine
        assert [(c.url, c.version) for c in archive.changes(source=source, limit=2)] == mine[:2]
        assert archive.changes(source=source, label="numbers", since="2026-11-03T00:00:00Z")
    assert archive.changes(source="b", label="quote") == []
    plan = " ".join(row[3] for row in archive.db.execute(
        "explain query plan select v.id from articles a join versions v indexed by "
        "idx_versions_article_time on v.article_id = a.id where a.source = 'a' "
        "and v.diff_from is not null and v.merged_into is null and v.quarantined = 0 "
        "order by v.fetched_at desc limit 5").fetchall())
    assert "COVERING INDEX idx_versions_article_time" in plan
    archive.close()


def test_a_sources_recent_fetches_are_found_by_index_through_the_view(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive.db")
    for n in range(3):
        archive.save_fetch(FetchItem(url=f"https://a.example/{n}", source="a", status=503,
                                     fetched_at=f"2026-11-2{n}T08:00:00Z", outcome="error"))
    sql = ("select count(*) from fetches where source = 'a' "
           "and fetched_at >= '2026-11-21T00:00:00Z'")
    assert archive.db.execute(sql).fetchone()[0] == 2
    plan = " ".join(row[3] for row in archive.db.execute(f"explain query plan {sql}"))
    assert "idx_checks_source_time" in plan
    assert archive.record_pass("2026-11-21T00:00:00Z", "2026-11-23T00:00:00Z", ["a"], False,
                               0) == {"error": 2}
    archive.close()


def test_each_template_of_a_source_has_its_own_dictionary(tmp_path: Path,
                                                         pages: list[Fetch]) -> None:
    """Two layouts under one source name (article and live pages, say): two dictionaries."""
    archive = Archive(tmp_path / "archive.db")
    firsts = [f for f in pages if f.version == 1]
    for n, fetch in enumerate(firsts):
        archive.save_page(PageItem(url=fetch.url, source="one-site", status=200,
                                   body=fetch.html, fetched_at=f"2026-11-28T08:{n:02d}:00Z"),
                          text(fetch))
    rows = archive.db.execute("select template, count(*) from raw_dicts "
                              "where source = 'one-site' group by template").fetchall()
    assert len(rows) == 2 and all(count == 1 for _, count in rows)
    sizes = [r[0] for r in archive.db.execute("select length(content) from raw_pages "
                                              "where dict_id is not null")]
    assert max(sizes) < min(len(f.html) for f in firsts) / 10  # each page met its template
    for fetch in firsts:
        digest = archive.db.execute("select raw_hash from versions where body = ?",
                                    [str(hash(fetch.html))]).fetchone()[0]
        assert archive.raw_html(digest) == fetch.html
    archive.close()
