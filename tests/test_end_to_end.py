"""End to end: a local news site changes between real `stet crawl` passes.

The site has CMS-like markup with a sidebar, a view counter and a relative time
that change on every pass; only real edits may become versions.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from support.site import ROOT, Site

FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"]
FIRE = "/2026/11/28/harbour-fire-burns-for-twelve-hours"
FERRY = "/2026/11/27/ferry-timetable-cut-for-winter-months"
PARAGRAPHS = [
    "Fire crews fought a blaze at the harbour warehouse for 12 hours on Tuesday, the county "
    "fire service said in a statement on Wednesday morning.",
    "No one was hurt, but 40 tonnes of grain stored for export were lost, according to the "
    "port authority, which said the building would be demolished.",
    '"This is a heavy blow for the whole harbour," said Ines Carvalho, who runs the grain '
    "co-operative. \"We will need help from the council.\"",
    "The cause of the fire is under investigation, a spokesperson said, adding that arson had "
    "not been ruled out at this stage.",
]


def article(headline: str, paragraphs: list[str], *, views: int, ago: str,
            teaser: str = "Ferry timetable cut for winter", css: str = "a1") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{headline} | The Courier</title><meta property="og:type" content="article">
<meta property="og:title" content="{headline}"><meta name="author" content="Ann Lee">
</head><body><header class="site-header"><nav><a href="/">Home</a> <a href="/section/news/">
News</a> <a href="/tag/fire/">Fire</a></nav></header>
<main><article class="post css-{css}"><h1 class="entry-title">{headline}</h1>
<div class="byline">By <a rel="author" href="/author/ann-lee/">Ann Lee</a></div>
<div class="meta"><span class="read-time">3 min read</span> <time>Updated {ago}</time>
<span class="views">{views} views</span></div>
<div class="entry-content">{body}</div></article>
<aside class="related"><h3>Related</h3><a href="{FERRY}">{teaser}</a></aside></main>
<footer>Copyright The Courier</footer></body></html>"""


def home() -> str:
    return (f'<html><head><title>The Courier</title></head><body><nav><a href="/tag/fire/">Fire'
            f'</a></nav><a href="{FIRE}?utm_source=home">Harbour fire</a>'
            f'<a href="{FERRY}">Ferry timetable</a><a href="/section/news/">News</a></body></html>')


