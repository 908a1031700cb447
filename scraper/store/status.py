"""The archive's questions and chores for running unattended (issue 12).

Scheduler state per source, `stet status`'s figures, `stet prune`, and the alert
log. The SQL lives here; the logic that uses it lives in ``scraper.crawl``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scraper.store.archive import Archive
from scraper.store.browse import EDIT_COLUMNS, Edit, edit_from_row
from scraper.store.checks import OUTCOME, outcome_counts, seconds
from scraper.store.file import write_transaction
from scraper.store.passes_schema import LAST_PASS
from scraper.timeutil import iso, utcnow

PRUNABLE = ("unchanged", "not_modified")
# An edit as the alerts read it: the review pages' Edit, with the previous headline.
NewVersion = Edit


@dataclass(frozen=True)
class SourceState:
    source: str
    state: str = "ok"  # ok, backing off, degraded
    failures: int = 0
    last_pass: str = ""
    next_pass: str = ""
    last_error: str = ""


@dataclass(frozen=True)
class SourceFigures:
    source: str
    last_pass: str
    last_state: str
    last_error: str
    articles: int
    due_now: int
    edits_24h: int
    fetches_24h: int
    errors_24h: int


@dataclass(frozen=True)
class AlertRow:
    id: int
    version_id: int
    rule: str
    target: str
    title: str
    body: str
    attempts: int


def load_source_states(archive: Archive) -> dict[str, SourceState]:
    rows = archive.db.execute(
        "select source, state, failures, last_pass, next_pass, last_error from source_state")
    return {r[0]: SourceState(r[0], r[1] or "ok", r[2] or 0, r[3] or "", r[4] or "", r[5] or "")
            for r in rows.fetchall()}


def save_source_state(archive: Archive, state: SourceState) -> None:
    with write_transaction(archive.db, archive.path) as db:
        db.table("source_state").upsert({
            "source": state.source, "state": state.state, "failures": state.failures,
            "last_pass": state.last_pass, "next_pass": state.next_pass,
            "last_error": state.last_error, "updated_at": iso(utcnow())}, pk="source")


def source_figures(archive: Archive, sources: list[str], since: str) -> list[SourceFigures]:
    """Each source's figures for `stet status`; since: the start of "the last 24 h".

    Articles and edits are counted for every source at once: one pass over the articles'
    (source, next_check, state) index and one over the last day's edits (issue 10).
    """
    db, now = archive.db, iso(utcnow())
    articles = {row[0]: (int(row[1]), int(row[2])) for row in db.execute(
        "select source, count(*), coalesce(sum(state = 'active' and next_check <= ?), 0) "
        "from articles group by source", [now]).fetchall()}
    edits = {row[0]: int(row[1]) for row in db.execute(
        "select a.source, count(*) from versions v cross join articles a on a.id = v.article_id "
        "where v.version > 1 and v.fetched_at >= ? group by a.source", [since]).fetchall()}
    return [_figures(archive, source, since, articles.get(source, (0, 0)),
                     edits.get(source, 0)) for source in sources]


def _figures(archive: Archive, source: str, since: str, articles: tuple[int, int],
             edits: int) -> SourceFigures:
    db = archive.db
    last = db.execute(LAST_PASS, [source]).fetchone() or ("", "", "")
    outcomes = outcome_counts(db, since, [source])
    fetches, errors = sum(outcomes.values()), outcomes.get("error", 0)
    return SourceFigures(source, last[0] or "", last[1], last[2], articles[0], articles[1],
                         edits, fetches, errors)


def archive_sources(archive: Archive) -> list[str]:
    """Every source the archive has articles or scheduler state for."""
    rows = archive.db.execute("select distinct source from articles where source is not null "
                              "union select source from source_state order by 1")
    return [r[0] for r in rows.fetchall()]


def file_sizes(path: Path) -> dict[str, int]:
    """The archive's size on disk: the file and its write-ahead log."""
    def size(p: Path) -> int:
        return p.stat().st_size if p.exists() else 0

    return {"archive_bytes": size(path), "wal_bytes": size(path.with_name(path.name + "-wal"))}


def prune_fetches(archive: Archive, before: str, *, dry_run: bool = False) -> int:
    """Drop `unchanged`/`not_modified` fetch rows older than before; returns how many.

    Never a row that made a version (those outcomes make none) and never an article's
    latest such check, which says until when its text was seen unchanged. Straight on
    `checks`, the compact table behind the `fetches` view. No VACUUM: SQLite reuses
    the freed pages.
    """
    codes = [OUTCOME[name] for name in PRUNABLE]
    where = ("outcome in (?, ?) and at < ? and (article_id is null or at < "
             "(select max(c2.at) from checks c2 where c2.article_id = checks.article_id "
             "and c2.outcome in (?, ?)))")
    params: list[Any] = [*codes, seconds(before), *codes]
    count_sql = f"select count(*) from checks where {where}"
    if dry_run:
        return int(archive.db.execute(count_sql, params).fetchone()[0])
    with write_transaction(archive.db, archive.path) as db:
        return int(db.execute(f"delete from checks where {where}", params).rowcount)


def new_versions(archive: Archive, source: str, since: str) -> list[NewVersion]:
    """The edits (versions after the first) of a source's articles stored since a time,
    each with the headline of the version it is compared with."""
    rows = archive.db.execute(
        f"select {EDIT_COLUMNS}, p.headline from versions v "
        "join articles a on a.id = v.article_id left join versions p "
        "on p.article_id = v.article_id and p.version = v.diff_from "
        "where a.source = ? and v.version > 1 and v.fetched_at >= ? and v.quarantined = 0 "
        "order by v.id", [source, since]).fetchall()
    return [edit_from_row(row) for row in rows]


def queue_alert(archive: Archive, version_id: int, rule: str, target: str, title: str,
                body: str) -> bool:
    """Note an alert as owed (once per version and rule); False when it already was."""
    now = iso(utcnow())
    with write_transaction(archive.db, archive.path) as db:
        cursor = db.execute(
            "insert or ignore into alerts (version_id, rule, target, title, body, state, "
            "attempts, created_at, next_attempt) values (?, ?, ?, ?, ?, 'pending', 0, ?, ?)",
            [version_id, rule, target, title, body, now, now])
        return bool(cursor.rowcount)


def due_alerts(archive: Archive, now: str) -> list[AlertRow]:
    rows = archive.db.execute(
        "select id, version_id, rule, target, title, body, attempts from alerts "
        "where state = 'pending' and next_attempt <= ? order by id", [now]).fetchall()
    return [AlertRow(*row) for row in rows]


def mark_alert(archive: Archive, alert_id: int, state: str, error: str = "",
               next_attempt: str = "") -> None:
    """After a send: state sent, pending (to retry at next_attempt) or failed."""
    now = iso(utcnow())
    with write_transaction(archive.db, archive.path) as db:
        db.execute(
            "update alerts set state = ?, attempts = attempts + 1, last_error = ?, "
            "next_attempt = ?, sent_at = case when ? = 'sent' then ? else sent_at end "
            "where id = ?", [state, error or None, next_attempt or None, state, now, alert_id])


def alert_counts(archive: Archive) -> dict[str, int]:
    rows = archive.db.execute("select state, count(*) from alerts group by state").fetchall()
    return {state: count for state, count in rows}
