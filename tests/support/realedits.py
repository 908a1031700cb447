"""Real edits made to a page's ground-truth story text inside its real HTML.

Each edit changes the page the way a newsroom does (a number changed, a sentence added,
a paragraph removed, the headline reworded in ``<h1>``, ``<title>``, ``og:title`` and
JSON-LD alike, a correction appended; a typo is put into the first version by
``edit_typo_seed`` and fixed later) and returns the new HTML, or None when the page has no
material for it. ``EDIT_LABELS`` are the labels its version must carry.
"""

from __future__ import annotations

import html
import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from scraper.store.normalize import normalize_text
from support.realdoc import WORD, Doc, Element, headline_of

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
HEADLINEWORDS = ("Latest", "Major", "Growing", "Fresh", "Key", "Surprising")
EDIT_LABELS = {"typo": {"typo"}, "numbers": {"numbers"}, "sentence": set(),
               "paragraph-removed": {"paragraph-removed"}, "headline": {"headline"},
               "correction": {"correction", "paragraph-added"}}
_LONGWORD = re.compile(r"(?<![\w'’-])[a-z]{6,}(?![\w'’-])")
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
    found = [(i, m) for i in doc.core for m in _LONGWORD.finditer(doc.text(i))]
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
        if len(WORD.findall(text)) >= 8 and doc.in_story(text):
            found.append(element)
    return found


def edit_remove(doc: Doc, rng: random.Random) -> str | None:
    paragraphs = story_paragraphs(doc)
    if len(paragraphs) < 4:
        return None
    chosen = rng.choice(paragraphs[1:])
    raws = list(doc.raws)
    text = normalize_text(doc.element_text(chosen))
    # Every place the page shows it, like a text change: a CMS that prints the story twice
    # (a shown and a hidden copy) prints both from the one story it stores.
    for element in paragraphs:
        if element is chosen or normalize_text(doc.element_text(element)) == text:
            for index in range(element.start, element.end + 1):
                raws[index] = ""
    for index, kind in enumerate(doc.kinds):  # the CMS drops it from JSON-LD too
        if kind == "raw" and "ld+json" in doc.raws[index - 1] and text in raws[index]:
            raws[index] = raws[index].replace(text, "")
    return "".join(raws)


def edit_correction(doc: Doc, rng: random.Random) -> str | None:
    paragraphs = story_paragraphs(doc)
    if not paragraphs:
        return None
    # The story's last paragraph is the one that ends the story text furthest on (a reader
    # comment quoting the story, or a subtitle repeated at its end, comes later in the page).
    ends = [doc.story.rfind(normalize_text(doc.element_text(p))) for p in paragraphs]
    last = paragraphs[max(range(len(paragraphs)), key=lambda i: (ends[i], i))]
    note = html.escape(rng.choice(CORRECTIONS), quote=False)
    raws = list(doc.raws)
    raws[last.end] += f"{doc.raws[last.start]}{note}</p>"
    return "".join(raws)


_META_TITLE = re.compile(r"""(?:property|name)\s*=\s*["']?(?:og|twitter):title\b""", re.I)
_CONTENT = re.compile(r"""(\bcontent\s*=\s*)(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_LD_HEADLINE = re.compile(r'("headline"\s*:\s*")((?:[^"\\]|\\.)*)(")')
_TITLE_WORD = re.compile(r"[A-Za-z]{4,}")


def h1_text_token(doc: Doc) -> int | None:
    """The longest text (two words or more) of the <h1> sharing most words with the title:
    the story's headline, not a blog's or a section's name in an <h1> above it."""
    title = set(_TITLE_WORD.findall(headline_of(doc).lower()))
    best, best_shared = None, -1
    for element in doc.elements:
        if element.name == "h1":
            texts = [i for i in range(element.start, element.end + 1)
                     if doc.kinds[i] == "text" and len(WORD.findall(doc.text(i))) >= 2]
            if not texts:
                continue
            token = max(texts, key=lambda i: len(doc.text(i)))
            shared = len(title & set(_TITLE_WORD.findall(doc.text(token).lower())))
            if shared > best_shared:
                best, best_shared = token, shared
    return best


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
    new_word = rng.choice([w for w in HEADLINEWORDS if w.lower() not in (
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
