"""Change-detection benchmark on real pages: version precision and recall, per set and kind.

Run from the repository root (not collected by pytest)::

    .venv/bin/python tests/bench_realchanges.py [--sets article-extraction,wcxb-dev]
        [--limit N] [--rounds R] [--seed S] [--rate P] [--worst]

Every page of the shared data sets (``../shared/datasets/article-extraction`` and the
``wcxb-dev`` development split; never the WCXB test split) is served at its own real URL,
over http, through a local proxy that the script starts (``support.realpages``): each real
host is one source with a home page, a feed, robots.txt and a sitemap listing its pages,
and nothing leaves the machine. A page at its site's root is that site's home page, where
the crawl starts, not an article: it is left out (and named in the report). The script then crawls R + 1 times with
``python -m scraper crawl HOME... --all`` into a temporary archive:

- before the first pass, pages that will get a typo fix later get the typo;
- before each later pass, each page gets one real edit with probability P (0.4), made to
  the ground-truth article text inside its HTML: a typo fixed, a number changed, a
  sentence added, a paragraph removed, the headline reworded (``<title>``, ``og:title``,
  ``<h1>`` and JSON-LD alike), a correction appended;
- before every pass, every page gets fresh noise of every kind outside the story text
  (link lists and teasers rotated; dates, times and counters changed; attributes
  reordered; script and style contents and hashed CSS classes changed; comments added;
  white space moved) and one story paragraph split by ``<br><br>`` (same words).

Scored from the archive (fetch outcomes and version rows): precision (a pass that says
a page changed -- a new version or a return to an older one -- is right when the page
had a real edit), recall (real edits that produced a change), label accuracy (the
edit's labels among the version's labels), found (pages with a version 1). A false change
is replayed in process with one kind of noise at a time to name the kinds behind it; a
missed edit is checked in process to tell extraction (the edited text is not in what the
cleaner keeps) from storing. ``--worst`` lists every failure. Targets (issue 9):
precision >= 0.99 and recall >= 0.99 on all pages of both sets.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from scraper.clean import clean_page
from scraper.store.normalize import text_hash
from scraper.urls import canonicalize_url
from support.realdoc import parse
from support.realedits import EDIT_KINDS, EDIT_LABELS, EDITS, Change, edit_typo_seed, replace_text
from support.realnoise import NOISE_KINDS, add_noise
from support.realpages import (
    SETS,
    ProxySite,
    RealPage,
    host_pages,
    load_pages,
    proxy_env,
    with_siblings,
)
from support.realsite import stories
from support.site import ROOT

FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "LOG_LEVEL=WARNING",
        "-s", "STET_ALLOW_PRIVATE=True", "-s", "STET_MAX_NEW_ARTICLES=100000",
        "-s", "CONCURRENT_REQUESTS=32"]


@dataclass
class Plan:
    """What happens to one page: its edit per round, its typo, and what was served."""

    page: RealPage
    edits: dict[int, str] = field(default_factory=dict)  # round -> edit kind
    typo_fix: Change | None = None
    served: dict[int, str] = field(default_factory=dict)  # round -> HTML (last two kept)
    noise: set[str] = field(default_factory=set)  # kinds that changed the page this round
    found: bool = False
    pending: str = ""  # an edit not yet seen (its pass errored)


@dataclass
class Tally:
    pages: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    edits: Counter[str] = field(default_factory=Counter)  # by set and by edit kind
    caught: Counter[str] = field(default_factory=Counter)
    false: Counter[str] = field(default_factory=Counter)  # by set
    errors: Counter[str] = field(default_factory=Counter)
    labels: Counter[str] = field(default_factory=Counter)
    labels_right: Counter[str] = field(default_factory=Counter)
    noise_applied: Counter[str] = field(default_factory=Counter)
    noise_false: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    home_pages: list[str] = field(default_factory=list)  # left out: see run()
    causes: Counter[str] = field(default_factory=Counter)
    crawl_seconds: float = 0.0


def make_plans(pages: list[RealPage], rounds: int, rate: float, seed: int) -> list[Plan]:
    plans = []
    for page in pages:
        rng = random.Random(f"{seed}:{page.key}:plan")
        plan = Plan(page)
        for number in range(1, rounds + 1):
            if rng.random() < rate:
                kinds = [k for k in EDIT_KINDS if k != "typo" or "typo" not in
                         plan.edits.values()]
                plan.edits[number] = rng.choice(kinds)
        if "typo" in plan.edits.values():
            pair = edit_typo_seed(page.doc, rng)
            if pair is None:
                plan.edits = {n: k for n, k in plan.edits.items() if k != "typo"}
            else:
                set_html(page, replace_text(page.doc, pair[0]))
                plan.typo_fix = pair[1]
        plans.append(plan)
    return plans


def set_html(page: RealPage, source: str) -> None:
    page.doc = parse(source, page.story)


def apply_edit(plan: Plan, number: int, seed: int) -> str:
    """Make this round's planned edit (or another kind the page has material for)."""
    kind = plan.edits.get(number)
    if kind is None:
        return ""
    if kind == "typo" and plan.typo_fix is not None:
        set_html(plan.page, replace_text(plan.page.doc, plan.typo_fix))
        return kind
    rng = random.Random(f"{seed}:{plan.page.key}:{number}")
    kinds = [kind, *rng.sample(list(EDITS), len(EDITS))]
    for candidate in dict.fromkeys(kinds):
        if candidate not in EDITS:
            continue
        changed = EDITS[candidate](plan.page.doc, rng)
        if changed is not None and changed != plan.page.doc.html:
            set_html(plan.page, changed)
            plan.edits[number] = candidate
            return candidate
    del plan.edits[number]
    return ""


