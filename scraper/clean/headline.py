"""The story's headline, from the names a page gives it (issue 9, class 4).

A page names its story in several places: the <h1> readers see, og:title and
twitter:title for social media, the JSON-LD headline for search engines, and the
<title>, which usually adds the site's name ("Headline | Site", "Site - Headline").
The <h1> is the headline when another name vouches for it (it shares most of its words
with og:title, the JSON-LD headline, twitter:title or the <title>); failing that, the
page's first story <h1> (not a logo, a menu or a teaser card; clean/meta.py) that is not
the site's or a section's name, since the other names are then an SEO or social variant.
Without such an <h1>, the <title> without the site's name.

The site's name is found on the page alone, for a source's first pass: og:site_name,
application-name, the JSON-LD publisher, a logo <h1>, the host name ("Newegg.com" on
promotions.newegg.com), and the part that <title> and og:title share. What a source's
other pages share is learned too (clean/site.py: affixes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from scraper.clean import rules as rules
from scraper.clean.meta import WORD_RE, Meta, ld_str, unescape_twice

H1_MIN_OVERLAP = 0.5  # word-set F1 between an <h1> and a title to call it the headline
LONE_H1_MIN_WORDS = 3  # an <h1> no title vouches for: shorter ones name a site or section
LONE_H1_MAX_KINDS = 3  # more distinct story <h1>s than this: they head the story's sections
SITE_PART_MAX_WORDS = 4  # "Bridgestone Tires", "Thrive Internet Marketing"
HOST_PREFIX_MIN_LETTERS = 4  # a title part that starts with the host's name: "Newegg.com"
# Labels of a host that name no site: "health.ucdavis.edu" is UC Davis, not "Health".
SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "edu", "or", "ne", "go"})
LABEL_RE = re.compile(r"^[^\W\d_]{1,12}:$")  # "Blog:", "Title:" before the <h1>'s headline
COUNTER_RE = re.compile(r"^(?:\([^()]*\)[\s\d]*)?$")  # "(latimes.com) 87" after it
TITLE_SEPS = (*rules.TITLE_SEPARATORS, ": ")  # ": " only where the part is a site's name
TITLE_SPLIT_RE = re.compile("|".join(re.escape(sep) for sep in rules.TITLE_SEPARATORS))
# UTF-8 read as Latin-1 or Windows-1252 ("Investorâ\x80\x99s", "Investorâ€™s").
MOJIBAKE_RE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf]|\u00e2\u20ac")


@dataclass(frozen=True)
class SiteNames:
    """What the page calls its site, as lower-case letters and digits only."""

    names: frozenset[str]  # og:site_name, application-name, publisher, logo <h1>
    full: tuple[str, ...]  # the same names as written, for "Thrive Internet Marketing"
    labels: frozenset[str]  # the host's labels: "tires", "bridgestone"
    domain: str  # the registered name: "bridgestone" for tires.bridgestone.com


def letters(text: str) -> str:
    return re.sub(r"\W|_", "", text.lower())


def site_names(meta: Meta, url: str) -> SiteNames:
    publisher = meta.ld.get("publisher")
    found = [meta.tags.get("og:site_name", ""), meta.tags.get("application-name", ""),
             publisher.get("name", "") if isinstance(publisher, dict) else "", *meta.site_h1s]
    full = tuple(str(n) for n in found if isinstance(n, str) and letters(n))
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        host = ""
    labels = [re.sub(r"^www\d?$", "", label) for label in host.split(".")[:-1]]
    if len(labels) > 1 and labels[-1] in SECOND_LEVEL and len(host.rsplit(".", 1)[-1]) == 2:
        labels.pop()
    labels = [letters(label) for label in labels if label]
    return SiteNames(frozenset(letters(n) for n in full), full,
                     frozenset(labels), labels[-1] if labels else "")


def is_site_name(part: str, site: SiteNames, strict: bool = False) -> bool:
    """The part of a title that names the site: one of its names or its host's, exactly;
    unless `strict`, also a short part that begins with the host's name where the page
    names no site ("Newegg.com" on promotions.newegg.com), the start of a name ("Thrive
    Internet Marketing" for "Thrive Internet Marketing Agency"), or a name's initials."""
    key = letters(part)
    if not key:
        return False
    if key in site.names or key in site.labels:
        return True
    if strict or len(part.split()) > SITE_PART_MAX_WORDS:
        return False
    if not site.names and len(site.domain) >= HOST_PREFIX_MIN_LETTERS and key.startswith(
            site.domain):  # a page that names its site is read by that name alone
        return True
    if len(part.split()) > 1 and any(letters(n).startswith(key) for n in site.full):
        return True
    return part.isupper() and 1 < len(key) < 6 and any(
        "".join(w[0] for w in n.split()).lower() == key for n in site.full)


def strip_site_name(title: str, meta: Meta, url: str) -> str:
    """Drop " | Site" style suffixes (or "Site - " prefixes) naming the site."""
    return _strip(title, site_names(meta, url), meta.title)


def _strip(title: str, site: SiteNames, page_title: str) -> str:
    # The suffix shared by <title> and og:title is the site name, whatever it says.
    other = page_title.lower() if page_title != title else ""
    for sep in TITLE_SEPS:
        head, _, tail = title.rpartition(sep)
        if sep != ": " and head and (is_site_name(tail, site) or (
                len(tail) < 40 and other.endswith(f"{sep}{tail}".lower()))):
            return _strip(head.strip(), site, page_title)
        lead, _, rest = title.partition(sep)
        if rest.strip() and is_site_name(lead, site, strict=sep == ": "):
            return rest.strip()
    for name in site.full:  # "davidbau.com Vibe Coding": a domain-like name and a space
        if "." in name and title.lower().startswith(f"{name.lower()} "):
            return title[len(name):].strip()
    return title


def find_headline(meta: Meta, url: str) -> str:
    """The <h1> that a title vouches for, else the page's story <h1>, else the title."""
    site = site_names(meta, url)
    titles = [_strip(unescape_twice(t), site, meta.title) for t in (
        meta.tags.get("og:title", ""), ld_str(meta.ld, "headline"),
        meta.tags.get("twitter:title", ""), meta.title) if t]
    base = titles[0] if titles else ""
    h1s = [h for h in meta.h1s if h not in meta.site_h1s]
    h1 = (matching_h1(h1s, base) or vouched_h1(meta, titles)
          or title_h1(h1s, _strip(meta.title, site, meta.title))
          or lone_h1(meta, site, titles))
    if not h1:
        return repair(base or meta.h1)
    return repair(tidy(_strip(h1, site, meta.title), titles))


def repair(text: str) -> str:
    """A headline whose UTF-8 bytes were read in a one-byte encoding, read again."""
    if not MOJIBAKE_RE.search(text):
        return text
    for codec in ("latin-1", "cp1252"):
        try:
            return text.encode(codec).decode("utf-8")
        except UnicodeError:
            continue
    return text


def vouched_h1(meta: Meta, titles: list[str]) -> str:
    """A story <h1> that a title other than the first shares most words with (og:title
    is a social variant; the JSON-LD headline or twitter:title gives the <h1>)."""
    return next((h1 for text in titles[1:] if (h1 := matching_h1(meta.story_h1s, text))), "")


def title_h1(h1s: list[str], title: str) -> str:
    """og:title may be a social-media variant or the site's name: the <h1> that <title>
    vouches for, unless it is a piece of it ("Blog Name: Headline" and a "Blog Name" <h1>)."""
    h1 = matching_h1(h1s, title)
    low, whole = h1.lower(), title.lower()
    return "" if low != whole and (whole.startswith(low) or whole.endswith(low)) else h1


def lone_h1(meta: Meta, site: SiteNames, titles: list[str]) -> str:
    """The first story <h1> that no title vouches for, when it reads as a headline: not the
    site's name, nor a section's (a piece of the <title>, a menu link's text, or an <h1>
    over an <h2> that a title gives), nor a lead-in ("A message from our founder:")."""
    parts = {p.strip().lower() for t in titles for p in (t, *TITLE_SPLIT_RE.split(t))
             if len(p.split()) >= LONE_H1_MIN_WORDS}
    if len(set(meta.story_h1s)) > LONE_H1_MAX_KINDS or parts & meta.headings:
        return ""
    for h1 in meta.story_h1s:
        low = h1.lower()
        if (len(h1.split()) >= LONE_H1_MIN_WORDS and not h1.isupper()
                and not is_site_name(h1, site) and low not in meta.title.lower()
                and low not in meta.link_texts and not h1.rstrip().endswith(":")):
            return h1
    return ""


def tidy(h1: str, titles: list[str]) -> str:
    """The <h1> without a label or counter around the words a title gives ("Blog: X",
    "X (latimes.com) 87"), in the titles' letters where the <h1> has lost them (an
    all-capitals or lower-case <h1>, "?" for a character its encoding lacked; an
    all-capitals <h1> gives way to the title it matches)."""
    low = h1.lower()
    for text in sorted(titles, key=len, reverse=True):
        at = low.find(text.lower()) if len(text.split()) >= LONE_H1_MIN_WORDS else -1
        if at >= 0 and text.lower() != low:
            before, after = h1[:at].strip(), h1[at + len(text):].strip()
            if (not before or LABEL_RE.match(before)) and COUNTER_RE.match(after):
                return h1[at:at + len(text)]
    for text in [*titles, *(TITLE_SPLIT_RE.split(t)[0] for t in titles)]:
        if text.lower() == low and (h1.isupper() or h1[:1].islower()) and text != h1:
            return text
        if len(text) == len(h1) and all(
                a == b or a in "?\ufffd" for a, b in zip(h1, text, strict=True)):
            return text
    if h1.isupper():  # shouted in the markup: the title it matches, in its own letters
        return next((text for text in titles if matching_h1([h1], text)), h1)
    return h1


def matching_h1(h1s: list[str], title: str) -> str:
    words = set(WORD_RE.findall(title.lower()))
    best, best_f1 = "", H1_MIN_OVERLAP
    for h1 in h1s:
        found = set(WORD_RE.findall(h1.lower()))
        common = len(found & words)
        f1 = 2 * common / (len(found) + len(words)) if common else 0.0
        if f1 >= best_f1 and (f1 > best_f1 or not best):
            best, best_f1 = h1, f1
    return best

