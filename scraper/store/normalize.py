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
            kept += _regroup_run(olds[a1:a2], old_keys[a1:a2], news[b1:b2], new_keys[b1:b2])
        elif op != "delete":
            kept += news[b1:b2]
    return "\n\n".join(kept)


def _regroup_run(olds: list[str], old_keys: list[str], news: list[str],
                 new_keys: list[str]) -> list[str]:
    kept: list[str] = []
    i = j = 0
    while j < len(news):
        split = _joined_run(new_keys, j, old_keys[i]) if i < len(olds) else 0
        merged = _joined_run(old_keys, i, new_keys[j]) if i < len(olds) and not split else 0
        if split:  # new_keys[j:j + split] is old paragraph i broken up
            kept.append(olds[i])
            i, j = i + 1, j + split
        elif merged:  # new paragraph j is old_keys[i:i + merged] run together
            kept += olds[i:i + merged]
            i, j = i + merged, j + 1
        else:
            kept.append(news[j])
            i, j = i + 1, j + 1
    return kept


def _joined_run(keys: list[str], start: int, target: str) -> int:
    """n >= 2 when keys[start:start + n] joined by spaces is target, else 0."""
    joined = keys[start] if start < len(keys) else ""
    for end in range(start + 1, len(keys)):
        if len(joined) >= len(target) or not target.startswith(joined):
            break
        joined = f"{joined} {keys[end]}"
        if joined == target:
            return end - start + 1
    return 0
