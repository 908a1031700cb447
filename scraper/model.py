"""Records that cross jobs: spider items, a cleaned page, stored text and archive rows.

A leaf module: it imports nothing from Stet, and every package may import it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class DueArticle:
    url: str
    etag: str
    last_modified: str
    last_checked: str = ""


@dataclass(frozen=True)
class Article:
    id: int
    url: str
    source: str
    first_seen: str
    last_checked: str
    last_changed: str
    next_check: str | None
    state: str
    current_version: int | None


@dataclass(frozen=True)
class Version:
    id: int
    article_id: int
    version: int
    fetched_at: str
    headline: str
    byline: str
    body: str
    modified: str
    labels: tuple[str, ...]
    quarantined: bool
    health: str
    diff_from: int | None
    raw_hash: str = ""
    merged_into: int | None = None
    words_added: int | None = None
    words_removed: int | None = None

    def text(self) -> Text:
        return Text(headline=self.headline, byline=self.byline, body=self.body,
                    modified=self.modified or "")


@dataclass(frozen=True)
class Event:
    """Something that happened to an article besides a new version (gone, returned...)."""

    at: str
    kind: str
    version: int | None
    detail: str


@dataclass(frozen=True)
class Change:
    article_id: int
    url: str
    source: str
    version: int
    diff_from: int | None
    fetched_at: str
    headline: str
    labels: tuple[str, ...]
    words_added: int
    words_removed: int
    quarantined: bool

OUTCOMES = ("new", "changed", "unchanged", "not_modified", "gone", "error", "skipped")


@dataclass
class PageItem:
    """An article page that answered 200 and is to be cleaned and stored."""

    url: str  # the article URL after redirects and canonicalisation
    source: str
    status: int
    body: bytes
    fetched_at: str
    requested_url: str = ""  # the URL asked for, when a redirect moved the article
    encoding: str | None = None  # charset from the Content-Type header
    etag: str = ""
    last_modified: str = ""
    selectors: dict[str, object] = field(default_factory=dict)


@dataclass
class FetchItem:
    """A fetch with no page to clean: 304, 404/410, an error, a robots.txt skip."""

    url: str
    source: str
    fetched_at: str
    outcome: str  # one of OUTCOMES
    status: int | None = None
    error: str | None = None


@dataclass(frozen=True)
class Selectors:
    """Per-source CSS overrides from the sources file."""

    headline: str | None = None
    body: str | None = None
    remove: tuple[str, ...] = ()

    @classmethod
    def from_config(cls, given: Mapping[str, object] | None) -> Selectors | None:
        """The ``[source.selectors]`` table of the sources file; None when it is empty."""
        if not given:
            return None
        remove = given.get("remove") or ()
        return cls(
            headline=str(given.get("headline") or "") or None,
            body=str(given.get("body") or "") or None,
            remove=tuple(str(s) for s in remove) if isinstance(remove, list | tuple) else (),
        )


@dataclass(frozen=True)
class CleanPage:
    headline: str = ""
    byline: str = ""
    body: str = ""
    published: str = ""
    modified: str = ""
    canonical_url: str = ""
    language: str = ""
    blocked: str = ""
    template: str = ""  # the article container's signature (clean/template.py), when scored


@dataclass(frozen=True)
class Ordered:
    """The current version's kept page and a fetched page, both cleaned with the items of
    their link lists in one order (clean_page(..., ordered=True)): what the archive
    compares when the two texts differ by more than volatile noise."""

    kept: CleanPage
    page: CleanPage


@dataclass(frozen=True)
class Text:
    """One version's text as stored."""

    headline: str
    byline: str
    body: str  # paragraphs separated by "\n\n"
    modified: str = ""  # the page's own modified time, "" if unknown
