"""`stet status`, `stet crawl`'s progress and the log levels (issue 12), on real processes."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

from support.site import ROOT, Site
from support.unattended import FAST_ARGS, article, run_stet, source_table, write_sources

STORY = "/news/2026/11/30/quay-wall-repairs-begin"
STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} (DEBUG|INFO|WARNING|ERROR) ")


def live_site(site: Site) -> None:
    site.set("/", f"<html><body><a href='{STORY}'>Quay wall repairs begin</a></body></html>")
    site.set(STORY, article("Quay wall repairs begin"))


def test_status_shows_each_source_state(site: Site, tmp_path: Path) -> None:
    live_site(site)
    sources = write_sources(tmp_path / "sources.toml", source_table("port", site.url("/")),
                            source_table("dead", "http://127.0.0.1:9/"))
    db = tmp_path / "archive.db"
    once = run_stet(db, "--once", sources=sources)
    assert once.returncode == 0, once.stderr
    assert "pass dead failed: robots.txt unreachable" in once.stderr
    time.sleep(1.1)  # the article's revisit (every second) is due
    result = run_stet(db, "--format", "json", sources=sources, command="status")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    by_name = {row["source"]: row for row in report["sources"]}
    assert by_name["port"]["state"] == "ok" and by_name["port"]["articles"] == 1
    assert by_name["port"]["due_now"] == 1 and by_name["port"]["edits_24h"] == 0
    assert by_name["dead"]["state"] == "backing off" and by_name["dead"]["next_pass"]
    assert "robots.txt unreachable" in by_name["dead"]["last_error"]
    assert by_name["dead"]["error_rate"] == 1.0 and by_name["port"]["error_rate"] == 0
    assert report["archive_bytes"] > 0 and "wal_bytes" in report
    text = run_stet(db, sources=sources, command="status").stdout
    assert "backing off" in text and "port" in text and "archive" in text


def test_crawl_log_levels_and_timestamps(site: Site, tmp_path: Path) -> None:
    live_site(site)
    db = tmp_path / "archive.db"
    quiet = subprocess.run([sys.executable, "-m", "scraper", "-q", "--db", str(db), "crawl",
                            site.url("/"), *FAST_ARGS], cwd=ROOT, capture_output=True, text=True)
    assert quiet.returncode == 0 and quiet.stderr == ""
    plain = run_stet(db, site.url("/"), command="crawl")
    lines = plain.stderr.strip().splitlines()  # a summary line, nothing else (its count is
    # 0 fetches, or 1 when a slow machine made the first pass miss the story: retried now)
    assert len(lines) == 1 and re.fullmatch(
        rf"crawl: {re.escape(site.base[7:])}: (0 fetches|1 fetches: 1 new)", lines[0]), lines
    site.set(STORY, article("Quay wall repairs delayed"))
    verbose = subprocess.run([sys.executable, "-m", "scraper", "-v", "--db", str(db), "crawl",
                              site.url("/"), "--all", *FAST_ARGS], cwd=ROOT,
                             capture_output=True, text=True)
    lines = verbose.stderr.strip().splitlines()
    assert any("changed http" in line for line in lines), verbose.stderr
    log_lines = [line for line in lines[:-1] if line.strip()]
    assert log_lines and all(STAMP.match(line) for line in log_lines), verbose.stderr
    assert "Scrapy stats" not in verbose.stderr  # -v is Stet's lines, not Scrapy's dump


def test_crawl_on_a_terminal_shows_a_live_progress_bar(site: Site, tmp_path: Path) -> None:
    live_site(site)
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "scraper", "--db", str(tmp_path / "archive.db"), "crawl",
         site.url("/"), *FAST_ARGS], cwd=ROOT, stdin=subprocess.DEVNULL, stdout=follower,
        stderr=follower, env={**os.environ, "COLUMNS": "120", "TERM": "xterm"})
    os.close(follower)
    seen = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        elif process.poll() is not None:
            break
    process.wait(timeout=30)
    os.close(leader)
    screen = seen.decode("utf-8", "replace")
    assert process.returncode == 0, screen
    assert "new versions" in screen and "errors" in screen, screen
    assert "1 fetches: 1 new" in screen
