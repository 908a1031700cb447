"""Discovery that finds every article (issue 9): the walk, then real crawls of a site whose
archive only nested sitemaps list (``support.nested_site``)."""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from scraper.crawl.discover import headline_links, section_links
from scraper.crawl.freshness import dated_sitemap, url_date
from scraper.crawl.sources import source_for_url
from scraper.crawl.walk import DEFAULT_BUDGET, Budget, SourceWalk
from scraper.store.frontier import Frontier, Pending, SitemapRead
from support.nested_site import INDEX, NS, URLSET, XML, NestedSite, Story, article_html, publish
from support.site import Site

NOW = datetime(2026, 12, 6, tzinfo=UTC)  # our clock; the sites below live in 2025
YEAR = timedelta(days=365)
Crawl = Callable[..., subprocess.CompletedProcess[str]]


def walk(budget: Budget = DEFAULT_BUDGET, horizon: timedelta = YEAR) -> SourceWalk:
    return SourceWalk(horizon, budget, NOW)


def test_newest_first_undated_before_dated_in_listed_order() -> None:
    w = walk()
    w.add_article("https://x.example/b", "2025-03-01T00:00:00Z")
    w.add_article("https://x.example/c", "2025-05-01T00:00:00Z")
    w.add_article("https://x.example/a")
    w.add_article("https://x.example/a2")
    assert [p.url for p in w.take("article", 10)] == [
        "https://x.example/a", "https://x.example/a2", "https://x.example/c",
        "https://x.example/b"]


def test_horizon_counts_back_from_the_sites_newest_date_not_our_clock() -> None:
    w = walk(horizon=timedelta(days=30))
    assert w.add_sitemap("https://x.example/2025-06.xml", "2025-06-30T00:00:00Z")
    assert w.add_article("https://x.example/june-1", "2025-06-01T00:00:00Z")  # 29 days back
    assert not w.add_article("https://x.example/may", "2025-05-30T00:00:00Z")
    assert not w.add_sitemap("https://x.example/2025-04.xml", "2025-04-30T00:00:00Z")
    assert w.add_article("https://x.example/undated")  # no date: cannot be too old
    assert w.skipped["beyond_horizon"] == 2


def test_a_link_on_a_page_is_current_whatever_its_urls_date() -> None:
    w = walk(horizon=timedelta(days=30))
    assert w.add_article("https://x.example/new/2025/06", "2025-06-30T23:59:59Z", current=True)
    assert w.add_article("https://x.example/evergreen-guide/2022/12", "2022-12-31T23:59:59Z",
                         current=True)
    assert not w.add_article("https://x.example/listed/2022/12", "2022-12-31T23:59:59Z")


def test_a_date_far_ahead_of_our_clock_does_not_move_the_horizon() -> None:
    w = walk(horizon=timedelta(days=30))
    w.add_article("https://x.example/typo", "2999-01-01T00:00:00Z")
    assert w.newest == ""
    assert w.add_article("https://x.example/old", "2025-01-01T00:00:00Z")


def test_articles_older_than_a_sitemap_to_read_wait_for_it() -> None:
    w = walk()
    w.add_article("https://x.example/old", "2025-05-01T00:00:00Z")
    w.add_sitemap("https://x.example/june.xml", "2025-06-30T00:00:00Z")
    assert w.take("article", 8) == []
    assert [p.url for p in w.take("sitemap", 2)] == ["https://x.example/june.xml"]
    assert w.take("article", 8) == []  # still in flight
    w.add_article("https://x.example/new", "2025-06-30T00:00:00Z")
    w.finish("https://x.example/june.xml")
    assert [p.url for p in w.take("article", 8)] == ["https://x.example/new",
                                                     "https://x.example/old"]


