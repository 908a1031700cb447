"""Locate the article container with lxml: readability-style scores (for clean.py).

Each paragraph feeds its parent and grandparent; class/id hints and link density
adjust; JSON-LD articleBody / itemprop=articleBody pick among the best when
present; siblings and same-class blocks split by ads join the winner.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

import lxml.html

from scraper.clean import rules as rules
from scraper.clean.blocks import (
    ancestors,
    has_twin,
    is_shown,
    link_density,
    marks_story,
    nested,
    own_text,
    prose_chars,
    signature,
    story_chars,
    story_totals,
)
from scraper.clean.byline import squash
from scraper.clean.intro import with_intro
from scraper.clean.meta import WORD_RE, Meta, ld_str

# Blocks that are both a paragraph and a candidate container: a <div> with its own text,
# and an old layout's table cell holding the story's lines (issue 9, class 2).
OWN_TEXT_TAGS = frozenset({"div", "td"})
# Commas of prose are followed by a space; not "a.org,b.org" (a hidden list), "1,204".
COMMA_RE = re.compile(r",(?=\s)")
# with_kin: levels looked up, running text a block holds, class names shared.
KIN_MAX_LEVELS, KIN_MIN_CHARS, KIN_MIN_SHARED = 4, 150, 0.6
TWIN_MIN_PROSE, TWIN_MAX_LEVELS = 400, 3  # with_twins: a twin's prose, how close to the winner
LOOSE_MIN_WORDS = 40  # in_body: words of running text loose in <body>
# with_prose: how far down the ranking, how close in score, how much running text.
PROSE_MAX_RANK, PROSE_MIN_SCORE, PROSE_MIN_CHARS = 10, 0.5, 300
COPY_MIN_OVERLAP = 0.9  # shown_copy: word F1 of two copies of one story


def locate(root: lxml.html.HtmlElement, meta: Meta) -> list[lxml.html.HtmlElement] | None:
    """Best-scoring container(s), checked against structured data."""
    scores = score_elements(root)
    if not scores:
        body = root.find("body")
        return [body] if body is not None else None
    ranked = sorted(scores, key=scores.__getitem__, reverse=True)
    top = shown_copy(with_prose(main_article(ranked), ranked, scores), ranked)
    ld_body = ld_str(meta.ld, "articleBody") or microdata_body(root)
    if len(WORD_RE.findall(ld_body)) >= 50:
        matched = best_match([*root.xpath("//*[@itemprop='articleBody']"), *ranked[:8]], ld_body)
        if matched is not None:  # a short articleBody (a summary) matches the story's start
            return [spread(matched, root, scores)]
    top = spread(widen(top, scores), root, scores)
    chosen = with_kin(root, top, with_twins(root, with_siblings(top, scores), scores))
    return in_body(root, with_intro(root, chosen))


def in_body(root: lxml.html.HtmlElement,
            chosen: list[lxml.html.HtmlElement]) -> list[lxml.html.HtmlElement]:
    """Blocks straight under <body> with running text loose between them (old hand-written
    HTML: text, lists and headings without a wrapper or <p>): the story is the body."""
    body = root.find("body")
    if body is None or any(el.getparent() is not body for el in chosen):
        return chosen
    loose = len(WORD_RE.findall(" ".join([body.text or "", *(el.tail or "" for el in body)])))
    return [body] if loose >= LOOSE_MIN_WORDS else chosen


def spread(top: lxml.html.HtmlElement, root: lxml.html.HtmlElement,
           scores: dict[lxml.html.HtmlElement, float]) -> lxml.html.HtmlElement:
    """A story split into sibling blocks (list cards, page-builder sections, one <div>
    per heading): a winner holding a small share of the page's prose widens to the
    nearest ancestor that holds most of it, when that is not a link list (issue 9)."""
    body = root.find("body")
    totals = story_totals(body if body is not None else root)
    total, own = max(totals.values(), default=0), totals.get(top, 0)
    if own >= rules.SPREAD_MIN_SHARE * total:
        return top
    child = top
    for parent in ancestors(top, rules.SPREAD_MAX_LEVELS):
        if marks_story(child) and (child.get("itemprop") == "articleBody"
                                   or not has_twin(child)):
            return top  # the page marks its story (not one of a list of items): stop there
        child = parent
        chars = totals.get(parent, 0)
        if chars >= rules.SPREAD_MIN_SHARE * total and chars >= rules.WIDEN_MIN_GAIN * own:
            if link_density(parent) >= rules.WIDEN_MAX_LINKS:
                return top
            scores.setdefault(parent, scores.get(top, 0.0))
            mark_story_blocks(top, parent)
            return parent
    return top


def mark_story_blocks(top: lxml.html.HtmlElement, stop: lxml.html.HtmlElement) -> None:
    """Mark the winner's blocks up to ``stop``, their siblings of the same kind and the
    winner's twins: the pieces of a split story, which class names must not drop."""
    kinds = set()
    el = top
    while el is not None and el is not stop:
        kinds.add(signature(el))
        el = el.getparent()
    for block in stop.iterdescendants():
        if isinstance(block.tag, str) and signature(block) in kinds:
            block.set(rules.STORY_ATTR, "1")


