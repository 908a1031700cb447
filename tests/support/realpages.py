"""Real pages from ``../shared/datasets`` made into a changing news site, for change benchmarks.

A ``Doc`` is a page's real HTML cut into tokens (tags, text, comments, script and style
contents) with a light element tree on top, and the page's ground-truth article text to
tell story text from the rest. On it:

- ``EDITS``: real edits made to the ground-truth text inside the HTML, as a newsroom
  makes them (a typo fixed, a number changed, a sentence added, a paragraph removed, the
  headline reworded in ``<title>``/``og:title``/``<h1>``, a correction appended). Each
  returns the new HTML and the labels its version must carry, or None when the page has
  no material for it.
- ``NOISE``: changes that leave the article's text as it is (link lists and teasers
  rotated, dates/times/counters outside the story changed, attributes reordered, script
  and style contents and CSS class hashes changed, comments added, white space moved,
  a paragraph split by ``<br><br>`` with the same words). ``add_noise`` applies them all
  at once, each kind with its own seeded random generator, so that a kind's share of a
  false version can be found by replaying one kind at a time.

``load_pages`` reads the data sets; ``ProxySite`` serves every page at its own real URL
(over http) through a local HTTP proxy, so that each real host is one source with a home
page, a feed, robots.txt and a sitemap listing its articles, and no request can leave
the machine (``proxy_env``).
"""

from __future__ import annotations

import bisect
import functools
import gzip
import html
import json
import random
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from xml.sax.saxutils import escape as xml_escape

from scraper.store.normalize import normalize_text
from scraper.urls import canonicalize_url

DATASETS = Path(__file__).resolve().parents[3] / "shared" / "datasets"
SETS = ("article-extraction", "wcxb-dev")  # never the WCXB test split (held out)

# -- tokens and tree -------------------------------------------------------------------

_TOKEN = re.compile(
    r"(?P<comment><!--.*?(?:-->|\Z))"
    r"|(?P<decl><[!?][^>]*>)"
    r"|(?P<end></[a-zA-Z][^>]*>)"
    r"|(?P<start><[a-zA-Z][^\s/>]*(?:[^>\"']|\"[^\"]*\"|'[^']*')*>)"
    r"|(?P<text>[^<]+|<)", re.DOTALL)
_NAME = re.compile(r"</?([a-zA-Z][^\s/>]*)")
RAWTEXT = frozenset({"script", "style", "textarea", "title", "xmp", "noscript"})
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
CLOSES_P = frozenset("p div ul ol table h1 h2 h3 h4 h5 h6 section article aside header footer "
                     "nav blockquote pre form figure hr".split())
