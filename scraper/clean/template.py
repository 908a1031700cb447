"""A template's article container: its signature, and finding it again on another page.

The pages of one site template put the story in the same element: the same tag and
class names, under the same kind of parents. Once scoring has chosen that element on
enough articles of a source (``store/profiles.py``), the cleaner looks for it first on
the source's other pages and skips scoring when it holds most of the page's prose: the
same block every time, and less work.

A signature is ``parent-tag > tag.class.class`` for each chosen element, joined with
`` + `` when the story was split into several. Class names that are post ids or build
hashes (clean/hashes.py: a digit, or a hash's form) are left out; so are such ``id``s.
"""

from __future__ import annotations

import re

import lxml.html

from scraper.clean.blocks import prose_chars
from scraper.clean.hashes import is_hashed

TAG_RE = re.compile(r"([\w-]+)[#.]")  # a part's own tag: "article > div.entry" -> "div"
SPLIT = " + "
MIN_SHARE = 0.7  # the learned container must hold this share of the page's running text
MIN_CHARS = 400  # ... and at least this much of it


def signature(elements: list[lxml.html.HtmlElement]) -> str:
    """The chosen container(s) as a signature, or "" when one has nothing stable to name."""
    parts = [_part(el) for el in elements]
    return SPLIT.join(parts) if all(parts) else ""


def _part(el: lxml.html.HtmlElement) -> str:
    if not isinstance(el.tag, str) or el.tag in ("html", "body"):
        return ""
    ident = el.get("id") or ""
    classes = sorted({n for n in (el.get("class") or "").split()
                      if not is_hashed(n) and re.fullmatch(r"[\w-]+", n)})
    if not classes and (not ident or is_hashed(ident)):
        return ""  # a bare <div> names nothing: every page has dozens
    parent = el.getparent()
    prefix = f"{parent.tag} > " if parent is not None and isinstance(parent.tag, str) else ""
    ident = f"#{ident}" if ident and not is_hashed(ident) and re.fullmatch(
        r"[\w-]+", ident) else ""
    return f"{prefix}{el.tag}{ident}{''.join('.' + c for c in classes)}"


def find(root: lxml.html.HtmlElement, learned: tuple[str, ...]) -> tuple[
        list[lxml.html.HtmlElement], str]:
    """The learned container holding most of this page's story text, and its signature.

    ([], "") when none is on the page or none holds MIN_SHARE of its story text: then
    the page is scored as any other (another template, a page of another kind).
    """
    best: tuple[int, list[lxml.html.HtmlElement], str] = (0, [], "")
    for sig in learned:
        found = _find_all(root, sig)
        chars = sum(prose_chars(el) for el in found)
        if found and chars > best[0]:
            best = (chars, found, sig)
    chars, found, sig = best
    if chars < MIN_CHARS:
        return [], ""
    body = root.find("body")
    if chars < MIN_SHARE * prose_chars(body if body is not None else root):
        return [], ""
    return found, sig


def _find_all(root: lxml.html.HtmlElement, sig: str) -> list[lxml.html.HtmlElement]:
    found: list[lxml.html.HtmlElement] = []
    for part in sig.split(SPLIT):
        el = _find_one(root, part, found)
        if el is None:
            return []
        found.append(el)
    return found


def _find_one(root: lxml.html.HtmlElement, part: str,
              taken: list[lxml.html.HtmlElement]) -> lxml.html.HtmlElement | None:
    own = part.rsplit(" > ", 1)[-1]
    match = TAG_RE.match(own)
    if match is None:
        return None
    first_class = own.partition(".")[2].partition(".")[0]  # a cheap test before the full one
    for el in root.iter(match[1]):
        if first_class and first_class not in (el.get("class") or ""):
            continue
        if el not in taken and _part(el) == part:
            return el
    return None
