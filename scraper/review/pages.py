"""The review pages: an article's history and the diff of any two of its versions.

These pages only read, through Datasette's read-only connection to the archive and
the queries of ``scraper.store``, the only package that holds SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

from datasette.utils.asgi import NotFound, Request, Response
from markupsafe import Markup
from sqlite_utils import Database

from scraper.diff import diff_versions, render_html
from scraper.model import Article, Version
from scraper.store import ArchiveQueries

STYLESHEET = Path(__file__).with_name("static") / "review.css"
PLUGIN_NAME = "stet_review"
T = TypeVar("T")


@dataclass(frozen=True)
class Entry:
    """A version on the history page, with its diff against the text it replaced."""

    version: Version
    previous: int | None
    diff_html: Markup


async def article_page(datasette: Any, request: Request) -> Response:
    db = await archive_database(datasette)
    article = await _article(db, int(request.url_vars["article_id"]))
    versions = await _read(db, lambda q: q.versions(article.id))
    by_number = {v.version: v for v in versions}
    entries = [_entry(v, by_number) for v in reversed(versions)]
    events = await _read(db, lambda q: q.events(article.id))
    context = {"article": article, "entries": entries, "events": events,
               "database": db.name, "article_url": _safe_url(article.url),
               "label_descriptions": _descriptions(datasette)}
    html = await datasette.render_template("stet/article.html", context, request=request)
    return Response.html(html)


async def diff_page(datasette: Any, request: Request) -> Response:
    db = await archive_database(datasette)
    article = await _article(db, int(request.url_vars["article_id"]))
    by_number = {v.version: v for v in await _read(db, lambda q: q.versions(article.id))}
    old, new = (by_number.get(int(request.url_vars[k])) for k in ("old", "new"))
    if old is None or new is None:
        raise NotFound(f"Article {article.id} has no version "
                       f"{request.url_vars['old' if old is None else 'new']}")
    context = {
        "article": article, "old": old, "new": new, "database": db.name,
        "versions": sorted(by_number), "article_url": _safe_url(article.url),
        "label_descriptions": _descriptions(datasette),
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


async def _article(db: Any, article_id: int) -> Article:
    article = await _read(db, lambda q: q.find_article(article_id))
    if article is None:
        raise NotFound(f"Article {article_id} is not in the archive")
    return article


async def _read(db: Any, question: Callable[[ArchiveQueries], T]) -> T:
    """Ask the archive through Datasette's read-only connection (SQL stays in store)."""
    return cast(T, await db.execute_fn(lambda conn: question(ArchiveQueries(Database(conn)))))


def _descriptions(datasette: Any) -> dict[str, str]:
    return dict((datasette.plugin_config(PLUGIN_NAME) or {}).get("labels", {}))


def _entry(version: Version, by_number: dict[int, Version]) -> Entry:
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