_ATTR = re.compile(r"""([^\s"'=<>/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_WORD = re.compile(r"\w+")


CONTEXTS = ("head", "h1", "title", "pre", "textarea", "script", "style", "p")
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
    kinds: list[str] = []
    names: list[str] = []
    raws: list[str] = []
    parents: list[int] = []
    elements: list[Element] = []
    stack: list[int] = []
    position = 0
    while position < len(source):
        match = _TOKEN.match(source, position)
        assert match is not None
        kind, raw = match.lastgroup or "text", match.group()
        position = match.end()
        name = ""
        if kind in ("start", "end"):
            found = _NAME.match(raw)
            name = found.group(1).lower() if found else ""
        if kind == "start":
            _close_implied(elements, stack, name, len(raws))
        elif kind == "end":
            _close(elements, stack, name, len(raws))
        kinds.append(kind)
        names.append(name)
        raws.append(raw)
        parents.append(stack[-1] if stack else -1)
        if kind == "start" and name not in VOID and not raw.endswith("/>"):
            parent = stack[-1] if stack else -1
            element = Element(name, len(raws) - 1, parent=parent,
                              mask=(elements[parent].mask if parent >= 0 else 0)
                              | _BIT.get(name, 0))
            elements.append(element)
            if element.parent >= 0:
                elements[element.parent].children.append(len(elements) - 1)
            stack.append(len(elements) - 1)
            if name in RAWTEXT:
                position = _raw_content(source, position, name, kinds, names, raws, parents,
                                        stack)
    for index in stack:
        elements[index].end = len(raws) - 1
    doc = Doc(kinds, names, raws, parents, elements, story)
    doc.core = [i for i, kind in enumerate(kinds) if kind == "text" and _is_core(doc, i)]
    return doc


def _raw_content(source: str, position: int, name: str, kinds: list[str], names: list[str],
                 raws: list[str], parents: list[int], stack: list[int]) -> int:
    end = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(source, position)
    stop = end.start() if end else len(source)
    if stop > position:
        kinds.append("raw")
        names.append(name)
        raws.append(source[position:stop])
        parents.append(stack[-1])
    return stop


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
    if len(_WORD.findall(text)) < 6 or doc.inside(index, ("head", "title", "script")):
        return False
    return doc.in_story(text)


# -- pages -----------------------------------------------------------------------------


@dataclass
class RealPage:
    """One data-set page: where it lives, its truth, and its current (edited) HTML."""

    key: str  # set/id
    url: str  # the page's real URL, served over http
    story: str
    headline: str
    doc: Doc
    aliases: tuple[str, ...] = ()  # other URLs it is served at (its canonical link)

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""


def http_url(url: str) -> str:
    parts = urlsplit(url.strip())
    return canonicalize_url(urlunsplit(("http", parts.netloc.lower(), parts.path or "/",
                                        parts.query, "")))


_CANONICAL = re.compile(r"<link\b[^>]*\brel=[\"']?canonical[\"'\s>][^>]*>", re.IGNORECASE)
_HREF = re.compile(r"\bhref\s*=\s*[\"']?([^\"'\s>]+)", re.IGNORECASE)


def load_pages(sets: Iterable[str], limit: int = 0, root: Path = DATASETS) -> list[RealPage]:
    """The pages of the named sets (the first ``limit`` of each when limit > 0)."""
    pages = []
    for name in sets:
        truth = json.loads((root / name / "ground-truth.json").read_text(encoding="utf-8"))
        ids = sorted(truth)[:limit] if limit > 0 else sorted(truth)
        for page_id in ids:
            pages.append(make_page(f"{name}/{page_id}", truth[page_id],
                                   root / name / "html" / f"{page_id}.html.gz"))
    return pages


def make_page(key: str, truth: dict[str, Any], path: Path) -> RealPage:
    with gzip.open(path, "rt", encoding="utf-8", errors="replace") as handle:
        source = handle.read()
    url = http_url(truth["url"])
    host = urlsplit(truth["url"]).netloc
    source = source.replace(f"https://{host}", f"http://{host}")  # served over http
    aliases = []
    link = _CANONICAL.search(source)
    href = _HREF.search(link.group()) if link else None
    if href and urlsplit(html.unescape(href.group(1))).hostname:
        canonical = html.unescape(href.group(1))
        other = urlsplit(canonical).netloc
        source = source.replace(f"https://{other}", f"http://{other}")
        if http_url(canonical) != url:
            aliases.append(http_url(canonical))
    story = normalize_text(" ".join(truth["articleBody"].split("\n")))
    doc = parse(source, story)
    headline = truth.get("headline") or headline_of(doc)
    return RealPage(key, url, story, headline, doc, tuple(aliases))


def headline_of(doc: Doc) -> str:
    for index, kind in enumerate(doc.kinds):
        if kind == "raw" and doc.names[index] == "title":
            return normalize_text(html.unescape(doc.raws[index]))
    return ""


# -- edits ------------------------------------------------------------------------------

SENTENCES = (
    "A spokesperson declined to comment further when reached on Tuesday.",
    "The figures were confirmed later by officials familiar with the matter.",
    "Several residents said they had not been told about the plans in advance.",
    "The company said it would publish a fuller account of the review next month.",
    "Critics said the decision had been taken without enough public consultation.",
    "An independent panel is expected to report its findings before the end of the year.",
)
CORRECTIONS = (
    "Correction: An earlier version of this article misstated the date of the announcement.",
    "Correction: This article has been updated to correct the spelling of a name.",
    "Correction: An earlier version of this story gave an incorrect figure for the total.",
)
HEADLINE_WORDS = ("Latest", "Major", "Growing", "Fresh", "Key", "Surprising")
EDIT_LABELS = {"typo": {"typo"}, "numbers": {"numbers"}, "sentence": set(),
               "paragraph-removed": {"paragraph-removed"}, "headline": {"headline"},
               "correction": {"correction", "paragraph-added"}}
_LONG_WORD = re.compile(r"(?<![\w'’-])[a-z]{6,}(?![\w'’-])")
_NUMBER = re.compile(r"(?<![\w.,])\d{1,6}(?![\w])")


@dataclass(frozen=True)
class Change:
    """Text fragment old -> new, applied to every place the page shows it."""

    old: str
    new: str


def replace_text(doc: Doc, change: Change) -> str:
    """The page with the fragment changed in its body text, title, meta tags and JSON-LD."""
    raws = list(doc.raws)
    escaped = {html.escape(change.old, quote=False): html.escape(change.new, quote=False),
               html.escape(change.old): html.escape(change.new),
               json.dumps(change.old, ensure_ascii=False)[1:-1]:
                   json.dumps(change.new, ensure_ascii=False)[1:-1],
               json.dumps(change.old)[1:-1]: json.dumps(change.new)[1:-1]}
    for index, kind in enumerate(doc.kinds):
        raw = raws[index]
        if kind == "text" or (kind == "raw" and doc.names[index] == "title"):
            if change.old in raw:
                raws[index] = raw.replace(change.old, change.new)
            elif change.old in html.unescape(raw):
                raws[index] = html.escape(html.unescape(raw).replace(change.old, change.new),
                                          quote=False)
        elif (kind == "raw" and "ld+json" in raws[index - 1]) or (
                kind == "start" and doc.names[index] == "meta"):
            for old, new in escaped.items():
                raws[index] = raws[index].replace(old, new)
    return "".join(raws)


def _fragment(text: str, start: int, end: int) -> str:
    """A piece of text around [start, end) long enough to be unique in the page."""
    return text[max(0, start - 24):end + 24]


def edit_typo_seed(doc: Doc, rng: random.Random) -> tuple[Change, Change] | None:
    """(introduce, fix): a typo put in the first version, fixed by a later edit."""
    found = [(i, m) for i in doc.core for m in _LONG_WORD.finditer(doc.text(i))]
    if not found:
        return None
    index, match = rng.choice(found)
    word = match.group()
    at = rng.randrange(1, len(word) - 2)
    if word[at] == word[at + 1]:
        return None
    typo = word[:at] + word[at + 1] + word[at] + word[at + 2:]
    text = doc.text(index)
    right = _fragment(text, match.start(), match.end())
    wrong = right.replace(word, typo, 1) if right.count(word) == 1 else ""
    if not wrong or wrong == right:
        return None
    return Change(right, wrong), Change(wrong, right)


def edit_numbers(doc: Doc, rng: random.Random) -> str | None:
    found = [(i, m) for i in doc.core for m in _NUMBER.finditer(doc.text(i))]
    if not found:
        return None
    index, match = rng.choice(found)
    text = doc.text(index)
    value = str(int(match.group()) + rng.randint(1, 9))
    old = _fragment(text, match.start(), match.end())
    offset = match.start() - max(0, match.start() - 24)
    new = old[:offset] + value + old[offset + len(match.group()):]
    return replace_text(doc, Change(old, new))


def edit_sentence(doc: Doc, rng: random.Random) -> str | None:
    found = [i for i in doc.core if doc.text(i).rstrip().endswith(".")]
    if not found:
        return None
    text = doc.text(rng.choice(found)).rstrip()
    old = text[-48:]
    return replace_text(doc, Change(old, f"{old} {rng.choice(SENTENCES)}"))


def story_paragraphs(doc: Doc) -> list[Element]:
    """<p> elements whose whole text is story text (8 words or more)."""
    found = []
    for element in doc.elements:
        if element.name != "p" or element.end < element.start:
            continue
        text = doc.element_text(element)
        if len(_WORD.findall(text)) >= 8 and doc.in_story(text):
            found.append(element)
    return found


def edit_remove(doc: Doc, rng: random.Random) -> str | None:
    paragraphs = story_paragraphs(doc)
    if len(paragraphs) < 4:
        return None
    chosen = rng.choice(paragraphs[1:])
    raws = list(doc.raws)
    text = normalize_text(doc.element_text(chosen))
    for index in range(chosen.start, chosen.end + 1):
        raws[index] = ""
    for index, kind in enumerate(doc.kinds):  # the CMS drops it from JSON-LD too
        if kind == "raw" and "ld+json" in doc.raws[index - 1] and text in raws[index]:
            raws[index] = raws[index].replace(text, "")
    return "".join(raws)


def edit_correction(doc: Doc, rng: random.Random) -> str | None:
    paragraphs = story_paragraphs(doc)
    if not paragraphs:
        return None
    last = paragraphs[-1]
    note = html.escape(rng.choice(CORRECTIONS), quote=False)
    raws = list(doc.raws)
    raws[last.end] += f"{doc.raws[last.start]}{note}</p>"
    return "".join(raws)


_META_TITLE = re.compile(r"""(?:property|name)\s*=\s*["']?(?:og|twitter):title\b""", re.I)
_CONTENT = re.compile(r"""(\bcontent\s*=\s*)(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_LD_HEADLINE = re.compile(r'("headline"\s*:\s*")((?:[^"\\]|\\.)*)(")')
_TITLE_WORD = re.compile(r"[A-Za-z]{4,}")


def h1_text_token(doc: Doc) -> int | None:
    """The longest text (two words or more) of the first <h1> that has one."""
    for element in doc.elements:
        if element.name == "h1":
            texts = [i for i in range(element.start, element.end + 1)
                     if doc.kinds[i] == "text" and len(_WORD.findall(doc.text(i))) >= 2]
            if texts:
                return max(texts, key=lambda i: len(doc.text(i)))
    return None


def edit_headline(doc: Doc, rng: random.Random) -> str | None:
    """One word of the headline replaced in the <h1>, <title>, og:/twitter:title, JSON-LD."""
    title, h1 = headline_of(doc), h1_text_token(doc)
    shown = doc.text(h1) if h1 is not None else title
    words = [m.group() for m in _TITLE_WORD.finditer(shown)][1:]
    in_title = [w for w in words if re.search(rf"\b{w}\b", title, re.IGNORECASE)]
    if not words:
        return None
    word = rng.choice(in_title or words)
    title_words = [m.group() for m in _TITLE_WORD.finditer(title)][1:]
    head_word = word if in_title or not title_words else rng.choice(title_words)
    new_word = rng.choice([w for w in HEADLINE_WORDS if w.lower() not in (
        word.lower(), head_word.lower())])

    def reword(text: str, old: str = head_word) -> str:
        return re.sub(rf"\b{old}\b", new_word, text, count=1, flags=re.IGNORECASE)

    raws = list(doc.raws)
    if h1 is not None:
        raws[h1] = html.escape(reword(doc.text(h1), word), quote=False)
    for index, kind in enumerate(doc.kinds):
        if kind == "raw" and doc.names[index] == "title":
            raws[index] = html.escape(reword(doc.text(index)), quote=False)
        elif kind == "raw" and "ld+json" in doc.raws[index - 1]:
            raws[index] = _LD_HEADLINE.sub(lambda m: m.group(1) + reword(m.group(2))
                                           + m.group(3), raws[index])
        elif kind == "start" and doc.names[index] == "meta" and _META_TITLE.search(raws[index]):
            raws[index] = _CONTENT.sub(lambda m: m.group(1) + '"' + html.escape(reword(
                html.unescape(m.group(2) or m.group(3) or ""))) + '"', raws[index])
    changed = "".join(raws)
    return changed if changed != doc.html else None


EDITS: dict[str, Callable[[Doc, random.Random], str | None]] = {
    "numbers": edit_numbers, "sentence": edit_sentence, "paragraph-removed": edit_remove,
    "headline": edit_headline, "correction": edit_correction,
}
EDIT_KINDS = ("typo", *EDITS)


# -- noise ------------------------------------------------------------------------------

NOISE_KINDS = ("rotate", "dates", "attrs", "scripts", "classes", "comments", "whitespace",
               "br-split")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATEISH = re.compile(  # a value that changes between loads: dates, clock times, counters
    rf"\b{_MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?!\w)|\b(?:[01]?\d|2[0-3]):[0-5]\d\b"
    r"|\b\d+\s*(?:s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|weeks?|months?"
    r"|years?)\s+ago\b|\b\d[\d,.]*[km]?\s*(?:views?|comments?|shares?|likes?|reads?|reviews?"
    r"|votes?|followers?|replies|answers|points|min read)\b|\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b",
    re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_CLASS_ATTR = re.compile(r"""(\sclass\s*=\s*)("[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
_HASHY = re.compile(r"^(.*?[-_]{1,2})?([A-Za-z0-9]{5,12})$")


def _random_digits(rng: random.Random, digits: str) -> str:
    if len(digits) == 4 and digits[:2] in ("19", "20"):
        return str(int(digits) + rng.choice((-2, -1, 1, 2)))
    low = 10 ** (len(digits) - 1) if len(digits) > 1 else 0
    value = str(rng.randint(low, 10 ** len(digits) - 1))
    return value if value != digits else str((int(digits) + 1) % 10 ** len(digits)).zfill(
        len(digits))


def _outside_text(doc: Doc, index: int) -> bool:
    """A short text outside the story, the headline and the head."""
    text = doc.text(index)
    if not text.strip() or len(_WORD.findall(text)) > 12 or doc.in_story(text):
        return False
    return not doc.inside(index, ("head", "h1", "title", "pre", "textarea", "script", "style"))


def noise_dates(doc: Doc, raws: list[str], rng: random.Random) -> None:
    """Dates, clock times and counters outside the story get other values."""
    found = doc.memo("dates", lambda: [
        i for i, kind in enumerate(doc.kinds) if kind == "text" and _DIGITS.search(doc.raws[i])
        and _DATEISH.search(doc.text(i)) and _outside_text(doc, i)])
    for index in found:
        raws[index] = _CLOCK_OR_DIGITS.sub(lambda m: _new_value(rng, m), raws[index])


_CLOCK_OR_DIGITS = re.compile(r"\b((?:[01]?\d|2[0-3])):([0-5]\d)\b|\d+")


def _new_value(rng: random.Random, match: re.Match[str]) -> str:
    """Another plausible value: a valid clock time, day of month, year or count."""
    if match.group(1):
        hour = rng.randrange(24) if len(match.group(1)) == 2 else rng.randint(1, 9)
        return f"{hour:0{len(match.group(1))}d}:{rng.randrange(60):02d}"
    digits = match.group()
    if len(digits) <= 2:
        return f"{rng.randint(1, 28):0{len(digits)}d}"
    return _random_digits(rng, digits)


def _rotatable(doc: Doc, element: Element) -> list[Element] | None:
    children = [doc.elements[c] for c in element.children]
    if len(children) < 3 or any(c.end < c.start for c in children):
        return None
    shapes = {(c.name, _class_of(doc.raws[c.start])) for c in children}
    if len(shapes) != 1 or children[0].name in ("p", "tr", "td", "th", "option", "h1"):
        return None
    if element.name in ("p", "span", "em", "strong", "b", "i") or doc.inside(
            element.start, ("p",)) or any(_WORD.search("".join(
                doc.text(i) for i in range(a.end + 1, b.start) if doc.kinds[i] == "text"))
            for a, b in zip(children, children[1:], strict=False)):
        return None  # links inside running text
    for child in children:
        tokens = range(child.start, child.end + 1)
        if not any(doc.names[i] == "a" and doc.kinds[i] == "start" for i in tokens):
            return None
        if any(doc.kinds[i] == "text" and (i in doc.core or doc.in_story(doc.text(i))
                                           and len(_WORD.findall(doc.text(i))) >= 4)
               for i in tokens):
            return None
    return children


def _class_of(tag: str) -> str:
    found = _CLASS_ATTR.search(tag)
    return found.group(2).strip("\"'") if found else ""


def noise_rotate(doc: Doc, raws: list[str], rng: random.Random) -> None:
    """Link lists and teaser blocks (3+ alike siblings with links, no story text) rotate."""
    for children in doc.memo("rotate", lambda: _rotatable_groups(doc)):
        units = ["".join(raws[c.start:c.end + 1]) for c in children]
        gaps = ["".join(raws[a.end + 1:b.start]) for a, b in zip(children, children[1:],
                                                                  strict=False)]
        shift = rng.randrange(1, len(units))
        units = units[shift:] + units[:shift]
        for index in range(children[0].start, children[-1].end + 1):
            raws[index] = ""
        raws[children[0].start] = "".join(u + g for u, g in zip(units, [*gaps, ""],
                                                                 strict=True))


def _rotatable_groups(doc: Doc) -> list[list[Element]]:
    groups = []
    taken = -1
    for element in doc.elements:
        if element.start <= taken or doc.inside(element.start, ("head",)):
            continue
        children = _rotatable(doc, element)
        if children is None or bisect.bisect_left(doc.core, children[0].start) != \
                bisect.bisect_right(doc.core, children[-1].end):
            continue
        groups.append(children)
        taken = children[-1].end
    return groups


ATTRS_PER_ROUND = 400  # start tags reordered per page and round


def noise_attrs(doc: Doc, raws: list[str], rng: random.Random) -> None:
    """Start tags with two or more attributes list them in another order."""
    tags = doc.memo("attrs", lambda: [i for i, kind in enumerate(doc.kinds)
                                      if kind == "start" and _attr_list(doc.raws[i])])
    for index in rng.sample(tags, min(ATTRS_PER_ROUND, len(tags))):
        found = _attr_list(raws[index])
        if found:
            name, attrs, closing = found
            order = list(attrs)
            while order == list(attrs):
                rng.shuffle(order)
            raws[index] = f"<{name} {' '.join(order)}{closing}>"


def _attr_list(tag: str) -> tuple[str, tuple[str, ...], str] | None:
    """A start tag's name, attributes and "/" when it has two different attributes or more."""
    name = _NAME.match(tag)
    if name is None:
        return None
    body = tag[name.end():].rstrip(">")
    closing = "/" if body.rstrip().endswith("/") else ""
    body = body.rstrip().rstrip("/")
    attrs = tuple(m.group() for m in _ATTR.finditer(body))
    if len(set(attrs)) < 2 or re.sub(r"\s", "", "".join(attrs)) != re.sub(r"\s", "", body):
        return None
    return name.group(1), attrs, closing


def noise_scripts(doc: Doc, raws: list[str], rng: random.Random) -> None:
    """Inline scripts and styles change (build ids, nonces, cache busters); JSON-LD stays."""
    token = f"{rng.getrandbits(40):010x}"
    found = doc.memo("scripts", lambda: [
        i for i, kind in enumerate(doc.kinds) if (kind == "start" and "nonce=" in doc.raws[i])
        or (kind == "raw" and doc.names[i] in ("script", "style"))])
    for index in found:
        kind = doc.kinds[index]
        if kind == "start":
            raws[index] = re.sub(r"""nonce=(["']?)[\w+/=-]+""", rf"nonce=\g<1>{token}",
                                 raws[index])
        if kind != "raw" or doc.names[index] not in ("script", "style"):
            continue
        opener = doc.raws[index - 1].lower()
        if doc.names[index] == "style":
            raws[index] += f"\n.r-{token}{{color:#{token[:6]}}}\n"
        elif "json" in opener:
            if "ld+json" not in opener:
                raws[index] = re.sub(r"\d{8,}", lambda m: _random_digits(rng, m.group()),
                                     raws[index])
        elif "type=" not in opener or "javascript" in opener or "module" in opener:
            raws[index] += f"\n;window.__build='{token}';\n"


def noise_classes(doc: Doc, raws: list[str], rng: random.Random) -> None:
    """Hashed CSS class names (css-1x2y3z, e13srmb716) get new hashes, styles too."""
    hashes, places = doc.memo("classes", lambda: _class_hashes(doc))
    mapping: dict[str, str] = {}
    for word in hashes:
        found = _HASHY.match(word)
        assert found is not None
        mapping[word] = (found.group(1) or "") + "".join(
            rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in found.group(2))
    for index, spans in places.items():
        raw, pieces, at = raws[index], [], 0
        if len(raw) < spans[-1][1]:
            continue
        for start, end in spans:
            pieces += [raw[at:start], mapping.get(raw[start:end], raw[start:end])]
            at = end
        raws[index] = "".join(pieces) + raw[at:]


def _class_hashes(doc: Doc) -> tuple[list[str], dict[int, list[tuple[int, int]]]]:
    """The hash-like class names of the page, and where tags and styles hold them."""
    hashes: set[str] = set()
    for index, kind in enumerate(doc.kinds):
        if kind == "start" and " class" in doc.raws[index].lower():
            for found in _CLASS_ATTR.finditer(doc.raws[index]):
                hashes |= {w for w in found.group(2).strip("\"'").split() if _is_hash(w)}
    places: dict[int, list[tuple[int, int]]] = {}
    if not hashes:
        return [], places
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(
        hashes, key=len, reverse=True))) + r")(?![\w-])")
    for index, kind in enumerate(doc.kinds):
        if (kind == "start" and " class" in doc.raws[index].lower()) or (
                kind == "raw" and doc.names[index] == "style"):
            spans = [m.span() for m in pattern.finditer(doc.raws[index])]
            if spans:
                places[index] = spans
    return sorted(hashes), places


