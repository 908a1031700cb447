"""The page before scoring: decoded, parsed, and stripped of what never holds the story
(menus, buttons, asides, comment threads, pop-ups, hidden link lists, the source's
``remove`` selectors). Malformed markup that put the story inside such an element
unwraps it rather than losing it (issue 9). Used by ``page.py``.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable

import lxml.html
from lxml import etree

from scraper.clean import rules as rules
from scraper.clean.blocks import link_density, story_blocks, story_chars, story_totals
from scraper.clean.byline import squash
from scraper.clean.encoding import decode_html

logger = logging.getLogger(__name__)
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_SPACES = bytes(32 if CONTROL_RE.match(chr(byte)) else byte for byte in range(256))
CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])")
END_TAG_RE = re.compile(r"</(?:body|html)\s*>", re.I)
# HTML white space other than a lone space (form feeds are spaces by now: CONTROL_SPACES),
# and the elements whose white space is kept: preformatted text, code, scripts and styles.
SPACE_RUN_RE = re.compile(r"[ \t\n]{2,}|[\t\n]")  # \r is \n once parsed
SPACED_TAGS = ("pre", "textarea", "code", "script", "style")
NOT_XML_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A class name that says how a part is styled ("kt-pane-header-alignment-left",
# "icon-style-basic", Tailwind's "overflow-hidden", "kt-accodion-icon-side-right") does not
# say what the block is.
STYLE_CLASS_RE = re.compile(
    r"(?:^|[-_])(?:style|align|alignment|position|layout|size|colou?r|width|spacing|overflow|"
    r"side[-_](?:left|right|top|bottom|start|end))(?:[-_]|$)",
    re.I,
)
# A <figure> holding a table or a quote is story text (is_text_figure), unless it is
# another page's post embedded (a tweet, an Instagram card).
EMBED_CLASS_RE = re.compile(r"embed|tweet|instagram|tiktok|facebook|imgur", re.I)


def to_text(html: bytes | str, encoding: str | None) -> str:
    """Decoded text with NULs and control characters gone; "" for binary data."""
    text = decode_html(html, encoding) if isinstance(html, bytes) else html
    head = text[:2048]
    if head and sum(c < " " and c not in "\t\r\n" or c == "\ufffd" for c in head) > len(head) // 10:
        return ""  # an image or other binary body, not a page
    # NULs out, other control characters (CONTROL_RE) to spaces: in UTF-8 they are single
    # bytes that no other character uses, so one bytes.translate does it.
    data = text.encode("utf-8", "surrogatepass").translate(CONTROL_SPACES, b"\x00")
    return data.decode("utf-8", "surrogatepass")


def parse(text: str) -> lxml.html.HtmlElement | None:
    if not text.strip():
        return None
    parser = lxml.html.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True
    )
    # Browsers put text after </body> or </html> into the body; libxml2 starts a second
    # tree with it, out of reach. Without the end tags the story stays (issue 9, class 7).
    text = END_TAG_RE.sub("", text)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError):
        return None
    if not isinstance(root, lxml.html.HtmlElement):
        return None
    collapse_space(root)
    return root


def collapse_space(root: lxml.html.HtmlElement) -> None:
    """Runs of white space in text become one space, except inside SPACED_TAGS, so that
    every later length, density and score reads the same on a page whose markup only
    reflowed its white space (newlines between tags, lines rewrapped; issue 9)."""
    spaced = {node for el in root.iter(*SPACED_TAGS) for node in el.iter()}
    for el in root.iter():  # plain `in` tests first: most texts need no change
        text = el.text
        if text and ("\n" in text or "  " in text or "\t" in text) and el not in spaced:
            el.text = squash_space(text)
        text = el.tail
        if text and ("\n" in text or "  " in text or "\t" in text) and (
                not spaced or el.getparent() not in spaced):
            el.tail = squash_space(text)


def squash_space(text: str) -> str:
    """The text with its white space squashed, and what lxml refuses to store back as a
    space ("Today&#1;s" parses to a control character that no text may be set to)."""
    squashed = SPACE_RUN_RE.sub(" ", text) if text.strip(" \t\n") else " "
    return squashed if squashed.isprintable() else NOT_XML_RE.sub(" ", squashed)


def strip_tags(root: lxml.html.HtmlElement, tags: Iterable[str]) -> None:
    etree.strip_elements(root, *tags, with_tail=False)


def drop_furniture(root: lxml.html.HtmlElement) -> None:
    """Drop menus, buttons, asides; unwrap one that swallowed the story (malformed markup)."""
    total = len(root.text_content())
    prose: dict[str, int] = {}  # the page's <p> and running text, counted only when needed
    for el in list(root.iter(*rules.PRESCORE_FURNITURE)):
        if el.getparent() is None:
            continue
        if el.tag == "figure" and is_text_figure(el):
            el.drop_tag()  # its table or quote stays; a <figcaption> goes with the captions
            continue
        length = len(el.text_content())
        if length > 0 and length >= rules.SWALLOWED_MIN_SHARE * total and swallowed(
                el, length, root, prose):
            drop_menu_items(el)
            el.drop_tag()
            continue
        el.drop_tree()


def swallowed(el: lxml.html.HtmlElement, length: int, root: lxml.html.HtmlElement,
              prose: dict[str, int]) -> bool:
    """Furniture holding most of the page's <p> text and not as links, or, in a menu of
    many links (a mega menu), most of its running text: no menu holds paragraphs."""
    if "p" not in prose:
        prose["p"] = paragraph_chars(root)
    if paragraph_chars(el) < rules.SWALLOWED_MIN_SHARE * prose["p"]:
        return False
    linked = sum(len(a.text_content()) for a in el.iter("a"))
    if linked < rules.SWALLOWED_MAX_LINKS * length:
        return True
    if "story" not in prose:
        prose["story"] = story_chars(root)
    return story_chars(el) >= max(rules.SWALLOWED_MIN_STORY,
                                  rules.SWALLOWED_MIN_SHARE * prose["story"])


def drop_menu_items(el: lxml.html.HtmlElement) -> None:
    """In a menu that swallowed the story, the menu's items are the list items before the
    story's first paragraph of running text (those holding it aside)."""
    first = next((block for block, _ in story_blocks(el)), None)
    if first is None:
        return
    holding = set(first.iterancestors())
    items = []
    for node in el.iter():
        if node is first:
            break
        if (node.tag == "li" and node not in holding
                and link_density(node) >= rules.SWALLOWED_MAX_LINKS):
            items.append(node)
    for item in items:
        item.drop_tree()


