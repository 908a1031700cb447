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
from collections.abc import Iterator
from dataclasses import dataclass

import lxml.html
from bs4 import BeautifulSoup, Tag
from lxml import etree

from scraper.clean import rules as rules
from scraper.clean import template as template
from scraper.clean.byline import drop_author_tail, is_byline_line, squash, take_byline, unbreak
from scraper.clean.headline import find_headline, strip_site_name
from scraper.clean.leadin import lead_in_lists
from scraper.clean.lines import is_call_to_action, is_meta_line, split_breaks
from scraper.clean.lists import order_link_lists
from scraper.clean.meta import (
    WORD_RE,
    Meta,
    find_blocked,
    find_byline,
    find_canonical,
    find_language,
    first,
    ld_str,
    meta_value,
    read_meta,
    time_attr,
)
from scraper.clean.names import is_noise_tag
from scraper.clean.prune import (
    drop_furniture,
    drop_unlikely,
    parse,
    remove_selected,
    select,
    selected_text,
    strip_tags,
    to_text,
)
from scraper.clean.score import locate
from scraper.clean.site import SiteProfile, apply_page, choose_headline
from scraper.clean.soup import Linked, all_tags, block_text, first_tag, link_lengths
from scraper.clean.story import drop_teaser_lists, is_story_block, mark_panels, sibling_repeats
from scraper.clean.tables import (
    adopt_stray_text,
    drop_link_runs,
    is_weather,
    shown_title_part,
    split_stack,
)
from scraper.model import CleanPage, Selectors

CLEANER_VERSION = "23"
TEMPLATE_MIN_WORDS = 150  # a body this long was found with confidence: its container counts
logger = logging.getLogger(__name__)

PARA, BREAK, HEAD = rules.PARA, rules.BREAK, rules.HEAD  # markers in the container's text
SPACE_RE = re.compile(r"\s+")
REMOVED = frozenset(rules.REMOVED_TAGS)
UNWRAPPED = frozenset(rules.UNWRAPPED_TAGS)
# Blocks dropped when mostly links. Not a list item alone (the rest of its list stays, so
# the item does too) nor a heading (a section's title linked to itself or to its product).
LINK_BLOCKS = frozenset({"p", "ul", "ol", "div", "section", "table"})
LINK_BLOCK_MIN_SHARE = 0.6
# ... nor a <div> holding a linked section heading: an item's head in a list story (its
# name and address, each linked to its page) is the story's, not a link list; a "Related"
# heading over links to other stories links nowhere itself.
CARD_HEADINGS = ["h2", "h3", "h4"]
# A list whose items say more than their links ("Python ★★★★★(13)", "NAME: what it does")
# is the story's; a menu or a link list is nearly all links.
LINK_LIST_MIN_SHARE = 0.8
INLINE = frozenset({"a", "span", "font", "i", "b", "em", "strong", "center", "small", "picture"})


@dataclass(frozen=True)
class Body:
    """The container's text, and the "By NAME" line found right after the headline."""

    text: str = ""
    byline: str = ""


def clean_page(
    html: bytes | str,
    url: str = "",
    *,
    encoding: str | None = None,
    selectors: Selectors | None = None,
    profile: SiteProfile | None = None,
    ordered: bool = False,
) -> CleanPage:
    """Extract the article from one page. Never raises: bad input gives an empty page.

    ``profile``: what Stet learned about the page's source (clean/site.py, issue 9).
    ``ordered``: the items of link lists sorted first (clean/lists.py), to compare two
    fetches of one page whatever order their lists came in.
    """
    try:
        return apply_page(_clean(html, url, encoding, selectors or Selectors(), profile,
                                 ordered), profile)
    except Exception as exc:  # a bad page must never crash a crawl (STYLE: Errors)
        logger.warning("clean_page failed on %s: %r", url or "<page>", exc)
        return CleanPage(blocked="empty")


