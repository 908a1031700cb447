"""A person's search as a query of the compact search index, and the phrase check it needs.

The index (``versions_fts``, migration m060) keeps which column holds each word but not
where in it (FTS5 ``detail=column``): a third of the index's size per article (issue 10).
It cannot answer a phrase itself, so a quoted phrase is asked as its words, and the
rows found are checked for the words side by side (``has_phrases``), with the words
cut as the index's unicode61 tokenizer cuts them: letters and digits, case and accents
ignored.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

_PARTS = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class IndexQuery:
    """The FTS5 query (every word quoted alone) and the phrases rows must also hold."""

    match: str
    phrases: tuple[tuple[str, ...], ...]


def words(text: str) -> list[str]:
    """The words of text as the index sees them: lower case, without accents."""
    if text.isascii():  # no accents to take off: most rows, at C speed
        return _WORD.findall(text.lower())
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return _WORD.findall(plain)


def index_query(text: str) -> IndexQuery:
    """Quoted phrases and bare words, as words the index can answer; no input is an
    FTS5 syntax error."""
    groups = [words(phrase or word) for phrase, word in _PARTS.findall(text)]
    unique = dict.fromkeys(w for group in groups for w in group)
    match = " ".join(f'"{w}"' for w in unique)
    return IndexQuery(match, tuple(tuple(g) for g in groups if len(g) > 1))


def has_phrases(phrases: tuple[tuple[str, ...], ...]) -> Callable[..., int]:
    """An SQL function of a row's columns: 1 when every phrase is in one of them.

    It runs on every row the index gives for the phrases' words, newest first, until
    enough hold them: on a million versions, a phrase of two common words checks tens
    of thousands of bodies. An ASCII column is checked by one regular expression of
    the phrase's words with no other word between them (words are runs of letters and
    digits, as the tokenizer cuts them), without cutting it into words.
    """
    patterns = [(phrase, _ascii_pattern(phrase)) for phrase in phrases]

    def check(*columns: str | None) -> int:
        texts = [c for c in columns if c]
        return int(all(any(_in_column(text, phrase, pattern) for text in texts)
                       for phrase, pattern in patterns))

    return check


def _ascii_pattern(phrase: tuple[str, ...]) -> re.Pattern[str]:
    """The phrase in lower-case ASCII text; it opens with its first word, so that the
    engine can look for that word's letters before trying the rest."""
    first = re.escape(phrase[0])
    return re.compile(f"{first}(?<![a-z0-9]{first})" + "".join(
        f"[^a-z0-9]+{re.escape(word)}" for word in phrase[1:]) + "(?![a-z0-9])")


def _in_column(column: str, phrase: tuple[str, ...], pattern: re.Pattern[str]) -> bool:
    if column.isascii():
        return pattern.search(column.lower()) is not None
    return _holds(words(column), phrase)


def _holds(text: list[str], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    first = phrase[0]
    return any(text[i:i + size] == list(phrase) for i, word in enumerate(text)
               if word == first)


def merge_marks(snippet: str, open_mark: str, close_mark: str) -> str:
    """Words of one phrase marked one by one become one mark, as a phrase match was."""
    return re.sub(re.escape(close_mark) + r"(\s+)" + re.escape(open_mark), r"\1", snippet)
