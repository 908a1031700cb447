"""Helpers for the crash and concurrency tests: a news site whose articles get edited,
`stet` processes that can be killed with everything they started, and the invariants
an archive must keep whatever happened to the processes writing it (issue 5).
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from support.site import ROOT, Site

FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"]
OUTCOMES = {"new", "changed", "unchanged", "not_modified", "gone", "error", "skipped"}
AMOUNT = re.compile(r"spend (\d+) million euros")


def article_html(number: int, edit: int) -> str:
    """Article `number` as it reads after `edit` edits (the edit is the amount in it)."""
    paragraphs = [
        f"The council of Harbourtown district {number} voted on Tuesday to spend {edit + 1} "
        "million euros on the old harbour, after a debate that lasted most of the afternoon.",
        "Supporters said the quay walls were crumbling and that the fishing fleet needed "
        "deeper berths before the winter storms arrive in the north of the country.",
        '"We cannot wait another year," said Marta Lindqvist, who chairs the harbour '
        "committee. \"Every month of delay makes the repairs more expensive.\"",
        "Opponents argued that the money would be better spent on the ferry link, which "
        "carries more than two thousand passengers on an ordinary summer weekday.",
    ]
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    headline = f"Council backs harbour plan for district {number}"
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{headline} | The Courier</title><meta property="og:type" content="article">
</head><body><header><nav><a href="/">Home</a></nav></header>
<main><article><h1>{headline}</h1><div class="byline">By Ann Lee</div>
<div class="entry-content">{body}</div></article></main>
<footer>Copyright The Courier</footer></body></html>"""


def article_path(number: int) -> str:
    return f"/2026/11/{number % 28 + 1:02d}/council-backs-harbour-plan-for-district-{number}"


@dataclass
class NewsSite:
    """A home page linking to `count` articles; `edit()` changes some of them."""

    site: Site
    count: int
    delay: float = 0.0
    edits: dict[str, int] = field(default_factory=dict)  # article URL -> edit served now

    def __post_init__(self) -> None:
        links = "".join(f'<a href="{article_path(n)}">Story {n}</a> ' for n in range(self.count))
        self.site.set("/", f"<html><body><h1>The Courier</h1>{links}</body></html>")
        for number in range(self.count):
            self._serve(number, 0)

    @property
    def home(self) -> str:
        return self.site.url("/")

    def _serve(self, number: int, edit: int) -> None:
        url = self.site.set(article_path(number), article_html(number, edit), delay=self.delay)
        self.edits[url] = edit

    def edit(self, numbers: list[int]) -> None:
        for number in numbers:
            self._serve(number, self.edits[self.site.url(article_path(number))] + 1)


def stet_command(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "scraper", "--db", str(db), *args]


def stet(db: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(stet_command(db, *args), cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, check=False)


def start_stet(db: Path, *args: str) -> subprocess.Popen[str]:
    """`stet ...` in its own process group, as a service manager would start it."""
    return subprocess.Popen(stet_command(db, *args), cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def descendants(pid: int) -> list[int]:
    """Every process below pid (the crawl process lives in a session of its own)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # ended meanwhile
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        kids = children.get(todo.pop(), [])
        found += kids
        todo += kids
    return found


def kill_tree(process: subprocess.Popen[str]) -> None:
    """SIGKILL the process group and every process it started, all at once."""
    below = descendants(process.pid)
    for pid in below:  # stopped first, so none of them can go on writing meanwhile
        _signal(pid, signal.SIGSTOP)
    os.killpg(process.pid, signal.SIGKILL)
    for pid in below:
        _signal(pid, signal.SIGKILL)
    process.communicate(timeout=30)


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def query(db: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows read through a read-only connection, as the review pages read."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=60)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def count(db: Path, sql: str) -> int:
    return int(query(db, sql)[0][0])


def archived_edits(db: Path) -> dict[str, list[int]]:
    """Check the archive's invariants; returns each article's versions as edit numbers."""
    assert query(db, "pragma integrity_check") == [("ok",)]
    assert query(db, "pragma foreign_key_check") == []
    rows = query(db, "select a.url, v.version, v.body from articles a "
                     "left join versions v on v.article_id = a.id order by a.url, v.version")
    edits: dict[str, list[int]] = {}
    numbers: dict[str, list[object]] = {}
    for url, version, body in rows:
        assert version is not None, f"{url} has no version"
        found = AMOUNT.search(str(body))
        assert found, body
        edits.setdefault(str(url), []).append(int(found.group(1)) - 1)
        numbers.setdefault(str(url), []).append(version)
    for url, versions in numbers.items():
        assert versions == list(range(1, len(versions) + 1)), (url, versions)
    _check_rows(db)
    return edits


def _check_rows(db: Path) -> None:
    """Raw pages, current versions and fetches agree with the versions."""
    assert query(db, "select v.id from versions v left join raw_pages r on r.hash = v.raw_hash "
                     "where r.hash is null") == []
    assert query(db, "select a.id from articles a left join versions v on v.article_id = a.id "
                     "and v.version = a.current_version where v.id is null") == []
    outcomes = {row[0] for row in query(db, "select distinct outcome from fetches")}
    assert outcomes <= OUTCOMES, outcomes
    # Each version was written with the fetch that found it, in the same transaction.
    made = query(db, "select v.article_id, v.version, count(f.id) from versions v "
                     "left join fetches f on f.article_id = v.article_id "
                     "and f.version = v.version and f.outcome in ('new', 'changed') "
                     "group by v.id")
    assert all(count == 1 for _, _, count in made), made
    assert query(db, "select count(*) from fetches where outcome in ('new', 'changed') "
                     "and (article_id is null or version is null)") == [(0,)]
