"""Site-level learning end to end (issue 9): real crawls of real page templates, real SQLite.

Each site is one real page from ../shared/datasets (its markup, furniture and noise are
the page's own), served from a local server with its story replaced by other real
stories (``support.realsite``), so that several articles share one template.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

from support.archive import stet
from support.realsite import RealPage, real_page, restory, stories
from support.site import Site

MOREBIKES = "612cd29826624e68ce96789c8049e16279dfd2fceb27434eea7943b2aaf84e90"
AUTORACING = "cc03ddb5ef7d5f1fdb8a87f5e6dfd058a2a70acedf2551655a898dc5c18eb79e"
FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"]
MOREBIKES_FURNITURE = ("Get Motor Cycle Monthly delivered", "Tell us what YOU think")
DATE_1 = "segunda-feira, 22 de janeiro de 2018 às 0:13"
DATE_2 = "terça-feira, 23 de janeiro de 2018 às 10:45"


def publish(site: Site, page: RealPage, texts: list[list[str]],
            extra: dict[str, str] | None = None) -> list[str]:
    paths = [f"/2019/11/story-number-{n}" for n in range(len(texts))]
    for path, story in zip(paths, texts, strict=True):
        site.set(path, restory(page, story, extra))
    items = "".join(f"<item><link>{site.url(p)}</link></item>" for p in paths)
    site.set("/feed.xml", f"<rss><channel>{items}</channel></rss>",
             headers={"Content-Type": "application/rss+xml"})
    return paths


def crawl(db: Path, site: Site, *flags: str) -> None:
    result = stet(db, "crawl", site.url("/feed.xml"), *flags, *FAST)
    assert result.returncode == 0, result.stderr[-2000:]


def bodies(db: Path) -> dict[str, tuple[int, str]]:
    """Each article's path -> (number of versions not merged away, current body)."""
    with closing(sqlite3.connect(db)) as conn:
        rows = conn.execute(
            "select a.url, (select count(*) from versions w where w.article_id = a.id "
            "and w.merged_into is null), v.body from articles a join versions v "
            "on v.article_id = a.id and v.version = a.current_version").fetchall()
    return {url.split("/", 3)[3]: (count, body) for url, count, body in rows}


def version_rows(db: Path) -> int:
    with closing(sqlite3.connect(db)) as conn:
        return int(conn.execute("select count(*) from versions").fetchone()[0])


def learned(db: Path, source: str) -> dict[str, list[str]]:
    shown = stet(db, "sources", "show", source, "--format", "json")
    assert shown.returncode == 0, shown.stderr
    found: dict[str, list[str]] = {}
    for block in json.loads(shown.stdout)["blocks"]:
        found.setdefault(block["kind"], []).append(block["example"])
    return found


def test_furniture_learned_across_articles_is_removed_and_edits_still_show(
        site: Site, tmp_path: Path) -> None:
    page, texts = real_page("article-extraction", MOREBIKES), stories("wcxb-dev", 7)
    articles, spare = texts[:5], texts[5:]
    shared_by_two = spare[0][0]  # on two articles only: below the furniture threshold
    articles[1].append(shared_by_two)
    articles[2].append(shared_by_two)
    db = tmp_path / "archive.db"
    paths = publish(site, page, articles)
    crawl(db, site)

    source = site.url("/feed.xml").split("/")[2]
    kinds = learned(db, source)
    assert any(MOREBIKES_FURNITURE[0] in text for text in kinds["furniture"])
    assert any(MOREBIKES_FURNITURE[1] in text for text in kinds["furniture"])
    assert len(kinds["container"]) == 1  # the template's article container
    found = bodies(db)
    for path, story in zip(paths, articles, strict=True):
        count, body = found[path.lstrip("/")]
        assert count == 1
        assert not any(f in body for f in MOREBIKES_FURNITURE), body
        for para in story:  # the whole story, the paragraph two articles share included
            assert para in body

    articles[3].insert(2, spare[1][0])  # a real paragraph added to one story
    publish(site, page, articles)
    before = version_rows(db)
    crawl(db, site, "--all")
    assert version_rows(db) == before + 1
    changes = json.loads(stet(db, "changes", "--format", "json").stdout)
    assert [(c["url"].split("/", 3)[3], c["version"]) for c in changes] == [
        (paths[3].lstrip("/"), 2)]
    assert "paragraph-added" in changes[0]["labels"]


def test_a_date_line_on_every_article_is_volatile(site: Site, tmp_path: Path) -> None:
    page, texts = real_page("article-extraction", AUTORACING), stories("wcxb-dev", 4)
    db = tmp_path / "archive.db"
    paths = publish(site, page, texts, {DATE_1: DATE_1})
    crawl(db, site)
    assert all(DATE_1 not in body for _, body in bodies(db).values())

    publish(site, page, texts, {DATE_1: DATE_2})  # the next day, on every page
    before = version_rows(db)
    crawl(db, site, "--all")
    assert version_rows(db) == before  # no version, not even one merged later
    assert json.loads(stet(db, "changes", "--format", "json").stdout) == []
    source = site.url("/").split("/")[2]
    assert DATE_1 in learned(db, source)["volatile"]
    found = bodies(db)
    assert all(texts[n][0] in found[p.lstrip("/")][1] for n, p in enumerate(paths))


def test_reextract_learns_from_history_and_cleans_it(
        site: Site, tmp_path: Path) -> None:
    """An archive crawled without learning: `stet reextract` learns and cleans its history."""
    page, texts = real_page("article-extraction", AUTORACING), stories("wcxb-dev", 4)
    db = tmp_path / "archive.db"
    publish(site, page, texts, {DATE_1: DATE_1})
    crawl(db, site, "-s", "STET_SITE_LEARNING=False")
    publish(site, page, texts, {DATE_1: DATE_2})
    crawl(db, site, "--all", "-s", "STET_SITE_LEARNING=False")
    # Only the date line changed, on every article: the earlier fetch shows it is noise.
    assert json.loads(stet(db, "changes", "--format", "json").stdout) == []
    assert version_rows(db) == 4 and all(DATE_1 in body for _, body in bodies(db).values())

    result = stet(db, "reextract")
    assert result.returncode == 0, result.stderr
    assert "site blocks learned" in result.stderr
    assert json.loads(stet(db, "changes", "--format", "json").stdout) == []
    found = bodies(db)
    assert all(count == 1 and DATE_1 not in body and DATE_2 not in body
               for count, body in found.values())
    source = site.url("/").split("/")[2]
    shown = stet(db, "sources", "show", source)
    assert "volatile" in shown.stdout and "by reextract" in shown.stdout
    listed = stet(db, "sources", "list")
    assert source in listed.stdout
