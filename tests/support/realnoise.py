"""Noise on a real page: changes that leave its article text as it is.

Link lists and teasers rotated; dates, clock times and counters outside the story
changed; attributes reordered; script and style contents and hashed CSS class names
changed; comments added; white space moved; one story paragraph split by ``<br><br>``
(the same words). ``add_noise`` applies every kind, each with its own seeded random
generator and round number, so that one kind can be replayed alone to find which kind is
behind a false version.
"""

from __future__ import annotations

import bisect
import random
import re
from collections.abc import Callable

from support.realdoc import ATTR, NAME, RAWTEXT, WORD, Doc, Element

NOISE_KINDS = ("rotate", "dates", "attrs", "scripts", "classes", "comments", "whitespace",
               "br-split")
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?")  # not "Mariposa"
_DATEISH = re.compile(  # a value that changes between loads: dates, clock times, counters
    rf"\b{_MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?!\w)|\b(?:[01]?\d|2[0-3]):[0-5]\d\b"
    r"|\b\d+\s*(?:s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|weeks?|months?"
    r"|years?)\s+ago\b|\b\d[\d,.]*[km]?\s*(?:views?|comments?|shares?|likes?|reads?|reviews?"
    r"|votes?|followers?|replies|answers|points|min read)\b|\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b",
    re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_CLASS_ATTR = re.compile(r"""(\sclass\s*=\s*)("[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
_HASHY = re.compile(r"^(.*?[-_]{1,2})?([A-Za-z0-9]{5,12})$")


def _random_digits(rng: random.Random, digits: str) -> str:
    if len(digits) == 4 and digits[:2] in ("19", "20"):
        return str(int(digits) + rng.choice((-2, -1, 1, 2)))
    low = 10 ** (len(digits) - 1) if len(digits) > 1 else 0
    value = str(rng.randint(low, 10 ** len(digits) - 1))
    return value if value != digits else str((int(digits) + 1) % 10 ** len(digits)).zfill(
        len(digits))


def _outside_text(doc: Doc, index: int) -> bool:
    """A short text standing alone (its element holds 15 words at most) outside the story,
    the headline, the head, tables and citations: a dateline, a clock, a counter, not a
    reference list or a results table that the ground truth happens to leave out."""
    text = doc.text(index)
    if not text.strip() or len(WORD.findall(text)) > 12 or doc.in_story(text):
        return False
    parent = doc.parents[index]
    if parent >= 0 and len(WORD.findall(doc.element_text(doc.elements[parent]))) > 15:
        return False
    return not doc.inside(index, ("head", "h1", "title", "pre", "textarea", "script", "style",
                                  "table", "cite"))


def noise_dates(doc: Doc, raws: list[str], rng: random.Random) -> None:
    """Dates, clock times and counters outside the story get other values."""
    found = doc.memo("dates", lambda: [
        i for i, kind in enumerate(doc.kinds) if kind == "text" and _DIGITS.search(doc.raws[i])
        and _DATEISH.search(doc.text(i)) and _outside_text(doc, i)])
    for index in found:
        raws[index] = _CLOCK_OR_DIGITS.sub(lambda m: _new_value(rng, m), raws[index])


_CLOCK_OR_DIGITS = re.compile(r"\b((?:[01]?\d|2[0-3])):([0-5]\d)\b|\d+")


def _new_value(rng: random.Random, match: re.Match[str]) -> str:
    """Another plausible value: a valid clock time, day of month, year or count."""
    if match.group(1):
        hour = rng.randrange(24) if len(match.group(1)) == 2 else rng.randint(1, 9)
        return f"{hour:0{len(match.group(1))}d}:{rng.randrange(60):02d}"
    digits = match.group()
    if len(digits) <= 2:
        return f"{rng.randint(1, 12):0{len(digits)}d}"  # a valid day and month alike
    return _random_digits(rng, digits)


def _rotatable(doc: Doc, element: Element) -> list[Element] | None:
    children = [doc.elements[c] for c in element.children]
    if len(children) < 3 or any(c.end < c.start for c in children):
        return None
    shapes = {(c.name, _class_of(doc.raws[c.start])) for c in children}
    if len(shapes) != 1 or children[0].name in ("p", "tr", "td", "th", "option", "h1"):
        return None
    edges = [(element.start, children[0].start), (children[-1].end, element.end)]
    if element.name in ("p", "span", "em", "strong", "b", "i") or doc.inside(
            element.start, ("p",)) or any(WORD.search("".join(
                doc.text(i) for i in range(a + 1, b) if doc.kinds[i] == "text"))
            for a, b in [*edges, *((a.end, b.start) for a, b in zip(
                children, children[1:], strict=False))]):
        return None  # links inside running text ("Camp shoes (Baffin, Tevas, Crocs)")
    for child in children:
        tokens = range(child.start, child.end + 1)
        if not any(doc.names[i] == "a" and doc.kinds[i] == "start" for i in tokens):
            return None
        if any(doc.kinds[i] == "text" and (i in doc.core or doc.in_story(doc.text(i))
                                           and len(WORD.findall(doc.text(i))) >= 4)
               for i in tokens):
            return None
    return children


def _class_of(tag: str) -> str:
    found = _CLASS_ATTR.search(tag)
    return found.group(2).strip("\"'") if found else ""


def noise_rotate(doc: Doc, raws: list[str], rng: random.Random) -> None:
    """Link lists and teaser blocks (3+ alike siblings with links, no story text) rotate."""
    for children in doc.memo("rotate", lambda: _rotatable_groups(doc)):
        units = ["".join(raws[c.start:c.end + 1]) for c in children]
        gaps = ["".join(raws[a.end + 1:b.start]) for a, b in zip(children, children[1:],
                                                                  strict=False)]
        shift = rng.randrange(1, len(units))
        units = units[shift:] + units[:shift]
        for index in range(children[0].start, children[-1].end + 1):
            raws[index] = ""
        raws[children[0].start] = "".join(u + g for u, g in zip(units, [*gaps, ""],
                                                                 strict=True))


def _rotatable_groups(doc: Doc) -> list[list[Element]]:
    groups = []
    taken = -1
    for element in doc.elements:
        if element.start <= taken or doc.inside(element.start, ("head",)):
            continue
        children = _rotatable(doc, element)
        if children is None or bisect.bisect_left(doc.core, children[0].start) != \
                bisect.bisect_right(doc.core, children[-1].end):
            continue
        groups.append(children)
        taken = children[-1].end
    return groups


ATTRS_PER_ROUND = 400  # start tags reordered per page and round


def noise_attrs(doc: Doc, raws: list[str], rng: random.Random) -> None:
    """Start tags with two or more attributes list them in another order."""
    tags = doc.memo("attrs", lambda: [i for i, kind in enumerate(doc.kinds)
                                      if kind == "start" and _attr_list(doc.raws[i])])
    for index in rng.sample(tags, min(ATTRS_PER_ROUND, len(tags))):
        found = _attr_list(raws[index])
        if found:
            name, attrs, closing = found
            order = list(attrs)
            while order == list(attrs):
                rng.shuffle(order)
            raws[index] = f"<{name} {' '.join(order)}{closing}>"


def _attr_list(tag: str) -> tuple[str, tuple[str, ...], str] | None:
    """A start tag's name, attributes and "/" when it has two different attributes or more."""
    name = NAME.match(tag)
    if name is None:
        return None
    body = tag[name.end():].rstrip(">")
    closing = "/" if body.rstrip().endswith("/") else ""
    body = body.rstrip().rstrip("/")
    attrs = tuple(m.group() for m in ATTR.finditer(body))
    if len(set(attrs)) < 2 or re.sub(r"\s", "", "".join(attrs)) != re.sub(r"\s", "", body):
        return None
    return name.group(1), attrs, closing


def noise_scripts(doc: Doc, raws: list[str], rng: random.Random) -> None:
    """Inline scripts and styles change (build ids, nonces, cache busters); JSON-LD stays."""
    token = f"{rng.getrandbits(40):010x}"
    found = doc.memo("scripts", lambda: [
        i for i, kind in enumerate(doc.kinds) if (kind == "start" and "nonce=" in doc.raws[i])
        or (kind == "raw" and doc.names[i] in ("script", "style"))])
    for index in found:
        kind = doc.kinds[index]
        if kind == "start":
            raws[index] = re.sub(r"""nonce=(["']?)[\w+/=-]+""", rf"nonce=\g<1>{token}",
                                 raws[index])
        if kind != "raw" or doc.names[index] not in ("script", "style"):
            continue
        opener = doc.raws[index - 1].lower()
        if doc.names[index] == "style":
            raws[index] += f"\n.r-{token}{{color:#{token[:6]}}}\n"
        elif "json" in opener:
            if "ld+json" not in opener:
                raws[index] = re.sub(r"\d{8,}", lambda m: _random_digits(rng, m.group()),
                                     raws[index])
        elif "type=" not in opener or "javascript" in opener or "module" in opener:
            raws[index] += f"\n;window.__build='{token}';\n"


def noise_classes(doc: Doc, raws: list[str], rng: random.Random) -> None:
    """Hashed CSS class names (css-1x2y3z, e13srmb716) get new hashes, styles too."""
    hashes, places = doc.memo("classes", lambda: _class_hashes(doc))
    mapping: dict[str, str] = {}
    for word in hashes:
        found = _HASHY.match(word)
        assert found is not None
        mapping[word] = (found.group(1) or "") + "".join(
            rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in found.group(2))
    for index, spans in places.items():
        raw, pieces, at = raws[index], [], 0
        if len(raw) < spans[-1][1]:
            continue
        for start, end in spans:
            pieces += [raw[at:start], mapping.get(raw[start:end], raw[start:end])]
            at = end
        raws[index] = "".join(pieces) + raw[at:]


def _class_hashes(doc: Doc) -> tuple[list[str], dict[int, list[tuple[int, int]]]]:
    """The hash-like class names of the page, and where tags and styles hold them."""
    hashes: set[str] = set()
    for index, kind in enumerate(doc.kinds):
        if kind == "start" and " class" in doc.raws[index].lower():
            for found in _CLASS_ATTR.finditer(doc.raws[index]):
                hashes |= {w for w in found.group(2).strip("\"'").split() if _is_hash(w)}
    places: dict[int, list[tuple[int, int]]] = {}
    if not hashes:
        return [], places
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(
        hashes, key=len, reverse=True))) + r")(?![\w-])")
    for index, kind in enumerate(doc.kinds):
        if (kind == "start" and " class" in doc.raws[index].lower()) or (
                kind == "raw" and doc.names[index] == "style"):
            spans = [m.span() for m in pattern.finditer(doc.raws[index])]
            if spans:
                places[index] = spans
    return sorted(hashes), places


