"""Reading the archive for the review pages: the list of edits, timelines, search, feeds.

Every question here is answered through an index (tests/bench_review.py prints
the plans on a million versions): the list of edits walks ``versions(fetched_at)``
backwards from a cursor instead of counting or offsetting (a label or source with few
edits is read from its own index instead, and sorted), and search reads the
``versions_fts`` index that migration m040 keeps current (issue 11).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from scraper.model import Event, Version
from scraper.store import phrases
from scraper.store.rows import version_from_row

# Edits that count: a revision (not a first version), confirmed, not merged away.
_EDIT = "v.diff_from is not null and v.quarantined = 0 and v.merged_into is null"
# The search scans at most this many matching versions, newest first, per page.
SEARCH_SCAN = 2000
SNIPPET_OPEN, SNIPPET_CLOSE = "\x02", "\x03"  # markers the page turns into <mark>
# A label or source with fewer edits than this is read from its own index (_narrowest).
NARROW = 2000
_LABEL_EDITS = "select count(*) from (select 1 from version_labels where label = ? limit ?)"
_SOURCE_EDITS = ("select count(*) from (select 1 from articles a join versions v "
                 "on v.article_id = a.id where a.source = ? and v.diff_from is not null "
                 "limit ?)")
# What an Edit is read from: versions v joined to articles a (edit_from_row).
EDIT_COLUMNS = ("v.id, v.article_id, a.url, a.source, v.version, v.diff_from, v.fetched_at, "
                "v.headline, v.labels, v.words_added, v.words_removed")


@dataclass(frozen=True)
class EditFilter:
    """Which edits to list: any combination; empty strings match everything."""

    source: str = ""
    label: str = ""
    since: str = ""  # ISO time, inclusive
    until: str = ""  # ISO time, exclusive
    stealth: bool = False
    article_id: int | None = None


@dataclass(frozen=True)
class Edit:
    """One revision as the front page, the feeds and the alerts (store.status) list it."""

    version_id: int
    article_id: int
    url: str
    source: str
    version: int
    diff_from: int
    fetched_at: str
    headline: str
    labels: tuple[str, ...]
    words_added: int
    words_removed: int
    previous_headline: str = ""  # the headline of version diff_from, where asked for

    @property
    def cursor(self) -> str:
        return f"{self.fetched_at}~{self.version_id}"


@dataclass(frozen=True)
class EditPage:
    edits: tuple[Edit, ...]
    older: str  # cursor of the next (older) page, "" at the end


@dataclass(frozen=True)
class VersionRef:
    """A version without its text: enough to list, link and page a history."""

    version: int
    diff_from: int | None
    fetched_at: str
    quarantined: bool


@dataclass(frozen=True)
class SearchHit:
    """An article whose text held the query, and when the text first and last held it."""

    article_id: int
    url: str
    source: str
    headline: str
    snippet: str  # escaped by the caller; SNIPPET_OPEN/CLOSE mark the match
    snippet_version: int
    first_version: int
    last_version: int
    gone_in: int | None  # the first version after the last match, if the text lost it


@dataclass(frozen=True)
class SearchPage:
    hits: tuple[SearchHit, ...]
    more: bool


def list_edits(db: Database, where: EditFilter, *, before: str = "", after: str = "",
               limit: int = 50) -> EditPage:
    """Edits newest first, older than the ``before`` cursor (or newer than ``after``,
    nearest first)."""
    narrow = _narrowest(db, where)
    clauses, params = _filters(where, narrow)
    newer = bool(after)
    cursor = after or before
    time = "+v.fetched_at" if narrow else "v.fetched_at"  # "+": not by the time index
    if cursor:
        at, _, version_id = cursor.rpartition("~")
        clauses.append(f"({time}, v.id) {'>' if newer else '<'} (:at, :vid)")
        params.update(at=at, vid=int(version_id or 0))
    direction = "asc" if newer else "desc"
    sql = f"""
        select {EDIT_COLUMNS}
        from versions v
        join articles a on a.id = v.article_id
        where {" and ".join(clauses)}
        order by {time} {direction}, v.id {direction} limit :limit
    """
    params["limit"] = limit + 1
    found = [edit_from_row(row) for row in db.execute(sql, params).fetchall()]
    more = len(found) > limit
    found = found[:limit]
    return EditPage(tuple(found), found[-1].cursor if more and not newer else "")


def edit_plan(db: Database, where: EditFilter) -> list[str]:
    """SQLite's plan for the first page of list_edits (for the benchmark)."""
    narrow = _narrowest(db, where)
    clauses, params = _filters(where, narrow)
    time = "+v.fetched_at" if narrow else "v.fetched_at"
    sql = ("explain query plan select v.id from versions v "
           "join articles a on a.id = v.article_id where " + " and ".join(clauses)
           + f" order by {time} desc, v.id desc limit 51")
    return [str(row[-1]) for row in db.execute(sql, params).fetchall()]


