"""Pure discovery: feeds, sitemaps, robots.txt and home pages -> article URLs.

No network, no exceptions on bad input (garbage gives an empty result). URLs come back
absolute, canonical, unique, in document order. The rules are data at the top.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from scraper.crawl.xmlutil import GZIP_MAGIC, children, gunzip, local_name, text_of, xml_root
from scraper.urls import (
    SLUG_WORD,
    absolute_url,
    looks_like_article_url,
    same_site,
)

HEADLINE_MIN_WORDS = 5  # a link with this many words of text is a story's teaser
TEASER_MIN_WORDS = 3  # ... or this many, as a heading or inside an <article> (a teaser card)
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Path segments of menu links that lead to no list of stories.
SERVICE_SEGMENTS = frozenset(
    "about about-us contact contact-us privacy privacy-policy terms terms-of-use impressum"
    " imprint search login logout signin sign-in register signup subscribe subscription"
    " subscriptions newsletter newsletters account feed feeds rss atom wp-admin wp-login.php"
    " cdn-cgi cart shop jobs careers advertise cookies cookie-policy sitemap profile user users"
    " help faq donate store events weather tv radio live-tv podcast podcasts author authors"
    " video videos gallery galleries".split())
MENU_MARKS = ("nav", "menu")  # class or id words of a site's menu
# Where sitemaps usually are when robots.txt names none (WordPress plugins, most CMSs).
USUAL_SITEMAPS = ("/sitemap.xml", "/sitemap_index.xml")
# Words in a sitemap's file name that say it lists stories (Yoast post-sitemap.xml, Ghost
# sitemap-posts.xml, news-sitemap.xml), and words that say it lists something else.
STORY_SITEMAP_WORDS = frozenset("post posts article articles news story stories blog".split())
OTHER_SITEMAP_WORDS = frozenset(
    "page pages product products category categories tag tags author authors user users"
    " video videos image images taxonomy taxonomies event events".split())

# schema.org types (JSON-LD @type) of story pages, and of pages that are not stories.
ARTICLE_TYPES = frozenset({
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "reviewnewsarticle", "backgroundnewsarticle", "askpublicnewsarticle", "satiricalarticle",
    "blogposting", "liveblogposting", "report", "techarticle", "scholarlyarticle"})
# Not "WebSite" alone: many sites put it on every page. It counts with og:type website.
NON_ARTICLE_TYPES = frozenset({"collectionpage", "profilepage", "aboutpage", "contactpage",
                               "searchresultspage", "checkoutpage"})
OG_ARTICLE = frozenset({"article", "news", "blog", "article:news"})
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml",
                        "application/feed+xml", "text/xml", "application/xml"})
PLAIN_URL = re.compile(r"https?://\S+$", re.IGNORECASE)

@dataclass(frozen=True)
class Sitemap:
    """What one sitemap lists: page URLs (urlset) and further sitemaps (sitemapindex)."""
    urls: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()


@dataclass(frozen=True)
class PageKind:
    """Whether a page calls itself a story, and which markup said so ("" when silent)."""
    is_article: bool | None
    evidence: str = ""


def _unique(urls: list[str]) -> list[str]:
    return list(dict.fromkeys(filter(None, urls)))


def sniff_document(body: bytes, content_type: str, url: str) -> str:
    """What a discovery response is: "robots", "feed", "sitemap", "html" or ""."""
    content_type = content_type.split(";")[0].strip().lower()
    if urlsplit(url).path.lower().endswith("/robots.txt"):
        return "robots"
    if body.startswith(GZIP_MAGIC):  # sitemap.xml.gz, or a gzipped plain-text sitemap
        return "sitemap"
    root = xml_root(body) if "html" not in content_type else None
    root_name = local_name(root) if root is not None else ""
    if root_name in ("rss", "feed", "rdf", "urlset", "sitemapindex"):
        return "feed" if root_name in ("rss", "feed", "rdf") else "sitemap"
    head = body[:2048].lstrip().lower()
    if "html" in content_type or head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if content_type in ("text/plain", "") and parse_sitemap(body, url).urls:
        return "sitemap"
    return ""


def parse_feed(body: bytes, base_url: str) -> list[str]:
    """Entry links of an RSS 2.0, RSS 1.0 (RDF) or Atom feed; [] for anything else."""
    root = xml_root(gunzip(body))
    if root is None:
        return []
    base = root.get("{http://www.w3.org/XML/1998/namespace}base") or base_url
    links = [entry_link(entry, base) for entry in root.iter()
             if local_name(entry) in ("item", "entry")]
    return _unique(links)


def entry_link(entry: Any, base_url: str) -> str:
    base = absolute_url(entry.get("{http://www.w3.org/XML/1998/namespace}base") or "",
                        base_url) or base_url  # not urljoin: it raises on "http://["
    for link in children(entry, "link"):
        rel = link.get("rel", "alternate")
        href = link.get("href") or text_of(link)  # Atom puts it in href, RSS in the text
        if rel == "alternate" and href:
            return absolute_url(href, base)
    for guid in children(entry, "guid"):  # RSS 2.0: a guid is a permalink unless it says not
        if guid.get("isPermaLink", "true").lower() != "false":
            return absolute_url(text_of(guid), base)
    about = entry.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
    return absolute_url(about, base) if about else ""


def parse_sitemap(body: bytes, base_url: str) -> Sitemap:
    """The URLs and child sitemaps of an XML sitemap (urlset, sitemapindex, Google News),
    gzip-compressed or not, or of a plain-text sitemap (one URL a line)."""
    body = gunzip(body)
    if not body.lstrip().startswith(b"<"):
        lines = body.decode("utf-8", errors="replace").split()
        return Sitemap(urls=tuple(_unique([absolute_url(line, base_url) for line in lines
                                           if PLAIN_URL.match(line)])))
    root = xml_root(body)
    if root is None:
        return Sitemap()
    kind = local_name(root)
    locs = [absolute_url(text_of(loc), base_url) for entry in root
            if local_name(entry) in ("url", "sitemap") for loc in children(entry, "loc")]
    if kind == "sitemapindex":
        return Sitemap(sitemaps=tuple(_unique(locs)))
    return Sitemap(urls=tuple(_unique(locs))) if kind == "urlset" else Sitemap()


def parse_robots_sitemaps(text: str, base_url: str = "") -> list[str]:
    """The URLs of a robots.txt's ``Sitemap:`` lines, in order (base_url: the robots.txt)."""
    urls = []
    for line in text.splitlines():
        key, colon, value = line.partition(":")
        if colon and key.strip().lower() == "sitemap":
            urls.append(absolute_url(value.split("#")[0].strip(), base_url))
    return _unique(urls)


