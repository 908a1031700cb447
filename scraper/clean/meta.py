"""What a page says about itself: meta tags, JSON-LD, <title>, <h1> (for clean.py).

Headline, byline, dates, canonical URL, language and the blocked-page verdict.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from scraper.clean import rules as rules
from scraper.clean.byline import element_byline, labelled_byline, squash

WORD_RE = re.compile(r"\w+")
MAX_JSONLD_DEPTH = 8
MAX_H1S = 8
ENTITY_RE = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")  # escaped twice
HEADING_BREAKS = frozenset({"br", "div", "p", "small"})
# Inside an <h1>, not its words: a date, a byline line, a heading of its own.
HEADING_SKIPPED = frozenset({"time", "script", "style", "h2", "h3", "h4", "h5", "h6"})
HEADING_SKIPPED_CLASS_RE = re.compile(r"\b(?:byline|posted-on|entry-date|author)\b", re.I)
# An <h1> that is site chrome: in a menu or a page's margins, or the site's logo.
CHROME_TAGS = frozenset({"nav", "footer", "aside", "button", "menu", "dialog"})
CHROME_CLASS_RE = re.compile(r"logo|brand|site-?title|site-?name", re.I)
LINK_TEXT_MAX_WORDS = 8  # a menu's or a list's link, whose text may name a section


@dataclass
class Meta:
    """What the page says about itself: meta tags, JSON-LD, <title>, <h1>."""

    tags: dict[str, str] = field(default_factory=dict)
    ld: dict[str, Any] = field(default_factory=dict)
    title: str = ""
    h1: str = ""
    h1s: list[str] = field(default_factory=list)  # the first few <h1>s' texts
    story_h1s: list[str] = field(default_factory=list)  # neither chrome nor a teaser card
    site_h1s: list[str] = field(default_factory=list)  # a logo <h1>: the site's name
    link_texts: frozenset[str] = frozenset()  # short links' texts, lower case
    headings: frozenset[str] = frozenset()  # <h2>s' and <h3>s' texts, lower case


def read_meta(root: lxml.html.HtmlElement) -> Meta:
    meta = Meta()
    for el in root.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop")
               or el.get("http-equiv") or "").strip().lower()
        content = squash(el.get("content") or "")
        if key and content and key not in meta.tags:
            meta.tags[key] = content
    meta.ld = read_jsonld(root)
    title = root.find(".//title")
    meta.title = unescape_twice(squash(title.text_content())) if title is not None else ""
    read_h1s(root, meta)
    return meta


def read_h1s(root: lxml.html.HtmlElement, meta: Meta) -> None:
    h1s = list(itertools.islice(root.iter("h1"), 4 * MAX_H1S))
    own_urls = [meta.tags.get("og:url", ""), *(
        link.get("href") or "" for link in root.iter("link")
        if (link.get("rel") or "").lower() == "canonical")]
    own = {_path(u) for u in own_urls} - {""}
    hosts = {_host(u) for u in own_urls} - {""}
    cards = [h for h in h1s if not is_teaser_heading(h, own, hosts)]
    meta.h1s = [text for text in (heading_text(h) for h in cards or h1s) if text][:MAX_H1S]
    meta.h1 = meta.h1s[0] if meta.h1s else ""
    chrome = [h for h in cards if is_chrome_heading(h) or is_section_heading(h)]
    meta.story_h1s = [t for t in (heading_text(h) for h in cards if h not in chrome) if t]
    meta.site_h1s = [t for t in (heading_text(h) for h in h1s if is_logo(h)) if t]
    meta.link_texts = frozenset(link_texts(root))
    meta.headings = frozenset(squash(h.text_content()).lower() for h in root.iter("h2", "h3"))


def link_texts(root: lxml.html.HtmlElement) -> Iterator[str]:
    """The lower-case texts of short links outside <h1>s (menus name sections)."""
    for a in root.iter("a"):
        text = squash(a.text_content()).lower()
        if 0 < len(text.split()) <= LINK_TEXT_MAX_WORDS and next(
                a.iterancestors("h1"), None) is None:
            yield text


def is_chrome_heading(el: lxml.html.HtmlElement) -> bool:
    """An <h1> in a menu, a footer, an aside or a button, or the site's logo."""
    return is_logo(el) or any(a.tag in CHROME_TAGS for a in el.iterancestors())


def is_section_heading(el: lxml.html.HtmlElement) -> bool:
    """An <h1> linked to its own anchor ("#what-is-an-slm"): a section of a story written in
    Markdown, whose headline is elsewhere."""
    return any((a.get("href") or "").startswith("#") and len(a.get("href") or "") > 1
               for a in el.iter("a"))


