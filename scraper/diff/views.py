"""HTML views of a diff for the review pages: compact (unchanged paragraphs left out on
the server) and side by side.  All text is escaped, as in ``render_html``.

A timeline of a 150-version live blog sent every unchanged paragraph and hid it with
CSS (4.5 MB); here they are counted instead (issue 11).
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from scraper.diff.align import ParagraphOp, VersionDiff, WordOp
from scraper.diff.render import Elided, _html_paragraph, _html_words, _segments, _visible


def render_html_compact(diff: VersionDiff) -> str:
    """Like ``render_html``, with runs of unchanged paragraphs away from a change replaced
    by a note saying how many were left out."""
    parts = ['<div class="stet-diff">', *_fields(diff)]
    for item in _visible(diff.body):
        parts.append(_elided(item.count) if isinstance(item, Elided) else _html_paragraph(item))
    if not diff.changed:
        parts.append('<p class="stet-same">No differences in headline, byline or body.</p>')
    parts.append("</div>")
    return "\n".join(parts)


def render_html_side_by_side(diff: VersionDiff, *, compact: bool = True) -> str:
    """A two-column table: the old text with its deletions, the new with its insertions."""
    rows = ['<table class="stet-diff stet-sides"><thead><tr><th scope="col">Before</th>'
            '<th scope="col">After</th></tr></thead><tbody>']
    for name, words in (("headline", diff.headline), ("byline", diff.byline)):
        if words:
            rows.append(_row(f"stet-field stet-{name}", words))
    items = _visible(diff.body) if compact else list(diff.body)
    for item in items:
        if isinstance(item, Elided):
            rows.append(f'<tr class="stet-elided"><td colspan="2">{_note(item.count)}</td></tr>')
        else:
            rows.append(_row(f"stet-para stet-{item.op}", item.words, item))
    rows.append("</tbody></table>")
    if not diff.changed:
        rows.append('<p class="stet-same">No differences in headline, byline or body.</p>')
    return "\n".join(rows)


def _fields(diff: VersionDiff) -> list[str]:
    return [f'<p class="stet-field stet-{name}">{_html_words(words)}</p>'
            for name, words in (("headline", diff.headline), ("byline", diff.byline)) if words]


def _row(css: str, words: Iterable[WordOp], op: ParagraphOp | None = None) -> str:
    words = tuple(words)
    old = "" if op is not None and op.old_index is None else _side(words, "insert")
    new = "" if op is not None and op.new_index is None else _side(words, "delete")
    return f'<tr class="{css}"><td>{old}</td><td>{new}</td></tr>'


def _side(words: tuple[WordOp, ...], leave_out: str) -> str:
    tags = {"delete": "del", "insert": "ins"}
    out = []
    for segment in _segments(words, leave_out):
        text = html.escape(segment.text)
        tag = tags.get(segment.style)
        out.append(f'<{tag} class="stet-{segment.style}">{text}</{tag}>' if tag else text)
    return "".join(out)


def _note(count: int) -> str:
    return f"… {count} unchanged paragraph{'s' if count != 1 else ''}"


def _elided(count: int) -> str:
    return f'<p class="stet-elided">{_note(count)}</p>'
