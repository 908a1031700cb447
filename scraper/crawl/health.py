"""`stet status`: how each source is doing, from what the archive and the scheduler noted.

One row per source (the sources file's, and any the archive knows): its last pass,
its next pass, its state (ok, backing off, degraded), articles tracked, articles due
now, edits in the last 24 hours and the error rate of its fetches; then the archive's
size and its write-ahead log's. JSON for scripts, else an aligned table (the rows of a
backing-off or degraded source in yellow or red on a terminal, unless NO_COLOR is set).
It is drawn without rich: importing and laying out rich took most of the command's time.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

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
COLORS = {"backing off": "\x1b[33m", "degraded": "\x1b[31m"}  # yellow, red
RESET = "\x1b[0m"


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
    now = utcnow()
    cells = [[HEADERS.get(column, column.replace("_", " ")) for column in COLUMNS]]
    for row in report.sources:
        values = asdict(row)
        values.update(error_rate=f"{row.error_rate:.0%}", last_pass=when(row.last_pass, now),
                      next_pass=when(row.next_pass, now, due=True))
        cells.append([str(values[column]) for column in COLUMNS])
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]
    lines = ["   ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
             for line in cells]
    lines.insert(1, "─" * min(width, len(max(lines, key=len))))
    color = terminal and not os.environ.get("NO_COLOR")
    for number, row in enumerate(report.sources, start=2):
        if color and row.state in COLORS:
            lines[number] = f"{COLORS[row.state]}{lines[number]}{RESET}"
    lines += [""] + [f"{row.source}: {row.last_error}" for row in report.sources
              if row.last_error and row.state != "ok"]
    alerts = ", ".join(f"{n} {state}" for state, n in sorted(report.alerts.items()))
    lines.append(f"archive {mb(report.archive_bytes)}, write-ahead log {mb(report.wal_bytes)}"
                 + (f"; alerts: {alerts}" if alerts else ""))
    return "\n".join(lines)


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
