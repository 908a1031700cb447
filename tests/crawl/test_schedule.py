"""`stet schedule`: passes on an interval, survives failed passes, stops cleanly on SIGTERM."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

from scraper.crawl.runner import PassResult
from scraper.crawl.scheduler import Watcher
from scraper.crawl.sources import source_for_url
from support.site import ROOT, Site

ARTICLE = ("<html><head><meta property='og:type' content='article'></head><body><article>"
           "<h1>Quay wall repairs begin</h1>" + "<p>Engineers began repairing the quay wall on "
           "Monday after winter storms loosened several of its granite blocks.</p>" * 4
           + "</article></body></html>")


def passes(db: Path) -> int:
    try:
        with sqlite3.connect(db) as conn:
            return int(conn.execute("select count(*) from passes").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def test_schedule_runs_passes_until_sigterm(site: Site, tmp_path: Path) -> None:
    site.set("/", "<html><body><a href='/news/2026/11/30/quay-wall-repairs-begin'>Quay</a>"
                  "</body></html>")
    site.set("/news/2026/11/30/quay-wall-repairs-begin", ARTICLE)
    db = tmp_path / "archive.db"
    process = subprocess.Popen(
        [sys.executable, "-m", "scraper", "--db", str(db), "schedule", site.url("/"),
         "--every", "1s", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while passes(db) < 2 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
    assert passes(db) >= 2, process.stderr.read() if process.poll() is not None else ""
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert conn.execute("select count(*) from versions").fetchone()[0] == 1
        exit_codes = {row[0] for row in conn.execute("select exit_code from passes")}
    assert exit_codes == {0}


class FlakyRunner:
    """A runner whose first pass raises: the loop must log it and go on."""

    def __init__(self, watcher_ref: list[Watcher]) -> None:
        self.calls = 0
        self.watcher_ref = watcher_ref

    def run_pass(self, sources: list[object], *, everything: bool = False) -> PassResult:
        self.calls += 1
        if self.calls == 1:
            raise RuntimeError("disk on fire")
        if self.calls >= 3:
            self.watcher_ref[0].stopping.set()
        return PassResult(0, {"unchanged": 1})

    def stop(self) -> None:
        pass


def test_a_failed_pass_does_not_end_the_loop(caplog: object) -> None:
    ref: list[Watcher] = []
    runner = FlakyRunner(ref)
    watcher = Watcher(runner, [source_for_url("https://news.example/")],  # type: ignore[arg-type]
                      every=timedelta(seconds=1))
    ref.append(watcher)
    thread = threading.Thread(target=watcher.scheduler.run_all)
    thread.start()
    thread.join(timeout=5)
    deadline = time.monotonic() + 10
    while not watcher.stopping.is_set() and time.monotonic() < deadline:
        watcher.scheduler.run_pending()
        time.sleep(0.1)
    assert runner.calls >= 3
    assert "disk on fire" in caplog.text  # type: ignore[attr-defined]
