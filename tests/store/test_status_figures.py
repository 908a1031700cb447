"""`stet status`'s figures from a real archive: articles, due articles and the last day's
edits of each source, counted for every source at once (issue 10)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlite_utils import Database

from scraper.model import CleanPage, PageItem
from scraper.store import Archive
from scraper.store.migrations import migrations
from scraper.store.passes_schema import LAST_PASS
from scraper.store.status import source_figures
from scraper.timeutil import iso, utcnow


def save(archive: Archive, url: str, source: str, body: str, hours_ago: float) -> str:
    when = iso(utcnow() - timedelta(hours=hours_ago))
    item = PageItem(url=url, source=source, status=200, body=b"<p>page</p>", fetched_at=when)
    return archive.save_page(item, CleanPage(headline="Quay", byline="", body=body))


def test_each_source_counts_its_own_articles_and_recent_edits(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive.db")
    port = "https://port.example/news/quay-wall"
    assert save(archive, port, "port", "The wall is shut.", 30) == "new"
    assert save(archive, port, "port", "The wall is open.", 2) == "changed"
    assert save(archive, port, "port", "The wall is open again.", 1) == "changed"
    assert save(archive, "https://port.example/news/ferry", "port", "Ferry late.", 40) == "new"
    hill = "https://hill.example/news/road"
    assert save(archive, hill, "hill", "The road is shut.", 50) == "new"
    assert save(archive, hill, "hill", "The road is open.", 26) == "changed"
    since = iso(utcnow() - timedelta(hours=24))
    port_figures, hill_figures, none = source_figures(archive, ["port", "hill", "none"], since)
    assert (port_figures.source, port_figures.articles, port_figures.edits_24h) == ("port", 2, 2)
    assert (hill_figures.articles, hill_figures.edits_24h) == (1, 0)
    assert (none.articles, none.due_now, none.edits_24h, none.fetches_24h) == (0, 0, 0, 0)
    now = iso(utcnow())
    due = [a for a in map(archive.find_article, [port, "https://port.example/news/ferry"])
           if a is not None and a.state == "active" and (a.next_check or "") <= now]
    assert port_figures.fetches_24h == 2 and port_figures.due_now == len(due)


def test_each_source_shows_its_own_last_pass_found_by_index(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive.db")
    start = utcnow() - timedelta(days=30)
    archive.record_pass(iso(start), iso(start + timedelta(minutes=1)), ["port", "hill"], False, 0)
    for n in range(1, 200):  # a month of `stet schedule` passes of one source
        at = start + timedelta(hours=n)
        archive.record_pass(iso(at), iso(at + timedelta(minutes=1)), ["port"], False, 0)
    archive.record_pass(iso(utcnow()), iso(utcnow()), ["port"], True, 1, "no answer",
                        state="failed")
    since = iso(utcnow() - timedelta(hours=24))
    port, hill, never = source_figures(archive, ["port", "hill", "never"], since)
    assert (port.last_state, port.last_error) == ("failed", "no answer")
    assert hill.last_pass == iso(start + timedelta(minutes=1)) and hill.last_state == "ok"
    assert (never.last_pass, never.last_state) == ("", "")
    plan = " ".join(row[3] for row in archive.db.execute(
        f"explain query plan {LAST_PASS}", ["hill"]).fetchall())
    assert "SCAN" not in plan and "USING PRIMARY KEY (source=?)" in plan, plan


def test_an_archive_of_before_finds_the_last_pass_of_its_old_passes(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    db = Database(path)
    migrations.apply(db, stop_before="m073_passes_by_source")
    db.table("passes").insert_all([
        {"started_at": "2026-01-01T00:00:00Z", "finished_at": "2026-01-01T00:05:00Z",
         "sources": '["port", "hill"]', "exit_code": 0, "state": "ok"},
        {"started_at": "2026-01-02T00:00:00Z", "finished_at": "2026-01-02T00:05:00Z",
         "sources": '["port"]', "exit_code": 0, "state": "ok"},
        {"started_at": "2026-01-03T00:00:00Z", "finished_at": "2026-01-03T00:05:00Z",
         "sources": "not a list", "exit_code": 0, "state": "ok"}])
    db.close()
    archive = Archive(path)
    port, hill = source_figures(archive, ["port", "hill"], "2026-01-01T00:00:00Z")
    assert port.last_pass == "2026-01-02T00:05:00Z" and hill.last_pass == "2026-01-01T00:05:00Z"
