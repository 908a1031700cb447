"""`stet schedule` left alone (issue 12): one writer, side by side, back-off, clean stops.

Real schedulers (``python -m scraper schedule``) against local sites with second-long
intervals; the archive is read back with sqlite3.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path
from urllib.parse import urlsplit

from support.hostile import HostileServer, never_answer
from support.site import Site
from support.unattended import (
    alive,
    article,
    children_of,
    passes_of,
    rows,
    run_stet,
    source_table,
    start_stet,
    wait_for,
    write_sources,
)

STORY = "/news/2026/11/30/quay-wall-repairs-begin"


def live_site(site: Site) -> None:
    site.set("/", f"<html><body><a href='{STORY}'>Quay wall repairs begin</a></body></html>")
    site.set(STORY, article("Quay wall repairs begin"))


def test_a_second_writer_is_refused_then_waits(site: Site, tmp_path: Path) -> None:
    live_site(site)
    db = tmp_path / "archive.db"
    first = start_stet(db, site.url("/"), "--every", "1s")
    try:
        wait_for(lambda: passes_of(db, name(site.url("/"))), process=first)
        holder = json.loads((tmp_path / "archive.db.lock").read_text())
        assert holder["pid"] == first.pid and "schedule" in holder["command"]
        second = run_stet(db, site.url("/"), "--every", "1s")
        assert second.returncode == 2
        assert f"in use by pid {first.pid}" in second.stderr and "--wait" in second.stderr
        assert "Traceback" not in second.stderr
        crawl = run_stet(db, site.url("/"), command="crawl")
        assert crawl.returncode == 2 and f"pid {first.pid}" in crawl.stderr
        waiting = start_stet(db, site.url("/"), "--wait", command="crawl")
        time.sleep(3)
        assert waiting.poll() is None  # still waiting for the scheduler
    finally:
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=30)
    _, stderr = waiting.communicate(timeout=90)
    assert waiting.returncode == 0, stderr


def test_a_lock_left_by_a_dead_process_is_taken_over(site: Site, tmp_path: Path) -> None:
    live_site(site)
    db = tmp_path / "archive.db"
    (tmp_path / "archive.db.lock").write_text(
        json.dumps({"pid": 999999, "command": "stet schedule", "started": "2026-01-01"}))
    done = run_stet(db, site.url("/"), command="crawl")
    assert done.returncode == 0, done.stderr
    assert rows(db, "select count(*) from versions") == [(1,)]


def test_a_dead_source_backs_off_is_degraded_and_recovers(site: Site, tmp_path: Path) -> None:
    site.set("/robots.txt", "down for maintenance", status=500)  # robots.txt unreachable
    sources = write_sources(tmp_path / "sources.toml", source_table("port", site.url("/")))
    db = tmp_path / "archive.db"
    process = start_stet(db, sources=sources)
    try:
        wait_for(lambda: rows(db, "select 1 from source_state where failures >= 3"),
                 timeout=120, process=process)
        failed = passes_of(db, "port")[:3]
        assert {p[0] for p in failed} == {"failed"}
        assert all(p[1] != 0 and "robots.txt" in p[2] for p in failed)
        state = rows(db, "select state, failures, last_pass, next_pass from source_state")[0]
        assert state[:2] == ("degraded", 3)
        waited = time.mktime(time.strptime(state[3], "%Y-%m-%dT%H:%M:%SZ")) - time.mktime(
            time.strptime(state[2], "%Y-%m-%dT%H:%M:%SZ"))
        assert waited == 8  # 1 s interval x 2^3
        site.set("/robots.txt", "User-agent: *\nAllow: /\n")
        live_site(site)
        wait_for(lambda: passes_of(db, "port")[-1][0] == "ok", timeout=60, process=process)
        assert rows(db, "select state, failures from source_state") == [("ok", 0)]
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0 and "recovered after" in stderr


def test_a_hung_source_costs_only_itself(site: Site, tmp_path: Path) -> None:
    live_site(site)
    with HostileServer() as hung:
        hung.route("/robots.txt", never_answer)
        sources = write_sources(tmp_path / "sources.toml", source_table("live", site.url("/")),
                                source_table("hung", hung.url("/")))
        db = tmp_path / "archive.db"
        process = start_stet(db, "--deadline", "30s", sources=sources)
        try:
            wait_for(lambda: passes_of(db, "hung"), timeout=120, process=process)
            live = passes_of(db, "live")
        finally:
            process.send_signal(signal.SIGTERM)
            process.communicate(timeout=30)
    hung_pass = passes_of(db, "hung")[0]
    assert hung_pass[0] == "timeout" and hung_pass[1] != 0
    assert len([p for p in live if p[0] == "ok"]) >= 2, live  # it went on meanwhile


def test_sigterm_mid_pass_exits_0_within_10_seconds(tmp_path: Path) -> None:
    with HostileServer() as hung:
        hung.route("/robots.txt", never_answer)
        db = tmp_path / "archive.db"
        process = start_stet(db, hung.url("/"), "--every", "1s")
        wait_for(lambda: "/robots.txt" in hung.paths(), timeout=60, process=process)
        children = children_of(process.pid)
        assert children
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
        took = time.monotonic() - started
    assert process.returncode == 0, stderr
    assert took < 10, took
    assert "Traceback" not in stderr, stderr
    assert [p[0] for p in passes_of(db, name(hung.url("/")))] == ["stopped"]
    assert rows(db, "pragma integrity_check") == [("ok",)]
    assert not [pid for pid in children if alive(pid)]


def test_sighup_reloads_the_sources_file(site: Site, tmp_path: Path) -> None:
    live_site(site)
    sources = write_sources(tmp_path / "sources.toml", source_table("first", site.url("/")))
    db = tmp_path / "archive.db"
    process = start_stet(db, sources=sources)
    try:
        wait_for(lambda: passes_of(db, "first"), process=process)
        write_sources(sources, source_table("first", site.url("/")),
                      source_table("second", site.url("/?edition=2")))
        process.send_signal(signal.SIGHUP)
        wait_for(lambda: passes_of(db, "second"), process=process)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "sources reloaded: 2 source(s); added second" in stderr


def test_a_killed_scheduler_leaves_no_crawl_behind(tmp_path: Path) -> None:
    with HostileServer() as hung:
        hung.route("/robots.txt", never_answer)
        db = tmp_path / "archive.db"
        process = start_stet(db, hung.url("/"), "--every", "1s")
        wait_for(lambda: "/robots.txt" in hung.paths(), timeout=60, process=process)
        family = descendants_of(process.pid)  # the crawl, and anything it started
        assert family
        os.kill(process.pid, signal.SIGKILL)
        process.communicate(timeout=10)
        wait_for(lambda: not [pid for pid in family if alive(pid)], timeout=10)


def descendants_of(pid: int) -> list[int]:
    found = children_of(pid)
    return found + [grandchild for child in found for grandchild in descendants_of(child)]


def name(url: str) -> str:
    """The name `stet` gives a source given as a URL: its host and port."""
    return urlsplit(url).netloc