def publish(site: ProxySite, plans: list[Plan], number: int, seed: int,
            tally: Tally) -> None:
    pages: dict[str, bytes] = {}
    hosts: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for plan in plans:
        page = plan.page
        served, plan.noise = add_noise(page.doc, dict.fromkeys(NOISE_KINDS, number),
                                       f"{seed}:{page.key}")
        plan.served[number] = served
        plan.served.pop(number - 2, None)
        body = served.encode("utf-8")
        for url in (page.url, *page.aliases):
            pages[canonicalize_url(url)] = body
        hosts[page.host].append((page.url, page.headline))
        if number > 0:
            for kind in plan.noise:
                tally.noise_applied[kind] += 1
    for host, articles in hosts.items():
        pages.update(host_pages(host, articles))
    site.publish(pages)


def crawl(db: Path, plans: list[Plan], site: ProxySite) -> float:
    homes = sorted({f"http://{plan.page.host}/" for plan in plans})
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "scraper", "--db", str(db), "crawl", *homes,
                             "--all", *FAST], cwd=ROOT, capture_output=True, text=True,
                            timeout=3600, check=False, env=proxy_env(dict(os.environ),
                                                                     site.proxy))
    if result.returncode != 0:
        raise SystemExit(f"stet crawl failed:\n{result.stderr[-3000:]}")
    if site.hits == 0:
        raise SystemExit("the crawl did not go through the local proxy")
    return time.monotonic() - started


@dataclass(frozen=True)
class Seen:
    """What one pass did to one page."""

    outcome: str
    labels: frozenset[str] | None  # of the new version row, when one was written
    version: int | None


def read_pass(db: Path, after: tuple[int, int], urls: dict[str, Plan]
              ) -> tuple[dict[str, Seen], tuple[int, int]]:
    """Per page key, the outcome of this pass's fetch and the new version's labels."""
    with closing(sqlite3.connect(db)) as conn:
        fetches = conn.execute(
            "select f.id, coalesce(a.url, f.url), f.outcome, f.version from fetches f left "
            "join articles a on a.id = f.article_id where f.id > ? order by f.id",
            [after[0]]).fetchall()
        versions = conn.execute(
            "select v.id, a.url, v.version, coalesce(v.labels, '[]') from versions v join "
            "articles a on a.id = v.article_id where v.id > ?", [after[1]]).fetchall()
    labels = {(url, version): frozenset(json.loads(names)) for _, url, version, names in versions}
    seen: dict[str, Seen] = {}
    for _, url, outcome, version in fetches:
        plan = urls.get(canonicalize_url(url))
        if plan is not None:
            seen[plan.page.key] = Seen(outcome, labels.get((url, version)), version)
    last = (max([after[0], *(row[0] for row in fetches)]),
            max([after[1], *(row[0] for row in versions)]))
    return seen, last


def clean_hash(page: RealPage, source: str) -> str:
    found = clean_page(source.encode("utf-8"), page.url)
    return text_hash(found.headline, found.byline, found.body)


def blame(plan: Plan, number: int, seed: int) -> list[str]:
    """The noise kinds that alone change the cleaned text between rounds number-1 and number."""
    page = plan.page
    before = clean_hash(page, plan.served[number - 1])
    if clean_hash(page, plan.served[number]) == before:
        return ["(not in process)"]
    found = []
    for kind in NOISE_KINDS:
        rounds = dict.fromkeys(NOISE_KINDS, number - 1) | {kind: number}
        served, _ = add_noise(page.doc, rounds, f"{seed}:{page.key}")
        if clean_hash(page, served) != before:
            found.append(kind)
    return found or ["(combined)"]


