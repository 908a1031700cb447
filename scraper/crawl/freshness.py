"""When a feed or sitemap says an article was last updated: a reason to look again now.

An article is re-checked on the age-based schedule, but a feed entry's
`<updated>` or a sitemap's `<lastmod>` newer than our last check is the site
telling us it changed, so the spider re-checks it in the same pass.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from scraper.crawl.discover import entry_link, parse_sitemap
from scraper.crawl.xmlutil import children, gunzip, local_name, text_of, xml_root
from scraper.timeutil import iso
from scraper.urls import absolute_url

FEED_DATES = ("updated", "modified", "date", "published", "pubdate")  # local names, lower case
SITEMAP_DATES = ("lastmod", "publication_date")
NEWS_SITEMAP_NS = b"schemas/sitemap-news/"
# A date in a URL's path: /2025/03/14/, 2025-03, sitemap-20250314.xml (year, month, day).
URL_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[/_-]?(0[1-9]|1[0-2])"
                      r"(?:[/_-]?(0[1-9]|[12]\d|3[01]))?(?!\d)")
URL_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d\d)(?![\d.]*\d)")


@dataclass(frozen=True)
class Listed:
    """One entry of a sitemap: a URL and the date the site gives it ("" when none)."""
    url: str
    date: str = ""


@dataclass(frozen=True)
class DatedSitemap:
    """A sitemap's pages and nested sitemaps with their dates; news: a Google News sitemap."""
    urls: tuple[Listed, ...] = ()
    sitemaps: tuple[Listed, ...] = ()
    news: bool = False


def parse_date(text: str) -> str:
    """An ISO 8601 or RFC 822 date as an archive time; "" when unreadable."""
    text = text.strip()
    if not text:
        return ""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return ""
    return iso(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def feed_dates(body: bytes, base_url: str) -> dict[str, str]:
    """Entry URL -> the newest date the entry gives, for RSS and Atom feeds."""
    root = xml_root(gunzip(body))
    if root is None:
        return {}
    dates = {}
    for entry in root.iter():
        if local_name(entry) in ("item", "entry"):
            url, date = entry_link(entry, base_url), _newest(entry, FEED_DATES)
            if url and date:
                dates[url] = date
    return dates


def sitemap_dates(body: bytes, base_url: str) -> dict[str, str]:
    """Page URL -> its <lastmod> (or Google News publication date), for XML sitemaps."""
    root = xml_root(gunzip(body))
    if root is None or local_name(root) != "urlset":
        return {}
    dates = {}
    for entry in root:
        locs = children(entry, "loc") if local_name(entry) == "url" else []
        date = _newest(entry, SITEMAP_DATES) if locs else ""
        if date:
            dates[text_of(locs[0])] = date
    return dates


def _newest(element: Any, names: tuple[str, ...]) -> str:
    found = [parse_date(text_of(child)) for child in element.iter()
             if isinstance(child.tag, str) and local_name(child) in names]
    return max((d for d in found if d), default="")


def dated_sitemap(body: bytes, base_url: str) -> DatedSitemap:
    """The entries of an XML sitemap or index with their <lastmod> (or Google News
    publication date), gzip-compressed or not; a plain-text sitemap's URLs, undated."""
    plain = gunzip(body)
    root = xml_root(plain) if plain.lstrip().startswith(b"<") else None
    if root is None:
        return DatedSitemap(urls=tuple(Listed(url) for url in parse_sitemap(body, base_url).urls))
    entries: dict[str, str] = {}
    for entry in root:
        locs = children(entry, "loc") if local_name(entry) in ("url", "sitemap") else []
        url = absolute_url(text_of(locs[0]), base_url) if locs else ""
        if url and url not in entries:
            entries[url] = _newest(entry, SITEMAP_DATES)
    listed = tuple(Listed(url, date) for url, date in entries.items())
    if local_name(root) == "sitemapindex":
        return DatedSitemap(sitemaps=listed)
    if local_name(root) == "urlset":
        return DatedSitemap(urls=listed, news=NEWS_SITEMAP_NS in plain[:4096])
    return DatedSitemap()


def url_date(url: str, *, year_alone: bool = False) -> str:
    """The latest moment a date in the URL's path allows (/2025/03/ -> 31 March 23:59:59);
    with year_alone, a lone year counts too (sitemap-2024.xml); "" when there is none."""
    path = urlsplit(url).path
    found = URL_DATE.search(path)
    if found:
        year, month = int(found.group(1)), int(found.group(2))
        day = int(found.group(3) or calendar.monthrange(year, month)[1])
    elif year_alone and (alone := URL_YEAR.search(path)):
        year, month, day = int(alone.group(1)), 12, 31
    else:
        return ""
    try:
        return iso(datetime(year, month, day, 23, 59, 59, tzinfo=UTC))
    except ValueError:  # 31 February
        return ""
