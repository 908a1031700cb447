"""A new URL whose fetch failed rests before it is tried again (real crawls, real SQLite).

`stet schedule` runs a pass every few minutes for months: a link that never works (a
server error, a page with no article) must not cost a request on every pass. The next
pass tries it again; after a second failure it rests an hour, then four, up to a week;
`--all` tries it now.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import timedelta
from pathlib import Path
from typing import Any

from scraper.crawl.sources import source_for_url
from scraper.store.revisit import rest_after
from support.site import Site

Crawl = Callable[..., Any]
STORY = ("The harbour authority said on Monday that the new ferry terminal will open in "
         "March, two years later than planned, after the contractor went bankrupt. ") * 3
BROKEN = "/2026/12/06/ferry-terminal-delayed-again"
MISSING = "/2026/12/06/a-link-that-was-never-there"


def serve(site: Site) -> str:
    good = site.set("/2026/12/06/ferry-terminal-opens-in-march",
                    f"<html><head><title>Ferry terminal opens in March</title></head><body>"
                    f"<article><h1>Ferry terminal opens in March</h1><p>{STORY}</p></article>"
                    "</body></html>")
    site.set(BROKEN, "<html><body>Internal error</body></html>", status=500)
    links = "".join(f"<li><a href='{site.url(p)}'>Story</a></li>" for p in (BROKEN, MISSING))
    return site.set("/", f"<html><body><ul><li><a href='{good}'>Story</a></li>{links}</ul>"
                         "</body></html>")


def requests_for(site: Site, path: str) -> int:
    return site.paths("GET").count(path)


def age_failures(db: Path, by: timedelta) -> None:
    """Move every failed fetch back in time, as if the pass had run that long ago."""
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("update checks set at = at - ? where outcome = 5",
                     [int(by.total_seconds())])


def test_a_failing_new_url_rests_longer_after_each_failure(
        site: Site, tmp_db: Path, crawl: Crawl) -> None:
    source = source_for_url(serve(site))
    settings = {"RETRY_TIMES": "0"}
    for tries in (1, 2):  # a first failure is tried again on the next pass
        assert crawl([source], tmp_db, settings=settings).returncode == 0
        assert requests_for(site, BROKEN) == tries and requests_for(site, MISSING) == tries

    result = crawl([source], tmp_db, settings=settings)  # at once: both rest
    assert result.returncode == 0
    assert requests_for(site, BROKEN) == 2 and requests_for(site, MISSING) == 2
    assert "2 new URLs resting after failed fetches" in result.stderr

    age_failures(tmp_db, timedelta(minutes=61))  # the first rest (an hour) is over
    assert crawl([source], tmp_db, settings=settings).returncode == 0
    assert requests_for(site, BROKEN) == 3 and requests_for(site, MISSING) == 3

    age_failures(tmp_db, timedelta(minutes=61))  # the second rest is four hours
    assert crawl([source], tmp_db, settings=settings).returncode == 0
    assert requests_for(site, BROKEN) == 3 and requests_for(site, MISSING) == 3

    assert crawl([source], tmp_db, everything=True, settings=settings).returncode == 0
    assert requests_for(site, BROKEN) == 4  # --all tries every URL now


def test_a_url_that_works_again_after_its_rest_is_archived(
        site: Site, tmp_db: Path, crawl: Crawl) -> None:
    source = source_for_url(serve(site))
    settings = {"RETRY_TIMES": "0"}
    for _ in range(2):
        assert crawl([source], tmp_db, settings=settings).returncode == 0
    site.set(BROKEN, f"<html><head><title>Ferry terminal delayed again</title></head><body>"
                     f"<article><h1>Ferry terminal delayed again</h1><p>{STORY}</p></article>"
                     "</body></html>")
    assert crawl([source], tmp_db, settings=settings).returncode == 0
    assert requests_for(site, BROKEN) == 2  # still resting: kept for later, not dropped

    age_failures(tmp_db, timedelta(hours=2))
    assert crawl([source], tmp_db, settings=settings).returncode == 0
    with closing(sqlite3.connect(tmp_db)) as conn:
        urls = {row[0] for row in conn.execute("select url from articles")}
    assert site.url(BROKEN) in urls


def test_rests_grow_to_a_week() -> None:
    assert rest_after(0) == rest_after(1) == timedelta(0)
    assert [rest_after(n) for n in (2, 3, 4)] == [timedelta(hours=1), timedelta(hours=4),
                                                  timedelta(hours=16)]
    assert rest_after(6) == rest_after(50) == timedelta(days=7)