def widen(top: lxml.html.HtmlElement, scores: dict[lxml.html.HtmlElement, float]
          ) -> lxml.html.HtmlElement:
    """A list or a paragraph is not a container: take the nearest ancestor that holds much
    more prose, when it is not a link list (a story cut into CMS widgets, issue 9)."""
    if top.tag not in rules.WIDEN_TAGS:
        return top
    own = prose_chars(top)
    for parent in ancestors(top, rules.WIDEN_MAX_LEVELS):
        if prose_chars(parent) >= rules.WIDEN_MIN_GAIN * max(own, 1) and (
                link_density(parent) < rules.WIDEN_MAX_LINKS):
            scores.setdefault(parent, scores.get(top, 0.0))
            return parent
    return top


def with_twins(
    root: lxml.html.HtmlElement,
    chosen: list[lxml.html.HtmlElement],
    scores: dict[lxml.html.HtmlElement, float],
) -> list[lxml.html.HtmlElement]:
    """A body split by ads into blocks of the same class elsewhere in the page: join them."""
    top = max(chosen, key=lambda el: scores.get(el, -1e9))
    names = top.get("class")
    if not names:
        return chosen
    twins = [el for el, score in scores.items() if el.get("class") == names
             and el not in chosen and (score >= rules.TWIN_MIN_SHARE * scores[top]
                                       or is_prose_twin(el, top))]
    twins = [el for el in twins if not any(nested(el, c) for c in chosen)]
    if not twins:
        return chosen
    twins = [el for el in twins if not any(nested(el, t) for t in twins if t is not el
                                           and el in t.iterdescendants())]
    order = {el: i for i, el in enumerate(root.iter())}
    return sorted([*chosen, *twins], key=order.__getitem__)


def with_kin(root: lxml.html.HtmlElement, top: lxml.html.HtmlElement,
             chosen: list[lxml.html.HtmlElement]) -> list[lxml.html.HtmlElement]:
    """Blocks of running text beside the winner or its wrappers, of their kind (an intro
    column, a closing FAQ module of a page builder): the rest of the story (issue 9)."""
    found: list[lxml.html.HtmlElement] = []
    el = stop = top
    for _ in range(KIN_MAX_LEVELS):
        parent = el.getparent()
        if parent is None or parent.tag in ("html", "body") or marks_story(el):
            break
        mine = set(signature(el)[1].split())
        kin = [sib for sib in parent if sib is not el and sib.tag == el.tag
               and same_kind(mine, set(signature(sib)[1].split()), str(el.tag))
               and is_kin(sib) and not any(nested(sib, c) for c in chosen)]
        if kin and mine:  # named kin (not classless <section>s): what lies between joins too
            kin = between(parent, [sib for sib in parent if sib is el or sib in kin])
        found.extend(sib for sib in kin
                     if sib is not el and not any(nested(sib, c) for c in chosen))
        stop = parent if kin else stop
        el = parent
    if found:  # the story's blocks: their names ("widget") must not drop them
        mark_story_blocks(top, stop)
        for block in found:
            block.set(rules.STORY_ATTR, "1")
    order = {el: i for i, el in enumerate(root.iter())} if found else {}
    return sorted([*chosen, *found], key=order.__getitem__) if found else chosen


