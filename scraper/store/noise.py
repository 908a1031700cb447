"""What may differ between two fetches of one unchanged page: volatile noise.

The archive compares each fetched text with the article's current version. Some
differences come from the page's furniture and not from an edit, and a single page
cannot tell them apart, but two fetches of the same page can:

- a short line whose only differences are date, clock-time, "3 hours ago" or counter
  values ("Updated 17:35", "1,204 views", "Sunday, 6 December 2026"), or such a line of
  short fields ("By Ann Lee | Apr 11, 2015 | Products Liability");
- a stamp such as "Updated: December 21, 2025" opening a line, even one glued to the
  paragraph that follows it;
- short lines (a teaser or link list) that only changed places: the same lines, in
  another order;
- a line that is the headline of another article of the same source: a "related"
  list inside the story that gained or lost an item.

Anything else is an edit: a word, a number in running text, a sentence or a paragraph
added or removed, a headline or a byline changed. A value inside a long paragraph is
never masked (a corrected date in a story is an edit); only short stand-alone lines
and stamps are.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable, Collection

from scraper.diff.labels import MOVED_LINE_WORDS  # lines this short that only changed places
from scraper.store.normalize import comparable_text, paragraphs, regroup

SHORT_LINE_WORDS = 12  # a line this short may be a dateline, a clock or a counter
SENTENCE_MIN_WORDS = 4  # ... unless it is a sentence this long: "Polls close at 8 pm."
TEASER_MIN_WORDS = 4  # a headline this long is matched as a teaser line
TEASER_EXTRA_WORDS = 8  # words a teaser line may have besides the headline

_MONTHS = (
    # English, German, French, Spanish, Portuguese, Italian, Dutch (full and short forms)
    "jan(?:uary|uar|vier|eiro|uari)?|feb(?:ruary|ruar|rero|braio|ruari)?|f[ée]v(?:rier|ereiro)?"
    "|mar(?:ch|s|zo|ço|co|zo)?|m[äa]rz|maart|apr(?:il|ile)?|avr(?:il)?|abr(?:il)?"
    "|ma[iy]o?|mei|maggio|jun(?:e|i|io|ho)?|juin|giugno|jul(?:y|i|io|ho)?|juil(?:let)?|luglio"
    "|aug(?:ust|ustus)?|ao[uû]t|ago(?:sto)?|sep(?:t(?:ember|embre|iembre)?)?|set(?:embro|tembre)?"
    "|oct(?:ober|obre|ubre)?|okt(?:ober)?|out(?:ubro)?|ott(?:obre)?|nov(?:ember|embre|embro)?"
    "|dec(?:ember)?|dez(?:ember|embro)?|d[ée]c(?:embre)?|dic(?:iembre|embre)?"
    "|gen(?:naio)?|ene(?:ro)?|janv"
)
_WEEKDAYS = (
    "mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs|rsday)?|fri(?:day)?|sat(?:urday)?"
    "|sun(?:day)?|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi"
    "|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|mi[ée]rcoles|jueves|viernes"
    "|s[áa]bado|domingo|segunda(?:-feira)?|ter[çc]a(?:-feira)?|quarta(?:-feira)?"
    "|quinta(?:-feira)?|sexta(?:-feira)?|luned[iì]|marted[iì]|mercoled[iì]|gioved[iì]"
    "|venerd[iì]"
)
_MONTH = rf"(?:{_MONTHS})\.?"
# A weekday counts as part of a date only ("Sunday, 6 December"): "on Tuesday" in a
# sentence corrected to "on Wednesday" is an edit.
_WEEKDAY = rf"(?:(?:{_WEEKDAYS})\.?,?\s+(?:(?:the|le|el|den|der)\s+)?)?"
_DAY = r"\d{1,2}(?:st|nd|rd|th|er|º|\.)?"
_YEAR = r"(?:\d{4}|'\d{2})"
_UNITS = (r"(?:s|secs?|seconds?|m|mins?|minutes?|minuten|minutos?|minuti|h|hrs?|hours?|"
          r"stunden?|heures?|horas?|ore|d|days?|tagen?|jours?|d[íi]as?|giorni|weeks?|wochen?|"
          r"semaines?|semanas?|settimane|months?|monaten?|mois|mes(?:es)?|meses|mesi|"
          r"years?|jahren?|ans?|a[ñn]os?|anni)")
_COUNTED = (r"(?:views?|comments?|shares?|likes?|reads?|reviews?|votes?|followers?|replies|"
            r"responses?|reactions?|answers?|points|min(?:ute)?s?\.? read|kommentare?|"
            r"commentaires?|comentarios?|coment[áa]rios?|commenti|aufrufe|vues|visitas)")
_VALUE = "|".join((
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?",
    r"\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}",
    rf"{_WEEKDAY}{_DAY}\s+(?:de\s+)?{_MONTH}(?:,?\s+(?:de\s+)?{_YEAR})?",
    rf"{_WEEKDAY}{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?",
    rf"{_MONTH}\s+{_YEAR}",
    r"\d{1,2}(?::\d{2}){1,2}\s*(?:[ap]\.?\s?m\.?)?(?:\s*[A-Z]{2,4}\b)?",
    r"\d{1,2}h\d{2}",
    r"\d{1,2}\s*[ap]\.?m\.?",
    rf"\d+\s*{_UNITS}\s+(?:ago|fa)",
    rf"(?:vor|il y a|hace|h[áa])\s+\d+\s*{_UNITS}",
    rf"\d[\d,.\s]*[km]?\s*{_COUNTED}",
))
_VOLATILE = re.compile(rf"(?<![\w-])(?:{_VALUE})(?![\w])", re.IGNORECASE)
_THIS = r"this (?:article|story|post|page|guide)"
_STAMP_WORDS = (rf"(?:we|{_THIS}(?: was| has been)?) (?:last )?(?:updated|reviewed|revised)"
                rf"(?: {_THIS})?|"
                r"updated|last updated|last modified|modified|published|posted|first published|"
                r"aktualisiert|ver[öo]ffentlicht|mis [àa] jour|publi[ée]e?|actualizado|"
                r"publicado|atualizado|aggiornato|pubblicato|bijgewerkt|gepubliceerd")
_STAMP = re.compile(  # at the start of a line or after a separator: not a story's sentence
    rf"(?:^|(?<=[|·•]))\s*(?:{_STAMP_WORDS})\s*(?:on|at|am|le|el|em|il|op)?\s*:?\s*"
    rf"(?:(?:{_VALUE})[\s,|·•-]*(?:at|um|à|a las|às|alle|om)?\s*)+",
    re.IGNORECASE)
_CITED = re.compile(  # a citation's date: "Accessed 06 Apr. 2026", wherever it stands
    rf"\b(?:accessed|retrieved|abgerufen(?: am)?|consult[ée](?: le)?|consultado(?: el| em)?|"
    rf"acesso em)\s*(?:on\s+)?:?\s*(?:{_VALUE})", re.IGNORECASE)
_MASK = "\x00"
# In a dateline, every figure comes with the date: "London 2026 Event On 10 October".
_FIGURE = re.compile(r"\d+")
_BAR = re.compile(r"[|·•]|::")  # "Newsletter title (2023-03-03) :: View in Browser"
_WORD = re.compile(r"\S+")
_SENTENCE_END = re.compile(r"\w[.!?][\"')\]]*$")
_PROSE_WORD = re.compile(r"\b[a-zß-ÿ]{3,}\b")  # lower-case words: "close", "hearing"
_DASH = re.compile(r"\s-\s")


def only_noise(old: tuple[str, str, str], new: tuple[str, str, str],
               teasers: Collection[str] = ()) -> bool:
    """True when (headline, byline, body) `new` differs from `old` by volatile noise only.

    `teasers`: the headlines of the source's other articles (`teaser_key` of each): a
    short line that is one of them is a link to another story (a "related" list that
    gained or lost an item), not the story's text.
    """
    if comparable_text(old[0]) != comparable_text(new[0]):
        return False
    if mask(old[1]) != mask(new[1]):  # a byline line may carry the date: "By X, 17:35"
        return False
    olds = [p for p in paragraphs(old[2]) if not is_teaser(p, teasers)]
    news = [p for p in paragraphs(regroup(old[2], new[2])) if not is_teaser(p, teasers)]
    if _volatile_words_only(olds, news):
        return True
    old_masks, new_masks = [mask(p) for p in olds], [mask(p) for p in news]
    return Counter(old_masks) == Counter(new_masks) and _moved_lines_short(old_masks, new_masks)


def _volatile_words_only(olds: list[str], news: list[str]) -> bool:
    """Word by word, whatever the paragraph breaks (markup moves them): every word that
    differs is part of a volatile value on its side."""
    old_words, new_words = _marked_words(olds), _marked_words(news)
    matcher = difflib.SequenceMatcher(None, [w for w, _ in old_words],
                                      [w for w, _ in new_words], autojunk=False)
    return all(all(volatile for _, volatile in old_words[a1:a2])
               and all(volatile for _, volatile in new_words[b1:b2])
               for op, a1, a2, b1, b2 in matcher.get_opcodes() if op != "equal")


def _marked_words(paras: list[str]) -> list[tuple[str, bool]]:
    """Each word of the paragraphs, and whether `mask` blanks it (all or in part)."""
    found = []
    for para in paras:
        text = comparable_text(para)
        spans = [m.span() for pattern in (_STAMP, _CITED) for m in pattern.finditer(text)]
        if _bare_line(text):
            values = [m.span() for m in _VOLATILE.finditer(text)]
            spans += values + ([m.span() for m in _FIGURE.finditer(text)] if values else [])
        found += [(m.group(), any(a < m.end() and m.start() < b for a, b in spans))
                  for m in _WORD.finditer(text)]
    return found


def teaser_key(headline: str) -> str:
    """The form a headline is matched in, "" for one too short to tell from a phrase."""
    key = comparable_text(headline).casefold()
    return key if len(key.split()) >= TEASER_MIN_WORDS else ""


def is_teaser(paragraph: str, teasers: Collection[str]) -> bool:
    """A short line that is another article's headline, maybe with a few words more
    ("... - 3 min read", a section name)."""
    if not teasers:
        return False
    words = comparable_text(paragraph).casefold().split()
    if len(words) > MOVED_LINE_WORDS + TEASER_EXTRA_WORDS:
        return False
    return any(" ".join(words[:n]) in teasers or " ".join(words[-n:]) in teasers
               for n in range(max(TEASER_MIN_WORDS, len(words) - TEASER_EXTRA_WORDS),
                              len(words) + 1))


def mask(paragraph: str) -> str:
    """A paragraph's comparable words with its volatile values blanked."""
    text = _CITED.sub(_MASK, _STAMP.sub(_MASK, comparable_text(paragraph)))
    if _bare_line(text):
        dated = _VOLATILE.search(text) is not None
        text = _VOLATILE.sub(_MASK, text)
        text = _FIGURE.sub(_MASK, text) if dated else text
    return text


