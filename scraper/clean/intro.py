"""A story's intro kept apart from its body (lxml side, for score.locate).

Page builders put the headline and the first paragraphs in one widget (an image-text
block, a hero row) and the rest of the story in another, under wrappers without class
names: scoring picks the body, and the intro lies outside it, between the headline and
the body. Paragraphs of running text there, two or more in one block, are the story's
start. One paragraph alone under the headline is more often a dek or a summary, and a
run of one-paragraph cards (product picks, captions) is not an intro (issue 9).
"""

from __future__ import annotations

import lxml.html

from scraper.clean import rules as rules
from scraper.clean.blocks import link_density, story_chars

INTRO_MIN_CHARS = 80  # a paragraph of running text
INTRO_MIN_PARAS = 2  # ... two or more in one block
INTRO_MAX_SHARE = 0.5  # an intro is shorter than half the story it opens


def with_intro(root: lxml.html.HtmlElement,
               chosen: list[lxml.html.HtmlElement]) -> list[lxml.html.HtmlElement]:
    """``chosen`` (in page order) with the intro paragraphs found before its first block."""
    if not chosen:
        return chosen
    groups: dict[lxml.html.HtmlElement | None, list[lxml.html.HtmlElement]] = {}
    for para in after_headline(root, chosen[0]):
        if (len(para.text_content().strip()) >= INTRO_MIN_CHARS
                and link_density(para) < rules.WIDEN_MAX_LINKS):
            groups.setdefault(para.getparent(), []).append(para)
    intro = [p for group in groups.values() if len(group) >= INTRO_MIN_PARAS for p in group]
    if not intro or sum(len(p.text_content()) for p in intro) > INTRO_MAX_SHARE * sum(
            story_chars(el) for el in chosen):
        return chosen
    return [*intro, *chosen]


def after_headline(root: lxml.html.HtmlElement,
                   first: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The <p>s between the last <h1> before ``first`` and ``first`` (none without one)."""
    found: list[lxml.html.HtmlElement] | None = None
    for el in root.iter():
        if el is first:
            return found or []
        if el.tag == "h1":
            found = []
        elif el.tag == "p" and found is not None:
            found.append(el)
    return []
