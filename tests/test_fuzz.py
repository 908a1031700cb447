"""Fuzzing: clean_page and the feed, sitemap and robots.txt parsers on hostile input.

Hypothesis builds tag soup from real tags and attributes, deep nesting, entities,
CDATA, comments, wrongly declared encodings, huge attribute values, gzip bombs
and random bytes. The properties: nothing raises (and clean_page's last-resort
guard never has to catch anything), the body has the contract's paragraph form,
and the parsers return absolute http(s) URLs (issue 5).

In the suite each test runs a few dozen examples, derandomized so CI never
flakes; `make fuzz` runs STET_FUZZ_EXAMPLES (default 20000) new random ones each.
"""

from __future__ import annotations

import gzip
import os
import re
from urllib.parse import urlsplit

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scraper.clean import clean_page
from scraper.crawl.discover import (
    find_feeds,
    find_links,
    headline_links,
    parse_feed,
    parse_robots_sitemaps,
    parse_sitemap,
)
from support.clean import unguarded

EXAMPLES = int(os.environ.get("STET_FUZZ_EXAMPLES", "0"))
FUZZ = settings(max_examples=EXAMPLES or 25, deadline=None, derandomize=not EXAMPLES,
                suppress_health_check=list(HealthCheck), print_blob=True)

TAGS = ("html head body title meta link script style noscript template article main section "
        "div p span a h1 h2 h3 header footer nav aside figure figcaption img picture source br "
        "hr ul ol li table tr td th blockquote pre code time iframe svg math form input button "
        "select option textarea b i em strong sup sub font center object embed video button "
        "address details summary dialog frameset frame plaintext xmp listing").split()
ATTRS = ("class id itemprop itemscope itemtype property name content href src srcset charset "
         "http-equiv rel type style lang dir datetime data-component role aria-hidden hidden "
         "xml:base xmlns").split()
ENTITIES = ["&amp;", "&lt;", "&gt;", "&quot;", "&nbsp;", "&#0;", "&#x0;", "&#xD800;",
            "&#x110000;", "&#99999999999;", "&bogus;", "&", "&#", "&#x;", "&eacute", "&zwnj;",
            "&#x202E;", "&shy;"]
JUNK = ["<![CDATA[", "]]>", "<!--", "-->", "--!>", "<!DOCTYPE html>", "<?xml version='1.0'?>",
        "<!ENTITY x 'y'>", "</", "<", ">", "/>", "'", '"', "=", "\x00", "\r", "\t", "\u2028",
        "\ufeff", "\u200b", "\xa0", "\u3000"]
ENCODINGS = ["utf-8", "utf-16", "utf-16-be", "utf-32", "latin-1", "cp1252", "cp1251", "koi8-r",
             "shift_jis", "euc-jp", "gb18030", "big5", "iso-2022-jp", "utf-7"]
DECLARED = [*ENCODINGS, "", "utf-42", "x-user-defined", "binary", "unicode", "none", "\x00"]
BASES = ["http://example.com/", "https://news.example.org/a/b/c.html?x=1#y", "", "not a url",
         "ftp://example.com/", "http://[::1]:8080/", "https://xn--bcher-kva.example/",
         "http://exa mple.com/", "file:///etc/passwd", "javascript:alert(1)"]

words = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)
text_bits = st.one_of(words, st.sampled_from(ENTITIES), st.sampled_from(JUNK),
                      st.sampled_from(["Fire crews fought a blaze.", "By Ann Lee", "5 min ago",
                                       "Read more", "Advertisement"]))
urls = st.one_of(st.sampled_from(["/2026/11/28/harbour-fire", "//cdn.example/x", "?page=2",
                                  "#top", "javascript:void(0)", "mailto:a@b", "data:,x", "",
                                  " http://example.com/a b ", "HTTP://EXAMPLE.COM:80/../a",
                                  "http://[::1", "http://a.com:99999/", "\\\\server\\share",
                                  "https://example.com/story?utm_source=x&id=12345"]),
                 words.map(lambda w: "/" + w), st.just("http://x/" + "a" * 5000))
attr_values = st.one_of(words, urls, st.sampled_from(ENTITIES),
                        st.integers(1, 200_000).map(lambda n: "x" * n))


@st.composite
def attributes(draw: st.DrawFn) -> str:
    pairs = draw(st.lists(st.tuples(st.sampled_from(ATTRS), attr_values), max_size=4))
    quote = draw(st.sampled_from(['"', "'", ""]))
    return "".join(f" {name}={quote}{value}{quote}" for name, value in pairs)


def element(tag: str, attrs: str, children: list[str], closed: bool) -> str:
    return f"<{tag}{attrs}>{''.join(children)}" + (f"</{tag}>" if closed else "")


soup = st.recursive(
    text_bits,
    lambda inner: st.builds(element, st.sampled_from(TAGS), attributes(),
                            st.lists(inner, max_size=6), st.booleans()),
    max_leaves=40,
)


@st.composite
def deep(draw: st.DrawFn) -> str:
    """Nesting far deeper than any parser's limit, closed or not."""
    depth = draw(st.integers(100, 5000))
    tag = draw(st.sampled_from(["div", "p", "span", "b", "table", "li", "a", "font"]))
    inside = draw(text_bits)
    closing = f"</{tag}>" * depth if draw(st.booleans()) else ""
    return f"<{tag}>" * depth + inside + closing