def lists_stories(sitemap_url: str) -> bool:
    """Whether a sitemap's own name says it lists stories, so that its URLs need no story
    shape: post-sitemap.xml, sitemap-posts.xml, wp-sitemap-posts-post-1.xml (WordPress
    names each post type's: wp-sitemap-posts-page-1.xml lists pages)."""
    name = urlsplit(sitemap_url).path.lower().rpartition("/")[2]
    words = re.findall(r"[a-z]+", name.partition(".")[0])
    if words[:3] == ["wp", "sitemap", "posts"]:
        return words[3:4] == ["post"]
    return (bool(STORY_SITEMAP_WORDS.intersection(words))
            and not OTHER_SITEMAP_WORDS.intersection(words))


def guess_sitemaps(url: str) -> list[str]:
    """The usual sitemap URLs of url's host, to try when its robots.txt names none."""
    parts = urlsplit(url)
    return [f"{parts.scheme}://{parts.netloc}{path}" for path in USUAL_SITEMAPS]


def parse_html(html: bytes | str) -> Any:
    """The parsed page (an lxml root), or None: pass it to several readers of one page so
    the page is parsed once (issue 10)."""
    return _html_root(html)


def _html_root(html: bytes | str | Any) -> Any:
    """The parsed page, or None when there is nothing to parse; a parsed root as it is."""
    if not isinstance(html, (bytes, str)):
        return html
    if not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def _page_base(root: Any, url: str) -> str:
    """The page URL, or its <base href> resolved against it."""
    hrefs = root.xpath("//base/@href")
    return absolute_url(str(hrefs[0]), url) or url if hrefs else url