def _bare_line(text: str) -> bool:
    """A dateline, a clock or a counter: a short line that is not a sentence ("Polls
    close at 8 pm." corrected to "9 pm." is an edit), or a line of short fields."""
    words = len(text.split())
    sentence = (words >= SENTENCE_MIN_WORDS and _SENTENCE_END.search(text) is not None
                and _PROSE_WORD.search(text) is not None)
    return (words <= SHORT_LINE_WORDS and not sentence) or _meta_line(text)


def _meta_line(text: str) -> bool:
    """A line of short fields ("By Ann Lee | Apr 11, 2015 | Products Liability",
    "11/02/2019 - Posted by: Ann Lee - Category: Health"): a byline and date line."""
    fields = _BAR.split(text)
    if len(fields) >= 2 and all(len(f.split()) <= SHORT_LINE_WORDS for f in fields):
        return True
    fields = _DASH.split(text)  # dashes are prose too: a field must be a date on its own
    return (len(fields) >= 3 and all(len(f.split()) <= SHORT_LINE_WORDS for f in fields)
            and any(_VOLATILE.fullmatch(f.strip()) for f in fields))


def _moved_lines_short(olds: list[str], news: list[str]) -> bool:
    matcher = difflib.SequenceMatcher(None, olds, news, autojunk=False)
    short: Callable[[str], bool] = lambda line: len(line.split()) <= MOVED_LINE_WORDS  # noqa: E731
    return all(all(map(short, olds[a1:a2])) and all(map(short, news[b1:b2]))
               for op, a1, a2, b1, b2 in matcher.get_opcodes() if op != "equal")


def without_noise(old_body: str, new_body: str) -> str:
    """`new_body` regrouped as `old_body`, each paragraph that differs from its old one
    by volatile values only read as the old one: labels then describe the edit alone."""
    olds, news = paragraphs(old_body), paragraphs(regroup(old_body, new_body))
    matcher = difflib.SequenceMatcher(None, [mask(p) for p in olds], [mask(p) for p in news],
                                      autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            news[b1:b2] = olds[a1:a2]
    return "\n\n".join(news)
