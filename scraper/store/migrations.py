"""The archive's schema: one function per change, applied in order on open.

The schema is the single source of truth for the CLI, the crawler and the
Datasette review pages: views defined here are what the review pages read.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("stet")


@migrations()
def m001_core_tables(db: Database) -> None:
    db.table("articles").create(
        {
            "id": int, "url": str, "source": str, "first_seen": str, "last_checked": str,
            "last_changed": str, "next_check": str, "state": str, "current_version": int,
            "etag": str, "last_modified": str,
        },
        pk="id", not_null={"url"}, defaults={"state": "active"},
    )
    db.table("articles").create_index(["url"], unique=True)
    db.table("articles").create_index(["source", "next_check"])
    db.table("raw_pages").create(
        {"hash": str, "compression": str, "size": int, "content": bytes}, pk="hash"
    )
    db.table("versions").create(
        {
            "id": int, "article_id": int, "version": int, "fetched_at": str,
            "headline": str, "byline": str, "body": str,
            "text_hash": str, "raw_hash": str, "published": str, "modified": str,
            "canonical_url": str, "language": str, "cleaner_version": str,
            "quarantined": int, "health": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id"), ("raw_hash", "raw_pages", "hash")],
        defaults={"quarantined": 0},
    )
    db.table("versions").create_index(["article_id", "version"], unique=True)
    db.table("versions").create_index(["fetched_at"])
    db.table("versions").create_index(["article_id", "text_hash"])
    _create_fetches_and_events(db)


def _create_fetches_and_events(db: Database) -> None:
    db.table("fetches").create(
        {
            "id": int, "article_id": int, "url": str, "fetched_at": str, "status": int,
            "outcome": str, "error": str, "source": str, "version": int,
        },
        pk="id", foreign_keys=[("article_id", "articles", "id")],
    )
    db.table("fetches").create_index(["article_id"])
    db.table("fetches").create_index(["fetched_at"])
    db.table("fetches").create_index(["outcome"])
    db.table("url_aliases").create(
        {"url": str, "article_id": int, "seen_at": str, "reason": str},
        pk="url", foreign_keys=[("article_id", "articles", "id")],
    )
    db.table("events").create(
        {"id": int, "article_id": int, "at": str, "kind": str, "version": int, "detail": str},
        pk="id", foreign_keys=[("article_id", "articles", "id")],
    )
    db.table("events").create_index(["article_id"])
    db.table("events").create_index(["kind", "at"])


@migrations()
def m002_diff_summary(db: Database) -> None:
    """What each version changed against the text it replaced (issue 4's labels)."""
    db.table("versions").add_column("diff_from", int)
    for column in ("words_added", "words_removed", "paragraphs_added", "paragraphs_removed",
                   "paragraphs_changed", "paragraphs_moved", "headline_changed",
                   "byline_changed"):
        db.table("versions").add_column(column, int)
    db.table("versions").add_column("labels", str)
    db.table("version_labels").create(
        {"version_id": int, "label": str}, pk=("version_id", "label"),
        foreign_keys=[("version_id", "versions", "id")],
    )
    db.table("version_labels").create_index(["label"])


@migrations()
def m003_views(db: Database) -> None:
    """Views for people: every revision beside the text it replaced."""
    db.create_view("revisions", REVISIONS_VIEW, replace=True)


REVISIONS_VIEW = """
select
  versions.id as version_id,
  articles.id as article_id,
  articles.url,
  articles.source,
  versions.version,
  versions.fetched_at,
  versions.headline,
  versions.byline,
  versions.labels,
  versions.words_added,
  versions.words_removed,
  versions.quarantined,
  versions.health,
  previous.version as previous_version,
  previous.headline as previous_headline,
  previous.byline as previous_byline,
  previous.body as previous_body,
  versions.body
from versions
join articles on articles.id = versions.article_id
left join versions as previous
  on previous.article_id = versions.article_id and previous.version = versions.diff_from
"""


def migrate(db: Database) -> None:
    """Bring the archive's schema up to date."""
    migrations.apply(db)


@migrations()
def m004_passes(db: Database) -> None:
    """One row per crawl pass, so months of unattended `stet schedule` can be audited."""
    db.table("passes").create(
        {"id": int, "started_at": str, "finished_at": str, "sources": str, "all_articles": int,
         "exit_code": int, "outcomes": str, "error": str},
        pk="id",
    )
    db.table("passes").create_index(["started_at"])


@migrations()
def m005_reextraction(db: Database) -> None:
    """`stet reextract` (issue 4): what a re-run of the cleaner found a version to be."""
    db.table("versions").add_column("merged_into", int)
    db.table("versions").add_column("reextracted_at", str)
    db.table("raw_pages").add_column("encoding", str)


@migrations()
def m006_scale_indexes(db: Database) -> None:
    """Indexes the crawler's per-pass questions need once fetches run into the millions."""
    db.execute("create index if not exists idx_fetches_non_articles on fetches (source, url) "
               "where article_id is null and outcome = 'skipped'")
    db.table("fetches").create_index(["source", "fetched_at"], if_not_exists=True)


# What each table and view holds: read by the README (cog) and the Datasette metadata.
DESCRIPTIONS = {
    "articles": "One row per article: its canonical URL, source, state (active or gone), "
                "the version that is its current text, and when it is next checked.",
    "versions": "One row per distinct state of an article's text. A row is written only when "
                "the normalised headline, byline or body changed; it carries the diff summary "
                "against the text it replaced (diff_from) and the edit labels. A quarantined "
                "version (a collapsed body) waits for the next check to confirm it.",
    "fetches": "One row per attempt to fetch a page, with its outcome: new, changed, unchanged, "
               "not_modified, gone, error or skipped.",
    "raw_pages": "The HTML of every page that produced a version, zlib-compressed and "
                 "deduplicated by SHA-256, so the history can be re-extracted.",
    "url_aliases": "Other URLs of an article (a 301 moved it), so it never becomes two.",
    "events": "Things that happen to an article besides a new version: gone, returned, "
              "redirect, flip-flop (back to an earlier version), quarantined, confirmed.",
    "version_labels": "One row per label of a version, for faceting and filtering.",
    "passes": "One row per crawl pass, with its sources, exit status and fetch outcomes.",
    "revisions": "Every version beside the text it replaced: what the review pages read.",
}


@migrations()
def m040_version_search(db: Database) -> None:
    """Full-text search over every version's headline, byline and body (issue 11).

    An external-content FTS5 index (the text stays in versions only), filled from the
    versions already stored and kept current by sqlite-utils' insert, update and delete
    triggers.
    """
    db.table("versions").enable_fts(["headline", "byline", "body"], fts_version="FTS5",
                                    create_triggers=True, tokenize="unicode61")



@migrations()
def m041_revisions_review_link(db: Database) -> None:
    """The revisions view opens with a link to each revision's review page (issue 11)."""
    db.create_view("revisions", REVISIONS_WITH_LINK, replace=True)


REVISIONS_WITH_LINK = REVISIONS_VIEW.replace("select\n", """select
  case when versions.diff_from is null
    then '/-/stet/article/' || versions.article_id || '#v' || versions.version
    else '/-/stet/diff/' || versions.article_id || '/' || versions.diff_from || '/'
      || versions.version end as review_page,
""", 1)
