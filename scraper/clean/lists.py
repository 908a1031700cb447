"""Link lists put in one order, to tell a rotated list from an edit (issue 9).

A page's teaser lists, promo cards and "useful resources" boxes come in another order
on every load. When the cleaner keeps such a list inside the story's container, two
fetches of an unchanged page give the same paragraphs in another order, and a moved
paragraph longer than a teaser line is an edit (store/noise.py). The earlier fetch of
the same page can tell: ``clean_page(..., ordered=True)`` cleans a page with the items
of each link list sorted by their text, so two fetches that differ only in the order of
those items give the same text, while any word changed, added or removed still shows.

A link list is an element with 3 or more element children, all of one kind (tag and
class names, hashes left out), each holding a link, with no text between them. Story
paragraphs (``<p>``), table rows and headings are never items: a paragraph moved in
the story stays an edit.
"""

from __future__ import annotations

import re

import lxml.html

from scraper.clean.hashes import stable_names

MIN_ITEMS = 3
NOT_ITEMS = frozenset({"p", "tr", "td", "th", "option", "h1", "h2", "h3", "h4", "h5", "h6"})
SPACE_RE = re.compile(r"\s+")
WORD_RE = re.compile(r"\w")


def order_link_lists(root: lxml.html.HtmlElement) -> None:
    """Sort the items of every link list under `root` by their text, in place."""
    for parent in list(root.iter()):
        items = _items(parent)
        if items is None:
            continue
        tails = [item.tail for item in items]
        ordered = sorted(items, key=_text)
        if ordered == items:
            continue
        start = parent.index(items[0])
        for item in items:
            parent.remove(item)
        for offset, (item, tail) in enumerate(zip(ordered, tails, strict=True)):
            item.tail = tail
            parent.insert(start + offset, item)


def _items(parent: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement] | None:
    """The children of `parent` when it is a link list, else None."""
    if not isinstance(parent.tag, str) or (parent.text or "").strip():
        return None
    children = list(parent)
    if len(children) < MIN_ITEMS or any(not isinstance(c.tag, str) for c in children):
        return None
    if children[0].tag in NOT_ITEMS or len({_kind(c) for c in children}) != 1:
        return None
    if any((c.tail or "").strip() for c in children[:-1]) or WORD_RE.search(
            children[-1].tail or ""):
        return None  # links inside running text ("A, B, C", "A B C are our partners")
    if not all(c.tag == "a" and c.get("href") or c.find(".//a[@href]") is not None
               for c in children):
        return None
    return children


def _kind(element: lxml.html.HtmlElement) -> tuple[str, str]:
    names = (element.get("class") or "").split()
    return str(element.tag), " ".join(sorted(stable_names(names)))


def _text(element: lxml.html.HtmlElement) -> str:
    return SPACE_RE.sub(" ", element.text_content()).strip()
