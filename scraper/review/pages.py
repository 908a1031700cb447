"""The review pages: an article's timeline and the diff of any two of its versions.

These pages only read, through Datasette's read-only connection to the archive and
the queries of ``scraper.store``, the only package that holds SQL.  The front page,
search and feeds live in ``front``, ``search`` and ``feeds``.
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
from scraper.diff.views import render_html_compact, render_html_side_by_side
from scraper.model import Article, Event, Version
from scraper.review.filters import edit_filter, filter_query
from scraper.store import ArchiveQueries, browse

STATIC = Path(__file__).with_name("static")
STYLESHEET = STATIC / "review.css"
PLUGIN_NAME = "stet_review"
PER_PAGE = 20  # versions on one page of a timeline
T = TypeVar("T")


@dataclass(frozen=True)
class Entry:
    """A version on the timeline, with its diff against the text it replaced."""

    version: Version
    previous: int | None
    diff_html: Markup


@dataclass(frozen=True)
class Moment:
    """One line of the timeline, newest first: a version or an event."""

    at: str
    entry: Entry | None = None
    event: Event | None = None


async def article_page(datasette: Any, request: Request) -> Response:
    db = await archive_database(datasette)
    article = await _article(db, int(request.url_vars["article_id"]))
    refs = await _browse(db, lambda d: browse.version_refs(d, article.id))
    pages = max(1, -(-len(refs) // PER_PAGE))
    page = min(max(_int(request.args.get("page"), 1), 1), pages)
    shown = list(reversed(refs))[(page - 1) * PER_PAGE: page * PER_PAGE]
    wanted = sorted({r.version for r in shown} | {_base(r.version, r.diff_from) for r in shown})
    texts = await _browse(db, lambda d: browse.versions_numbered(d, article.id, wanted))
    entries = [_entry(texts[r.version], texts) for r in shown]
    start = shown[-1].fetched_at if page < pages else ""
    end = list(reversed(refs))[page * PER_PAGE - PER_PAGE - 1].fetched_at if page > 1 else ""
    events = await _browse(db, lambda d: browse.events_between(d, article.id, start, end))
    context = {"article": article, "moments": _moments(entries, events), "database": db.name,
               "article_url": _safe_url(article.url), "count": len(refs), "page": page,
               "pages": pages, "headline": entries[0].version.headline if entries else "",
               "label_descriptions": _descriptions(datasette),
               "feed": f"/-/stet/article/{article.id}.atom"}
    html = await datasette.render_template("stet/article.html", context, request=request)
    return Response.html(html)


async def diff_page(datasette: Any, request: Request) -> Response:
    db = await archive_database(datasette)
    article = await _article(db, int(request.url_vars["article_id"]))
    numbers = [int(request.url_vars[k]) for k in ("old", "new")]
    found = await _browse(db, lambda d: browse.versions_numbered(d, article.id, numbers))
    old, new = (found.get(n) for n in numbers)
    if old is None or new is None:
        raise NotFound(f"Article {article.id} has no version "
                       f"{numbers[0] if old is None else numbers[1]}")
    refs = await _browse(db, lambda d: browse.version_refs(d, article.id))
    diff = diff_versions(old.text(), new.text())
    side = request.args.get("view") == "side"
    listed = edit_filter(request.args)
    newer, older = await _list_neighbours(db, listed, new)
    context = {
        "article": article, "old": old, "new": new, "database": db.name,
        "versions": [r.version for r in refs], "article_url": _safe_url(article.url),
        "label_descriptions": _descriptions(datasette), "side": side,
        "diff_html": Markup(render_html_side_by_side(diff, compact=False) if side
                            else render_html(diff)),
        "changed": diff.changed, "labelled": new.diff_from == old.version,
        "previous_edit": _edit_before(refs, new.version),
        "next_edit": _edit_after(refs, new.version),
        "list_newer": newer, "list_older": older, "list_query": filter_query(request.args),
        "feed": f"/-/stet/article/{article.id}.atom",
    }
    html = await datasette.render_template("stet/diff.html", context, request=request)
    return Response.html(html)


async def compare_redirect(datasette: Any, request: Request) -> Response:
    """The compare form without JavaScript: ?old=1&new=3 -> /-/stet/diff/ID/1/3."""
    article_id = int(request.url_vars["article_id"])
    old, new = _int(request.args.get("old"), 0), _int(request.args.get("new"), 0)
    if not old or not new:
        raise NotFound("Choose two versions to compare")
    suffix = "?view=side" if request.args.get("view") == "side" else ""
    return Response.redirect(datasette.urls.path(f"/-/stet/diff/{article_id}/{old}/{new}")
                             + suffix)


async def card_image(datasette: Any, request: Request) -> Response:
    """The edit as a shareable PNG (the same image as `stet card`)."""
    from scraper.review.card import render_card  # Pillow is loaded only when asked for

    db = await archive_database(datasette)
    article = await _article(db, int(request.url_vars["article_id"]))
    numbers = [int(request.url_vars[k]) for k in ("old", "new")]
    found = await _browse(db, lambda d: browse.versions_numbered(d, article.id, numbers))
    if any(n not in found for n in numbers):
        raise NotFound(f"Article {article.id} has no such versions")
    image = render_card(article.url, found[numbers[0]], found[numbers[1]])
    return Response(image, content_type="image/png")


async def stylesheet() -> Response:
    return Response(STYLESHEET.read_text(encoding="utf-8"), content_type="text/css; charset=utf-8")


async def script(request: Request) -> Response:
    """Datasette's inline scripts, as files (the Content-Security-Policy allows no inline)."""
    path = STATIC / f"{request.url_vars['name']}.js"
    return Response(path.read_text(encoding="utf-8"),
                    content_type="text/javascript; charset=utf-8")


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


