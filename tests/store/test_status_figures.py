"""`stet status`'s figures from a real archive: articles, due articles and the last day's
edits of each source, counted for every source at once (issue 10)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from scraper.model import CleanPage, PageItem
from scraper.store import Archive
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
