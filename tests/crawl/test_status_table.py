"""`stet status`'s table: aligned columns, a failing source's row coloured on a terminal only."""

from __future__ import annotations

import pytest

from scraper.crawl.health import SourceStatus, StatusReport, render_status


def report() -> StatusReport:
    return StatusReport(
        [SourceStatus("port", "ok", "", "", 12, 3, 2, 40, 0.0, ""),
         SourceStatus("dead-hill-news", "backing off", "", "", 0, 0, 0, 3, 1.0,
                      "robots.txt unreachable")],
        archive_bytes=2_500_000, wal_bytes=0, alerts={"sent": 2})


def test_the_table_lines_up_and_ends_with_errors_and_the_archive(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    lines = render_status(report(), "text", terminal=False).splitlines()
    assert lines[0].startswith("source" + " " * 11 + "state" + " " * 9 + "last pass")
    assert set(lines[1]) == {"─"} and "\x1b" not in "".join(lines)
    assert lines[2].startswith("port             ok            -   ")
    assert lines[3].startswith("dead-hill-news   backing off   -   ")
    assert lines[2].index("12") == lines[0].index("articles")
    assert lines[4:] == ["", "dead-hill-news: robots.txt unreachable",
                         "archive 2.5 MB, write-ahead log 0.0 MB; alerts: 2 sent"]


def test_a_backing_off_source_is_yellow_on_a_terminal_unless_no_color(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    lines = render_status(report(), "text", terminal=True).splitlines()
    assert lines[3].startswith("\x1b[33mdead-hill-news") and lines[3].endswith("\x1b[0m")
    assert "\x1b" not in lines[2]
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b" not in render_status(report(), "text", terminal=True)
