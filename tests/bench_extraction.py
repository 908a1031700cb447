"""Article-body benchmark: Stet's clean_page against trafilatura and readability-lxml.

Usage::

    .venv/bin/python tests/bench_extraction.py ../shared/datasets/article-extraction
    .venv/bin/python tests/bench_extraction.py ../shared/datasets/wcxb-dev
    .venv/bin/python tests/bench_extraction.py DATASET --only stet --worst 10
    .venv/bin/python tests/bench_extraction.py DATASET --profile 25  # Stet's hot spots

Either shared set works (both have ``ground-truth.json`` with ``articleBody`` and
``url``; WCXB also has ``headline``). Tune on ``wcxb-dev`` only: WCXB's test split
is held out. Columns: body F1/precision/recall, headline exact match (where the
truth has headlines; white space, Unicode compatibility forms and typographic quotes
and dashes normalised), pages
with an empty body, pages/s.

The metric replicates ``evaluate.py`` of scrapinghub/article-extraction-benchmark
(word-4-gram shingle multisets, per-page TP/FP/FN normalised to sum 1, precision
averaged over pages with tp+fp>0, recall over pages with tp+fn>0, F1 of the
averages). Like the original, tokens are ``\\w+`` and case is kept. Baselines come
from the ``bench`` extra and are skipped with a note when missing. Not collected
by pytest (the file name does not start with ``test_``).
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import importlib
import importlib.util
import json
import pstats
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

Extractor = Callable[[str, str], "Extracted"]
TpFpFn = tuple[float, float, float]
_TOKEN_RE = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)


def _ngrams(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN_RE.findall(text or "")
    grams = (tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))
    return Counter(g for g in grams if g)


def shingle_matching(true: str, pred: str) -> TpFpFn:
    """TP/FP/FN over shingle multisets, normalised so each page weighs the same."""
    t, p = _ngrams(true), _ngrams(pred)
    tp = float(sum((t & p).values()))
    fp = float(sum((p - t).values()))
    fn = float(sum((t - p).values()))
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s > 0 else (tp, fp, fn)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def metrics(rows: list[TpFpFn]) -> tuple[float, float, float]:
    """(f1, precision, recall) exactly as the Zyte benchmark computes them."""
    precision = statistics.mean([_precision(*r) for r in rows if r[0] + r[1] > 0])
    recall = statistics.mean([_recall(*r) for r in rows if r[0] + r[2] > 0])
    return 2 * precision * recall / (precision + recall), precision, recall


def _stet_module() -> Any:
    """scraper.clean, also when the project is not pip-installed (no sys.path edits)."""
    try:
        return importlib.import_module("scraper.clean")
    except ImportError:
        package = Path(__file__).resolve().parent.parent / "scraper"
        spec = importlib.util.spec_from_file_location(
            "scraper", package / "__init__.py", submodule_search_locations=[str(package)]
        )
        assert spec and spec.loader
        sys.modules["scraper"] = module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return importlib.import_module("scraper.clean")


@dataclass(frozen=True)
class Extracted:
    body: str
    headline: str = ""


def run_stet(html: str, url: str) -> Extracted:
    page = _stet_module().clean_page(html, url)
    return Extracted(str(page.body), str(page.headline))


def _trafilatura(html: str, url: str, precision: bool) -> Extracted:
    import trafilatura

    text = trafilatura.extract(html, url=url, favor_precision=precision, include_comments=False)
    return Extracted(text or "", _trafilatura_title(html, url))


def _trafilatura_title(html: str, url: str) -> str:
    # The metadata pass is separate: extract(with_metadata=True) changes the body text.
    import trafilatura

    meta = trafilatura.extract_metadata(html, default_url=url)
    return (meta.title or "") if meta else ""


def run_trafilatura(html: str, url: str) -> Extracted:
    return _trafilatura(html, url, precision=False)


def run_trafilatura_precision(html: str, url: str) -> Extracted:
    return _trafilatura(html, url, precision=True)


def html_to_text(html: str) -> str:
    """Paragraph-preserving text of an HTML fragment (stand-in for html_text)."""
    return BeautifulSoup(html, "lxml").get_text("\n")


def run_readability(html: str, url: str) -> Extracted:
    from readability import Document

    doc = Document(html)
    return Extracted(html_to_text(doc.summary(html_partial=True)), doc.short_title())


def run_bs4(html: str, url: str) -> Extracted:
    body = BeautifulSoup(html, "lxml").body
    return Extracted(body.get_text(" ") if body else "")


EXTRACTORS: dict[str, tuple[Extractor, str | None]] = {
    "stet": (run_stet, None),
    "trafilatura": (run_trafilatura, "trafilatura"),
    "trafilatura-precision": (run_trafilatura_precision, "trafilatura"),
    "readability-lxml": (run_readability, "readability"),
    "beautifulsoup": (run_bs4, None),
}
DEFAULT = ("stet", "trafilatura", "trafilatura-precision", "readability-lxml")


@dataclass(frozen=True)
class Page:
    key: str
    url: str
    html: str
    body: str
    headline: str | None  # None: the set's truth has no headlines


def load(dataset: Path) -> list[Page]:
    truth = json.loads((dataset / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key, item in sorted(truth.items()):
        with gzip.open(dataset / "html" / f"{key}.html.gz", "rt", encoding="utf-8") as f:
            pages.append(Page(key, item.get("url", ""), f.read(), item.get("articleBody", ""),
                              item.get("headline")))
    return pages


def available(module: str | None) -> bool:
    if module is None:
        return True
    try:
        __import__(module)
    except ImportError:
        return False
    return True


@dataclass(frozen=True)
class Result:
    rows: list[TpFpFn]
    outputs: list[Extracted]
    speed: float


def bench(extractors: dict[str, Extractor], pages: list[Page], rounds: int) -> dict[str, Result]:
    """Score and time every extractor on every page.

    The extractors take turns page by page (and round by round), so a busy machine
    slows them all alike and the pages/s column compares like with like. Only the
    body extraction is timed (plus the headline where it comes from the same call).
    """
    spent = dict.fromkeys(extractors, 0.0)
    outputs: dict[str, list[Extracted]] = {name: [] for name in extractors}
    for extract in extractors.values():  # warm up: imports and caches
        extract(pages[0].html, pages[0].url)
    for round_number in range(rounds):
        for page in pages:
            for name, extract in extractors.items():
                start = time.perf_counter()
                out = extract(page.html, page.url)
                spent[name] += time.perf_counter() - start
                if round_number == 0:
                    title = TITLES.get(name)
                    if title is not None and page.headline is not None:
                        out = Extracted(out.body, title(page.html, page.url))
                    outputs[name].append(out)
    return {
        name: Result([shingle_matching(page.body, out.body) for page, out
                      in zip(pages, outputs[name], strict=True)],
                     outputs[name], rounds * len(pages) / spent[name])
        for name in extractors
    }


# Extractors whose headline needs a separate (untimed) call.
TITLES: dict[str, Callable[[str, str], str]] = {
    "trafilatura": _trafilatura_title, "trafilatura-precision": _trafilatura_title,
}


# Typographic quotes and dashes count as their ASCII forms: the WCXB truth writes
# "FDA's" where the page shows "FDA’s", and both are the same headline to a reader.
_TYPOGRAPHIC = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def norm_title(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text or "").translate(_TYPOGRAPHIC).split())


def headline_score(pages: list[Page], outputs: list[Extracted]) -> str:
    pairs = [(p.headline, o.headline) for p, o in zip(pages, outputs, strict=True)
             if p.headline is not None]
    if not pairs:
        return "n/a"
    return f"{sum(norm_title(t) == norm_title(g) for t, g in pairs) / len(pairs):.3f}"


def empty(outputs: list[Extracted]) -> int:
    return sum(not _TOKEN_RE.search(o.body) for o in outputs)


def print_worst(name: str, result: Result, pages: list[Page], n: int) -> None:
    scored = sorted(zip(result.rows, pages, result.outputs, strict=True),
                    key=lambda rp: min(_precision(*rp[0]), _recall(*rp[0])))
    print(f"\nWorst {n} pages for {name}:")
    for row, page, out in scored[:n]:
        words = len(_TOKEN_RE.findall(out.body))
        print(f"- P={_precision(*row):.3f} R={_recall(*row):.3f} {words:>5} words"
              f" {page.key[:12]} {page.url}")
    wrong = [(p, o) for p, o in zip(pages, result.outputs, strict=True)
             if p.headline is not None and norm_title(p.headline) != norm_title(o.headline)]
    for page, out in wrong[:n]:
        print(f"- headline {page.key[:12]}: {out.headline!r} (truth {page.headline!r})")


def print_table(results: dict[str, Result], pages: list[Page]) -> None:
    print("| extractor | F1 | precision | recall | headline exact | empty | pages/s |")
    print("|---|---|---|---|---|---|---|")
    for name, result in results.items():
        f1, p, r = metrics(result.rows)
        print(f"| {name} | {f1:.3f} | {p:.3f} | {r:.3f} | {headline_score(pages, result.outputs)}"
              f" | {empty(result.outputs)} | {result.speed:.1f} |", flush=True)


def profile_stet(pages: list[Page], top: int) -> None:
    """Where Stet's time goes: cProfile over clean_page on every page, its ``top``
    functions by own time (cProfile slows Python code more than C: proportions only)."""
    run_stet(pages[0].html, pages[0].url)  # imports and caches
    profiler = cProfile.Profile()
    profiler.runcall(lambda: [run_stet(page.html, page.url) for page in pages])
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--only", action="append", choices=sorted(EXTRACTORS))
    parser.add_argument("--worst", type=int, default=0, help="list the N worst pages")
    parser.add_argument("--rounds", type=int, default=1, help="timing rounds (default 1)")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="profile Stet alone: its N costliest functions, no scores")
    args = parser.parse_args(argv)
    pages = load(args.dataset)
    print(f"{args.dataset.name}: {len(pages)} pages\n")
    if args.profile:
        profile_stet(pages, args.profile)
        return 0
    notes, chosen = [], {}
    for name in args.only or DEFAULT:
        extract, module = EXTRACTORS[name]
        if available(module):
            chosen[name] = extract
        else:
            notes.append(f"{name}: skipped, `{module}` not installed (pip install -e '.[bench]')")
    results = bench(chosen, pages, args.rounds)
    print_table(results, pages)
    for note in notes:
        print(f"\nNote: {note}")
    for name, result in results.items() if args.worst else []:
        print_worst(name, result, pages, args.worst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
