"""Feed guesses (migration m075), kept here so migrations.py stays short.

A start page that names no feed gets a few usual feed locations tried (``crawl.feedguess``);
``feed_guesses`` keeps, per source and start folder, the feed found ("" for none) and when,
so that later passes read the feed at once, or try nothing, instead of guessing again.
"""

from __future__ import annotations

from sqlite_utils import Database

DESCRIPTION = ("Per source, the folders below which feeds that the start page does not name "
               "were looked for (/feed, /rss, /feed.xml, ...), the feed found there ('' "
               "when none) and when: guessing is repeated only after 30 days.")


def m075_feed_guesses(db: Database) -> None:
    """Where feeds were guessed for each source, and what was found (issue 9)."""
    db.table("feed_guesses").create(
        {"source": str, "base": str, "feed": str, "tried_at": str}, pk=("source", "base"),
        if_not_exists=True)