def _rels(element: Any) -> set[str]:
    return set((element.get("rel") or "").lower().split())


def find_feeds(html: bytes | str, base_url: str) -> list[str]:
    """Feeds a page announces: <link rel="alternate" type="application/rss+xml|atom+xml">."""
    root = _html_root(html)
    if root is None:
        return []
    base = _page_base(root, base_url)
    feeds = [absolute_url(link.get("href") or "", base) for link in root.iter("link")
             if "alternate" in _rels(link)
             and (link.get("type") or "").strip().lower() in FEED_TYPES]
    return _unique(feeds)


def find_links(html: bytes | str, base_url: str) -> list[str]:
    """The page's <a href> links to the same site, canonical, unique, in page order."""
    root = _html_root(html)
    if root is None:
        return []
    base = _page_base(root, base_url)
    links = [absolute_url(a.get("href") or "", base) for a in root.iter("a")]
    return _unique([link for link in links if link and same_site(link, base_url)])


def headline_links(html: bytes | str, base_url: str) -> list[str]:
    """Same-site links whose text reads like a headline (HEADLINE_MIN_WORDS words or more;
    TEASER_MIN_WORDS in a heading or an <article> card), outside navigation and footers:
    teasers of stories, whatever their URLs look like."""
    root = _html_root(html)
    if root is None:
        return []
    base = _page_base(root, base_url)
    links = []
    for a in root.iter("a"):
        text = " ".join(a.text_content().split()) or a.get("title") or ""
        needed = TEASER_MIN_WORDS if _in_teaser(a) else HEADLINE_MIN_WORDS
        if len(SLUG_WORD.findall(text)) < needed or _in_chrome(a):
            continue
        link = absolute_url(a.get("href") or "", base)
        if link and same_site(link, base_url):
            links.append(link)
    return _unique(links)


def section_links(html: bytes | str, base_url: str) -> list[str]:
    """Same-site links in the page's menus (<nav>, <header>, role=navigation, a class or id
    naming a nav or menu) to pages that may list stories: section fronts, whatever their
    CMS calls them, but not the page itself, files, or service pages (login, search...)."""
    root = _html_root(html)
    if root is None:
        return []
    base, here = _page_base(root, base_url), absolute_url(base_url, base_url)
    links = []
    for a in root.iter("a"):
        link = absolute_url(a.get("href") or "", base)
        if (link and link != here and same_site(link, base_url) and _section_path(link)
                and not looks_like_article_url(link) and _in_menu(a)):
            links.append(link)
    return _unique(links)


