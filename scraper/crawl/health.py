"""`stet status`: how each source is doing, from what the archive and the scheduler noted.

One row per source (the sources file's, and any the archive knows): its last pass,
its next pass, its state (ok, backing off, degraded), articles tracked, articles due
now, edits in the last 24 hours and the error rate of its fetches; then the archive's
size and its write-ahead log's. JSON for scripts, a rich table on a terminal, plain
aligned text otherwise.
"""

from __future__ import annotations

import io
import json
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from rich import box
from rich.console import Console
from rich.table import Table

from scraper.store import Archive
from scraper.store.status import (
    alert_counts,
    archive_sources,
    file_sizes,
    load_source_states,
    source_figures,
)
from scraper.timeutil import iso, parse_iso, utcnow

HEADERS = {"due_now": "due", "edits_24h": "edits 24h", "error_rate": "errors"}
COLUMNS = ("source", "state", "last_pass", "next_pass", "articles", "due_now", "edits_24h",
           "error_rate")


@dataclass(frozen=True)
class SourceStatus:
    source: str
    state: str
    last_pass: str
    next_pass: str
    articles: int
    due_now: int
    edits_24h: int
    fetches_24h: int
    error_rate: float
    last_error: str


@dataclass(frozen=True)
class StatusReport:
    sources: list[SourceStatus]
    archive_bytes: int
    wal_bytes: int
    alerts: dict[str, int]


def build_status(archive: Archive, configured: list[str]) -> StatusReport:
    since = iso(utcnow() - timedelta(hours=24))
    states = load_source_states(archive)
    names = list(dict.fromkeys([*configured, *archive_sources(archive)]))
    rows = []
    for name, figures in zip(names, source_figures(archive, names, since), strict=True):
        state = states.get(name)
        label = state.state if state else ("failed" if figures.last_state == "failed"
                                           else figures.last_state or "never run")
        rows.append(SourceStatus(
            name, label, figures.last_pass, state.next_pass if state else "",
            figures.articles, figures.due_now, figures.edits_24h, figures.fetches_24h,
            round(figures.errors_24h / figures.fetches_24h, 3) if figures.fetches_24h else 0.0,
            (state.last_error if state else figures.last_error) or ""))
    sizes = file_sizes(archive.path)
    return StatusReport(rows, sizes["archive_bytes"], sizes["wal_bytes"], alert_counts(archive))


def render_status(report: StatusReport, fmt: str, *, terminal: bool, width: int = 120) -> str:
    if fmt == "json":
        return json.dumps(asdict(report), indent=2)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for column in COLUMNS:
        table.add_column(HEADERS.get(column, column.replace("_", " ")), no_wrap=True)
    now = utcnow()
    for row in report.sources:
        values = asdict(row)
        values.update(error_rate=f"{row.error_rate:.0%}", last_pass=when(row.last_pass, now),
                      next_pass=when(row.next_pass, now, due=True))
        table.add_row(*(str(values[c]) for c in COLUMNS),
                      style={"ok": "", "backing off": "yellow", "degraded": "red"}.get(
                          row.state, ""))
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=terminal,
                      no_color=not terminal, highlight=False)
    console.print(table)
    for row in report.sources:
        if row.last_error and row.state != "ok":
            console.print(f"{row.source}: {row.last_error}", soft_wrap=True)
    alerts = ", ".join(f"{n} {state}" for state, n in sorted(report.alerts.items()))
    console.print(f"archive {mb(report.archive_bytes)}, write-ahead log {mb(report.wal_bytes)}"
                  + (f"; alerts: {alerts}" if alerts else ""))
    return buffer.getvalue().rstrip("\n")


def when(text: str, now: datetime, due: bool = False) -> str:
    """'4m ago', 'in 25m', 'due' (a next pass already past), '-' (never)."""
    if not text:
        return "-"
    seconds = int((parse_iso(text) - now).total_seconds())
    if seconds <= 0 and due:
        return "due"
    if seconds <= 0:
        return f"{short(-seconds)} ago" if seconds < -1 else "now"
    return f"in {short(seconds)}"


def short(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"
