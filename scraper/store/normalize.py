"""The normal form of article text used to decide whether it changed.

Two texts that differ only in Unicode composition, white space, non-breaking
spaces, invisible characters, the form of quotes and dashes, or where their
paragraphs break are the same text: none of these differences may create a
version. Paragraph breaks do not count because the same words are often broken
differently by markup alone (a ``<br><br>`` added inside a paragraph, ``<p>``s
merged by a template change; issue 9).
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata

_TRANSLATE = str.maketrans({
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ",
    "\u2002": " ", "\u2003": " ", "\u3000": " ",
    "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None,
    "\u00ad": None,
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2033": '"', "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u2039": "'", "\u203a": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-",
    "\u2026": "...",
})
_SPACE = re.compile(r"[^\S\n]+")
_PARAGRAPH_BREAK = re.compile(r"\s*\n\s*(?:\n\s*)*")
_BLANK_LINE = re.compile(r"\n\s*\n")


def normalize_text(text: str) -> str:
    """NFC, one space between words, one newline between paragraphs, plain quotes/dashes."""
    text = unicodedata.normalize("NFC", text or "").translate(_TRANSLATE)
    text = _SPACE.sub(" ", text)
    return _PARAGRAPH_BREAK.sub("\n", text).strip()


def comparable_text(text: str) -> str:
    """The normalised words of a text in order, paragraph breaks read as spaces."""
    return normalize_text(text).replace("\n", " ")


def text_hash(headline: str, byline: str, body: str) -> str:
    """A hash of the comparable text: equal hashes mean no version is written."""
    joined = "\x1f".join(comparable_text(part) for part in (headline, byline, body))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def word_count(text: str) -> int:
    return len(text.split())


def paragraphs(body: str) -> list[str]:
    return [p.strip() for p in _BLANK_LINE.split(body or "") if p.strip()]


def regroup(old: str, new: str) -> str:
    """new's paragraphs, broken as in old wherever a run of them has old's words.

    A diff of the result shows the edits only, not paragraphs split or merged by markup.
    """
    olds, news = paragraphs(old), paragraphs(new)
    old_keys, new_keys = [comparable_text(p) for p in olds], [comparable_text(p) for p in news]
    kept: list[str] = []
    matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "replace":
            kept += _regroup_run(old_keys[a1:a2], news[b1:b2], new_keys[b1:b2])
        elif op != "delete":
            kept += news[b1:b2]
    return "\n\n".join(kept)


def _regroup_run(old_keys: list[str], news: list[str], new_keys: list[str]) -> list[str]:
    """A run of new paragraphs re-broken where the old ones broke, word by word.

    The words the run shares with the old one keep the old paragraph breaks; a break
    the new text has inside words it shares with the old text, where the old text has
    none, is the markup's (a ``<br><br>`` added or moved) and goes. A break next to
    added or removed words stays, so an added paragraph is still one.
    """
    old_words = [key.split() for key in old_keys]
    new_words = [p.split() for p in news]
    new_flat = [w for key in new_keys for w in key.split()]
    flat = [w for words in new_words for w in words]
    if len(new_flat) != len(flat):  # a word made of invisible characters only: leave it
        return news
    old_flat = [w for words in old_words for w in words]
    blocks = difflib.SequenceMatcher(None, old_flat, new_flat, autojunk=False).get_matching_blocks()
    breaks = {_where(blocks, b) for b in _boundaries(old_words)} - {None}
    breaks |= {q for q in _boundaries(new_words) if not _inside(blocks, q)}
    cuts = sorted(q for q in breaks if q is not None and 0 < q < len(flat))
    return [" ".join(flat[a:b]) for a, b in zip([0, *cuts], [*cuts, len(flat)], strict=True)]


def _boundaries(groups: list[list[str]]) -> list[int]:
    """Word positions where a new paragraph starts (the first one's 0 left out)."""
    ends, total = [], 0
    for words in groups[:-1]:
        total += len(words)
        ends.append(total)
    return ends


def _where(blocks: list[difflib.Match], old_at: int) -> int | None:
    """The new position of a break before old word old_at, where a shared word is next to
    it (after it, else before it); None inside words that changed."""
    for a, b, size in blocks:
        if a <= old_at < a + size:
            return b + old_at - a
    return next((b + size for a, b, size in blocks if size and a + size == old_at), None)


def _inside(blocks: list[difflib.Match], new_at: int) -> bool:
    """Whether a break before new word new_at has shared words on both sides, in one run."""
    return any(b < new_at < b + size for _, b, size in blocks)
