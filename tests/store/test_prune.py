"""`stet prune` (issue 12): old unchanged/not_modified checks go; versions and every
article's last check stay; --dry-run only counts."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from scraper.clean import clean_page
from scraper.cli import cli
from scraper.model import FetchItem, PageItem
from scraper.store import Archive
from support.unattended import article, rows

URL = "https://news.example/news/2026/01/05/quay-wall-repairs-begin"


def build(db: Path) -> None:
    """One article: a version in January, ten rechecks since, and an error and a skip."""
    archive = Archive(db)
    try:
        page = article("Quay wall repairs begin").encode()
        item = PageItem(URL, "port", 200, page, "2026-01-05T08:00:00Z")
        archive.save_page(item, clean_page(page, URL))
        for day in range(6, 16):
            outcome = "unchanged" if day % 2 else "not_modified"
            if outcome == "unchanged":
                archive.save_page(PageItem(URL, "port", 200, page, f"2026-01-{day:02}T08:00:00Z"),
                                  clean_page(page, URL))
            else:
                archive.save_fetch(FetchItem(URL, "port", f"2026-01-{day:02}T08:00:00Z",
                                             "not_modified", 304))
        archive.save_fetch(FetchItem(URL, "port", "2026-01-07T09:00:00Z", "error", 500))
        archive.save_fetch(FetchItem("https://news.example/private", "port",
                                     "2026-01-07T09:00:00Z", "skipped"))
    finally:
        archive.close()


def test_prune_drops_old_rechecks_only(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    build(db)
    before = rows(db, "select outcome, count(*) from fetches group by outcome order by 1")
    assert dict(before) == {"new": 1, "unchanged": 5, "not_modified": 5, "error": 1,
                            "skipped": 1}
    runner = CliRunner()
    dry = runner.invoke(cli, ["--db", str(db), "prune", "--older-than", "1d", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would drop 9 " in dry.output  # ten rechecks, less the last one
    assert rows(db, "select count(*) from fetches") == [(13,)]
    done = runner.invoke(cli, ["--db", str(db), "prune", "--older-than", "1d"])
    assert done.exit_code == 0 and "dropped 9 " in done.output
    after = dict(rows(db, "select outcome, count(*) from fetches group by outcome"))
    assert after == {"new": 1, "unchanged": 1, "error": 1, "skipped": 1}
    last = rows(db, "select max(fetched_at) from fetches where article_id is not null")
    assert last == [("2026-01-15T08:00:00Z",)]
    assert rows(db, "select count(*) from versions") == [(1,)]
    again = runner.invoke(cli, ["--db", str(db), "prune", "--older-than", "1d"])
    assert "dropped 0 " in again.output


def test_prune_keeps_what_is_newer_than_the_retention(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    build(db)
    result = CliRunner().invoke(cli, ["--db", str(db), "prune", "--older-than", "5000d"])
    assert result.exit_code == 0 and "dropped 0 " in result.output
    assert rows(db, "select count(*) from fetches") == [(13,)]
