"""SQL of the compact fetches (issue 10): the `fetches` view over `checks`, its
triggers, outcome codes, and the view's time as an index expression.

Migration m031 (registered in order by migrations.py) lives here; read by m033 and by
checks.py. None of it may change.
"""

from __future__ import annotations

from sqlite_utils import Database

# Outcome codes of the checks table; the fetches view spells them out (CONTRACT.md).
OUTCOME_CODES = ("new", "changed", "unchanged", "not_modified", "gone", "error", "skipped")
OUTCOME_NAME = " ".join(f"when {code} then '{name}'" for code, name in enumerate(OUTCOME_CODES))
OUTCOME_CODE = " ".join(f"when '{name}' then {code}" for code, name in enumerate(OUTCOME_CODES))

FETCHES_VIEW = f"""
select c.id, c.article_id, coalesce(c.url, a.url) as url,
  strftime('%Y-%m-%dT%H:%M:%SZ', c.at, 'unixepoch') as fetched_at, c.status,
  case c.outcome {OUTCOME_NAME} end as outcome, c.error, s.name as source, c.version
from checks c
left join articles a on a.id = c.article_id
left join check_sources s on s.id = c.source
"""

# The checks columns from a fetches row (new.*): the URL only where it is not the article's.
_CHECK_VALUES = f"""
  new.article_id,
  case when new.url = (select url from articles where id = new.article_id) then null
       else new.url end,
  cast(strftime('%s', new.fetched_at) as integer), new.status,
  case new.outcome {OUTCOME_CODE} end, new.error,
  (select id from check_sources where name = new.source), new.version"""

FETCHES_TRIGGERS = f"""
create trigger fetches_insert instead of insert on fetches begin
  insert or ignore into check_sources (name) select new.source where new.source is not null;
  insert into checks (id, article_id, url, at, status, outcome, error, source, version)
  values (new.id, {_CHECK_VALUES});
end;
create trigger fetches_update instead of update on fetches begin
  insert or ignore into check_sources (name) select new.source where new.source is not null;
  update checks set (article_id, url, at, status, outcome, error, source, version) =
    ({_CHECK_VALUES}) where id = old.id;
end;
create trigger fetches_delete instead of delete on fetches begin
  delete from checks where id = old.id;
end;
create trigger articles_url_pinned before update of url on articles
when new.url is not old.url begin
  update checks set url = old.url where article_id = old.id and url is null;
end;
create trigger articles_delete_pinned before delete on articles begin
  update checks set url = old.url where article_id = old.id and url is null;
end;
create trigger checks_moved after update of article_id on checks
when new.url is null and new.article_id is not old.article_id begin
  update checks set url = (select url from articles where id = old.article_id)
  where id = new.id;
end;
"""

# The fetches view's fetched_at, as an index expression: `where source = ? and fetched_at
# >= ?` on the view (stet status, a pass's outcome counts) is then a range of this index.
FETCHED_AT = "strftime('%Y-%m-%dT%H:%M:%SZ', at, 'unixepoch')"


def run_script(db: Database, script: str) -> None:
    """Statements separated by `end;` lines (triggers), one execute each."""
    for statement in script.split("\nend;"):
        if statement.strip():
            db.execute(statement + "\nend;")


def m031_compact_fetches(db: Database) -> None:
    """`fetches` becomes a view over `checks` (issue 10): a recheck costs ~60 bytes, not ~290.

    A check keeps its time as seconds since 1970, its outcome and source as small
    integers, and no URL when it is its article's (the view takes the article's;
    triggers pin a check's URL before the article's changes). Every row moves over
    with its id; inserts, updates and deletes on the view still work (triggers).
    """
    db.execute("create table check_sources (id integer primary key, name text not null unique)")
    db.execute("create table checks (id integer primary key, article_id integer "
               "references articles(id), url text, at integer, status integer, "
               "outcome integer not null, error text, source integer "
               "references check_sources(id), version integer)")
    db.execute("insert into check_sources (name) select distinct source from fetches "
               "where source is not null order by source")
    db.execute(f"""insert into checks (id, article_id, url, at, status, outcome, error, source,
                   version)
        select f.id, f.article_id, case when f.url = a.url then null else f.url end,
          cast(strftime('%s', f.fetched_at) as integer), f.status,
          case f.outcome {OUTCOME_CODE} else 5 end, f.error, s.id, f.version
        from fetches f left join articles a on a.id = f.article_id
        left join check_sources s on s.name = f.source order by f.id""")
    db.execute("drop table fetches")
    db.execute("create index idx_checks_article on checks (article_id)")
    db.execute("create index idx_checks_source_at on checks (source, at)")
    db.execute("create index idx_checks_non_articles on checks (source, url) "
               "where article_id is null and outcome = 6")
    db.create_view("fetches", FETCHES_VIEW)
    run_script(db, FETCHES_TRIGGERS)


DESCRIPTIONS = {
    "checks": (
        "The compact storage of every fetch (read it through the fetches view): time in "
        "seconds since 1970, outcome and source as small integers, the URL only where it is "
        "not the article's."),
    "check_sources": "The sources named in checks and sightings, each once.",
    "fetches": (
        "One row per attempt to fetch a page, with its outcome: new, changed, unchanged, "
        "not_modified, gone, error or skipped (a view over checks)."),
}
