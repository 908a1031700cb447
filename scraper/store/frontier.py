"""Discovery between passes: what a budget left unfetched, and which sitemaps were read.

A pass that stops at its budget (issue 9) hands what it listed but did not fetch to the
next pass: ``frontier`` rows (article pages and sitemaps still to fetch, with the date
the site gave each). ``sitemap_reads`` remembers the ``<lastmod>`` a sitemap had when it
was last read, so a later pass skips the nested sitemaps that have not changed since.
``feed_guesses`` remembers where feeds a start page does not name were looked for, and
what was found (``crawl.feedguess``), so the guessing is not repeated every pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from scraper.store.file import open_database, write_transaction


@dataclass(frozen=True)
class Pending:
    """A listed URL not fetched yet: an article page or a sitemap."""
    url: str
    kind: str  # "article" or "sitemap"
    listed: str = ""  # the date the site gives it (ISO 8601 UTC); "" when none


@dataclass(frozen=True)
class SitemapRead:
    """A sitemap read to the end, and the <lastmod> its index gave it then."""
    url: str
    lastmod: str = ""
    read_at: str = ""
    etag: str = ""  # the server's validators, for a conditional request next time
    last_modified: str = ""


@dataclass(frozen=True)
class FeedGuess:
    """Feeds guessed below a start page's folder (base): the feed found ("" when none)."""
    base: str
    feed: str = ""
    tried_at: str = ""


class Frontier:
    """Reads and replaces one archive's frontier and sitemap reads, per source."""

    def __init__(self, path: str | Path, db: Database | None = None) -> None:
        self.path = Path(path)
        self.db = db if db is not None else open_database(self.path)

    def pending(self, source: str) -> list[Pending]:
        rows = self.db.query("select url, kind, listed from frontier where source = ? "
                             "order by rowid", [source])
        return [Pending(row["url"], row["kind"], row["listed"] or "") for row in rows]

    def sitemap_reads(self, source: str) -> dict[str, SitemapRead]:
        rows = self.db.query("select url, lastmod, read_at, etag, last_modified "
                             "from sitemap_reads where source = ?", [source])
        return {row["url"]: SitemapRead(row["url"], row["lastmod"] or "", row["read_at"] or "",
                                        row["etag"] or "", row["last_modified"] or "")
                for row in rows}

    def save(self, source: str, pending: Iterable[Pending], reads: Iterable[SitemapRead],
             found_at: str) -> None:
        """Replace the source's frontier with pending; record the sitemaps read."""
        with write_transaction(self.db, self.path) as db:
            db.execute("delete from frontier where source = ?", [source])
            db.table("frontier").insert_all(
                ({"source": source, "url": p.url, "kind": p.kind, "listed": p.listed,
                  "found_at": found_at} for p in pending), pk=("source", "url"), replace=True)
            db.table("sitemap_reads").insert_all(
                ({"source": source, "url": r.url, "lastmod": r.lastmod, "read_at": r.read_at,
                  "etag": r.etag, "last_modified": r.last_modified}
                 for r in reads), pk=("source", "url"), replace=True)

    def feed_guesses(self, source: str) -> list[FeedGuess]:
        rows = self.db.query("select base, feed, tried_at from feed_guesses where source = ?",
                             [source])
        return [FeedGuess(row["base"], row["feed"] or "", row["tried_at"] or "") for row in rows]

    def save_feed_guesses(self, source: str, guesses: Iterable[FeedGuess]) -> None:
        with write_transaction(self.db, self.path) as db:
            db.table("feed_guesses").insert_all(
                ({"source": source, "base": g.base, "feed": g.feed, "tried_at": g.tried_at}
                 for g in guesses), pk=("source", "base"), replace=True)

    def close(self) -> None:
        self.db.close()