def _is_hash(word: str) -> bool:
    found = _HASHY.match(word)
    if found is None:
        return False
    tail = found.group(2)
    if (found.group(1) or "").lower() == "sc-" and len(tail) >= 5:
        return True
    shifts = sum(1 for a, b in zip(tail, tail[1:], strict=False) if a.isdigit() != b.isdigit())
    return shifts >= 2


def noise_comments(doc: Doc, raws: list[str], rng: random.Random) -> None:
    """A few comments between tags, inside the story too."""
    places = doc.memo("comments", lambda: [
        i for i, kind in enumerate(doc.kinds)
        if (kind == "end" or (kind == "start" and doc.names[i] not in RAWTEXT))
        and not doc.inside(i, ("head",))])
    for index in rng.sample(places, min(6, len(places))):
        raws[index] += f"<!-- r{rng.getrandbits(32):08x} -->"


def noise_whitespace(doc: Doc, raws: list[str], rng: random.Random) -> None:
    """White space between tags and inside text moves (never to nothing)."""
    choices = ("\n", "\n  ", " ", "\n\t\t", "\r\n")
    texts = doc.memo("whitespace", lambda: [
        i for i, kind in enumerate(doc.kinds)
        if kind == "text" and not doc.inside(i, ("pre", "textarea"))])
    for index in texts:
        raw = raws[index]
        if not raw.strip():
            raws[index] = rng.choice(choices)
        elif " " in raw.strip() and rng.random() < 0.3:
            spaces = [m.start() for m in re.finditer(" ", doc.raws[index])]
            at = rng.choice(spaces)
            raws[index] = raw[:at] + "\n" + raw[at + 1:]