def _clean(html: bytes | str, url: str, encoding: str | None, sel: Selectors,
           profile: SiteProfile | None = None, ordered: bool = False) -> CleanPage:
    text = to_text(html, encoding)
    root = parse(text)
    if root is None:
        return CleanPage(blocked="empty")
    if ordered:
        order_link_lists(root)
    adopt_stray_text(root)
    meta = read_meta(root)
    titled = find_headline(meta, url)
    headline = selected_text(root, sel.headline) or choose_headline(
        titled if titled in meta.h1s else shown_title_part(root, titled) or titled,
        headline_candidates(meta, url), profile)
    byline = find_byline(root, meta)
    mark_panels(root)
    strip_tags(root, rules.PRESCORE_REMOVED)
    drop_furniture(root)
    remove_selected(root, sel.remove)
    drop_unlikely(root)
    container, sig = pick_container(root, meta, sel, profile)
    found = extract_body(container, headline, byline) if container is not None else Body()
    body = found.text
    return CleanPage(
        headline=headline,
        byline=byline or found.byline,
        body=body,
        published=first(ld_str(meta.ld, "datePublished"), meta_value(meta, "published"),
                         time_attr(root)),
        modified=first(ld_str(meta.ld, "dateModified"), meta_value(meta, "modified")),
        canonical_url=find_canonical(root, meta, url),
        language=find_language(root, meta),
        blocked=find_blocked(text, meta, body),
        template=sig if len(body.split()) >= TEMPLATE_MIN_WORDS else "",
    )


def headline_candidates(meta: Meta, url: str) -> list[str]:
    """Where else the page names its story, for a source whose usual headline is its own
    name (clean/site.py choose_headline)."""
    found = [meta.tags.get("og:title", ""), ld_str(meta.ld, "headline"), meta.title,
             *meta.h1s]
    return [strip_site_name(text, meta, url) for text in found if text]


def pick_container(
    root: lxml.html.HtmlElement, meta: Meta, sel: Selectors, profile: SiteProfile | None = None
) -> tuple[list[lxml.html.HtmlElement] | None, str]:
    """The element(s) holding the story, and their template signature (clean/template.py):
    the source's selector, else the container learned for the page's template, else
    scoring."""
    if sel.body:
        found = select(root, sel.body)
        if found:
            return found, ""
    learned, sig = template.find(root, profile.containers if profile is not None else ())
    if learned:
        return learned, sig
    chosen = locate(root, meta)
    return chosen, template.signature(chosen) if chosen else ""


# --- body ----------------------------------------------------------------------------

def extract_body(elements: list[lxml.html.HtmlElement], headline: str, byline: str) -> Body:
    fragment = "".join(lxml.html.tostring(el, encoding="unicode", with_tail=False)
                       for el in elements if el.tag is not etree.Comment)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # bs4 locator/XML warnings on odd fragments
        soup = BeautifulSoup(f"<div>{fragment}</div>", "lxml")
    mark_headline(soup, headline)
    drop_captions(soup)
    drop_teaser_lists(soup)
    drop_link_runs(soup)
    clean_soup(soup, protected(soup))
    repeats = sibling_repeats(soup)
    paras = after_headline(soup_paragraphs(soup))
    found, paras = take_byline(paras)
    kept = list(keep_paragraphs(paras, headline, byline or found, repeats))
    text = "\n\n".join(drop_author_tail(kept, byline or found))
    return Body(text, found)


def mark_headline(soup: BeautifulSoup, headline: str) -> None:
    """Put HEAD before the container's first <h1> when it is the headline."""
    h1 = first_tag(soup, "h1")
    if isinstance(h1, Tag) and same_title(squash(h1.get_text(" ")), headline):
        h1.insert_before(f"{PARA}{HEAD}{PARA}")


def same_title(a: str, b: str) -> bool:
    words_a, words_b = set(WORD_RE.findall(a.lower())), set(WORD_RE.findall(b.lower()))
    return bool(words_a and words_b) and len(words_a & words_b) >= 0.6 * len(words_b)


def drop_captions(soup: BeautifulSoup) -> None:
    """A short block beside an <img> that carries a photo credit is a caption."""
    total = -1  # the container's words, counted when a caption is suspected
    for img in [tag for tag in all_tags(soup) if tag.name == "img"]:
        block = img.parent
        while isinstance(block, Tag) and block.name in INLINE:
            block = block.parent
        if not isinstance(block, Tag) or block.name in ("html", "body", "[document]"):
            continue
        if not block.get_text(" ").strip():  # <p><img></p><p>Caption. Photo: X</p>
            block = next((el for el in block.next_siblings if isinstance(el, Tag)), None)
        if not isinstance(block, Tag):
            continue
        text = block.get_text(" ")
        if is_caption(text, 2 * rules.CAPTION_MAX_WORDS + 1):  # a caption, unless long
            total = len(WORD_RE.findall(soup.get_text(" "))) if total < 0 else total
            if is_caption(text, total):
                block.decompose()


