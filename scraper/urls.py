"""URLs: canonical form, site identity, story-shaped paths, and the one private-host rule.

A leaf module: it imports nothing from Stet, and every package may import it.
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, unquote_plus, urljoin, urlsplit, urlunsplit

from w3lib.url import safe_url_string

if TYPE_CHECKING:  # imported when first needed: it loads requests, ~60 ms of every command
    import tldextract

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
# A date after the slug (/blog/a-long-slug/2022/12, /a-long-slug/2024/09/16): the month
# or day the story was filed under, as some CMSs put it last.
DATE_TAIL = re.compile(r"/(19|20)\d\d/(0?[1-9]|1[0-2])(/(0?[1-9]|[12]\d|3[01]))?$")
SLUG_WORD = re.compile(r"[^\W_]+")
MIN_SLUG_WORDS = 3
NUMERIC_ID = re.compile(r"(^|[^0-9])\d{5,}([^0-9]|$)")
ID_QUERY_KEYS = frozenset({"p", "id", "article", "articleid", "story", "storyid", "newsid", "aid"})
ID_VALUE = re.compile(r"\d+(?::[\w-]+)?")  # 123, or Joomla's 123:the-slug


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
    import tldextract

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
    found = _candidate(url, listed=True)
    if found is None:
        return False
    query, segments = found
    names = [s.rpartition(".")[0] if _extension(s) else s for s in segments]
    if not names or names[-1] in INDEX_NAMES and len(names) == 1:
        return _has_id_query(query)
    return True


def _candidate(url: str, *, listed: bool = False) -> tuple[str, list[str]] | None:
    """The query and lower-cased path segments of an http(s) URL that is not a listing,
    service or media page; None otherwise."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    segments = [s for s in parts.path.lower().split("/") if s]
    if parts.scheme.lower() not in DEFAULT_PORTS or _listing_path(segments, listed=listed):
        return None
    if segments and _extension(segments[-1]) in MEDIA_EXTENSIONS:
        return None
    return parts.query, segments


def _listing_path(segments: list[str], *, listed: bool = False) -> bool:
    """A path through a listing or service segment (/tag/x, /news/page/2, /about), unless
    a story's slug lies two levels or more below it (/section/politics/2025/09/05/a-slug,
    /terms/d/digital-marketing.asp). For a URL a feed lists (feeds list stories), one
    level is enough (/newsletter/an-issue-title), and two levels down a shorter slug or
    any page name will do (/topics/health/best-toothbrush, /feeds/x/entries/y.html)."""
    at = [i for i, segment in enumerate(segments) if segment in NON_ARTICLE_SEGMENTS]
    if not at:
        return False
    last = segments[-1]
    stem = last.rpartition(".")[0] if _extension(last) in STORY_EXTENSIONS else last
    words = len(SLUG_WORD.findall(stem.replace("_", "-")))
    slug = words >= MIN_SLUG_WORDS or (stem != last and words >= 2)
    if listed and at[-1] <= len(segments) - 3:
        slug = slug or words >= 2 or stem != last
    below = 2 if listed else 3
    return not (slug and at[-1] <= len(segments) - below and stem not in NON_ARTICLE_SEGMENTS)


def _extension(segment: str) -> str:
    return segment.rpartition(".")[2] if "." in segment else ""


def _story_path(segments: list[str]) -> bool:
    """Dated, long-slugged, numbered, /article/-ed or .html paths; an index page
    (/2025/09/05/story/index.html) stands for its folder, and a slug followed by a date
    (/a-long-slug/2022/12) is a story's as much as one followed by an id."""
    story_page = bool(segments) and _extension(segments[-1]) in STORY_EXTENSIONS
    names = [s.rpartition(".")[0] if _extension(s) in STORY_EXTENSIONS else s for s in segments]
    if names and names[-1] in INDEX_NAMES:
        names, story_page = names[:-1], False
    if not names:
        return False
    stem, path = names[-1], "/" + "/".join(names)
    tail = DATE_TAIL.search(path)
    last = path[:tail.start()].split("/")[-2:] if tail else names[-2:]
    return ((DATED_PATH.search(path + "/") is not None and not stem.isdigit())
            or any(len(SLUG_WORD.findall(name.replace("_", "-"))) >= MIN_SLUG_WORDS
                   for name in last)  # msn.com: /a-long-story-slug/ar-BBWXwNX
            or NUMERIC_ID.search(stem) is not None
            or story_page
            or any(name in STORY_SEGMENTS for name in names[:-1]))


def _has_id_query(query: str) -> bool:
    """?p=123, ?id=123, and Joomla's ?view=article&id=12:a-slug."""
    return any(k.lower() in ID_QUERY_KEYS and ID_VALUE.fullmatch(v) is not None
               for k, v in parse_qsl(query))


def is_loopback(host: str) -> bool:
    """localhost, *.localhost, 127.0.0.0/8 or ::1 (also as IPv4 inside IPv6)."""
    host = host.lower().rstrip(".").strip("[]")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return bool(address.is_loopback or (mapped is not None and mapped.is_loopback))


def is_address(host: str) -> bool:
    """Whether host is a literal IPv4 or IPv6 address (brackets allowed)."""
    try:
        ipaddress.ip_address(host.split("%")[0].strip("[]"))
    except ValueError:
        return False
    return True


def forbidden_address(address: str) -> bool:
    """True for any address that is not a public unicast one (IPv4-mapped IPv6 unwrapped).

    The one private-host rule: the spider's pre-check, the sources file's default for
    ``allow_private`` and the DNS-time guard in ``crawl.safety`` all ask this."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0].strip("[]"))
    except ValueError:
        return True  # not an address at all: nothing to connect to safely
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def is_private_host(host: str) -> bool:
    """A host known before DNS to be private: a loopback name, or a literal address that
    is not public unicast. Other names are decided after DNS, by ``forbidden_address``."""
    host = host.lower().rstrip(".")
    return is_loopback(host) or (is_address(host) and forbidden_address(host))
