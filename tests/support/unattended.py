"""Helpers for tests of `stet schedule` and `stet crawl` run as real processes (issue 12).

``start_stet(db, *args)`` starts ``python -m scraper`` in the repository root with the
fast crawl settings; ``wait_for(predicate)`` polls; ``rows(db, sql)`` reads the archive
with plain sqlite3 (a test's own reading, not Stet's).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from support.site import ROOT

FAST_ARGS = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0",
             "-s", "RETRY_TIMES=1", "-s", "DOWNLOAD_TIMEOUT=60"]
ARTICLE = ("<html><head><meta property='og:type' content='article'><title>{h}</title></head>"
           "<body><article><h1>{h}</h1>" + "<p>Engineers began repairing the quay wall on "
           "Monday after winter storms loosened several of its granite blocks, the port "
           "authority said.</p>" * 4 + "{extra}</article></body></html>")


def article(headline: str, extra: str = "") -> str:
    return ARTICLE.format(h=headline, extra=extra)


def start_stet(db: Path, *args: str, sources: Path | None = None,
               command: str = "schedule") -> subprocess.Popen[str]:
    base = [sys.executable, "-m", "scraper", "--db", str(db)]
    if sources is not None:
        base += ["--sources", str(sources)]
    tail = FAST_ARGS if command in ("schedule", "crawl") else []
    return subprocess.Popen([*base, command, *args, *tail], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})


def run_stet(db: Path, *args: str, sources: Path | None = None, command: str = "schedule",
             timeout: float = 120) -> subprocess.CompletedProcess[str]:
    process = start_stet(db, *args, sources=sources, command=command)
    stdout, stderr = process.communicate(timeout=timeout)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def wait_for(predicate: Callable[[], Any], timeout: float = 60,
             process: subprocess.Popen[str] | None = None) -> Any:
    """Poll until predicate() is truthy; fail (with the process's stderr) on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if process is not None and process.poll() is not None:
            raise AssertionError(f"stet ended early ({process.returncode}): "
                                 f"{process.stderr.read() if process.stderr else ''}")
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {predicate}")


def rows(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    try:
        with sqlite3.connect(db, timeout=30) as conn:
            return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError:  # not created yet
        return []


def passes_of(db: Path, source: str) -> list[tuple[Any, ...]]:
    """(state, exit_code, error, started_at) of a source's passes, oldest first."""
    return rows(db, "select state, exit_code, error, started_at from passes where exists "
                    "(select 1 from json_each(passes.sources) where value = ?) order by id",
                (source,))


def children_of(pid: int) -> list[int]:
    """Live (not zombie) processes whose parent is pid, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            fields = dict(line.split(":\t", 1) for line in status.splitlines() if ":\t" in line)
            if fields.get("PPid", "").strip() == str(pid) and not fields.get(
                    "State", "").startswith("Z"):
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "State:\tZ" not in state


def write_sources(path: Path, *tables: str) -> Path:
    path.write_text("\n".join(tables), encoding="utf-8")
    return path


def source_table(name: str, url: str, interval: str = "1s", extra: str = "") -> str:
    return (f'[[source]]\nname = "{name}"\nurls = ["{url}"]\ninterval = "{interval}"\n'
            f'allow_private = true\nrevisit = [["1d", "1s"]]\n{extra}\n')
