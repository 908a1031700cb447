"""The review pages: an article's history and the diff of any two of its versions.

These pages only read, through Datasette's read-only connection to the archive;
scraper/store.py stays the only module that writes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datasette.utils.asgi import NotFound, Request, Response
from markupsafe import Markup

from scraper.diff import diff_versions, render_html
from scraper.model import Text

STYLESHEET = Path(__file__).with_name("static") / "review.css"
PLUGIN_NAME = "stet_review"
VERSION_COLUMNS = ("id", "version", "fetched_at", "headline", "byline", "body", "modified",
                   "labels", "quarantined", "health", "diff_from", "words_added",
                   "words_removed")


@dataclass(frozen=True)
class Label:
    name: str
    description: str


@dataclass(frozen=True)
class ReviewVersion:
    """One stored version, as the review pages show it."""

    id: int
    version: int
    fetched_at: str
    headline: str
    byline: str
    body: str
    modified: str
    labels: tuple[Label, ...]
    quarantined: bool
    health: str
    diff_from: int | None
    words_added: int | None
    words_removed: int | None

    def text(self) -> Text:
        return Text(self.headline, self.byline, self.body, self.modified)


@dataclass(frozen=True)
class Entry:
    """A version on the history page, with its diff against the text it replaced."""

    version: ReviewVersion
    previous: int | None
    diff_html: Markup


async def article_page(datasette: Any, request: Request) -> Response:
    db = await archive_database(datasette)
    article = await _article(db, int(request.url_vars["article_id"]))
    versions = await _versions(datasette, db, article["id"])
    by_number = {v.version: v for v in versions}
    entries = [_entry(v, by_number) for v in reversed(versions)]
    events = await _rows(db, "select at, kind, version, detail from events "
                         "where article_id = ? order by at, id", [article["id"]])
    context = {"article": article, "entries": entries, "events": events,
               "database": db.name, "article_url": _safe_url(article["url"])}
    html = await datasette.render_template("stet/article.html", context, request=request)
    return Response.html(html)


async def diff_page(datasette: Any, request: Request) -> Response:
    db = await archive_database(datasette)
    article = await _article(db, int(request.url_vars["article_id"]))
    by_number = {v.version: v for v in await _versions(datasette, db, article["id"])}
    old, new = (by_number.get(int(request.url_vars[k])) for k in ("old", "new"))
    if old is None or new is None:
        raise NotFound(f"Article {article['id']} has no version "
                       f"{request.url_vars['old' if old is None else 'new']}")
    context = {
        "article": article, "old": old, "new": new, "database": db.name,
        "versions": sorted(by_number), "article_url": _safe_url(article["url"]),
        "diff_html": Markup(render_html(diff_versions(old.text(), new.text()))),
        "labelled": new.diff_from == old.version,
    }
    html = await datasette.render_template("stet/diff.html", context, request=request)
    return Response.html(html)


async def stylesheet() -> Response:
    return Response(STYLESHEET.read_text(encoding="utf-8"), content_type="text/css; charset=utf-8")


async def archive_database(datasette: Any) -> Any:
    """The attached database holding the archive (named in the plugin config, else found)."""
    name = (datasette.plugin_config(PLUGIN_NAME) or {}).get("database")
    if name in datasette.databases:
        return datasette.databases[name]
    for db in datasette.databases.values():
        if not db.name.startswith("_") and await db.table_exists("versions"):
            return db
    raise NotFound("No Stet archive is attached to this Datasette")


async def _article(db: Any, article_id: int) -> dict[str, Any]:
    rows = await _rows(db, "select * from articles where id = ?", [article_id])
    if not rows:
        raise NotFound(f"Article {article_id} is not in the archive")
    return rows[0]


async def _versions(datasette: Any, db: Any, article_id: int) -> list[ReviewVersion]:
    descriptions = (datasette.plugin_config(PLUGIN_NAME) or {}).get("labels", {})
    rows = await _rows(db, f"select {', '.join(VERSION_COLUMNS)} from versions "
                       "where article_id = ? order by version", [article_id])
    return [_version(row, descriptions) for row in rows]


async def _rows(db: Any, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    results = await db.execute(sql, params)
    return [dict(row) for row in results.rows]


def _version(row: dict[str, Any], descriptions: dict[str, str]) -> ReviewVersion:
    names = json.loads(row["labels"]) if row["labels"] else []
    labels = tuple(Label(name, descriptions.get(name, "")) for name in names)
    text = {k: row[k] or "" for k in ("headline", "byline", "body", "modified", "health")}
    return ReviewVersion(
        id=row["id"], version=row["version"], fetched_at=row["fetched_at"], labels=labels,
        quarantined=bool(row["quarantined"]), diff_from=row["diff_from"],
        words_added=row["words_added"], words_removed=row["words_removed"], **text,
    )


def _entry(version: ReviewVersion, by_number: dict[int, ReviewVersion]) -> Entry:
    """The diff against the text this version replaced; the first shows its whole text."""
    previous = by_number.get(version.diff_from) if version.diff_from is not None else None
    if previous is None:
        earlier = [n for n in by_number if n < version.version]
        previous = by_number[max(earlier)] if earlier else None
    base = previous.text() if previous is not None else version.text()
    diff = diff_versions(base, version.text())
    number = previous.version if previous is not None else None
    return Entry(version, number, Markup(render_html(diff)))


def _safe_url(url: str | None) -> str:
    """The article URL as a link target only when it is http(s), never javascript:."""
    return url if url and url.lower().startswith(("http://", "https://")) else ""
