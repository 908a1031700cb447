"""Site-learning benchmark: body precision and recall on real templates, without and with learning.

Run from the repository root (not collected by pytest)::

    .venv/bin/python tests/bench_learning.py [--sets article-extraction,wcxb-dev]
        [--limit N] [--articles M]

Each page of the shared sets (never the WCXB test split) is one site's template: M
articles are made from it by replacing its ground-truth paragraphs with the
paragraphs of other real stories of the wcxb-dev set (``support.realsite.restory``),
so the page's own furniture and noise stay. A page is used only where every one of
its ground-truth paragraphs was found and replaced, and where the single-page cleaner
keeps at least 90% of its words and less than 10% of them once they are swapped out,
so what remains besides the story is the page's furniture. The M articles are then stored one after another into a fresh SQLite
archive as a crawl would store them (``clean_page``, ``Archive.save_page``,
``SiteLearning.observe_page``, the pipeline's steps, in process: each page cleaned with
what was learned so far, furniture and template containers alike).

Printed per set: word precision and recall of the stored bodies against the stories
(bag of words), without learning (the single-page cleaner) and with it (the bodies in
the archive once the M articles are in, learned blocks applied to history), the
templates where something was learned, and story paragraphs lost (must be 0).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from scraper.clean import clean_page
from scraper.model import PageItem
from scraper.store import Archive
from scraper.store.profiles import SiteLearning, learned_blocks
from support.realsite import real_page, restory, stories, truth

WORD_RE = re.compile(r"\w+")
SETS = ("article-extraction", "wcxb-dev")


@dataclass
class Score:
    common: int = 0
    got: int = 0
    want: int = 0

    def add(self, body: str, story: list[str]) -> None:
        got, want = Counter(words(body)), Counter(words(" ".join(story)))
        self.common += sum((got & want).values())
        self.got += sum(got.values())
        self.want += sum(want.values())

    def text(self) -> str:
        precision = self.common / self.got if self.got else 0.0
        recall = self.common / self.want if self.want else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return f"P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}"


@dataclass
class Tally:
    templates: int = 0
    learned: int = 0
    blocks: int = 0
    lost: int = 0
    before: Score = field(default_factory=Score)
    after: Score = field(default_factory=Score)


def words(text: str) -> list[str]:
    return WORD_RE.findall(text.lower())


def usable(dataset: str, key: str) -> bool:
    """Every ground-truth paragraph replaceable, and the cleaner keeps the page's story."""
    page = real_page(dataset, key)
    swapped = restory(page, [f"zqxmarker {n}" for n in range(len(page.paragraphs()))])
    if Counter(words(swapped.decode("utf-8")))["zqxmarker"] != len(page.paragraphs()):
        return False
    score, left = Score(), Score()
    score.add(clean_page(page.html, page.url).body, page.paragraphs())
    left.add(clean_page(swapped, page.url).body, page.paragraphs())  # the story not swapped
    return score.want > 0 and score.common >= 0.9 * score.want and left.common < 0.1 * left.want


def run_template(dataset: str, key: str, texts: list[list[str]], folder: Path,
                 tally: Tally) -> None:
    page = real_page(dataset, key)
    archive = Archive(folder / f"{key}.db")
    learning = SiteLearning(archive)
    for number, story in enumerate(texts):
        html = restory(page, story)
        url = f"https://site-{key}.example/2025/story-number-{number}/"
        tally.before.add(clean_page(html, url).body, story)
        cleaned = clean_page(html, url, profile=learning.profile(key))  # as a crawl cleans
        item = PageItem(url=url, source=key, status=200, body=html,
                        fetched_at=f"2026-12-06T10:{number:02d}:00Z")
        archive.save_page(item, learning.settle(key, cleaned))
        learning.observe_page(key, url, item.fetched_at, cleaned.template)
    for number, story in enumerate(texts):
        article = archive.find_article(f"https://site-{key}.example/2025/story-number-{number}/")
        body = archive.versions(article.id)[-1].body if article is not None else ""
        tally.after.add(body, story)
        base = clean_page(restory(page, story), "").body
        tally.lost += sum(1 for p in story if p in base and p not in body)
    blocks = learned_blocks(archive, key)
    tally.templates += 1
    tally.learned += bool(blocks)
    tally.blocks += len(blocks)
    archive.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--limit", type=int, default=0, help="first N pages of each set")
    parser.add_argument("--articles", type=int, default=5, help="articles per template")
    args = parser.parse_args()
    pool = stories("wcxb-dev", 60)
    started = time.monotonic()
    print(f"{'set':<20} {'templates':>9} {'learned':>7} {'blocks':>6} {'lost':>4}  "
          f"{'single-page cleaner':<26} {'with site learning':<26}")
    with tempfile.TemporaryDirectory() as folder:
        for dataset in args.sets.split(","):
            keys = sorted(truth(dataset))[:args.limit or None]
            tally = Tally()
            for index, key in enumerate(k for k in keys if usable(dataset, k)):
                own = set(real_page(dataset, key).paragraphs())  # never its own story:
                # what the swap leaves of it on the other articles would be furniture
                texts = [s for s in (pool[(index + n) % len(pool)]
                                     for n in range(args.articles + 1))
                         if not own.intersection(s)][:args.articles]
                run_template(dataset, key, texts, Path(folder), tally)
            print(f"{dataset:<20} {tally.templates:>9} {tally.learned:>7} {tally.blocks:>6} "
                  f"{tally.lost:>4}  {tally.before.text():<26} {tally.after.text():<26}")
            sys.stdout.flush()
    print(f"\n{args.articles} articles per template; wall time {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
