"""scraper.crawl.discover: pure functions on saved feeds, sitemaps, robots.txt and pages."""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scraper.crawl.discover import (
    Sitemap,
    canonical_link,
    classify_page,
    find_feeds,
    find_links,
    page_is_article,
    parse_feed,
    parse_robots_sitemaps,
    parse_sitemap,
    sniff_document,
)
from scraper.urls import canonicalize_url, looks_like_article_url, same_site

SITES = Path(__file__).parent.parent / "sites" / "discover"
BENCHMARK = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "article-extraction"
HN = "https://www.harbour-news.example"


def fixture(name: str) -> bytes:
    return (SITES / name).read_bytes()


@pytest.mark.parametrize(("url", "expected"), [
    ("HTTPS://WWW.Example.COM:443/a/B?utm_source=x&id=3&fbclid=1&b=2#frag",
     "https://www.example.com/a/B?id=3&b=2"),
    ("http://example.com", "http://example.com/"),
    ("http://example.com:80/x", "http://example.com/x"),
    ("https://example.com:8443/x", "https://example.com:8443/x"),
    ("https://example.com/x?UTM_Campaign=a&gclid=b&mc_cid=c&mc_eid=d", "https://example.com/x"),
    ("https://example.com/x?ocid=a&cmpid=b&_ga=c&igshid=d&smid=e&ref=f&ref_src=g",
     "https://example.com/x"),
    ("https://example.com/x?page=2&ref=rss&sort=new", "https://example.com/x?page=2&sort=new"),
    ("https://example.com/x?q=a%20b&utm_medium=email", "https://example.com/x?q=a%20b"),
    ("https://example.com/x?", "https://example.com/x"),
    ("  https://example.com/x  ", "https://example.com/x"),
    ("https://example.com./x", "https://example.com/x"),
    ("http://[::1]:80/x", "http://[::1]/x"),
    ("http://[::1", "http://[::1"),  # unparseable: left as it is
])
def test_canonicalize_url(url: str, expected: str) -> None:
    assert canonicalize_url(url) == expected


@given(st.text(max_size=80))
@settings(max_examples=300, deadline=None)
def test_canonicalize_url_never_raises_and_is_idempotent(text: str) -> None:
    once = canonicalize_url("https://example.com/" + text)
    assert canonicalize_url(once) == once


@pytest.mark.parametrize("url", [
    "https://ex.com/2025/09/05/some-story",
    "https://ex.com/news/2025/09/05/123456",
    "https://ex.com/2025-09-05/storm",
    "https://ex.com/news/world-europe-12345678",
    "https://ex.com/world/big-long-slug-here-now",
    "https://ex.com/news/story.html",
    "https://ex.com/business/fish-market.html",
    "https://ex.com/2019/11/18/politics/trump-health/index.html",
    "https://ex.com/article/3834/1",
    "https://ex.com/en-us/news/a-long-story-slug-here/ar-BBWXwNX",
    "https://ex.com/?p=123",
    "https://ex.com/story.php?id=98765",
    # a story two levels or more below a listing-like segment
    "https://ex.com/section/politics/2025/09/05/budget-vote-passes-narrowly",
    "https://ex.com/video/2025/09/05/storm-closes-the-coast-road",
    "https://ex.com/terms/d/digital-marketing.asp",
    "https://ex.com/index.php?option=com_content&view=article&id=12:council-votes&catid=3",
    # a slug followed by the month or day it was filed under (wcxb-dev 4558, 0368, 4172, 0279)
    "https://ex.com/blog/cultivating-health/10-health-benefits-of-meditation/2022/12",
    "https://ex.com/leadership/why-hasnt-tutoring-been-more-effective/2025/11",
    "https://ex.com/newsletter-x/guide-to-landscape-photography-composition/2024/09/16",
])
def test_article_urls(url: str) -> None:
    assert looks_like_article_url(url)


