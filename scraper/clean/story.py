"""Story blocks inside the chosen container (BeautifulSoup side, for page.clean_soup).

A block whose class names read like furniture ("c-product-widget", "card", "module")
still holds the story when it is one of a run of same-kind blocks made of running text:
a review list puts each product's write-up in one, a guide each step (issue 9, E5).
"""

from __future__ import annotations

import re

import lxml.html
from bs4 import Tag
from bs4.element import NavigableString

from scraper.clean import rules as rules
from scraper.clean.hashes import stable_names
from scraper.clean.soup import all_tags, namesakes, previous_tag

# A noise-named block that is one of a run of same-kind siblings made of running text
# is story: its text holds this share in paragraphs of 80+ characters.
STORY_BLOCK_MIN_PROSE = 0.6
STORY_RUN_MIN_PROSE = 0.3  # ... or this share, when a sibling of its kind has the first
STORY_BLOCK_MIN_CHARS = 200
STORY_BLOCK_MAX_LINKS = 0.2
# Names of a line of text: a block so named yet made of paragraphs is not a title.
TITLE_NAME_RE = re.compile(r"(?:^|[-_\s])(?:title|heading|headline|kicker|eyebrow)(?=$|[-_\s])",
                           re.I)
HIDDEN_RE = re.compile(r"hidden|d-none|sr-only|invisible|(?:^|[-_\s])hide(?:$|[-_\s])", re.I)


def kind(tag: Tag) -> tuple[str, str]:
    """Tag name and class names without build hashes (clean/hashes.py) and ids."""
    attr = tag.get("class")
    names = attr if isinstance(attr, list) else str(attr or "").split()
    return tag.name, " ".join(stable_names(names))


def is_story_block(tag: Tag, shares: dict[int, float] | None = None) -> bool:
    """One of several same-kind siblings, mostly paragraphs of running text, few links,
    and not hidden by a class name (all pieces of a hidden carousel look alike too).
    A block of a run with less prose (a product's write-up beside its spec list) is
    story too when a sibling of its kind is (``shares``: prose shares measured so far)."""
    if HIDDEN_RE.search(kind(tag)[1]):
        return False
    shares = {} if shares is None else shares
    if is_titled_prose(tag, shares):
        return True
    if not has_sibling_kind(tag):
        return False
    share = prose_share(tag, shares)
    if share >= STORY_BLOCK_MIN_PROSE:
        return True
    if share < STORY_RUN_MIN_PROSE:
        return False
    mine = kind(tag)
    return any(prose_share(sibling, shares) >= STORY_BLOCK_MIN_PROSE
               for sibling in namesakes(tag) if kind(sibling) == mine)


def is_titled_prose(tag: Tag, shares: dict[int, float]) -> bool:
    """A block named only as a title ("quotation-wrapper long-title") that is made of
    paragraphs of running text: the name styles its heading, the block is not one."""
    names = f"{kind(tag)[1]} {tag.get('id') or ''}"
    if not TITLE_NAME_RE.search(names) or rules.NOISE_RE.search(TITLE_NAME_RE.sub(" ", names)):
        return False
    return prose_share(tag, shares) >= STORY_BLOCK_MIN_PROSE


def prose_share(tag: Tag, shares: dict[int, float]) -> float:
    """The share of the block's text in paragraphs of running text; 0 for a short block
    or one with many links."""
    if id(tag) in shares:
        return shares[id(tag)]
    text = len(tag.get_text())
    linked = sum(len(a.get_text()) for a in tag.find_all("a"))
    prose = 0
    if text >= STORY_BLOCK_MIN_CHARS and linked <= STORY_BLOCK_MAX_LINKS * text:
        for block in tag.find_all(("p", "li")):
            length = len(block.get_text())
            if length >= 80 and not block.find("p"):
                prose += length
    shares[id(tag)] = prose / text if text else 0.0
    return shares[id(tag)]


def has_sibling_kind(tag: Tag) -> bool:
    """A sibling of the same kind; for a block alone in a wrapper without a class (one per
    card), a sibling wrapper alone holding one of the same kind."""
    mine = kind(tag)
    if any(kind(sibling) == mine for sibling in namesakes(tag)):
        return True
    wrapper = tag.parent
    if wrapper is None or wrapper.get("class") or only_child(wrapper) is not tag:
        return False
    return any(not other.get("class") and (inner := only_child(other)) is not None
               and kind(inner) == mine for other in namesakes(wrapper))