def is_logo(el: lxml.html.HtmlElement) -> bool:
    """The site's name as an <h1>: a link to a home page, or classed as a logo."""
    parent = el.getparent()
    classes = " ".join(f"{x.get('class') or ''} {x.get('id') or ''}"
                       for x in (el, parent) if x is not None)
    return bool(CHROME_CLASS_RE.search(classes)) or any(
        (href := (a.get("href") or "").strip())[:1] not in ("", "#", "?")
        and _path(href) == "" for a in el.iter("a"))


def is_teaser_heading(el: lxml.html.HtmlElement, own: set[str],
                      hosts: frozenset[str] | set[str] = frozenset()) -> bool:
    """An <h1> that is all one link to another page (a card of another story; "related"
    lists rotate them), not the page's own headline (a permalink to itself: `own`, the
    paths of its canonical URL, or rel=bookmark on the page's own `hosts`)."""
    text = squash(el.text_content())
    return bool(text) and any(
        (a.get("href") or "#")[:1] != "#" and squash(a.text_content()) == text
        and not ("bookmark" in (a.get("rel") or "") and (
            not hosts or _host(a.get("href") or "") in {"", *hosts}))
        and _path(a.get("href") or "") not in own
        for a in el.iter("a"))


def _host(url: str) -> str:
    try:
        return re.sub(r"^www\d?\.", "", (urlsplit(url.strip()).hostname or "").lower())
    except ValueError:
        return ""


def _path(url: str) -> str:
    try:
        return urlsplit(url.strip()).path.rstrip("/")
    except ValueError:  # "http://[x": no path to read, the address itself is compared
        return url.strip()


def heading_text(el: lxml.html.HtmlElement) -> str:
    """A heading's text, with a space where a <br> or a block child breaks the line, and
    without a date, byline or sub-heading inside it ("Headline <h3>Posted on ...</h3>")."""
    parts = []
    skipping: lxml.html.HtmlElement | None = None
    for event, node in etree.iterwalk(el, events=("start", "end")):
        if skipping is not None:
            if event == "end" and node is skipping:
                skipping = None
                parts.append(" " + (node.tail or ""))
            continue
        if event == "start":
            if node is not el and is_heading_extra(node):
                skipping = node
                continue
            if node.tag in HEADING_BREAKS:
                parts.append(" ")
            if node.text:
                parts.append(node.text)
        elif node is not el and node.tail:
            parts.append(node.tail)
    text = unescape_twice(squash("".join(parts)))
    return text or unescape_twice(squash(el.text_content()))


def is_heading_extra(node: lxml.html.HtmlElement) -> bool:
    return not isinstance(node.tag, str) or node.tag in HEADING_SKIPPED or bool(
        HEADING_SKIPPED_CLASS_RE.search(node.get("class") or ""))


def unescape_twice(text: str) -> str:
    """Entities a page escaped twice ("&amp;#x26;" shows "&#x26;"), read as meant."""
    return ENTITY_RE.sub(lambda m: html.unescape(m.group()), text)


def read_jsonld(root: lxml.html.HtmlElement) -> dict[str, Any]:
    """The first Article-like object in the page's JSON-LD ({} if none)."""
    for script in root.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        try:  # raw_decode: some pages put comments or a second object after the first
            data = json.JSONDecoder(strict=False).raw_decode(script.text.strip())[0]
        except ValueError:
            continue
        for obj in walk_json(data, 0):
            types = obj.get("@type")
            names = types if isinstance(types, list) else [types]
            if any(str(t).lower() in rules.ARTICLE_TYPES for t in names) and (
                    obj.get("headline") or obj.get("articleBody")):
                return obj
    return {}