@pytest.mark.parametrize("url", [
    "https://ex.com/", "https://ex.com", "https://ex.com/world", "https://ex.com/world/europe",
    "https://ex.com/2025/09/", "https://ex.com/2025/09/05/",
    "https://ex.com/tag/ukraine-war-latest-news", "https://ex.com/tags/x",
    "https://ex.com/topic/elections-2025-live-results", "https://ex.com/author/jane-doe-smith-jones",
    "https://ex.com/authors/jane", "https://ex.com/category/local-news-from-the-bay",
    "https://ex.com/about", "https://ex.com/contact", "https://ex.com/privacy",
    "https://ex.com/terms", "https://ex.com/search?q=a-b-c-d", "https://ex.com/login",
    "https://ex.com/subscribe", "https://ex.com/news/page/2", "https://ex.com/feed",
    "https://ex.com/rss/world-news-latest-stories.xml", "https://ex.com/img/a-b-c-d-12345.jpg",
    "https://ex.com/files/annual-report-2025-final-version.pdf", "https://ex.com/index.html",
    "https://ex.com/news/index.html", "https://ex.com/article/", "ftp://ex.com/2025/09/05/x-y-z",
    "mailto:a@ex.com", "http://[::1",
    "https://ex.com/news/tag/ukraine-war-latest-news", "https://ex.com/category/news/page/2",
    "https://ex.com/section/world/europe", "https://ex.com/2025/09/05/about",
    "https://ex.com/news/2025/09", "https://ex.com/category/local-news-from-the-bay/2025/09",
    "https://ex.com/a-long-story-slug/2025/13",
])
def test_non_article_urls(url: str) -> None:
    assert not looks_like_article_url(url)


@pytest.mark.parametrize(("url", "pattern", "expected"), [
    ("https://ex.com/world", r"/world$", True),  # the pattern decides, heuristics or not
    ("https://ex.com/2025/09/05/some-story", r"/news/\d+", False),
    ("https://ex.com/news/123", r"/news/\d+", True),
])
def test_article_pattern_decides(url: str, pattern: str, expected: bool) -> None:
    assert looks_like_article_url(url, pattern) is expected


@pytest.mark.parametrize(("name", "expected"), [
    ("rss2.xml", [f"{HN}/news/2025/09/05/council-votes-to-rebuild-pier",
                  f"{HN}/news/2025/09/04/ferry-timetable-changes-monday",
                  f"{HN}/local/fishing-quotas-cut-for-next-season-987654"]),
    ("rss1.rdf", ["https://bay-times.example/2025/09/03/storm-closes-coastal-road",
                  "https://bay-times.example/2025/09/02/school-opens-new-library"]),
    ("atom.xml", ["https://blog.coast.example/posts/lighthouse-restoration-finished-after-two-years",
                  "https://blog.coast.example/posts/harbour-seals-counted-this-summer"]),
])
def test_parse_feed(name: str, expected: list[str]) -> None:
    assert parse_feed(fixture(name), f"{HN}/feeds/all.rss") == expected


GARBAGE = [
    b"", b"   ", b"\x00\xff\xfe garbage", b"<html><body>not a feed</body></html>",
    b"<rss><channel><item><link>", b"{\"json\": true}", b"\x1f\x8b not really gzip",
    fixture("sitemap.xml") if SITES.exists() else b"",
]


@pytest.mark.parametrize("body", GARBAGE)
def test_parse_feed_garbage_gives_nothing(body: bytes) -> None:
    assert parse_feed(body, HN) == []


def test_parse_feed_truncated_keeps_what_it_read() -> None:
    body = fixture("rss2.xml")
    cut = body[: body.index(b"<title>Relative")]
    assert parse_feed(cut, HN)[:2] == parse_feed(body, HN)[:2]


def test_parse_feed_does_not_expand_entities() -> None:
    evil = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">'
            b'<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
            b"<rss><channel><item><link>https://ex.com/&x;/&c;</link></item></channel></rss>")
    links = parse_feed(evil, HN)
    assert not any("root:" in link or "aaaaaaaaaa" in link for link in links)