def _is_hash(word: str) -> bool:
    found = _HASHY.match(word)
    if found is None:
        return False
    tail = found.group(2)
    if (found.group(1) or "").lower() == "sc-" and len(tail) >= 5:
        return True
    shifts = sum(1 for a, b in zip(tail, tail[1:], strict=False) if a.isdigit() != b.isdigit())
    return shifts >= 2


def noise_comments(doc: Doc, raws: list[str], rng: random.Random) -> None:
    """A few comments between tags, inside the story too."""
    places = doc.memo("comments", lambda: [
        i for i, kind in enumerate(doc.kinds)
        if (kind == "end" or (kind == "start" and doc.names[i] not in RAWTEXT))
        and not doc.inside(i, ("head",))])
    for index in rng.sample(places, min(6, len(places))):
        raws[index] += f"<!-- r{rng.getrandbits(32):08x} -->"


def noise_whitespace(doc: Doc, raws: list[str], rng: random.Random) -> None:
    """White space between tags and inside text moves (never to nothing)."""
    choices = ("\n", "\n  ", " ", "\n\t\t", "\r\n")
    texts = doc.memo("whitespace", lambda: [
        i for i, kind in enumerate(doc.kinds)
        if kind == "text" and not doc.inside(i, ("pre", "textarea"))])
    for index in texts:
        raw = raws[index]
        if not raw.strip():
            raws[index] = rng.choice(choices)
        elif " " in raw.strip() and rng.random() < 0.3:
            spaces = [m.start() for m in re.finditer(" ", doc.raws[index])]
            at = rng.choice(spaces)
            raws[index] = raw[:at] + "\n" + raw[at + 1:]


