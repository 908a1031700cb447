"""Story blocks inside the chosen container (BeautifulSoup side, for page.clean_soup).

A block whose class names read like furniture ("c-product-widget", "card", "module")
still holds the story when it is one of a run of same-kind blocks made of running text:
a review list puts each product's write-up in one, a guide each step (issue 9, E5).
"""

from __future__ import annotations

import re

from bs4 import Tag

from scraper.clean import rules as rules

DIGIT_RE = re.compile(r"\d")
# A noise-named block that is one of a run of same-kind siblings made of running text
# is story: its text holds this share in paragraphs of 80+ characters.
STORY_BLOCK_MIN_PROSE = 0.6
STORY_BLOCK_MIN_CHARS = 200
STORY_BLOCK_MAX_LINKS = 0.2
HIDDEN_RE = re.compile(r"hidden|d-none|sr-only|invisible|(?:^|[-_\s])hide(?:$|[-_\s])", re.I)


def kind(tag: Tag) -> tuple[str, str]:
    """Tag name and class names without the ones holding digits (ids, hashes)."""
    attr = tag.get("class")
    names = attr if isinstance(attr, list) else str(attr or "").split()
    return tag.name, " ".join(n for n in names if not DIGIT_RE.search(n))


def is_story_block(tag: Tag) -> bool:
    """One of several same-kind siblings, mostly paragraphs of running text, few links,
    and not hidden by a class name (all pieces of a hidden carousel look alike too)."""
    if HIDDEN_RE.search(kind(tag)[1]):
        return False
    text = len(tag.get_text())
    if text < STORY_BLOCK_MIN_CHARS or not has_sibling_kind(tag):
        return False
    linked = sum(len(a.get_text()) for a in tag.find_all("a"))
    if linked > STORY_BLOCK_MAX_LINKS * text:
        return False
    prose = 0
    for block in tag.find_all(("p", "li")):
        length = len(block.get_text())
        if length >= 80 and not block.find("p"):
            prose += length
    return prose >= STORY_BLOCK_MIN_PROSE * text


def has_sibling_kind(tag: Tag) -> bool:
    mine = kind(tag)
    for sibling in (*tag.find_next_siblings(tag.name), *tag.find_previous_siblings(tag.name)):
        if isinstance(sibling, Tag) and kind(sibling) == mine:
            return True
    return False