@st.composite
def pages(draw: st.DrawFn) -> tuple[bytes | str, str | None]:
    """A page as clean_page gets it: text, or bytes in one encoding declared as another."""
    markup = "".join(draw(st.lists(st.one_of(soup, deep()), min_size=1, max_size=4)))
    if draw(st.booleans()):
        return markup, None
    actual, declared = draw(st.sampled_from(ENCODINGS)), draw(st.sampled_from(DECLARED))
    where = draw(st.sampled_from(["meta", "xml", "bom", "none"]))
    head = {"meta": f'<meta charset="{declared}">', "none": "",
            "xml": f'<?xml version="1.0" encoding="{declared}"?>',
            "bom": draw(st.sampled_from(["\ufeff", "\ufffe"]))}[where]
    data = (head + markup).encode(actual, errors="replace")
    return data, draw(st.one_of(st.none(), st.sampled_from(DECLARED)))


def assert_plain_text(page_body: str) -> None:
    """The contract's form: paragraphs split by one blank line, spaces collapsed."""
    if not page_body:
        return
    assert "\n\n\n" not in page_body
    for paragraph in page_body.split("\n\n"):
        assert paragraph, repr(page_body[:200])
        assert paragraph == re.sub(r"\s+", " ", paragraph).strip(), repr(paragraph[:200])


def assert_absolute(found: list[str] | tuple[str, ...]) -> None:
    assert isinstance(found, list | tuple)
    assert len(set(found)) == len(found)
    for url in found:
        assert isinstance(url, str)
        parts = urlsplit(url)
        assert parts.scheme in ("http", "https") and parts.hostname, url


@FUZZ
@given(pages(), st.sampled_from(BASES))
def test_clean_page_on_tag_soup(page: tuple[bytes | str, str | None], url: str) -> None:
    html, encoding = page
    with unguarded():
        cleaned = clean_page(html, url, encoding=encoding)
    for value in (cleaned.headline, cleaned.byline, cleaned.body):
        assert isinstance(value, str)
    assert_plain_text(cleaned.body)
    assert cleaned.headline == cleaned.headline.strip() and "\n" not in cleaned.headline


@FUZZ
@given(st.binary(max_size=4096), st.one_of(st.none(), st.sampled_from(DECLARED)))
def test_clean_page_on_random_bytes(data: bytes, encoding: str | None) -> None:
    with unguarded():
        cleaned = clean_page(data, encoding=encoding)
    assert_plain_text(cleaned.body)


FEED_TAGS = ("rss channel item link guid title description entry feed id content summary "
             "rdf:RDF rdf:about urlset url loc sitemapindex sitemap lastmod news:news").split()
FEED_ATTRS = ("href rel isPermaLink xml:base rdf:about xmlns xmlns:rdf xmlns:news type "
              "version").split()


@st.composite
def xml_attributes(draw: st.DrawFn) -> str:
    pairs = draw(st.lists(st.tuples(st.sampled_from(FEED_ATTRS), attr_values), max_size=3))
    return "".join(f' {name}="{value}"' for name, value in pairs)


xml_soup = st.recursive(
    st.one_of(text_bits, urls, urls.map(lambda u: f"<![CDATA[{u}]]>")),
    lambda inner: st.builds(element, st.sampled_from(FEED_TAGS), xml_attributes(),
                            st.lists(inner, max_size=6), st.booleans()),
    max_leaves=40,
)
PROLOGS = ["", '<?xml version="1.0" encoding="utf-8"?>', '<?xml version="1.0" encoding="utf-16"?>',
           '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
           '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>',
           '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "\ufeff", "   \n"]


@st.composite
def documents(draw: st.DrawFn) -> bytes:
    """A feed or sitemap: XML soup (maybe gzipped, maybe mis-encoded) or random bytes."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=2048))
    text = draw(st.sampled_from(PROLOGS)) + "".join(draw(st.lists(xml_soup, max_size=4)))
    data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    if draw(st.integers(0, 4)) == 0:
        data = gzip.compress(data) if draw(st.booleans()) else gzip.compress(data)[:-8]
    return data


@FUZZ
@given(documents(), st.sampled_from(BASES))
def test_feed_and_sitemap_parsers(body: bytes, base: str) -> None:
    assert_absolute(parse_feed(body, base))
    sitemap = parse_sitemap(body, base)
    assert_absolute(sitemap.urls)
    assert_absolute(sitemap.sitemaps)


robots_lines = st.one_of(
    st.builds(lambda key, value: f"{key}:{value}",
              st.sampled_from(["Sitemap", "sitemap", " SITEMAP ", "Disallow", "User-agent",
                               "Sitemap\x00", "Site map"]),
              st.one_of(urls, words, urls.map(lambda u: f" {u} # comment"))),
    words,
)


@FUZZ
@given(st.lists(robots_lines, max_size=20).map("\n".join), st.sampled_from(BASES))
def test_robots_sitemaps(text: str, base: str) -> None:
    assert_absolute(parse_robots_sitemaps(text, base))


@FUZZ
@given(pages(), st.sampled_from(BASES))
def test_home_page_discovery(page: tuple[bytes | str, str | None], base: str) -> None:
    html, _ = page
    assert_absolute(find_links(html, base))
    assert_absolute(find_feeds(html, base))
    assert_absolute(headline_links(html, base))
