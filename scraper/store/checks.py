"""Fetches, compact: the `checks` table behind the `fetches` view (issue 10).

A recheck of an unchanged page is the commonest row an archive gets, so it is
kept small: the time as seconds since 1970, outcome and source as small
integers, and no URL when it is the article's own (the view takes the
article's). Read fetches through the view; write them here.
"""

from __future__ import annotations

from sqlite_utils import Database

from scraper.store.checks_schema import FETCHED_AT, OUTCOME_CODES
from scraper.timeutil import parse_iso

OUTCOME = {name: code for code, name in enumerate(OUTCOME_CODES)}


def seconds(when: str) -> int:
    """An archive time ('2026-11-28T08:00:00Z') as seconds since 1970."""
    return int(parse_iso(when).timestamp())


def source_id(db: Database, name: str | None, *, create: bool = True) -> int | None:
    if name is None:
        return None
    row = db.execute("select id from check_sources where name = ?", [name]).fetchone()
    if row is None and create:
        return int(db.execute("insert into check_sources (name) values (?)",
                              [name]).lastrowid or 0)
    return None if row is None else int(row[0])


def insert_check(db: Database, url: str, source: str | None, fetched_at: str,
                 status: int | None, outcome: str, *, article_id: int | None = None,
                 version: int | None = None, error: str | None = None) -> None:
    """One fetch, as the fetches view will show it."""
    stored: str | None = url
    if article_id is not None:
        row = db.execute("select url from articles where id = ?", [article_id]).fetchone()
        if row is not None and row[0] == url:
            stored = None  # the view takes the article's
    db.execute(
        "insert into checks (article_id, url, at, status, outcome, error, source, version) "
        "values (?, ?, ?, ?, ?, ?, ?, ?)",
        [article_id, stored, seconds(fetched_at), status, OUTCOME[outcome], error,
         source_id(db, source), version])


def outcome_counts(db: Database, since: str, sources: list[str]) -> dict[str, int]:
    """How many fetches of these sources since a time ended in each outcome."""
    ids = [i for i in (source_id(db, name, create=False) for name in sources) if i is not None]
    if not ids:
        return {}
    rows = db.execute(
        f"select outcome, count(*) from checks where source in ({','.join('?' * len(ids))}) "
        f"and {FETCHED_AT} >= ? group by outcome", [*ids, since]).fetchall()
    return {OUTCOME_CODES[code]: count for code, count in rows}
