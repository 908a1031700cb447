"""Real pages from ``../shared/datasets`` made into a changing news site, for change benchmarks.

Each page is a ``support.realdoc.Doc`` (its real HTML as tokens and a light tree, with
its ground-truth story text). On it:

- ``support.realedits.EDITS``: real edits made to the ground-truth text inside the HTML, as a newsroom
  makes them (a typo fixed, a number changed, a sentence added, a paragraph removed, the
  headline reworded in ``<title>``/``og:title``/``<h1>``, a correction appended). Each
  returns the new HTML and the labels its version must carry, or None when the page has
  no material for it.
- ``support.realnoise.NOISE``: changes that leave the article's text as it is (link lists and teasers
  rotated, dates/times/counters outside the story changed, attributes reordered, script
  and style contents and CSS class hashes changed, comments added, white space moved,
  a paragraph split by ``<br><br>`` with the same words). ``add_noise`` applies them all
  at once, each kind with its own seeded random generator, so that a kind's share of a
  false version can be found by replaying one kind at a time.

``load_pages`` reads the data sets; ``ProxySite`` serves every page at its own real URL
(over http) through a local HTTP proxy, so that each real host is one source with a home
page, a feed, robots.txt and a sitemap listing its articles, and no request can leave
the machine (``proxy_env``).
"""

import gzip
import html
import json
import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from xml.sax.saxutils import escape as xml_escape

from scraper.store.normalize import normalize_text
from scraper.urls import canonicalize_url
from support.realdoc import Doc, headline_of, parse

DATASETS = Path(__file__).resolve().parents[3] / "shared" / "datasets"
SETS = ("article-extraction", "wcxb-dev")  # never the WCXB test split (held out)



@dataclass
class RealPage:
    """One data-set page: where it lives, its truth, and its current (edited) HTML."""

    key: str  # set/id
    url: str  # the page's real URL, served over http
    story: str
    headline: str
    doc: Doc
    aliases: tuple[str, ...] = ()  # other URLs it is served at (its canonical link)

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    @property
    def at_root(self) -> bool:
        """Whether the page is its site's home page ('https://howertonwhite.com/')."""
        parts = urlsplit(self.url)
        return parts.path in ("", "/") and not parts.query


def http_url(url: str) -> str:
    parts = urlsplit(url.strip())
    return canonicalize_url(urlunsplit(("http", parts.netloc.lower(), parts.path or "/",
                                        parts.query, "")))


_CANONICAL = re.compile(r"<link\b[^>]*\brel=[\"']?canonical[\"'\s>][^>]*>", re.IGNORECASE)
_HREF = re.compile(r"\bhref\s*=\s*[\"']?([^\"'\s>]+)", re.IGNORECASE)
_OG_URL = re.compile(r"<meta\b[^>]*\bproperty=[\"']?og:url[\"'\s>][^>]*>", re.IGNORECASE)


def load_pages(sets: Iterable[str], limit: int = 0, root: Path = DATASETS) -> list[RealPage]:
    """The pages of the named sets (the first ``limit`` of each when limit > 0)."""
    pages = []
    for name in sets:
        truth = json.loads((root / name / "ground-truth.json").read_text(encoding="utf-8"))
        ids = sorted(truth)[:limit] if limit > 0 else sorted(truth)
        for page_id in ids:
            pages.append(make_page(f"{name}/{page_id}", truth[page_id],
                                   root / name / "html" / f"{page_id}.html.gz"))
    return pages


def make_page(key: str, truth: dict[str, Any], path: Path) -> RealPage:
    with gzip.open(path, "rt", encoding="utf-8", errors="replace") as handle:
        source = handle.read()
    url = http_url(truth["url"])
    host = urlsplit(truth["url"]).netloc
    source = source.replace(f"https://{host}", f"http://{host}")  # served over http
    aliases = []
    link = _CANONICAL.search(source)
    href = _HREF.search(link.group()) if link else None
    if href and urlsplit(html.unescape(href.group(1))).hostname:
        canonical = html.unescape(href.group(1))
        other = urlsplit(canonical).netloc
        source = source.replace(f"https://{other}", f"http://{other}")
        if href.group(1) != canonical:  # written with entities ('https&#x3a;&#x2f;&#x2f;...')
            source = source.replace(href.group(1), canonical.replace("https://", "http://", 1))
        if http_url(canonical) != url:
            aliases.append(http_url(canonical))
    story = normalize_text(" ".join(truth["articleBody"].split("\n")))
    doc = parse(source, story)
    headline = truth.get("headline") or headline_of(doc)
    return RealPage(key, url, story, headline, doc, tuple(aliases))