def walk_json(data: Any, depth: int) -> Iterator[dict[str, Any]]:
    if depth > MAX_JSONLD_DEPTH:
        return
    if isinstance(data, list):
        for item in data:
            yield from walk_json(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
            yield from walk_json(data.get(key), depth + 1)


def ld_str(ld: dict[str, Any], key: str) -> str:
    value = ld.get(key)
    if isinstance(value, list):
        value = value[0] if value else ""
    return squash(value) if isinstance(value, str) else ""


def meta_value(meta: Meta, kind: str) -> str:
    keys = {
        "published": ("article:published_time", "datepublished", "og:published_time",
                      "pubdate", "publishdate", "date", "dc.date.issued", "sailthru.date"),
        "modified": ("article:modified_time", "datemodified", "og:updated_time",
                     "last-modified", "dc.date.modified"),
        "author": ("author", "article:author", "byl", "dc.creator", "sailthru.author",
                   "parsely-author"),
    }[kind]
    return first(*(meta.tags.get(k, "") for k in keys))


def time_attr(root: lxml.html.HtmlElement) -> str:
    for el in root.iter("time"):
        if el.get("datetime"):
            return squash(el.get("datetime") or "")
    return ""


def find_byline(root: lxml.html.HtmlElement, meta: Meta) -> str:
    """JSON-LD or meta author, else a byline element's names, else a labelled line's."""
    names = ld_authors(meta.ld.get("author"))
    raw = ", ".join(names) if names else meta_value(meta, "author")
    raw = unescape_twice(raw)  # "Maria &amp; Katerina"
    if not raw or raw.startswith("http"):
        return element_byline(root) or labelled_byline(root)
    raw = rules.BYLINE_DATE_RE.sub("", raw)
    found = re.sub(r"^(?:by|from)\s+", "", raw, flags=re.I).strip(" ,|-")
    if is_publisher(found, meta):  # the site as author: a person named on the page wins
        person = element_byline(root)
        return person if looks_like_name(person) and not is_publisher(person, meta) else found
    return found


def is_publisher(name: str, meta: Meta) -> bool:
    """The site's or the publisher's name, or an author the JSON-LD types Organization."""
    author = meta.ld.get("author")
    first_author = author[0] if isinstance(author, list) and author else author
    if isinstance(first_author, dict) and first_author.get("@type") == "Organization":
        return True
    publisher = meta.ld.get("publisher")
    names = [meta.tags.get("og:site_name", ""), meta.tags.get("application-name", ""),
             publisher.get("name", "") if isinstance(publisher, dict) else ""]
    key = re.sub(r"\W", "", name.lower())
    keys = [re.sub(r"\W", "", str(n).lower()) for n in names]
    return bool(key) and any(k and key in k for k in keys)


def looks_like_name(text: str) -> bool:
    """"Jane Doe", "Jane Doe and John Roe": capitalised words and joiners only."""
    words = text.replace(",", " ").split()
    return 2 <= len(words) <= 12 and all(
        w[0].isupper() or w.lower() in rules.BYLINE_JOINERS for w in words) and (
        words[0].lower() not in ("author", "authors", "reviewed", "written", "edited"))


def ld_authors(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items[:10]:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, list):
            name = " ".join(str(n) for n in name)
        if isinstance(name, str) and squash(name) and not name.startswith("http"):
            names.append(squash(name))
    return list(dict.fromkeys(names))


def find_canonical(root: lxml.html.HtmlElement, meta: Meta, url: str) -> str:
    """The page's canonical link, else og:url; "" when neither is an address ("http://[x")."""
    try:
        for el in root.iter("link"):
            if "canonical" in (el.get("rel") or "").lower().split() and el.get("href"):
                return urljoin(url, str(el.get("href") or "").strip())
        og = meta.tags.get("og:url", "")
        return urljoin(url, og) if og else ""
    except ValueError:
        return ""


def find_language(root: lxml.html.HtmlElement, meta: Meta) -> str:
    lang = root.get("lang") or root.get("xml:lang") or ""
    locale = meta.tags.get("og:locale", "").replace("_", "-")
    return squash(first(lang, locale, meta.tags.get("content-language", "")))


def find_blocked(text: str, meta: Meta, body: str) -> str:
    """Why the page is not the article, or "".

    Only short bodies are suspect, so a long story with a cookie banner or a
    "Subscribe" link stays an article. A consent wall is a page whose best
    "article" is the consent text itself (a banner beside a story is cleaned away).
    """
    if rules.CHALLENGE_TITLE_RE.fullmatch(meta.title):
        return "bot-challenge"
    if has_words(body, rules.BLOCKED_MAX_WORDS):
        return ""
    if rules.CHALLENGE_RE.search(text[:200_000]):
        return "bot-challenge"
    if rules.CONSENT_RE.search(body) or rules.CONSENT_RE.search(meta.title):
        return "consent"
    # A preview of several paragraphs (WSJ shows its first ones) is what readers see and
    # what changes: tracked, unless the body is itself the subscription pitch (issue 9, E6).
    words = len(WORD_RE.findall(body))
    if rules.PAYWALL_RE.search(text[:300_000]) and (
            words < rules.PAYWALL_PREVIEW_MIN_WORDS or rules.PAYWALL_RE.search(body)):
        return "paywall"
    return "" if body else "empty"


def has_words(text: str, count: int) -> bool:
    """len(WORD_RE.findall(text)) >= count, reading no further than needed."""
    return sum(1 for _ in itertools.islice(WORD_RE.finditer(text), count)) >= count


def first(*values: str) -> str:
    return next((v for v in values if v), "")
