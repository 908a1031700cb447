"""What may differ between two fetches of one unchanged page: volatile noise.

The archive compares each fetched text with the article's current version. Some
differences come from the page's furniture and not from an edit, and a single page
cannot tell them apart, but two fetches of the same page can:

- a short line whose only differences are date, clock-time, "3 hours ago" or counter
  values, when the line reads the clock: a time of day, a count or an age ("Updated
  17:35", "1,204 views", "3 hours ago"), a date near the time of the fetch ("Sunday,
  6 December 2026" read on that day), a line of short fields ("By Ann Lee | Apr 11, 2015 |
  Products Liability") or a byline or attribution ("- Ann Lee (@ann) May 2, 2024"), or a
  line the page's earlier versions show changing before (`History`). A date far from
  the fetch in a line of its own ("Barcelona, Spain: March 2-5, 2026") is the story's:
  an event's date corrected is an edit;
- a stamp such as "Updated: December 21, 2025" opening a line, even one glued to the
  paragraph that follows it;
- the day figures were read, wherever it stands: "as of December 31, 2025", "for the
  period ended 06/30/2025" (a fund's data, refreshed on a schedule); the figures are
  still compared;
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
import functools
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from scraper import datewords
from scraper.diff.labels import MOVED_LINE_WORDS  # lines this short that only changed places
from scraper.store.normalize import comparable_text, paragraphs, regroup

CLOCK_SLACK = timedelta(days=2)  # a date this near the fetches reads the clock (time zones)
SHORT_LINE_WORDS = 12  # a line this short may be a dateline, a clock or a counter
SENTENCE_MIN_WORDS = 4  # ... unless it is a sentence this long: "Polls close at 8 pm."
TEASER_MIN_WORDS = 4  # a headline this long is matched as a teaser line
TEASER_EXTRA_WORDS = 8  # words a teaser line may have besides the headline

def _lazy(pattern: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """A regular expression compiled on first use: the date patterns take a fifth of the
    time `import scraper.cli` takes (`python -X importtime`), and most commands never
    compare two fetches."""
    return functools.cache(lambda: re.compile(pattern, flags))


_MONTHS = datewords.alternation(datewords.flat(
    datewords.MONTHS + datewords.MONTH_ABBREVIATIONS + datewords.LOOSE_MONTH_ABBREVIATIONS))
_WEEKDAYS = datewords.alternation(datewords.flat(datewords.WEEKDAYS)
                                  + datewords.WEEKDAY_ABBREVIATIONS)
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
_DATES = (
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?",
    r"\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}",
    rf"{_WEEKDAY}{_DAY}\s+(?:de\s+)?{_MONTH}(?:,?\s+(?:de\s+)?{_YEAR})?",
    rf"{_WEEKDAY}{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?",
    rf"{_MONTH}\s+{_YEAR}",
)
_CLOCKS = (  # values that read the clock wherever they stand: a time of day, an age, a count
    r"\d{1,2}(?::\d{2}){1,2}\s*(?:[ap]\.?\s?m\.?)?(?:\s*[A-Z]{2,4}\b)?",
    r"\d{1,2}h\d{2}",
    r"\d{1,2}\s*[ap]\.?m\.?",
    rf"\d+\s*{_UNITS}\s+(?:ago|fa)",
    rf"(?:vor|il y a|hace|h[áa])\s+\d+\s*{_UNITS}",
    rf"\d[\d,.\s]*[km]?\s*{_COUNTED}",
)
_VALUE = "|".join(_DATES + _CLOCKS)
_VOLATILE = _lazy(rf"(?<![\w-])(?:{_VALUE})(?![\w])", re.IGNORECASE)
_CLOCK = _lazy(rf"(?:{'|'.join(_CLOCKS)})$|.*\d:\d\d", re.IGNORECASE)
_MONTH_WORD = re.compile(rf"(?<!\w)(?:{_MONTHS})(?!\w)", re.IGNORECASE)
_NUMBER = re.compile(r"\d+")
_DATE = _lazy(rf"(?:{'|'.join(_DATES)})$", re.IGNORECASE)
_ATTRIBUTION = re.compile(  # a byline or a quote's attribution: "By Ann Lee", "- Ann Lee"
    r"^\s*(?:[—–-]|(?:by|par|von|por|di|door)\s)", re.IGNORECASE)
_THIS = r"this (?:article|story|post|page|guide)"
_STAMP_WORDS = (rf"(?:we|{_THIS}(?: was| has been)?) (?:last )?(?:updated|reviewed|revised)"
                rf"(?: {_THIS})?|"
                r"updated|last updated|last modified|modified|published|posted|first published|"
                r"aktualisiert|ver[öo]ffentlicht|mis [àa] jour|publi[ée]e?|actualizado|"
                r"publicado|atualizado|aggiornato|pubblicato|bijgewerkt|gepubliceerd")
_STAMP = _lazy(  # at the start of a line or after a separator: not a story's sentence
    rf"(?:^|(?<=[|·•]))\s*(?:{_STAMP_WORDS})\s*(?:on|at|am|le|el|em|il|op)?\s*:?\s*"
    rf"(?:(?:{_VALUE})[\s,|·•-]*(?:at|um|à|a las|às|alle|om)?\s*)+",
    re.IGNORECASE)
_CITED = _lazy(  # a citation's date: "Accessed 06 Apr. 2026", wherever it stands
    rf"\b(?:accessed|retrieved|abgerufen(?: am)?|consult[ée](?: le)?|consultado(?: el| em)?|"
    rf"acesso em)\s*(?:on\s+)?:?\s*(?:{_VALUE})", re.IGNORECASE)
_AS_OF = _lazy(  # when figures were read: "Sources: Morningstar, as of December 31, 2025."
    rf"\b(?:as (?:of|at)|(?:period|year|quarter|month) end(?:ed|ing))\s+"
    rf"(?:{'|'.join(_DATES[:4])})(?!\w)",
    re.IGNORECASE)
_MASK = "\x00"
# In a dateline, every figure comes with the date: "London 2026 Event On 10 October".
_FIGURE = re.compile(r"\d+")
_BAR = re.compile(r"[|·•]|::")  # "Newsletter title (2023-03-03) :: View in Browser"
_WORD = re.compile(r"\S+")
_SENTENCE_END = re.compile(r"\w[.!?][\"')\]]*$")
_PROSE_WORD = re.compile(r"\b[a-zß-ÿ]{3,}\b")  # lower-case words: "close", "hearing"
_DASH = re.compile(r"\s-\s")


@dataclass(frozen=True)
class History:
    """What a comparison knows besides the two texts: when the page was read before
    (`since`) and now (`until`), and the dated lines its earlier versions show changing
    (`changing`: their `line_shape`s, from `changing_lines`)."""

    since: datetime | None = None
    until: datetime | None = None
    changing: frozenset[str] = frozenset()


NO_HISTORY = History()


def only_noise(old: tuple[str, str, str], new: tuple[str, str, str],
               teasers: Collection[str] = (), history: History = NO_HISTORY) -> bool:
    """True when (headline, byline, body) `new` differs from `old` by volatile noise only.

    `teasers`: the headlines of the source's other articles (`teaser_key` of each): a
    short line that is one of them is a link to another story (a "related" list that
    gained or lost an item), not the story's text.
    """
    if comparable_text(old[0]) != comparable_text(new[0]):
        return False
    if mask(old[1], byline=True) != mask(new[1], byline=True):  # "By X, Dec 6, 17:35"
        return False
    olds = [p for p in paragraphs(old[2]) if not is_teaser(p, teasers)]
    news = [p for p in paragraphs(regroup(old[2], new[2])) if not is_teaser(p, teasers)]
    if _volatile_words_only(olds, news, history):
        return True
    old_masks = [mask(p, history) for p in olds]
    new_masks = [mask(p, history) for p in news]
    return Counter(old_masks) == Counter(new_masks) and _moved_lines_short(old_masks, new_masks)


def _volatile_words_only(olds: list[str], news: list[str], history: History) -> bool:
    """Word by word, whatever the paragraph breaks (markup moves them): every word that
    differs is part of a volatile value on its side."""
    old_words, new_words = _marked_words(olds, history), _marked_words(news, history)
    matcher = difflib.SequenceMatcher(None, [w for w, _ in old_words],
                                      [w for w, _ in new_words], autojunk=False)
    return all(all(volatile for _, volatile in old_words[a1:a2])
               and all(volatile for _, volatile in new_words[b1:b2])
               for op, a1, a2, b1, b2 in matcher.get_opcodes() if op != "equal")


def _marked_words(paras: list[str], history: History) -> list[tuple[str, bool]]:
    """Each word of the paragraphs, and whether `mask` blanks it (all or in part)."""
    found = []
    for para in paras:
        text = comparable_text(para)
        spans = _spans(text, history)
        found += [(m.group(), any(a < m.end() and m.start() < b for a, b in spans))
                  for m in _WORD.finditer(text)]
    return found


def _spans(text: str, history: History, byline: bool = False) -> list[tuple[int, int]]:
    """Where a comparable text holds volatile values: stamps, citation and "as of" dates
    anywhere; in a short line that reads the clock (`_reads_clock`), its values and every figure
    ("London 2026 Event On 10 October")."""
    spans = [m.span() for pattern in (_STAMP(), _CITED(), _AS_OF())
             for m in pattern.finditer(text)]
    if byline or _bare_line(text):
        values = list(_VOLATILE().finditer(text))
        if values and (byline or _reads_clock(text, values, history)):
            spans += [m.span() for m in values] + [m.span() for m in _FIGURE.finditer(text)]
    return spans


def _reads_clock(text: str, values: list[re.Match[str]], history: History) -> bool:
    """A dated short line that changes as time goes by: one with a time of day, an age or
    a count, a line of fields or a byline, a date near the fetches, or a line the
    page's earlier versions show changing. Else its date is the story's."""
    return (_meta_line(text) or _ATTRIBUTION.match(text) is not None
            or any(_CLOCK().match(v.group()) for v in values)
            or any(_near(v.group(), history) for v in values)
            or (bool(history.changing) and line_shape(text) in history.changing))


def _near(value: str, history: History) -> bool:
    """Whether a date value names a day from the previous fetch to this one (give or
    take `CLOCK_SLACK`): today's date, yesterday's figures, an update since."""
    if history.until is None:
        return False
    low = (history.since or history.until) - CLOCK_SLACK
    high = history.until + CLOCK_SLACK
    return any(low.date() <= day <= high.date() for day in _days(value, history.until))


def _days(value: str, now: datetime) -> list[date]:
    """The calendar days a date value may name: both readings of "06/12/2026", the years
    around `now` for "6 December"; none for a month alone ("December 2026")."""
    months = [n for w in _MONTH_WORD.findall(value) if (n := datewords.month_number(w))]
    numbers = [int(n) for n in _NUMBER.findall(value)]
    years = [n if n > 99 else 2000 + n for n in numbers if n > 31]
    if months:
        days = [n for n in numbers if 1 <= n <= 31][:1]
        triples = [(y, months[0], d) for y in years or (now.year - 1, now.year, now.year + 1)
                   for d in days]
    elif len(numbers) == 3 and years:
        first, second, third = numbers
        triples = ([(first, second, third)] if first > 31 else
                   [(years[0], second, first), (years[0], first, second)])
    else:
        return []
    found = []
    for year, month, day in triples:
        try:
            found.append(date(year, month, day))
        except ValueError:
            continue
    return found


def line_shape(text: str) -> str:
    """A dated short line with all its values and figures blanked: the same line on
    every load of a page whose clock it reads."""
    return _FIGURE.sub(_MASK, _VOLATILE().sub(_MASK, comparable_text(text)))


def changing_lines(bodies: Iterable[str]) -> frozenset[str]:
    """The `line_shape`s of dated short lines whose values differ between consecutive
    texts of one page: lines its history shows changing."""
    found: set[str] = set()
    before: dict[str, set[str]] = {}
    for body in bodies:
        lines: dict[str, set[str]] = {}
        for para in paragraphs(body):
            text = comparable_text(para)
            if _bare_line(text) and any(_DATE().match(v.group())
                                        for v in _VOLATILE().finditer(text)):
                lines.setdefault(line_shape(text), set()).add(text)
        found.update(shape for shape, texts in lines.items()
                     if shape in before and before[shape] != texts)
        before = lines
    return frozenset(found)


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


def mask(paragraph: str, history: History = NO_HISTORY, byline: bool = False) -> str:
    """A paragraph's comparable words with its volatile values blanked (`_spans`)."""
    text = comparable_text(paragraph)
    merged: list[list[int]] = []
    for start, end in sorted(_spans(text, history, byline)):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        text = text[:start] + _MASK + text[end:]
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
            and any(_VOLATILE().fullmatch(f.strip()) for f in fields))


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
