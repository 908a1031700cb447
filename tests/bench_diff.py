"""Time diff_versions + summarize + render_text on two ~10,000-word versions.

Usage: .venv/bin/python tests/bench_diff.py [RUNS]

The versions are built from a seeded random generator, so every run diffs the
same texts: ~150 paragraphs with scattered edits (changed figures, reworded
sentences, a moved paragraph, paragraphs added and removed).  The baseline,
measured in the same run, is plain difflib.ndiff over the whole body split
into words.  Not collected by pytest (the name does not start with test_).
"""

from __future__ import annotations

import difflib
import random
import statistics
import sys
import time
from collections.abc import Callable

from scraper.diff import DiffSummary, Text, diff_versions, render_text, split_paragraphs, summarize

SUBJECTS = ["The minister", "Officials", "The council", "Residents", "Zelensky", "The agency"]
VERBS = ["said", "announced", "warned", "confirmed", "denied", "estimated"]
OBJECTS = [
    "that {n} people had been evacuated from the flooded district",
    "the plan would cost about {n} million euros over {m} years",
    "talks with European partners would resume on Sept. {m}",
    "the new production line could assemble {n} drones a month",
    "an inquiry into the collapse would report by the end of the year",
    "the bridge had been closed to traffic for {m} days",
]
TAILS = ["", " on Tuesday", ", according to a statement", " in Kyiv", ", citing local media"]


def sentence(rnd: random.Random) -> str:
    obj = rnd.choice(OBJECTS).format(n=rnd.randint(2, 900), m=rnd.randint(1, 28))
    return f"{rnd.choice(SUBJECTS)} {rnd.choice(VERBS)} {obj}{rnd.choice(TAILS)}."


def paragraph(rnd: random.Random) -> str:
    return " ".join(sentence(rnd) for _ in range(rnd.randint(3, 6)))


def versions(seed: int = 5) -> tuple[Text, Text]:
    """Two versions of a ~10,000-word article with scattered edits."""
    rnd = random.Random(seed)
    old = [paragraph(rnd) for _ in range(150)]
    new = list(old)
    for k in rnd.sample(range(150), 12):  # changed figures
        new[k] = new[k].replace(" people", "0 people", 1).replace(" days", "1 days", 1)
    for k in rnd.sample(range(150), 8):  # a reworded sentence
        first, _, rest = new[k].partition(". ")
        new[k] = f"{sentence(rnd)[:-1]}. {rest}"
    new.insert(120, new.pop(30))  # a moved paragraph
    del new[75], new[20]  # removed paragraphs
    new[60:60] = [paragraph(rnd), paragraph(rnd)]  # added paragraphs
    headline = "Officials confirm evacuation as river rises"
    return (
        Text(headline, "By Staff", "\n\n".join(old), "2025-09-05T10:00:00Z"),
        Text(headline + " again", "By Staff", "\n\n".join(new), "2025-09-05T10:00:00Z"),
    )


def median_ms(run: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def stet(old: Text, new: Text) -> str:
    """What `stet diff` does: diff, labels, text."""
    diff = diff_versions(old, new)
    summarize(old, new, diff)
    return render_text(diff)


def baseline(old: Text, new: Text) -> list[str]:
    return list(difflib.ndiff(old.body.split(), new.body.split()))


Row = tuple[str, float, float | None]  # case, stet ms, baseline ms


def one_paragraph(text: Text) -> Text:
    """The same body with its paragraph breaks lost, as a bad extraction gives."""
    return Text(text.headline, text.byline, text.body.replace("\n\n", " "), text.modified)


def main(runs: int) -> None:
    old, new = versions()
    diff = diff_versions(old, new)
    summary = summarize(old, new, diff)
    rewritten = versions(seed=6)[1]
    flat_old, flat_new = one_paragraph(old), one_paragraph(new)
    rows: list[Row] = [
        ("diff_versions", median_ms(lambda: diff_versions(old, new), runs), None),
        ("summarize (diff given)", median_ms(lambda: summarize(old, new, diff), runs), None),
        ("render_text (diff given)", median_ms(lambda: render_text(diff), runs), None),
        (
            "scattered edits, 150 paragraphs",
            median_ms(lambda: stet(old, new), runs),
            median_ms(lambda: baseline(old, new), runs),
        ),
        (
            "same edits, one 10,000-word paragraph",
            median_ms(lambda: stet(flat_old, flat_new), runs),
            median_ms(lambda: baseline(flat_old, flat_new), runs),
        ),
        (
            "rewrite: another random article",
            median_ms(lambda: stet(old, rewritten), runs),
            median_ms(lambda: baseline(old, rewritten), runs),
        ),
    ]
    report(old, new, summary, runs, rows)


def report(old: Text, new: Text, summary: DiffSummary, runs: int, rows: list[Row]) -> None:
    print(
        f"old: {len(old.body.split())} words, {len(split_paragraphs(old.body))} paragraphs; "
        f"new: {len(new.body.split())} words, {len(split_paragraphs(new.body))} paragraphs"
    )
    print(
        f"labels: {', '.join(summary.labels)}; words +{summary.words_added} "
        f"-{summary.words_removed}; paragraphs +{summary.paragraphs_added} "
        f"-{summary.paragraphs_removed} ~{summary.paragraphs_changed} "
        f"moved {summary.paragraphs_moved}"
    )
    print(f"median of {runs} runs, ms; stet = diff_versions + summarize + render_text")
    print(f"{'case':<40} {'stet':>9} {'ndiff words':>12}")
    for name, ms, base in rows:
        print(f"{name:<40} {ms:>9.1f} {'' if base is None else f'{base:.1f}':>12}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
