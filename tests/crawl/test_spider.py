"""spiders/articles.py: requests and items from saved responses, then real crawls."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from scraper.crawl.middlewares import FORBIDDEN
from scraper.crawl.sources import Source, source_for_url
from scraper.model import FetchItem, PageItem
from spiders.articles import ArticlesSpider

SITES = Path(__file__).parent.parent / "sites" / "discover"
HN = "https://www.harbour-news.example"
STORY = f"{HN}/news/2025/09/05/council-votes-to-rebuild-pier"
ARTICLE_HTML = """<html><head><meta property="og:type" content="article">
<link rel="canonical" href="{canonical}"><title>{title}</title></head>
<body><article><h1>{title}</h1><p class="byline">By A. Reporter</p>
<p>{body}</p></article></body></html>"""


def article(title: str = "Pier to be rebuilt", body: str = "The council voted.",
            canonical: str = STORY) -> str:
    return ARTICLE_HTML.format(title=title, body=body, canonical=canonical)


def make_spider(tmp_path: Path, settings: dict[str, Any] | None = None,
                **source: Any) -> ArticlesSpider:
    plan = tmp_path / "plan.json"
    entry = Source(name="harbour", urls=(f"{HN}/",), **source).to_plan()
    plan.write_text(json.dumps({"db": str(tmp_path / "a.db"), "all": False, "sources": [entry]}))
    crawler = get_crawler(ArticlesSpider, {"STET_MAX_NEW_ARTICLES": 500, **(settings or {})})
    spider = ArticlesSpider.from_crawler(crawler, plan=str(plan))
    spider.known = {"harbour": set()}
    return spider


def response(url: str, body: bytes | str, status: int = 200, meta: dict[str, Any] | None = None,
             headers: dict[str, str] | None = None, cls: type[Response] = HtmlResponse) -> Any:
    data = body.encode() if isinstance(body, str) else body
    request = Request(url, meta={"stet_source": "harbour", **(meta or {})})
    if cls is Response:
        return Response(url, status=status, body=data, headers=headers, request=request)
    return cls(url, status=status, body=data, headers=headers, request=request, encoding="utf-8")


def urls(results: Any) -> list[str]:
    return [r.url for r in results if isinstance(r, Request)]


def test_home_page_gives_feeds_robots_and_new_articles(tmp_path: Path) -> None:
    spider = make_spider(tmp_path)
    spider.known["harbour"] = {f"{HN}/sport/2025/09/04/rowing-club-wins-regional-final"}
    home = response(f"{HN}/", (SITES / "home.html").read_bytes(), meta={"stet_depth": 0})
    requests = list(spider.parse_discovery(home))
    assert urls(requests) == [
        f"{HN}/feeds/all.rss", f"{HN}/feeds/sport.atom",
        f"{HN}/news/", f"{HN}/sport", f"{HN}/tag/pier", f"{HN}/page/2",  # its menu's sections
        f"{HN}/robots.txt", STORY,
        "https://m.harbour-news.example/local/fishing-quotas-cut-for-next-season-987654",
        f"{HN}/business/fish-market-reopens-after-fire.html"]
    robots = requests[6]
    assert robots.meta["dont_obey_robotstxt"] and robots.callback == spider.parse_discovery
    assert requests[2].meta["stet_depth"] == 1  # a section's links only, no deeper
    story = requests[7]
    assert story.callback == spider.parse_article and story.errback == spider.fetch_failed
    assert story.meta["dont_cache"] is True
    assert 404 in story.meta["handle_httpstatus_list"] and 304 in story.meta["handle_httpstatus_list"]
    assert 301 not in story.meta["handle_httpstatus_list"]  # redirects are still followed


def test_feed_entries_respect_known_urls_budget_and_pattern(tmp_path: Path) -> None:
    feed = (SITES / "rss2.xml").read_bytes()
    spider = make_spider(tmp_path, {"STET_MAX_NEW_ARTICLES": 1})
    got = urls(spider.parse_discovery(response(f"{HN}/feeds/all.rss", feed, cls=TextResponse,
                                               headers={"Content-Type": "application/rss+xml"})))
    # The undated entry first, as current; the budget leaves the others, newest first
    # (pubDate 5 September, then the URL's 4 September), to the next pass (and the one
    # in flight, should the pass stop before it is fetched).
    fishing = f"{HN}/local/fishing-quotas-cut-for-next-season-987654"
    assert got == [fishing]
    assert [p.url for p in spider.walks["harbour"].frontier()] == [
        STORY, f"{HN}/news/2025/09/04/ferry-timetable-changes-monday", fishing]
    patterned = make_spider(tmp_path, article_pattern=r"/local/")
    got = urls(patterned.parse_discovery(response(f"{HN}/f", feed, cls=TextResponse)))
    assert got == [f"{HN}/local/fishing-quotas-cut-for-next-season-987654"]


def test_private_addresses_only_when_allowed(tmp_path: Path) -> None:
    feed = (b"<rss><channel><item><link>http://192.168.1.1/news/2025/09/05/router-admin-page"
            b"</link></item></channel></rss>")
    assert urls(make_spider(tmp_path).parse_discovery(response(f"{HN}/f", feed))) == []
    allowed = make_spider(tmp_path, allow_private=True)
    assert len(urls(allowed.parse_discovery(response(f"{HN}/f", feed)))) == 1


def test_sitemaps_bounded_by_budget_newest_first_at_any_depth(tmp_path: Path) -> None:
    index = (SITES / "sitemap-index.xml").read_bytes()
    spider = make_spider(tmp_path, {"STET_MAX_SITEMAPS": 1})
    got = urls(spider.parse_discovery(response(f"{HN}/sitemap-index.xml", index,
                                               meta={"stet_depth": 5}, cls=TextResponse)))
    # No <lastmod> on the monthly one: the month in its URL (to 30 September) is newer
    # than news.xml's 5 September, which waits for the next pass.
    assert got == [f"{HN}/sitemaps/2025-09.xml.gz"]
    assert [(p.url, p.listed) for p in spider.walks["harbour"].frontier()] == [
        (f"{HN}/sitemaps/news.xml", "2025-09-05T09:30:00Z"),
        (f"{HN}/sitemaps/2025-09.xml.gz", "2025-09-30T23:59:59Z")]


def test_robots_txt_gives_its_sitemaps(tmp_path: Path) -> None:
    spider = make_spider(tmp_path)
    got = urls(spider.parse_discovery(response(f"{HN}/robots.txt", (SITES / "robots.txt")
                                               .read_bytes(), meta={"stet_depth": 1},
                                               cls=TextResponse)))
    assert got == [f"{HN}/sitemap-index.xml", f"{HN}/news-sitemap.xml"]  # two at a time
    done = {"stet_source": "harbour", "stet_pending": f"{HN}/news-sitemap.xml"}
    assert urls(spider.finished(done)) == [f"{HN}/relative-sitemap.xml"]


def test_article_page_item(tmp_path: Path) -> None:
    spider = make_spider(tmp_path, selectors={"body": "article"})
    page = response(f"{HN}/news/2025/09/05/council-votes-to-rebuild-pier?utm_source=x",
                    article(), meta={"redirect_urls": [f"{HN}/p/12345"]},
                    headers={"Content-Type": "text/html; charset=ISO-8859-1", "ETag": '"abc"',
                             "Last-Modified": "Fri, 05 Sep 2025 09:30:00 GMT"})
    [item] = list(spider.parse_article(page))
    assert isinstance(item, PageItem)
    assert (item.url, item.requested_url, item.status) == (STORY, f"{HN}/p/12345", 200)
    assert (item.encoding, item.etag, item.last_modified) == (
        "ISO-8859-1", '"abc"', "Fri, 05 Sep 2025 09:30:00 GMT")
    assert item.body == page.body and item.selectors == {"body": "article"}
    assert item.source == "harbour" and item.fetched_at.endswith("Z")


@pytest.mark.parametrize(("canonical", "expected"), [
    (f"{HN}/", STORY),  # a site that points every page at its home page
    ("https://elsewhere.example/news/2025/09/05/copied-story", STORY),
    (f"{HN}/news/2025/09/05/council-votes-to-rebuild-the-pier", f"{HN}/news/2025/09/05/council"
                                                                "-votes-to-rebuild-the-pier"),
])
def test_canonical_link_trusted_only_when_sensible(tmp_path: Path, canonical: str,
                                                   expected: str) -> None:
    spider = make_spider(tmp_path)
    [item] = list(spider.parse_article(response(STORY, article(canonical=canonical))))
    assert item.url == expected
    assert item.requested_url == ("" if expected == STORY else STORY)


@pytest.mark.parametrize(("status", "body", "headers", "outcome", "error"), [
    (304, b"", {}, "not_modified", None),
    (404, b"gone", {}, "gone", None),
    (410, b"gone", {}, "gone", None),
    (500, b"oops", {}, "error", "HTTP 500"),
    (403, b"no", {}, "error", "HTTP 403"),
    (429, b"", {"Retry-After": "3600"}, "error", "HTTP 429 (Retry-After 3600 s)"),
    (200, b"\x89PNG\r\n", {"Content-Type": "image/png"}, "error", "not HTML (image/png)"),
    (200, (SITES / "section.html").read_bytes(), {"Content-Type": "text/html"}, "skipped",
     "not an article (JSON-LD collectionpage)"),
])
def test_article_fetch_items(tmp_path: Path, status: int, body: bytes, headers: dict[str, str],
                             outcome: str, error: str | None) -> None:
    spider = make_spider(tmp_path)
    page = response(STORY, body, status=status, headers=headers, cls=Response)
    [item] = list(spider.parse_article(page))
    assert isinstance(item, FetchItem)
    assert (item.url, item.outcome, item.status, item.error) == (STORY, outcome, status, error)


def failure_of(error: Exception, url: str = STORY) -> Failure:
    failure = Failure(error)
    failure.request = Request(url, meta={"stet_source": "harbour"})  # type: ignore[attr-defined]
    return failure


@pytest.mark.parametrize(("error", "outcome", "status", "text"), [
    (IgnoreRequest(FORBIDDEN), "skipped", None, "disallowed by robots.txt"),
    (IgnoreRequest("robots.txt unavailable (HTTP 503)"), "error", None,
     "robots.txt unavailable (HTTP 503)"),
    (ConnectionRefusedError("Connection refused"), "error", None,
     "ConnectionRefusedError: Connection refused"),
    (TimeoutError("took longer than 30.0 seconds"), "error", None,
     "TimeoutError: took longer than 30.0 seconds"),
])
def test_failures_become_one_line_fetch_items(tmp_path: Path, error: Exception, outcome: str,
                                              status: int | None, text: str) -> None:
    [item] = list(make_spider(tmp_path).fetch_failed(failure_of(error)))
    assert (item.url, item.outcome, item.status, item.error) == (STORY, outcome, status, text)


def test_http_error_on_discovery(tmp_path: Path) -> None:
    bad = response(f"{HN}/feeds/all.rss", b"", status=500, cls=Response)
    [item] = list(make_spider(tmp_path).fetch_failed(failure_of(HttpError(bad), bad.url)))
    assert (item.outcome, item.status, item.error) == ("error", 500, "HTTP 500")


def test_source_argument_and_sources_file(tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "harbour"\nurls = ["https://harbour.example/"]\n')
    crawler = get_crawler(ArticlesSpider, {"STET_SOURCES": str(sources), "STET_DB": "x.db"})
    spider = ArticlesSpider.from_crawler(crawler, source="harbour, https://other.example/feed",
                                         all="true")
    assert list(spider.sources) == ["harbour", "other.example"]
    assert spider.db_path == "x.db" and spider.everything is True


# -- real crawls of the local site ------------------------------------------------------

Crawl = Callable[..., Any]


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def build_site(site: Any) -> None:
    site.set("/robots.txt", "User-agent: *\nDisallow: /search\n"
             f"Sitemap: {site.url('/sitemap.xml')}\n", headers={"Content-Type": "text/plain"})
    site.set("/", """<html><head><link rel="alternate" type="application/rss+xml"
        href="/feed.xml"></head><body><a href="/news/2025/09/05/pier-to-be-rebuilt">1</a>
        <a href="/old/12345">moved</a> <a href="/tag/pier">tag</a>
        <a href="/news/2025/09/05/a-missing-story">404</a></body></html>""")
    ferry = site.url("/news/2025/09/06/ferry-times-change")
    site.set("/feed.xml", f"<rss><channel><item><link>{ferry}</link></item></channel></rss>",
             headers={"Content-Type": "application/rss+xml"})
    site.set("/sitemap.xml", f"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        <url><loc>{site.url('/news/2025/09/07/tide-warning-issued')}</loc></url></urlset>""",
             headers={"Content-Type": "application/xml"})
    for path, title in [("/news/2025/09/05/pier-to-be-rebuilt", "Pier to be rebuilt"),
                        ("/news/2025/09/06/ferry-times-change", "Ferry times change"),
                        ("/news/2025/09/07/tide-warning-issued", "Tide warning issued"),
                        ("/news/2025/09/08/moved-story-lands-here", "Moved story")]:
        site.set(path, article(title, f"{title}: the full story.", canonical=""))
    site.set("/old/12345", "", status=301,
             headers={"Location": site.url("/news/2025/09/08/moved-story-lands-here")})


