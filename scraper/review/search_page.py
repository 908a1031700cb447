"""Search over every version's headline, byline and body (``/-/stet/search?q=``).

Each result is an article: a snippet of its newest matching text, the version where
the words first appeared and, when a later text lost them, the edit that removed them.
"""

from __future__ import annotations

from typing import Any

from datasette.utils.asgi import Request, Response
from markupsafe import Markup, escape

from scraper.review.pages import _browse, _int, archive_database
from scraper.store import browse

PER_PAGE = 20


async def search_page(datasette: Any, request: Request) -> Response:
    db = await archive_database(datasette)
    text = request.args.get("q", "").strip()
    page = max(_int(request.args.get("page"), 1), 1)
    found = await _browse(db, lambda d: browse.search(d, text, page=page, per_page=PER_PAGE))
    context = {"database": db.name, "q": text, "page": page, "more": found.more,
               "hits": [(hit, snippet_html(hit.snippet)) for hit in found.hits],
               "feed": "/-/stet/changes.atom"}
    html = await datasette.render_template("stet/search.html", context, request=request)
    return Response.html(html)


def snippet_html(snippet: str) -> Markup:
    """The snippet escaped, with the matched words in <mark>."""
    escaped = str(escape(snippet))
    return Markup(escaped.replace(browse.SNIPPET_OPEN, "<mark>")
                  .replace(browse.SNIPPET_CLOSE, "</mark>"))
