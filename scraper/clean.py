"""Page -> headline, byline, body: the article extractor (issue 3). Pure; never raises.

Layers: per-source selectors, then structured data (JSON-LD, Open Graph, meta),
then the article container found by scoring with lxml (text and link density,
class/id hints, JSON-LD articleBody as a check), then cleaning of that container
only with BeautifulSoup, using the rules in ``cleanrules``.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import lxml.html
from bs4 import BeautifulSoup, Tag
from lxml import etree

from scraper import cleanrules as rules
from scraper.cleanmeta import (
    WORD_RE,
    Meta,
    find_blocked,
    find_byline,
    find_canonical,
    find_headline,
    find_language,
    first,
    ld_str,
    meta_value,
    read_meta,
    squash,
    time_attr,
)
from scraper.encoding import decode_html

CLEANER_VERSION = "1"
logger = logging.getLogger(__name__)

PARA = "\ue000"  # paragraph boundary marker (private use, never in decoded text)
BREAK = "\ue001"  # <br> marker
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SPACE_RE = re.compile(r"\s+")
REMOVED = frozenset(rules.REMOVED_TAGS)
UNWRAPPED = frozenset(rules.UNWRAPPED_TAGS)
LINK_BLOCKS = frozenset({"p", "li", "ul", "ol", "div", "section", "table", "h2", "h3", "h4"})


@dataclass(frozen=True)
class Selectors:
    """Per-source CSS overrides from the sources file."""

    headline: str | None = None
    body: str | None = None
    remove: tuple[str, ...] = ()


@dataclass(frozen=True)
class CleanPage:
    headline: str = ""
    byline: str = ""
    body: str = ""
    published: str = ""
    modified: str = ""
    canonical_url: str = ""
    language: str = ""
    blocked: str = ""


def clean_page(
    html: bytes | str,
    url: str = "",
    *,
    encoding: str | None = None,
    selectors: Selectors | None = None,
) -> CleanPage:
    """Extract the article from one page. Never raises: bad input gives an empty page."""
    try:
        return _clean(html, url, encoding, selectors or Selectors())
    except Exception as exc:  # a bad page must never crash a crawl (STYLE: Errors)
        logger.warning("clean_page failed on %s: %r", url or "<page>", exc)
        return CleanPage(blocked="empty")


def _clean(html: bytes | str, url: str, encoding: str | None, sel: Selectors) -> CleanPage:
    text = to_text(html, encoding)
    root = parse(text)
    if root is None:
        return CleanPage(blocked="empty")
    meta = read_meta(root)
    headline = selected_text(root, sel.headline) or find_headline(meta, url)
    byline = find_byline(root, meta)
    strip_tags(root, rules.PRESCORE_REMOVED)
    remove_selected(root, sel.remove)
    drop_unlikely(root)
    container = pick_container(root, meta, sel)
    body = extract_body(container, headline, byline) if container is not None else ""
    return CleanPage(
        headline=headline,
        byline=byline,
        body=body,
        published=first(ld_str(meta.ld, "datePublished"), meta_value(meta, "published"),
                         time_attr(root)),
        modified=first(ld_str(meta.ld, "dateModified"), meta_value(meta, "modified")),
        canonical_url=find_canonical(root, meta, url),
        language=find_language(root, meta),
        blocked=find_blocked(text, meta, body),
    )


# --- input ---------------------------------------------------------------------------

def to_text(html: bytes | str, encoding: str | None) -> str:
    """Decoded text with NULs and control characters gone; "" for binary data."""
    text = decode_html(html, encoding) if isinstance(html, bytes) else html
    head = text[:2048]
    if head and sum(c < " " and c not in "\t\r\n" or c == "\ufffd" for c in head) > len(head) // 10:
        return ""  # an image or other binary body, not a page
    return CONTROL_RE.sub(" ", text.replace("\x00", ""))


def parse(text: str) -> lxml.html.HtmlElement | None:
    if not text.strip():
        return None
    parser = lxml.html.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True
    )
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError):
        return None
    return root if isinstance(root, lxml.html.HtmlElement) else None


def strip_tags(root: lxml.html.HtmlElement, tags: Iterable[str]) -> None:
    etree.strip_elements(root, *tags, with_tail=False)


def remove_selected(root: lxml.html.HtmlElement, css: Iterable[str]) -> None:
    for selector in css:
        for el in select(root, selector):
            el.drop_tree()


def drop_unlikely(root: lxml.html.HtmlElement) -> None:
    """Readability's first pass: comment threads, menus, sidebars never hold the story."""
    limit = rules.UNLIKELY_MAX_SHARE * len(root.text_content())
    for el in list(root.iter("div", "section", "ul", "ol", "aside", "span", "header", "footer")):
        names = f"{el.get('class') or ''} {el.get('id') or ''}"
        if (len(names) > 1 and rules.UNLIKELY_RE.search(names)
                and not rules.OK_MAYBE_RE.search(names) and el.getparent() is not None
                and len(el.text_content()) < limit):
            el.drop_tree()


