"""`stet schedule`: passes on an interval, survives failed passes, stops cleanly on SIGTERM."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from scraper.crawl.scheduler import (
    BACKOFF_CAP,
    DEADLINE_CAP,
    DEADLINE_FLOOR,
    backoff,
    deadline_for,
    state_name,
)
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


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff(timedelta(minutes=15), n) for n in (0, 1, 2)] == [
        timedelta(minutes=15), timedelta(minutes=30), timedelta(hours=1)]
    assert backoff(timedelta(minutes=15), 10) == BACKOFF_CAP
    assert backoff(timedelta(days=1), 5) == timedelta(days=1)  # never below the interval
    assert [state_name(n) for n in (0, 1, 2, 3, 9)] == [
        "ok", "backing off", "backing off", "degraded", "degraded"]


def test_deadline_is_a_few_intervals_within_bounds() -> None:
    assert deadline_for(timedelta(minutes=15)) == 45 * 60
    assert deadline_for(timedelta(seconds=1)) == DEADLINE_FLOOR.total_seconds()
    assert deadline_for(timedelta(hours=6)) == DEADLINE_CAP.total_seconds()
    assert deadline_for(timedelta(hours=6), timedelta(seconds=30)) == 30