def stet(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scraper", "--db", str(db), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)


def outcomes(db: Path, since_id: int = 0) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("select url, outcome from fetches where id > ? order by id",
                            [since_id]).fetchall()
    return {url.split("?")[0].split(":", 2)[-1].split("/", 1)[-1]: outcome
            for url, outcome in rows}


def last_fetch_id(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("select max(id) from fetches").fetchone()[0])


@pytest.fixture
def news_site(site: Site) -> Site:
    site.set("/", home())
    site.set(FIRE, article("Harbour fire burns for 12 hours", PARAGRAPHS, views=812, ago="5 min ago"))
    ferry = ["The island ferry will run four times a day instead of six from December, the "
             "operator said, citing falling winter passenger numbers and fuel costs."] * 1
    site.set(FERRY, article("Ferry timetable cut for winter", ferry + PARAGRAPHS[3:], views=20,
                            ago="1 hour ago", teaser="Harbour fire"))
    site.set("/tag/fire/", "<html><body><h1>Fire</h1><a href='/'>x</a></body></html>")
    return site


def test_crawl_edit_crawl(news_site: Site, tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    first = stet(db, "crawl", news_site.url("/"), *FAST)
    assert first.returncode == 0, first.stderr
    assert "2 new" in first.stderr
    assert sorted(outcomes(db).values()) == ["new", "new"], outcomes(db)
    # The menu's tag and section pages are read for their links, never kept as articles.
    assert not [path for path in outcomes(db) if path.startswith(("tag/", "section/"))]

    # Noise only: counters, relative time, rotated teaser, new CSS class: no version.
    news_site.set(FIRE, article("Harbour fire burns for 12 hours", PARAGRAPHS, views=2113,
                                ago="2 hours ago", teaser="Council meets", css="f9"))
    mark = last_fetch_id(db)
    second = stet(db, "crawl", news_site.url("/"), "--all", *FAST)
    assert second.returncode == 0, second.stderr
    assert outcomes(db, mark) == {FIRE[1:]: "unchanged", FERRY[1:]: "not_modified"}
    ferry_hits = [h for h in news_site.requests if h.path == FERRY]
    assert ferry_hits[-1].headers.get("if-none-match")

    # A real edit: a number corrected and a paragraph added.
    edited = [PARAGRAPHS[0].replace("12 hours", "14 hours"), *PARAGRAPHS[1:],
              "Correction: an earlier version of this article misstated how long the fire "
              "burned."]
    news_site.set(FIRE, article("Harbour fire burns for 14 hours", edited, views=3000,
                                ago="1 min ago"))
    mark = last_fetch_id(db)
    third = stet(db, "crawl", news_site.url("/"), "--all", *FAST)
    assert third.returncode == 0, third.stderr
    assert outcomes(db, mark)[FIRE[1:]] == "changed"

    with sqlite3.connect(db) as conn:
        versions = conn.execute("select a.url, v.version, v.headline, v.labels, v.body from "
                                "versions v join articles a on a.id = v.article_id "
                                "order by a.url, v.version").fetchall()
    fire = [v for v in versions if FIRE in v[0]]
    assert [v[1] for v in fire] == [1, 2] and len(versions) == 3
    assert fire[0][0] == news_site.url(FIRE)  # tracking parameter stripped
    assert "views" not in fire[1][4] and "min read" not in fire[1][4]
    assert "Related" not in fire[1][4] and "Ferry" not in fire[1][4]
    labels = set(json.loads(fire[1][3]))
    assert {"headline", "numbers", "correction", "paragraph-added"} <= labels

    diff = stet(db, "diff", news_site.url(FIRE), "--no-color")
    assert diff.returncode == 0, diff.stderr
    assert "12" in diff.stdout and "14" in diff.stdout and "Correction" in diff.stdout
    changes = json.loads(stet(db, "changes", "--format", "json").stdout)
    assert [(c["version"], c["url"]) for c in changes] == [(2, news_site.url(FIRE))]


def test_gone_article_and_failed_pages(news_site: Site, tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    assert stet(db, "crawl", news_site.url("/"), *FAST).returncode == 0
    news_site.set(FERRY, "<html><body>Gone</body></html>", status=410)
    news_site.set(FIRE, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
                  headers={"Content-Type": "text/html"})
    mark = last_fetch_id(db)
    result = stet(db, "crawl", news_site.url("/"), "--all", *FAST)
    assert result.returncode == 0, result.stderr
    after = outcomes(db, mark)
    assert after[FERRY[1:]] == "gone" and after[FIRE[1:]] == "error"
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from versions").fetchone()[0] == 2
        assert conn.execute("select state from articles where url like ?",
                            [f"%{FERRY}"]).fetchone()[0] == "gone"


def test_html_served_without_a_proper_type_is_still_read(news_site: Site, tmp_path: Path) -> None:
    page = article("Harbour fire burns for 12 hours", PARAGRAPHS, views=1, ago="now")
    news_site.set(FIRE, page.encode(), headers={"Content-Type": "application/octet-stream"})
    news_site.set(FERRY, b"\x89PNG\r\n\x1a\n" + bytes(200), headers={"Content-Type": ""})
    db = tmp_path / "archive.db"
    assert stet(db, "crawl", news_site.url("/"), *FAST).returncode == 0
    after = outcomes(db)
    assert after[FIRE[1:]] == "new" and after[FERRY[1:]] == "error"


def test_feed_entries_are_articles_whatever_their_url_shape(site: Site, tmp_path: Path) -> None:
    site.set("/rss", "<rss><channel><item><link>/news/bridge-closes</link></item>"
                     "<item><link>/tag/bridges</link></item></channel></rss>",
             headers={"Content-Type": "application/rss+xml"})
    site.set("/news/bridge-closes", article("Bridge closes", PARAGRAPHS, views=1, ago="now"))
    db = tmp_path / "archive.db"
    assert stet(db, "crawl", site.url("/rss"), *FAST).returncode == 0
    assert outcomes(db) == {"news/bridge-closes": "new"}
    assert "/tag/bridges" not in site.paths()


def test_google_news_sitemap_entries_are_articles(site: Site, tmp_path: Path) -> None:
    site.set("/news-sitemap.xml", """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>/n/8842</loc><news:news><news:title>Bridge closes</news:title></news:news></url>
</urlset>""", headers={"Content-Type": "application/xml"})
    site.set("/n/8842", article("Bridge closes", PARAGRAPHS, views=1, ago="now"))
    db = tmp_path / "archive.db"
    assert stet(db, "crawl", site.url("/news-sitemap.xml"), *FAST).returncode == 0
    assert outcomes(db) == {"n/8842": "new"}
