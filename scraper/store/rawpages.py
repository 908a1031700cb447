"""Raw pages, compact: zstandard with a dictionary per source, deltas per article.

Pages of one site share most of their markup, and an edited article's page is
nearly the page it replaced. So a page is compressed with zstandard against a
prefix that already holds most of it (issue 10):

- an edit (a later version of an article) against the article's previous raw
  page: a delta of a few hundred bytes, in chains of at most MAX_CHAIN pages;
- any other page against its source's dictionary for the page's template (named
  by the scripts and stylesheets it loads): a page of the same site and template,
  kept in ``raw_dicts``. A dictionary is made from the first such page and made
  anew (the next version) from a fresh page every DICTIONARY_PAGES pages, so a
  redesign is learned. Old dictionaries are never removed: the pages compressed
  with them stay readable.

Rows written before (``compression = 'zlib'``) are read as they were.
``tests/bench_storage.py`` measures these choices on real pages.
"""

from __future__ import annotations

import hashlib
import logging
import re
import zlib
from dataclasses import dataclass

import zstandard
from sqlite_utils import Database

from scraper.errors import ArchiveError
from scraper.timeutil import iso, utcnow

logger = logging.getLogger(__name__)

LEVEL = 3  # zstandard's default: ~0.5 ms per 150 KB page; higher levels cost 6x for ~1% less
DICTIONARY_PAGES = 250  # pages compressed with one dictionary before a fresher one is made
MAX_CHAIN = 8  # deltas read before a page: bounds the work of reading one
KEPT_DICTIONARIES = 32  # in memory, per open archive (a few MB each once prepared)
# The scripts and stylesheets a page loads name its template (a site's article, video
# and live pages differ in them; its articles do not).
SCRIPT = re.compile(rb"""<script\b[^>]*?\bsrc\s*=\s*["']?([^"'\s>]+)""", re.I)
STYLESHEET = re.compile(rb"""<link\b[^>]*?\brel\s*=\s*["']?stylesheet[^>]*>""", re.I)
HREF = re.compile(rb"""\bhref\s*=\s*["']?([^"'\s>]+)""", re.I)


def template_of(body: bytes) -> str:
    """A short name for the page's template: a hash of the assets its first 300 KB load."""
    head = body[:300_000]
    assets = set(SCRIPT.findall(head))
    assets.update(m.group(1) for tag in STYLESHEET.findall(head) if (m := HREF.search(tag)))
    return hashlib.sha256(b"\n".join(sorted(assets))).hexdigest()[:16]


@dataclass(frozen=True)
class RawPage:
    content: bytes
    encoding: str | None


def _prefix(content: bytes, *, reused: bool = False) -> zstandard.ZstdCompressionDict:
    prefix = zstandard.ZstdCompressionDict(content, dict_type=zstandard.DICT_TYPE_RAWCONTENT)
    if reused:  # a dictionary serves hundreds of pages: prepare its tables once
        prefix.precompute_compress(level=LEVEL)
    return prefix


def _compress(body: bytes, prefix: zstandard.ZstdCompressionDict) -> bytes:
    return zstandard.ZstdCompressor(level=LEVEL, dict_data=prefix).compress(body)


def _decompress(data: bytes, prefix: zstandard.ZstdCompressionDict | None) -> bytes:
    return bytes(zstandard.ZstdDecompressor(dict_data=prefix).decompress(data))