def text_diff(db: Path, plan: Plan, version: int | None) -> str:
    """A short word diff of the stored version against the one it replaced."""
    if version is None:
        return ""
    marks = ",".join("?" * (1 + len(plan.page.aliases)))
    with closing(sqlite3.connect(db)) as conn:
        rows = conn.execute(
            "select v.version, v.headline || ' | ' || v.byline || ' | ' || v.body from versions "
            f"v join articles a on a.id = v.article_id where a.url in ({marks}) and v.version "
            "in (?, (select diff_from from versions w where w.article_id = v.article_id and "
            "w.version = ?)) order by v.version",
            [plan.page.url, *plan.page.aliases, version, version]).fetchall()
    if len(rows) != 2:
        return ""
    old, new = rows[0][1].split(), rows[1][1].split()
    parts = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, old, new, autojunk=False
                                                       ).get_opcodes():
        if op != "equal":
            parts.append(f"[-{' '.join(old[a1:a2])[:80]}-][+{' '.join(new[b1:b2])[:80]}+]")
    return " ".join(parts)[:300]


def score(db: Path, tally: Tally, plans: list[Plan], seen: dict[str, Seen], number: int,
          seed: int, edits: dict[str, str]) -> None:
    for plan in plans:
        key, group = plan.page.key, plan.page.key.split("/")[0]
        got = seen.get(key)
        if number == 0:
            plan.found = got is not None and got.outcome == "new"
            tally.found[group] += plan.found
            if not plan.found:
                tally.failures.append(f"round 0: {key} ({plan.page.url}) not archived: "
                                      f"{got.outcome if got else 'never fetched'}")
            continue
        if not plan.found:
            continue
        edit = edits.get(key, "") or plan.pending
        outcome = got.outcome if got else "missing"
        if outcome in ("error", "missing"):
            tally.errors[group] += 1
            plan.pending = edit
            continue
        plan.pending = ""
        if edit:
            score_edit(db, tally, plan, got, number, edit)
        elif outcome == "changed":
            kinds = blame(plan, number, seed)
            tally.false[group] += 1
            for kind in kinds:
                tally.noise_false[kind] += 1
            diff = text_diff(db, plan, got.version if got else None)
            tally.failures.append(f"round {number}: false change of {key} ({plan.page.url}) "
                                  f"noise {'+'.join(kinds)}: {diff}")


def score_edit(db: Path, tally: Tally, plan: Plan, got: Seen | None, number: int,
               edit: str) -> None:
    key, group = plan.page.key, plan.page.key.split("/")[0]
    tally.edits[group] += 1
    tally.edits[edit] += 1
    if got is None or got.outcome != "changed":
        same = clean_hash(plan.page, plan.served[number - 1]) == clean_hash(
            plan.page, plan.served[number])
        cause = "extraction: edited text not kept" if same else "store: change not seen"
        tally.causes[cause] += 1
        tally.failures.append(f"round {number}: {edit} edit of {key} ({plan.page.url}) made "
                              f"no version ({cause})")
        return
    tally.caught[group] += 1
    tally.caught[edit] += 1
    if got.labels is None:
        return
    for label in EDIT_LABELS[edit]:
        tally.labels[label] += 1
        tally.labels_right[label] += label in got.labels
    wrong = EDIT_LABELS[edit] - got.labels
    if wrong:
        tally.failures.append(f"round {number}: {edit} edit of {key}: labels {sorted(got.labels)}"
                              f" lack {sorted(wrong)} ({text_diff(db, plan, got.version)})")


def run(args: argparse.Namespace, db: Path) -> tuple[Tally, list[Plan]]:
    started = time.monotonic()
    pages = load_pages(args.sets, args.limit)
    wanted = set(args.pages.split(",")) if args.pages else set()
    only = {p.key for p in pages if p.key in wanted or p.key.split("/", 1)[1] in wanted}
    if args.articles > 1:  # a page keeps the siblings it has in the whole run
        pages = with_siblings(pages, args.articles, stories("wcxb-dev", 80),
                              only if args.pages else None)
    elif args.pages:  # edits and noise are seeded per page: a failure replays alone
        pages = [p for p in pages if p.key in only]
    # A page at its site's root is that site's home page: where a crawl starts and the
    # index ``host_pages`` serves, not an article (wcxb-dev 4245 and 4450 say og:type
    # website). Stet tracks what a home page lists, never the home page itself.
    home_pages = [p.key for p in pages if p.at_root]
    pages = [p for p in pages if not p.at_root]
    plans = make_plans(pages, args.rounds, args.rate, args.seed)
    urls = {canonicalize_url(u): p for p in plans for u in (p.page.url, *p.page.aliases)}
    tally = Tally(pages=Counter(p.page.key.split("/")[0] for p in plans), home_pages=home_pages)
    print(f"{len(plans)} pages ready in {time.monotonic() - started:.0f} s", file=sys.stderr)
    site, last = ProxySite(), (0, 0)
    try:
        for number in range(args.rounds + 1):
            edits = {}
            for plan in plans if number else []:
                kind = apply_edit(plan, number, args.seed)
                if kind:
                    edits[plan.page.key] = kind
            publish(site, plans, number, args.seed, tally)
            tally.crawl_seconds += crawl(db, plans, site)
            seen, last = read_pass(db, last, urls)
            score(db, tally, plans, seen, number, args.seed, edits)
            print(f"round {number}: {len(edits)} edits, {len(seen)} fetches, "
                  f"{time.monotonic() - started:.0f} s", file=sys.stderr)
    finally:
        site.close()
    return tally, plans