def test_budgets_windows_and_the_frontier() -> None:
    w = walk(Budget(articles=3, sitemaps=1))
    for day in range(1, 6):
        w.add_article(f"https://x.example/{day}", f"2025-06-0{day}T00:00:00Z")
    w.add_sitemap("https://x.example/s1.xml", "2025-06-02T00:00:00Z")
    w.add_sitemap("https://x.example/s2.xml", "2025-06-03T00:00:00Z")
    assert [p.url for p in w.take("article", 2)] == ["https://x.example/5", "https://x.example/4"]
    assert w.take("article", 2) == []  # the window is full
    w.finish("https://x.example/5")
    assert [p.url for p in w.take("article", 2)] == ["https://x.example/3"]
    w.finish("https://x.example/4")
    assert w.take("article", 2) == []  # the budget is spent
    assert [p.url for p in w.take("sitemap", 2)] == ["https://x.example/s2.xml"]
    w.mark_read("https://x.example/s2.xml")
    w.finish("https://x.example/s2.xml")
    assert w.take("sitemap", 2) == []
    assert w.frontier() == [
        Pending("https://x.example/2", "article", "2025-06-02T00:00:00Z"),
        Pending("https://x.example/s1.xml", "sitemap", "2025-06-02T00:00:00Z"),
        Pending("https://x.example/1", "article", "2025-06-01T00:00:00Z"),
        Pending("https://x.example/3", "article", "2025-06-03T00:00:00Z")]  # still in flight
    assert list(w.read_now) == ["https://x.example/s2.xml"]


def test_an_unchanged_sitemap_is_not_read_again() -> None:
    w = walk()
    w.restore([], {"https://x.example/s.xml": SitemapRead("https://x.example/s.xml",
                                                          "2025-06-02T00:00:00Z")})
    assert not w.add_sitemap("https://x.example/s.xml", "2025-06-02T00:00:00Z")
    w2 = walk()
    w2.restore([], {"https://x.example/s.xml": SitemapRead("https://x.example/s.xml",
                                                           "2025-06-02T00:00:00Z")})
    assert w2.add_sitemap("https://x.example/s.xml", "2025-06-03T00:00:00Z")  # changed
    assert walk().add_sitemap("https://x.example/s.xml")  # undated: always read


def test_dated_sitemap_and_url_dates() -> None:
    index = (b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap>'
             b"<loc>/s/2025.xml</loc><lastmod>2025-06-30</lastmod></sitemap><sitemap>"
             b"<loc>/s/2024.xml</loc></sitemap></sitemapindex>")
    got = dated_sitemap(index, "https://x.example/sitemap.xml")
    assert [(e.url, e.date) for e in got.sitemaps] == [
        ("https://x.example/s/2025.xml", "2025-06-30T00:00:00Z"),
        ("https://x.example/s/2024.xml", "")]
    assert dated_sitemap(b"https://x.example/a\nhttps://x.example/b\n", "https://x.example/"
                         ).urls[1].url == "https://x.example/b"
    assert url_date("https://x.example/news/2025/03/14/story") == "2025-03-14T23:59:59Z"
    assert url_date("https://x.example/sitemap-2025-02.xml") == "2025-02-28T23:59:59Z"
    assert url_date("https://x.example/story/12345-report") == ""
    assert url_date("https://x.example/sitemap-2024.xml", year_alone=True) == "2024-12-31T23:59:59Z"


# -- real crawls ----------------------------------------------------------------------

def fetched_stories(site: Site, nested: NestedSite, start: int = 0) -> list[int]:
    """Story numbers in the order the crawl asked for them (0 is the newest)."""
    by_path = nested.by_path()
    return [by_path[hit.path].number for hit in site.requests[start:] if hit.path in by_path]


