"""Lists the story introduces (BeautifulSoup side, for page.clean_soup).

A list of links right after a sentence of the story that ends in ":" ("Also, a few
patches were merged upstream:", "Here are some of the courses you can take:") is the
story's own: a changelog of pull requests, a reading list, the products a guide names.
Its links count as text when page.clean_soup judges link blocks, so neither the list nor
the section around it goes as a menu. A lead-in that announces other stories ("Related:",
"You may also like:") does not make its list the story's (issue 9, E5).
"""

from __future__ import annotations

import re

from bs4 import Tag
from bs4.element import NavigableString

from scraper.clean import rules as rules
from scraper.clean.soup import TEXT_TYPES

# Words of a lead-in that announces teasers, not the story's own list.
TEASER_LEAD_RE = re.compile(
    r"related|you (?:may|might|will|would)|also (?:like|enjoy|read|see|check)|interested in|"
    r"more (?:from|in|on|about|stories|articles|posts|news)|further reading|read (?:more|next)|"
    r"see also|recommended|popular|trending|find more|other (?:stories|articles|posts|news)|"
    r"(?:latest|recent) (?:stories|articles|posts|news)",
    re.I,
)
LEAD_MAX_CHARS = 200  # the lead-in's end: its last sentence or two
LEAD_MAX_STEPS = 12  # elements walked back from the list to the text right before it
INLINE = frozenset({"a", "span", "strong", "b", "em", "i", "u", "small", "font", "code"})


def lead_in_lists(tags: list[Tag]) -> set[int]:
    """ids of the <ul>/<ol>s that a story sentence ending in ":" introduces, and of the
    tags inside them (an item's <p> that is all link stays with its list)."""
    found: set[int] = set()
    for tag in tags:
        if id(tag) not in found and tag.name in ("ul", "ol") and is_lead_in(text_before(tag)):
            found.add(id(tag))
            found.update(id(node) for node in tag.descendants if isinstance(node, Tag))
    return found


def text_before(tag: Tag) -> NavigableString | None:
    """The last non-blank string before the tag in document order (a few steps back)."""
    for steps, node in enumerate(tag.previous_elements):
        if steps > LEAD_MAX_STEPS:
            return None
        if type(node) in TEXT_TYPES and isinstance(node, NavigableString) and node.strip():
            return node
    return None


def is_lead_in(text: NavigableString | None) -> bool:
    if text is None or not text.strip().endswith(":"):
        return False
    block = text.parent
    while isinstance(block, Tag) and block.name in INLINE:
        block = block.parent
    if not isinstance(block, Tag) or block.name in rules.HEADING_TAGS:
        return False  # a heading over a list is a section's title, not a sentence
    sentence = " ".join(block.get_text(" ").split())[-LEAD_MAX_CHARS:]
    return len(sentence.split()) >= 2 and not TEASER_LEAD_RE.search(sentence)