def noise_br_split(doc: Doc, raws: list[str], rng: random.Random) -> None:
    """One story paragraph is split in two by <br><br> (the same words, issue 9)."""
    found = [(i, m) for i in doc.core if doc.parents[i] >= 0
             and doc.elements[doc.parents[i]].name == "p"
             for m in re.finditer(r"(?<=[a-z]\.) (?=[A-Z])", doc.raws[i])]
    if found:  # chosen on the page as it is, so that other kinds do not move the choice
        index, match = rng.choice(found)
        raw = raws[index]
        if len(raw) == len(doc.raws[index]):
            raws[index] = raw[:match.start()] + "<br><br>" + raw[match.end():]


NOISE: dict[str, Callable[[Doc, list[str], random.Random], None]] = {
    "classes": noise_classes, "attrs": noise_attrs, "dates": noise_dates,
    "scripts": noise_scripts, "whitespace": noise_whitespace, "br-split": noise_br_split,
    "comments": noise_comments, "rotate": noise_rotate,
}  # classes on the page as it is, then other rewrites; insertions and moves last


def add_noise(doc: Doc, rounds: dict[str, int], seed: str) -> tuple[str, set[str]]:
    """The page with every kind of noise of the given rounds; the kinds that changed it."""
    raws = list(doc.raws)
    applied = set()
    for kind, noise in NOISE.items():
        before = list(raws)
        noise(doc, raws, random.Random(f"{seed}:{kind}:{rounds[kind]}"))
        if raws != before:
            applied.add(kind)
    return "".join(raws), applied