def selected_text(root: lxml.html.HtmlElement, css: str | None) -> str:
    found = select(root, css) if css else []
    return squash(found[0].text_content()) if found else ""


def select(root: lxml.html.HtmlElement, css: str) -> list[lxml.html.HtmlElement]:
    from lxml.cssselect import CSSSelector  # cssselect comes with Scrapy (parsel)

    try:
        return [el for el in CSSSelector(css)(root) if el.getparent() is not None]
    except Exception as exc:  # a bad selector in the sources file is a config problem
        logger.warning("bad CSS selector %r: %r", css, exc)
        return []


# --- container -----------------------------------------------------------------------

def pick_container(
    root: lxml.html.HtmlElement, meta: Meta, sel: Selectors
) -> list[lxml.html.HtmlElement] | None:
    """The element(s) holding the story: selector, else scoring checked by JSON-LD."""
    if sel.body:
        found = select(root, sel.body)
        if found:
            return found
    scores = score_elements(root)
    if not scores:
        body = root.find("body")
        return [body] if body is not None else None
    ranked = sorted(scores, key=scores.__getitem__, reverse=True)
    top = main_article(ranked)
    ld_body = ld_str(meta.ld, "articleBody") or microdata_body(root)
    if len(WORD_RE.findall(ld_body)) >= 50:
        matched = best_match([*root.xpath("//*[@itemprop='articleBody']"), *ranked[:8]], ld_body)
        if matched is not None:
            return [matched]
    return with_twins(root, with_siblings(top, scores), scores)


def with_twins(
    root: lxml.html.HtmlElement,
    chosen: list[lxml.html.HtmlElement],
    scores: dict[lxml.html.HtmlElement, float],
) -> list[lxml.html.HtmlElement]:
    """A body split by ads into blocks of the same class elsewhere in the page: join them."""
    top = max(chosen, key=lambda el: scores.get(el, -1e9))
    names = top.get("class")
    if not names:
        return chosen
    twins = [el for el, score in scores.items() if el.get("class") == names
             and score >= rules.TWIN_MIN_SHARE * scores[top] and el not in chosen]
    twins = [el for el in twins if not any(nested(el, c) for c in chosen)]
    if not twins:
        return chosen
    twins = [el for el in twins if not any(nested(el, t) for t in twins if t is not el
                                           and el in t.iterdescendants())]
    order = {el: i for i, el in enumerate(root.iter())}
    return sorted([*chosen, *twins], key=order.__getitem__)


def nested(a: lxml.html.HtmlElement, b: lxml.html.HtmlElement) -> bool:
    return a is b or any(p is b for p in a.iterancestors()) or any(
        p is a for p in b.iterancestors())


def main_article(ranked: list[lxml.html.HtmlElement]) -> lxml.html.HtmlElement:
    """The best candidate that is not a list of teaser cards (several nested <article>s)."""
    listings: set[lxml.html.HtmlElement] = set()
    for el in ranked[:10]:
        if any(parent in listings for parent in el.iterancestors()):
            continue  # a card inside a teaser list
        length = len(el.text_content()) or 1
        cards = outer_articles(el)
        sizes = [len(a.text_content()) for a in cards]
        if len(cards) < 2 or sum(sizes) < 0.5 * length:
            return el
        if max(sizes) >= 0.5 * length:  # one story plus small cards: keep the story
            return cards[sizes.index(max(sizes))]
        listings.add(el)
    return ranked[0]


