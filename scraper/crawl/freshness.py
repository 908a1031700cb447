"""When a feed or sitemap says an article was last updated: a reason to look again now.

An article is re-checked on the age-based schedule, but a feed entry's
`<updated>` or a sitemap's `<lastmod>` newer than our last check is the site
telling us it changed, so the spider re-checks it in the same pass.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from scraper.crawl.discover import entry_link
from scraper.crawl.xmlutil import children, gunzip, local_name, text_of, xml_root
from scraper.timeutil import iso

FEED_DATES = ("updated", "modified", "date", "published", "pubdate")  # local names, lower case
SITEMAP_DATES = ("lastmod", "publication_date")


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