def ratio(part: float, whole: float) -> str:
    return f"{part / whole:.3f}" if whole else "  -  "


def print_report(tally: Tally, args: argparse.Namespace, wall: float) -> None:
    total = sum(tally.pages.values())
    per = f", {args.articles} articles per template" if args.articles > 1 else ""
    print(f"Stet change detection on real pages{per}: {total} pages x {args.rounds} rounds "
          f"(edit rate {args.rate}), seed {args.seed}, limit {args.limit or 'none'}")
    print(f"left out: {len(tally.home_pages)} pages that are their site's home page "
          f"({', '.join(tally.home_pages) or '-'})\n")
    print(f"{'set':<20} {'pages':>5} {'found':>5} {'edits':>5} {'caught':>6} {'false':>5} "
          f"{'errors':>6} {'precision':>9} {'recall':>6}")
    for group in [*args.sets, "total"]:
        def pick(counter: Counter[str], g: str = group) -> int:
            return sum(counter[s] for s in args.sets) if g == "total" else counter[g]
        caught, false, edits = pick(tally.caught), pick(tally.false), pick(tally.edits)
        print(f"{group:<20} {pick(tally.pages):>5} {pick(tally.found):>5} {edits:>5} "
              f"{caught:>6} {false:>5} {pick(tally.errors):>6} "
              f"{ratio(caught, caught + false):>9} {ratio(caught, edits):>6}")
    print(f"\n{'edit kind':<20} {'edits':>5} {'caught':>6} {'recall':>6}  labels expected/right")
    for kind in EDIT_KINDS:
        labels = ", ".join(f"{label} {tally.labels_right[label]}/{tally.labels[label]}"
                           for label in sorted(EDIT_LABELS[kind]))
        print(f"{kind:<20} {tally.edits[kind]:>5} {tally.caught[kind]:>6} "
              f"{ratio(tally.caught[kind], tally.edits[kind]):>6}  {labels}")
    print(f"\n{'noise kind':<20} {'page-rounds':>11} {'false changes it alone causes':>30}")
    for kind in [*NOISE_KINDS, "(combined)", "(not in process)"]:
        print(f"{kind:<20} {tally.noise_applied[kind]:>11} {tally.noise_false[kind]:>30}")
    hits = sum(tally.labels_right.values())
    print(f"\nlabel accuracy {ratio(hits, sum(tally.labels.values()))}; missed edits by cause: "
          f"{dict(tally.causes) or '-'}")
    print(f"wall time {wall:.0f} s (crawl passes {tally.crawl_seconds:.0f} s)")
    print("targets: precision >= 0.99, recall >= 0.99")
    if args.worst:
        for failure in tally.failures:
            print(f"  {failure}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", default=",".join(SETS),
                        type=lambda text: [s for s in text.split(",") if s])
    parser.add_argument("--limit", type=int, default=0, help="first N pages of each set")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rate", type=float, default=0.4, help="share of pages edited a round")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--worst", action="store_true", help="list every failure")
    parser.add_argument("--pages", default="",
                        help="only these pages, by id or set/id, comma-separated "
                             "(e.g. 0041,article-extraction/57e2e988...); with --articles, "
                             "give the run's --sets and --limit too (they choose the siblings)")
    parser.add_argument("--db", default="", help="keep the archive in this (new) file")
    parser.add_argument("--articles", type=int, default=1,
                        help="articles per real template (its story swapped for others'), so "
                             "that each site has pages to learn from")
    args = parser.parse_args()
    unknown = [s for s in args.sets if s not in SETS]
    if unknown:
        parser.error(f"unknown set {unknown[0]!r}: choose from {', '.join(SETS)}")
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        tally, _ = run(args, Path(args.db) if args.db else Path(folder) / "bench.db")
    print_report(tally, args, time.monotonic() - started)


if __name__ == "__main__":
    main()
