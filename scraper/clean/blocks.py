"""What a block of the page holds: running text, links, its kind (for score.py, prune.py).

Measures the container search and pruning share: story text in paragraphs of running
text (not teaser cards), link density, a block's signature (tag and stable class names),
whether the page marks a block as its story, and the walks up the tree they need.
"""

from __future__ import annotations

from collections.abc import Iterator

import lxml.html

from scraper.clean import rules as rules
from scraper.clean.hashes import stable_names
from scraper.urls import absolute_url, same_site

HEADING_XPATH = "h2 | h3 | h4 | h5 | h6 | */h2 | */h3 | */h4 | */h5 | */h6"
TEASER_XPATH = ("h2[a] | h3[a] | h4[a] | h5[a] | */h2[a] | */h3[a] | */h4[a] | */h5[a]"
                " | a[h2 or h3 or h4 or h5] | */a[h2 or h3 or h4 or h5]")


def marks_story(el: lxml.html.HtmlElement) -> bool:
    """<article>, <main>, itemprop=articleBody or a story class ("entry-content")."""
    return el.tag in ("article", "main") or el.get("itemprop") == "articleBody" or bool(
        rules.STORY_MARK_RE.search(f"{el.get('class') or ''} {el.get('id') or ''}"))


def has_twin(el: lxml.html.HtmlElement) -> bool:
    kind = signature(el)
    return any(sib is not el and signature(sib) == kind for sib in el.itersiblings()) or any(
        signature(sib) == kind for sib in el.itersiblings(preceding=True))


def signature(el: lxml.html.HtmlElement) -> tuple[str, str]:
    """Tag and class names without ids and build hashes ("temp-6930f1e1", "css-jfpo4u":
    clean/hashes.py)."""
    names = " ".join(stable_names((el.get("class") or "").split()))
    return str(el.tag), names


def story_chars(el: lxml.html.HtmlElement) -> int:
    """Text in running-text blocks (paragraphs and list items of 80+ characters), not in
    teaser cards (a short block under a linked heading: "related posts" excerpts)."""
    return sum(n for _, n in story_blocks(el))


def story_totals(el: lxml.html.HtmlElement) -> dict[lxml.html.HtmlElement, int]:
    """story_chars of el and of every element inside it, in one pass."""
    totals: dict[lxml.html.HtmlElement, int] = {}
    for block, n in story_blocks(el):
        node = block
        while node is not None:
            totals[node] = totals.get(node, 0) + n
            if node is el:
                break
            node = node.getparent()
    return totals


def story_blocks(el: lxml.html.HtmlElement) -> Iterator[tuple[lxml.html.HtmlElement, int]]:
    cards: dict[lxml.html.HtmlElement, bool | None] = {}  # blocks of one card share it
    for block in el.iter("p", "li", "dd", "blockquote"):
        if block.tag != "p" and block.find(".//p") is not None:
            continue
        n = len(block.text_content())
        if (n >= 80 and link_density(block, n) < rules.WIDEN_MAX_LINKS
                and not is_teaser(block, cards)):
            yield block, n


def is_teaser(block: lxml.html.HtmlElement,
              cards: dict[lxml.html.HtmlElement, bool | None] | None = None) -> bool:
    """Inside a teaser card: a small block holding a linked heading. ``cards``: what is
    known of ancestors already looked at (card_verdict), for the blocks of one page."""
    cards = {} if cards is None else cards
    for card in ancestors(block, rules.TEASER_CARD_LEVELS):
        if card not in cards:
            cards[card] = card_verdict(card)
        if cards[card] is not None:
            return bool(cards[card])
    return False


def card_verdict(card: lxml.html.HtmlElement) -> bool | None:
    """True for a teaser card, False for no card here or above, None: look higher."""
    if len(card.text_content()) > rules.TEASER_CARD_MAX_CHARS:
        return False  # no card: bigger still higher up
    linked = card.xpath(TEASER_XPATH)
    if linked:
        # A heading linking to another site names a brand or product of a list story,
        # not another story of this one.
        home = own_address(card)
        return any(same_site(absolute_url(href, home), home) for el in linked
                   for href in el.xpath("@href | a/@href")) if home else True
    if card.xpath(HEADING_XPATH):
        return False
    return None


def own_address(el: lxml.html.HtmlElement) -> str:
    """The page's own address as its <head> states it (canonical link, og:url); "" if not."""
    head = el.getroottree().getroot().find("head")
    for tag in head if head is not None else ():
        rel, prop = tag.get("rel") or "", tag.get("property") or ""
        if tag.tag == "link" and rel.lower() == "canonical" or prop == "og:url":
            address = absolute_url(tag.get("href") or tag.get("content") or "", "")
            if address:
                return address
    return ""


def prose_chars(el: lxml.html.HtmlElement) -> int:
    """Text in the element's paragraphs of running text (80+ characters)."""
    return sum(n for n in (len(p.text_content()) for p in el.iter("p")) if n >= 80)


def nested(a: lxml.html.HtmlElement, b: lxml.html.HtmlElement) -> bool:
    return a is b or any(p is b for p in a.iterancestors()) or any(
        p is a for p in b.iterancestors())


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


def is_shown(el: lxml.html.HtmlElement) -> bool:
    """Neither the block nor a wrapper is hidden by its markup (a "hide" or "d-none" class,
    display:none, the hidden attribute)."""
    for node in (el, *el.iterancestors()):
        style = (node.get("style") or "").replace(" ", "").lower()
        if ("display:none" in style or node.get("hidden") is not None
                or rules.HIDDEN_CLASS_RE.search(node.get("class") or "")):
            return False
    return True


def link_density(el: lxml.html.HtmlElement, length: int | None = None) -> float:
    """Share of the text in links; ``length``: len(el.text_content()), when known."""
    total = len(el.text_content()) if length is None else length
    if not total:
        return 0.0
    linked = sum(len(a.text_content()) for a in el.iter("a"))
    return min(1.0, linked / total)