def is_text_figure(el: lxml.html.HtmlElement) -> bool:
    """A <figure> that holds story text, not a picture: CMSs wrap tables (Gutenberg's
    "wp-block-table") and pull quotes in one. An embedded post (a tweet, an Instagram
    or TikTok card: "wp-block-embed") is a quote of another page, not the story."""
    if el.find(".//table") is not None:
        return True
    quote = el.find(".//blockquote")
    if quote is None:
        return False
    names = f"{el.get('class') or ''} {quote.get('class') or ''}"
    return not EMBED_CLASS_RE.search(names)


def paragraph_chars(el: lxml.html.HtmlElement) -> int:
    return sum(len(p.text_content()) for p in el.iter("p"))


def remove_selected(root: lxml.html.HtmlElement, css: Iterable[str]) -> None:
    for selector in css:
        for el in select(root, selector):
            el.drop_tree()


def drop_unlikely(root: lxml.html.HtmlElement) -> None:
    """Readability's first pass: comment threads, menus, sidebars, pop-ups and hidden
    blocks never hold the story (unless a tag left open put the story inside one)."""
    limit = rules.UNLIKELY_MAX_SHARE * len(root.text_content())
    story = story_totals(root)  # running text: a mega menu that swallowed the story keeps it
    least = max(rules.SWALLOWED_MIN_STORY, rules.SWALLOWED_MIN_SHARE * story.get(root, 0))
    for el in list(root.iter("div", "section", "ul", "ol", "aside", "span", "header", "footer",
                             "form")):
        if el.getparent() is None:
            continue
        names = f"{el.get('class') or ''} {el.get('id') or ''}"
        if not is_unlikely(names) and not is_hidden(el):
            continue
        names = CAMEL_RE.sub("-", names)
        if is_prose_header(el, names) or any(a.tag in ("pre", "code") for a in el.iterancestors()):
            continue  # ... nor a syntax highlighter's token ("hljs-comment") in a code block
        if (len(el.text_content()) < limit and story.get(el, 0) < least) or (
                rules.COMMENTS_RE.search(names) and not el.xpath(rules.STORY_MARK_XPATH)):
            el.drop_tree()


HEADER_MIN_PROSE = 400  # characters of running text in a "header" that is not a masthead


def is_prose_header(el: lxml.html.HtmlElement, names: str) -> bool:
    """A block named only "header" that holds paragraphs of running text or a run of
    list items with few links: a listicle's intro ("listicle-header"), an expert's
    verdict box, not the page's masthead (links, a logo, short lines)."""
    words = {m.strip("-_ ").lower() for m in rules.UNLIKELY_RE.findall(names)}
    if words != {"header"} or len(el.text_content()) < HEADER_MIN_PROSE:
        return False
    return story_chars(el) >= HEADER_MIN_PROSE or (
        link_density(el) < rules.WIDEN_MAX_LINKS and len(el.xpath(".//li | .//p")) >= 4)


@functools.lru_cache(maxsize=4096)
def is_unlikely(names: str) -> bool:
    """Class and id names (camel case split) of a block that is never the story; a page
    repeats its names: each is matched once."""
    names = CAMEL_RE.sub("-", " ".join(n for n in names.split()
                                       if not STYLE_CLASS_RE.search(n)))
    return (len(names) > 1 and bool(rules.UNLIKELY_RE.search(names))
            and not rules.OK_MAYBE_RE.search(names))


def is_hidden(el: lxml.html.HtmlElement) -> bool:
    """A hidden list of links (a menu, partner links). Hidden text is not always furniture:
    accordions, "read more" and React's streamed <div hidden> hold story text."""
    style = (el.get("style") or "").replace(" ", "").lower()
    if "display:none" not in style and not rules.HIDDEN_CLASS_RE.search(el.get("class") or ""):
        return False
    return link_density(el) >= rules.HIDDEN_MIN_LINKS


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
