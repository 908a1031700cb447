"""Template containers learned by an earlier cleaner, checked against today's (issue 9).

A container's signature is the cleaner's name for an element (clean/template.py), and a
release may name the same element otherwise: this one leaves build-hash class names out
(clean/hashes.py), so a container learned before ("div.post.css-k3xq7a") matches none of
its pages, which were scored one by one until three new articles had taught it again.
Each site_blocks row records the cleaner version it was learned with (m074, NULL for
rows from before); a container of another version is checked when a pass starts
(``SiteLearning.check_templates``): the kept pages it was learned from are cleaned again
with today's cleaner and the source's profile, one at a time. The first that still gives
its signature keeps it (marked as this version's: one page per container and release);
else the signatures they give now are learned as the crawl learns them, and the old one
is dropped.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from scraper.clean import CLEANER_VERSION, clean_page
from scraper.clean.site import SiteProfile
from scraper.errors import ArchiveError
from scraper.store.archive import Archive

logger = logging.getLogger(__name__)
PAGES_CHECKED = 8  # kept pages cleaned again per stale container, at most


@dataclass(frozen=True)
class StaleTemplate:
    source: str
    fingerprint: str
    signature: str
    evidence: tuple[tuple[int, int], ...]  # (article, version) it was learned from


@dataclass(frozen=True)
class Signed:
    """A kept page cleaned again today: the container signature it gives now."""

    article_id: int
    version: int
    signature: str


def stale_templates(archive: Archive, source: str | None = None) -> list[StaleTemplate]:
    """Containers (of one source, or all) learned by another cleaner version, or before
    the version was kept."""
    rows = archive.db.execute(
        "select source, fingerprint, example, versions from site_blocks where "
        "kind = 'container' and coalesce(cleaner_version, '') != ? and (? is null or "
        "source = ?) order by source", [CLEANER_VERSION, source, source]).fetchall()
    return [StaleTemplate(name, fp, example or "", tuple(
        (int(a), int(v)) for a, v in json.loads(versions or "[]")))
        for name, fp, example, versions in rows]


def signed_pages(archive: Archive, stale: StaleTemplate,
                 profile: SiteProfile) -> Iterator[Signed]:
    """The stale container's kept pages, cleaned again now one by one: what each is
    signed with."""
    for article_id, number in stale.evidence[:PAGES_CHECKED]:
        article = archive.find_article(article_id)
        version = next((v for v in archive.versions(article_id) if v.version == number), None)
        if article is None or version is None or not version.raw_hash:
            continue
        try:
            kept = archive.raw_page(version.raw_hash)
        except ArchiveError as error:
            logger.warning("article %s version %s: %s", article_id, number, error)
            continue
        if kept is not None:
            page = clean_page(kept[0], article.url, encoding=kept[1], profile=profile)
            yield Signed(article_id, number, page.template)


def confirm_template(archive: Archive, stale: StaleTemplate) -> None:
    """A container today's cleaner still finds: it counts as learned by this version."""
    archive.db.execute("update site_blocks set cleaner_version = ? where source = ? and "
                       "kind = 'container' and fingerprint = ?",
                       [CLEANER_VERSION, stale.source, stale.fingerprint])


def forget_template(archive: Archive, stale: StaleTemplate) -> None:
    archive.db.execute("delete from site_blocks where source = ? and kind = 'container' "
                       "and fingerprint = ?", [stale.source, stale.fingerprint])
