"""Render a version diff for a terminal (inline or side by side), HTML or JSON.

Inline text follows ``git diff --word-diff=plain``: [-removed-]{+added+}, or
red strikethrough and green underline with ``color=True``.  Unchanged
paragraphs away from a change are elided, as in a unified diff.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from scraper.diff.align import ParagraphOp, VersionDiff, WordOp

CONTEXT = 1  # unchanged paragraphs shown around each change
MIN_WIDTH = 20
_ANSI = {"delete": "\x1b[31;9m", "insert": "\x1b[32;4m", "note": "\x1b[36m", "equal": ""}
_RESET = "\x1b[0m"
_MARKERS = {"delete": ("[-", "-]"), "insert": ("{+", "+}")}
_SIGNS = {"equal": " ", "change": "~", "insert": "+", "delete": "-", "move": ">"}
_CHUNK = re.compile(r"\S+\s*|\s+")


@dataclass(frozen=True)
class Segment:
    """A run of text in one style: equal, delete, insert or note."""

    style: str
    text: str


@dataclass(frozen=True)
class Elided:
    """Unchanged paragraphs left out of the text rendering."""

    count: int


Line = tuple[Segment, ...]


def render_text(
    diff: VersionDiff, *, color: bool = False, side_by_side: bool = False, width: int = 100
) -> str:
    """The diff for a terminal; ``width`` applies to side-by-side mode."""
    if side_by_side:
        return _side_by_side(diff, color, width)
    lines = [_field("Headline", diff.headline), _field("Byline", diff.byline)]
    lines = [line for line in lines if line]
    lines.append(())
    if not diff.changed:
        lines.append((Segment("note", "No change in headline, byline or body."),))
    for item in _visible(diff.body):
        lines.extend([_inline_paragraph(item), ()])
    return "\n".join(_paint(line, color) for line in lines).rstrip() + "\n"


def _field(name: str, words: tuple[WordOp, ...]) -> Line:
    if not words:
        return ()
    return (Segment("note", f"{name}: "), *_segments(words))


def _inline_paragraph(item: ParagraphOp | Elided) -> Line:
    if isinstance(item, Elided):
        return (Segment("note", f"  … {_unchanged(item.count)}"),)
    return (Segment("note", f"{_SIGNS[item.op]} {_number(item)}  "), *_segments(item.words))


def _number(op: ParagraphOp) -> str:
    """How a journalist finds the paragraph: its new place, or its old one if gone."""
    if op.new_index is None:
        return f"¶{_one(op.old_index)} removed"
    if op.op == "move":
        return f"¶{_one(op.new_index)} moved from ¶{_one(op.old_index)}"
    return f"¶{_one(op.new_index)}"


def _one(index: int | None) -> int:
    return 0 if index is None else index + 1


def _unchanged(count: int) -> str:
    return f"{count} unchanged paragraph{'s' if count > 1 else ''}"


def _visible(body: Sequence[ParagraphOp]) -> list[ParagraphOp | Elided]:
    """Changed paragraphs with CONTEXT unchanged ones around them; the rest elided."""
    changed = [k for k, op in enumerate(body) if op.op != "equal"]
    keep = {k for c in changed for k in range(c - CONTEXT, c + CONTEXT + 1)}
    out: list[ParagraphOp | Elided] = []
    for k, op in enumerate(body):
        if k in keep:
            out.append(op)
        elif out and isinstance(out[-1], Elided):
            out[-1] = Elided(out[-1].count + 1)
        else:
            out.append(Elided(1))
    return out


def _segments(words: Iterable[WordOp], leave_out: str = "") -> Iterator[Segment]:
    """Styled segments, white space moved outside each change so markers hug words."""
    pending: list[WordOp] = []
    for op in (*words, WordOp("equal", "")):
        if op.op == leave_out:
            continue
        if op.op != "equal":
            pending.append(op)
            continue
        yield from _tidy(pending)
        pending = []
        if op.text:
            yield Segment("equal", op.text)


def _tidy(change: list[WordOp]) -> list[Segment]:
    if not change or any(not op.text.strip() for op in change):
        return [Segment(op.op, op.text) for op in change]
    lead = min(len(op.text) - len(op.text.lstrip()) for op in change)
    trail = min(len(op.text) - len(op.text.rstrip()) for op in change)
    last = change[-1].text
    cores = [Segment(op.op, op.text[lead : len(op.text) - trail]) for op in change]
    edges = Segment("equal", change[0].text[:lead]), Segment("equal", last[len(last) - trail :])
    return [s for s in (edges[0], *cores, edges[1]) if s.text]


def _paint(line: Line, color: bool) -> str:
    if color:
        return "".join(_ANSI[s.style] + s.text + _RESET if _ANSI[s.style] else s.text for s in line)
    return "".join(_mark(s) for s in line)


def _mark(segment: Segment) -> str:
    before, after = _MARKERS.get(segment.style, ("", ""))
    return before + segment.text + after


# --- side by side -----------------------------------------------------------


def _side_by_side(diff: VersionDiff, color: bool, width: int) -> str:
    if width < MIN_WIDTH:
        raise ValueError(f"width must be at least {MIN_WIDTH}, not {width}")
    column = (width - 3) // 2
    rows: list[tuple[Line, Line]] = [
        ((Segment("note", "OLD"),), (Segment("note", "NEW"),)),
        ((Segment("note", "-" * column),), (Segment("note", "-" * column),)),
    ]
    for name, words in (("Headline", diff.headline), ("Byline", diff.byline)):
        if words:
            rows.append(_pair_row(f"{name}: ", f"{name}: ", words))
    for item in _visible(diff.body):
        rows.append(((), ()))
        if isinstance(item, Elided):
            note = (Segment("note", f"… {_unchanged(item.count)}"),)
            rows.append((note, note))
        else:
            rows.append(_paragraph_row(item))
    return "\n".join(_columns(left, right, column, color) for left, right in rows) + "\n"


def _paragraph_row(op: ParagraphOp) -> tuple[Line, Line]:
    old = "" if op.old_index is None else f"¶{op.old_index + 1} "
    new = "" if op.new_index is None else f"¶{op.new_index + 1} "
    if op.op == "move":
        old, new = old + "(moved) ", new + "(moved) "
    return _pair_row(old, new, op.words, op.old_index is not None, op.new_index is not None)


def _pair_row(
    old: str, new: str, words: tuple[WordOp, ...], has_old: bool = True, has_new: bool = True
) -> tuple[Line, Line]:
    left = (Segment("note", old), *_segments(words, "insert")) if has_old else ()
    right = (Segment("note", new), *_segments(words, "delete")) if has_new else ()
    return left, right


def _columns(left: Line, right: Line, column: int, color: bool) -> str:
    lefts, rights = _wrap(left, column, color), _wrap(right, column, color)
    height = max(len(lefts), len(rights), 1)
    lefts += [()] * (height - len(lefts))
    rights += [()] * (height - len(rights))
    rows = []
    for a, b in zip(lefts, rights, strict=True):
        padding = " " * (column - _cells("".join(s.text for s in a)))
        rows.append((_paint(a, color) + padding + " | " + _paint(b, color)).rstrip())
    return "\n".join(rows)


def _wrap(line: Line, width: int, color: bool) -> list[Line]:
    """Greedy word wrap of styled segments to ``width`` terminal cells.

    Without color the markers become plain text first, so that they count.
    """
    if not color:
        line = tuple(Segment("equal", _mark(s)) for s in line)
    rows: list[list[Segment]] = [[]]
    used = 0
    for segment in line:
        for chunk in _chunks(segment.text, width):
            if used and used + _cells(chunk.rstrip()) > width:
                rows.append([])
                used = 0
            rows[-1].append(Segment(segment.style, chunk))
            used += _cells(chunk)
    return [_finish(row) for row in rows if row]


def _chunks(text: str, width: int) -> Iterator[str]:
    """Words with their trailing spaces; a word wider than ``width`` is cut."""
    for word in _CHUNK.findall(text):
        while _cells(word.rstrip()) > width:
            cut = _fit(word, width)
            yield word[:cut]
            word = word[cut:]
        yield word


def _fit(text: str, width: int) -> int:
    used = 0
    for k, char in enumerate(text):
        used += _cells(char)
        if used > width:
            return max(k, 1)
    return len(text)


def _finish(row: list[Segment]) -> Line:
    """Join runs of one style and drop the row's trailing spaces."""
    merged: list[Segment] = []
    for segment in row:
        if merged and merged[-1].style == segment.style:
            segment = Segment(segment.style, merged.pop().text + segment.text)
        merged.append(segment)
    while merged and not merged[-1].text.strip():
        merged.pop()
    if merged:
        merged[-1] = Segment(merged[-1].style, merged[-1].text.rstrip())
    return tuple(merged)


