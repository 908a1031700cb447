"""Old layouts: a story set as lines (``<br>``) in a table cell beside the site's furniture.

On older sites one ``<td>`` holds the date and weather line, a rotating "top stories"
list, the headline, the byline and dateline, and the story, each a line or a stack of
lines. The cell is the story's container (score.py scores a cell by its own text, as a
``<div>``); inside it, these rules keep the story's lines and drop the rest (issue 9,
class 2), so a list that rotates or a date that moves makes no version:

- a run of three or more lines that are each a link of a headline's length (a list set
  with ``<br>``) goes, with a short label line right above it ("TOP STORIES:");
- a stack of short lines (headline, byline, "Posted: <date>") is judged line by line by
  the body's line rules (page.keep_paragraphs), not as one paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import lxml.html
from bs4 import Tag
from bs4.element import NavigableString, PageElement

from scraper.clean import rules as rules
from scraper.clean.byline import byline_names

LINK_RUN_MIN_LINES = 3
LINK_LINE_MIN_SHARE = 0.8  # a line's text in links, from this share, is a link line
LINK_LINE_MIN_WORDS, LINK_LINE_MAX_WORDS = 3, 20  # a headline's length, not a checklist item's
LABEL_MAX_WORDS = 4  # a line this short with no link, right above a run, labels it
STACK_LINE_MAX_WORDS = 16  # a paragraph of lines no longer than this is a stack
SPACE_RE = re.compile(r"\s+")
TITLE_SPLIT_RE = re.compile("|".join(re.escape(sep) for sep in rules.TITLE_SEPARATORS))


def drop_link_runs(soup: Tag) -> None:
    """Drop runs of link lines set with <br> (and their label line) from every element."""
    parents = {id(br.parent): br.parent for br in soup.find_all("br")
               if isinstance(br.parent, Tag)}
    for parent in parents.values():
        if not parent.decomposed:
            drop_runs(split_lines(parent))


def split_lines(parent: Tag) -> list[list[PageElement]]:
    """The parent's children cut into lines at <br> and at block elements (a block is a
    line of its own, never part of a run)."""
    lines: list[list[PageElement]] = [[]]
    for child in list(parent.children):
        if isinstance(child, Tag) and child.name in rules.BLOCK_TAGS:
            lines.extend([[child], []])
            continue
        lines[-1].append(child)
        if isinstance(child, Tag) and child.name == "br":
            lines.append([])
    return [line for line in lines if line]


def drop_runs(lines: list[list[PageElement]]) -> None:
    run: list[list[PageElement]] = []
    for index, line in enumerate([*lines, []]):
        text = line_text(line)
        if line and not text:  # a bare <br>: an empty line inside the list
            run.append(line)
            continue
        if line and is_link_line(line, text):
            run.append(line)
            continue
        links = [ln for ln in run if line_text(ln)]
        if len(links) >= LINK_RUN_MIN_LINES:
            start = index - len(run)
            label = lines[start - 1] if start > 0 else []
            for nodes in [*run, *([label] if is_label(label) else [])]:
                for node in nodes:
                    node.extract()
        run = []


def line_text(line: list[PageElement]) -> str:
    return SPACE_RE.sub(" ", "".join(node_text(node) for node in line)).strip()


def node_text(node: PageElement) -> str:
    if isinstance(node, NavigableString):
        return str(node)
    return node.get_text() if isinstance(node, Tag) else ""


def is_link_line(line: list[PageElement], text: str) -> bool:
    if any(isinstance(n, Tag) and n.name in rules.BLOCK_TAGS for n in line):
        return False
    if not LINK_LINE_MIN_WORDS <= len(text.split()) <= LINK_LINE_MAX_WORDS:
        return False
    linked = sum(len(SPACE_RE.sub(" ", link.get_text()).strip()) for link in links_of(line))
    return linked >= LINK_LINE_MIN_SHARE * len(text)


def links_of(line: list[PageElement]) -> list[Tag]:
    found: list[Tag] = []
    for node in line:
        if isinstance(node, Tag):
            found.extend([node] if node.name == "a" else node.find_all("a"))
    return found


def is_label(line: list[PageElement]) -> bool:
    text = line_text(line)
    return (0 < len(text.split()) <= LABEL_MAX_WORDS and not links_of(line)
            and not any(isinstance(n, Tag) and n.name in rules.BLOCK_TAGS for n in line))


def split_stack(raw: str, skip: set[str], drops: Callable[[str], bool]) -> str:
    """A stack of two or more short lines that holds the headline or a byline (``skip``,
    or "By NAME": an old layout's headline block) without those lines and the ones
    ``drops`` refuses (a dated line); any other paragraph as it is."""
    lines = [line.strip() for line in raw.split(rules.BREAK) if line.strip()]
    if len(lines) < 2 or any(len(line.split()) > STACK_LINE_MAX_WORDS for line in lines):
        return raw
    heads = [line.lower() in skip or bool(byline_names(line)) for line in lines]
    if not any(heads):
        return raw
    return rules.BREAK.join(line for line, head in zip(lines, heads, strict=True)
                            if not head and not drops(line))


# A weather part of a date line: "Springfield: 41°F, light rain", "12 °C".
WEATHER_RE = re.compile(
    r"(?:[^\W\d][\w .'-]{0,30}:?\s*)?-?\d{1,3}\s*(?:°\s*[CF]|℃|℉)(?:,?\s*[^\W\d][\w ]{0,24})?")


def is_weather(part: str) -> bool:
    return bool(WEATHER_RE.fullmatch(part))


def shown_title_part(root: lxml.html.HtmlElement, title: str) -> str:
    """The longest part of a "Site - Headline" title when the page shows it alone as an
    element's text (an old layout's bold headline line); else ""."""
    parts = [p.strip() for p in TITLE_SPLIT_RE.split(title)]
    longest = max(parts, key=lambda p: len(p.split()))
    if len(parts) < 2 or len(longest.split()) < 2:
        return ""
    return longest if root.xpath("//body//*[normalize-space(.)=$text]", text=longest) else ""


CELLS = frozenset({"td", "th"})
ROWS = frozenset({"tr"})
ROW_GROUPS = frozenset({"table", "tbody", "thead", "tfoot"})


def adopt_stray_text(root: lxml.html.HtmlElement) -> None:
    """Text and inline elements that a stray ``</td>`` left between cells or rows, where
    no cell holds them: the parser keeps them in the ``<tr>`` or ``<table>``, and browsers
    show them; they go back into the cell before them, where the page's text ran (class 7)."""
    for group in list(root.iter("tr", "table", "tbody", "thead", "tfoot")):
        holders = CELLS if group.tag in ROWS else ROWS
        holder: lxml.html.HtmlElement | None = None
        for child in list(group):
            if child.tag in holders:
                holder = child if child.tag in CELLS else last_cell(child)
                stray_tail(child, holder)
            elif holder is not None and isinstance(child.tag, str) and child.tag not in (
                    CELLS | ROWS | ROW_GROUPS | {"caption", "colgroup", "col"}):
                group.remove(child)  # removing keeps the tail with the element
                holder.append(child)


def last_cell(row: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    cells = [cell for cell in row if cell.tag in CELLS]
    return cells[-1] if cells else None


def stray_tail(child: lxml.html.HtmlElement, holder: lxml.html.HtmlElement | None) -> None:
    """Move the text after ``child`` to the end of ``holder`` (a cell)."""
    if holder is None or not (child.tail or "").strip():
        return
    text, child.tail = child.tail, None
    if len(holder):
        holder[-1].tail = (holder[-1].tail or "") + text
    else:
        holder.text = (holder.text or "") + text
