"""The schema of site learning (issue 9): migration m010, registered in order by
migrations.py, and the descriptions of its tables.
"""

from __future__ import annotations

from sqlite_utils import Database


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


DESCRIPTIONS = {
    "site_blocks": (
        "What Stet learned about each source's pages (`stet sources show NAME`): furniture (a "
        "paragraph found on many of its articles) and volatile shapes (a line whose figures or "
        "dates change on every fetch), left out of every body; template containers (the "
        "signature of the element holding the story, looked for first); site-wide headlines "
        "and title affixes (the site's name, never a story's headline); with the articles and "
        "versions it was learned from."),
    "site_sightings": (
        "The evidence for site_blocks: which articles of a source held each block fingerprint."),
}
