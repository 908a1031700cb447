"""Datasette plugin: word diffs in the revisions view and Stet's review pages.

Loaded through the `datasette` entry point (pyproject) or registered by
scraper.review.serve.  Every text from the archive is escaped: render_html
escapes it, and the templates run with Jinja's autoescape.
"""

from __future__ import annotations

import json
import re
from base64 import b64encode
from collections.abc import Callable
from hashlib import sha256
from pathlib import Path
from typing import Any, TypeVar, cast

import datasette.handle_exception
from datasette import hookimpl
from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    DictLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
)
from markupsafe import Markup
from sqlite_utils import Database

from scraper.diff import diff_versions
from scraper.diff.views import render_html_compact
from scraper.model import Text
from scraper.review import feeds, front, pages, search_page
from scraper.store import browse

TEMPLATES = Path(__file__).with_name("templates")
TEMPLATE_PREFIX = "stet"  # templates are named "stet/article.html" and so on
REVISIONS_VIEW = "revisions"
# In the revisions view, each of these cells is diffed against its neighbour.
DIFF_COLUMNS = {"headline": "previous_headline", "body": "previous_body"}
# Canned queries give each row a link to its review page in this column.
LINK_COLUMN = "review_page"
# Scripts and styles from this server only; inline styles (Datasette's templates use a
# few style attributes) but no inline script, no plugins, no framing.
# Datasette's table page has one inline script, with one of two values: allowed by hash.
ALLOWED_INLINE = [f"DATASETTE_ALLOW_FACET = {value};" for value in ("true", "false")]
CSP = ("default-src 'self'; script-src 'self' "
       + " ".join(f"'sha256-{b64encode(sha256(s.encode()).digest()).decode()}'"
                  for s in ALLOWED_INLINE)
       + "; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
REVISIONS_PATH = re.compile(rf"^/[^/]+/{REVISIONS_VIEW}(\.json)?$")
# Datasette's other inline scripts, replaced by the same code served as files.
SCRIPT_TEMPLATES = {
    "_close_open_menus.html": "/-/stet/menus.js",
    "_codemirror_foot.html": "/-/stet/codemirror-foot.js",
}

F = TypeVar("F", bound=Callable[..., Any])

# Datasette 0.65 prints every error page's exception with rich when rich is importable,
# and rich refuses to print outside an ``except`` block, so each 404 became a 500.
# Stet's own tools bring rich in; Datasette's plain error pages are kept.
datasette.handle_exception.rich = None


def _hook(function: F) -> F:
    """datasette.hookimpl, typed for mypy --strict (datasette ships no type hints)."""
    return cast(F, hookimpl(function))


@_hook
def prepare_jinja2_environment(env: Environment) -> None:
    """Add our templates under "stet/" (an entry-point module has no templates dir), and
    replace Datasette's one inline script with a file, for the Content-Security-Policy."""
    loader: BaseLoader | None = env.loader
    ours = PrefixLoader({TEMPLATE_PREFIX: FileSystemLoader(str(TEMPLATES))})
    menus = DictLoader({name: f'<script src="{{{{ urls.path("{path}") }}}}"></script>'
                        for name, path in SCRIPT_TEMPLATES.items()})
    env.loader = ChoiceLoader([menus, loader, ours] if loader is not None else [menus, ours])


@_hook
def register_routes() -> list[tuple[str, Callable[..., Any]]]:
    diff = r"(?P<article_id>[0-9]+)/(?P<old>[0-9]+)/(?P<new>[0-9]+)"
    return [
        (r"^/$", front.front_page),
        (r"^/-/stet/article/(?P<article_id>[0-9]+)$", pages.article_page),
        (r"^/-/stet/article/(?P<article_id>[0-9]+)\.atom$", feeds.article_feed),
        (rf"^/-/stet/diff/{diff}$", pages.diff_page),
        (r"^/-/stet/diff/(?P<article_id>[0-9]+)$", pages.compare_redirect),
        (rf"^/-/stet/card/{diff}\.png$", pages.card_image),
        (r"^/-/stet/search$", search_page.search_page),
        (r"^/-/stet/changes\.atom$", feeds.changes_feed),
        (r"^/-/stet/review\.css$", pages.stylesheet),
        (r"^/-/stet/(?P<name>menus|codemirror-foot)\.js$", pages.script),
    ]


@_hook
def asgi_wrapper() -> Callable[[Any], Any]:
    """Every response carries Stet's Content-Security-Policy: scripts only from files of
    this server, never inline, so injected markup cannot run (issue 11)."""

    def wrap(app: Any) -> Any:
        async def with_policy(scope: Any, receive: Any, send: Any) -> None:
            async def send_with_policy(event: Any) -> None:
                if event["type"] == "http.response.start":
                    headers = [h for h in event.get("headers", [])
                               if h[0].lower() != b"content-security-policy"]
                    event = {**event, "headers": [*headers, (b"content-security-policy",
                                                             CSP.encode())]}
                await send(event)

            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            await app(_uncounted(scope), receive, send_with_policy)

        return with_policy

    return wrap


@_hook
def extra_css_urls(datasette: Any) -> list[str]:
    return [datasette.urls.path("/-/stet/review.css")]


@_hook
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str,
                datasette: Any) -> Any:
    """Diff cells in the revisions view, review links in canned queries, label badges, and
    in the articles table a timeline link and the current headline; else None."""
    if table == "articles" and column == "current_version" and isinstance(value, int):
        return _current_headline(datasette, database, _cell(row, "id"), value)
    return _render_cell(row, value, column, table, datasette)


