"""Template containers learned by an earlier cleaner (store/relearn.py), on real archives.

A real page template from ../shared/datasets carries several real stories; its story
container has a build-hash class name (``css-k3xq7a``) that the release before kept in
a container's signature and this one leaves out (clean/hashes.py).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import lxml.html

from scraper.clean import CLEANER_VERSION, clean_page, template
from scraper.clean.site import fingerprint
from scraper.model import PageItem
from scraper.store import Archive
from scraper.store.migrations_learning import SIGHTING_KINDS, fingerprint_number
from scraper.store.profiles import SiteLearning, load_profile
from support.archive import FAST, stet
from support.realsite import real_page, restory, stories
from support.site import Site

MOREBIKES = "612cd29826624e68ce96789c8049e16279dfd2fceb27434eea7943b2aaf84e90"
HASH = "css-k3xq7a"
CONTAINER = SIGHTING_KINDS.index("container")


def pages(count: int) -> tuple[list[bytes], str]:
    """The template's articles with a build hash on their story container, and the
    container's signature today."""
    page = real_page("article-extraction", MOREBIKES)
    found = [restory(page, story) for story in stories("wcxb-dev", count)]
    signature = clean_page(found[0], "").template
    assert signature
    marked = []
    for html in found:
        root = lxml.html.document_fromstring(html)
        container = next(el for el in root.iter("div") if template.signature([el]) == signature)
        container.set("class", f"{container.get('class')} {HASH}")
        marked.append(lxml.html.tostring(root))
    assert clean_page(marked[0], "").template == signature  # the hash is left out
    return marked, signature


def signed_before(signature: str) -> str:
    """The signature the release before gave the container: the hash among its classes."""
    head, _, own = signature.rpartition(" > ")
    tag, *classes = own.split(".")
    return f"{head} > {tag}{''.join('.' + c for c in sorted([*classes, HASH]))}"


def containers(db: Path) -> list[tuple[str, str | None, str]]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("select example, cleaner_version, learned_from from site_blocks "
                            "where kind = 'container'").fetchall()


def as_the_release_before(db: Path, now: str, before: str) -> None:
    """The archive the release before left: the container (and its sightings) under the
    old signature, and site_blocks without the cleaner version (m074 not yet run)."""
    old, new = (fingerprint(f"container:{s}") for s in (before, now))
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("update site_blocks set example = ?, fingerprint = ? where kind = "
                     "'container'", [before, old])
        conn.execute("update sightings set fingerprint = ? where kind = ? and fingerprint = ?",
                     [fingerprint_number(old), CONTAINER, fingerprint_number(new)])
        conn.execute("alter table site_blocks drop column cleaner_version")
        conn.execute("delete from _sqlite_migrations where name = 'm074_blocks_cleaner_version'")


def test_a_container_an_earlier_cleaner_signed_is_learned_again_on_the_next_pass(
        site: Site, tmp_path: Path) -> None:
    marked, signature = pages(4)
    paths = [f"/2019/11/story-number-{n}" for n in range(len(marked))]
    for path, html in zip(paths, marked, strict=True):
        site.set(path, html)
    site.set("/feed.xml", "<rss><channel>" + "".join(
        f"<item><link>{site.url(p)}</link></item>" for p in paths) + "</channel></rss>",
        headers={"Content-Type": "application/rss+xml"})
    db = tmp_path / "archive.db"
    crawl = [site.url("/feed.xml"), *FAST]
    assert stet(db, "crawl", *crawl).returncode == 0
    assert containers(db) == [(signature, CLEANER_VERSION, "crawl")]

    before = signed_before(signature)
    as_the_release_before(db, signature, before)
    archive = Archive(db)  # m074 again: the old row has no cleaner version
    stale = load_profile(archive, site.url().split("/")[2])
    assert stale.containers == (before,)
    assert clean_page(marked[0], "", profile=stale).template != before  # it matches nothing
    versions = archive.counts()[1]
    archive.close()

    result = stet(db, "crawl", "--all", *crawl)
    assert result.returncode == 0, result.stderr[-2000:]
    assert containers(db) == [(signature, CLEANER_VERSION, "relearn")]
    with closing(sqlite3.connect(db)) as conn:
        outcomes = conn.execute("select outcome, count(*) from fetches where article_id is "
                                "not null group by outcome").fetchall()
        assert conn.execute("select count(*) from versions").fetchone()[0] == versions
    assert dict(outcomes) == {"new": 4, "not_modified": 4}  # learned again, no page read


def test_a_container_todays_cleaner_still_finds_is_kept_and_marked_current(
        tmp_path: Path) -> None:
    marked, signature = pages(3)
    archive = Archive(tmp_path / "archive.db")
    learning = SiteLearning(archive)
    for n, html in enumerate(marked):
        url = f"https://bikes.example/2019/11/story-number-{n}"
        page = clean_page(html, url, profile=learning.profile("bikes"))
        item = PageItem(url=url, source="bikes", status=200, body=html,
                        fetched_at=f"2026-11-0{n + 1}T08:00:00Z")
        assert archive.save_page(item, page) == "new"
        learning.observe_page("bikes", url, item.fetched_at, page.template)
    with archive.db.conn:  # as if learned before m074
        archive.db.execute("update site_blocks set cleaner_version = null")
    assert containers(archive.path) == [(signature, None, "crawl")]

    assert SiteLearning(archive).check_templates("bikes") == 0
    assert containers(archive.path) == [(signature, CLEANER_VERSION, "crawl")]
    archive.close()