def noise_br_split(doc: Doc, raws: list[str], rng: random.Random) -> None:
    """One story paragraph is split in two by <br><br> (the same words, issue 9)."""
    found = [(i, m) for i in doc.core if doc.parents[i] >= 0
             and doc.elements[doc.parents[i]].name == "p"
             for m in re.finditer(r"(?<=[a-z]\.) (?=[A-Z])", doc.raws[i])]
    if found:  # chosen on the page as it is, so that other kinds do not move the choice
        index, match = rng.choice(found)
        raw = raws[index]
        if len(raw) == len(doc.raws[index]):
            raws[index] = raw[:match.start()] + "<br><br>" + raw[match.end():]


NOISE: dict[str, Callable[[Doc, list[str], random.Random], None]] = {
    "classes": noise_classes, "attrs": noise_attrs, "dates": noise_dates,
    "scripts": noise_scripts, "whitespace": noise_whitespace, "br-split": noise_br_split,
    "comments": noise_comments, "rotate": noise_rotate,
}  # classes on the page as it is, then other rewrites; insertions and moves last


def add_noise(doc: Doc, rounds: dict[str, int], seed: str) -> tuple[str, set[str]]:
    """The page with every kind of noise of the given rounds; the kinds that changed it."""
    raws = list(doc.raws)
    applied = set()
    for kind, noise in NOISE.items():
        before = list(raws)
        noise(doc, raws, random.Random(f"{seed}:{kind}:{rounds[kind]}"))
        if raws != before:
            applied.add(kind)
    return "".join(raws), applied


