"""Two versions -> paragraph and word diff, edit labels, and text/HTML/JSON renderings.

Pure functions over ``scraper.model.Text``; nothing here reads or writes the archive.
"""

from scraper.diff.align import (
    ParagraphOp,
    VersionDiff,
    WordOp,
    diff_paragraphs,
    diff_versions,
    diff_words,
    split_paragraphs,
    tokenize,
)
from scraper.diff.labels import LABELS, DiffSummary, summarize
from scraper.diff.render import diff_from_json, diff_to_json, render_html, render_text
from scraper.model import Text

__all__ = [
    "LABELS",
    "DiffSummary",
    "ParagraphOp",
    "Text",
    "VersionDiff",
    "WordOp",
    "diff_from_json",
    "diff_paragraphs",
    "diff_to_json",
    "diff_versions",
    "diff_words",
    "render_html",
    "render_text",
    "split_paragraphs",
    "summarize",
    "tokenize",
]
