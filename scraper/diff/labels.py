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

from scraper import datewords
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
# A paragraph this short that only moved is a list item or a teaser in another order, not
# an edit (store.noise reads the same bound for lines that only changed places).
MOVED_LINE_WORDS = 25

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

_DATE_WORDS = frozenset(datewords.flat(
    datewords.MONTHS + datewords.MONTH_ABBREVIATIONS + datewords.WEEKDAYS
    + (datewords.RELATIVE_DAYS,)))
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
    numbers = _numbers_changed(edits)
    if numbers:
        yield "numbers"
    if any(_touches_quote(e) for e in edits):
        yield "quote"
    correction = _count_notes(diff, new_side) > _count_notes(diff, old_side)
    if correction:
        yield "correction"
    if _is_rewrite(old, new, diff):
        yield "rewrite"
    moved = sum(1 for p in diff.body if p.op == "move"
                and len(words_of(p.new)) > MOVED_LINE_WORDS)
    structural = summary.paragraphs_added + summary.paragraphs_removed + moved
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


def _numbers_changed(edits: list[_Edit]) -> bool:
    """Whether figures or number words were added or removed, over all edited texts.

    A figure that moved (removed in one place, added in another) is no change, and
    neither is a misspelt word fixed into a number word ("thosuand" -> "thousand").
    """
    removed, added = Counter[str](), Counter[str]()
    for old, new in (h for e in edits for h in _hunks(e.words)):
        if not _spelling_fix(old, new):
            removed += _numbers(old)
            added += _numbers(new)
    return removed != added


def _spelling_fix(old: str, new: str) -> bool:
    """One word for one, close in spelling, no figure, a number word on one side only."""
    a, b = words_of(old), words_of(new)
    if len(a) != 1 or len(b) != 1 or any(c.isdigit() for c in a[0] + b[0]):
        return False
    return bool(_numbers(old)) != bool(_numbers(new)) and _distance(
        a[0], b[0]) <= TYPO_MAX_DISTANCE


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
    """Few words touched, each a little; the same fix made all through the text
    ("recevie" -> "receive" five times) counts once, and words that only moved none."""
    hunks = _moved_out([h for e in edits for h in _hunks(e.words)])
    hunks = list(dict.fromkeys((old.strip().lower(), new.strip().lower()) for old, new in hunks))
    touched = sum(max(len(words_of(old)), len(words_of(new))) for old, new in hunks)
    if not hunks or touched > TYPO_MAX_WORDS:
        return False
    return all(_distance(old.strip(), new.strip()) <= TYPO_MAX_DISTANCE for old, new in hunks)


def _moved_out(hunks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The hunks less words removed in one place and added, the same, in another."""
    keys = [(" ".join(words_of(old)), " ".join(words_of(new))) for old, new in hunks]
    moved = (Counter(gone for gone, came in keys if gone and not came)
             & Counter(came for gone, came in keys if came and not gone))
    budget = {"removed": moved, "added": moved.copy()}
    kept = []
    for (old, new), (gone, came) in zip(hunks, keys, strict=True):
        side = "added" if came and not gone else "removed" if gone and not came else ""
        if side and budget[side][gone or came] > 0:
            budget[side][gone or came] -= 1
        else:
            kept.append((old, new))
    return kept


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
