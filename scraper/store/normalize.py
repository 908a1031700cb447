"""The normal form of article text used to decide whether it changed.

Two texts that differ only in Unicode composition, white space, non-breaking
spaces, invisible characters, or the form of quotes and dashes are the same
text: none of these differences may create a version.
"""

from __future__ import annotations

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


def normalize_text(text: str) -> str:
    """NFC, one space between words, one newline between paragraphs, plain quotes/dashes."""
    text = unicodedata.normalize("NFC", text or "").translate(_TRANSLATE)
    text = _SPACE.sub(" ", text)
    return _PARAGRAPH_BREAK.sub("\n", text).strip()


def text_hash(headline: str, byline: str, body: str) -> str:
    """A hash of the normalised text: equal hashes mean no version is written."""
    joined = "\x1f".join(normalize_text(part) for part in (headline, byline, body))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def word_count(text: str) -> int:
    return len(text.split())