def _section_path(url: str) -> bool:
    """One to three path segments, no query, no service segment, a page not a file."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.lower().split("/") if s]
    if parts.query or not 0 < len(segments) <= 3 or SERVICE_SEGMENTS.intersection(segments):
        return False
    extension = segments[-1].rpartition(".")[2] if "." in segments[-1] else ""
    return extension in ("", "html", "htm", "shtml", "php", "asp", "aspx")


def _in_menu(element: Any) -> bool:
    for parent in element.iterancestors():
        words = f"{parent.get('class') or ''} {parent.get('id') or ''}".lower()
        if (parent.tag in ("nav", "header") or parent.get("role") == "navigation"
                or any(mark in words for mark in MENU_MARKS)):
            return True
    return False


def _in_teaser(element: Any) -> bool:
    """A link that is, holds or sits in a heading, or sits in an <article>."""
    if any(child.tag in HEADINGS for child in element.iter()):
        return True
    return any(parent.tag in HEADINGS or parent.tag == "article"
               for parent in element.iterancestors())


def _in_chrome(element: Any) -> bool:
    return any(parent.tag in ("nav", "footer") for parent in element.iterancestors())


def canonical_link(html: bytes | str | Any, url: str) -> str:
    """The page's <link rel="canonical">, canonicalized, when it stays on the same site
    as url over http(s); "" otherwise."""
    root = _html_root(html)
    if root is None:
        return ""
    base = _page_base(root, url)
    for link in root.iter("link"):
        if "canonical" in _rels(link) and link.get("href"):
            target = absolute_url(link.get("href") or "", base)
            return target if target and same_site(target, url) and not _below(target, url) \
                else ""
    return ""


def _below(target: str, url: str) -> bool:
    """Whether target lies under url's own path (/story/ -> /story/Some%20title): a page's
    canonical is never its own child; such a link is a bare title or name resolved
    against the page's address, a markup error, and following it would lose the page."""
    page, path = urlsplit(url).path, urlsplit(target).path
    return page != "/" and page.endswith("/") and path != page and path.startswith(page)


def classify_page(html: bytes | str | Any) -> PageKind:
    """Whether the page's own markup (JSON-LD @type, og:type) calls it a story."""
    root = _html_root(html)
    if root is None:
        return PageKind(None)
    types = [t.lower() for t in _jsonld_types(root)]
    og_type = " ".join(root.xpath("//meta[@property='og:type']/@content")[:1]).strip().lower()
    if found := next((kind for kind in types if kind in ARTICLE_TYPES), ""):
        return PageKind(True, f"JSON-LD {found}")
    if og_type in OG_ARTICLE or og_type.startswith("article"):
        return PageKind(True, f"og:type {og_type}")
    if found := next((kind for kind in types if kind in NON_ARTICLE_TYPES), ""):
        return PageKind(False, f"JSON-LD {found}")
    # og:type website alone is no proof: real articles say it (sputniknews.com, ascom.com),
    # and blogs say it with a JSON-LD WebSite too: a page holding a story is tracked.
    if og_type == "website" and "website" in types and not _holds_story(root):
        return PageKind(False, "og:type website, JSON-LD WebSite")
    if og_type in ("profile", "book", "music.song", "video.other", "product"):
        return PageKind(False, f"og:type {og_type}")
    return PageKind(None)


STORY_MIN_PARAGRAPHS = 4  # paragraphs of running text side by side in one element ...
STORY_MIN_CHARS = 1200  # ... holding this much text: a story, not a list of teasers


def _holds_story(root: Any) -> bool:
    """Whether one element holds several long paragraphs side by side (a teaser card
    holds one excerpt; a home page's excerpts sit in separate cards)."""
    counts: dict[Any, list[int]] = {}
    for para in root.iter("p"):
        length = len(para.text_content())
        parent = para.getparent()
        if length >= 80 and parent is not None:
            counts.setdefault(parent, []).append(length)
    return any(len(found) >= STORY_MIN_PARAGRAPHS and sum(found) >= STORY_MIN_CHARS
               for found in counts.values())


def page_is_article(html: bytes | str) -> bool | None:
    """True for a story page, False for a listing/profile/site page, None when silent."""
    return classify_page(html).is_article


def _jsonld_types(root: Any) -> list[str]:
    types: list[str] = []
    for script in root.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text_content() or "null", strict=False)
        except ValueError:
            continue
        _collect_types(data, types, depth=0)
    return types


def _collect_types(data: object, types: list[str], depth: int) -> None:
    """@type values of the top-level objects, of @graph members and of list members."""
    if isinstance(data, list) and depth <= 3:
        for member in data:
            _collect_types(member, types, depth + 1)
    elif isinstance(data, dict) and depth <= 3:
        kind = data.get("@type")
        types.extend(k for k in (kind if isinstance(kind, list) else [kind]) if isinstance(k, str))
        _collect_types(data.get("@graph"), types, depth + 1)