def _cells(text: str) -> int:
    """Terminal cells: wide East Asian characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# --- HTML -------------------------------------------------------------------


def render_html(diff: VersionDiff) -> str:
    """An HTML fragment: <ins>/<del> inside paragraphs, all text escaped.

    Class names (stet-diff, stet-equal, stet-change, stet-insert, stet-delete,
    stet-move, stet-field) are for styling; equal paragraphs are kept so a page
    can show the whole article, or hide them with CSS.
    """
    parts = ['<div class="stet-diff">']
    for name, words in (("headline", diff.headline), ("byline", diff.byline)):
        if words:
            parts.append(f'<p class="stet-field stet-{name}">{_html_words(words)}</p>')
    for op in diff.body:
        parts.append(_html_paragraph(op))
    parts.append("</div>")
    return "\n".join(parts)


def _html_paragraph(op: ParagraphOp) -> str:
    attributes = f' class="stet-para stet-{op.op}"'
    if op.old_index is not None:
        attributes += f' data-old-index="{op.old_index}"'
    if op.new_index is not None:
        attributes += f' data-new-index="{op.new_index}"'
    note = ""
    if op.op == "move":
        note = f'<span class="stet-note">moved from ¶{_one(op.old_index)}</span> '
    return f"<p{attributes}>{note}{_html_words(op.words)}</p>"


def _html_words(words: Iterable[WordOp]) -> str:
    tags = {"delete": "del", "insert": "ins"}
    out = []
    for segment in _segments(words):
        text = html.escape(segment.text)
        tag = tags.get(segment.style)
        out.append(f'<{tag} class="stet-{segment.style}">{text}</{tag}>' if tag else text)
    return "".join(out)


# --- JSON -------------------------------------------------------------------


def diff_to_json(diff: VersionDiff) -> dict[str, Any]:
    """A JSON-serialisable form of the diff; ``diff_from_json`` reads it back."""
    return {
        "changed": diff.changed,
        "headline": _words_to_json(diff.headline),
        "byline": _words_to_json(diff.byline),
        "body": [
            {
                "op": p.op,
                "old_index": p.old_index,
                "new_index": p.new_index,
                "words": _words_to_json(p.words),
            }
            for p in diff.body
        ],
    }


def _words_to_json(ops: tuple[WordOp, ...]) -> list[dict[str, str]]:
    return [{"op": w.op, "text": w.text} for w in ops]


def diff_from_json(data: dict[str, Any]) -> VersionDiff:
    """The diff that ``diff_to_json`` wrote."""
    return VersionDiff(
        headline=_words_from_json(data["headline"]),
        byline=_words_from_json(data["byline"]),
        body=tuple(
            ParagraphOp(p["op"], p["old_index"], p["new_index"], _words_from_json(p["words"]))
            for p in data["body"]
        ),
    )


def _words_from_json(ops: list[dict[str, str]]) -> tuple[WordOp, ...]:
    return tuple(WordOp(w["op"], w["text"]) for w in ops)
