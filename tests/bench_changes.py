"""Change-detection benchmark: version precision and recall on a synthetic news site.

Run from the repository root (not collected by pytest)::

    .venv/bin/python tests/bench_changes.py [--passes N] [--articles M] [--seed S]
        [--home K] [--no-feed-link]

It builds a site of M articles spread over the five CMS markups of
``tests/sites/cms/`` (WordPress, Next.js CSS-in-JS, Ghost, windows-1251 tables,
"Read also" teasers with embeds), serves it from a local threaded ``http.server``
on 127.0.0.1 that it starts itself, and crawls it N times with
``python -m scraper crawl URL --all`` into a temporary archive. Before every pass
all the noise changes (related and most-read lists, relative times, counters,
nonces, ad slots, cache busters, hashed class names, attribute order, indentation,
modified times on Next.js, utm_* links); from pass 2 on, each article gets one
seeded random real edit with probability 0.35 (headline, a figure, a name, a
sentence, a paragraph removed or added, a correction note, a typo fix, the byline,
a softened quote), and the modified time moves with half of them.

It prints, per markup and in total: version precision (a new version is a true
positive when that article had a real edit in that pass; noise-only passes must
produce none), recall (real edits that produced exactly one version), articles
found (share of the site's articles with a version 1), label accuracy per label
(the edit's label present; ``stealth`` present exactly when the headline or body
changed with no correction note and no new modified time), and wall time.
Targets: precision >= 0.98, recall >= 0.98, articles found >= 0.98.

Discovery is tested harder with ``--home K`` (the home page links only the last K
articles; the feed at ``/feed.xml`` still lists them all) and ``--no-feed-link`` (the
home page names no feed, so only a guess of ``/feed.xml`` finds the others).
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import closing
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from sites.cms import cms

from support.site import ROOT, Site, _handler

EDIT_RATE = 0.35
SHOWS_MODIFIED = ("wordpress", "ghost", "readalso")  # Next.js bumps it on every deploy
FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "LOG_LEVEL=WARNING"]


@dataclass(frozen=True)
class Truth:
    """One real edit: which article, which pass, what labels its version must carry."""

    key: str
    number: int
    kind: str
    labels: frozenset[str]
    stealth: bool


@dataclass
class Tally:
    """What the archive did, per markup and overall."""

    true_pos: Counter[str] = field(default_factory=Counter)
    false_pos: Counter[str] = field(default_factory=Counter)
    edits: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    label_hits: Counter[str] = field(default_factory=Counter)
    label_total: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)
    crawl_seconds: float = 0.0


def build_site(count: int, rng: random.Random) -> list[cms.Article]:
    english = [cms.load_story(name) for name in cms.ENGLISH]
    russian = cms.load_story(cms.CYRILLIC[0])
    articles = []
    for number in range(1, count + 1):
        markup = cms.MARKUPS[(number - 1) % len(cms.MARKUPS)]
        story = russian if markup == "legacy" else english[number % len(english)]
        articles.append(cms.make_article(markup, story, number, rng))
    return articles


def random_edit(article: cms.Article, number: int, rng: random.Random) -> Truth | None:
    """One real edit of a kind the article still has material for, or None."""
    kinds = list(cms.EDITS)
    rng.shuffle(kinds)
    old_modified = article.modified
    for kind in kinds:
        before = article.text()
        labels = cms.EDITS[kind](article, rng)
        if labels is None:
            continue
        if article.markup in SHOWS_MODIFIED and rng.random() < 0.5:
            article.modified = cms.BASE_TIME.format(day=28, hour=number, minute=rng.randint(0, 59))
        text_changed = before[0] != article.headline or before[2] != article.text()[2]
        stealth = (text_changed and kind != "correction" and article.markup != "nextjs"
                   and article.modified == old_modified)
        return Truth(article.key, number, kind, frozenset(labels), stealth)
    return None


def serve() -> tuple[Site, ThreadingHTTPServer]:
    site = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return site, server


def crawl(db: Path, url: str) -> float:
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "scraper", "--db", str(db), "crawl", url,
                             "--all", *FAST], cwd=ROOT, capture_output=True, text=True,
                            timeout=600, check=False)
    if result.returncode != 0:
        raise SystemExit(f"stet crawl failed:\n{result.stderr[-3000:]}")
    return time.monotonic() - started


def new_versions(db: Path, after: int) -> list[tuple[int, str, int, str]]:
    """(id, article path, version, labels JSON) of the versions written since id after."""
    with closing(sqlite3.connect(db)) as conn:
        rows = conn.execute("select v.id, a.url, v.version, coalesce(v.labels, '[]') from "
                            "versions v join articles a on a.id = v.article_id where v.id > ? "
                            "order by v.id", [after]).fetchall()
    return [(vid, urlsplit(url).path, version, labels) for vid, url, version, labels in rows]


def score_pass(tally: Tally, rows: list[tuple[int, str, int, str]], truths: dict[str, Truth],
               markups: dict[str, str], number: int) -> None:
    """Match one pass's new versions against the pass's real edits."""
    seen: set[str] = set()
    for _, path, version, labels in rows:
        markup = markups.get(path, "?")
        if version == 1:
            tally.found[markup] += 1
            continue
        truth = truths.get(path)
        if truth is None or path in seen:
            tally.false_pos[markup] += 1
            tally.misses.append(f"pass {number}: extra version {version} of {path} ({markup})")
            continue
        seen.add(path)
        tally.true_pos[markup] += 1
        score_labels(tally, truth, set(json.loads(labels)))
    for path, truth in truths.items():
        if path not in seen:
            tally.misses.append(f"pass {number}: {truth.kind} edit of {path} "
                                f"({markups[path]}) made no version")


def score_labels(tally: Tally, truth: Truth, labels: set[str]) -> None:
    wrong = [label for label in truth.labels if label not in labels]
    if ("stealth" in labels) != truth.stealth:
        wrong.append(f"stealth={truth.stealth}")
    for label in truth.labels:
        tally.label_total[label] += 1
        tally.label_hits[label] += label not in wrong
    tally.label_total["stealth"] += 1
    tally.label_hits["stealth"] += ("stealth" in labels) == truth.stealth
    if wrong:
        tally.misses.append(f"pass {truth.number}: {truth.kind} edit of {truth.key}: expected "
                            f"{', '.join(wrong)}, got {sorted(labels)}")


def run(passes: int, count: int, seed: int, db: Path, home: int = 0,
        feed_link: bool = True) -> Tally:
    rng = random.Random(seed)
    site, server = serve()
    articles = build_site(count, rng)
    newsroom = cms.Newsroom(site, articles, seed, home, feed_link)
    markups = {a.path: a.markup for a in articles}
    tally, last_id = Tally(), 0
    try:
        for number in range(1, passes + 1):
            truths = {}
            for article in articles if number > 1 else []:
                truth = random_edit(article, number, rng) if rng.random() < EDIT_RATE else None
                if truth is not None:
                    truths[article.path] = truth
                    tally.edits[article.markup] += 1
            newsroom.publish()
            tally.crawl_seconds += crawl(db, site.url("/"))
            rows = new_versions(db, last_id)
            last_id = max([last_id, *(row[0] for row in rows)])
            score_pass(tally, rows, truths, markups, number)
    finally:
        server.shutdown()
        server.server_close()
    return tally


def ratio(part: float, whole: float) -> str:
    return f"{part / whole:.3f}" if whole else "  -  "


def pick(counter: Counter[str], markup: str) -> int:
    return sum(counter.values()) if markup == "total" else counter[markup]


def print_markups(tally: Tally, articles: Counter[str]) -> None:
    print(f"{'markup':<10} {'articles':>8} {'found':>6} {'edits':>6} {'TP':>5} {'FP':>4} "
          f"{'precision':>9} {'recall':>7} {'found%':>7}")
    for markup in [*cms.MARKUPS, "total"]:
        tp, fp = pick(tally.true_pos, markup), pick(tally.false_pos, markup)
        edits, total = pick(tally.edits, markup), pick(articles, markup)
        found = pick(tally.found, markup)
        print(f"{markup:<10} {total:>8} {found:>6} {edits:>6} {tp:>5} {fp:>4} "
              f"{ratio(tp, tp + fp):>9} {ratio(tp, edits):>7} {ratio(found, total):>7}")


def print_report(tally: Tally, articles: Counter[str], args: argparse.Namespace,
                 wall: float) -> None:
    print(f"Stet change detection: {sum(articles.values())} articles x {args.passes} passes, "
          f"seed {args.seed}\n")
    print_markups(tally, articles)
    print(f"\n{'label':<18} {'expected':>8} {'right':>6} {'accuracy':>8}")
    for label in sorted(tally.label_total):
        hits, total = tally.label_hits[label], tally.label_total[label]
        print(f"{label:<18} {total:>8} {hits:>6} {ratio(hits, total):>8}")
    print(f"\nwall time {wall:.1f} s (crawl passes {tally.crawl_seconds:.1f} s)")
    print("targets: precision >= 0.98, recall >= 0.98, articles found >= 0.98")
    for miss in tally.misses:
        print(f"  miss: {miss}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--passes", type=int, default=8)
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--home", type=int, default=0,
                        help="the home page links only the last N articles (the feed, all)")
    parser.add_argument("--no-feed-link", action="store_true",
                        help="the home page names no feed (it is at /feed.xml all the same)")
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        tally = run(args.passes, args.articles, args.seed, Path(folder) / "bench.db",
                    args.home, not args.no_feed_link)
        wall = time.monotonic() - started
        rerun = reextract_archive(Path(folder) / "bench.db")
    articles = Counter(cms.MARKUPS[(n - 1) % len(cms.MARKUPS)]
                       for n in range(1, args.articles + 1))
    print_report(tally, articles, args, wall)
    print(f"\nstet reextract over the archive: {rerun}")


def reextract_archive(db: Path) -> str:
    """Re-run the cleaner over every kept page: its rate, and that no edit appears."""
    from scraper.crawl.reextract import reextract
    from scraper.store import Archive

    archive = Archive(db)
    try:
        before = len(archive.changes(limit=100_000))
        result = reextract(archive)
        after = len(archive.changes(limit=100_000))
    finally:
        archive.close()
    return f"{result.describe()}; edits listed before {before}, after {after}"


if __name__ == "__main__":
    main()