def is_caption(text: str, total: int) -> bool:
    """A short credit line, under half the container's ``total`` words."""
    words = len(WORD_RE.findall(text))  # "via Getty\nImages": a line break is a space
    return (0 < words <= rules.CAPTION_MAX_WORDS and words < 0.5 * total
            and bool(rules.CREDIT_RE.search(" ".join(text.split()))))


def protected(soup: BeautifulSoup) -> dict[int, int]:
    """The chosen containers that class names must not drop (id -> text length): the
    largest one, and blocks of one class that split the story (<section>s, CMS widgets)."""
    wrapper = first_tag(soup, "div")
    chosen = [tag for tag in wrapper.contents if isinstance(tag, Tag)] if wrapper else []
    if not chosen:
        return {}
    classes = Counter(" ".join(tag.get_attribute_list("class") or []) for tag in chosen)
    lengths = {id(tag): len(tag.get_text()) for tag in chosen}
    largest = max(chosen, key=lambda tag: lengths[id(tag)])
    return {id(tag): lengths[id(tag)] for tag in chosen if tag is largest
            or classes[" ".join(tag.get_attribute_list("class") or [])] > 1}


def holds_story(tag: Tag, total: int, chosen: dict[int, int]) -> bool:
    """Most of the page's story text, or most of one protected container's (its wrapper)."""
    length = len(tag.get_text())
    if length >= 0.5 * total:
        return True
    for parent in tag.parents:
        if id(parent) in chosen:
            return length >= 0.5 * chosen[id(parent)]
    return False


def clean_soup(soup: BeautifulSoup, chosen: dict[int, int] | None = None) -> None:
    """Drop furniture, then link lists, then unwrap; one tag list, three passes.

    ``chosen``: the containers picked by scoring (see ``protected``): their class names
    ("hs_cos_wrapper_widget", "richtext-title") do not make them furniture (issue 9).
    """
    chosen = chosen or {}
    tags = all_tags(soup)
    gone: set[int] = set()  # ids of removed tags: Tag.decomposed costs a subtree search
    drop_furniture_tags(tags, len(soup.get_text()), chosen, gone)
    story_lists = lead_in_lists([tag for tag in tags if id(tag) not in gone])
    # each subtree is measured as here at its turn; the story's own lists are text
    lengths = link_lengths(tags, gone, LINK_BLOCKS, story_lists)
    for tag in tags:
        if (id(tag) not in gone and tag.name in LINK_BLOCKS and id(tag) not in story_lists
                and is_link_block(tag, lengths)):
            drop(tag, gone)
    for tag in tags:
        if id(tag) not in gone and tag.name == "img":  # "2024<img>If you ..." keeps a space
            tag.replace_with(" ")
        elif id(tag) not in gone and tag.name in UNWRAPPED:
            tag.unwrap()




def drop(tag: Tag, gone: set[int]) -> None:
    gone.add(id(tag))
    gone.update(id(d) for d in tag.descendants)
    tag.decompose()


def drop_furniture_tags(tags: list[Tag], total: int, chosen: dict[int, int],
                        gone: set[int]) -> None:
    """Removed tags and noise-named blocks go, unless they are story blocks or hold the story."""
    shares: dict[int, float] = {}  # prose shares of noise-named blocks (story.is_story_block)
    for tag in tags:
        if id(tag) in chosen or id(tag) in gone or tag.has_attr(rules.STORY_ATTR):
            continue
        removed = tag.name in REMOVED
        noise = not removed and is_noise_tag(tag)
        if noise and is_story_block(tag, shares):
            chosen[id(tag)] = len(tag.get_text())  # a story block: its wrappers stay too
        elif removed or noise:
            if not holds_story(tag, total, chosen):  # never the story itself
                drop(tag, gone)


