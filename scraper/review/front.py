"""The front page (``/``): the edits, grouped by day, newest first, with filters and paging.

Paging walks a cursor (the last edit's time and id) rather than an offset, so the
thousandth page costs what the first does and no row cap is needed (issue 11).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Any
from urllib.parse import urlencode

from datasette.utils.asgi import Request, Response

from scraper.review.filters import edit_filter, filter_args, filter_query
from scraper.review.pages import PLUGIN_NAME, _browse, archive_database
from scraper.store import browse
from scraper.timeutil import parse_iso

PER_PAGE = 50
WHEN_CHOICES = (("", "any time"), ("today", "today"), ("week", "this week"))


@dataclass(frozen=True)
class Day:
    title: str
    edits: tuple[browse.Edit, ...]


async def front_page(datasette: Any, request: Request) -> Response:
    db = await archive_database(datasette)
    where = edit_filter(request.args)
    before = request.args.get("before", "")
    found = await _browse(db, lambda d: browse.list_edits(d, where, before=before,
                                                          limit=PER_PAGE))
    source_names = await _browse(db, browse.sources)
    args = filter_args(request.args)
    config = datasette.plugin_config(PLUGIN_NAME) or {}
    context = {
        "database": db.name, "days": _days(found.edits), "args": args,
        "query": filter_query(request.args), "sources": source_names,
        "labels": sorted(config.get("labels", {})), "label_descriptions": config.get("labels", {}),
        "when_choices": WHEN_CHOICES, "paged": bool(before),
        "older": f"?{urlencode({**args, 'before': found.older})}" if found.older else "",
        "feed": "/-/stet/changes.atom" + filter_query({k: v for k, v in args.items()
                                                       if k not in ("when", "date")}),
    }
    html = await datasette.render_template("stet/home.html", context, request=request)
    return Response.html(html)


def _days(edits: tuple[browse.Edit, ...]) -> list[Day]:
    return [Day(_day_title(day), tuple(group))
            for day, group in groupby(edits, key=lambda e: e.fetched_at[:10])]


def _day_title(day: str) -> str:
    try:
        moment: datetime = parse_iso(day + "T00:00:00Z")
    except ValueError:
        return day
    return moment.strftime("%A %-d %B %Y")
