"""Reading the archive: the queries behind the crawler, the CLI and the review pages.

With store.py (which writes), the only modules that hold SQL.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from sqlite_utils import Database

from scraper.errors import ArchiveError
from scraper.model import (
    Article,
    Change,
    CleanPage,
    DueArticle,
    Event,
    Version,
)
from scraper.store.browse import label_filter
from scraper.store.checks_schema import FETCHED_AT, OUTCOME_CODES
from scraper.store.normalize import text_hash
from scraper.store.rawpages import RawPages
from scraper.store.revisit import FAILURE_MEMORY, rest_after
from scraper.store.rows import article_from_row, change_from_row, version_from_row
from scraper.timeutil import iso

logger = logging.getLogger(__name__)


class KeptPage(NamedTuple):
    """The current version's kept HTML, the charset its HTTP header gave, and the hash of
    that version's stored text (``normalize.text_hash``)."""

    content: bytes
    encoding: str | None
    text_hash: str


class ArchiveQueries:
    """Read-only questions to an open archive."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.raw = RawPages(db)

    @classmethod
    @contextlib.contextmanager
    def read_only(cls, path: Path) -> Iterator[ArchiveQueries]:
        """Queries over an existing file opened read-only: never creates or migrates it."""
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            yield cls(Database(conn))

    def close(self) -> None:
        self.db.close()

    def is_archive(self) -> bool:
        return "articles" in self.db.table_names()

    def due_articles(self, source: str, now: datetime, *, everything: bool = False) -> list[
            DueArticle]:
        """Known articles of a source whose next check has come (all of them with everything)."""
        where = "source = ?" if everything else "source = ? and next_check <= ?"
        params = [source] if everything else [source, iso(now)]
        rows = self.db.execute(
            f"select url, etag, last_modified from articles where {where} order by next_check",
            params,
        ).fetchall()
        return [DueArticle(url, etag or "", modified or "") for url, etag, modified in rows]

    def resting_urls(self, source: str, now: datetime) -> set[str]:
        """New URLs of a source (never archived) whose last fetches failed and whose rest
        after them (``revisit.rest_after``) has not ended: the pass does not request them."""
        since = iso(now - FAILURE_MEMORY)
        rows = self.db.execute(
            f"select url, count(*), max(at) from checks "
            f"where source = (select id from check_sources where name = ?) "
            f"and {FETCHED_AT} >= ? and article_id is null and outcome = ? group by url",
            [source, since, OUTCOME_CODES.index("error")]).fetchall()
        moment = now.timestamp()
        return {url for url, failures, last in rows
                if url and last + rest_after(failures).total_seconds() > moment}

    def last_checks(self, source: str) -> dict[str, DueArticle]:
        """Each article of a source by URL, with its validators and when it was last checked."""
        rows = self.db.execute("select url, etag, last_modified, last_checked from articles "
                               "where source = ?", [source]).fetchall()
        return {url: DueArticle(url, etag or "", modified or "", checked or "")
                for url, etag, modified, checked in rows}

    def known_urls(self, source: str) -> set[str]:
        """Every URL the source already has: articles, their aliases, and non-articles.

        Pages robots.txt kept us from are not in it: the site may allow them later.
        """
        sql = """
            select url from articles where source = :s
            union select url_aliases.url from url_aliases
              join articles on articles.id = url_aliases.article_id where articles.source = :s
            union select url from checks indexed by idx_checks_non_articles
              where source = (select id from check_sources where name = :s)
                and article_id is null and outcome = 6 and error like 'not an article%'
        """
        return {row[0] for row in self.db.execute(sql, {"s": source}).fetchall()}

    def find_article(self, ref: str | int) -> Article | None:
        """An article by id, URL or alias URL (as given, or with tracking parameters and
        fragment stripped as the crawler stores it)."""
        text = str(ref).strip()
        if text.isdigit():
            row = self.db.execute("select * from articles where id = ?", [int(text)]).fetchone()
        else:
            article_id = self._article_id(text)
            if article_id is None:
                from scraper.urls import canonicalize_url  # here: its imports are slow

                article_id = self._article_id(canonicalize_url(text))
            row = None if article_id is None else self.db.execute(
                "select * from articles where id = ?", [article_id]).fetchone()
        if row is None:
            return None
        return article_from_row(dict(zip(self._columns("articles"), row, strict=True)))

    def versions(self, article_id: int) -> list[Version]:
        cursor = self.db.execute(
            "select * from versions where article_id = ? order by version", [article_id])
        columns = [d[0] for d in cursor.description]
        return [version_from_row(dict(zip(columns, row, strict=True)))
                for row in cursor.fetchall()]

    def events(self, article_id: int) -> list[Event]:
        rows = self.db.execute("select at, kind, version, detail from events "
                               "where article_id = ? order by at, id", [article_id]).fetchall()
        return [Event(at, kind, version, detail or "") for at, kind, version, detail in rows]

    def counts(self) -> tuple[int, int, int]:
        """Articles, versions, and the id of the last fetch (0 in an empty archive)."""
        row = self.db.execute(
            "select (select count(*) from articles), (select count(*) from versions),"
            " (select coalesce(max(id), 0) from fetches)").fetchone()
        return int(row[0]), int(row[1]), int(row[2])

    def outcomes_since(self, fetch_id: int) -> dict[str, int]:
        """How many fetches after fetch_id ended in each outcome, most frequent first."""
        rows = self.db.execute("select outcome, count(*) from fetches where id > ? "
                               "group by outcome order by 2 desc", [fetch_id]).fetchall()
        return {outcome: n for outcome, n in rows}

    def most_edited(self) -> str | None:
        """The URL of the article with the most versions (the first seen, on a tie)."""
        row = self.db.execute(
            "select a.url from articles a join versions v on v.article_id = a.id"
            " group by a.id having count(*) > 1 order by count(*) desc, a.id limit 1"
        ).fetchone()
        return None if row is None else str(row[0])

    def urls_outside(self, prefix: str) -> int:
        """How many articles have a URL that does not start with prefix."""
        row = self.db.execute("select count(*) from articles where substr(url, 1, ?) != ?",
                              [len(prefix), prefix]).fetchone()
        return int(row[0])

    def raw_html(self, raw_hash: str) -> bytes | None:
        page = self.raw_page(raw_hash)
        return None if page is None else page[0]

    def raw_page(self, raw_hash: str) -> tuple[bytes, str | None] | None:
        """A kept page's bytes and the charset its HTTP header gave."""
        page = self.raw.load(raw_hash)
        return None if page is None else (page.content, page.encoding)

    def stale_raw(self, urls: list[str], page: CleanPage) -> KeptPage | None:
        """The kept HTML of the current version of the article at one of `urls`, when its
        text is not `page`'s; else None (the page's text is hashed only then)."""
        article_id = next((found for found in map(self._article_id, filter(None, urls))
                           if found is not None), None)
        row = None if article_id is None else self.db.execute(
            "select v.text_hash, v.raw_hash from articles a join versions v on "
            "v.article_id = a.id and v.version = a.current_version where a.id = ?",
            [article_id]).fetchone()
        if row is None or not row[1] or row[0] == text_hash(page.headline, page.byline,
                                                            page.body):
            return None
        kept = self.raw_page(row[1])
        return None if kept is None else KeptPage(kept[0], kept[1], row[0])

    def kept_pages(self, article_id: int) -> Iterator[tuple[int, bytes, str | None]]:
        """Each version of an article with its kept HTML and charset; a version whose kept
        page is gone (pruned) or cannot be read is left out, with a warning."""
        for version in self.versions(article_id):
            try:
                kept = self.raw_page(version.raw_hash) if version.raw_hash else None
            except ArchiveError as error:
                logger.warning("article %s version %s: %s", article_id, version.version, error)
                continue
            if kept is None:
                logger.warning("article %s version %s has no kept HTML", article_id,
                               version.version)
                continue
            yield version.version, kept[0], kept[1]

    def current_headlines(self, source: str) -> list[tuple[int, str]]:
        """Each article of a source with the headline of its current version."""
        return [(int(row[0]), str(row[1] or "")) for row in self.db.execute(
            "select a.id, v.headline from articles a join versions v on v.article_id = a.id "
            "and v.version = a.current_version where a.source = ?", [source]).fetchall()]

    def article_ids(self, source: str = "") -> list[int]:
        sql = "select id from articles where (:s = '' or source = :s) order by id"
        return [row[0] for row in self.db.execute(sql, {"s": source}).fetchall()]

    def _columns(self, table: str) -> list[str]:
        return [c.name for c in self.db.table(table).columns]

    def _article_id(self, url: str) -> int | None:
        row = self.db.execute(
            "select id from articles where url = ? union all "
            "select article_id from url_aliases where url = ? limit 1", [url, url]).fetchone()
        return None if row is None else int(row[0])

    def changes(self, *, since: str = "", label: str = "", source: str = "",
                limit: int = 1000) -> list[Change]:
        """Edits (versions after the first, and returns to earlier versions), newest first."""
        filters = ["v.diff_from is not null", "v.merged_into is null", "v.fetched_at >= :since",
                   "v.quarantined = 0"]  # collapsed, unconfirmed: no edit yet (issue 4)
        if label:
            filters.append(label_filter(self.db, label))
        if source:  # the newest of one source's versions, from an index alone (issue 10)
            filters = [f"""v.id in (select v.id from articles a
                join versions v indexed by idx_versions_article_time on v.article_id = a.id
                where a.source = :source and {" and ".join(filters)}
                order by v.fetched_at desc, v.version desc limit :limit)"""]
        sql = f"""
            select a.id, a.url, a.source, v.version, v.diff_from, v.fetched_at, v.headline,
                   coalesce(v.labels, '[]'), v.words_added, v.words_removed, v.quarantined
            from versions v join articles a on a.id = v.article_id
            where {" and ".join(filters)}
            union all
            select a.id, a.url, a.source, e.version, json_extract(e.detail, '$.from'), e.at,
                   v.headline, '["flip-flop"]', null, null, 0
            from events e join articles a on a.id = e.article_id
            join versions v on v.article_id = e.article_id and v.version = e.version
            where e.kind = 'flip-flop' and e.at >= :since
              and (:source = '' or a.source = :source)
              and (:label = '' or :label = 'flip-flop')
            order by 6 desc, 4 desc limit :limit
        """
        params = {"since": since, "label": label, "source": source, "limit": limit}
        return [change_from_row(row) for row in self.db.execute(sql, params).fetchall()]