@pytest.mark.parametrize(("name", "expected"), [
    ("sitemap.xml", Sitemap(urls=(
        f"{HN}/news/2025/09/05/council-votes-to-rebuild-pier",
        f"{HN}/sport/2025/09/04/rowing-club-wins-regional-final", f"{HN}/tag/pier"))),
    ("sitemap-index.xml", Sitemap(sitemaps=(f"{HN}/sitemaps/news.xml",
                                            f"{HN}/sitemaps/2025-09.xml.gz"))),
    ("news-sitemap.xml", Sitemap(urls=(
        f"{HN}/business/2025/09/05/fish-market-reopens-after-fire",
        f"{HN}/news/2025/09/05/tide-warning-issued-for-weekend"))),
    ("sitemap.txt", Sitemap(urls=(f"{HN}/news/2025/09/05/council-votes-to-rebuild-pier",
                                  f"{HN}/news/2025/09/01/new-bus-route-to-the-harbour"))),
])
def test_parse_sitemap(name: str, expected: Sitemap) -> None:
    assert parse_sitemap(fixture(name), f"{HN}/sitemap.xml") == expected
    assert parse_sitemap(gzip.compress(fixture(name)), f"{HN}/sitemap.xml.gz") == expected


@pytest.mark.parametrize("body", GARBAGE[:7] + [fixture("rss2.xml")])
def test_parse_sitemap_garbage_gives_nothing(body: bytes) -> None:
    assert parse_sitemap(body, HN) == Sitemap()


def test_gzip_bomb_is_cut_off() -> None:
    # 60 MB of white space after the first URL: more than the 50 MB sitemap limit.
    body = (b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>'
            + f"{HN}/news/2025/09/05/a-story".encode() + b"</loc></url>"
            + b" " * (60 * 1024 * 1024) + b"<url><loc>https://ex.com/2025/09/05/late</loc></url>"
            + b"</urlset>")
    bomb = gzip.compress(body, compresslevel=1)
    assert len(bomb) < 1_000_000
    started = time.monotonic()
    sitemap = parse_sitemap(bomb, HN)
    assert time.monotonic() - started < 10
    assert sitemap.urls == (f"{HN}/news/2025/09/05/a-story",)


def test_parse_robots_sitemaps() -> None:
    text = fixture("robots.txt").decode()
    assert parse_robots_sitemaps(text, f"{HN}/robots.txt") == [
        f"{HN}/sitemap-index.xml", f"{HN}/news-sitemap.xml", f"{HN}/relative-sitemap.xml"]
    assert parse_robots_sitemaps(text) == [f"{HN}/sitemap-index.xml", f"{HN}/news-sitemap.xml"]
    assert parse_robots_sitemaps("") == []
    assert parse_robots_sitemaps("\x00garbage\nSitemap:\n") == []


def test_find_feeds() -> None:
    assert find_feeds(fixture("home.html"), f"{HN}/") == [
        f"{HN}/feeds/all.rss", f"{HN}/feeds/sport.atom"]
    assert find_feeds(b"", HN) == []
    assert find_feeds("<p>no head</p>", HN) == []


def test_find_links_same_site_canonical_unique_in_order() -> None:
    assert find_links(fixture("home.html"), f"{HN}/") == [
        f"{HN}/", f"{HN}/news/", f"{HN}/sport", f"{HN}/tag/pier", f"{HN}/author/a-reporter",
        f"{HN}/about", f"{HN}/subscribe", f"{HN}/search?q=", f"{HN}/page/2",
        f"{HN}/news/2025/09/05/council-votes-to-rebuild-pier",
        f"{HN}/sport/2025/09/04/rowing-club-wins-regional-final",
        "https://m.harbour-news.example/local/fishing-quotas-cut-for-next-season-987654",
        f"{HN}/business/fish-market-reopens-after-fire.html",
        f"{HN}/img/pier.jpg",
    ]


def test_home_page_articles() -> None:
    links = find_links(fixture("home.html"), f"{HN}/")
    assert [link for link in links if looks_like_article_url(link)] == [
        f"{HN}/news/2025/09/05/council-votes-to-rebuild-pier",
        f"{HN}/sport/2025/09/04/rowing-club-wins-regional-final",
        "https://m.harbour-news.example/local/fishing-quotas-cut-for-next-season-987654",
        f"{HN}/business/fish-market-reopens-after-fire.html",
    ]


