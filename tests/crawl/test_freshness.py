"""Feeds and sitemaps that say an article changed make it re-checked in the same pass."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from scraper.crawl.freshness import feed_dates, parse_date, sitemap_dates
from support.site import ROOT, Site

FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"]
PATH = "/news/2026/11/30/quay-wall-repairs-begin-after-storms"


@pytest.mark.parametrize(("text", "expected"), [
    ("2025-03-10", "2025-03-10T00:00:00Z"),
    ("2025-03-11T10:00:00+01:00", "2025-03-11T09:00:00Z"),
    ("2025-03-11T09:00:00Z", "2025-03-11T09:00:00Z"),
    ("Tue, 10 Mar 2025 09:00:00 GMT", "2025-03-10T09:00:00Z"),
    ("Tue, 10 Mar 2025 11:00:00 +0200", "2025-03-10T09:00:00Z"),
    ("last week", ""), ("", ""), ("2025-13-45", ""),
])
def test_parse_date(text: str, expected: str) -> None:
    assert parse_date(text) == expected


def test_feed_and_sitemap_dates() -> None:
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="/a"/>'
            b"<published>2025-03-01T00:00:00Z</published><updated>2025-03-12T08:00:00Z</updated>"
            b'</entry><entry><link href="/b"/></entry></feed>')
    assert feed_dates(atom, "https://x.example/") == {"https://x.example/a": "2025-03-12T08:00:00Z"}
    rss = (b"<rss><channel><item><link>https://x.example/c</link><pubDate>Tue, 10 Mar 2025 "
           b"09:00:00 GMT</pubDate></item></channel></rss>")
    assert feed_dates(rss, "https://x.example/") == {"https://x.example/c": "2025-03-10T09:00:00Z"}
    sitemap = (b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url>'
               b"<loc>https://x.example/d</loc><lastmod>2025-03-11</lastmod></url>"
               b"<url><loc>https://x.example/e</loc></url></urlset>")
    assert sitemap_dates(sitemap, "https://x.example/") == {
        "https://x.example/d": "2025-03-11T00:00:00Z"}
    assert feed_dates(b"not xml", "https://x.example/") == {}
    assert sitemap_dates(b"<sitemapindex/>", "https://x.example/") == {}


def article(number: str) -> str:
    return ("<html><head><meta property='og:type' content='article'></head><body><article>"
            "<h1>Quay wall repairs begin</h1>" + "<p>Engineers began repairing the quay wall on "
            f"Monday after storms loosened {number} of its granite blocks, the harbour board "
            "said.</p>" * 4 + "</article></body></html>")


def feed(updated: str) -> str:
    return (f'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="{PATH}"/>'
            f"<updated>{updated}</updated></entry></feed>")


def test_an_updated_feed_entry_is_rechecked_before_it_is_due(site: Site, tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    site.set("/feed.xml", feed("2020-01-01T00:00:00Z"),
             headers={"Content-Type": "application/atom+xml"})
    site.set(PATH, article("several"))

    def crawl() -> None:
        result = subprocess.run([sys.executable, "-m", "scraper", "--db", str(db), "crawl",
                                 site.url("/feed.xml"), *FAST], cwd=ROOT, capture_output=True,
                                text=True, timeout=120, check=False)
        assert result.returncode == 0, result.stderr

    crawl()
    site.set(PATH, article("eleven"))
    crawl()  # not due for 15 minutes, and the feed says nothing new: not fetched
    assert site.paths().count(PATH) == 1
    site.set("/feed.xml", feed("2999-01-01T00:00:00Z"),
             headers={"Content-Type": "application/atom+xml"})
    crawl()  # the feed says it was updated after our check: fetched now
    assert site.paths().count(PATH) == 2
    with sqlite3.connect(db) as conn:
        bodies = [r[0] for r in conn.execute("select body from versions order by version")]
    assert len(bodies) == 2 and "eleven" in bodies[1]