def outer_articles(el: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """<article> descendants not inside another <article> (iterative: deep trees)."""
    found, stack = [], list(el)
    while stack:
        child = stack.pop()
        if child.tag == "article":
            found.append(child)
        elif isinstance(child.tag, str):
            stack.extend(child)
    return found


def microdata_body(root: lxml.html.HtmlElement) -> str:
    found = root.xpath("//*[@itemprop='articleBody']")
    return squash(found[0].text_content()) if found else ""


def score_elements(root: lxml.html.HtmlElement) -> dict[lxml.html.HtmlElement, float]:
    """Readability-style scores: each paragraph feeds its parent and grandparent."""
    scores: dict[lxml.html.HtmlElement, float] = {}
    for el in root.iter(*rules.SCORED_TAGS, "div"):
        text = own_text(el) if el.tag == "div" else el.text_content()
        length = len(text.strip())
        if length < 25:
            continue
        points = 1 + text.count(",") + min(length / 100, 3)
        # A div with its own text is both a paragraph and a candidate container.
        targets = [el, *ancestors(el, 1)] if el.tag == "div" else list(ancestors(el, 2))
        for depth, parent in enumerate(targets):
            if parent not in scores:
                scores[parent] = initial_score(parent)
            scores[parent] += points / (1 + depth)
    for el in scores:
        scores[el] *= 1 - link_density(el)
    return scores


def own_text(el: lxml.html.HtmlElement) -> str:
    """Text directly in a div (not in child blocks): the div-as-paragraph case."""
    parts = [el.text or ""]
    for child in el:
        if child.tag not in rules.BLOCK_TAGS:
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return "".join(parts)


def ancestors(el: lxml.html.HtmlElement, n: int) -> Iterator[lxml.html.HtmlElement]:
    parent = el.getparent()
    for _ in range(n):
        if parent is None or parent.tag in ("html", "body"):
            return
        yield parent
        parent = parent.getparent()


def initial_score(el: lxml.html.HtmlElement) -> float:
    tag_points = {"article": 10, "main": 5, "div": 5, "section": 3, "pre": 3, "td": 3,
                  "blockquote": 3, "ul": -3, "ol": -3, "li": -3, "form": -3}
    return tag_points.get(str(el.tag), 0) + class_weight(el)


def class_weight(el: lxml.html.HtmlElement) -> float:
    names = f"{el.get('class') or ''} {el.get('id') or ''}"
    weight = 0.0
    if rules.NEGATIVE_RE.search(names):
        weight -= 25
    if rules.POSITIVE_RE.search(names):
        weight += 25
    if rules.BODY_HINT_RE.search(names) or (el.get("itemprop") or "") == "articleBody":
        weight += 25
    return weight


def link_density(el: lxml.html.HtmlElement) -> float:
    total = len(el.text_content())
    if not total:
        return 0.0
    linked = sum(len(a.text_content()) for a in el.iter("a"))
    return min(1.0, linked / total)


def best_match(
    candidates: list[lxml.html.HtmlElement], reference: str
) -> lxml.html.HtmlElement | None:
    """The candidate (or an ancestor) whose words best match JSON-LD articleBody."""
    ref = Counter(w.lower() for w in WORD_RE.findall(reference))
    best, best_f1 = None, 0.6
    seen: set[lxml.html.HtmlElement] = set()
    for cand in candidates:
        for el in [cand, *ancestors(cand, 3)]:
            if el in seen:
                continue
            seen.add(el)
            f1 = overlap_f1(ref, Counter(w.lower() for w in WORD_RE.findall(el.text_content())))
            if f1 > best_f1:
                best, best_f1 = el, f1
    return best


def overlap_f1(ref: Counter[str], got: Counter[str]) -> float:
    common = sum((ref & got).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(ref.values())
    return 2 * precision * recall / (precision + recall)


def with_siblings(
    top: lxml.html.HtmlElement, scores: dict[lxml.html.HtmlElement, float]
) -> list[lxml.html.HtmlElement]:
    """Readability's sibling rule: related blocks next to the winner join it."""
    parent = top.getparent()
    if parent is None:
        return [top]
    threshold = max(10.0, scores[top] * 0.2)
    top_names = top.get("class")
    chosen = []
    for sib in parent:
        bonus = scores[top] * 0.2 if top_names and sib.get("class") == top_names else 0
        if sib is not top and (sib.tag == "article" or sib.find(".//article") is not None):
            continue  # a separate story (a teaser list of <article> cards)
        if sib is top or scores.get(sib, -1e9) + bonus >= threshold or is_loose_paragraph(sib):
            chosen.append(sib)
    return chosen


def is_loose_paragraph(el: lxml.html.HtmlElement) -> bool:
    if el.tag != "p":
        return False
    text = squash(el.text_content())
    density = link_density(el)
    return (len(text) > 80 and density < 0.25) or (0 < len(text) <= 80 and density == 0
                                                  and bool(re.search(r"\.( |$)", text)))


# --- body ----------------------------------------------------------------------------

def extract_body(elements: list[lxml.html.HtmlElement], headline: str, byline: str) -> str:
    fragment = "".join(lxml.html.tostring(el, encoding="unicode", with_tail=False)
                       for el in elements if el.tag is not etree.Comment)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # bs4 locator/XML warnings on odd fragments
        soup = BeautifulSoup(f"<div>{fragment}</div>", "lxml")
    clean_soup(soup)
    return "\n\n".join(keep_paragraphs(soup_paragraphs(soup), headline, byline))


def clean_soup(soup: BeautifulSoup) -> None:
    """Drop furniture, then link lists, then unwrap; one tag list, three passes."""
    total = len(soup.get_text())
    tags = soup.find_all(True)
    gone: set[int] = set()  # ids of removed tags: Tag.decomposed costs a subtree search
    for tag in tags:
        if id(tag) not in gone and (tag.name in REMOVED or is_noise_tag(tag)):
            if len(tag.get_text()) < 0.5 * total:  # never the story itself
                drop(tag, gone)
    for tag in tags:
        if id(tag) not in gone and tag.name in LINK_BLOCKS and is_link_block(tag):
            drop(tag, gone)
    for tag in tags:
        if id(tag) not in gone and tag.name in UNWRAPPED:
            tag.unwrap()


def drop(tag: Tag, gone: set[int]) -> None:
    gone.add(id(tag))
    gone.update(id(d) for d in tag.descendants)
    tag.decompose()


def is_noise_tag(tag: Tag) -> bool:
    attr = tag.get("class")
    classes: list[str] = list(attr) if isinstance(attr, list) else str(attr or "").split()
    names = " ".join(c for c in classes if not rules.TAXONOMY_CLASS_RE.match(c))
    names = f"{names} {tag.get('id') or ''}"
    if tag.name in ("html", "body"):
        return False
    if tag.get("aria-hidden") == "true" or tag.has_attr("hidden"):
        return True
    if tag.get("role") in ("navigation", "complementary", "banner", "contentinfo", "dialog"):
        return True
    style = str(tag.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or bool(names.strip() and rules.NOISE_RE.search(names))


def is_link_block(tag: Tag) -> bool:
    text = SPACE_RE.sub(" ", tag.get_text()).strip()
    if not text:
        return False
    linked = sum(len(SPACE_RE.sub(" ", a.get_text()).strip()) for a in tag.find_all("a"))
    return linked / len(text) > 0.6 and (tag.name != "p" or len(text) < 300)


def soup_paragraphs(soup: BeautifulSoup) -> list[str]:
    for br in soup.find_all("br"):
        br.replace_with(BREAK)
    for tag in soup.find_all(rules.BLOCK_TAGS | rules.HEADING_TAGS):
        tag.insert_before(PARA)
        tag.insert_after(PARA)
    text = SPACE_RE.sub(" ", soup.get_text())
    text = re.sub(f"(?: ?{BREAK} ?){{2,}}", PARA, text).replace(BREAK, " ")
    return [squash(p) for p in text.split(PARA) if p.strip()]


def keep_paragraphs(paras: list[str], headline: str, byline: str) -> Iterator[str]:
    previous = ""
    skip = {headline.lower(), byline.lower(), f"by {byline}".lower()}
    for para in paras:
        if para == previous or para.lower() in skip or is_noise_text(para):
            continue
        previous = para
        yield para


def is_noise_text(para: str) -> bool:
    if rules.NOISE_TEXT_RE.fullmatch(para):
        return True
    if len(para) <= rules.TEASER_MAX_CHARS and rules.TEASER_RE.fullmatch(para):
        return True
    return len(para) <= rules.BYLINE_MAX_CHARS and bool(rules.BYLINE_LINE_RE.fullmatch(para))
