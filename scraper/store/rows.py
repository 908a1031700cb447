"""Rows of the archive's tables -> the records of ``scraper.model``."""

from __future__ import annotations

import json
from typing import Any

from scraper.model import Article, Change, Version


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
        merged_into=data.get("merged_into"), words_added=data.get("words_added"),
        words_removed=data.get("words_removed"),
    )


def change_from_row(row: tuple[Any, ...]) -> Change:
    return Change(
        article_id=row[0], url=row[1], source=row[2] or "", version=row[3], diff_from=row[4],
        fetched_at=row[5], headline=row[6] or "", labels=tuple(json.loads(row[7])),
        words_added=row[8] or 0, words_removed=row[9] or 0, quarantined=bool(row[10]),
    )