# -- serving -----------------------------------------------------------------------------


class ProxySite:
    """Every page at its real URL (http), behind a local proxy; hosts get index pages."""

    def __init__(self) -> None:
        self.pages: dict[str, bytes] = {}
        self.lock = threading.Lock()
        self.hits = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _proxy_handler(self))
        self.server.daemon_threads = True
        self.proxy = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def publish(self, pages: dict[str, bytes]) -> None:
        with self.lock:
            self.pages = pages

    def find(self, url: str) -> bytes | None:
        with self.lock:
            self.hits += 1
            return self.pages.get(canonicalize_url(url))

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _proxy_handler(site: ProxySite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            body = site.find(self.path) if self.path.startswith("http://") else None
            kind = "text/html; charset=utf-8"
            if self.path.endswith((".xml", "robots.txt")):
                kind = ("text/plain; charset=utf-8" if self.path.endswith(".txt")
                        else "application/xml; charset=utf-8")
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def do_CONNECT(self) -> None:  # noqa: N802 (no https: nothing may leave the machine)
            self.send_response(403)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    return Handler


def proxy_env(environ: dict[str, str], proxy: str) -> dict[str, str]:
    """The environment for a crawl whose every request goes to the local proxy."""
    env = {k: v for k, v in environ.items() if k.lower() not in ("no_proxy", "all_proxy")}
    env.update(http_proxy=proxy, https_proxy=proxy, HTTP_PROXY=proxy, HTTPS_PROXY=proxy)
    return env


def host_pages(host: str, articles: list[tuple[str, str]]) -> dict[str, bytes]:
    """Home page, RSS feed, robots.txt and sitemap of one host listing (url, headline)."""
    base = f"http://{host}"
    links = "".join(f'<li><a href="{html.escape(u)}">{html.escape(h or "Story")}</a></li>'
                    for u, h in articles)
    home = (f'<!doctype html><html><head><title>{host}</title><link rel="alternate" '
            f'type="application/rss+xml" href="{base}/feed.xml"></head><body><h1>{host}</h1>'
            f"<ul>{links}</ul></body></html>")
    items = "".join(f"<item><title>{xml_escape(h or 'Story')}</title><link>{xml_escape(u)}"
                    f"</link></item>" for u, h in articles)
    feed = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{host}'
            f"</title><link>{base}/</link>{items}</channel></rss>")
    urls = "".join(f"<url><loc>{xml_escape(u)}</loc></url>" for u, _ in articles)
    sitemap = ('<?xml version="1.0" encoding="utf-8"?><urlset xmlns="http://www.sitemaps.org/'
               f'schemas/sitemap/0.9">{urls}</urlset>')
    robots = f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n"
    return {canonicalize_url(f"{base}/"): home.encode(),
            canonicalize_url(f"{base}/feed.xml"): feed.encode(),
            canonicalize_url(f"{base}/sitemap.xml"): sitemap.encode(),
            canonicalize_url(f"{base}/robots.txt"): robots.encode()}


# -- one template, several articles ------------------------------------------------------


def with_siblings(pages: list[RealPage], count: int, pool: list[list[str]],
                  only: set[str] | None = None) -> list[RealPage]:
    """Each page followed by count - 1 articles of its template: its ground-truth
    paragraphs swapped for another real story's (``support.realsite.restory``) and its
    headline for that story's opening words, served on the same host, so that a site has
    several articles to learn from. Pages whose story cannot be swapped whole (a sibling
    would still show some of it) stay alone. ``only``: the keys of the pages to keep (each
    with the same siblings as in the whole list)."""
    from support.realsite import real_page as template_page
    from support.realsite import restory

    found = []
    for index, page in enumerate(pages):
        if only is not None and page.key not in only:
            continue
        found.append(page)
        dataset, key = page.key.split("/", 1)
        template = template_page(dataset, key)
        marked = restory(template, [f"zqxmarker {n}" for n in range(len(template.paragraphs()))])
        if marked.count(b"zqxmarker") != len(template.paragraphs()) or not page.headline \
                or _shown_twice(template.html, template.paragraphs()):
            continue
        siblings = []
        for number in range(1, count):
            story = pool[(index * count + number) % len(pool)]
            html_bytes = _scrub(restory(template, story), template.paragraphs(), story)
            siblings.append(_sibling(page, template.url, html_bytes, story, number))
        if not any(_leftover(template.paragraphs(), pool[(index * count + n) % len(pool)],
                             s.doc.html) for n, s in enumerate(siblings, 1)):
            found.extend(siblings)
    return found


