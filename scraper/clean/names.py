"""Furniture by its attributes, inside the chosen container (BeautifulSoup side, for
page.clean_soup): hidden, a landmark role that is not the story, or class and id names
that say what it is ("share-buttons", "AuthorCard_root__w2Hnq"). A page repeats its
names, so each set of names is matched once.
"""

from __future__ import annotations

import functools
import re

from bs4 import Tag

from scraper.clean import rules as rules
from scraper.clean.prune import CAMEL_RE, STYLE_CLASS_RE
from scraper.clean.soup import has_tag

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
SECTION_HEADINGS = ["h2", "h3", "h4", "h5", "h6"]
CODE_TAGS = ["pre", "code"]
HEADING_NAME_RE = re.compile(r"head(?:ing|line)|title", re.I)
WORD_RE = re.compile(r"[^\W_]+")
SLUG_MIN_WORDS, SLUG_MAX_EXTRA = 2, 2  # a slug may add a prefix ("h-", "toc-") or a number
CSS_MODULE_RE = re.compile(r"\b[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9]+__[A-Za-z0-9_-]{3,}\b")
# A folded accordion or tab panel ("kt-accordion-panel-hidden", "tab-pane-collapsed") holds
# story text a reader opens: its state is not what the block is.
FOLDED_PANEL_RE = re.compile(
    r"(?:accordion|collapse|toggle|tabs?|pane|panel)[\w-]*[-_](?:hidden|collapsed|closed)$", re.I)


def is_noise_tag(tag: Tag) -> bool:
    attrs = tag.attrs
    if tag.name in ("html", "body") or not attrs:
        return False
    if attrs.get("aria-hidden") == "true" or "hidden" in attrs:
        return True
    if attrs.get("role") in ("navigation", "complementary", "banner", "contentinfo", "dialog"):
        return True
    style = str(attrs.get("style") or "").replace(" ", "").lower()
    if "display:none" in style:
        return True
    attr = attrs.get("class")
    classes = tuple(attr) if isinstance(attr, list) else tuple(str(attr or "").split())
    ident = f"{attrs.get('id') or ''}"
    if tag.name in HEADINGS:
        return is_noise_heading(classes, ident, tag.get_text(" "))
    if not is_noise_name(classes, ident):
        return False
    if tag.find_parent(CODE_TAGS) is not None:
        return False  # a syntax highlighter's token names ("hljs-comment"), not furniture
    untitled = tuple(HEADING_NAME_RE.sub("x", name) for name in classes)
    # A part of a section heading named for being its title (<h2><a><span class="title">)
    # is the heading's text.
    if any(parent.name in SECTION_HEADINGS for parent in tag.parents):
        return is_noise_name(untitled, HEADING_NAME_RE.sub("x", ident))
    # A wrapper named for the heading it holds ("title-flex" around an <h2>) is a heading.
    return not has_tag(tag, HEADINGS) or is_noise_name(untitled, ident)


def is_noise_heading(classes: tuple[str, ...], ident: str, text: str) -> bool:
    """A heading is named for being one ("elementor-heading-title") and its anchor id is a
    slug of its words ("h-how-to-use-social-shopping"): neither says it is furniture."""
    words = set(WORD_RE.findall(text.lower()))
    slug = set(WORD_RE.findall(ident.lower()))
    if len(slug & words) >= SLUG_MIN_WORDS and len(slug - words) <= SLUG_MAX_EXTRA:
        ident = ""
    return is_noise_name(tuple(HEADING_NAME_RE.sub("x", name) for name in classes), ident)


@functools.lru_cache(maxsize=4096)
def is_noise_name(classes: tuple[str, ...], ident: str) -> bool:
    """Class names (taxonomy ones aside) or id naming furniture; a page repeats them."""
    names = " ".join(c for c in classes if not rules.TAXONOMY_CLASS_RE.match(c)
                     and not STYLE_CLASS_RE.search(c) and not FOLDED_PANEL_RE.search(c))
    names = f"{names} {ident}"
    # CSS-modules names (AuthorCard_root__w2Hnq) hide their words in camel case.
    if "__" in names:
        names = CSS_MODULE_RE.sub(lambda m: CAMEL_RE.sub("-", m.group(0)), names)
    return bool(names.strip() and rules.NOISE_RE.search(names))
