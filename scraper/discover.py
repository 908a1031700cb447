"""Pure discovery: feeds, sitemaps, robots.txt and home pages -> article URLs.

No network, no exceptions on bad input (garbage gives an empty result). URLs come back
absolute, canonical, unique, in document order. The rules are data at the top.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, unquote_plus, urljoin, urlsplit, urlunsplit

import lxml.html
import tldextract
from lxml import etree
from w3lib.url import safe_url_string

from scraper.xmlutil import GZIP_MAGIC, children, gunzip, local_name, text_of, xml_root

# Query parameters that only say where a click came from; removed from every URL.
TRACKING_PARAMS = frozenset(
    "fbclid gclid gclsrc dclid msclkid yclid twclid ttclid li_fat_id mc_cid mc_eid ocid cmpid cmp"
    " _ga _gl igshid igsh ref ref_src ref_url smid smtyp xtor ito ns_mchannel ns_source"
    " ns_campaign ns_linkname ns_fee _hsenc _hsmi mkt_tok mbid s_cid wt_mc wt.mc_id spm"
    " share_source sr_share taid srcref".split())
TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_", "hsa_", "oly_", "__twitter")
DEFAULT_PORTS = {"http": 80, "https": 443}

# Path segments of pages that list or describe, never a story.
NON_ARTICLE_SEGMENTS = frozenset(
    "tag tags topic topics author authors category categories about about-us contact contact-us"
    " privacy privacy-policy terms terms-of-use terms-of-service search login logout signin"
    " sign-in register signup subscribe subscription subscriptions newsletter newsletters"
    " account page feed feeds rss atom wp-admin wp-login.php cdn-cgi cart shop jobs careers"
    " advertise cookies cookie-policy sitemap profile user users section sections gallery"
    " galleries video videos podcast podcasts live-tv".split())
MEDIA_EXTENSIONS = frozenset(
    "jpg jpeg png gif webp svg ico bmp tif tiff avif mp3 mp4 m4a ogg wav webm mov avi pdf zip"
    " gz rar 7z doc docx xls xlsx ppt pptx css js json xml rss atom txt csv woff woff2 ttf eot"
    " exe dmg apk".split())
STORY_EXTENSIONS = frozenset({"html", "htm", "shtml", "php", "asp", "aspx"})
INDEX_NAMES = frozenset({"index", "default", "home", "main"})
STORY_SEGMENTS = frozenset({"article", "articles", "story", "stories", "post", "posts"})
DATED_PATH = re.compile(r"/(19|20)\d\d[/-](0?[1-9]|1[0-2])([/-](0?[1-9]|[12]\d|3[01]))?(/|$|-)")
SLUG_WORD = re.compile(r"[^\W_]+")
MIN_SLUG_WORDS = 3
HEADLINE_MIN_WORDS = 5  # a link with this many words of text is a story's teaser
NUMERIC_ID = re.compile(r"(^|[^0-9])\d{5,}([^0-9]|$)")
ID_QUERY_KEYS = frozenset({"p", "id", "article", "articleid", "story", "storyid", "newsid", "aid"})

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


def is_tracking_param(pair: str) -> bool:
    """Whether a query's name=value pair only says where a click came from."""
    name = unquote_plus(pair.partition("=")[0]).lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


def canonicalize_url(url: str) -> str:
    """The URL without tracking parameters or fragment, scheme and host lower-cased,
    default port dropped; other query parameters keep their order. Unparseable -> as is."""
    url = url.strip()
    try:
        # Escaped as Scrapy escapes the URL it requests, so the two always match.
        parts = urlsplit(safe_url_string(url))
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    if parts.username or parts.password:
        netloc = f"{parts.netloc.rpartition('@')[0]}@{netloc}"
    query = "&".join(p for p in parts.query.split("&") if p.strip() and not is_tracking_param(p))
    path = parts.path.rstrip() or ("/" if netloc else "")  # "/x #top" -> "/x"
    return urlunsplit((scheme, netloc, path, query, "")).strip()


@lru_cache(maxsize=1)
def _extractor() -> tldextract.TLDExtract:  # the bundled suffix list: never fetched
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@lru_cache(maxsize=4096)
def site_of(host: str) -> str:
    """The registrable domain of a host (news.example.co.uk -> example.co.uk); IPs as is."""
    host = host.lower().rstrip(".")
    found = _extractor()(host)
    if found.top_domain_under_public_suffix or found.suffix or not re.search("[a-z]", host):
        return found.top_domain_under_public_suffix or host  # an IP address stays itself
    return ".".join(host.split(".")[-2:])  # a TLD not in the list (.example, .internal)


def same_site(url: str, other: str) -> bool:
    """Both http(s) URLs on the same registrable domain."""
    try:
        a, b = urlsplit(url), urlsplit(other)
    except ValueError:
        return False
    if a.scheme not in DEFAULT_PORTS or b.scheme not in DEFAULT_PORTS:
        return False
    return bool(a.hostname and b.hostname and site_of(a.hostname) == site_of(b.hostname))


