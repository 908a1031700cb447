"""The review pages, in process: a real archive written by Archive, read by Datasette."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from datasette.app import Datasette

from scraper.diff.labels import LABELS
from scraper.errors import ArchiveError
from scraper.model import CleanPage, FetchItem, PageItem
from scraper.review.serve import METADATA_PATH, build_datasette
from scraper.store import Archive
from scraper.timeutil import iso, utcnow

STORY = "https://news.example/2026/01/council-budget"
FLIP = "https://news.example/2026/01/flip"
SHRINK = "https://news.example/2026/01/shrink"
GONE = "https://news.example/2026/01/gone"
BROKEN = "https://news.example/2026/01/broken"
OLD_BROKEN = "https://news.example/2026/01/old-broken"
SCRIPT = "<script>alert(1)</script>"
LONG_BODY = "\n\n".join(f"Paragraph {n} tells the long story of the harbour." * 3
                        for n in range(1, 8))


@dataclass(frozen=True)
class Site:
    ds: Datasette
    ids: dict[str, int]


def save(archive: Archive, url: str, day: int, headline: str, body: str) -> str:
    item = PageItem(url=url, source="example", status=200, body=f"<p>{headline}{body}</p>".encode(),
                    fetched_at=f"2026-01-{day:02d}T10:00:00Z")
    return archive.save_page(item, CleanPage(headline=headline, byline="By Ana Writer", body=body))


def fail(archive: Archive, url: str, fetched_at: str, outcome: str, status: int) -> None:
    archive.save_fetch(FetchItem(url=url, source="example", fetched_at=fetched_at,
                                 outcome=outcome, status=status))


def fill(archive: Archive) -> None:
    """Three versions of STORY, a flip-flop, a quarantined collapse, a gone page, failures."""
    first = "The council approved 120 million for roads.\n\nWork starts in May."
    second = first.replace("120", "150")
    assert save(archive, STORY, 1, "Council approves budget", first) == "new"
    assert save(archive, STORY, 2, "Council approves budget", second) == "changed"
    third = second + "\n\nThe mayor welcomed the vote."
    assert save(archive, STORY, 3, f"{SCRIPT} Council approves budget", third) == "changed"
    for day, body in ((1, "Ferry runs today."), (2, "Ferry cancelled today."),
                      (3, "Ferry runs today.")):
        save(archive, FLIP, day, "Ferry news", body)
    save(archive, SHRINK, 1, "Harbour plan", LONG_BODY)
    save(archive, SHRINK, 2, "Harbour plan", "Paragraph 1 only.")
    save(archive, GONE, 1, "Deleted story", "Soon gone.")
    fail(archive, GONE, "2026-01-02T10:00:00Z", "gone", 404)
    fail(archive, BROKEN, iso(utcnow() - timedelta(hours=2)), "error", 500)
    fail(archive, OLD_BROKEN, iso(utcnow() - timedelta(days=3)), "error", 503)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    path = tmp_path_factory.mktemp("review") / "archive.db"
    archive = Archive(path)
    fill(archive)
    ids = {url: archive.find_article(url).id for url in (STORY, FLIP, SHRINK, GONE)}  # type: ignore[union-attr]
    archive.close()
    ds = build_datasette(path)
    asyncio.run(ds.invoke_startup())
    yield Site(ds, ids)


def get(site: Site, path: str) -> httpx.Response:
    return asyncio.run(site.ds.client.get(path))


def rows(site: Site, path: str) -> list[dict[str, Any]]:
    """The rows of a table or query page as JSON (path may carry a query string)."""
    base, _, query = path.partition("?")
    response = get(site, f"{base}.json?_shape=array" + (f"&{query}" if query else ""))
    assert response.status_code == 200, response.text
    result: list[dict[str, Any]] = response.json()
    return result


def test_home_page_lists_edits_and_links_the_tables(site: Site) -> None:
    response = get(site, "/")
    assert response.status_code == 200
    assert "<h1>Edits</h1>" in response.text
    assert '<a href="/archive">all tables (Datasette)</a>' in response.text


def test_revisions_view_shows_word_diffs(site: Site) -> None:
    story = site.ids[STORY]
    html = get(site, f"/archive/revisions?article_id={story}&_sort=version").text
    assert '<del class="stet-delete">120</del>' in html
    assert '<ins class="stet-insert">150</ins>' in html
    assert '<ins class="stet-insert">The mayor welcomed the vote.</ins>' in html
    assert "<ins class=\"stet-insert\">&lt;script&gt;alert(1)&lt;/script&gt;</ins>" in html
    assert SCRIPT not in html


def test_revisions_view_leaves_first_versions_and_json_alone(site: Site) -> None:
    html = get(site, f"/archive/revisions?article_id={site.ids[STORY]}&version=1").text
    assert "stet-cell" not in html
    assert "The council approved 120 million for roads." in html
    data = rows(site, f"/archive/revisions?article_id={site.ids[STORY]}&version=2")
    assert data[0]["body"].startswith("The council approved 150 million")


def test_other_tables_are_not_diffed(site: Site) -> None:
    html = get(site, "/archive/versions").text
    assert "stet-cell" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert SCRIPT not in html


def test_recent_changes(site: Site) -> None:
    found = rows(site, "/archive/recent_changes")
    pairs = {(r["article_id"], r["diff_from"], r["version"]) for r in found}
    story = site.ids[STORY]
    assert {(story, 1, 2), (story, 2, 3)} <= pairs
    assert all(r["version"] > 1 for r in found)
    newest = next(r for r in found if (r["article_id"], r["version"]) == (story, 2))
    assert json.loads(newest["labels"]) == ["numbers", "stealth"]
    assert (newest["words_added"], newest["words_removed"]) == (1, 1)
    html = get(site, "/archive/recent_changes").text
    assert f'<a href="/-/stet/diff/{story}/1/2">review</a>' in html


def test_article_history_query(site: Site) -> None:
    found = rows(site, f"/archive/article_history?article_id={site.ids[STORY]}")
    assert [r["version"] for r in found] == [1, 2, 3]
    assert found[2]["headline"] == f"{SCRIPT} Council approves budget"


def test_flip_flops_query(site: Site) -> None:
    found = rows(site, "/archive/flip_flops")
    assert [(r["article_id"], r["version"]) for r in found] == [(site.ids[FLIP], 1)]


def test_quarantined_query(site: Site) -> None:
    found = rows(site, "/archive/quarantined")
    assert [(r["article_id"], r["version"], r["health"]) for r in found] == [
        (site.ids[SHRINK], 2, "collapsed")]


def test_failures_query_keeps_the_last_day(site: Site) -> None:
    found = rows(site, "/archive/failures")
    assert [(r["url"], r["status"]) for r in found] == [(BROKEN, 500)]


def test_gone_query(site: Site) -> None:
    found = rows(site, "/archive/gone")
    assert [(r["article_id"], r["kind"], r["state"]) for r in found] == [
        (site.ids[GONE], "gone", "gone")]


def test_article_page_shows_every_version(site: Site) -> None:
    response = get(site, f"/-/stet/article/{site.ids[STORY]}")
    assert response.status_code == 200
    html = response.text
    for number in (1, 2, 3):
        assert f'id="v{number}"' in html
    assert html.index('id="v3"') < html.index('id="v2"') < html.index('id="v1"')
    for label in ("numbers", "headline", "paragraph-added"):
        assert f'stet-label-{label}" title="' in html
    assert '<del class="stet-delete">120</del>' in html
    assert '<p class="stet-para stet-insert" data-new-index="2">' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert SCRIPT not in html


def test_article_page_marks_quarantine(site: Site) -> None:
    html = get(site, f"/-/stet/article/{site.ids[SHRINK]}").text
    assert "quarantined (collapsed)" in html
    assert "stet-is-quarantined" in html


def test_diff_page_compares_any_two_versions(site: Site) -> None:
    story = site.ids[STORY]
    html = get(site, f"/-/stet/diff/{story}/1/3").text
    assert '<del class="stet-delete">120</del><ins class="stet-insert">150</ins>' in html
    assert "The mayor welcomed the vote." in html
    assert SCRIPT not in html


@pytest.mark.parametrize("path", [
    "/-/stet/article/999",
    "/-/stet/article/abc",
    "/-/stet/diff/{story}/1/9",
    "/-/stet/diff/999/1/2",
])
def test_unknown_ids_are_404_pages(site: Site, path: str) -> None:
    response = get(site, path.format(story=site.ids[STORY]))
    assert response.status_code == 404
    assert "Traceback" not in response.text
    assert "<html>" in response.text


def test_unknown_article_says_so(site: Site) -> None:
    assert "Article 999 is not in the archive" in get(site, "/-/stet/article/999").text


@pytest.mark.parametrize(("table", "facet"), [
    ("versions", "labels"),
    ("version_labels", "label"),
    ("fetches", "outcome"),
    ("articles", "source"),
    ("articles", "state"),
])
def test_facets(site: Site, table: str, facet: str) -> None:
    response = get(site, f"/archive/{table}.json")
    results = response.json()["facet_results"]
    assert facet in results, sorted(results)
    assert results[facet]["results"], results[facet]


def test_versions_label_facet_counts(site: Site) -> None:
    results = get(site, "/archive/versions.json").json()["facet_results"]["labels"]["results"]
    counts = {r["value"]: r["count"] for r in results}
    assert {k: counts[k] for k in ("numbers", "headline", "paragraph-added", "rewrite")} == {
        "numbers": 2, "headline": 1, "paragraph-added": 2, "rewrite": 1}


def test_stylesheet_is_served_on_every_page(site: Site) -> None:
    assert '/-/stet/review.css"' in get(site, "/archive/revisions").text
    response = get(site, "/-/stet/review.css")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")
    assert "line-through" in response.text


def test_every_label_has_a_description() -> None:
    metadata = json.loads(METADATA_PATH.read_text(encoding="utf-8"))
    assert set(metadata["plugins"]["stet_review"]["labels"]) == set(LABELS)


def test_missing_archive_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="no such file"):
        build_datasette(tmp_path / "missing.db")
    assert not (tmp_path / "missing.db").exists()


def test_database_named_after_its_file(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    archive = Archive(path)
    save(archive, STORY, 1, "Council approves budget", "One paragraph.")
    save(archive, STORY, 2, "Council approves budget", "One longer paragraph.")
    archive.close()
    ds = build_datasette(path)
    asyncio.run(ds.invoke_startup())
    other = Site(ds, {})
    assert len(rows(other, "/news/recent_changes")) == 1
    assert "One <ins" in get(other, "/-/stet/article/1").text