async def _current_headline(datasette: Any, database: str, article_id: Any,
                            version: int) -> Markup:
    db = datasette.get_database(database)
    text = await db.execute_fn(lambda conn: browse.headline(Database(conn), article_id, version))
    link = datasette.urls.path(f"/-/stet/article/{article_id}#v{version}")
    return Markup('<a href="{}">{}</a>: {}').format(link, version, text)


def _render_cell(row: Any, value: Any, column: str, table: str | None,
                 datasette: Any) -> Markup | None:
    if column == LINK_COLUMN and isinstance(value, str) and value.startswith("/-/stet/"):
        return Markup('<a href="{}">review</a>').format(datasette.urls.path(value))
    if column == "labels" and isinstance(value, str):
        return _badges(value)
    if table == "articles" and column == "url" and isinstance(value, str):
        timeline = datasette.urls.path(f"/-/stet/article/{_cell(row, 'id')}")
        return Markup('{} <a class="stet-timeline-link" href="{}">timeline</a>').format(
            value, timeline)
    if table != REVISIONS_VIEW or column not in DIFF_COLUMNS or not isinstance(value, str):
        return None
    previous = _cell(row, DIFF_COLUMNS[column])
    if not isinstance(previous, str):
        return None  # a first version, or the previous column was hidden with _col
    if column == "headline":
        diff = diff_versions(Text(previous, "", ""), Text(value, "", ""))
    else:
        diff = diff_versions(Text("", "", previous), Text("", "", value))
    return Markup('<div class="stet-cell">{}</div>').format(Markup(render_html_compact(diff)))


def _uncounted(scope: Any) -> Any:
    """The revisions view without its row count and facet suggestions: counting a million
    versions joined to their articles takes longer than Datasette's time limit, which then
    refuses the whole page (issue 11)."""
    if not REVISIONS_PATH.match(scope.get("path", "")):
        return scope
    query = scope.get("query_string", b"")
    if b"_nocount=" in query:
        return scope
    extra = b"_nocount=1&_nosuggest=1"
    return {**scope, "query_string": query + b"&" + extra if query else extra}


def _badges(value: str) -> Markup | None:
    """A JSON array of labels as badges; None (Datasette's own rendering) for anything else."""
    try:
        labels = json.loads(value)
    except ValueError:
        return None
    if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
        return None
    return Markup("").join(Markup('<span class="stet-badge stet-label-{}">{}</span>').format(
        label, label) for label in labels)


def _cell(row: Any, column: str) -> Any:
    """A column of a sqlite3.Row (or dict), None when the query did not select it."""
    try:
        return row[column] if column in row.keys() else None
    except (AttributeError, TypeError):
        return None
