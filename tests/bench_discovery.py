"""Articles found: one `stet crawl` of a local site whose archive only nested sitemaps list.

    .venv/bin/python tests/bench_discovery.py                 # polite defaults (minutes)
    .venv/bin/python tests/bench_discovery.py --fast          # no politeness pauses
    .venv/bin/python tests/bench_discovery.py --fast --baseline ../old-checkout

The site (``tests/support/nested_site.py``): 2,000 articles, one every 5 h 24 min, so
1,623 fall within a year of the newest; robots.txt -> sitemap index by year -> month ->
daily sitemaps, a Google News sitemap, a feed of 20 and a home page of 30. A second
pass shows what discovery costs once the archive is complete. ``--baseline DIR`` runs
the same passes with the code checked out in DIR first (another commit), for comparison.
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from support.nested_site import NestedSite, publish  # noqa: E402
from support.site import FAST, ROOT, Site, serve_site  # noqa: E402


def one_pass(site: Site, nested: NestedSite, root: Path, db: Path,
             settings: dict[str, str]) -> dict[str, float]:
    start, began = len(site.requests), time.monotonic()
    command = [sys.executable, "-m", "scraper", "--db", str(db), "crawl", site.url("/")]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    subprocess.run(command, cwd=root, capture_output=True, text=True, check=True)
    seconds = time.monotonic() - began
    paths = [hit.path for hit in site.requests[start:]]
    by_path, within = nested.by_path(), nested.within(timedelta(days=365))
    order = [by_path[p].number for p in paths if p in by_path]
    with sqlite3.connect(db) as conn:
        archived = {row[0] for row in conn.execute("select url from articles")}
    return {
        "requests": len(paths), "seconds": seconds,
        "found": len(archived & {site.url(p) for p in within}) / len(within),
        "older": sum(1 for p in paths if p in by_path and p not in within),
        "sitemaps": sum(1 for p in paths if "sitemap" in p),
        "robots": paths.count("/robots.txt"),
        "displacement": max((abs(i - n) for i, n in enumerate(order)), default=0),
    }


def run(root: Path, label: str, settings: dict[str, str]) -> None:
    with serve_site() as site, tempfile.TemporaryDirectory() as folder:
        nested = publish(site)
        db = Path(folder) / "archive.db"
        for number in (1, 2):
            got = one_pass(site, nested, root, db, settings)
            print(f"| {label} | {number} | {got['found']:.3f} | {got['requests']:.0f} "
                  f"| {got['sitemaps']:.0f} | {got['robots']:.0f} | {got['older']:.0f} "
                  f"| {got['displacement']:.0f} | {got['seconds']:.1f} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fast", action="store_true", help="no AutoThrottle, no delay")
    parser.add_argument("--baseline", type=Path, help="a checkout of other code to run first")
    args = parser.parse_args()
    settings = dict(FAST, LOG_LEVEL="WARNING") if args.fast else {}
    print(f"settings: {settings or 'polite defaults'}; 1,623 of 2,000 articles within the "
          "horizon")
    print("| code | pass | articles found | requests | sitemaps | robots.txt | older than "
          "horizon | max displacement | seconds |")
    print("|---|---|---|---|---|---|---|---|---|")
    if args.baseline:
        run(args.baseline.resolve(), "baseline", settings)
    run(ROOT, "Stet", settings)


if __name__ == "__main__":
    main()