def test_find_links_honours_base_href() -> None:
    html = '<html><head><base href="https://ex.com/news/"></head><body><a href="a-b">x</a>'
    assert find_links(html, "https://ex.com/") == ["https://ex.com/news/a-b"]


@pytest.mark.parametrize(("html", "expected"), [
    ('<link rel="canonical" href="/news/a-story?utm_source=x">', "https://www.ex.com/news/a-story"),
    ('<link rel="canonical" href="https://m.ex.com/news/a-story">', "https://m.ex.com/news/a-story"),
    ('<link rel="canonical" href="https://other.example/news/a-story">', ""),
    ('<link rel="canonical" href="javascript:alert(1)">', ""),
    ('<link rel="canonical" href="ftp://www.ex.com/x">', ""),
    ('<link rel="Canonical Alternate" href="/x">', "https://www.ex.com/x"),
    ('<link rel="canonical">', ""),
    ("", ""),
])
def test_canonical_link(html: str, expected: str) -> None:
    assert canonical_link(f"<html><head>{html}</head><body></body></html>" if html else "",
                          "https://www.ex.com/news/other") == expected


@pytest.mark.parametrize(("href", "expected"), [
    # a bare title resolved against the page's address (wcxb-dev 4690): ignored
    ("What are the different types of wine?", ""),
    ("/blog/2023/10/03/wine-styles/page-2", ""),
    ("/blog/2023/10/03/wine-styles/", "https://www.ex.com/blog/2023/10/03/wine-styles/"),
    ("/blog/wine-styles", "https://www.ex.com/blog/wine-styles"),
    ("https://www.ex.com/blog/2023/10/03/", "https://www.ex.com/blog/2023/10/03/"),
])
def test_a_canonical_below_the_page_itself_is_a_markup_error(href: str, expected: str) -> None:
    page = f'<html><head><link rel="canonical" href="{href}"></head><body></body></html>'
    assert canonical_link(page, "https://www.ex.com/blog/2023/10/03/wine-styles/") == expected


ARTICLE_LD = '<script type="application/ld+json">{"@type": "%s"}</script>'


@pytest.mark.parametrize(("head", "expected"), [
    ('<meta property="og:type" content="article">', True),
    (ARTICLE_LD % "NewsArticle", True),
    (ARTICLE_LD % "ReportageNewsArticle", True),
    ('<script type="application/ld+json">[{"@type": ["BlogPosting"]}]</script>', True),
    ('<script type="application/ld+json">{"@graph": [{"@type": "WebSite"}, '
     '{"@type": "Article"}]}</script>', True),
    (ARTICLE_LD % "CollectionPage", False),
    (ARTICLE_LD % "ProfilePage", False),
    (ARTICLE_LD % "AboutPage", False),
    ('<meta property="og:type" content="profile">', False),
    ('<meta property="og:type" content="website">' + ARTICLE_LD % "WebSite", False),
    ('<meta property="og:type" content="website">', None),  # real articles say this too
    (ARTICLE_LD % "WebSite", None),
    ('<script type="application/ld+json">{broken json</script>', None),
    ("<title>nothing said</title>", None),
])
def test_page_is_article(head: str, expected: bool | None) -> None:
    assert page_is_article(f"<html><head>{head}</head><body><p>x</p></body></html>") is expected


def test_a_site_that_calls_every_page_a_website_still_has_stories() -> None:
    website = '<meta property="og:type" content="website">' + ARTICLE_LD % "WebSite"
    story = "".join(f"<p>{'A sentence of the story that runs on for a while. ' * 4}{n}</p>"
                    for n in range(6))
    teasers = "".join(f"<div class='card'><h2><a href='/s{n}'>Story {n}</a></h2><p>"
                      f"{'An excerpt of the story that runs on for a while. ' * 4}</p></div>"
                      for n in range(12))
    page = "<html><head>{}</head><body><main>{}</main></body></html>"
    assert page_is_article(page.format(website, f"<article>{story}</article>")) is None
    assert page_is_article(page.format(website, teasers)) is False