class RawPages:
    """The ``raw_pages`` and ``raw_dicts`` tables of one archive."""

    def __init__(self, db: Database) -> None:
        self.db = db
        # id -> (SHA-256 of its page, the prepared dictionary); the hash is checked on
        # each use, as an id may be taken again after a rolled-back transaction.
        self._dictionaries: dict[int, tuple[str, zstandard.ZstdCompressionDict]] = {}

    def store(self, body: bytes, encoding: str | None, source: str,
              previous: str | None = None) -> str:
        """Keep a page (once: pages are found by their SHA-256); returns its hash.

        previous: the raw page of the article's version this page follows, if any.
        Runs inside the caller's write transaction.
        """
        digest = hashlib.sha256(body).hexdigest()
        if self.db.execute("select 1 from raw_pages where hash = ?", [digest]).fetchone():
            return digest
        row = {"hash": digest, "compression": "zstd", "size": len(body), "encoding": encoding}
        if previous and self._chain(previous) < MAX_CHAIN:
            base = self._readable(previous)
            if base is not None:
                row.update(base=previous, content=_compress(body, _prefix(base.content)))
        if "content" not in row:
            dict_id = self._dictionary(source, body)
            row.update(dict_id=dict_id, content=_compress(body, self._prefix(dict_id)))
        self.db.table("raw_pages").insert(row)
        return digest

    def _readable(self, digest: str) -> RawPage | None:
        """A kept page to make a delta against, or None when it cannot be read: the new
        page is then kept on its own, not lost with it."""
        try:
            return self.load(digest)
        except ArchiveError as error:
            logger.warning("raw page %s is not kept as a delta: %s", digest[:12], error)
            return None

    def load(self, digest: str) -> RawPage | None:
        """A kept page's bytes and the charset its HTTP header gave."""
        row = self.db.execute("select content, encoding, compression, dict_id, base "
                              "from raw_pages where hash = ?", [digest]).fetchone()
        if row is None:
            return None
        content, encoding, compression, dict_id, base = row
        if compression == "zlib":
            return RawPage(zlib.decompress(content), encoding)
        prefix = None
        if base is not None:
            earlier = self.load(base)
            if earlier is None:
                raise ArchiveError(f"raw page {digest}: the page it is a delta of is missing")
            prefix = _prefix(earlier.content)
        elif dict_id is not None:
            prefix = self._prefix(int(dict_id))
        return RawPage(_decompress(content, prefix), encoding)

    def _chain(self, digest: str) -> int:
        """How many pages reading this one decompresses."""
        row = self.db.execute(
            "with recursive chain(hash, depth) as (select ?, 1 union all "
            "select raw_pages.base, depth + 1 from raw_pages join chain "
            "on raw_pages.hash = chain.hash where raw_pages.base is not null) "
            "select max(depth) from chain", [digest]).fetchone()
        return int(row[0] or 0)

    def _dictionary(self, source: str, body: bytes) -> int:
        """The id of the dictionary of this page's source and template, made from it when
        due."""
        template = template_of(body)
        row = self.db.execute("select id, pages from raw_dicts where source = ? and template = ? "
                              "order by id desc limit 1", [source, template]).fetchone()
        if row is not None and row[1] < DICTIONARY_PAGES:
            self.db.execute("update raw_dicts set pages = pages + 1 where id = ?", [row[0]])
            return int(row[0])
        version = 1 + (self.db.execute("select count(*) from raw_dicts where source = ?",
                                       [source]).fetchone()[0])
        dict_id: int = self.db.table("raw_dicts").insert({
            "source": source, "template": template, "version": version,
            "created_at": iso(utcnow()), "pages": 1,
            "size": len(body), "hash": hashlib.sha256(body).hexdigest(),
            "content": zstandard.ZstdCompressor(level=9).compress(body),
        }).last_pk  # type: ignore[assignment]
        return dict_id

    def _prefix(self, dict_id: int) -> zstandard.ZstdCompressionDict:
        """A dictionary, ready to use; the most recently used ones are kept in memory."""
        row = self.db.execute("select hash from raw_dicts where id = ?", [dict_id]).fetchone()
        if row is None:
            raise ArchiveError(f"raw page dictionary {dict_id} is missing")
        kept = self._dictionaries.pop(dict_id, None)
        if kept is None or kept[0] != row[0]:
            content = self.db.execute("select content from raw_dicts where id = ?",
                                      [dict_id]).fetchone()[0]
            kept = (row[0], _prefix(_decompress(content, None), reused=True))
        self._dictionaries[dict_id] = kept
        while len(self._dictionaries) > KEPT_DICTIONARIES:
            del self._dictionaries[next(iter(self._dictionaries))]
        return kept[1]