def archived(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {row[0] for row in conn.execute("select url from articles")}


def test_first_pass_archives_every_article_within_the_horizon_newest_first(
        site: Site, tmp_db: Path, crawl: Crawl) -> None:
    nested = publish(site, 2000, spacing=timedelta(hours=8))  # 667 days, 2023 to 2025
    within = nested.within(YEAR)
    result = crawl([source_for_url(site.url("/"))], tmp_db, timeout=280)
    assert result.returncode == 0, result.stderr[-3000:]
    order = fetched_stories(site, nested)
    assert len(order) == len(set(order)) == len(within) == 1096  # every one, once
    assert archived(tmp_db) == {site.url(path) for path in within}
    # Newest first: each story is fetched within a few places of its rank by date (up to
    # eight are in flight at once).
    assert max(abs(place - number) for place, number in enumerate(order)) <= 10
    paths = site.paths()
    assert paths.count("/robots.txt") == 1
    assert "/sitemaps/2023.xml" not in paths and "/sitemaps/2024-05.xml" not in paths
    assert "/sitemaps/2024-07.xml" in paths  # the oldest month inside the horizon


def test_a_budget_stops_a_pass_and_the_next_pass_goes_on(
        site: Site, tmp_db: Path, crawl: Crawl) -> None:
    nested = publish(site, 160, spacing=timedelta(hours=12))
    source = replace(source_for_url(site.url("/")), max_new_articles=40, max_sitemaps=30)
    first = crawl([source], tmp_db)
    assert first.returncode == 0, first.stderr[-3000:]
    one = fetched_stories(site, nested)
    assert sorted(one) == list(range(40))  # the newest forty
    start = len(site.requests)
    second = crawl([source], tmp_db)
    assert second.returncode == 0, second.stderr[-3000:]
    two = fetched_stories(site, nested, start)
    assert sorted(two) == list(range(40, 80))  # the next forty, none fetched twice
    read_before = {p for p in site.paths()[:start] if p.startswith("/sitemaps/")}
    assert not read_before & {hit.path for hit in site.requests[start:]}  # none read twice
    start = len(site.requests)
    third = crawl([source_for_url(site.url("/"))], tmp_db)  # default budgets: the rest
    assert third.returncode == 0, third.stderr[-3000:]
    assert sorted(fetched_stories(site, nested, start)) == list(range(80, 160))
    with sqlite3.connect(tmp_db) as conn:
        assert conn.execute("select count(*) from frontier").fetchone() == (0,)


def test_a_sources_horizon_keeps_older_articles_out(
        site: Site, tmp_db: Path, crawl: Crawl) -> None:
    nested = publish(site, 120, spacing=timedelta(days=1))
    source = replace(source_for_url(site.url("/")), horizon=timedelta(days=30))
    result = crawl([source], tmp_db)
    assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(fetched_stories(site, nested)) == list(range(31))  # days 0 to 30


def test_an_old_story_the_home_page_links_is_fetched_after_newer_ones(
        site: Site, tmp_db: Path, crawl: Crawl) -> None:
    """The home page shows it now: the horizon is for what sitemaps and feeds list (real
    case: wcxb-dev 4558, a 2022 guide linked beside a 2024 one)."""
    nested = publish(site, 40, spacing=timedelta(days=1), home=5)
    new, old = ("/news/ferry-returns-to-the-harbour/2025/06",
                "/blog/health/ten-benefits-of-meditation-and-how-to-focus/2022/12")
    site.set(new, article_html(Story(98, new, datetime(2025, 6, 30, tzinfo=UTC))))
    site.set(old, article_html(Story(99, old, datetime(2022, 12, 1, tzinfo=UTC))))
    home = site.pages["/"].body.decode().replace("<ul>", f"<ul><li><a href='{new}'>Ferry</a>")
    site.set("/", home.replace("</ul>", f"<li><a href='{old}'>Meditation</a></li></ul>"))
    result = crawl([source_for_url(site.url("/"))], tmp_db)
    assert result.returncode == 0, result.stderr[-3000:]
    assert archived(tmp_db) == {site.url(p) for p in (new, old, *nested.by_path())}


def test_a_sitemap_named_for_posts_lists_stories_whatever_their_urls(
        site: Site, tmp_db: Path, crawl: Crawl) -> None:
    """Yoast's post-sitemap.xml, Ghost's sitemap-posts.xml: the site says these are its
    posts, so two-word slugs count; its page-sitemap.xml lists pages, which still need a
    story's shape."""
    posts, pages = ["/harbour-reopens/", "/ferry-returns/"], ["/our-team/", "/harbour-map/"]
    for path in posts + pages:
        site.set(path, article_html(Story(0, path, datetime(2025, 6, 30, tzinfo=UTC))))
    site.set("/", "<html><body><h1>Harbour</h1></body></html>")
    site.set("/robots.txt", f"User-agent: *\nSitemap: {site.url('/sitemap_index.xml')}\n",
             headers={"Content-Type": "text/plain"})
    entries = "".join(f"<sitemap><loc>{site.url(name)}</loc></sitemap>"
                      for name in ("/post-sitemap.xml", "/page-sitemap.xml"))
    site.set("/sitemap_index.xml", INDEX.format(ns=NS, body=entries), headers=XML)
    for name, paths in (("/post-sitemap.xml", posts), ("/page-sitemap.xml", pages)):
        body = "".join(f"<url><loc>{site.url(p)}</loc></url>" for p in paths)
        site.set(name, URLSET.format(ns=NS, extra="", body=body), headers=XML)
    result = crawl([source_for_url(site.url("/"))], tmp_db)
    assert result.returncode == 0, result.stderr[-3000:]
    assert archived(tmp_db) == {site.url(p) for p in posts}
    assert not set(pages) & set(site.paths())


def test_section_links_from_the_menus_of_several_templates() -> None:
    page = """<html><body>
    <header><a href="/">Home</a><a href="/politics/">Politics</a></header>
    <ul id="menu-main-menu" class="menu"><li class="menu-item"><a href="/category/sport/">Sport</a>
    </li></ul>
    <nav role="navigation"><a href="/business">Business</a><a href="/about-us">About</a>
    <a href="/search?q=x">Search</a><a href="/static/guide.pdf">Guide</a></nav>
    <div class="navbar-collapse"><a href="/culture">Culture</a><a href="/culture/film.html">Film</a>
    <a href="https://other.example/news/">Elsewhere</a>
    <a href="/news/2025/06/30/a-story-in-the-menu">A story</a></div>
    <main><a href="/opinion/">Opinion, linked from the page body</a></main></body></html>"""
    assert section_links(page, "https://x.example/") == [
        "https://x.example/politics/", "https://x.example/category/sport/",
        "https://x.example/business", "https://x.example/culture"]  # film.html: a story


def test_articles_only_a_section_front_lists_are_found(
        site: Site, tmp_db: Path, crawl: Crawl) -> None:
    story = "<html><head><meta property='og:type' content='article'></head><body><article>" \
            "<h1>{0}</h1>" + "<p>The council met on Monday to discuss {0} at length.</p>" * 3 \
            + "</article></body></html>"
    site.set("/", "<html><body><nav><a href='/politics/'>Politics</a><a href='/about'>About</a>"
                  "</nav><a href='/news/2025/06/30/pier-vote-held'>Pier vote</a></body></html>")
    site.set("/politics/", "<html><body><a href='/news/2025/06/29/budget-passes-at-last'>Budget"
                           "</a></body></html>")
    site.set("/news/2025/06/30/pier-vote-held", story.format("the pier"))
    site.set("/news/2025/06/29/budget-passes-at-last", story.format("the budget"))
    result = crawl([source_for_url(site.url("/"))], tmp_db)
    assert result.returncode == 0, result.stderr[-3000:]
    assert archived(tmp_db) == {site.url("/news/2025/06/30/pier-vote-held"),
                                site.url("/news/2025/06/29/budget-passes-at-last")}
    assert "/about" not in site.paths()


def test_a_failed_fetch_goes_back_to_the_frontier() -> None:
    w = walk()
    w.add_article("https://x.example/a", "2025-06-01T00:00:00Z")
    w.add_article("https://x.example/b", "2025-06-02T00:00:00Z")
    w.take("article", 8)
    w.finish("https://x.example/a", failed=True)
    w.finish("https://x.example/b")
    assert w.frontier() == [Pending("https://x.example/a", "article", "2025-06-01T00:00:00Z")]


def test_the_frontier_is_kept_in_the_archive(tmp_db: Path) -> None:
    frontier = Frontier(tmp_db)
    first = [Pending("https://x.example/s.xml", "sitemap", "2025-06-02T00:00:00Z"),
             Pending("https://x.example/a", "article")]
    frontier.save("x", first, [SitemapRead("https://x.example/i.xml", "2025-06-30T00:00:00Z",
                                           "2026-12-06T00:00:00Z")], "2026-12-06T00:00:00Z")
    frontier.save("y", [Pending("https://y.example/b", "article")], [], "2026-12-06T00:00:00Z")
    assert frontier.pending("x") == first
    frontier.save("x", first[1:], [], "2026-12-06T01:00:00Z")  # replaces x's, keeps reads
    frontier.close()
    again = Frontier(tmp_db)
    assert again.pending("x") == first[1:] and len(again.pending("y")) == 1
    assert again.sitemap_reads("x")["https://x.example/i.xml"].lastmod == "2025-06-30T00:00:00Z"
    again.close()


def test_a_new_article_that_failed_is_tried_again_next_pass(
        site: Site, tmp_db: Path, crawl: Crawl) -> None:
    nested = publish(site, 40, spacing=timedelta(hours=12), home=0)
    flaky = nested.stories[30].path  # listed only by a daily sitemap
    for _ in range(3):  # the first try and both retries
        site.queue(flaky, "busy", status=503)
    source = source_for_url(site.url("/"))
    assert crawl([source], tmp_db).returncode == 0
    assert site.url(flaky) not in archived(tmp_db) and len(archived(tmp_db)) == 39
    start = len(site.requests)
    assert crawl([source], tmp_db).returncode == 0
    assert site.url(flaky) in archived(tmp_db)
    assert not any(hit.path.startswith("/sitemaps/") for hit in site.requests[start:])
    # The root index, listed undated in robots.txt, is asked for with its ETag: a 304.
    again = [hit for hit in site.requests[start:] if hit.path == "/sitemap_index.xml"]
    assert len(again) == 1 and again[0].headers.get("if-none-match")
    with sqlite3.connect(tmp_db) as conn:
        assert conn.execute("select count(*) from fetches where outcome = 'error' and url "
                            "like '%sitemap%'").fetchone() == (0,)


def test_the_usual_sitemap_is_tried_when_robots_txt_names_none(
        site: Site, tmp_db: Path, crawl: Crawl) -> None:
    nested = publish(site, 60, spacing=timedelta(hours=12), home=0)
    site.set("/robots.txt", "User-agent: *\nDisallow: /private/\n")  # no Sitemap: lines
    result = crawl([source_for_url(site.url("/"))], tmp_db)
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(archived(tmp_db)) == 60 == len(nested.stories)  # via /sitemap_index.xml
    assert site.paths().count("/sitemap.xml") == 1  # missing: tried, and no error row
    with sqlite3.connect(tmp_db) as conn:
        assert conn.execute("select count(*) from fetches where outcome = 'error'"
                            ).fetchone() == (0,)


def test_short_headlines_count_in_a_heading_or_an_article_card() -> None:
    page = """<html><body><nav><h2><a href="/sport/fixtures">Fixtures and results</a></h2></nav>
    <article><h2><a href="/news/pier">Pier to reopen</a></h2></article>
    <div class="card"><a href="/x/ferry"><h3>Ferry fares rise</h3></a></div>
    <div><a href="/news/short">Three plain words</a></div>
    <h2><a href="/sport">Sport</a></h2></body></html>"""
    assert headline_links(page, "https://x.example/") == [
        "https://x.example/news/pier", "https://x.example/x/ferry"]
