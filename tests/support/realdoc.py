"""Real HTML as tokens (tags, text, comments, script and style contents) with a forgiving
element tree on top, and the page's ground-truth story text to tell story from the rest.

Edits and noise (``support.realedits``, ``support.realnoise``) rewrite tokens, so that
everything outside what they touch stays byte for byte as the site served it.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from scraper.store.normalize import normalize_text

_TOKEN = re.compile(
    r"(?P<comment><!--.*?(?:-->|\Z))"
    r"|(?P<decl><[!?][^>]*>)"
    r"|(?P<end></[a-zA-Z][^>]*>)"
    r"|(?P<start><[a-zA-Z][^\s/>]*(?:[^>\"']|\"[^\"]*\"|'[^']*')*>)"
    r"|(?P<text>[^<]+|<)", re.DOTALL)
NAME = re.compile(r"</?([a-zA-Z][^\s/>]*)")
RAWTEXT = frozenset({"script", "style", "textarea", "title", "xmp", "noscript"})
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
CLOSES_P = frozenset("p div ul ol table h1 h2 h3 h4 h5 h6 section article aside header footer "
                     "nav blockquote pre form figure hr".split())
ATTR = re.compile(r"""([^\s"'=<>/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
WORD = re.compile(r"\w+")


CONTEXTS = ("head", "h1", "title", "pre", "textarea", "script", "style", "p", "table", "cite")
_BIT = {name: 1 << n for n, name in enumerate(CONTEXTS)}


@functools.cache
def bits(names: tuple[str, ...]) -> int:
    return sum(_BIT[name] for name in set(names))


@dataclass
class Element:
    name: str
    start: int  # token index of the start tag
    end: int = -1  # token index of the end tag (or of the last token inside)
    parent: int = -1
    children: list[int] = field(default_factory=list)
    mask: int = 0  # CONTEXTS this element is or is inside


@dataclass
class Doc:
    """One state of a page: its tokens, elements, and which text is the story's."""

    kinds: list[str]  # start, end, text, raw (script/style contents), comment, decl
    names: list[str]  # tag name for start/end tokens, enclosing raw element for raw
    raws: list[str]
    parents: list[int]  # innermost open element of each token (-1 at top)
    elements: list[Element]
    story: str  # ground-truth article text, normalized, paragraphs joined by spaces
    core: list[int] = field(default_factory=list)  # text tokens that hold story sentences
    _texts: dict[int, str] = field(default_factory=dict)
    _memo: dict[str, Any] = field(default_factory=dict)

    def memo(self, key: str, make: Callable[[], Any]) -> Any:
        """What make() returns, computed once per state of the page."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    @property
    def html(self) -> str:
        return "".join(self.raws)

    def text(self, index: int) -> str:
        if index not in self._texts:
            self._texts[index] = html.unescape(self.raws[index])
        return self._texts[index]

    def inside(self, index: int, names: tuple[str, ...]) -> bool:
        """Whether the token is inside an element named in CONTEXTS and in names."""
        parent = self.parents[index]
        return parent >= 0 and bool(self.elements[parent].mask & bits(names))

    def in_story(self, text: str) -> bool:
        norm = normalize_text(text)
        return bool(norm) and norm in self.story

    def element_text(self, element: Element) -> str:
        return " ".join(self.text(i) for i in range(element.start, element.end + 1)
                        if self.kinds[i] == "text")


def parse(source: str, story: str) -> Doc:
    """Tokens and a forgiving element tree (implied ends of p and li, stray end tags dropped)."""
    doc = Doc([], [], [], [], [], story)
    stack: list[int] = []
    position = 0
    while position < len(source):
        match = _TOKEN.match(source, position)
        assert match is not None
        kind, raw = match.lastgroup or "text", match.group()
        position = match.end()
        found = NAME.match(raw) if kind in ("start", "end") else None
        name = found.group(1).lower() if found else ""
        if kind == "start":
            _close_implied(doc.elements, stack, name, len(doc.raws))
        elif kind == "end":
            _close(doc.elements, stack, name, len(doc.raws))
        _add(doc, kind, name, raw, stack)
        if kind == "start" and name not in VOID and not raw.endswith("/>"):
            _open(doc, name, stack)
            if name in RAWTEXT:  # its contents are one token, up to its end tag
                end = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(source, position)
                stop = end.start() if end else len(source)
                if stop > position:
                    _add(doc, "raw", name, source[position:stop], stack)
                position = stop
    for index in stack:
        doc.elements[index].end = len(doc.raws) - 1
    doc.core = [i for i, kind in enumerate(doc.kinds) if kind == "text" and _is_core(doc, i)]
    return doc


def _add(doc: Doc, kind: str, name: str, raw: str, stack: list[int]) -> None:
    doc.kinds.append(kind)
    doc.names.append(name)
    doc.raws.append(raw)
    doc.parents.append(stack[-1] if stack else -1)


def _open(doc: Doc, name: str, stack: list[int]) -> None:
    parent = stack[-1] if stack else -1
    mask = (doc.elements[parent].mask if parent >= 0 else 0) | _BIT.get(name, 0)
    doc.elements.append(Element(name, len(doc.raws) - 1, parent=parent, mask=mask))
    if parent >= 0:
        doc.elements[parent].children.append(len(doc.elements) - 1)
    stack.append(len(doc.elements) - 1)


def _close(elements: list[Element], stack: list[int], name: str, at: int) -> None:
    for depth in range(len(stack) - 1, -1, -1):
        if elements[stack[depth]].name == name:
            for index in stack[depth + 1:]:
                elements[index].end = at - 1
            elements[stack[depth]].end = at
            del stack[depth:]
            return


def _close_implied(elements: list[Element], stack: list[int], name: str, at: int) -> None:
    if not stack:
        return
    top = elements[stack[-1]].name
    if (name in CLOSES_P and top == "p") or (name == "li" and top == "li"):
        elements[stack.pop()].end = at - 1


def _is_core(doc: Doc, index: int) -> bool:
    text = doc.text(index)
    if len(WORD.findall(text)) < 6 or doc.inside(index, ("head", "title", "script")):
        return False
    return doc.in_story(text)


def headline_of(doc: Doc) -> str:
    for index, kind in enumerate(doc.kinds):
        if kind == "raw" and doc.names[index] == "title":
            return normalize_text(html.unescape(doc.raws[index]))
    return ""