def absolute_url(href: str, base_url: str) -> str:
    """href resolved against base_url and canonicalized; "" unless it is http(s)."""
    try:
        url = urljoin(base_url, href.strip())
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return ""
    return canonicalize_url(url) if scheme in DEFAULT_PORTS else ""


def _unique(urls: list[str]) -> list[str]:
    return list(dict.fromkeys(filter(None, urls)))


def looks_like_article_url(url: str, pattern: str = "") -> bool:
    """Whether a URL's shape is a story's: the source's article_pattern when given,
    else dated paths, long slugs, numeric ids and .html pages, minus listing pages."""
    if pattern:
        return re.search(pattern, url) is not None
    found = _candidate(url)
    if found is None:
        return False
    query, segments = found
    return _story_path(segments) or _has_id_query(query)


def may_be_article_url(url: str, pattern: str = "") -> bool:
    """Looser, for URLs a feed lists (feeds list stories): anything but the home page,
    listing and service pages and media files; the source's article_pattern when given."""
    if pattern:
        return re.search(pattern, url) is not None
    found = _candidate(url)
    if found is None:
        return False
    query, segments = found
    names = [s.rpartition(".")[0] if _extension(s) else s for s in segments]
    if not names or names[-1] in INDEX_NAMES and len(names) == 1:
        return _has_id_query(query)
    return True


def _candidate(url: str) -> tuple[str, list[str]] | None:
    """The query and lower-cased path segments of an http(s) URL that is not a listing,
    service or media page; None otherwise."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    segments = [s for s in parts.path.lower().split("/") if s]
    if parts.scheme.lower() not in DEFAULT_PORTS or NON_ARTICLE_SEGMENTS.intersection(segments):
        return None
    if segments and _extension(segments[-1]) in MEDIA_EXTENSIONS:
        return None
    return parts.query, segments


def _extension(segment: str) -> str:
    return segment.rpartition(".")[2] if "." in segment else ""


def _story_path(segments: list[str]) -> bool:
    """Dated, long-slugged, numbered, /article/-ed or .html paths; an index page
    (/2025/09/05/story/index.html) stands for its folder."""
    story_page = bool(segments) and _extension(segments[-1]) in STORY_EXTENSIONS
    names = [s.rpartition(".")[0] if _extension(s) in STORY_EXTENSIONS else s for s in segments]
    if names and names[-1] in INDEX_NAMES:
        names, story_page = names[:-1], False
    if not names:
        return False
    stem, path = names[-1], "/" + "/".join(names)
    return ((DATED_PATH.search(path + "/") is not None and not stem.isdigit())
            or any(len(SLUG_WORD.findall(name.replace("_", "-"))) >= MIN_SLUG_WORDS
                   for name in names[-2:])  # msn.com: /a-long-story-slug/ar-BBWXwNX
            or NUMERIC_ID.search(stem) is not None
            or story_page
            or any(name in STORY_SEGMENTS for name in names[:-1]))


def _has_id_query(query: str) -> bool:
    return any(k.lower() in ID_QUERY_KEYS and v.isdigit() for k, v in parse_qsl(query))


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


def _html_root(html: bytes | str) -> Any:
    """The parsed page, or None when there is nothing to parse."""
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
    """Same-site links whose text reads like a headline (HEADLINE_MIN_WORDS words or more),
    outside navigation and footers: teasers of stories, whatever their URLs look like."""
    root = _html_root(html)
    if root is None:
        return []
    base = _page_base(root, base_url)
    links = []
    for a in root.iter("a"):
        text = " ".join(a.text_content().split()) or a.get("title") or ""
        if len(SLUG_WORD.findall(text)) < HEADLINE_MIN_WORDS or _in_chrome(a):
            continue
        link = absolute_url(a.get("href") or "", base)
        if link and same_site(link, base_url):
            links.append(link)
    return _unique(links)


def _in_chrome(element: Any) -> bool:
    return any(parent.tag in ("nav", "footer") for parent in element.iterancestors())


def canonical_link(html: bytes | str, url: str) -> str:
    """The page's <link rel="canonical">, canonicalized, when it stays on the same site
    as url over http(s); "" otherwise."""
    root = _html_root(html)
    if root is None:
        return ""
    base = _page_base(root, url)
    for link in root.iter("link"):
        if "canonical" in _rels(link) and link.get("href"):
            target = absolute_url(link.get("href") or "", base)
            return target if target and same_site(target, url) else ""
    return ""


def classify_page(html: bytes | str) -> PageKind:
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
    # og:type website alone is no proof: real articles say it (sputniknews.com, ascom.com).
    if og_type == "website" and "website" in types:
        return PageKind(False, "og:type website, JSON-LD WebSite")
    if og_type in ("profile", "book", "music.song", "video.other", "product"):
        return PageKind(False, f"og:type {og_type}")
    return PageKind(None)


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
