"""Soak benchmark for `stet schedule` (issue 12): not a test, a script.

Runs a real scheduler for N minutes against a local site of a few hundred articles
(two sources), editing some articles every minute, and prints passes, versions,
errors and the peak memory of the scheduler and of each pass, minute by minute; then
stops it with SIGTERM in the middle of a pass and prints how long the stop took.

    .venv/bin/python tests/bench_soak.py --minutes 10
    .venv/bin/python tests/bench_soak.py --minutes 1 --articles 60   # a quick look
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

from support.site import ROOT, Site, serve_site

SEEN_WITHIN = 120  # seconds: an edit older than this at the stop should be archived
PARAGRAPH = ("Council engineers inspected the harbour wall on {day} after the storm and "
             "reported that {n} granite blocks had moved, the port authority said.")


def story(number: int, edit: int) -> str:
    paragraphs = [PARAGRAPH.format(day="Monday", n=number % 17 + 2)] * 3
    if edit:
        paragraphs[1] = PARAGRAPH.format(day=f"day {edit}", n=number % 17 + 2 + edit)
    body = "".join(f"<p>{p} Paragraph {i} of story {number}.</p>"
                   for i, p in enumerate(paragraphs))
    return (f"<html><head><meta property='og:type' content='article'><title>Story {number}"
            f"</title></head><body><nav>Home</nav><article><h1>Harbour wall story {number}"
            f"</h1>{body}</article></body></html>")


def path_of(number: int) -> str:
    return f"/news/2026/12/06/harbour-wall-story-{number}"


def build_site(site: Site, articles: int) -> None:
    half = articles // 2
    for name, numbers in (("front", range(half)), ("world", range(half, articles))):
        links = "".join(f"<li><a href='{path_of(n)}'>Harbour wall story {n} moves</a></li>"
                        for n in numbers)
        site.set(f"/{name}/", f"<html><body><ul>{links}</ul></body></html>")
    for number in range(articles):
        site.set(path_of(number), story(number, 0))


def editor(site: Site, articles: int, per_minute: int, stop: threading.Event,
           edits: list[float]) -> None:
    """Every minute, edit per_minute articles (a different few each time)."""
    minute = 0
    while not stop.wait(60):
        minute += 1
        for k in range(per_minute):
            number = (minute * per_minute + k) % articles
            site.set(path_of(number), story(number, minute))
        edits += [time.monotonic()] * per_minute


def rss_kb(pid: int, field: str = "VmRSS") -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def tree_rss(pid: int) -> int:
    return rss_kb(pid) + sum(tree_rss(child) for child in children(pid))


class Sampler:
    """Peak RSS of the scheduler per minute, and of each pass (its whole process tree)."""

    def __init__(self, scheduler: int, started: float) -> None:
        self.scheduler = scheduler
        self.started = started
        self.scheduler_peak: dict[int, int] = defaultdict(int)
        self.pass_peak: dict[int, int] = {}  # crawl pid -> peak kB of its tree
        self.crawl_peak: dict[int, int] = {}  # crawl pid -> its own peak RSS (VmHWM), kB
        self.pass_minute: dict[int, int] = {}

    def sample(self) -> None:
        minute = int((time.monotonic() - self.started) // 60)
        self.scheduler_peak[minute] = max(self.scheduler_peak[minute], rss_kb(self.scheduler))
        for child in children(self.scheduler):
            self.pass_minute.setdefault(child, minute)
            self.pass_peak[child] = max(self.pass_peak.get(child, 0), tree_rss(child))
            self.crawl_peak[child] = max(self.crawl_peak.get(child, 0), rss_kb(child, "VmHWM"))

    def by_minute(self, peaks: dict[int, int]) -> dict[int, list[int]]:
        grouped: dict[int, list[int]] = defaultdict(list)
        for pid, peak in peaks.items():
            grouped[self.pass_minute[pid]].append(peak)
        return grouped


def sources_file(folder: Path, site: Site, interval: str) -> Path:
    tables = [f'[[source]]\nname = "{name}"\nurls = ["{site.url(f"/{name}/")}"]\n'
              f'interval = "{interval}"\nallow_private = true\n'
              'article_pattern = "/news/"\nrevisit = [["7d", "1m"]]\n'
              for name in ("front", "world")]
    path = folder / "sources.toml"
    path.write_text("\n".join(tables), encoding="utf-8")
    return path


def report(db: Path, sampler: Sampler, edits: list[float], stopped_at: float,
           stop_seconds: float, exit_code: int) -> None:
    with sqlite3.connect(db) as conn:
        states = dict(conn.execute("select state, count(*) from passes group by state"))
        versions = conn.execute("select count(*), coalesce(sum(version > 1), 0) "
                                "from versions").fetchone()
        outcomes = dict(conn.execute("select outcome, count(*) from fetches group by outcome"))
        articles = conn.execute("select count(*) from articles").fetchone()[0]
    print(f"passes by state: {json.dumps(states)}")
    seen = sum(1 for t in edits if stopped_at - t > SEEN_WITHIN)
    print(f"articles: {articles}; versions: {versions[0]} ({versions[1]} edits recorded); "
          f"edits made by the site: {len(edits)}, of which {seen} more than "
          f"{SEEN_WITHIN} s before the stop (revisit 1 min + interval + a pass)")
    print(f"fetch outcomes: {json.dumps(outcomes)}")
    print("minute  scheduler MB  passes started  crawl process peak MB  pass tree peak MB")
    crawl, tree = sampler.by_minute(sampler.crawl_peak), sampler.by_minute(sampler.pass_peak)
    for minute in sorted(sampler.scheduler_peak):
        own, whole = crawl.get(minute, [0]), tree.get(minute, [0])
        print(f"{minute:>6}  {sampler.scheduler_peak[minute] / 1024:>12.1f}  "
              f"{len(crawl.get(minute, [])):>14}  {max(own) / 1024:>21.1f}  "
              f"{max(whole) / 1024:>17.1f}")
    print(f"stop: SIGTERM mid-pass -> exit {exit_code} in {stop_seconds:.2f} s")


def run(minutes: float, articles: int, per_minute: int, interval: str) -> None:
    folder = Path(tempfile.mkdtemp(prefix="stet-soak-"))
    db = folder / "archive.db"
    with serve_site() as site:
        build_site(site, articles)
        sources = sources_file(folder, site, interval)
        stop, edits = threading.Event(), []
        threading.Thread(target=editor, args=(site, articles, per_minute, stop, edits),
                         daemon=True).start()
        process = subprocess.Popen(
            [sys.executable, "-m", "scraper", "--db", str(db), "--sources", str(sources),
             "schedule", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"],
            cwd=ROOT, stderr=open(folder / "schedule.log", "w"), text=True)
        sampler = Sampler(process.pid, time.monotonic())
        end = time.monotonic() + minutes * 60
        while time.monotonic() < end or not children(process.pid):  # stop mid-pass
            sampler.sample()
            time.sleep(0.5)
        stop.set()
        began = time.monotonic()
        stopped_at = began
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        stop_seconds = time.monotonic() - began
    print(f"soak: {minutes} min, {articles} articles in 2 sources every {interval}, "
          f"{per_minute} edited a minute; log {folder / 'schedule.log'}")
    report(db, sampler, edits, stopped_at, stop_seconds, process.returncode)


def stop_trials(count: int) -> None:
    """SIGTERM a scheduler whose one source never answers, mid-pass; print the times."""
    from support.hostile import HostileServer, never_answer

    for trial in range(count):
        folder = Path(tempfile.mkdtemp(prefix="stet-stop-"))
        with HostileServer() as hung:
            hung.route("/robots.txt", never_answer)
            process = subprocess.Popen(
                [sys.executable, "-m", "scraper", "--db", str(folder / "archive.db"),
                 "schedule", hung.url("/"), "--every", "1s"], cwd=ROOT,
                stderr=subprocess.DEVNULL)
            while "/robots.txt" not in hung.paths():
                time.sleep(0.1)
            time.sleep(1 + trial)  # a little further into the hung pass each time
            began = time.monotonic()
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
            print(f"stop with a hung host, trial {trial + 1}: exit {process.returncode} in "
                  f"{time.monotonic() - began:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--edits", type=int, default=15, help="articles edited a minute")
    parser.add_argument("--interval", default="30s", help="each source's pass interval")
    parser.add_argument("--stop-trials", type=int, default=3,
                        help="then time this many stops of a scheduler stuck on a hung host")
    args = parser.parse_args()
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    run(args.minutes, args.articles, args.edits, args.interval)
    stop_trials(args.stop_trials)


if __name__ == "__main__":
    main()