def _narrowest(db: Database, where: EditFilter) -> str:
    """The filter that holds fewer than NARROW edits ("label", "stealth" or "source"),
    to be read first from its own index and sorted by time; "" to walk every edit by
    time until a page is full, which finds the newest fifty of a common one at once but
    reads the whole archive for one with few edits or none. Each count stops at NARROW."""
    counts = (("label", _LABEL_EDITS, where.label),
              ("stealth", _LABEL_EDITS, "stealth" if where.stealth else ""),
              ("source", _SOURCE_EDITS, where.source))
    for name, sql, value in counts:
        if value and db.execute(sql, [value, NARROW]).fetchone()[0] < NARROW:
            return name
    return ""


def label_filter(db: Database, label: str) -> str:
    """SQL keeping the versions ``v`` labelled ``:label`` (for `stet changes`): read from
    the label's own index when fewer than NARROW edits have it, else looked up for each
    version met while walking them by time."""
    if db.execute(_LABEL_EDITS, [label, NARROW]).fetchone()[0] < NARROW:
        return "v.id in (select version_id from version_labels where label = :label)"
    return ("exists (select 1 from version_labels l where l.version_id = v.id "
            "and l.label = :label)")


def _filters(where: EditFilter, narrow: str = "") -> tuple[list[str], dict[str, Any]]:
    clauses: list[str] = [_EDIT]
    params: dict[str, Any] = {}
    if where.source:
        # "+" unless the source has few edits: walk versions by time and look the source
        # up, rather than sort a big source's every edit by time for the newest fifty.
        clauses.append(f"{'' if narrow == 'source' else '+'}a.source = :source")
        params["source"] = where.source
    for name, label in (("label", where.label), ("stealth", "stealth" if where.stealth else "")):
        if label and narrow == name:
            clauses.append(f"v.id in (select version_id from version_labels "
                           f"where label = :{name})")
        elif label:
            clauses.append(f"exists (select 1 from version_labels l where l.version_id = v.id"
                           f" and l.label = :{name})")
        if label:
            params[name] = label
    if where.since:
        clauses.append("v.fetched_at >= :since")
        params["since"] = where.since
    if where.until:
        clauses.append("v.fetched_at < :until")
        params["until"] = where.until
    if where.article_id is not None:
        clauses.append("v.article_id = :article")
        params["article"] = where.article_id
    return clauses, params


def edit_from_row(row: tuple[Any, ...]) -> Edit:
    """An Edit from the EDIT_COLUMNS of a row, and the previous headline if one follows."""
    return Edit(version_id=row[0], article_id=row[1], url=row[2], source=row[3] or "",
                version=row[4], diff_from=row[5] or 0, fetched_at=row[6],
                headline=row[7] or "", labels=tuple(json.loads(row[8] or "[]")),
                words_added=row[9] or 0, words_removed=row[10] or 0,
                previous_headline=(row[11] or "") if len(row) > 11 else "")


def sources(db: Database) -> list[str]:
    """The sources that have articles, for the front page's filter."""
    rows = db.execute("select distinct source from articles where source is not null "
                      "order by source")
    return [str(row[0]) for row in rows.fetchall()]


def version_refs(db: Database, article_id: int) -> list[VersionRef]:
    """Every version of an article, oldest first, without the texts."""
    rows = db.execute("select version, diff_from, fetched_at, quarantined from versions "
                      "where article_id = ? order by version", [article_id]).fetchall()
    return [VersionRef(n, d, at, bool(q)) for n, d, at, q in rows]


def versions_numbered(db: Database, article_id: int, numbers: list[int]) -> dict[int, Version]:
    """The given versions of one article, with their texts, by number."""
    if not numbers:
        return {}
    marks = ", ".join("?" for _ in numbers)
    cursor = db.execute(f"select * from versions where article_id = ? and version in ({marks})",
                        [article_id, *numbers])
    columns = [d[0] for d in cursor.description]
    found = (version_from_row(dict(zip(columns, row, strict=True))) for row in cursor.fetchall())
    return {v.version: v for v in found}


