"""SQL of the compact fetches (issue 10): the `fetches` view over `checks`, its
triggers, outcome codes, and the view's time as an index expression.

Read by migrations m031 and m033 (which must not change) and by checks.py.
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
