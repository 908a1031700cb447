"""What `stet diff` and `stet changes` print: choosing versions and formatting them."""

from __future__ import annotations

import json
from dataclasses import asdict

from scraper.diff import diff_to_json, diff_versions, render_html, render_text, summarize
from scraper.durations import parse_duration
from scraper.errors import ConfigError, StetError
from scraper.model import Article, Change, Text, Version
from scraper.store import Archive
from scraper.timeutil import iso, parse_iso, utcnow


def pick_versions(archive: Archive, ref: str, from_version: int | None,
                  to_version: int | None) -> tuple[Article, Version, Version]:
    """The article and the two versions to compare: by default its last two."""
    article = archive.find_article(ref)
    if article is None:
        raise StetError(f"no article {ref!r} in the archive (give its URL or id)")
    versions = {v.version: v for v in archive.versions(article.id)}
    if not versions:
        raise StetError(f"article {article.id} has no version yet")
    newest = max(versions)
    to_number = to_version if to_version is not None else newest
    from_number = from_version if from_version is not None else max(to_number - 1, 1)
    for number in (to_number, from_number):
        if number not in versions:
            raise StetError(f"article {article.id} has no version {number} "
                            f"(it has versions 1 to {newest})")
    return article, versions[from_number], versions[to_number]


def render_diff(article: Article, old: Version, new: Version, fmt: str, *, color: bool = False,
                side_by_side: bool = False) -> str:
    diff = diff_versions(old.text(), new.text())
    if fmt == "json":
        summary = summarize(old.text(), new.text(), diff).to_dict()
        if new.diff_from == old.version:  # the stored labels, flip-flop included
            summary["labels"] = list(new.labels)
        return json.dumps({
            "article_id": article.id, "url": article.url,
            "from": _version_json(old), "to": _version_json(new),
            "summary": summary, "diff": diff_to_json(diff),
        }, indent=2, ensure_ascii=False)
    if fmt == "html":
        return render_html(diff)
    header = (f"article {article.id}  {article.url}\n"
              f"version {old.version} ({old.fetched_at}) -> version {new.version} "
              f"({new.fetched_at})")
    if new.labels:
        header += f"  [{', '.join(new.labels)}]"
    if old.version == new.version:
        return header + "\n(only one version: nothing changed yet)"
    return header + "\n\n" + render_text(diff, color=color, side_by_side=side_by_side)


def _version_json(version: Version) -> dict[str, object]:
    data = asdict(version)
    data["labels"] = list(version.labels)
    return data


def parse_since(text: str) -> str:
    """An ISO date/time, or an age like 2d meaning that long ago, as an archive time."""
    try:
        return iso(utcnow() - parse_duration(text))
    except ConfigError:
        pass
    try:
        return iso(parse_iso(text))
    except ValueError:
        raise ConfigError(f"bad --since {text!r}: give an ISO date (2026-11-01) "
                          "or an age (90m, 2d)") from None


def list_changes(archive: Archive, since: str, label: str, source: str, limit: int,
                 fmt: str) -> str:
    changes = archive.changes(since=since, label=label, source=source, limit=limit)
    if fmt == "json":
        return json.dumps([_change_json(c) for c in changes], indent=2, ensure_ascii=False)
    if not changes:
        return "no changes"
    return "\n".join(_change_line(c) for c in changes)


def _change_json(change: Change) -> dict[str, object]:
    data = asdict(change)
    data["labels"] = list(change.labels)
    return data


def _change_line(change: Change) -> str:
    labels = ", ".join(change.labels) or "edit"
    counts = f"+{change.words_added} -{change.words_removed} words"
    flag = "  (quarantined: unconfirmed)" if change.quarantined else ""
    return (f"{change.fetched_at}  article {change.article_id}  "
            f"v{change.diff_from}->v{change.version}  [{labels}]  {counts}{flag}\n"
            f"    {change.headline}\n    {change.url}")


__all__ = ["Text", "list_changes", "parse_since", "pick_versions", "render_diff"]
