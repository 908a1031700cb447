"""Site learning in the archive (issue 9): sightings in, learned blocks out, history in line.

``SiteLearning`` records, for each stored version, the fingerprints of its paragraphs
(furniture evidence) and the shapes of its short lines with figures or dates (where a
volatile shape would apply), in ``sightings`` (integers; the ``site_sightings`` view spells
them out). A paragraph held by enough distinct articles becomes a ``site_blocks`` row
(with its shape, when it has figures or dates: today's date on every page is volatile);
the versions of the articles that held it are then filtered at once
(``Archive.rewrite_versions``), so the next fetch of those articles compares like with
like and a false version made before the block was learned is merged away. The
decisions are pure functions in ``clean/site.py``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from scraper.clean import CLEANER_VERSION
from scraper.clean import site as site
from scraper.clean.site import SiteProfile
from scraper.model import CleanPage, Version
from scraper.store import relearn
from scraper.store.archive import Archive
from scraper.store.checks import source_id
from scraper.store.file import write_transaction
from scraper.store.migrations_learning import (
    SIGHTING_KINDS,
    fingerprint_number,
    fingerprint_text,
)
from scraper.timeutil import iso, normalize_iso, utcnow

logger = logging.getLogger(__name__)
KINDS = ("furniture", "volatile", "container", "headline", "affix")  # site_blocks' kinds
EVIDENCE_SHOWN = 20  # articles and versions named in a learned block's row
CHUNK = 400  # fingerprints per IN (...) query
KIND = {name: code for code, name in enumerate(SIGHTING_KINDS)}
ANY_KIND = f"kind in ({', '.join(str(code) for code in KIND.values())})"  # the key's 2nd column


@dataclass(frozen=True)
class LearnedBlock:
    """One row of site_blocks."""

    source: str
    kind: str
    fingerprint: str
    example: str
    pages: int
    first_learned: str
    last_learned: str
    articles: tuple[int, ...]
    versions: tuple[tuple[int, int], ...]
    learned_from: str


@dataclass(frozen=True)
class SourceSummary:
    source: str
    articles: int
    furniture: int
    volatile: int
    last_learned: str
    containers: int = 0
    names: int = 0  # site-wide headlines and title affixes


@dataclass(frozen=True)
class Sighting:
    kind: str
    fingerprint: str
    example: str
    version: int


class SiteLearning:
    """Learn from versions as they are stored; hand out each source's profile."""

    def __init__(self, archive: Archive, *, refilter: bool = True) -> None:
        self.archive = archive
        self.refilter = refilter  # bring history in line at once (off: reextract does it)
        self._profiles: dict[str, SiteProfile] = {}
        self.check_templates()  # the first pass of a new cleaner: containers learned before

    def profile(self, source: str) -> SiteProfile:
        if source not in self._profiles:
            self._profiles[source] = load_profile(self.archive, source)
        return self._profiles[source]

    def check_templates(self, source: str | None = None) -> int:
        """Containers (of one source, or all) learned by another cleaner version
        (relearn.py): kept where today's cleaner still finds one on a kept page it was
        learned from, else learned again from the signatures those pages give now.
        Returns how many were replaced."""
        return sum(self._check(stale) for stale in relearn.stale_templates(self.archive, source))

    def _check(self, stale: relearn.StaleTemplate) -> bool:
        signed = []
        for page in relearn.signed_pages(self.archive, stale, self.profile(stale.source)):
            if page.signature == stale.signature:  # still found: the common case
                with write_transaction(self.archive.db, self.archive.path):
                    relearn.confirm_template(self.archive, stale)
                return False
            signed.append(page)
        if not signed:
            return False  # no kept page to tell: asked again on the next pass
        with write_transaction(self.archive.db, self.archive.path):
            relearn.forget_template(self.archive, stale)
            self._profiles.pop(stale.source, None)
            self._learn_signed(stale.source, [s for s in signed if s.signature])
        self._profiles.pop(stale.source, None)
        logger.info("container of %s learned by an earlier cleaner, learned again: %s",
                    stale.source, stale.signature)
        return True

    def _learn_signed(self, source: str, signed: list[relearn.Signed]) -> None:
        """Container sightings of kept pages cleaned again, learned as the crawl learns."""
        sightings = [Sighting("container", site.fingerprint(f"container:{s.signature}"),
                              s.signature, s.version) for s in signed]
        key = source_id(self.archive.db, source)
        self.archive.db.conn.executemany(
            "insert or ignore into sightings (source, kind, fingerprint, article_id, version) "
            "values (?, ?, ?, ?, ?)",
            [(key, KIND["container"], fingerprint_number(sighting.fingerprint), s.article_id,
              s.version) for sighting, s in zip(sightings, signed, strict=True)])
        self._learn_kind(source, sightings, "container", count_articles(self.archive, source),
                         iso(utcnow()), "relearn", site.is_template)

    def settle(self, source: str, page: CleanPage) -> CleanPage:
        """A page cleaned before the latest learning (in a worker, say), brought up to date."""
        return site.apply_page(page, self.profile(source))

    def observe_page(self, source: str, url: str, fetched_at: str,
                     template: str = "") -> list[str]:
        """After a page was saved as a new version: learn from it and the one it replaced.

        `template`: the signature of the container the cleaner chose (CleanPage.template).
        """
        article = self.archive.find_article(url)
        versions = self.archive.versions(article.id) if article is not None else []
        if article is None or not versions or versions[-1].fetched_at != normalize_iso(
                fetched_at):
            return []  # a flip-flop or a confirmation: no new text
        latest = versions[-1]
        before = [v for v in versions if v.version == latest.diff_from]
        return self.observe(source, article.id, [*before, latest], template=template)

    def observe(self, source: str, article_id: int, versions: list[Version],
                learned_from: str = "crawl", template: str = "") -> list[str]:
        """Record what these versions of one article show; returns fingerprints newly learned
        that apply to stored text (furniture, volatile lines, headlines, title affixes)."""
        sightings = list(sightings_of(versions))
        if template and versions:
            sightings.append(Sighting("container", site.fingerprint(f"container:{template}"),
                                      template, versions[-1].version))
        if not source or not sightings:
            return []
        with write_transaction(self.archive.db, self.archive.path) as db:
            now, key = iso(utcnow()), source_id(db, source)
            db.conn.executemany(
                "insert or ignore into sightings (source, kind, fingerprint, article_id, "
                "version) values (?, ?, ?, ?, ?)",
                [(key, KIND[s.kind], fingerprint_number(s.fingerprint), article_id,
                  s.version) for s in sightings])
            total = count_articles(self.archive, source)
            containers = self._learn_kind(source, sightings, "container", total, now,
                                          learned_from, site.is_template)
            learned = self._learn(source, sightings, versions[-1].body, total, now,
                                  learned_from)
            # A headline many articles show is the site's or a section's name; a title
            # affix most of them carry is the site's name.
            for kind, rule in (("headline", site.is_furniture), ("affix", site.is_affix)):
                learned += [s.fingerprint for s in self._learn_kind(
                    source, sightings, kind, total, now, learned_from, rule)]
        if learned or containers:
            self._profiles.pop(source, None)
            if self.refilter:
                self.filter_history(source, self.articles_with(source, learned))
        return learned

    def _learn_kind(self, source: str, sightings: list[Sighting], kind: str, total: int,
                    now: str, learned_from: str,
                    enough: Callable[[int, int], bool]) -> list[Sighting]:
        """The sightings of one kind seen on `enough` distinct articles (of the source's
        `total`), newly learned."""
        profile = self.profile(source)
        known = set(profile.containers) | profile.headlines | set(profile.affixes)
        fresh = {s.fingerprint: s for s in sightings
                 if s.kind == kind and s.fingerprint not in known and s.example not in known}
        found = [fresh[fp] for fp, articles in count_sightings(self.archive, source, kind, fresh)
                 if enough(articles, total)]
        for sighting in found:
            save_block(self.archive, sighting, source, now, learned_from)
        return found

    def _learn(self, source: str, sightings: list[Sighting], body: str, total: int,
               now: str, learned_from: str) -> list[str]:
        profile = self.profile(source)
        known = profile.furniture | profile.volatile
        fresh = [s for s in sightings if s.fingerprint not in known]
        chosen = {s.fingerprint: s for s in fresh if s.kind == "furniture"}
        # A paragraph no article held in its first version came in with edits (the same
        # correction note appended to three stories): a change of each, never furniture.
        found = [chosen[fp] for fp, articles in count_sightings(
            self.archive, source, "furniture", chosen, first=True)
            if site.is_furniture(articles, total)]
        if not site.is_site_wide({s.example for s in found}, body):
            return []  # most of this body is shared: a copy of other articles, not furniture
        for sighting in list(found):
            if site.maybe_volatile(sighting.example):
                # A site-wide line with a date or a figure (today's date, a visitor
                # count) will read differently tomorrow: its shape is volatile too.
                found.append(Sighting("volatile", site.shape_fingerprint(sighting.example),
                                      sighting.example, sighting.version))
        for sighting in found:
            save_block(self.archive, sighting, source, now, learned_from)
        return [s.fingerprint for s in found]

    def articles_with(self, source: str, fingerprints: list[str]) -> list[int]:
        found: set[int] = set()
        key = source_id(self.archive.db, source, create=False)
        for chunk in chunks(fingerprints):
            rows = self.archive.db.execute(
                f"select distinct article_id from sightings where source = ? and {ANY_KIND} "
                f"and fingerprint in ({','.join('?' * len(chunk))})",
                [key, *map(fingerprint_number, chunk)]).fetchall()
            found.update(int(row[0]) for row in rows)
        return sorted(found)

    def filter_history(self, source: str, article_ids: Iterable[int]) -> int:
        """Leave the source's learned blocks out of these articles' stored versions."""
        profile = self.profile(source)
        rewritten = 0
        for article_id in article_ids:
            versions = self.archive.versions(article_id)
            pages = {v.version: site.apply_page(CleanPage(
                headline=v.headline, byline=v.byline, body=v.body, modified=v.modified), profile)
                for v in versions}
            if any((pages[v.version].body, pages[v.version].headline) != (v.body, v.headline)
                   for v in versions):
                changed, _ = self.archive.rewrite_versions(article_id, pages, CLEANER_VERSION)
                rewritten += changed
        return rewritten


