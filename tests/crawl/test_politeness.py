"""Politeness, checked from the server's side: robots.txt, Retry-After, User-Agent, concurrency."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from scraper import __version__
from scraper.crawl.middlewares import retry_after_seconds
from scraper.crawl.sources import source_for_url

Crawl = Callable[..., Any]
STORY = """<html><head><meta property="og:type" content="article"><title>{0}</title></head>
<body><article><h1>{0}</h1><p>{0}: the whole story, told in one paragraph.</p></article>
</body></html>"""
SECRET = "/private/2025/09/05/secret-story-nobody-may-fetch"


def fetches(db: Path) -> dict[str, tuple[str, int | None, str | None]]:
    """url -> (outcome, status, error) of the latest fetch of each URL."""
    with sqlite3.connect(db) as conn:
        found = conn.execute("select url, outcome, status, error from fetches order by id")
        return {url: (outcome, status, error) for url, outcome, status, error in found}


def ok(result: Any) -> None:
    assert result.returncode == 0, result.stderr[-4000:]


def test_disallowed_page_is_never_requested(site: Any, tmp_db: Path, crawl: Crawl) -> None:
    site.set("/robots.txt", "User-agent: *\nDisallow: /private/\n",
             headers={"Content-Type": "text/plain"})
    site.set("/", f"""<html><head><link rel="alternate" type="application/rss+xml"
        href="/feed.xml"></head><body><a href="{SECRET}">secret</a>
        <a href="/news/2025/09/05/open-story-anyone-may-read">open</a></body></html>""")
    site.set("/feed.xml", f"<rss><channel><item><link>{site.url(SECRET)}</link></item>"
             "</channel></rss>", headers={"Content-Type": "application/rss+xml"})
    site.set(SECRET, STORY.format("Secret"))
    site.set("/news/2025/09/05/open-story-anyone-may-read", STORY.format("Open"))
    ok(crawl([source_for_url(site.url("/"))], tmp_db))
    assert site.paths()[0] == "/robots.txt"  # before anything else on the host
    assert SECRET not in site.paths()
    assert "/news/2025/09/05/open-story-anyone-may-read" in site.paths()
    assert fetches(tmp_db)[site.url(SECRET)] == ("skipped", None, "disallowed by robots.txt")


def test_disallowed_start_url_is_never_requested(site: Any, tmp_db: Path, crawl: Crawl) -> None:
    """The very first request to a host waits for robots.txt, even with many at once."""
    site.set("/robots.txt", "User-agent: stet\nDisallow: /private/\n",
             headers={"Content-Type": "text/plain"}, delay=0.5)
    feeds = [f"/private/feed-{n}.xml" for n in range(6)]
    for path in feeds:
        site.set(path, "<rss><channel></channel></rss>")
    ok(crawl([source_for_url(site.url(path)) for path in feeds], tmp_db))
    assert site.paths() == ["/robots.txt"]
    assert {fetches(tmp_db)[site.url(path)][0] for path in feeds} == {"skipped"}


@pytest.mark.parametrize(("status", "expected"), [(503, "robots.txt unavailable (HTTP 503)"),
                                                  (429, "robots.txt unavailable (HTTP 429)")])
def test_robots_txt_server_error_means_stay_away(site: Any, tmp_db: Path, crawl: Crawl,
                                                 status: int, expected: str) -> None:
    """RFC 9309 2.3.1.3: an unreachable robots.txt means nothing may be crawled."""
    site.set("/robots.txt", "down", status=status)
    site.set("/", '<a href="/news/2025/09/05/open-story-anyone-may-read">x</a>')
    ok(crawl([source_for_url(site.url("/"))], tmp_db, settings={"RETRY_TIMES": "1"}))
    assert set(site.paths()) == {"/robots.txt"}
    assert fetches(tmp_db)[site.url("/")] == ("error", None, expected)


def test_missing_robots_txt_allows_everything(site: Any, tmp_db: Path, crawl: Crawl) -> None:
    site.set("/", '<a href="/news/2025/09/05/open-story-anyone-may-read">x</a>')
    site.set("/news/2025/09/05/open-story-anyone-may-read", STORY.format("Open"))
    ok(crawl([source_for_url(site.url("/"))], tmp_db))
    assert "/news/2025/09/05/open-story-anyone-may-read" in site.paths()


def test_retry_after_is_honoured(site: Any, tmp_db: Path, crawl: Crawl) -> None:
    path = "/news/2025/09/05/busy-server-story-finally-served"
    site.set("/", f'<a href="{path}">x</a>')
    site.queue(path, "slow down", status=429, headers={"Retry-After": "1"})
    site.queue(path, "unavailable", status=503)
    site.queue(path, "unavailable", status=503)
    site.set(path, STORY.format("Busy"))
    ok(crawl([source_for_url(site.url("/"))], tmp_db))
    times = site.times_of(path)
    assert len(times) == 4
    assert times[1] - times[0] >= 1.0  # waited as the 429 asked
    assert fetches(tmp_db)[site.url(path)][:2] == ("new", 200)


def test_retry_after_beyond_the_cap_gives_up(site: Any, tmp_db: Path, crawl: Crawl) -> None:
    path = "/news/2025/09/05/very-busy-server-story"
    site.set("/", f'<a href="{path}">x</a>')
    site.set(path, "come back tomorrow", status=503, headers={"Retry-After": "86400"})
    ok(crawl([source_for_url(site.url("/"))], tmp_db, settings={"STET_MAX_RETRY_AFTER": "5"}))
    assert site.paths().count(path) == 1
    assert fetches(tmp_db)[site.url(path)] == ("error", 503, "HTTP 503 (Retry-After 86400 s)")


def test_user_agent_is_honest(site: Any, tmp_db: Path, crawl: Crawl,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    site.set("/", '<a href="/news/2025/09/05/open-story-anyone-may-read">x</a>')
    monkeypatch.setenv("STET_CONTACT_URL", "https://example.org/stet-contact")
    ok(crawl([source_for_url(site.url("/"))], tmp_db))
    agents = {hit.headers.get("user-agent") for hit in site.requests}
    assert agents == {f"Stet/{__version__} (+https://example.org/stet-contact)"}


def test_at_most_four_requests_at_once_per_site(site: Any, tmp_db: Path, crawl: Crawl) -> None:
    paths = [f"/news/2025/09/05/slow-story-number-{n}" for n in range(12)]
    site.set("/", "".join(f'<a href="{p}">{p}</a>' for p in paths))
    for path in paths:
        site.set(path, STORY.format(path), delay=0.4)
    ok(crawl([source_for_url(site.url("/"))], tmp_db))
    assert all(path in site.paths() for path in paths)
    assert 2 <= site.peak <= 4


@pytest.mark.parametrize(("value", "expected"), [
    ("120", 120.0), (" 5 ", 5.0), (b"0", 0.0), ("Fri, 05 Sep 2025 12:01:00 GMT", 60.0),
    ("Fri, 05 Sep 2025 11:00:00 GMT", 0.0), ("soon", None), ("", None), (None, None),
    ("-5", None),
])
def test_retry_after_seconds(value: str | bytes | None, expected: float | None) -> None:
    now = datetime(2025, 9, 5, 12, 0, tzinfo=UTC)
    assert retry_after_seconds(value, now) == expected
