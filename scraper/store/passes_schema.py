"""Passes by source (migration m073), kept here so migrations.py stays short.

`stet status` shows each source's last pass. ``passes.sources`` is a JSON list, which no
index reaches: finding a source's last pass read the passes newest first until one named
it, so a source with no pass for a while (stopped, or never run) read every pass that
months of `stet schedule` had written (one a source an interval). ``pass_sources`` holds
one (source, pass) row per source of a pass, written by a trigger as the pass is, so a
source's last pass is one lookup in its primary key.
"""

from __future__ import annotations

from sqlite_utils import Database

# A pass whose sources are not a JSON list (none are written so) names no source.
_SOURCES = "json_each(case when json_valid({0}) then {0} else '[]' end)"

SCHEMA = (
    "create table if not exists pass_sources (source text not null, "
    "pass_id integer not null, primary key (source, pass_id)) "
    "without rowid",
    "create trigger if not exists pass_sources_ai after insert on passes begin "
    "insert or ignore into pass_sources (source, pass_id) "
    f"select value, new.id from {_SOURCES.format('new.sources')} where value is not null; "
    "end",
)

DESCRIPTION = ("Each source of each crawl pass (passes.sources, one row each), so that a "
               "source's last pass is found without reading every pass.")

# Newest first along the key; a row whose pass was deleted by hand finds no pass and is passed.
LAST_PASS = ("select p.finished_at, coalesce(p.state, ''), coalesce(p.error, '') "
             "from pass_sources s join passes p on p.id = s.pass_id where s.source = ? "
             "order by s.pass_id desc limit 1")


def m073_passes_by_source(db: Database) -> None:
    """`stet status` after months of passes: each source's last pass from an index."""
    for statement in SCHEMA:
        db.execute(statement)
    db.execute("insert or ignore into pass_sources (source, pass_id) select value, passes.id "
               f"from passes, {_SOURCES.format('passes.sources')} where value is not null")