def sightings_of(versions: list[Version]) -> Iterable[Sighting]:
    """Each version's paragraph fingerprints, and the shapes of its short lines with figures.

    A line whose figures alone changed on some articles is not learned: a templated
    story sentence ("district 4 will spend 12 million") edited on several articles
    looks the same, and learning must never hide a real edit.
    """
    for version in versions:
        if version.headline:
            yield Sighting("headline", site.headline_fingerprint(version.headline),
                           version.headline, version.version)
            for affix in site.headline_affixes(version.headline):
                yield Sighting("affix", site.fingerprint(f"affix:{affix}"), affix,
                               version.version)
        for fingerprint, para in site.body_fingerprints(version.body).items():
            yield Sighting("furniture", fingerprint, para, version.version)
            if site.maybe_volatile(para):  # where a volatile shape would apply, once learned
                yield Sighting("shape", site.shape_fingerprint(para), para, version.version)


def chunks(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


def count_articles(archive: Archive, source: str) -> int:
    row = archive.db.execute("select count(*) from articles where source = ?", [source]).fetchone()
    return int(row[0])


def count_sightings(archive: Archive, source: str, kind: str, chosen: dict[str, Sighting],
                    first: bool = False) -> list[tuple[str, int]]:
    """Per fingerprint, the articles that showed it (`first`: when one did in its first
    version)."""
    found = []
    key = source_id(archive.db, source, create=False)
    having = " having max(version = 1) = 1" if first else ""
    for chunk in chunks(list(chosen)):
        found.extend(archive.db.execute(
            "select fingerprint, count(*) from sightings where source = ? and kind = ? and "
            f"fingerprint in ({','.join('?' * len(chunk))}) group by fingerprint{having}",
            [key, KIND[kind], *map(fingerprint_number, chunk)]).fetchall())
    return [(fingerprint_text(fp), int(n)) for fp, n in found]


def save_block(archive: Archive, sighting: Sighting, source: str, now: str,
               learned_from: str) -> None:
    key = [source_id(archive.db, source, create=False), fingerprint_number(sighting.fingerprint)]
    evidence = archive.db.execute(  # a volatile shape's evidence: where the shape was seen
        f"select article_id, min(version) from sightings where source = ? and {ANY_KIND} "
        "and fingerprint = ? group by article_id order by article_id limit ?",
        [*key, EVIDENCE_SHOWN]).fetchall()
    articles = int(archive.db.execute(
        f"select count(distinct article_id) from sightings where source = ? and {ANY_KIND} "
        "and fingerprint = ?", key).fetchone()[0])
    archive.db.execute(
        "insert into site_blocks (source, kind, fingerprint, example, pages, first_learned, "
        "last_learned, articles, versions, learned_from, cleaner_version) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "on conflict (source, kind, fingerprint) do update set pages = excluded.pages, "
        "last_learned = excluded.last_learned, articles = excluded.articles, "
        "versions = excluded.versions, cleaner_version = excluded.cleaner_version",
        [source, sighting.kind, sighting.fingerprint, sighting.example[:500], articles, now, now,
         json.dumps([a for a, _ in evidence]), json.dumps([[a, v] for a, v in evidence]),
         learned_from, CLEANER_VERSION])
    logger.info("learned %s block of %s from %d articles: %.60r", sighting.kind, source,
                articles, sighting.example)


def load_profile(archive: Archive, source: str) -> SiteProfile:
    rows = archive.db.execute("select kind, fingerprint, example from site_blocks where "
                              "source = ? order by pages desc, first_learned",
                              [source]).fetchall()
    profile = SiteProfile(source=source)
    for kind in KINDS:
        profile = site.with_learned(profile, kind, [
            example if kind in ("container", "affix") else fp
            for k, fp, example in rows if k == kind])
    return profile


def learned_blocks(archive: Archive, source: str) -> list[LearnedBlock]:
    cursor = archive.db.execute(
        "select source, kind, fingerprint, example, pages, first_learned, last_learned, "
        "articles, versions, learned_from from site_blocks where source = ? "
        "order by kind, pages desc, first_learned", [source])
    return [LearnedBlock(row[0], row[1], row[2], row[3] or "", int(row[4] or 0), row[5] or "",
                         row[6] or "", tuple(json.loads(row[7] or "[]")),
                         tuple(tuple(pair) for pair in json.loads(row[8] or "[]")),
                         row[9] or "")
            for row in cursor.fetchall()]


def source_summaries(archive: Archive) -> list[SourceSummary]:
    """Every source with articles, and how much has been learned about it."""
    rows = archive.db.execute(
        "select a.source, count(*), "
        "(select count(*) from site_blocks b where b.source = a.source and kind = 'furniture'), "
        "(select count(*) from site_blocks b where b.source = a.source and kind = 'volatile'), "
        "(select max(last_learned) from site_blocks b where b.source = a.source), "
        "(select count(*) from site_blocks b where b.source = a.source and kind = 'container'), "
        "(select count(*) from site_blocks b where b.source = a.source "
        "and kind in ('headline', 'affix')) "
        "from articles a group by a.source order by a.source").fetchall()
    return [SourceSummary(row[0] or "", int(row[1]), int(row[2]), int(row[3]), row[4] or "",
                          int(row[5]), int(row[6])) for row in rows]
