"""Counts and edit labels for a version diff: what kind of change was it?

The labels come from the product issue; rules are data (the pattern lists
below) so that they can be read and extended without touching the logic.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

from scraper.diff.align import (
    VersionDiff,
    WordOp,
    diff_versions,
    new_side,
    old_side,
    words_of,
)
from scraper.model import Text

# Every label a version can carry.  "flip-flop" (a text returning to an earlier
# state) needs the whole history, so the store decides it, not summarize().
LABELS: tuple[str, ...] = (
    "byline",
    "correction",
    "flip-flop",
    "headline",
    "numbers",
    "paragraph-added",
    "paragraph-removed",
    "quote",
    "rewrite",
    "stealth",
    "typo",
)

# A typo fix: at most this many words touched, each by at most this many characters.
TYPO_MAX_WORDS = 2
TYPO_MAX_DISTANCE = 2
# A rewrite: more than this share of the body's words removed or added.
REWRITE_SHARE = 0.5

CORRECTION_PATTERNS: tuple[str, ...] = (
    r"\b(?:correction|clarification|update|updated|editor['’]s note)\s*:",
    r"\ban earlier version of this (?:article|story|report|post)\b",
    r"\bthis (?:article|story|report|post) (?:has been|was) (?:updated|corrected|amended)",
    r"\b(?:rectificatif|erratum|mise à jour|note de la rédaction)\s*:",  # French
    r"\b(?:korrektur|berichtigung|aktualisierung|anmerkung der redaktion)\s*:",  # German
    r"\b(?:corrección|fe de erratas|actualización|aclaración)\s*:",  # Spanish
    r"\b(?:rettifica|aggiornamento|correzione)\s*:",  # Italian
    r"\b(?:correção|atualização|errata)\s*:",  # Portuguese
    r"\b(?:correctie|rectificatie)\s*:",  # Dutch
    r"(?:виправлення|уточнення|оновлено|исправление|уточнение|обновлено)\s*:",  # uk, ru
)
_CORRECTION = re.compile("|".join(CORRECTION_PATTERNS), re.IGNORECASE)

# Opening mark, then up to the closing one; a double quote left open runs to
# the end of the paragraph (a quote continued in the next paragraph).  Single
# quotes must close, or apostrophes ("the '90s", "Kyiv’s") would open them.
_QUOTED = re.compile(
    r'"[^"]*(?:"|$)'
    r"|“[^”]*(?:”|$)"
    r"|„[^“”]*(?:[“”]|$)"
    r"|«[^»]*(?:»|$)"
    r"|»[^«]*(?:«|$)"
    r"|(?<!\w)[‘'](?=\w).*?[\w.,!?][‘’'](?!\w)"
)

_DATE_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "monday tuesday wednesday thursday friday saturday sunday "
    "yesterday today tomorrow".split()
)
_NUMBER_WORDS = frozenset(
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty "
    "ninety hundred hundreds thousand thousands million millions billion billions "
    "dozen dozens".split()
)


@dataclass(frozen=True)
class DiffSummary:
    """Counts and labels of one version diff; ``labels`` is sorted and unique."""

    words_added: int
    words_removed: int
    paragraphs_added: int
    paragraphs_removed: int
    paragraphs_changed: int
    paragraphs_moved: int
    headline_changed: bool
    byline_changed: bool
    labels: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["labels"] = list(self.labels)
        return data


@dataclass(frozen=True)
class _Edit:
    """One edited text: the headline, the byline or a paired paragraph."""

    old: str
    new: str
    words: tuple[WordOp, ...]


def summarize(old: Text, new: Text, diff: VersionDiff | None = None) -> DiffSummary:
    """Count what changed between two versions and label the kind of edit."""
    if diff is None:
        diff = diff_versions(old, new)
    ops = [p.op for p in diff.body]
    all_words = [*diff.headline, *diff.byline, *(w for p in diff.body for w in p.words)]
    summary = DiffSummary(
        words_added=_count_words(all_words, "insert"),
        words_removed=_count_words(all_words, "delete"),
        paragraphs_added=ops.count("insert"),
        paragraphs_removed=ops.count("delete"),
        paragraphs_changed=ops.count("change"),
        paragraphs_moved=ops.count("move"),
        headline_changed=old.headline != new.headline,
        byline_changed=old.byline != new.byline,
        labels=(),
    )
    labels = sorted(set(_labels(old, new, diff, summary)))
    return DiffSummary(**{**asdict(summary), "labels": tuple(labels)})


def _count_words(ops: Iterable[WordOp], kind: str) -> int:
    return sum(len(words_of(w.text)) for w in ops if w.op == kind)


def _labels(old: Text, new: Text, diff: VersionDiff, summary: DiffSummary) -> Iterator[str]:
    edits = _edits(diff)
    if summary.headline_changed:
        yield "headline"
    if summary.byline_changed:
        yield "byline"
    if summary.paragraphs_added:
        yield "paragraph-added"
    if summary.paragraphs_removed:
        yield "paragraph-removed"
    numbers = any(_numbers(e.old) != _numbers(e.new) for e in edits)
    if numbers:
        yield "numbers"
    if any(_touches_quote(e) for e in edits):
        yield "quote"
    correction = _count_notes(diff, new_side) > _count_notes(diff, old_side)
    if correction:
        yield "correction"
    if _is_rewrite(old, new, diff):
        yield "rewrite"
    structural = summary.paragraphs_added + summary.paragraphs_removed + summary.paragraphs_moved
    if not numbers and not structural and _is_typo(edits):
        yield "typo"
    text_changed = summary.headline_changed or old.body != new.body
    if text_changed and not correction and old.modified == new.modified:
        yield "stealth"


def _edits(diff: VersionDiff) -> list[_Edit]:
    edits = [
        _Edit(old_side(diff.headline), new_side(diff.headline), diff.headline),
        _Edit(old_side(diff.byline), new_side(diff.byline), diff.byline),
    ]
    edits.extend(_Edit(p.old, p.new, p.words) for p in diff.body if p.op in ("change", "move"))
    return [e for e in edits if e.old != e.new]


def _numbers(text: str) -> Counter[str]:
    """Figures and date words of a text, as a multiset (reordering is no change)."""
    found = Counter[str]()
    for word in words_of(text):
        lower = word.lower()
        if any(c.isdigit() for c in word) or lower in _DATE_WORDS or lower in _NUMBER_WORDS:
            found[lower] += 1
    return found


def _touches_quote(edit: _Edit) -> bool:
    """Whether a deletion falls inside a quote of the old text, or an insertion of the new."""
    spans = {"delete": _quoted_spans(edit.old), "insert": _quoted_spans(edit.new)}
    position = {"delete": 0, "insert": 0}
    for op in edit.words:
        for side in ("delete", "insert"):
            if op.op in (side, "equal"):
                start, end = position[side], position[side] + len(op.text)
                if op.op == side and any(s < end and start < e for s, e in spans[side]):
                    return True
                position[side] = end
    return False


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _QUOTED.finditer(text)]


def _count_notes(diff: VersionDiff, side: Callable[[Iterable[WordOp]], str]) -> int:
    """Correction notes on one side of the headline and the paragraphs that differ.

    Equal paragraphs hold as many notes on both sides, so they need no scan.
    """
    parts = [diff.headline, *(p.words for p in diff.body if p.op != "equal")]
    return sum(len(_CORRECTION.findall(side(words))) for words in parts)


def _is_rewrite(old: Text, new: Text, diff: VersionDiff) -> bool:
    body_ops = [w for p in diff.body for w in p.words]
    removed = _count_words(body_ops, "delete")
    added = _count_words(body_ops, "insert")
    old_words, new_words = len(words_of(old.body)), len(words_of(new.body))
    return removed > REWRITE_SHARE * old_words or added > REWRITE_SHARE * new_words


def _is_typo(edits: list[_Edit]) -> bool:
    hunks = [h for e in edits for h in _hunks(e.words)]
    touched = sum(max(len(words_of(old)), len(words_of(new))) for old, new in hunks)
    if not hunks or touched > TYPO_MAX_WORDS:
        return False
    return all(_distance(old.strip(), new.strip()) <= TYPO_MAX_DISTANCE for old, new in hunks)


def _hunks(ops: Iterable[WordOp]) -> Iterator[tuple[str, str]]:
    """Runs of changes between equal text, as (removed, added)."""
    removed, added = "", ""
    for op in (*ops, WordOp("equal", "")):
        if op.op == "equal":
            if removed or added:
                yield removed, added
            removed, added = "", ""
        elif op.op == "delete":
            removed += op.text
        else:
            added += op.text


def _distance(a: str, b: str) -> int:
    """Levenshtein distance, case-insensitive."""
    a, b = a.lower(), b.lower()
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]
