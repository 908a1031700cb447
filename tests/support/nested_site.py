"""A news site whose archive only its sitemaps list: indexes nested by year, month and day.

``publish(site, count)`` fills a ``support.site.Site`` with ``count`` articles, one every
``spacing`` back from ``newest`` (the site's own clock, not ours: by default mid-2025),
and returns the ``NestedSite`` that says which article is which:

- ``/robots.txt`` names ``/sitemap_index.xml``: one ``<sitemap>`` per year, whose
  ``/sitemaps/YYYY.xml`` lists its months, whose ``/sitemaps/YYYY-MM.xml`` lists its
  days, whose ``/sitemaps/YYYY-MM-DD.xml`` lists that day's articles. Every index entry
  has a ``<lastmod>`` (the newest article inside); the daily sitemaps of odd days give
  none for their URLs (the date is only on the index), those of even days do.
- ``/news-sitemap.xml`` (Google News, named in robots.txt too) lists the last two days.
- ``/`` links the newest ``home`` articles; ``/feed.xml`` (RSS) lists the newest 20.
- Article URLs carry no date (``/story/<words>-<n>``): their date is only in the sitemaps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import groupby

from support.site import Site

NEWEST = datetime(2025, 6, 30, 18, 0, tzinfo=UTC)
WORDS = ("council", "harbour", "ferry", "budget", "school", "bridge", "market", "storm",
         "election", "library", "rail", "hospital")
XML = {"Content-Type": "application/xml"}
INDEX = '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{ns}">{body}</sitemapindex>'
URLSET = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{ns}"{extra}>{body}</urlset>'
NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'


@dataclass(frozen=True)
class Story:
    number: int  # 0 is the newest
    path: str
    published: datetime

    @property
    def stamp(self) -> str:
        return self.published.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class NestedSite:
    stories: tuple[Story, ...]  # newest first

    def by_path(self) -> dict[str, Story]:
        return {story.path: story for story in self.stories}

    def within(self, horizon: timedelta) -> set[str]:
        """Paths of the stories no older than horizon before the newest one."""
        cutoff = self.stories[0].published - horizon
        return {s.path for s in self.stories if s.published >= cutoff}


def story_path(number: int) -> str:
    words = [WORDS[(number // 12 ** k) % 12] for k in range(3)]
    return f"/story/{'-'.join(words)}-report-{number}"


def article_html(story: Story) -> str:
    title = f"Story {story.number}: the {story.path.split('/')[-1].replace('-', ' ')}"
    para = (f"<p>Reporters followed story number {story.number} through the week, "
            f"talking to residents about what changed on {story.published:%d %B %Y}.</p>")
    return (f"<html><head><title>{title}</title><meta property='og:type' content='article'>"
            f"</head><body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>"
            f"{para * 4}</article></body></html>")


def publish(site: Site, count: int = 2000, spacing: timedelta = timedelta(hours=5, minutes=24),
            newest: datetime = NEWEST, home: int = 30) -> NestedSite:
    stories = tuple(Story(n, story_path(n), newest - n * spacing) for n in range(count))
    for story in stories:
        site.set(story.path, article_html(story))
    site.set("/robots.txt", f"User-agent: *\nDisallow: /private/\n\nSitemap: {site.url('/sitemap_index.xml')}\n"
             f"Sitemap: {site.url('/news-sitemap.xml')}\n", headers={"Content-Type": "text/plain"})
    _sitemaps(site, stories)
    links = "".join(f"<li><a href='{s.path}'>Story {s.number}</a></li>" for s in stories[:home])
    site.set("/", f"<html><head><link rel='alternate' type='application/rss+xml' href='/feed.xml'>"
             f"</head><body><nav><a href='/about'>About</a></nav><ul>{links}</ul></body></html>")
    items = "".join(f"<item><link>{site.url(s.path)}</link><pubDate>"
                    f"{s.published:%a, %d %b %Y %H:%M:%S} GMT</pubDate></item>" for s in stories[:20])
    site.set("/feed.xml", f"<rss version='2.0'><channel>{items}</channel></rss>",
             headers={"Content-Type": "application/rss+xml"})
    return NestedSite(stories)


def _sitemaps(site: Site, stories: tuple[Story, ...]) -> None:
    years = []
    for year, in_year in groupby(stories, key=lambda s: s.published.strftime("%Y")):
        year_stories = list(in_year)
        months = []
        for month, in_month in groupby(year_stories, key=lambda s: s.published.strftime("%Y-%m")):
            month_stories = list(in_month)
            days = []
            for day, in_day in groupby(month_stories, key=lambda s: s.published.strftime("%Y-%m-%d")):
                day_stories = list(in_day)
                dated = int(day[-2:]) % 2 == 0
                body = "".join(f"<url><loc>{site.url(s.path)}</loc>"
                               + (f"<lastmod>{s.stamp}</lastmod>" if dated else "") + "</url>"
                               for s in day_stories)
                site.set(f"/sitemaps/{day}.xml", URLSET.format(ns=NS, extra="", body=body), headers=XML)
                days.append((f"/sitemaps/{day}.xml", day_stories[0].stamp))
            _index(site, f"/sitemaps/{month}.xml", days)
            months.append((f"/sitemaps/{month}.xml", month_stories[0].stamp))
        _index(site, f"/sitemaps/{year}.xml", months)
        years.append((f"/sitemaps/{year}.xml", year_stories[0].stamp))
    _index(site, "/sitemap_index.xml", years)
    cutoff = stories[0].published - timedelta(days=2)
    news = "".join(f"<url><loc>{site.url(s.path)}</loc><news:news><news:publication_date>"
                   f"{s.stamp}</news:publication_date></news:news></url>"
                   for s in stories if s.published >= cutoff)
    site.set("/news-sitemap.xml", URLSET.format(ns=NS, extra=NEWS_NS, body=news), headers=XML)


def _index(site: Site, path: str, children: list[tuple[str, str]]) -> None:
    body = "".join(f"<sitemap><loc>{site.url(child)}</loc><lastmod>{stamp}</lastmod></sitemap>"
                   for child, stamp in children)
    site.set(path, INDEX.format(ns=NS, body=body), headers=XML)
