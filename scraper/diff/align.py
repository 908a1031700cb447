"""Pure diffing of two stored versions of an article: paragraphs, then words.

The body is aligned paragraph by paragraph first (difflib on whole paragraphs,
then unmatched paragraphs paired by word overlap, then moves), and only paired
paragraphs are diffed word by word.  Each difflib run therefore sees one
paragraph's worth of tokens, which keeps the quadratic worst case of
SequenceMatcher small; see tests/bench_diff.py for the numbers.

Labels live in ``labels.py`` and text, HTML and JSON output in ``render.py``;
``scraper.diff`` re-exports the public names of all three.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from scraper.model import Text

PARAGRAPH_SEPARATOR = "\n\n"
WORD_OPS = ("equal", "insert", "delete")
PARAGRAPH_OPS = ("equal", "insert", "delete", "change", "move")
# Unmatched paragraphs at least this similar (Dice over their word sets) in the
# same gap are one edited paragraph; below it, a deletion and an insertion.
CHANGE_CUTOFF = 0.5
# An edited paragraph found in another gap is a move only when nearly identical.
MOVE_CUTOFF = 0.8
# A number with separators ("1,200", "3.5bn", "10:30") is one token, so that
# "1,200" -> "1,500" is one change; a word keeps its apostrophes ("Zelensky's").
_TOKEN = re.compile(r"(?:\d+(?:[.,:/]\d+)+\w*|\w+(?:['’]\w+)*|[^\w\s])\s*|\s+")
_WORD = re.compile(r"\w+(?:['’]\w+)*")
# Texts longer than this (in characters) are aligned by sentence first.
LONG_TEXT = 4000
_SENTENCE = re.compile(r".+?(?:[.!?…]+[\"”’»)]*(?:\s+|\Z)|\Z)", re.DOTALL)


@dataclass(frozen=True)
class WordOp:
    """A run of tokens: ``op`` is equal, insert or delete; ``text`` keeps its spaces."""

    op: str
    text: str


@dataclass(frozen=True)
class ParagraphOp:
    """One paragraph of the body diff.

    ``op`` is equal, insert, delete, change or move.  ``old_index`` and
    ``new_index`` are 0-based positions in the old and new body (None on the
    side where the paragraph does not exist; for a move, from and to).
    ``words`` holds the word diff; joining its equal+delete texts gives the old
    paragraph and its equal+insert texts the new one, whatever the op.
    """

    op: str
    old_index: int | None
    new_index: int | None
    words: tuple[WordOp, ...]

    @property
    def old(self) -> str:
        return old_side(self.words)

    @property
    def new(self) -> str:
        return new_side(self.words)


@dataclass(frozen=True)
class VersionDiff:
    """Headline and byline word ops, and the body's paragraph ops in new order.

    Deleted paragraphs sit where they stood relative to the kept ones.
    """

    headline: tuple[WordOp, ...]
    byline: tuple[WordOp, ...]
    body: tuple[ParagraphOp, ...]

    @property
    def changed(self) -> bool:
        words = (*self.headline, *self.byline)
        return any(w.op != "equal" for w in words) or any(p.op != "equal" for p in self.body)

    def old_body(self) -> str:
        kept = sorted((p for p in self.body if p.old_index is not None), key=_old_index)
        return PARAGRAPH_SEPARATOR.join(p.old for p in kept)

    def new_body(self) -> str:
        return PARAGRAPH_SEPARATOR.join(p.new for p in self.body if p.new_index is not None)


def old_side(words: Iterable[WordOp]) -> str:
    """The old text of a word diff: its equal and deleted runs."""
    return "".join(w.text for w in words if w.op != "insert")


def new_side(words: Iterable[WordOp]) -> str:
    """The new text of a word diff: its equal and inserted runs."""
    return "".join(w.text for w in words if w.op != "delete")


def _old_index(op: ParagraphOp) -> int:
    return -1 if op.old_index is None else op.old_index


def split_paragraphs(body: str) -> list[str]:
    """The paragraphs of a stored body; joining them with "\\n\\n" gives it back."""
    return body.split(PARAGRAPH_SEPARATOR) if body else []


def tokenize(text: str) -> list[str]:
    """Words, numbers and punctuation marks, each with its trailing white space."""
    return _TOKEN.findall(text)


def words_of(text: str) -> list[str]:
    """The words and numbers of a text, without punctuation."""
    return _WORD.findall(text)


# --- word level -------------------------------------------------------------


def diff_words(old: str, new: str) -> tuple[WordOp, ...]:
    """Token diff of two texts, cleaned up to read well."""
    if old == new:
        return (WordOp("equal", old),) if old else ()
    if len(old) + len(new) > LONG_TEXT:
        return _diff_sentences(old, new)
    return _diff_tokens(old, new)


def _diff_sentences(old: str, new: str) -> tuple[WordOp, ...]:
    """Align sentences first, then diff tokens inside the unmatched ones.

    A body that came without paragraph breaks is one huge paragraph; this keeps
    each token-level SequenceMatcher run to a few sentences.
    """
    a, b = _SENTENCE.findall(old), _SENTENCE.findall(new)
    ops: list[WordOp] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, False).get_opcodes():
        if tag == "equal":
            ops.append(WordOp("equal", "".join(a[i1:i2])))
        else:
            ops.extend(_diff_tokens("".join(a[i1:i2]), "".join(b[j1:j2])))
    return _merge(ops)


def _diff_tokens(old: str, new: str) -> tuple[WordOp, ...]:
    a, b = tokenize(old), tokenize(new)
    # Compare tokens without their trailing space, so that the last word of a
    # paragraph still matches the same word followed by more text.
    matcher = SequenceMatcher(None, [t.rstrip() for t in a], [t.rstrip() for t in b], False)
    ops: list[WordOp] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.extend(_equal_tokens(a[i1:i2], b[j1:j2]))
        else:
            ops.append(WordOp("delete", "".join(a[i1:i2])))
            ops.append(WordOp("insert", "".join(b[j1:j2])))
    return _merge(_absorb_short_equals(ops))


def _equal_tokens(a: Sequence[str], b: Sequence[str]) -> Iterable[WordOp]:
    """Equal runs, splitting out a change of trailing white space."""
    for x, y in zip(a, b, strict=True):
        if x == y:
            yield WordOp("equal", x)
        else:
            core = x.rstrip()
            yield WordOp("equal", core)
            yield WordOp("delete", x[len(core) :])
            yield WordOp("insert", y[len(core) :])


def _absorb_short_equals(ops: list[WordOp]) -> list[WordOp]:
    """Fold a tiny equal run ("the ", ", ") between two changes into them.

    Without this, a reworded sentence reads as [-a-]{+b+} the [-c-]{+d+}.
    """
    out = list(ops)
    for k in range(1, len(ops) - 1):
        op = ops[k]
        if op.op == "equal" and len(op.text.strip()) <= 3:
            if ops[k - 1].op != "equal" and ops[k + 1].op != "equal":
                out[k] = WordOp("replace", op.text)
    return out


def _merge(ops: Iterable[WordOp]) -> tuple[WordOp, ...]:
    """Coalesce runs: equal text, or one delete followed by one insert."""
    out: list[WordOp] = []
    deleted, inserted = "", ""
    for op in ops:
        if op.op == "equal":
            out.extend(_flush(deleted, inserted))
            deleted, inserted = "", ""
            if out and out[-1].op == "equal":
                out[-1] = WordOp("equal", out[-1].text + op.text)
            elif op.text:
                out.append(op)
        else:
            deleted += op.text if op.op != "insert" else ""
            inserted += op.text if op.op != "delete" else ""
    out.extend(_flush(deleted, inserted))
    return tuple(out)


def _flush(deleted: str, inserted: str) -> list[WordOp]:
    ops = [WordOp("delete", deleted), WordOp("insert", inserted)]
    return [op for op in ops if op.text]


# --- paragraph level --------------------------------------------------------


@dataclass(frozen=True)
class _Pair:
    op: str  # equal, change or move
    old_index: int
    new_index: int


def diff_versions(old: Text, new: Text) -> VersionDiff:
    """The word-level difference between two versions of an article."""
    return VersionDiff(
        headline=diff_words(old.headline, new.headline),
        byline=diff_words(old.byline, new.byline),
        body=diff_paragraphs(split_paragraphs(old.body), split_paragraphs(new.body)),
    )


def diff_paragraphs(old: list[str], new: list[str]) -> tuple[ParagraphOp, ...]:
    """Paragraph ops in new order; see the module docstring for the steps."""
    matcher = SequenceMatcher(None, old, new, False)
    pairs: list[_Pair] = []
    gaps: list[tuple[list[int], list[int]]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.extend(_Pair("equal", i, j1 + i - i1) for i in range(i1, i2))
        else:
            gaps.append((list(range(i1, i2)), list(range(j1, j2))))
    pairs.extend(_pair_moves(gaps, lambda i, j: old[i] == new[j]))
    words = [_word_set(p) for p in old], [_word_set(p) for p in new]
    for olds, news in gaps:
        pairs.extend(_pair_in_order(olds, news, words))
    pairs.extend(_pair_moves(gaps, lambda i, j: _dice(words[0][i], words[1][j]) >= MOVE_CUTOFF))
    return _assemble(old, new, pairs)


def _word_set(paragraph: str) -> frozenset[str]:
    return frozenset(w.lower() for w in words_of(paragraph))


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return 2 * len(a & b) / (len(a) + len(b))


def _pair_moves(
    gaps: list[tuple[list[int], list[int]]], same: Callable[[int, int], bool]
) -> list[_Pair]:
    """Pair unmatched paragraphs across gaps as moves; take them out of the gaps."""
    pool = deque(i for olds, _ in gaps for i in olds)
    pairs: list[_Pair] = []
    for _, news in gaps:
        for j in news:
            i = next((i for i in pool if same(i, j)), None)
            if i is not None:
                pool.remove(i)
                pairs.append(_Pair("move", i, j))
    for olds, news in gaps:
        _take_out(olds, news, pairs)
    return pairs


def _take_out(olds: list[int], news: list[int], pairs: list[_Pair]) -> None:
    """Remove paired paragraphs from a gap's unmatched ones, in place."""
    paired_old = {p.old_index for p in pairs}
    paired_new = {p.new_index for p in pairs}
    olds[:] = [i for i in olds if i not in paired_old]
    news[:] = [j for j in news if j not in paired_new]


