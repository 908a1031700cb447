"""Text measures over the chosen container's BeautifulSoup tree, each in one walk (for
page.py): the container's text with paragraph and line markers, and the link density of
every block, computed bottom-up once instead of re-reading nested blocks for each
ancestor (issue 10).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag
from bs4.element import CData, NavigableString, PageElement

from scraper.clean import rules as rules

SPACE_RE = re.compile(r"\s+")
TEXT_TYPES = frozenset({NavigableString, CData})  # the strings Tag.get_text() reads
PARA_TAGS = rules.BLOCK_TAGS | rules.HEADING_TAGS
CELL_TAGS = frozenset({"td", "th"})
CELL_END = NavigableString(" ")  # a table cell ends a word, whatever the markup's spacing


def all_tags(soup: Tag) -> list[Tag]:
    """``soup.find_all(True)`` without bs4's filter machinery."""
    return [node for node in soup.descendants if isinstance(node, Tag)]


def first_tag(soup: Tag, name: str) -> Tag | None:
    """``soup.find(name)`` without bs4's filter machinery."""
    return next((node for node in soup.descendants
                 if isinstance(node, Tag) and node.name == name), None)


def has_tag(soup: Tag, names: Collection[str]) -> bool:
    """``soup.find(names) is not None`` without bs4's filter machinery."""
    return any(isinstance(node, Tag) and node.name in names for node in soup.descendants)


def previous_tag(tag: Tag) -> Tag | None:
    """``tag.find_previous_sibling()``: the nearest element before it in its parent."""
    return next((node for node in tag.previous_siblings if isinstance(node, Tag)), None)


def namesakes(tag: Tag) -> Iterator[Tag]:
    """``(*tag.find_next_siblings(tag.name), *tag.find_previous_siblings(tag.name))``,
    lazily: the siblings of its name after it, then those before it, nearest first."""
    for node in itertools.chain(tag.next_siblings, tag.previous_siblings):
        if isinstance(node, Tag) and node.name == tag.name:
            yield node


def block_text(soup: BeautifulSoup) -> str:
    """``soup.get_text()`` as if every <br> were BREAK, every block tag had PARA before
    and after it and every table cell a space after it, without changing the tree."""
    parts: list[str] = []
    stack: list[PageElement | None] = list(reversed(soup.contents))
    while stack:
        node = stack.pop()
        if node is None:
            parts.append(rules.PARA)
        elif type(node) in TEXT_TYPES:
            parts.append(str(node))
        elif isinstance(node, Tag):
            if node.name == "br":
                parts.append(rules.BREAK)
                continue
            if node.name in PARA_TAGS:
                parts.append(rules.PARA)
                stack.append(None)
            elif node.name in CELL_TAGS:  # "<td>1</td><td>Ohio</td>" reads "1 Ohio"
                stack.append(CELL_END)
            stack.extend(reversed(node.contents))
    return "".join(parts)


# A text's length once runs of whitespace are one space, and whether it starts and ends
# with that space: enough to join two texts' lengths without joining the texts.
Spaced = tuple[int, bool, bool]
EMPTY: Spaced = (0, False, False)


def spaced(text: str) -> Spaced:
    if not text:
        return EMPTY
    squashed = SPACE_RE.sub(" ", text)
    return len(squashed), squashed[0] == " ", squashed[-1] == " "


def joined(first: Spaced, second: Spaced) -> Spaced:
    if not first[0] or not second[0]:
        return second if not first[0] else first
    merged = first[2] and second[1]  # two spaces meet and become one
    return first[0] + second[0] - merged, first[1], second[2]


def stripped(text: Spaced) -> int:
    """len(SPACE_RE.sub(" ", text).strip())"""
    return max(0, text[0] - text[1] - text[2])


@dataclass(frozen=True)
class Linked:
    """A tag's text length (whitespace squashed, stripped) and its links' total one."""

    text: int
    links: int


def link_lengths(tags: Sequence[Tag], gone: set[int], names: Collection[str],
                 plain: Collection[int] = ()) -> dict[int, Linked]:
    """id(tag) -> Linked for every tag named in ``names`` still in the tree, measured
    children before parents. ``tags`` in document order; the links of a link inside a
    link count twice, as ``find_all("a")`` finds both. The links inside the tags whose
    ids are in ``plain`` count as text."""
    measures: dict[int, tuple[Spaced, int]] = {}
    for tag in reversed(tags):
        if id(tag) in gone:
            continue
        text, links = EMPTY, 0
        for child in tag.contents:
            if isinstance(child, Tag):
                inner, inner_links = measures[id(child)]
                inner_links = 0 if id(child) in plain else inner_links
                text = joined(text, inner)
                links += inner_links + (stripped(inner) if child.name == "a" else 0)
            elif type(child) in TEXT_TYPES:
                text = joined(text, spaced(str(child)))
        measures[id(tag)] = (text, links)
    found: dict[int, Linked] = {}
    for tag in tags:
        if tag.name in names and id(tag) in measures:
            text, links = measures[id(tag)]
            found[id(tag)] = Linked(stripped(text), links)
    return found
