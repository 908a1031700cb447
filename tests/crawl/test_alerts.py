"""Alerts (issue 12): rules in the sources file, sent through Apprise's JSON target to a
local HTTP receiver; failed sends are retried and recorded, never lost silently."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from scraper.crawl.alerts import MAX_ATTEMPTS, Notifier, load_alert_config
from scraper.store import Archive
from support.site import Site
from support.unattended import article, rows, run_stet, source_table, write_sources

STORY = "/news/2026/11/30/quay-wall-repairs-begin"


class Receiver:
    """A local webhook: records every JSON body posted; answers 500 while failing is set."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.failing = False
        self.url = ""


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    got = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status = 500 if got.failing else 200
            if not got.failing:
                got.bodies.append(json.loads(data))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    got.url = f"json://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield got
    server.shutdown()
    server.server_close()


def sources_with_alerts(tmp_path: Path, site: Site, receiver: Receiver) -> Path:
    return write_sources(
        tmp_path / "sources.toml", '[alerts]\nlink = "http://review.example"\n',
        source_table("port", site.url("/")),
        f'[[alert]]\nname = "headlines"\nto = "{receiver.url}"\nlabels = ["headline"]\n',
        f'[[alert]]\nname = "ministers"\nto = "{receiver.url}"\nwords = ["minister"]\n')


def test_an_edited_headline_alerts_the_receiver(site: Site, tmp_path: Path,
                                                receiver: Receiver) -> None:
    site.set("/", f"<html><body><a href='{STORY}'>Quay wall repairs begin</a></body></html>")
    site.set(STORY, article("Quay wall repairs begin"))
    sources = sources_with_alerts(tmp_path, site, receiver)
    db = tmp_path / "archive.db"
    first = run_stet(db, "--once", sources=sources)
    assert first.returncode == 0, first.stderr
    assert receiver.bodies == []  # a first version is no edit
    site.set(STORY, article("Quay wall repairs delayed"))
    second = run_stet(db, "--once", sources=sources)
    assert second.returncode == 0, second.stderr
    assert len(receiver.bodies) == 1, second.stderr  # the headline rule; no minister here
    sent = receiver.bodies[0]
    assert sent["title"] == "Edited: Quay wall repairs delayed"
    assert "[-begin-]" in sent["message"] and "{+delayed+}" in sent["message"]
    assert "http://review.example/-/stet/diff/1/1/2" in sent["message"]
    assert rows(db, "select state, attempts from alerts") == [("sent", 1)]


def test_a_failed_send_is_recorded_retried_then_given_up(site: Site, tmp_path: Path,
                                                         receiver: Receiver) -> None:
    site.set("/", f"<html><body><a href='{STORY}'>Quay wall repairs begin</a></body></html>")
    site.set(STORY, article("Quay wall repairs begin"))
    sources = sources_with_alerts(tmp_path, site, receiver)
    db = tmp_path / "archive.db"
    assert run_stet(db, "--once", sources=sources).returncode == 0
    receiver.failing = True
    site.set(STORY, article("Minister visits the quay wall"))
    assert run_stet(db, "--once", sources=sources).returncode == 0
    pending = rows(db, "select rule, state, attempts, last_error from alerts order by id")
    assert [(r[1], r[2]) for r in pending] == [("pending", 1), ("pending", 1)]
    assert all(r[3] for r in pending)  # why it failed is kept
    notifier = Notifier(db, load_alert_config(sources))
    receiver.failing = False
    due_now(db)
    send_due(notifier, db)
    assert rows(db, "select state from alerts") == [("sent",), ("sent",)]
    assert {b["title"] for b in receiver.bodies} == {"Edited: Minister visits the quay wall"}
    assert len(receiver.bodies) == 2


def test_an_unreachable_target_fails_for_good_after_its_retries(site: Site, tmp_path: Path,
                                                                receiver: Receiver) -> None:
    site.set("/", f"<html><body><a href='{STORY}'>Quay wall repairs begin</a></body></html>")
    site.set(STORY, article("Quay wall repairs begin"))
    sources = sources_with_alerts(tmp_path, site, receiver)
    db = tmp_path / "archive.db"
    assert run_stet(db, "--once", sources=sources).returncode == 0
    receiver.failing = True
    site.set(STORY, article("Quay wall repairs delayed"))
    assert run_stet(db, "--once", sources=sources).returncode == 0
    notifier = Notifier(db, load_alert_config(sources))
    for _ in range(MAX_ATTEMPTS):
        due_now(db)
        send_due(notifier, db)
    assert rows(db, "select state, attempts from alerts") == [("failed", MAX_ATTEMPTS)]
    status = run_stet(db, "--format", "json", sources=sources, command="status")
    assert json.loads(status.stdout)["alerts"] == {"failed": 1}


def due_now(db: Path) -> None:
    """Skip the retry wait (the test's own clock)."""
    with sqlite3.connect(db) as conn:
        conn.execute("update alerts set next_attempt = '2000-01-01T00:00:00Z' "
                     "where state = 'pending'")


def send_due(notifier: Notifier, db: Path) -> None:
    archive = Archive(db)
    try:
        notifier.send_due(archive)
    finally:
        archive.close()
