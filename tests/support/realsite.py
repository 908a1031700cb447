"""One real site's template, many articles: a real page from the shared data sets with
its story swapped for other real stories, for site-learning tests (issue 9).

The markup, furniture and noise are the page's own (``../shared/datasets``); only the
paragraphs of its ground-truth article text are replaced, element by element, with the
paragraphs of another page's ground truth.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from dataclasses import dataclass
from functools import cache

import lxml.html
import pytest

from scraper.clean.encoding import decode_html
from support.site import ROOT

DATASETS = ROOT.parent / "shared" / "datasets"
if not DATASETS.is_dir() and "pytest" in sys.modules:  # a clone without ../shared
    pytest.skip(f"needs the shared real-page data sets in {DATASETS}", allow_module_level=True)
WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True)
class RealPage:
    key: str
    url: str
    html: bytes
    body: str  # the ground-truth article text

    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.split("\n") if p.strip()]


@cache
def truth(dataset: str) -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = json.loads(
        (DATASETS / dataset / "ground-truth.json").read_text(encoding="utf-8"))
    return data


def real_page(dataset: str, key: str) -> RealPage:
    entry = truth(dataset)[key]
    html = gzip.open(DATASETS / dataset / "html" / f"{key}.html.gz", "rb").read()
    return RealPage(key, entry.get("url", ""), html, entry.get("articleBody", ""))


def words(text: str) -> str:
    return " ".join(WORD_RE.findall(text.lower()))


def restory(page: RealPage, story: list[str], extra: dict[str, str] | None = None) -> bytes:
    """The page with its ground-truth paragraphs replaced by story's, in order.

    Story paragraphs beyond the page's go after the last one; page paragraphs beyond the
    story's are removed. ``extra`` replaces other text verbatim (a date line, say).
    """
    root = lxml.html.document_fromstring(decode_html(page.html))
    wanted = {words(p) for p in page.paragraphs()}
    matched = [el for el in root.iter("p", "div", "li", "td", "h2", "h3")
               if words(el.text_content()) in wanted]
    holders = {id(parent) for el in matched for parent in el.iterancestors()}
    slots = [el for el in matched if id(el) not in holders]  # the innermost of each
    for index, el in enumerate(slots):
        for child in list(el):
            el.remove(child)
        if index >= len(story):
            el.drop_tree()
            continue
        el.text = story[index]
        if index == len(slots) - 1:
            for text in reversed(story[index + 1:]):
                added = el.makeelement(el.tag, {})
                added.text = text
                el.addnext(added)
    html = lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")
    for old, new in (extra or {}).items():
        html = html.replace(old, new)
    return html.encode("utf-8")


def stories(dataset: str, count: int, min_paragraphs: int = 4) -> list[list[str]]:
    """The ground-truth paragraphs of the first pages of a set with enough paragraphs."""
    found = []
    for key in sorted(truth(dataset)):
        paras = real_page(dataset, key).paragraphs()
        long_enough = [p for p in paras if len(p.split()) >= 12]
        if len(long_enough) >= min_paragraphs:
            found.append(long_enough[:6])
        if len(found) == count:
            break
    return found
