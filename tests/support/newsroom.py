"""Realistic raw pages for storage benchmarks and tests: many articles per site template.

The datasets hold at most three pages per site, but a tracker stores hundreds of
articles per template. So each real page of ../shared/datasets serves as one
source's template: its article region (the element holding most paragraph text)
is replaced by the text of other real articles, its title and headline by theirs,
and every fetch adds the noise real sites add (a render time, a CSRF token, a
"most read" box in a new order, view counts). Later versions of an article carry
small edits (a figure, a word, one added paragraph) on top of new noise.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from lxml import etree

DATASETS = Path(__file__).resolve().parents[3] / "shared" / "datasets"


@dataclass(frozen=True)
class Story:
    url: str
    headline: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Fetch:
    source: str
    url: str
    version: int
    html: bytes


def _stories(folder: str) -> list[tuple[str, Story]]:
    truth = json.loads((DATASETS / folder / "ground-truth.json").read_text())
    found = []
    for key in sorted(truth):
        entry = truth[key]
        paragraphs = tuple(p.strip() for p in entry["articleBody"].split("\n") if p.strip())
        headline = entry.get("headline") or paragraphs[0][:80] if paragraphs else key
        if len(paragraphs) >= 4:
            found.append((key, Story(entry["url"], headline, paragraphs)))
    return found


def _region(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The element whose own <p> children hold the most text: the article body."""
    best, best_length = root, -1
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        length = sum(len(p.text_content()) for p in element if p.tag == "p")
        if length > best_length:
            best, best_length = element, length
    return best


class Template:
    """One source's page layout, from a real page."""

    def __init__(self, html: bytes, story: Story) -> None:
        self.story = story
        self.root = lxml.html.fromstring(html)
        etree.strip_elements(self.root, etree.Comment, with_tail=False)

    def render(self, story: Story, paragraphs: list[str], noise: random.Random) -> bytes:
        root = self.root.__copy__()
        region = _region(root)
        for child in [c for c in region if c.tag == "p"]:
            region.remove(child)
        for text in paragraphs:
            para = etree.SubElement(region, "p")
            para.text = text
        for element in root.iter("title", "h1"):
            element.text = story.headline
        body = root.find("body")
        if body is not None:
            body.append(self._related(story))
            body.append(self._noise(noise))
        html = lxml.html.tostring(root, encoding="utf-8", doctype="<!DOCTYPE html>")
        return html.replace(self.story.url.encode(), story.url.encode())

    @staticmethod
    def _related(story: Story) -> lxml.html.HtmlElement:
        """What differs per article beside its text: JSON-LD and links to other stories."""
        data = json.dumps({"@type": "NewsArticle", "headline": story.headline, "url": story.url,
                           "articleBody": "\n".join(story.paragraphs)})
        seed = int(hashlib.sha256(story.url.encode()).hexdigest()[:8], 16)
        links = "".join(f'<li><a href="/{seed % (n + 7)}/story-{seed % 997 + n}">Related '
                        f"story {seed % (n + 11)}</a></li>" for n in range(6))
        return lxml.html.fromstring(
            f'<div class="related"><script type="application/ld+json">{data}</script>'
            f"<ul>{links}</ul></div>")

    @staticmethod
    def _noise(rng: random.Random) -> lxml.html.HtmlElement:
        titles = [f"Most read story number {n}" for n in range(8)]
        rng.shuffle(titles)
        items = "".join(f'<li><a href="/read/{rng.randrange(10**6)}">{t}</a> '
                        f"<span>{rng.randrange(10**5):,} views</span></li>" for t in titles[:5])
        token = hashlib.sha256(str(rng.random()).encode()).hexdigest()
        return lxml.html.fromstring(
            f'<div class="noise"><meta name="csrf-token" content="{token}">'
            f'<ol class="most-read">{items}</ol><time>{rng.randrange(10**9)}</time>'
            f'<script>window.__RENDER__={{"t":{rng.randrange(10**12)},'
            f'"nonce":"{token[:16]}"}}</script></div>')


def _edit(paragraphs: list[str], rng: random.Random, extra: str) -> list[str]:
    edited = list(paragraphs)
    index = rng.randrange(len(edited))
    words = edited[index].split()
    words[rng.randrange(len(words))] = str(rng.randrange(2, 999))
    edited[index] = " ".join(words)
    if rng.random() < 0.5:
        edited.insert(rng.randrange(len(edited) + 1), extra)
    return edited


def newsroom(sources: int = 10, articles: int = 30, edited_every: int = 3,
             edits: int = 2, seed: int = 10) -> Iterator[Fetch]:
    """Fetches of `articles` stories on each of `sources` real templates, in crawl order.

    Every article gets a first version; every `edited_every`-th one is then edited
    `edits` times (each a new version, with new noise).
    """
    rng = random.Random(seed)
    pages = _stories("article-extraction") + _stories("wcxb-dev")
    folders = {"article-extraction": 0, "wcxb-dev": 0}
    chosen = pages[:: max(len(pages) // sources, 1)][:sources]
    texts = [story for _, story in pages if story not in {s for _, s in chosen}]
    for number, (key, story) in enumerate(chosen):
        folder = next(f for f in folders if (DATASETS / f / "html" / f"{key}.html.gz").exists())
        html = gzip.open(DATASETS / folder / "html" / f"{key}.html.gz").read()
        template, source = Template(html, story), f"source{number}"
        later = []  # edits come on later passes, after the first pass stored every article
        for index in range(articles):
            text = texts[(number * articles + index) % len(texts)]
            url = f"{story.url.rstrip('/')}-{index}"
            current = list(text.paragraphs)
            mine = Story(url, text.headline, tuple(current))
            yield Fetch(source, url, 1, template.render(mine, current, rng))
            for version in range(2, edits + 2) if index % edited_every == 0 else ():
                current = _edit(current, rng, texts[rng.randrange(len(texts))].paragraphs[0])
                later.append(Fetch(source, url, version, template.render(mine, current, rng)))
        yield from sorted(later, key=lambda fetch: fetch.version)