@pytest.mark.skipif(not (BENCHMARK.parent / "wcxb-dev").is_dir(), reason="needs ../shared")
@pytest.mark.parametrize("page", ["0091", "0244"])  # real blog posts, og:type website
def test_real_blog_posts_that_say_website_are_not_refused(page: str) -> None:
    html = gzip.open(BENCHMARK.parent / "wcxb-dev" / "html" / f"{page}.html.gz").read()
    assert page_is_article(html) is not False


def test_page_is_article_on_fixtures() -> None:
    assert page_is_article(fixture("section.html")) is False
    assert classify_page(fixture("section.html")).evidence == "JSON-LD collectionpage"
    assert page_is_article(fixture("home.html")) is False
    assert page_is_article(b"") is None


def benchmark_pages() -> list[tuple[str, bytes]]:
    if not BENCHMARK.exists():
        return []
    truth = json.loads((BENCHMARK / "ground-truth.json").read_text())
    return [(entry["url"], gzip.decompress((BENCHMARK / "html" / f"{key}.html.gz").read_bytes()))
            for key, entry in sorted(truth.items())]


@pytest.mark.skipif(not BENCHMARK.exists(), reason="../shared/datasets not present")
def test_real_articles_are_never_called_non_articles() -> None:
    """181 real article pages (Zyte benchmark): none may be skipped as a non-article."""
    pages = benchmark_pages()
    assert len(pages) > 150
    refused = [url for url, html in pages if page_is_article(html) is False]
    assert refused == []
    said_yes = sum(page_is_article(html) is True for _, html in pages)
    assert said_yes / len(pages) > 0.9


@pytest.mark.skipif(not BENCHMARK.exists(), reason="../shared/datasets not present")
def test_real_article_urls_look_like_articles() -> None:
    urls = [url for url, _ in benchmark_pages()]
    missed = [url for url in urls if not looks_like_article_url(url)]
    assert len(missed) / len(urls) < 0.05, missed


@pytest.mark.parametrize(("name", "content_type", "url", "expected"), [
    ("rss2.xml", "application/rss+xml", "/feed", "feed"),
    ("rss2.xml", "text/html", "/feed", "html"),  # a server that lies: HTML wins
    ("atom.xml", "application/xml", "/atom", "feed"),
    ("rss1.rdf", "", "/rdf", "feed"),
    ("sitemap.xml", "text/xml", "/sitemap.xml", "sitemap"),
    ("sitemap-index.xml", "application/xml", "/s", "sitemap"),
    ("sitemap.txt", "text/plain", "/sitemap.txt", "sitemap"),
    ("robots.txt", "text/plain", "/robots.txt", "robots"),
    ("home.html", "text/html; charset=utf-8", "/", "html"),
    ("home.html", "", "/", "html"),
])
def test_sniff_document(name: str, content_type: str, url: str, expected: str) -> None:
    assert sniff_document(fixture(name), content_type, HN + url) == expected


def test_sniff_document_gzip_and_unknown() -> None:
    assert sniff_document(gzip.compress(fixture("sitemap.xml")), "application/x-gzip",
                          f"{HN}/s.xml.gz") == "sitemap"
    assert sniff_document(b"\x89PNG\r\n", "image/png", f"{HN}/x.png") == ""
    assert sniff_document(b"just words", "text/plain", f"{HN}/x") == ""


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("https://www.bbc.co.uk/news", "https://bbc.co.uk/", True),
    ("https://news.example.com/", "http://example.com/x", True),
    ("https://example.co.uk/", "https://other.co.uk/", False),
    ("http://127.0.0.1:8000/", "http://127.0.0.1:9000/x", True),
    ("https://example.com/", "ftp://example.com/", False),
])
def test_same_site(a: str, b: str, expected: bool) -> None:
    assert same_site(a, b) is expected


