"""Proof that Stet records exactly the real edits and none of the noise (tracker issue 4).

A local news site in five CMS markups (``tests/sites/cms/``: WordPress, a Next.js
CSS-in-JS site, Ghost, a windows-1251 table layout, a site with "Read also" teasers
and embeds in the body) is crawled five times with real ``stet crawl --all`` passes.
Every pass changes all the noise (related and most-read lists, relative times,
counters, nonces, ad slots, cache busters, hashed class names, attribute order,
indentation, the Next.js modified time, utm_* on links); passes 3 to 5 also make real
edits to several articles at once. After each pass the test checks every article's
versions (numbers and labels), the events and the ``fetches`` outcomes.
"""

from __future__ import annotations

import contextlib
import json
import random
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sites.cms import cms

from scraper.clean import clean_page
from support.site import ROOT, Site

FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"]
ARTICLES = (  # key, markup, story
    ("wp-numbers", "wordpress", "bridge"), ("wp-typo", "wordpress", "orchard"),
    ("wp-gone", "wordpress", "clinic"), ("wp-moved", "wordpress", "stadium"),
    ("nx-headline", "nextjs", "orchard"), ("nx-byline", "nextjs", "library"),
    ("nx-flip", "nextjs", "stadium"), ("gh-paragraphs", "ghost", "library"),
    ("gh-collapse", "ghost", "bridge"), ("lg-numbers", "legacy", "ru-tram"),
    ("ra-quote", "readalso", "stadium"), ("ra-collapse", "readalso", "clinic"),
)
KEYS = [key for key, _, _ in ARTICLES]


def build_articles(seed: int = 4) -> list[cms.Article]:
    rng = random.Random(seed)
    articles = []
    for number, (key, markup, story) in enumerate(ARTICLES, 1):
        article = cms.make_article(markup, cms.load_story(story), number, rng)
        article.key = key
        articles.append(article)
    return articles


