"""The schema of site learning (issue 9): migrations m010 and m070, registered in order by
migrations.py, and the descriptions of their tables.

Since m070 the evidence is compact: ``sightings`` keeps each (source, kind, fingerprint,
article) once, as integers in a WITHOUT ROWID table (its primary key is the only copy of
the row), and ``site_sightings`` is a view over it with the columns of before, less the
time each row was written (nothing read it).
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database

# The kinds of evidence, as the small integers of sightings.kind (the view spells them out).
SIGHTING_KINDS = ("furniture", "shape", "container", "headline", "affix", "volatile")
KIND_NAME = " ".join(f"when {code} then '{name}'" for code, name in enumerate(SIGHTING_KINDS))
KIND_CODE = " ".join(f"when '{name}' then {code}" for code, name in enumerate(SIGHTING_KINDS))


def fingerprint_number(fingerprint: str) -> int:
    """A 16-hex-digit fingerprint as the signed 64-bit integer SQLite keeps."""
    number = int(fingerprint, 16)
    return number - (1 << 64) if number >= 1 << 63 else number


def fingerprint_text(number: int) -> str:
    return f"{number & ((1 << 64) - 1):016x}"


def m010_site_learning(db: Database) -> None:
    """What Stet learned about each source (issue 9): furniture and volatile blocks.

    site_sightings: which articles' versions held each block fingerprint (the evidence);
    site_blocks: the blocks learned from it, with when and from which articles/versions.
    """
    db.table("site_sightings").create(
        {"source": str, "kind": str, "fingerprint": str, "article_id": int, "version": int,
         "seen_at": str},
        pk=("source", "kind", "fingerprint", "article_id"),
    )
    db.table("site_blocks").create(
        {"source": str, "kind": str, "fingerprint": str, "example": str, "pages": int,
         "first_learned": str, "last_learned": str, "articles": str, "versions": str,
         "learned_from": str},
        pk=("source", "kind", "fingerprint"),
    )
    db.table("site_blocks").create_index(["source", "kind"])


SIGHTINGS_VIEW = f"""
select s.name as source, case g.kind {KIND_NAME} end as kind,
  printf('%016x', g.fingerprint) as fingerprint, g.article_id, g.version
from sightings g
join check_sources s on s.id = g.source
"""


def m070_compact_sightings(db: Database) -> None:
    """site_sightings becomes a view over `sightings` (issue 10): ~25 bytes a row, not ~190.

    Source as the id of check_sources, kind as a small integer, the fingerprint as a 64-bit
    integer; every row moves over but its seen_at.
    """
    db.execute("create table sightings (source integer not null references check_sources(id), "
               "kind integer not null, fingerprint integer not null, "
               "article_id integer not null, version integer, "
               "primary key (source, kind, fingerprint, article_id)) without rowid")
    db.execute("insert or ignore into check_sources (name) select distinct source "
               "from site_sightings where source is not null order by source")
    conn: sqlite3.Connection = db.conn
    conn.create_function("stet_fingerprint_number", 1, fingerprint_number, deterministic=True)
    db.execute(f"""insert or ignore into sightings (source, kind, fingerprint, article_id, version)
        select s.id, case g.kind {KIND_CODE} end, stet_fingerprint_number(g.fingerprint),
          g.article_id, g.version
        from site_sightings g join check_sources s on s.name = g.source
        where g.kind in ({", ".join(f"'{k}'" for k in SIGHTING_KINDS)})""")
    db.execute("drop table site_sightings")
    db.create_view("site_sightings", SIGHTINGS_VIEW)


def m074_blocks_cleaner_version(db: Database) -> None:
    """Which cleaner version learned each site_blocks row: a container learned by another
    is checked against today's signatures (store/relearn.py). Rows from before: NULL."""
    db.table("site_blocks").add_column("cleaner_version", str)


DESCRIPTIONS = {
    "site_blocks": (
        "What Stet learned about each source's pages (`stet sources show NAME`): furniture (a "
        "paragraph found on many of its articles) and volatile shapes (a line whose figures or "
        "dates change on every fetch), left out of every body; template containers (the "
        "signature of the element holding the story, looked for first); site-wide headlines "
        "and title affixes (the site's name, never a story's headline); with the articles and "
        "versions it was learned from, and the cleaner version that learned it."),
    "site_sightings": (
        "The evidence for site_blocks: which articles of a source held each block fingerprint "
        "(a view over sightings)."),
    "sightings": (
        "The compact storage of site learning's evidence (read it through the site_sightings "
        "view): source as a check_sources id, kind as a small integer, the fingerprint as a "
        "64-bit integer; one row per article that held it."),
}
