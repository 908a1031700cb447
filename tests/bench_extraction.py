"""Article-body benchmark: Stet's clean_page against trafilatura, readability, bs4.

Usage::

    .venv/bin/python tests/bench_extraction.py ../shared/datasets/article-extraction
    .venv/bin/python tests/bench_extraction.py DATASET --only stet --worst 10

The metric replicates ``evaluate.py`` of scrapinghub/article-extraction-benchmark
(word-4-gram shingle multisets, per-page TP/FP/FN normalised to sum 1, precision
averaged over pages with tp+fp>0, recall over pages with tp+fn>0, F1 of the
averages). Like the original, tokens are ``\\w+`` and case is kept. Baselines come
from the ``bench`` extra and are skipped with a note when missing. Not collected
by pytest (the file name does not start with ``test_``).
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import importlib.util
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

Extractor = Callable[[str, str], str]
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


def run_stet(html: str, url: str) -> str:
    return str(_stet_module().clean_page(html, url).body)


def run_trafilatura(html: str, url: str) -> str:
    import trafilatura

    text = trafilatura.extract(html, url=url, favor_precision=True, include_comments=False)
    return text or ""


def html_to_text(html: str) -> str:
    """Paragraph-preserving text of an HTML fragment (stand-in for html_text)."""
    return BeautifulSoup(html, "lxml").get_text("\n")


def run_readability(html: str, url: str) -> str:
    from readability import Document

    return html_to_text(Document(html).summary(html_partial=True))


def run_bs4(html: str, url: str) -> str:
    body = BeautifulSoup(html, "lxml").body
    return body.get_text(" ") if body else ""


EXTRACTORS: dict[str, tuple[Extractor, str | None]] = {
    "stet": (run_stet, None),
    "trafilatura": (run_trafilatura, "trafilatura"),
    "readability-lxml": (run_readability, "readability"),
    "beautifulsoup": (run_bs4, None),
}


def load(dataset: Path) -> list[tuple[str, str, str, str]]:
    truth = json.loads((dataset / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key, item in sorted(truth.items()):
        with gzip.open(dataset / "html" / f"{key}.html.gz", "rt", encoding="utf-8") as f:
            pages.append((key, item.get("url", ""), f.read(), item.get("articleBody", "")))
    return pages


def available(module: str | None) -> bool:
    if module is None:
        return True
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def bench(extractors: dict[str, Extractor], pages: list[tuple[str, str, str, str]],
          rounds: int) -> dict[str, tuple[list[TpFpFn], float]]:
    """Score and time every extractor on every page.

    The extractors take turns page by page (and round by round), so a busy machine
    slows them all alike and the pages/s column compares like with like.
    """
    spent = dict.fromkeys(extractors, 0.0)
    preds: dict[str, list[str]] = {name: [] for name in extractors}
    for extract in extractors.values():  # warm up: imports and caches
        extract(pages[0][2], pages[0][1])
    for round_number in range(rounds):
        for _, url, html, _ in pages:
            for name, extract in extractors.items():
                start = time.perf_counter()
                pred = extract(html, url)
                spent[name] += time.perf_counter() - start
                if round_number == 0:
                    preds[name].append(pred)
    return {
        name: ([shingle_matching(truth, pred) for (_, _, _, truth), pred
                in zip(pages, preds[name], strict=True)], rounds * len(pages) / spent[name])
        for name in extractors
    }


Page = tuple[str, str, str, str]


def print_worst(name: str, rows: list[TpFpFn], pages: list[Page], n: int) -> None:
    scored = sorted(
        zip(rows, pages, strict=True), key=lambda rp: min(_precision(*rp[0]), _recall(*rp[0]))
    )
    print(f"\nWorst {n} pages for {name}:")
    for row, (key, url, _, _) in scored[:n]:
        print(f"- P={_precision(*row):.3f} R={_recall(*row):.3f} {key[:12]} {url}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--only", action="append", choices=sorted(EXTRACTORS))
    parser.add_argument("--worst", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=1, help="timing rounds (default 1)")
    args = parser.parse_args(argv)
    pages = load(args.dataset)
    print(f"{len(pages)} pages\n")
    print("| extractor | F1 | precision | recall | pages/s |")
    print("|---|---|---|---|---|")
    notes, chosen = [], {}
    for name in args.only or list(EXTRACTORS):
        extract, module = EXTRACTORS[name]
        if available(module):
            chosen[name] = extract
        else:
            notes.append(f"{name}: skipped, `{module}` not installed (pip install -e '.[bench]')")
    results = bench(chosen, pages, args.rounds)
    worst = []
    for name, (rows, speed) in results.items():
        f1, p, r = metrics(rows)
        print(f"| {name} | {f1:.3f} | {p:.3f} | {r:.3f} | {speed:.1f} |", flush=True)
        worst.append((name, rows))
    for note in notes:
        print(f"\nNote: {note}")
    for name, rows in worst if args.worst else []:
        print_worst(name, rows, pages, args.worst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