class Check:
    """The archive after a pass, read by article key (what the newsroom calls it)."""

    def __init__(self, db: Path, newsroom: cms.Newsroom) -> None:
        self.db = db
        self.newsroom = newsroom
        self.mark = 0  # fetches.id before the pass
        self.events_seen = 0

    def key_of(self, url: str) -> str:
        path = urlsplit(url).path
        for key, article in self.newsroom.articles.items():
            if path in (article.path, article.moved_to):
                return key
        return path

    def query(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        with contextlib.closing(sqlite3.connect(self.db)) as conn:
            return conn.execute(sql, params).fetchall()

    def crawl(self) -> None:
        """Publish the site with new noise, then one real `stet crawl --all` pass."""
        self.newsroom.publish()
        if self.db.exists():
            self.mark = int(str(self.query("select coalesce(max(id), 0) from fetches")[0][0]))
        result = stet(self.db, "crawl", self.newsroom.site.url("/"), "--all", *FAST)
        assert result.returncode == 0, result.stderr[-3000:]

    def outcomes(self) -> dict[str, str]:
        rows = self.query("select url, outcome from fetches where id > ? and article_id is not "
                          "null order by id", (self.mark,))
        return {self.key_of(str(url)): str(outcome) for url, outcome in rows}

    def versions(self) -> dict[str, list[int]]:
        rows = self.query("select a.url, v.version from versions v join articles a on "
                          "a.id = v.article_id order by a.id, v.version")
        found: dict[str, list[int]] = {}
        for url, version in rows:
            found.setdefault(self.key_of(str(url)), []).append(int(str(version)))
        return found

    def version(self, key: str, number: int) -> dict[str, object]:
        row = self.query("select v.labels, v.quarantined, v.diff_from, a.current_version from "
                         "versions v join articles a on a.id = v.article_id where a.url like ? "
                         "and v.version = ?", (f"%{self.path(key)}", number))[0]
        return {"labels": set(json.loads(str(row[0] or "[]"))), "quarantined": row[1],
                "diff_from": row[2], "current": row[3]}

    def path(self, key: str) -> str:
        article = self.newsroom.articles[key]
        return article.moved_to or article.path

    def new_events(self) -> list[tuple[str, str, object]]:
        rows = self.query("select a.url, e.kind, e.version from events e join articles a on "
                          "a.id = e.article_id where e.id > ? order by e.id", (self.events_seen,))
        self.events_seen += len(rows)
        return [(self.key_of(str(url)), str(kind), version) for url, kind, version in rows]


def stet(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scraper", "--db", str(db), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def check(site: Site, tmp_path: Path) -> Iterator[Check]:
    yield Check(tmp_path / "archive.db", cms.Newsroom(site, build_articles()))


def edit(check: Check, key: str, kind: str, *, bump: bool = False) -> set[str]:
    """Apply one edit; returns the labels its version must carry."""
    article = check.newsroom.articles[key]
    labels = cms.EDITS[kind](article, random.Random(key))
    assert labels is not None, f"{key} has no material for a {kind} edit"
    if bump:
        article.modified = "2026-03-29T10:00:00+00:00"
    return labels


def assert_version(check: Check, key: str, number: int, must: set[str], *,
                   stealth: bool | None = None) -> None:
    version = check.version(key, number)
    labels = version["labels"]
    assert isinstance(labels, set)
    assert must <= labels, (key, number, labels)
    if stealth is not None:
        assert ("stealth" in labels) is stealth, (key, number, labels)
    assert version["quarantined"] == 0 and version["current"] == number, (key, version)


def state(check: Check, key: str, number: int) -> dict[str, object]:
    version = check.version(key, number)
    return {name: version[name] for name in ("quarantined", "diff_from", "current")}


def everything(outcome: str, **others: str) -> dict[str, str]:
    return {key: others.get(key.replace("-", "_"), outcome) for key in KEYS}


def test_noise_then_edits_across_five_passes(check: Check) -> None:
    expected = {key: [1] for key in KEYS}
    check.crawl()
    assert check.outcomes() == everything("new")
    assert check.versions() == expected

    check.crawl()  # noise only
    assert check.outcomes() == everything("unchanged")
    assert check.versions() == expected and check.new_events() == []

    pass_three(check, expected)
    pass_four(check, expected)
    pass_five(check, expected)
    changes = json.loads(stet(check.db, "changes", "--format", "json").stdout)
    listed = {(check.key_of(c["url"]), c["version"]) for c in changes}
    assert ("gh-collapse", 2) not in listed  # quarantined, never confirmed
    assert {("ra-collapse", 2), ("nx-flip", 1), ("nx-flip", 2)} <= listed


def pass_three(check: Check, expected: dict[str, list[int]]) -> None:
    labels = {key: edit(check, key, kind) for key, kind in (
        ("wp-numbers", "numbers"), ("wp-typo", "typo"), ("nx-headline", "headline"),
        ("nx-byline", "byline"), ("nx-flip", "headline"), ("gh-paragraphs", "paragraph-removed"),
        ("lg-numbers", "numbers"), ("ra-quote", "quote"))}
    articles = check.newsroom.articles
    articles["wp-gone"].status = 410
    articles["gh-collapse"].collapsed = articles["ra-collapse"].collapsed = True
    check.crawl()
    assert check.outcomes() == everything("changed", wp_moved="unchanged", wp_gone="gone")
    for key in [*labels, "gh-collapse", "ra-collapse"]:
        expected[key].append(2)
    assert check.versions() == expected
    for key, must in labels.items():  # Next.js bumps its modified time on every deploy
        assert_version(check, key, 2, must, stealth=not key.startswith("nx-"))
    for key in ("gh-collapse", "ra-collapse"):  # quarantined: stored, not current
        assert state(check, key, 2) == {"quarantined": 1, "diff_from": 1, "current": 1}
    assert sorted(check.new_events()) == [
        ("gh-collapse", "quarantined", 2), ("ra-collapse", "quarantined", 2),
        ("wp-gone", "gone", 1)]


def pass_four(check: Check, expected: dict[str, list[int]]) -> None:
    labels = {key: edit(check, key, kind, bump=bump) for key, kind, bump in (
        ("wp-numbers", "correction", False), ("wp-typo", "paragraph-added", True),
        ("nx-headline", "quote", False), ("nx-byline", "name", False),
        ("gh-paragraphs", "sentence", False), ("lg-numbers", "correction", False),
        ("ra-quote", "paragraph-added", False))}
    articles = check.newsroom.articles
    articles["nx-flip"].headline = articles["nx-flip"].story.headline  # B -> A
    articles["wp-gone"].status = 200
    articles["gh-collapse"].collapsed = False  # back to full text: v2 is never confirmed
    articles["wp-moved"].moved_to = articles["wp-moved"].path.replace("/03/", "/04/")
    check.crawl()
    assert check.outcomes() == everything(
        "changed", wp_moved="unchanged", wp_gone="unchanged", gh_collapse="unchanged")
    for key in labels:
        expected[key].append(3)
    assert check.versions() == expected
    stealthy = {"gh-paragraphs": True, "ra-quote": True, "wp-typo": False}
    for key, must in labels.items():  # a correction note is never stealth
        assert_version(check, key, 3, must, stealth=stealthy.get(key, False))
    assert check.version("nx-flip", 1)["current"] == 1
    assert check.version("gh-collapse", 2)["quarantined"] == 1
    assert state(check, "ra-collapse", 2) == {"quarantined": 0, "diff_from": 1, "current": 2}
    assert sorted(check.new_events()) == [
        ("nx-flip", "flip-flop", 1), ("ra-collapse", "confirmed", 2),
        ("wp-gone", "returned", 1), ("wp-moved", "redirect", None)]
    moved = check.newsroom.site.url(articles["wp-moved"].path)
    assert check.query("select reason from url_aliases where url = ?", (moved,)) == [
        ("redirect",)]


def pass_five(check: Check, expected: dict[str, list[int]]) -> None:
    articles = check.newsroom.articles
    moved = articles["wp-moved"]
    moved.path, moved.moved_to = moved.moved_to, ""  # the site now links the new URL
    articles["nx-flip"].headline = articles["nx-flip"].story.alts[0]  # A -> B again
    typo = edit(check, "lg-numbers", "typo")
    name = edit(check, "gh-collapse", "name")
    check.crawl()
    assert check.outcomes() == everything("unchanged", nx_flip="changed",
                                          lg_numbers="changed", gh_collapse="changed")
    expected["lg-numbers"].append(4)
    expected["gh-collapse"].append(3)
    assert check.versions() == expected
    assert len(check.query("select id from articles")) == len(KEYS)
    assert_version(check, "lg-numbers", 4, typo, stealth=True)
    assert_version(check, "gh-collapse", 3, name, stealth=True)
    assert check.version("gh-collapse", 3)["diff_from"] == 1  # not from the quarantined v2
    assert check.version("nx-flip", 2)["current"] == 2
    assert sorted(check.new_events()) == [("nx-flip", "flip-flop", 2)]


def cleaned(article: cms.Article, number: int = 1) -> tuple[str, str, str]:
    noise = cms.Noise(number, random.Random(number), "http://127.0.0.1:8000",
                      (("/2026/03/01/other-story/", "Other story"),))
    page = clean_page(cms.render(article, noise), "http://127.0.0.1:8000" + article.path)
    return page.headline, page.byline, page.body


def test_legacy_cyrillic_byline_change_is_an_edit() -> None:
    article = build_articles()[KEYS.index("lg-numbers")]
    before = cleaned(article)
    cms.edit_byline(article, random.Random())
    assert cleaned(article, 2)[1] == "Ирина Белозерова и Павел Стрельцов"
    assert before[1] == "Ирина Белозерова"


def test_ghost_byline_is_the_name_only() -> None:
    article = build_articles()[KEYS.index("gh-paragraphs")]
    assert cleaned(article)[1] == "Colm Hartigan"
