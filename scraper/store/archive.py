"""The archive: articles, their versions, every fetch, and events, with sqlite-utils.

The only module that writes (storequery.py reads, archivefile.py opens the file). Each page
is saved in one IMMEDIATE transaction, so a version is never half-written and two
writers wait for each other (busy timeout) instead of failing with "database is
locked".
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from scraper.model import Article, CleanPage, FetchItem, Ordered, PageItem, Version
from scraper.store.checks import insert_check, outcome_counts
from scraper.store.file import BUSY_TIMEOUT_MS, open_database, write_transaction
from scraper.store.noise import teaser_key
from scraper.store.normalize import text_hash
from scraper.store.queries import ArchiveQueries
from scraper.store.revisit import DEFAULT_POLICY, RevisitPolicy
from scraper.store.versioning import (
    hash_of,
    health_error,
    health_of,
    history_of,
    merge_target,
    next_check,
    rewrite_texts,
    same_page,
    summary_fields,
)
from scraper.timeutil import iso, normalize_iso, utcnow

__all__ = ["BUSY_TIMEOUT_MS", "Archive", "open_database"]


class Archive(ArchiveQueries):
    """Read and write one archive file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        super().__init__(open_database(self.path))
        # source -> {article id: teaser_key of its current headline}, loaded when first
        # needed and kept current as versions are written (noise.is_teaser).
        self._headlines: dict[str, dict[int, str]] = {}

    def _write(self) -> contextlib.AbstractContextManager[Database]:
        """One IMMEDIATE transaction; a full disk or read-only file raises ArchiveError."""
        return write_transaction(self.db, self.path)


    def rewrite_versions(self, article_id: int, pages: dict[int, CleanPage],
                         cleaner_version: str) -> tuple[int, int]:
        """Replace versions' text with a new cleaner's; returns (rewritten, merged)."""
        now = iso(utcnow())
        with self._write() as db:
            versions = self.versions(article_id)
            rewritten = rewrite_texts(versions, pages)
            merged = 0
            for _, version in sorted(rewritten.items()):
                previous = rewritten.get(version.diff_from or 0)
                target = merge_target(version, previous)
                merged += target is not None
                fields = self._rewrite_fields(version, previous, rewritten, target)
                fields.update(cleaner_version=cleaner_version, reextracted_at=now)
                db.table("versions").update(version.id, fields)
                self._set_labels(db, version.id, fields.get("labels"))
            article = self.find_article(article_id)
            current = rewritten.get(article.current_version or 0) if article else None
            if current is not None and current.merged_into is None:
                target = merge_target(current, rewritten.get(current.diff_from or 0))
                if target is not None:
                    db.table("articles").update(article_id, {"current_version": target})
        changed = sum(1 for v in versions if hash_of(v) != hash_of(rewritten[v.version]))
        return changed, merged

    def _rewrite_fields(self, version: Version, previous: Version | None,
                        rewritten: dict[int, Version], target: int | None) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "headline": version.headline, "byline": version.byline, "body": version.body,
            "text_hash": hash_of(version), "merged_into": target}
        if previous is not None:
            page = CleanPage(headline=version.headline, byline=version.byline,
                             body=version.body, modified=version.modified)
            earlier = [v for n, v in sorted(rewritten.items()) if n < version.version]
            fields.update(summary_fields(previous, page, earlier))
        return fields

    def _set_labels(self, db: Database, version_id: int, labels: str | None) -> None:
        db.execute("delete from version_labels where version_id = ?", [version_id])
        names = json.loads(labels) if labels else []
        db.table("version_labels").insert_all(
            [{"version_id": version_id, "label": label} for label in names], ignore=True)

    def record_pass(self, started_at: str, finished_at: str, sources: list[str],
                    everything: bool, exit_code: int, error: str | None = None, *,
                    state: str = "ok") -> dict[str, int]:
        """Note a finished crawl pass (state: ok, failed, timeout, stopped) and its fetch
        outcomes; returns them."""
        outcomes = outcome_counts(self.db, started_at, sources)
        with self._write() as db:
            db.table("passes").insert({
                "started_at": started_at, "finished_at": finished_at,
                "sources": json.dumps(sources), "all_articles": int(everything),
                "exit_code": exit_code, "outcomes": json.dumps(outcomes), "error": error,
                "state": state})
        return outcomes

    # -- writing ---------------------------------------------------------------

    def save_page(self, item: PageItem, page: CleanPage,
                  policy: RevisitPolicy = DEFAULT_POLICY, baseline: CleanPage | None = None,
                  ordered: Ordered | None = None) -> str:
        """Store one fetched article page; returns the fetch outcome.

        `baseline` is the current version's kept page cleaned again as `page` was (see
        `stale_raw`): it tells a cleaner's change from the page's. `ordered`: the two
        cleaned with their link lists in one order (versioning.same_page).
        """
        fetched_at = normalize_iso(item.fetched_at)
        with self._write() as db:
            article_id = self._resolve_article(db, item, fetched_at)
            if article_id is None:
                return self._save_first(db, item, page, fetched_at, policy)
            outcome, version = self._save_revisit(db, article_id, item, page, fetched_at, policy,
                                                  baseline, ordered)
            self._insert_fetch(db, item.url, item.source, fetched_at, item.status, outcome,
                               article_id=article_id, version=version,
                               error=health_error(page) if outcome == "error" else None)
            return outcome

    def save_fetch(self, item: FetchItem, policy: RevisitPolicy = DEFAULT_POLICY) -> str:
        """Store a fetch that brought no page to clean (304, 404/410, error, skip)."""
        fetched_at = normalize_iso(item.fetched_at)
        with self._write() as db:
            article_id = self._article_id(item.url)
            article = None if article_id is None else self.find_article(article_id)
            outcome = item.outcome
            if outcome == "gone" and (article is None or article.current_version is None):
                outcome = "error"
            if article is not None:
                self._after_fetch(db, article, outcome, fetched_at, policy)
            error = item.error or (f"HTTP {item.status}" if outcome == "error" and item.status
                                   else None)
            self._insert_fetch(db, item.url, item.source, fetched_at, item.status, outcome,
                               article_id=article_id, error=error)
            return outcome

    def _after_fetch(self, db: Database, article: Article, outcome: str, fetched_at: str,
                     policy: RevisitPolicy) -> None:
        changes: dict[str, Any] = {"last_checked": fetched_at}
        if outcome == "gone" and article.state != "gone":
            changes["state"] = "gone"
            self._event(db, article.id, fetched_at, "gone", article.current_version, {})
        elif outcome == "not_modified" and article.state == "gone":  # back, as it was
            changes["state"] = "active"
            self._event(db, article.id, fetched_at, "returned", article.current_version, {})
        changes["next_check"] = next_check(article.last_changed, fetched_at, policy)
        db.table("articles").update(article.id, changes)

    def _resolve_article(self, db: Database, item: PageItem, fetched_at: str) -> int | None:
        """The article this page belongs to, following a redirect from requested_url."""
        article_id = self._article_id(item.url)
        moved_from = item.requested_url if item.requested_url not in ("", item.url) else ""
        if not moved_from:
            return article_id
        old_id = self._article_id(moved_from)
        if old_id is not None and article_id != old_id:
            detail: dict[str, Any] = {"from": moved_from, "to": item.url}
            if article_id is not None:  # found at its new URL first, in the same pass
                self._absorb(db, keep=old_id, drop=article_id)
                detail["merged_article"] = article_id
            db.table("articles").update(old_id, {"url": item.url})
            self._event(db, old_id, fetched_at, "redirect", None, detail)
            article_id = old_id
        owner = db.execute("select id from articles where url = ?", [moved_from]).fetchone()
        if article_id is not None and owner is None:
            db.table("url_aliases").upsert({"url": moved_from, "article_id": article_id,
                                            "seen_at": fetched_at, "reason": "redirect"},
                                           pk="url")
        return article_id

    def _absorb(self, db: Database, keep: int, drop: int) -> None:
        """A redirect showed two articles to be one: the newer folds into the older.

        The newer one's versions are the page the redirect now leads to, which is
        about to be compared with the older one's history, so they go.
        """
        db.execute("delete from version_labels where version_id in "
                   "(select id from versions where article_id = ?)", [drop])
        db.execute("delete from versions where article_id = ?", [drop])
        db.execute("update checks set article_id = ?, version = null where article_id = ?",
                   [keep, drop])
        for table in ("events", "url_aliases"):
            db.execute(f"update {table} set article_id = ? where article_id = ?", [keep, drop])
        db.execute("delete from articles where id = ?", [drop])

    def _save_first(self, db: Database, item: PageItem, page: CleanPage, fetched_at: str,
                    policy: RevisitPolicy) -> str:
        if not page.body or page.blocked:
            self._insert_fetch(db, item.url, item.source, fetched_at, item.status, "error",
                               error=health_error(page))
            return "error"
        article_id: int = db.table("articles").insert({
            "url": item.url, "source": item.source, "first_seen": fetched_at,
            "last_checked": fetched_at, "last_changed": fetched_at, "state": "active",
            "next_check": next_check(fetched_at, fetched_at, policy),
            "etag": item.etag, "last_modified": item.last_modified,
        }).last_pk  # type: ignore[assignment]
        if item.requested_url and item.requested_url != item.url:
            db.table("url_aliases").insert({"url": item.requested_url, "article_id": article_id,
                                            "seen_at": fetched_at, "reason": "redirect"},
                                           ignore=True)
        self._insert_version(db, article_id, 1, item, page, fetched_at, None, "")
        db.table("articles").update(article_id, {"current_version": 1})
        self._insert_fetch(db, item.url, item.source, fetched_at, item.status, "new",
                           article_id=article_id, version=1)
        return "new"

    def _save_revisit(self, db: Database, article_id: int, item: PageItem, page: CleanPage,
                      fetched_at: str, policy: RevisitPolicy, baseline: CleanPage | None,
                      ordered: Ordered | None = None) -> tuple[str, int | None]:
        article = self.find_article(article_id)
        assert article is not None
        versions = self.versions(article_id)
        current = next((v for v in versions if v.version == article.current_version), None)
        changes: dict[str, Any] = {"last_checked": fetched_at}
        if article.state == "gone":
            changes["state"] = "active"
            self._event(db, article_id, fetched_at, "returned", article.current_version, {})
        outcome, number = self._place_text(db, article, versions, current, item, page,
                                           fetched_at, baseline, ordered)
        accepted = number is not None and self._accepted(db, article_id, number)
        if outcome == "changed":
            changes["last_changed"] = fetched_at
        if accepted and outcome == "changed":
            changes["current_version"] = number
        if accepted:  # validators of a quarantined or broken page would hide its fix behind 304
            changes.update(etag=item.etag, last_modified=item.last_modified)
        last_changed = changes.get("last_changed", article.last_changed)
        changes["next_check"] = next_check(last_changed, fetched_at, policy)
        db.table("articles").update(article_id, changes)
        return outcome, number

    def _place_text(self, db: Database, article: Article, versions: list[Version],
                    current: Version | None, item: PageItem, page: CleanPage,
                    fetched_at: str, baseline: CleanPage | None,
                    ordered: Ordered | None = None) -> tuple[str, int | None]:
        """Decide what the fetched text is: unchanged, a return, a confirmation or new."""
        new_hash = text_hash(page.headline, page.byline, page.body)
        if current is not None and hash_of(current) == new_hash:
            return "unchanged", current.version
        if not page.body or page.blocked:
            return "error", None
        if current is not None and same_page(
                current, baseline, page, self._teasers(article.source, article.id), ordered,
                history_of(versions, article.last_checked, fetched_at)):
            return "unchanged", current.version  # the cleaner or the page's noise changed
        seen = next((v for v in reversed(versions) if hash_of(v) == new_hash), None)
        if seen is not None and seen.quarantined:
            db.execute("update versions set quarantined = 0 where id = ?", [seen.id])
            self._event(db, article.id, fetched_at, "confirmed", seen.version, {})
            return "changed", seen.version
        if seen is not None:
            self._event(db, article.id, fetched_at, "flip-flop", seen.version,
                        {"from": article.current_version, "to": seen.version})
            return "changed", seen.version
        number = (versions[-1].version if versions else 0) + 1
        health = health_of(current, page)
        self._insert_version(db, article.id, number, item, page, fetched_at, current, health,
                             earlier=versions)
        if health:
            self._event(db, article.id, fetched_at, "quarantined", number, {"health": health})
        return "changed", number

    def _teasers(self, source: str, article_id: int) -> frozenset[str]:
        """The headlines of the source's other articles, as noise.teaser_key gives them."""
        if source not in self._headlines:
            self._headlines[source] = {
                found: key for found, headline in self.current_headlines(source)
                if (key := teaser_key(headline))}
        return frozenset(key for found, key in self._headlines[source].items()
                         if found != article_id)

    def _accepted(self, db: Database, article_id: int, number: int) -> bool:
        row = db.execute("select quarantined from versions where article_id = ? and version = ?",
                         [article_id, number]).fetchone()
        return row is not None and not row[0]

    def _insert_version(self, db: Database, article_id: int, number: int, item: PageItem,
                        page: CleanPage, fetched_at: str, previous: Version | None,
                        health: str, earlier: list[Version] | None = None) -> None:
        from scraper.clean import CLEANER_VERSION  # here: reading commands skip clean's imports

        raw_hash = self.raw.store(item.body, item.encoding, item.source,
                                  previous.raw_hash if previous else None)
        summary = summary_fields(previous, page, earlier or [])
        version_id: int = db.table("versions").insert({
            "article_id": article_id, "version": number, "fetched_at": fetched_at,
            "headline": page.headline, "byline": page.byline, "body": page.body,
            "text_hash": text_hash(page.headline, page.byline, page.body),
            "raw_hash": raw_hash, "published": page.published, "modified": page.modified,
            "canonical_url": page.canonical_url, "language": page.language,
            "cleaner_version": CLEANER_VERSION, "quarantined": 1 if health else 0,
            "health": health or None, "diff_from": previous.version if previous else None,
            **summary,
        }).last_pk  # type: ignore[assignment]
        self._set_labels(db, version_id, summary.get("labels"))
        if item.source in self._headlines and not health:
            self._headlines[item.source][article_id] = teaser_key(page.headline)

    def _insert_fetch(self, db: Database, url: str, source: str, fetched_at: str,
                      status: int | None, outcome: str, *, article_id: int | None = None,
                      version: int | None = None, error: str | None = None) -> None:
        insert_check(db, url, source, fetched_at, status, outcome, article_id=article_id,
                     version=version, error=error)

    def _event(self, db: Database, article_id: int, at: str, kind: str, version: int | None,
               detail: dict[str, Any]) -> None:
        db.table("events").insert({"article_id": article_id, "at": at, "kind": kind,
                                   "version": version, "detail": json.dumps(detail)})