def events_between(db: Database, article_id: int, start: str, end: str) -> list[Event]:
    """An article's events with start <= at < end ("" leaves a side open), oldest first."""
    rows = db.execute("select at, kind, version, detail from events where article_id = :a "
                      "and at >= :start and (:end = '' or at < :end) order by at, id",
                      {"a": article_id, "start": start, "end": end}).fetchall()
    return [Event(at, kind, version, detail or "") for at, kind, version, detail in rows]


def fts_query(text: str) -> str:
    """A person's search as an FTS5 query of its words (phrases are checked apart)."""
    return phrases.index_query(text).match


def _phrase_filter(db: Database, query: phrases.IndexQuery) -> str:
    """SQL that keeps the index's rows holding the query's phrases (none: no filter)."""
    if not query.phrases:
        return ""
    db.conn.create_function("stet_has_phrases", 3, phrases.has_phrases(query.phrases),
                            deterministic=True)
    return "and stet_has_phrases(headline, byline, body) "


def search(db: Database, text: str, *, page: int = 1, per_page: int = 20) -> SearchPage:
    """Articles whose headline, byline or body held the words, newest match first."""
    query = phrases.index_query(text)
    if not query.match:
        return SearchPage((), False)
    rows = db.execute(
        "select v.article_id, max(v.id) from (select rowid from versions_fts "
        f"where versions_fts match :q {_phrase_filter(db, query)}order by rowid desc "
        "limit :scan) h join versions v on v.id = h.rowid group by v.article_id "
        "order by 2 desc limit :limit offset :offset",
        {"q": query.match, "scan": SEARCH_SCAN, "limit": per_page + 1,
         "offset": (page - 1) * per_page}).fetchall()
    hits = tuple(_hit(db, query, article_id, newest) for article_id, newest in rows[:per_page])
    return SearchPage(hits, len(rows) > per_page)


def _hit(db: Database, query: phrases.IndexQuery, article_id: int, newest: int) -> SearchHit:
    """When the article's text first held the query, and the version that lost it."""
    matching = {row[0] for row in db.execute(
        "select v.version from versions v where v.id in (select rowid from versions_fts "
        "where versions_fts match :q and rowid in (select id from versions "
        f"where article_id = :a) {_phrase_filter(db, query)})",
        {"a": article_id, "q": query.match}).fetchall()}
    numbers = [ref.version for ref in version_refs(db, article_id)]
    last = max(matching)
    gone_in = next((n for n in numbers if n > last), None)
    snippet = db.execute(
        "select snippet(versions_fts, -1, :open, :close, '…', 16) from versions_fts "
        "where versions_fts match :q and rowid = :id",
        {"q": query.match, "id": newest, "open": SNIPPET_OPEN, "close": SNIPPET_CLOSE}
    ).fetchone()
    row = db.execute("select v.version, v.headline, a.url, a.source from versions v "
                     "join articles a on a.id = v.article_id where v.id = ?", [newest]).fetchone()
    return SearchHit(article_id=article_id, url=row[2], source=row[3] or "",
                     headline=row[1] or "",
                     snippet=phrases.merge_marks(snippet[0] or "", SNIPPET_OPEN, SNIPPET_CLOSE)
                     if snippet else "",
                     snippet_version=row[0], first_version=min(matching), last_version=last,
                     gone_in=gone_in)


def search_plan(db: Database, text: str) -> list[str]:
    """SQLite's plan for search (for the benchmark)."""
    rows = db.execute(
        "explain query plan select v.article_id, max(v.id) from (select rowid from "
        "versions_fts where versions_fts match :q order by rowid desc limit :scan) h "
        "join versions v on v.id = h.rowid group by v.article_id order by 2 desc limit 21",
        {"q": fts_query(text), "scan": SEARCH_SCAN}).fetchall()
    return [str(row[-1]) for row in rows]


def history_plan(db: Database, article_id: int) -> list[str]:
    """SQLite's plan for an article's version list (for the benchmark)."""
    rows = db.execute("explain query plan select version, diff_from, fetched_at, quarantined "
                      "from versions where article_id = ? order by version", [article_id])
    return [str(row[-1]) for row in rows.fetchall()]


def headline(db: Database, article_id: int, version: int) -> str:
    """The headline of one version ("" when there is none)."""
    row = db.execute("select headline from versions where article_id = ? and version = ?",
                     [article_id, version]).fetchone()
    return str(row[0] or "") if row else ""