def _pair_in_order(
    olds: list[int], news: list[int], words: tuple[list[frozenset[str]], list[frozenset[str]]]
) -> list[_Pair]:
    """Order-preserving pairing of one gap with the greatest total similarity.

    The pairs are changes; they are taken out of ``olds`` and ``news``.
    """
    n, m = len(olds), len(news)
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for a in range(n):
        for b in range(m):
            sim = _dice(words[0][olds[a]], words[1][news[b]])
            take = score[a][b] + sim if sim >= CHANGE_CUTOFF else -1.0
            score[a + 1][b + 1] = max(score[a][b + 1], score[a + 1][b], take)
    pairs: list[_Pair] = []
    a, b = n, m
    while a and b:
        if score[a][b] == score[a - 1][b]:
            a -= 1
        elif score[a][b] == score[a][b - 1]:
            b -= 1
        else:
            a, b = a - 1, b - 1
            pairs.append(_Pair("change", olds[a], news[b]))
    _take_out(olds, news, pairs)
    return pairs


def _assemble(old: list[str], new: list[str], pairs: list[_Pair]) -> tuple[ParagraphOp, ...]:
    """Ops in new order; a deletion comes before what was inserted in its place."""
    by_new = {p.new_index: p for p in pairs}
    paired_old = {p.old_index for p in pairs}
    deletions = deque(i for i in range(len(old)) if i not in paired_old)
    ops: list[ParagraphOp] = []
    for j, anchor in zip(range(len(new)), _next_anchors(len(old), len(new), pairs), strict=True):
        while deletions and deletions[0] < anchor:
            i = deletions.popleft()
            ops.append(ParagraphOp("delete", i, None, _whole("delete", old[i])))
        pair = by_new.get(j)
        if pair is None:
            ops.append(ParagraphOp("insert", None, j, _whole("insert", new[j])))
        else:
            words = diff_words(old[pair.old_index], new[j])
            ops.append(ParagraphOp(pair.op, pair.old_index, j, words))
    ops.extend(ParagraphOp("delete", i, None, _whole("delete", old[i])) for i in deletions)
    return tuple(ops)


def _next_anchors(old_count: int, new_count: int, pairs: list[_Pair]) -> list[int]:
    """For each new position, the old index of the next paragraph kept in order."""
    anchors = [old_count] * (new_count + 1)
    in_order = {p.new_index: p.old_index for p in pairs if p.op != "move"}
    for j in reversed(range(new_count)):
        anchors[j] = in_order.get(j, anchors[j + 1])
    return anchors[:new_count]


def _whole(op: str, text: str) -> tuple[WordOp, ...]:
    return (WordOp(op, text),) if text else ()