# -- serving -----------------------------------------------------------------------------


class ProxySite:
    """Every page at its real URL (http), behind a local proxy; hosts get index pages."""

    def __init__(self) -> None:
        self.pages: dict[str, bytes] = {}
        self.lock = threading.Lock()
        self.hits = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _proxy_handler(self))
        self.server.daemon_threads = True
        self.proxy = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def publish(self, pages: dict[str, bytes]) -> None:
        with self.lock:
            self.pages = pages

    def find(self, url: str) -> bytes | None:
        with self.lock:
            self.hits += 1
            return self.pages.get(canonicalize_url(url))

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _proxy_handler(site: ProxySite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            body = site.find(self.path) if self.path.startswith("http://") else None
            kind = "text/html; charset=utf-8"
            if self.path.endswith((".xml", "robots.txt")):
                kind = ("text/plain; charset=utf-8" if self.path.endswith(".txt")
                        else "application/xml; charset=utf-8")
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def do_CONNECT(self) -> None:  # noqa: N802 (no https: nothing may leave the machine)
            self.send_response(403)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    return Handler


def proxy_env(environ: dict[str, str], proxy: str) -> dict[str, str]:
    """The environment for a crawl whose every request goes to the local proxy."""
    env = {k: v for k, v in environ.items() if k.lower() not in ("no_proxy", "all_proxy")}
    env.update(http_proxy=proxy, https_proxy=proxy, HTTP_PROXY=proxy, HTTPS_PROXY=proxy)
    return env


def host_pages(host: str, articles: list[tuple[str, str]]) -> dict[str, bytes]:
    """Home page, RSS feed, robots.txt and sitemap of one host listing (url, headline)."""
    base = f"http://{host}"
    links = "".join(f'<li><a href="{html.escape(u)}">{html.escape(h or "Story")}</a></li>'
                    for u, h in articles)
    home = (f'<!doctype html><html><head><title>{host}</title><link rel="alternate" '
            f'type="application/rss+xml" href="{base}/feed.xml"></head><body><h1>{host}</h1>'
            f"<ul>{links}</ul></body></html>")
    items = "".join(f"<item><title>{xml_escape(h or 'Story')}</title><link>{xml_escape(u)}"
                    f"</link></item>" for u, h in articles)
    feed = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{host}'
            f"</title><link>{base}/</link>{items}</channel></rss>")
    urls = "".join(f"<url><loc>{xml_escape(u)}</loc></url>" for u, _ in articles)
    sitemap = ('<?xml version="1.0" encoding="utf-8"?><urlset xmlns="http://www.sitemaps.org/'
               f'schemas/sitemap/0.9">{urls}</urlset>')
    robots = f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n"
    return {canonicalize_url(f"{base}/"): home.encode(),
            canonicalize_url(f"{base}/feed.xml"): feed.encode(),
            canonicalize_url(f"{base}/sitemap.xml"): sitemap.encode(),
            canonicalize_url(f"{base}/robots.txt"): robots.encode()}