def same_kind(mine: set[str], theirs: set[str], tag: str) -> bool:
    """Most names, two at least (not "container" alone); or classless <section>s."""
    shared = len(mine & theirs)
    if tag == "section" and not mine and not theirs:
        return True
    return shared >= 2 and shared >= KIN_MIN_SHARED * len(mine | theirs)


def is_kin(el: lxml.html.HtmlElement) -> bool:
    return (story_chars(el) >= KIN_MIN_CHARS and el.find(".//article") is None
            and link_density(el) < rules.WIDEN_MAX_LINKS)


def is_prose_twin(el: lxml.html.HtmlElement, top: lxml.html.HtmlElement) -> bool:
    """Of the winner's class, close by, with running text and few links, however much more
    the winner holds: a review's intro in a summary box above its long body (issue 9)."""
    near = set(ancestors(top, TWIN_MAX_LEVELS))
    return (prose_chars(el) >= TWIN_MIN_PROSE and link_density(el) < rules.WIDEN_MAX_LINKS
            and any(parent in near for parent in ancestors(el, TWIN_MAX_LEVELS)))


def main_article(ranked: list[lxml.html.HtmlElement]) -> lxml.html.HtmlElement:
    """The best candidate that is not a list of teaser cards (several nested <article>s)."""
    listings: set[lxml.html.HtmlElement] = set()
    for el in ranked[:10]:
        if any(parent in listings for parent in el.iterancestors()):
            continue  # a card inside a teaser list
        length = len(el.text_content()) or 1
        cards = outer_articles(el)
        sizes = [len(a.text_content()) for a in cards]
        if len(cards) < 2 or sum(sizes) < 0.5 * length:
            return el
        if max(sizes) >= 0.5 * length:  # one story plus small cards: keep the story
            return cards[sizes.index(max(sizes))]
        listings.add(el)
    return ranked[0]


def with_prose(top: lxml.html.HtmlElement, ranked: list[lxml.html.HtmlElement],
               scores: dict[lxml.html.HtmlElement, float]) -> lxml.html.HtmlElement:
    """A winner without running text that is a form's labels or a blurb inside a link (a
    tile) yields to the best close contender that holds some: the story beside a modal or
    a tile list."""
    if story_chars(top) or not (top.find(".//form") is not None
                                or any(el.tag == "a" for el in top.iterancestors())):
        return top
    for el in ranked[:PROSE_MAX_RANK]:
        if scores[el] < PROSE_MIN_SCORE * scores[top]:
            break
        if story_chars(el) >= PROSE_MIN_CHARS:
            return el
    return top


def shown_copy(top: lxml.html.HtmlElement,
               ranked: list[lxml.html.HtmlElement]) -> lxml.html.HtmlElement:
    """A story the page holds twice, one copy hidden (a CMS's spare copy in a "hide"
    wrapper): the copy readers see wins, whichever scores higher; a paragraph cut from
    the shown copy must not hand the page to the hidden one."""
    if is_shown(top):
        return top
    words = Counter(w.lower() for w in WORD_RE.findall(top.text_content()))
    for el in ranked[:PROSE_MAX_RANK]:
        if not nested(el, top) and is_shown(el) and overlap_f1(words, Counter(
                w.lower() for w in WORD_RE.findall(el.text_content()))) >= COPY_MIN_OVERLAP:
            return el
    return top


