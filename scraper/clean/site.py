"""Site-level learning (issue 9): what one source's articles share, and what never holds still.

Pure functions over article bodies (paragraphs separated by one blank line); the
archive keeps the sightings and the learned blocks (``store/profiles.py``). Two kinds:

- **furniture**: a paragraph found verbatim in the bodies of many distinct articles
  of a source (a sidebar, a bio, a promo or newsletter box the single-page cleaner
  kept). A paragraph found on one article only is never furniture.
- **volatile**: the *shape* (the text with figures and date words masked) of a
  furniture paragraph that holds a date or a figure: today's date, a clock, a
  counter shown on every page reads differently tomorrow and is still furniture.
- **container**: the signature of the element that held the story on many articles
  of a source (one per template, ``clean/template.py``); the cleaner tries it first.

A ``SiteProfile`` is a frozen, picklable record: pass it to ``clean_page(profile=...)``
(in a worker process too). With no profile (a new site) the cleaner is unchanged.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace

from scraper.model import CleanPage

FURNITURE_MIN_ARTICLES = 3  # distinct articles sharing a paragraph before it is furniture
FURNITURE_MIN_SHARE = 0.05  # ... and this share of the source's articles (one template of many)
VOLATILE_MAX_WORDS = 30  # a longer paragraph is story, whatever changed in it
COPY_MAX_SHARE = 0.5  # a body sharing more of its words with other articles is a copy
KEEP_MIN_SHARE = 0.3  # a filter that would leave less of the body than this is not applied

SPACE_RE = re.compile(r"\s+")
DIGITS_RE = re.compile(r"\d+(?:[.,:/]\d+)*")
# Month and weekday names (full and short) in the languages news sites use most.
DATE_WORD_RE = re.compile(
    r"\b(?:jan(?:uary|vier|uar)?|feb(?:ruary|rero|ruar)?|f[ée]vrier|mar(?:ch|s|zo|z)?|m[äa]rz|"
    r"apr(?:il)?|avril|abril|may|mai|mayo|maggio|june?|juin|junio|juli?|july|juillet|julio|"
    r"aug(?:ust)?|ao[ûu]t|agosto|sept?(?:ember)?|septembre|septiembre|oct(?:ober)?|okt(?:ober)?|"
    r"octobre|octubre|nov(?:ember)?|novembre|noviembre|dec(?:ember)?|dez(?:ember)?|d[ée]cembre|"
    r"diciembre|mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs|rsday)?|fri(?:day)?|"
    r"sat(?:urday)?|sun(?:day)?|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|mi[ée]rcoles|jueves|"
    r"viernes|s[áa]bado|domingo|today|yesterday|heute|gestern|aujourd'hui|hier|hoy|ayer|"
    r"janeiro|fevereiro|mar[çc]o|maio|junho|julho|setembro|outubro|dezembro|"
    r"(?:segunda|ter[çc]a|quarta|quinta|sexta)-feira|gennaio|febbraio|aprile|giugno|luglio|"
    r"settembre|ottobre|dicembre|luned[ìi]|marted[ìi]|mercoled[ìi]|gioved[ìi]|venerd[ìi]|"
    r"am|pm)\b", re.IGNORECASE)


@dataclass(frozen=True)
class SiteProfile:
    """What Stet has learned about one source: fingerprints of blocks to leave out."""

    source: str = ""
    furniture: frozenset[str] = frozenset()
    volatile: frozenset[str] = frozenset()
    containers: tuple[str, ...] = ()  # templates' article containers (clean/template.py)

    def is_empty(self) -> bool:
        return not (self.furniture or self.volatile)


def normal(text: str) -> str:
    """The form two copies of a block share: NFKC, case folded, white space collapsed."""
    return SPACE_RE.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def fingerprint(text: str) -> str:
    return hashlib.sha256(normal(text).encode("utf-8")).hexdigest()[:16]


def shape(text: str) -> str:
    """The paragraph with its figures and date words masked: what a clock line keeps."""
    return DATE_WORD_RE.sub("@", DIGITS_RE.sub("0", normal(text)))


def shape_fingerprint(text: str) -> str:
    return fingerprint(f"shape:{shape(text)}")


def paragraphs(body: str) -> list[str]:
    return [p for p in body.split("\n\n") if p.strip()]


def word_count(text: str) -> int:
    return len(text.split())


def maybe_volatile(para: str) -> bool:
    """A short paragraph with figures or date words: one a volatile shape could match."""
    return word_count(para) <= VOLATILE_MAX_WORDS and shape(para) != normal(para)


def is_hidden(para: str, profile: SiteProfile) -> bool:
    if fingerprint(para) in profile.furniture:
        return True
    return (bool(profile.volatile) and maybe_volatile(para)
            and shape_fingerprint(para) in profile.volatile)


def apply(body: str, profile: SiteProfile | None) -> str:
    """The body without the source's furniture and volatile paragraphs.

    Never empties a body: when the learned blocks would leave less than KEEP_MIN_SHARE of
    its words (a syndicated copy of another article, say), the body stays as it was.
    """
    if profile is None or profile.is_empty() or not body:
        return body
    paras = paragraphs(body)
    kept = [p for p in paras if not is_hidden(p, profile)]
    if len(kept) == len(paras):
        return body
    if sum(map(word_count, kept)) < KEEP_MIN_SHARE * sum(map(word_count, paras)):
        return body
    return "\n\n".join(kept)


def apply_page(page: CleanPage, profile: SiteProfile | None) -> CleanPage:
    """clean_page's result with the profile applied (what ``clean_page(profile=)`` returns)."""
    body = apply(page.body, profile)
    return page if body == page.body else replace(page, body=body)


def is_furniture(articles: int, source_articles: int) -> bool:
    """Enough distinct articles share a paragraph for it to be the site's, not a story's."""
    return (articles >= FURNITURE_MIN_ARTICLES
            and articles >= FURNITURE_MIN_SHARE * source_articles)


def is_site_wide(shared: set[str], body: str) -> bool:
    """Shared paragraphs that are a minority of this body: furniture around a story.

    When most of a body is shared with other articles, the article is a copy (a
    syndicated or republished story): its shared paragraphs are story, not furniture.
    """
    total = sum(map(word_count, paragraphs(body)))
    return bool(shared) and sum(map(word_count, shared)) <= COPY_MAX_SHARE * total


def body_fingerprints(body: str) -> dict[str, str]:
    """Each paragraph's fingerprint and text (the first copy of a repeated one)."""
    found: dict[str, str] = {}
    for para in paragraphs(body):
        found.setdefault(fingerprint(para), para)
    return found


def with_learned(profile: SiteProfile, kind: str, fingerprints: Iterable[str]) -> SiteProfile:
    if kind == "furniture":
        return replace(profile, furniture=profile.furniture | frozenset(fingerprints))
    if kind == "volatile":
        return replace(profile, volatile=profile.volatile | frozenset(fingerprints))
    if kind == "container":  # signatures, most used first
        known = set(profile.containers)
        return replace(profile, containers=profile.containers + tuple(
            sig for sig in fingerprints if sig not in known))
    return profile
