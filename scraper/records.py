"""The archive's rows as frozen dataclasses: what store.py returns to readers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from scraper.diff import Text


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

    def text(self) -> Text:
        return Text(headline=self.headline, byline=self.byline, body=self.body,
                    modified=self.modified or "")


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


def article_from_row(data: dict[str, Any]) -> Article:
    return Article(
        id=int(data["id"]), url=data["url"], source=data["source"] or "",
        first_seen=data["first_seen"] or "", last_checked=data["last_checked"] or "",
        last_changed=data["last_changed"] or "", next_check=data["next_check"],
        state=data["state"] or "active", current_version=data["current_version"],
    )


def version_from_row(data: dict[str, Any]) -> Version:
    labels = tuple(json.loads(data["labels"])) if data.get("labels") else ()
    return Version(
        id=data["id"], article_id=data["article_id"], version=data["version"],
        fetched_at=data["fetched_at"], headline=data["headline"] or "",
        byline=data["byline"] or "", body=data["body"] or "", modified=data["modified"] or "",
        labels=labels, quarantined=bool(data["quarantined"]), health=data["health"] or "",
        diff_from=data["diff_from"], raw_hash=data.get("raw_hash") or "",
        merged_into=data.get("merged_into"),
    )


def change_from_row(row: tuple[Any, ...]) -> Change:
    return Change(
        article_id=row[0], url=row[1], source=row[2] or "", version=row[3], diff_from=row[4],
        fetched_at=row[5], headline=row[6] or "", labels=tuple(json.loads(row[7])),
        words_added=row[8] or 0, words_removed=row[9] or 0, quarantined=bool(row[10]),
    )
