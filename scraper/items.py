"""The spider -> pipeline contract: what a fetch produced."""

from __future__ import annotations

from dataclasses import dataclass, field

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
