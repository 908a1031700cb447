"""Atom feeds of edits: all, per source (?source=), per label (?label=) and per article.

Each entry's content is the edit's word diff as escaped HTML (``type="html"``), so a
feed reader shows what changed without opening Stet.  ElementTree writes the XML and
escapes every text; characters XML 1.0 forbids are dropped from scraped text first.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from datasette.utils.asgi import Request, Response
from sqlite_utils import Database

from scraper.diff import diff_versions
from scraper.diff.views import render_html_compact
from scraper.model import Version
from scraper.review.filters import edit_filter, filter_query
from scraper.review.pages import _article, _browse, archive_database
from scraper.store import browse

ATOM = "http://www.w3.org/2005/Atom"
ENTRIES = 30
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
ET.register_namespace("", ATOM)


async def changes_feed(datasette: Any, request: Request) -> Response:
    db = await archive_database(datasette)
    where = edit_filter(request.args)
    title = "Stet: edits" + "".join(f", {k} {v}" for k, v in
                                    (("source", where.source), ("label", where.label)) if v)
    path = "/-/stet/changes.atom" + filter_query(request.args)
    return await _feed(datasette, request, db, where, title, path)


async def article_feed(datasette: Any, request: Request) -> Response:
    db = await archive_database(datasette)
    article = await _article(db, int(request.url_vars["article_id"]))
    where = browse.EditFilter(article_id=article.id)
    path = f"/-/stet/article/{article.id}.atom"
    return await _feed(datasette, request, db, where, f"Stet: edits of {article.url}", path)


async def _feed(datasette: Any, request: Request, db: Any, where: browse.EditFilter,
                title: str, path: str) -> Response:
    found = await _browse(db, lambda d: browse.list_edits(d, where, limit=ENTRIES))
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "title", title)
    _text(feed, "id", datasette.absolute_url(request, datasette.urls.path(path)))
    newest = found.edits[0].fetched_at if found.edits else "1970-01-01T00:00:00Z"
    _text(feed, "updated", newest)
    _link(feed, datasette.absolute_url(request, datasette.urls.path(path)), "self")
    _link(feed, datasette.absolute_url(request, datasette.urls.path("/")), "alternate")
    _text(ET.SubElement(feed, f"{{{ATOM}}}author"), "name", "Stet")
    for edit in found.edits:
        pair = await _browse(db, _pair_of(edit))
        _entry(feed, edit, pair, datasette.absolute_url(request, datasette.urls.path(
            f"/-/stet/diff/{edit.article_id}/{edit.diff_from}/{edit.version}")))
    body = ET.tostring(feed, encoding="unicode", xml_declaration=True)
    return Response(body, content_type="application/atom+xml; charset=utf-8")


def _pair_of(edit: browse.Edit) -> Callable[[Database], dict[int, Version]]:
    return lambda db: browse.versions_numbered(db, edit.article_id, [edit.diff_from, edit.version])


def _entry(feed: ET.Element, edit: browse.Edit, pair: dict[int, Version], url: str) -> None:
    entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
    _text(entry, "title", f"{edit.headline or edit.url} (version {edit.version})")
    _text(entry, "id", url)
    _text(entry, "updated", edit.fetched_at)
    _link(entry, url, "alternate")
    for label in edit.labels:
        ET.SubElement(entry, f"{{{ATOM}}}category", term=_clean(label))
    summary = f"{edit.source}: +{edit.words_added} / -{edit.words_removed} words"
    _text(entry, "summary", summary)
    old, new = pair.get(edit.diff_from), pair.get(edit.version)
    if old is not None and new is not None:
        content = ET.SubElement(entry, f"{{{ATOM}}}content", type="html")
        content.text = _clean(render_html_compact(diff_versions(old.text(), new.text())))


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = _clean(text)


def _link(parent: ET.Element, href: str, rel: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}link", rel=rel, href=_clean(href))


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)
