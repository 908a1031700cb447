"""The archive's schema: one function per change, applied in order on open.

The schema is the single source of truth for the CLI, the crawler and the
Datasette review pages: views defined here are what the review pages read.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from scraper.store import checks_schema, discovery_schema, migrations_learning, passes_schema
from scraper.store.checks_schema import FETCHED_AT
from scraper.store.migrations_learning import DESCRIPTIONS as LEARNING_DESCRIPTIONS
from scraper.store.migrations_learning import m010_site_learning, m070_compact_sightings
from scraper.store.search_schema import compact_search_index

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
    "passes": "One row per crawl pass, with its sources, exit status and fetch outcomes; "
              "state says ok, failed (nothing of the source could be read), timeout or "
              "stopped, and error why.",
    "source_state": "Per source, what `stet schedule` knows between passes: state (ok, "
                    "backing off, degraded), consecutive failures, last and next pass.",
    "alerts": "Every alert a rule in the sources file asked for: sent, pending (retried) "
              "or failed for good, with the last error.",
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


@migrations()
def m030_compact_raw_pages(db: Database) -> None:
    """Raw pages compressed with zstandard against a prefix (issue 10, store/rawpages.py).

    raw_pages.dict_id: the source dictionary a page was compressed with; raw_pages.base:
    the raw page (an earlier version of the same article) it is a delta of. Rows from
    before keep compression 'zlib' and are read as they were.
    """
    db.table("raw_dicts").create(
        {"id": int, "source": str, "version": int, "created_at": str, "pages": int,
         "size": int, "hash": str, "content": bytes},
        pk="id", not_null={"source"},
    )
    db.table("raw_dicts").create_index(["source", "version"], unique=True)
    db.table("raw_pages").add_column("dict_id", int)
    db.table("raw_pages").add_column("base", str)


migrations()(checks_schema.m031_compact_fetches)  # the compact fetches: checks_schema.py


DESCRIPTIONS["raw_dicts"] = (
    "Per source and template, the zstandard dictionaries raw pages are compressed with: a "
    "page of the source with that template, made anew every few hundred pages; never "
    "removed.")
DESCRIPTIONS.update(checks_schema.DESCRIPTIONS)
DESCRIPTIONS["raw_pages"] = (
    "The HTML of every page that produced a version, deduplicated by SHA-256 and compressed "
    "with zstandard against its source's dictionary (raw_dicts) or, for an edit, against "
    "the article's previous raw page (base); older rows zlib.")


migrations()(m010_site_learning)  # site learning's schema: migrations_learning.py
DESCRIPTIONS.update(LEARNING_DESCRIPTIONS)


@migrations()
def m020_discovery_frontier(db: Database) -> None:
    """Discovery that goes on across passes (issue 9): what a budget left, what was read."""
    db.table("frontier").create(
        {"source": str, "url": str, "kind": str, "listed": str, "found_at": str},
        pk=("source", "url"),
    )
    db.table("sitemap_reads").create(
        {"source": str, "url": str, "lastmod": str, "read_at": str}, pk=("source", "url"),
    )


DESCRIPTIONS["frontier"] = (
    "Per source, the article pages and sitemaps a pass found but its budget left unfetched, "
    "with the date the site gives each: the next pass starts from them, newest first.")
DESCRIPTIONS["sitemap_reads"] = (
    "Per source, each sitemap read and the <lastmod> it had then: a later pass skips the "
    "nested sitemaps that have not changed.")


@migrations()
def m050_pass_state(db: Database) -> None:
    """Each pass's verdict (issue 12): ok, failed, timeout or stopped."""
    db.table("passes").add_column("state", str)
    db.execute("update passes set state = case when exit_code = 0 then 'ok' else 'failed' end")


@migrations()
def m051_source_state(db: Database) -> None:
    """What `stet schedule` knows of each source between passes: back-off and next pass."""
    db.table("source_state").create(
        {"source": str, "state": str, "failures": int, "last_pass": str, "next_pass": str,
         "last_error": str, "updated_at": str},
        pk="source",
    )


@migrations()
def m052_alerts(db: Database) -> None:
    """Every alert owed to someone, until it is sent or has failed for good (issue 12)."""
    db.table("alerts").create(
        {"id": int, "version_id": int, "rule": str, "target": str, "title": str, "body": str,
         "state": str, "attempts": int, "last_error": str, "created_at": str,
         "next_attempt": str, "sent_at": str},
        pk="id", foreign_keys=[("version_id", "versions", "id")],
    )
    db.table("alerts").create_index(["version_id", "rule"], unique=True)
    db.table("alerts").create_index(["state", "next_attempt"])


@migrations()
def m032_versions_by_article_time(db: Database) -> None:
    """`stet changes --source`: one source's newest edits read from this index alone.

    Its columns are every one the edit filter reads, so a source with 50,000
    versions is answered from the index, without reading their rows (issue 10).
    """
    db.execute("create index if not exists idx_versions_article_time on versions "
               "(article_id, fetched_at, version, diff_from, merged_into, quarantined)")


@migrations()
def m033_checks_by_source_and_time(db: Database) -> None:
    """A source's fetches since a time, found through the fetches view too (issue 10)."""
    db.execute("drop index if exists idx_checks_source_at")
    db.execute(f"create index if not exists idx_checks_source_time on checks "
               f"(source, {FETCHED_AT})")


@migrations()
def m021_sitemap_validators(db: Database) -> None:
    """A sitemap read again is asked for with its ETag and Last-Modified (issue 9): an
    unchanged one costs a 304, not its whole body."""
    db.table("sitemap_reads").add_column("etag", str)
    db.table("sitemap_reads").add_column("last_modified", str)


@migrations()
def m034_dictionaries_per_template(db: Database) -> None:
    """A dictionary per source and template (issue 10): one site's article, video and live
    pages each compress against their own kind. Dictionaries made before have none."""
    db.table("raw_dicts").add_column("template", str)
    db.execute("create index if not exists idx_raw_dicts_template on raw_dicts "
               "(source, template, id)")


@migrations()
def m060_compact_search_index(db: Database) -> None:  # issue 10: see search_schema.py
    compact_search_index(db)


migrations()(m070_compact_sightings)  # issue 10: see migrations_learning.py


@migrations()
def m071_status_indexes(db: Database) -> None:
    """`stet status` on a big archive (issue 10): each source's articles and due articles
    counted from one index, and the last day's edits found without reading every article."""
    db.execute("drop index if exists idx_articles_source_next_check")
    db.execute("create index if not exists idx_articles_source_next_check_state on articles "
               "(source, next_check, state)")
    db.execute("create index if not exists idx_versions_edits on versions "
               "(fetched_at, article_id, version) where version > 1")


@migrations()
def m072_drop_text_hash_index(db: Database) -> None:
    """No query looks versions up by text hash (a flip-flop is found among the article's
    versions, read by (article_id, version)): its index cost ~90 bytes a version."""
    db.execute("drop index if exists idx_versions_article_id_text_hash")


migrations()(passes_schema.m073_passes_by_source)  # `stet status` after months of passes
DESCRIPTIONS["pass_sources"] = passes_schema.DESCRIPTION
migrations()(migrations_learning.m074_blocks_cleaner_version)  # which cleaner learned a block
migrations()(discovery_schema.m075_feed_guesses)  # feeds a start page does not name
DESCRIPTIONS["feed_guesses"] = discovery_schema.DESCRIPTION
