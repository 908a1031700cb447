"""The search index's schema (migration m060), kept here so migrations.py stays short.

``versions_fts`` indexes every version's headline, byline and body. Since m060 it keeps
which column holds each word, not where (FTS5 ``detail=column``): searching words and
showing snippets work as before, and a quoted phrase is checked on the rows found
(store/phrases.py). Its triggers re-index a version only when its text changes, not on
every update of the row (labels, merges, quarantine).
"""

from __future__ import annotations

from sqlite_utils import Database

COLUMNS = "[headline], [byline], [body]"
OLD = "old.[headline], old.[byline], old.[body]"
NEW = "new.[headline], new.[byline], new.[body]"

# The shape sqlite-utils' enable_fts writes (content=[versions]): Datasette and
# sqlite-utils find the index of the versions table by it.
SEARCH_INDEX = (
    f"""create virtual table [versions_fts] using FTS5 (
    {COLUMNS},
    tokenize='unicode61',
    content=[versions],
    detail=column
)""",
    f"""create trigger [versions_ai] after insert on [versions] begin
  insert into [versions_fts] (rowid, {COLUMNS}) values (new.rowid, {NEW});
end""",
    f"""create trigger [versions_ad] after delete on [versions] begin
  insert into [versions_fts] ([versions_fts], rowid, {COLUMNS})
    values ('delete', old.rowid, {OLD});
end""",
    f"""create trigger [versions_au] after update of [headline], [byline], [body] on [versions]
begin
  insert into [versions_fts] ([versions_fts], rowid, {COLUMNS})
    values ('delete', old.rowid, {OLD});
  insert into [versions_fts] (rowid, {COLUMNS}) values (new.rowid, {NEW});
end""",
    "insert into [versions_fts] ([versions_fts]) values ('rebuild')",
)


def compact_search_index(db: Database) -> None:
    """Replace the search index by one without word positions, filled from versions."""
    for trigger in ("versions_ai", "versions_ad", "versions_au"):
        db.execute(f"drop trigger if exists [{trigger}]")
    db.execute("drop table if exists [versions_fts]")
    for statement in SEARCH_INDEX:
        db.execute(statement)
