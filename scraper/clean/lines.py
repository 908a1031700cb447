"""Line-level filters for the body (for page.keep_paragraphs): dateline and meta lines.

A short line made of a date or time and the post's labels ("Apr 21, 2017 | Products
Liability", "05/10/2018 - Publicado por: Clarissa Borba - Categoria: Saúde", "October
11, 2023 by Autumn Huerter") is the page's metadata, not story: its date changes when
the page is republished, and the byline and categories are kept elsewhere (issue 9, E1).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from scraper.clean import rules as rules

MONTH = rules.MONTH
META_LINE_MAX_WORDS = 30
META_PART_MAX_WORDS = 4  # words left in one part once dates and stamp words are out
META_DATE_RE = re.compile(
    rf"(?:\w+day,?\s*)?(?:{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"(?:\d{{1,2}}\s*min(?:s|utes?)?\b)?|\d{{1,2}}(?:st|nd|rd|th)?\.?\s+{MONTH},?\s+\d{{4}}|"
    r"\b\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b)"
    r"(?:,?\s*(?:at\s*)?\d{1,2}[:.]\d{2}\s*(?:am|pm|a\.m\.|p\.m\.)?(?:\s*[A-Z]{2,4}\b)?)?",
    re.I,
)
DIGIT_RE = re.compile(r"\d")  # every match of META_DATE_RE holds one: the cheap test first
META_WORDS_RE = re.compile(
    r"\b(?:(?:last\s+)?(?:updated|published|posted|modified|written|reviewed)|on behalf of|"
    r"by|on|at|in|read|reading|time|\d+\s*min(?:s|utes?)?|aktualisiert|veröffentlicht|von|"
    r"publié|mis à jour|par|publicado|actualizado|por|aggiornato|pubblicato|di|"
    r"обновлено|опубликовано)\b",
    re.I,
)
META_LABEL_RE = re.compile(r"^[^\W\d][\w ]{0,24}:\s*\S")  # "Tags: ...", "Categoria: ..."
SENTENCE_RE = re.compile(r"[a-z0-9]{4,}[.!?]\s+\S")  # "... in 2022. Last ..." (not "Dr." names)
STAMP = (r"(?:(?:last\s+)?(?:updated|published|posted|modified)(?:\s+on)?\s*:?|"
         r"aktualisiert|veröffentlicht|publié|mis à jour|publicado|actualizado|aggiornato|"
         r"pubblicato|обновлено|опубликовано)")
# What makes a dated line the page's metadata: a stamp word or a "by NAME" on the date, a
# read time glued to it, or a taxonomy or poster label beside it.
META_STAMP_RE = re.compile(
    rf"(?:{STAMP}\s*{META_DATE_RE.pattern}(?:\s+by\s+\S.{{0,40}})?|"
    rf"{META_DATE_RE.pattern}\s+by\s+[A-Z].{{0,40}}|"
    rf"{MONTH}\s+\d{{1,2}},?\s+\d{{4}}\d{{1,2}}\s*min(?:s|utes?)?(?:\s+read)?)",  # glued
    re.I,
)
META_TAXONOMY_RE = re.compile(
    r"(?:tags?|categor(?:y|ies)|filed under|posted (?:in|by)|on behalf of|publicado por|"
    r"categoria|publié par|kategorie|rubrik)\b",
    re.I,
)

SENTENCES_RE = re.compile(r"\w{2,}[.!?](?=\s+[A-Z])")  # sentence ends inside a paragraph


def is_call_to_action(para: str) -> bool:
    """A short teaser or call to action ("Read more: ...", "Sign up for our newsletter");
    one sentence only: "Click here to download ... Next, click on the file ..." is story."""
    return (len(para) <= rules.TEASER_MAX_CHARS and bool(rules.TEASER_RE.fullmatch(para))
            and len(SENTENCES_RE.findall(para)) < 2)


def is_meta_line(raw: str) -> bool:
    """A short line holding a date or a clock time, all of whose other parts are labels,
    names or a read time, with no sentence in it."""
    line = raw.replace(rules.BREAK, " | ")
    if len(line.split()) > META_LINE_MAX_WORDS or not DIGIT_RE.search(line) or (
            not META_DATE_RE.search(line)):
        return False
    parts = [p.strip() for p in rules.SEGMENT_SPLIT_RE.split(line) if p.strip(" ,")]
    if not parts or not all(is_meta_part(p) for p in parts):
        return False  # "Cisco Live: May 31-June 4, 2026 | Las Vegas, NV" is an event, not meta
    return any(META_STAMP_RE.fullmatch(p) or META_TAXONOMY_RE.match(p)
               for p in parts)


def is_meta_part(part: str) -> bool:
    if SENTENCE_RE.search(part):
        return False
    rest = META_DATE_RE.sub(" ", part)
    rest = META_WORDS_RE.sub(" ", rest)
    words = rest.split()
    if META_LABEL_RE.match(rest.strip()):  # "Tags: a, b", "Publicado por: Name"
        return len(words) <= META_PART_MAX_WORDS * 2
    return len(words) <= META_PART_MAX_WORDS


# A line after <br><br> is judged with its block when it is a sentence (issue 9: the same
# words must give the same text): "We still ship one image set.<br><br>More on the
# resampling approach below." reads as the same paragraph without the breaks.
SENTENCE_END_RE = re.compile(r"\w[.!?][\"')\]]*$")
PROSE_WORD_RE = re.compile(r"\b[a-zß-ÿ]{3,}\b")
SENTENCE_MIN_WORDS = 4
DOUBLE_BREAK_RE = re.compile(f"(?: ?{rules.BREAK} ?){{2,}}")
STAMP_START_RE = re.compile(rf"{STAMP}|edited\b", re.I)


def is_sentence(piece: str) -> bool:
    """Running text: 4+ words, lower-case words among them, a full stop at the end, and
    not a stamp ("Posted 3 hours ago.")."""
    text = " ".join(piece.replace(rules.BREAK, " ").split())
    return (len(text.split()) >= SENTENCE_MIN_WORDS and SENTENCE_END_RE.search(text) is not None
            and PROSE_WORD_RE.search(text) is not None and not STAMP_START_RE.match(text))


def split_breaks(text: str, dropped: Callable[[str], bool]) -> str:
    """`text` (blocks between PARA marks) with each <br><br> made a paragraph break, except
    around a sentence that a line filter (`dropped`) would take out on its own while the
    sentence beside it in the block is story: that pair stays one paragraph, judged as
    it would be without the breaks (a BREAK between them is a space)."""
    return rules.PARA.join(rules.PARA.join(rejoin_sentences(DOUBLE_BREAK_RE.split(block), dropped))
                           if rules.BREAK in block else block for block in text.split(rules.PARA))


def rejoin_sentences(pieces: list[str], dropped: Callable[[str], bool]) -> list[str]:
    joined: list[str] = []
    for piece in pieces:
        if joined and is_sentence(joined[-1]) and is_sentence(piece) and (
                dropped(piece) or dropped(joined[-1])):
            joined[-1] = f"{joined[-1]}{rules.BREAK}{piece}"
        else:
            joined.append(piece)
    return joined