def outer_articles(el: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """<article> descendants not inside another <article> (iterative: deep trees)."""
    found, stack = [], list(el)
    while stack:
        child = stack.pop()
        if child.tag == "article":
            found.append(child)
        elif isinstance(child.tag, str):
            stack.extend(child)
    return found


def microdata_body(root: lxml.html.HtmlElement) -> str:
    found = root.xpath("//*[@itemprop='articleBody']")
    return squash(found[0].text_content()) if found else ""


def score_elements(root: lxml.html.HtmlElement) -> dict[lxml.html.HtmlElement, float]:
    """Readability-style scores: each paragraph feeds its parent and grandparent."""
    scores: dict[lxml.html.HtmlElement, float] = {}
    for el in root.iter(*rules.SCORED_TAGS, "div"):
        text = own_text(el) if el.tag in OWN_TEXT_TAGS else el.text_content()
        length = len(text.strip())
        if length < 25:
            continue
        points = 1 + len(COMMA_RE.findall(text)) + min(length / 100, 3)
        # A div with its own text is both a paragraph and a candidate container.
        targets = [el, *ancestors(el, 1)] if el.tag in OWN_TEXT_TAGS else list(ancestors(el, 2))
        for depth, parent in enumerate(targets):
            if parent not in scores:
                scores[parent] = initial_score(parent)
            scores[parent] += points / (1 + depth)
    for el in scores:
        scores[el] *= 1 - link_density(el)
    return scores


TAG_POINTS = {"article": 10, "main": 5, "div": 5, "section": 3, "pre": 3, "td": 3,
              "blockquote": 3, "ul": -3, "ol": -3, "li": -3, "form": -3}


def initial_score(el: lxml.html.HtmlElement) -> float:
    return TAG_POINTS.get(str(el.tag), 0) + class_weight(el)


def class_weight(el: lxml.html.HtmlElement) -> float:
    weight, hint = name_weight(f"{el.get('class') or ''} {el.get('id') or ''}")
    if hint or (el.get("itemprop") or "") == "articleBody":
        weight += 25
    return weight


@functools.lru_cache(maxsize=4096)
def name_weight(names: str) -> tuple[float, bool]:
    """The weight of class and id names, and whether they hint at the story's body (a
    page repeats its names: each is matched once)."""
    weight = 0.0
    if rules.NEGATIVE_RE.search(names):
        weight -= 25
    if rules.POSITIVE_RE.search(names):
        weight += 25
    return weight, bool(rules.BODY_HINT_RE.search(names))


def best_match(
    candidates: list[lxml.html.HtmlElement], reference: str
) -> lxml.html.HtmlElement | None:
    """The candidate (or an ancestor) whose words best match JSON-LD articleBody."""
    ref = Counter(w.lower() for w in WORD_RE.findall(reference))
    best, best_f1 = None, 0.6
    seen: set[lxml.html.HtmlElement] = set()
    for cand in candidates:
        for el in [cand, *ancestors(cand, 3)]:
            if el in seen:
                continue
            seen.add(el)
            f1 = overlap_f1(ref, Counter(w.lower() for w in WORD_RE.findall(el.text_content())))
            if f1 > best_f1:
                best, best_f1 = el, f1
    return best


def overlap_f1(ref: Counter[str], got: Counter[str]) -> float:
    common = sum((ref & got).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(ref.values())
    return 2 * precision * recall / (precision + recall)


def with_siblings(
    top: lxml.html.HtmlElement, scores: dict[lxml.html.HtmlElement, float]
) -> list[lxml.html.HtmlElement]:
    """Readability's sibling rule: related blocks next to the winner join it."""
    parent = top.getparent()
    if parent is None:
        return [top]
    threshold = max(10.0, scores[top] * 0.2)
    top_names = top.get("class")
    chosen = []
    for sib in parent:
        bonus = scores[top] * 0.2 if top_names and sib.get("class") == top_names else 0
        if sib is not top and (sib.tag == "article" or sib.find(".//article") is not None):
            continue  # a separate story (a teaser list of <article> cards)
        if sib is top or scores.get(sib, -1e9) + bonus >= threshold or is_loose_paragraph(sib):
            chosen.append(sib)
    return chosen


def between(parent: lxml.html.HtmlElement,
            chosen: list[lxml.html.HtmlElement]) -> list[lxml.html.HtmlElement]:
    """Blocks lying between two chosen siblings (a price table or a list between two text
    widgets) are part of the story unless they are link lists or <article> cards."""
    if len(chosen) < 2:
        return chosen
    kids = list(parent)
    first, last = kids.index(chosen[0]), kids.index(chosen[-1])
    return [sib for sib in kids[first:last + 1] if sib in chosen or (
        isinstance(sib.tag, str) and sib.tag != "article" and sib.find(".//article") is None
        and link_density(sib) < rules.WIDEN_MAX_LINKS)]


def is_loose_paragraph(el: lxml.html.HtmlElement) -> bool:
    if el.tag != "p":
        return False
    text = squash(el.text_content())
    density = link_density(el)
    return (len(text) > 80 and density < 0.25) or (0 < len(text) <= 80 and density == 0
                                                  and bool(re.search(r"\.( |$)", text)))
