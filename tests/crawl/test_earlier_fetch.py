"""The earlier fetch of a page settles what a changed text means (real crawls, real SQLite).

When a fetched text differs from the article's current version, the pipeline cleans
the current version's kept HTML again with what is in force now (the cleaner, the
source's selectors, what was learned): a change made on Stet's side is not an edit,
and the article's stored versions are read again from their kept pages.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from scraper.crawl.sources import source_for_url
from support import resourcelists
from support.realpages import DATASETS
from support.site import Site

STORY = [
    "The regional council approved the new budget on Tuesday after a debate that lasted "
    "most of the afternoon and ended with a narrow vote of eleven to nine.",
    "Opposition members said the plan cuts bus services in the valley, while the majority "
    "argued that the savings were needed to keep taxes flat next year.",
    "The budget now goes to the state for review, which usually takes about six weeks, "
    "before the first payments can be made to the towns in the spring.",
]
BOX = "Our weekly digest of council news arrives in your inbox every Friday morning."


def article(story: list[str], build: int) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in story)
    return (f"<html><head><title>Council approves budget</title><script>var build={build};"
            "</script></head><body><article>"
            f"<h1>Council approves budget</h1>{paragraphs}<div class='box-x'><p>{BOX}</p></div>"
            "</article></body></html>")


def publish(site: Site, story: list[str], build: int = 1) -> str:
    url = site.set("/2026/12/06/council-approves-budget", article(story, build))
    site.set("/feed.xml", f"<rss><channel><item><link>{url}</link></item></channel></rss>",
             headers={"Content-Type": "application/rss+xml"})
    return url


def versions(db: Path) -> list[tuple[int, str]]:
    with closing(sqlite3.connect(db)) as conn:
        return [(int(n), str(body)) for n, body in conn.execute(
            "select version, body from versions order by version").fetchall()]


def last_outcome(db: Path) -> str:
    with closing(sqlite3.connect(db)) as conn:
        return str(conn.execute("select outcome from fetches where article_id is not null "
                                "order by fetched_at desc limit 1").fetchone()[0])


Crawl = Callable[..., Any]


def test_a_selector_added_to_the_sources_file_makes_no_version(
        site: Site, tmp_db: Path, crawl: Crawl) -> None:
    publish(site, STORY)
    plain = source_for_url(site.url("/feed.xml"))
    assert crawl([plain], tmp_db).returncode == 0
    assert BOX in versions(tmp_db)[0][1]  # the generic cleaner keeps the box

    tuned = dataclasses.replace(plain, selectors={"remove": [".box-x"]})
    publish(site, STORY, build=2)  # new bytes (not a 304), the same story
    assert crawl([tuned], tmp_db, everything=True).returncode == 0
    found = versions(tmp_db)
    assert len(found) == 1 and last_outcome(tmp_db) == "unchanged"  # fetched; no version
    assert BOX not in found[0][1] and STORY[0] in found[0][1]  # read again as it is now

    publish(site, [*STORY[:2], STORY[2].replace("six", "eight")], build=3)
    assert crawl([tuned], tmp_db, everything=True).returncode == 0
    found = versions(tmp_db)
    assert [n for n, _ in found] == [1, 2] and "eight weeks" in found[1][1]
    assert BOX not in found[1][1]


def test_an_edit_fetched_as_the_reading_changes_is_diffed_against_history_read_again(
        site: Site, tmp_db: Path, crawl: Crawl) -> None:
    """A selector (or a container learned) changes how the page reads in the same pass as
    a real edit: history is read again first, so the version holds the edit alone."""
    publish(site, STORY)
    plain = source_for_url(site.url("/feed.xml"))
    assert crawl([plain], tmp_db).returncode == 0
    tuned = dataclasses.replace(plain, selectors={"remove": [".box-x"]})
    publish(site, [*STORY[:2], STORY[2].replace("six", "eight")], build=2)
    assert crawl([tuned], tmp_db, everything=True).returncode == 0
    found = versions(tmp_db)
    assert [n for n, _ in found] == [1, 2] and BOX not in found[0][1]
    with closing(sqlite3.connect(tmp_db)) as conn:
        labels = conn.execute("select labels from versions where version = 2").fetchone()[0]
    assert "numbers" in labels and "paragraph-removed" not in labels, labels


def test_an_unreadable_kept_page_still_lets_an_edit_through(
        site: Site, tmp_db: Path, crawl: Crawl) -> None:
    publish(site, STORY)
    source = source_for_url(site.url("/feed.xml"))
    assert crawl([source], tmp_db).returncode == 0
    with closing(sqlite3.connect(tmp_db)) as conn, conn:
        conn.execute("delete from raw_dicts")  # the kept HTML can no longer be read
    publish(site, [*STORY, "Correction: an earlier version gave the wrong vote count."])
    result = crawl([source], tmp_db, everything=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert [n for n, _ in versions(tmp_db)] == [1, 2], result.stderr[-3000:]


def test_resource_lists_in_another_order_make_no_version_and_a_moved_paragraph_does(
        site: Site, tmp_db: Path, crawl: Crawl) -> None:
    """A real page (wcxb-dev/0041) whose story holds "Useful resources" lists of long
    items: served with them in another order it is the same page; an edit in a story
    paragraph, or a story paragraph moved, next to the same rotation is a new version."""
    if not DATASETS.is_dir():
        pytest.skip("../shared/datasets not present")
    html = resourcelists.real_page()
    url = site.set("/academy/seo-content-predictions/", html)
    site.set("/feed.xml", f"<rss><channel><item><link>{url}</link></item></channel></rss>",
             headers={"Content-Type": "application/rss+xml"})
    source = source_for_url(site.url("/feed.xml"))
    pages = [html, resourcelists.rotated(html),
             resourcelists.rotated(html, 2).replace("will lessen in importance",
                                                    "will lose importance"),
             resourcelists.story_paragraph_moved(resourcelists.rotated(html))]
    outcomes = []
    for served in pages:
        site.set("/academy/seo-content-predictions/", served)
        result = crawl([source], tmp_db, everything=True)
        assert result.returncode == 0, result.stderr[-2000:]
        outcomes.append(last_outcome(tmp_db))
    assert outcomes == ["new", "unchanged", "changed", "changed"]
    assert [n for n, _ in versions(tmp_db)] == [1, 2, 3]