@given(st.binary(max_size=2000))
@settings(max_examples=150, deadline=None)
def test_parsers_never_raise(body: bytes) -> None:
    parse_feed(body, HN)
    parse_sitemap(body, HN)
    find_links(body, HN)
    find_feeds(body, HN)
    canonical_link(body, HN)
    classify_page(body)
    sniff_document(body, "", HN)
    parse_robots_sitemaps(body.decode("utf-8", errors="replace"))


def test_canonical_urls_are_escaped_as_scrapy_requests_them() -> None:
    from scrapy import Request

    from scraper.urls import canonicalize_url

    for raw in ("http://news.example/x y", "http://news.example/Ärger?b=1", "http://news.example/%7Ea"):
        assert canonicalize_url(raw) == canonicalize_url(Request(raw).url)
    assert canonicalize_url("http://news.example/x y") == "http://news.example/x%20y"


@pytest.mark.parametrize(("url", "expected"), [
    ("https://ex.com/news/bridge-closes", True),
    ("https://ex.com/p/8f3a2c", True),
    ("https://ex.com/world", True),
    ("https://ex.com/?p=123", True),
    ("https://ex.com/", False),
    ("https://ex.com/index.html", False),
    ("https://ex.com/tag/bridges", False),
    ("https://ex.com/newsletter/the-bridge-that-closed-for-good", True),  # one level below
    ("https://ex.com/topics/health/best-toothbrush", True),  # two levels: a shorter slug
    ("https://ex.com/feeds/x8k2/entries/q7f3p.html", True),  # two levels: any page name
    ("https://ex.com/tag/new-york", False),
    ("https://ex.com/topics/health", False),
    ("https://ex.com/category/world", False),
    ("https://ex.com/news/feed", False),
    ("https://ex.com/media/photo.jpg", False),
    ("ftp://ex.com/news/bridge-closes", False),
])
def test_feed_entries_need_only_not_look_like_something_else(url: str, expected: bool) -> None:
    from scraper.urls import may_be_article_url

    assert may_be_article_url(url) is expected


@pytest.mark.parametrize(("url", "expected"), [
    ("https://ex.com/post-sitemap.xml", True),  # Yoast
    ("https://ex.com/post-sitemap2.xml", True),
    ("https://ex.com/sitemap-posts.xml", True),  # Ghost
    ("https://ex.com/wp-sitemap-posts-post-1.xml", True),  # WordPress core
    ("https://ex.com/news-sitemap.xml", True),
    ("https://ex.com/wp-sitemap-posts-page-1.xml", False),  # WordPress pages
    ("https://ex.com/wp-sitemap-posts-product-1.xml", False),
    ("https://ex.com/page-sitemap.xml", False),
    ("https://ex.com/sitemap-tags.xml", False),
    ("https://ex.com/sitemap-pages.xml", False),
    ("https://ex.com/sitemap.xml", False),
    ("https://ex.com/sitemaps/2025-06.xml", False),
])
def test_a_sitemap_named_for_posts_lists_stories(url: str, expected: bool) -> None:
    from scraper.crawl.discover import lists_stories

    assert lists_stories(url) is expected


def test_three_word_slugs_are_stories_on_a_page() -> None:
    assert looks_like_article_url("https://ex.com/news/city-council-vote")
    assert not looks_like_article_url("https://ex.com/news/city-council")


def test_headline_links_are_teasers_outside_navigation() -> None:
    from scraper.crawl.discover import headline_links

    page = """<html><body>
      <nav><a href="/world">World news from every continent and region</a></nav>
      <main>
        <a href="/n/8842">Council votes to close the harbour bridge for repairs</a>
        <a href="/n/8843">Short</a>
        <a href="/n/8844" title="Ferry fares rise again as winter timetable begins"><img src="x.jpg"></a>
        <a href="https://elsewhere.example/x">Another site writes about the same bridge closure</a>
      </main>
      <footer><a href="/jobs/reporter">We are hiring a reporter for the coast desk</a></footer>
    </body></html>"""
    assert headline_links(page, "https://news.example/") == [
        "https://news.example/n/8842", "https://news.example/n/8844"]