def test_crawl_discovers_then_revisits_with_conditional_requests(site: Any, tmp_db: Path,
                                                                 crawl: Crawl) -> None:
    build_site(site)
    source = source_for_url(site.url("/"))
    first = crawl([source], tmp_db)
    assert first.returncode == 0, first.stderr[-3000:]
    articles = {url for (url,) in rows(tmp_db, "select url from articles")}
    assert articles == {site.url(p) for p in [
        "/news/2025/09/05/pier-to-be-rebuilt", "/news/2025/09/06/ferry-times-change",
        "/news/2025/09/07/tide-warning-issued", "/news/2025/09/08/moved-story-lands-here"]}
    outcomes = dict(rows(tmp_db, "select url, outcome from fetches"))
    assert outcomes[site.url("/news/2025/09/05/a-missing-story")] == "error"  # 404, never seen
    assert "/tag/pier" not in site.paths()

    site.set("/news/2025/09/06/ferry-times-change", article("Ferry times change again",
                                                            "New times.", canonical=""))
    before = len(site.requests)
    second = crawl([source], tmp_db, everything=True)
    assert second.returncode == 0, second.stderr[-3000:]
    revisits = [hit for hit in site.requests[before:] if hit.path.startswith("/news/")]
    assert all("if-none-match" in hit.headers for hit in revisits
               if "missing" not in hit.path), revisits
    latest = dict(rows(tmp_db, "select url, outcome from fetches where id in "
                               "(select max(id) from fetches group by url)"))
    assert latest[site.url("/news/2025/09/06/ferry-times-change")] == "changed"
    assert latest[site.url("/news/2025/09/05/pier-to-be-rebuilt")] == "not_modified"
    assert rows(tmp_db, "select count(*) from articles") == [(4,)]  # the 301 made no twin
    assert "/old/12345" not in site.paths()[before:]  # a known alias is not asked for again


def test_scrapy_crawl_with_an_unknown_source_logs_one_error(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "STET_DB": str(tmp_path / "a.db"), "SCRAPY_SETTINGS_MODULE": "scraper.settings"}
    result = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "articles", "-a", "source=nosuch"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert "unknown source 'nosuch'" in result.stderr
    assert "Traceback" not in result.stderr