async def _browse(db: Any, question: Callable[[Database], T]) -> T:
    """Ask one of ``store.browse``'s questions through the read-only connection."""
    return cast(T, await db.execute_fn(lambda conn: question(Database(conn))))


async def _list_neighbours(db: Any, listed: browse.EditFilter,
                           new: Version) -> tuple[browse.Edit | None, browse.Edit | None]:
    """The edits just newer and just older than this one in the list it was opened from."""
    cursor = f"{new.fetched_at}~{new.id}"
    newer = await _browse(db, lambda d: browse.list_edits(d, listed, after=cursor, limit=1))
    older = await _browse(db, lambda d: browse.list_edits(d, listed, before=cursor, limit=1))
    return (newer.edits[0] if newer.edits else None), (older.edits[0] if older.edits else None)


def _edit_before(refs: list[browse.VersionRef], number: int) -> browse.VersionRef | None:
    return next((r for r in reversed(refs) if r.version < number and r.diff_from), None)


def _edit_after(refs: list[browse.VersionRef], number: int) -> browse.VersionRef | None:
    return next((r for r in refs if r.version > number and r.diff_from), None)


def _descriptions(datasette: Any) -> dict[str, str]:
    return dict((datasette.plugin_config(PLUGIN_NAME) or {}).get("labels", {}))


def _base(number: int, diff_from: int | None) -> int:
    """The version a version is shown against: the text it replaced, else the one before."""
    return diff_from if diff_from is not None else max(number - 1, 1)


def _entry(version: Version, texts: dict[int, Version]) -> Entry:
    """The diff against the text this version replaced; the first shows its whole text."""
    previous = texts.get(_base(version.version, version.diff_from))
    if previous is None or previous.version == version.version:
        whole = diff_versions(version.text(), version.text())
        return Entry(version, None, Markup(render_html(whole)))
    diff = diff_versions(previous.text(), version.text())
    return Entry(version, previous.version, Markup(render_html_compact(diff)))


def _moments(entries: list[Entry], events: list[Event]) -> list[Moment]:
    moments = [Moment(e.version.fetched_at, entry=e) for e in entries]
    moments += [Moment(e.at, event=e) for e in events]
    return sorted(moments, key=lambda m: (m.at, m.entry is not None), reverse=True)


def _int(value: str | None, default: int) -> int:
    return int(value) if value and value.isdigit() else default


def _safe_url(url: str | None) -> str:
    """The article URL as a link target only when it is http(s), never javascript:."""
    return url if url and url.lower().startswith(("http://", "https://")) else ""