def only_child(tag: Tag) -> Tag | None:
    """The one element inside ``tag`` when it holds no text of its own."""
    children = [child for child in tag.children if isinstance(child, Tag)]
    if len(children) != 1 or any(isinstance(child, NavigableString) and child.strip()
                                 for child in tag.children):
        return None
    return children[0]


# "More Great WIRED Stories", "Related articles", "You may also like": a heading that
# announces a list of other stories (E2).
TEASER_HEADING_RE = re.compile(
    r"(?:(?:more|related|recommended|popular|trending|latest|top|further|other|also)\b.{0,40}"
    r"\b(?:stories|articles|news|posts|reads|reading|coverage|videos|links|guides)|"
    r"read (?:more|next|also)|see also|also read|you (?:may|might) (?:also )?like|"
    r"don'?t miss|more from .{1,40}|.{0,40}(?:stories|articles|posts) you (?:may|might) like)"
    r"\W*",
    re.I,
)
TEASER_HEADING_MAX_WORDS = 8
HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6", "p", "div", "strong"})
TEASER_LIST_MIN_LINKS = 0.4  # share of the list's text in links ...
LEAD_IN_LIST_MIN_LINKS = 0.6  # ... after a lead-in ending in ":" (the story's own sources)


def drop_teaser_lists(soup: Tag) -> None:
    """Drop a list of links that a teaser heading announces, and the heading."""
    for listing in [tag for tag in all_tags(soup) if tag.name in ("ul", "ol")]:
        heading = next((el for el in listing.previous_siblings if isinstance(el, Tag)), None)
        if listing.decomposed or not isinstance(heading, Tag) or heading.name not in HEADINGS:
            continue
        text = " ".join(heading.get_text(" ").split())
        if not text or len(text.split()) > TEASER_HEADING_MAX_WORDS:
            continue
        wanted = LEAD_IN_LIST_MIN_LINKS if text.endswith(":") else TEASER_LIST_MIN_LINKS
        if TEASER_HEADING_RE.fullmatch(text) and link_share(listing) >= wanted:
            listing.decompose()
            heading.decompose()


def link_share(tag: Tag) -> float:
    text = len(" ".join(tag.get_text(" ").split()))
    linked = sum(len(" ".join(a.get_text(" ").split())) for a in tag.find_all("a"))
    return linked / text if text else 0.0


def sibling_repeats(soup: Tag) -> frozenset[str]:
    """Texts of <p>s that the story itself says twice: the same paragraph as the <p> right
    before it in the same parent (a correction appended twice, a refrain). Markup shown
    twice (a desktop and a mobile copy) repeats whole blocks, not sibling paragraphs, and
    is kept once (page.keep_paragraphs)."""
    found = set()
    for para in [tag for tag in all_tags(soup) if tag.name == "p"]:
        before = previous_tag(para)
        if isinstance(before, Tag) and before.name == "p":
            text = " ".join(para.get_text().split())
            if text and text == " ".join(before.get_text().split()):
                found.add(text)
    return frozenset(found)


PANEL_MAX_LINKS = 0.3
PANEL_WRAPPERS = 3
PANEL_MIN_PROSE = 80  # a panel holds a paragraph of running text, not "Loading prices…"


def mark_panels(root: lxml.html.HtmlElement) -> None:
    """A collapsed accordion panel (the block a toggle's ``aria-controls`` names, classed
    "hidden" until the reader opens it: FAQ answers) is story text the page shows on a
    click, not hidden furniture: its blocks are marked as the story's, so class names do
    not drop them (page.clean_soup). Menus and pop-ups that toggles open are not panels:
    mostly links, or furniture by a class name other than a hiding one; nor tab panels
    waiting for a script (no paragraph of running text)."""
    ids = {name for el in root.xpath("//*[@aria-controls]")
           for name in (el.get("aria-controls") or "").split()}
    for el in root.xpath("//*[@id]") if ids else []:
        if el.get("id") not in ids or not isinstance(el.tag, str):
            continue
        names = HIDDEN_RE.sub(" ", f"{el.get('class') or ''}")
        text = len(el.text_content())
        linked = sum(len(a.text_content()) for a in el.iter("a"))
        prose = any(len(p.text_content()) >= PANEL_MIN_PROSE for p in el.iter("p", "li"))
        if prose and linked <= PANEL_MAX_LINKS * text and not rules.NOISE_RE.search(names):
            el.set(rules.STORY_ATTR, "1")
            parent = el.getparent()  # collapse wrappers (display:none) holding only it
            for _ in range(PANEL_WRAPPERS):
                if parent is None or len(parent) != 1 or (parent.text or "").strip():
                    break
                parent.set(rules.STORY_ATTR, "1")
                parent = parent.getparent()
