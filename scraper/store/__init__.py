"""The archive: the only package that speaks SQL.

``Archive`` opens (creating or migrating) one SQLite file and is the way every
other package reads and writes it.
"""

from scraper.store.archive import Archive
from scraper.store.file import DEFAULT_ARCHIVE
from scraper.store.queries import ArchiveQueries

__all__ = ["DEFAULT_ARCHIVE", "Archive", "ArchiveQueries"]