_BLOCKS = ("p", "div", "li", "td", "tr", "th", "dd", "dt", "h1", "h2", "h3", "h4", "h5",
           "h6", "blockquote", "figcaption", "span", "section", "a", "strong", "em", "b")
SHINGLE = 6  # words in a run of story text
LEFTOVER_RUNS = 5  # runs of the template's own story a sibling may show: 10 words in a row


def _runs(text: str) -> set[str]:
    """The text's runs of SHINGLE words (its whole words when shorter, 3 at least)."""
    from support.realsite import words

    tokens = words(text).split()
    if len(tokens) < SHINGLE:
        return {" ".join(tokens)} if len(tokens) >= 3 else set()
    return {" ".join(tokens[i:i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)}


def _old_runs(old: list[str], new: list[str]) -> set[str]:
    return set().union(*map(_runs, old)) - set().union(*map(_runs, new))


def _scrub(html_bytes: bytes, old: list[str], new: list[str]) -> bytes:
    """The sibling without what is left of its template's own story: ground-truth text
    that ``restory`` found no single element for (a numbered list item, a table row, a
    ground-truth line the page splits over several <p>s). Another article of a real site
    never shows this story's text."""
    import lxml.html

    gone, kept = _old_runs(old, new), set().union(*map(_runs, new))
    root = lxml.html.document_fromstring(html_bytes)
    for element in reversed(list(root.iter(*_BLOCKS))):  # innermost first
        if element.getparent() is None:
            continue
        shown = _runs(element.text_content())
        if shown and len(shown & gone) >= 0.6 * len(shown) and not shown & kept:
            element.drop_tree()  # mostly the old story, none of the new one
    return lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>").encode()


def _leftover(old: list[str], new: list[str], source: str) -> set[str]:
    """The runs of the template's own story a sibling still shows, when there are enough
    of them: a sibling sharing them would teach site learning that this story is the
    site's furniture."""
    import lxml.html

    root = lxml.html.document_fromstring(source)
    for element in list(root.iter("script", "style", "noscript", "template", "head")):
        element.drop_tree()
    shown = _runs(root.text_content()) & _old_runs(old, new)
    return shown if len(shown) >= LEFTOVER_RUNS else set()


def _shown_twice(html_bytes: bytes, story: list[str]) -> bool:
    """Whether the page shows a line of its story in more elements than the story has it
    (a table of contents, a summary box): ``restory`` fills the elements in page order, so
    the new story could land in a sidebar while the story's own place is emptied."""
    import lxml.html

    from scraper.clean.encoding import decode_html
    from support.realsite import words

    wanted = Counter(words(p) for p in story)
    root = lxml.html.document_fromstring(decode_html(html_bytes))
    matched = [el for el in root.iter("p", "div", "li", "td", "h2", "h3")
               if words(el.text_content()) in wanted]
    holders = {id(parent) for el in matched for parent in el.iterancestors()}
    shown = Counter(words(el.text_content()) for el in matched if id(el) not in holders)
    return any(count > wanted[text] for text, count in shown.items())


def _sibling(page: RealPage, real_url: str, html_bytes: bytes, story: list[str],
             number: int) -> RealPage:
    parts = urlsplit(page.url)
    stem, dot, extension = parts.path.rstrip("/").rpartition(".")
    path = (f"{stem}-more-{number}.{extension}" if dot and "/" not in extension
            else f"{parts.path.rstrip('/')}-more-{number}")
    url = urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))
    headline = " ".join(story[0].split()[:9]).rstrip(".,;:")
    source = _retitle(html_bytes, headline).replace(page.headline, headline)
    for old in {real_url, http_url(real_url), page.url, *page.aliases}:
        source = source.replace(old, url)
    source = _OG_URL.sub("", _CANONICAL.sub("", source))  # it is its own page, not the template's
    host = urlsplit(real_url).netloc
    source = source.replace(f"https://{host}", f"http://{host}")
    text = normalize_text(" ".join(story))
    return RealPage(f"{page.key}~{number}", url, text, headline, parse(source, text))


def _retitle(html_bytes: bytes, headline: str) -> str:
    """The page with its own headline in <title>, every <h1>, og:title and twitter:title."""
    import lxml.html

    root = lxml.html.document_fromstring(html_bytes)
    for element in root.iter("title", "h1"):
        for child in list(element):
            element.remove(child)
        element.text = headline
    for meta in root.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").lower() in ("og:title",
                                                                          "twitter:title"):
            meta.set("content", headline)
    return str(lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>"))
