"""Line-level filters for the body (for page.keep_paragraphs): dateline and meta lines.

A short line made of a date or time and the post's labels ("Apr 21, 2017 | Products
Liability", "05/10/2018 - Publicado por: Clarissa Borba - Categoria: Saúde", "October
11, 2023 by Autumn Huerter") is the page's metadata, not story: its date changes when
the page is republished, and the byline and categories are kept elsewhere (issue 9, E1).
"""

from __future__ import annotations

from scraper.clean import rules as rules


def is_meta_line(raw: str) -> bool:
    """A short line holding a date or a clock time, all of whose other parts are labels,
    names or a read time, with no sentence in it."""
    line = raw.replace(rules.BREAK, " | ")
    if len(line.split()) > rules.META_LINE_MAX_WORDS or not rules.META_DATE_RE.search(line):
        return False
    parts = [p.strip() for p in rules.SEGMENT_SPLIT_RE.split(line) if p.strip(" ,")]
    if not parts or not all(is_meta_part(p) for p in parts):
        return False  # "Cisco Live: May 31-June 4, 2026 | Las Vegas, NV" is an event, not meta
    return any(rules.META_STAMP_RE.fullmatch(p) or rules.META_TAXONOMY_RE.match(p)
               for p in parts)


def is_meta_part(part: str) -> bool:
    if rules.SENTENCE_RE.search(part):
        return False
    rest = rules.META_DATE_RE.sub(" ", part)
    rest = rules.META_WORDS_RE.sub(" ", rest)
    words = rest.split()
    if rules.META_LABEL_RE.match(rest.strip()):  # "Tags: a, b", "Publicado por: Name"
        return len(words) <= rules.META_PART_MAX_WORDS * 2
    return len(words) <= rules.META_PART_MAX_WORDS
