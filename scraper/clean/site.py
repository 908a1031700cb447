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
- **headline**: a "headline" found on many articles of a source is the site's or a
  section's name (a logo in an <h1>): another candidate is taken instead.
- **affix**: a "<sep>Site" suffix or "Site<sep>" prefix most of a source's headlines
  carry (from its <title>s) is cut off.

A ``SiteProfile`` is a frozen, picklable record: pass it to ``clean_page(profile=...)``
(in a worker process too). With no profile (a new site) the cleaner is unchanged.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace

from scraper import datewords
from scraper.clean.rules import TITLE_SEPARATORS
from scraper.model import CleanPage

FURNITURE_MIN_ARTICLES = 3  # distinct articles sharing a paragraph before it is furniture
FURNITURE_MIN_SHARE = 0.05  # ... and this share of the source's articles (one template of many)
VOLATILE_MAX_WORDS = 30  # a longer paragraph is story, whatever changed in it
COPY_MAX_SHARE = 0.5  # a body sharing more of its words with other articles is a copy
KEEP_MIN_SHARE = 0.3  # a filter that would leave less of the body than this is not applied
AFFIX_MAX_WORDS = 6  # a site name in a <title>: "Story headline | The Valley Courier"
AFFIX_MIN_SHARE = 0.3  # ... shown by this share of a source's articles (and 3 at least)

SPACE_RE = re.compile(r"\s+")
DIGITS_RE = re.compile(r"\d+(?:[.,:/]\d+)*")
# Month and weekday names (full and short), "today" and "am": what a clock line says.
_DATE_WORDS = datewords.flat(datewords.MONTHS + datewords.MONTH_ABBREVIATIONS
                             + datewords.WEEKDAYS + (datewords.WEEKDAY_ABBREVIATIONS,
                                                     datewords.RELATIVE_DAYS, ("am", "pm")))
DATE_WORD_RE = re.compile(rf"\b(?:{datewords.alternation(_DATE_WORDS)})\b", re.IGNORECASE)


@dataclass(frozen=True)
class SiteProfile:
    """What Stet has learned about one source: fingerprints of blocks to leave out."""

    source: str = ""
    furniture: frozenset[str] = frozenset()
    volatile: frozenset[str] = frozenset()
    containers: tuple[str, ...] = ()  # templates' article containers (clean/template.py)
    headlines: frozenset[str] = frozenset()  # headline_fingerprint of site-wide "headlines"
    affixes: tuple[str, ...] = ()  # "suffix: | Site" or "prefix:Site | " the titles carry

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
    headline = strip_affixes(page.headline, profile)
    if body == page.body and headline == page.headline:
        return page
    return replace(page, body=body, headline=headline)


def headline_fingerprint(headline: str) -> str:
    return fingerprint(f"headline:{headline}")


def headline_affixes(headline: str) -> list[str]:
    """The parts a headline may owe to its page's <title>: "<sep>Site" after the last
    separator, "Site<sep>" before the first, each of AFFIX_MAX_WORDS words at most."""
    found = []
    for sep in TITLE_SEPARATORS:
        head, _, tail = headline.rpartition(sep)
        if head.strip() and 0 < word_count(tail) <= AFFIX_MAX_WORDS:
            found.append(f"suffix:{sep}{tail}")
        lead, _, rest = headline.partition(sep)
        if rest.strip() and 0 < word_count(lead) <= AFFIX_MAX_WORDS:
            found.append(f"prefix:{lead}{sep}")
    return found


def strip_affixes(headline: str, profile: SiteProfile | None) -> str:
    """The headline without the site's learned title affixes; never under two words."""
    for affix in profile.affixes if profile is not None else ():
        side, _, text = affix.partition(":")
        if side == "suffix" and headline.endswith(text):
            rest = headline[:-len(text)].strip()
        elif side == "prefix" and headline.startswith(text):
            rest = headline[len(text):].strip()
        else:
            continue
        if word_count(rest) >= 2:
            headline = rest
    return headline


def choose_headline(found: str, candidates: Iterable[str], profile: SiteProfile | None) -> str:
    """`found`, unless the source shows it on many articles (its name, a section's): then
    the first candidate (og:title, JSON-LD, <title>, another <h1>) it does not."""
    if profile is None or headline_fingerprint(strip_affixes(found, profile)) not in \
            profile.headlines:
        return found
    for candidate in candidates:
        text = strip_affixes(SPACE_RE.sub(" ", candidate).strip(), profile)
        if text and text != found and headline_fingerprint(text) not in profile.headlines:
            return text
    return found


def is_furniture(articles: int, source_articles: int) -> bool:
    """Enough distinct articles share a paragraph for it to be the site's, not a story's."""
    return (articles >= FURNITURE_MIN_ARTICLES
            and articles >= FURNITURE_MIN_SHARE * source_articles)


def is_template(articles: int, source_articles: int) -> bool:
    """A container scoring chose on this many distinct articles is their template's."""
    return articles >= FURNITURE_MIN_ARTICLES


def is_affix(articles: int, source_articles: int) -> bool:
    """Most of a source's headlines carry it: the site's name, not a story's words."""
    return (articles >= FURNITURE_MIN_ARTICLES
            and articles >= AFFIX_MIN_SHARE * source_articles)


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
    if kind == "headline":
        return replace(profile, headlines=profile.headlines | frozenset(fingerprints))
    if kind == "affix":  # longest first: " | Site" before " | Site Name" is not taken
        return replace(profile, affixes=tuple(sorted(
            set(profile.affixes) | set(fingerprints), key=len, reverse=True)))
    return profile