def is_link_block(tag: Tag, lengths: dict[int, Linked]) -> bool:
    """Mostly link text (whitespace squashed), and not a long paragraph."""
    found = lengths[id(tag)]
    if not found.text:
        return False
    share = LINK_LIST_MIN_SHARE if tag.name in ("ul", "ol") else LINK_BLOCK_MIN_SHARE
    if found.links / found.text <= share or (tag.name == "p" and found.text >= 300):
        return False  # measured first: the tree walks below are for link blocks only
    if tag.name == "div" and any(h.find("a") is not None or h.find_parent("a") is not None
                                 for h in tag.find_all(CARD_HEADINGS)):
        return False  # a section's head: its title linked to the item, and what it links
    if tag.name == "p" and tag.parent is not None and tag.parent.name == "li" and len(
            tag.parent.find_all(True, recursive=False)) == 1:
        return False  # the whole of a list item ("<li><p><a>Great service</a></p></li>")
    return True


def soup_paragraphs(soup: BeautifulSoup) -> list[str]:
    text = SPACE_RE.sub(" ", block_text(soup))
    text = split_breaks(text, is_dropped_line)  # <br><br> ends a paragraph, mostly
    paras = (squash(p).strip(BREAK) for p in text.split(PARA))  # BREAK kept: a line boundary
    return [p for p in paras if p.strip(f" {BREAK}")]


def after_headline(paras: list[str]) -> list[str]:
    """Text above the headline (kicker, dateline, counters) is not body, when it is short."""
    if HEAD not in paras:
        return paras
    at = paras.index(HEAD)
    if sum(len(p.split()) for p in paras[:at]) <= rules.PREHEAD_MAX_WORDS:
        return paras[at + 1:]
    return paras[:at] + paras[at + 1:]


def keep_paragraphs(paras: list[str], headline: str, byline: str,
                    repeats: frozenset[str] = frozenset()) -> Iterator[str]:
    previous = ""
    skip = {headline.lower(), byline.lower(), f"by {byline}".lower()}
    for raw in paras:
        para = unbreak(raw)
        cut = rules.DATE_PREFIX_RE.sub("", para, count=1)
        para, raw = (cut, cut) if cut != para and len(cut.split()) >= 3 else (para, raw)
        # A long paragraph twice in a row is markup shown twice (desktop and mobile copies);
        # short ones ("60%", "Boom.", a refrain) and sibling <p>s are the story's (issue 9).
        if (para == previous and len(para.split()) >= rules.REPEAT_MIN_WORDS
                and para not in repeats or para.lower() in skip or is_noise_text(para)
                or is_volatile_line(raw) or is_meta_line(raw) or is_byline_line(para, byline)):
            continue
        para = unbreak(split_stack(raw, skip, is_dated_line))
        if para:
            previous = para
            yield para


def is_dated_line(line: str) -> bool:
    return is_volatile_line(line) or is_meta_line(line)


def is_dropped_line(raw: str) -> bool:
    """A line the filters take out when it stands alone that a story's sentence may be
    ("More on this below.", "We got the keys 48 hours ago."): for split_breaks."""
    return is_call_to_action(unbreak(raw)) or is_volatile_line(raw)


def is_noise_text(para: str) -> bool:
    if rules.NOISE_TEXT_RE.fullmatch(para):
        return True
    if is_call_to_action(para):
        return True
    if len(para.split()) <= rules.CAPTION_MAX_WORDS and rules.CAPTION_END_RE.search(para):
        return True
    return len(para) <= rules.BYLINE_MAX_CHARS and bool(rules.BYLINE_LINE_RE.fullmatch(para))


def is_volatile_line(raw: str) -> bool:
    """A short line with a relative time or read time, or made only of dateline/tool parts."""
    para = unbreak(raw)
    if len(para.split()) > rules.SHORT_LINE_MAX_WORDS:
        return False
    if rules.VOLATILE_HINT_RE.search(para) and rules.VOLATILE_RE.search(para):
        return True
    parts = [p for p in rules.SEGMENT_SPLIT_RE.split(raw.replace(BREAK, " | ")) if p.strip()]
    return bool(parts) and all(rules.SEGMENT_RE.fullmatch(p.strip()) or is_weather(p.strip())
                               for p in parts)
