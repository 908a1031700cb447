"""The review pages' list of edits (store/browse.py) read two ways on a real archive: by
walking every edit by time, and from the index of a label or source with few edits."""

from __future__ import annotations

import pytest

from scraper.model import CleanPage, PageItem
from scraper.store import Archive, browse

FILTERS = [browse.EditFilter(), browse.EditFilter(label="numbers"),
           browse.EditFilter(label="headline"), browse.EditFilter(source="ferries"),
           browse.EditFilter(source="ferries", label="numbers"),
           browse.EditFilter(stealth=True), browse.EditFilter(label="no-such-label"),
           browse.EditFilter(source="no-such-source"),
           browse.EditFilter(source="roads", since="2026-01-03", until="2026-01-05")]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    """Three sources; each article edited every day: a figure, and now and then its
    headline."""
    archive = Archive(tmp_path_factory.mktemp("narrow") / "archive.db")
    for n, source in enumerate(["roads", "ferries", "roads", "schools", "roads"]):
        url = f"https://{source}.example/2026/01/story-{n}"
        for day in range(1, 8):
            headline = f"Story {n}" + (" updated" if day % 3 == 0 else "")
            body = (f"The council of district {n} will spend {day * 10 + n} million on "
                    f"repairs.\n\nWork starts in spring, the mayor of district {n} said.")
            item = PageItem(url=url, source=source, status=200, body=b"<p>page</p>",
                            fetched_at=f"2026-01-{day:02d}T{8 + n:02d}:00:00Z")
            archive.save_page(item, CleanPage(headline=headline, byline="", body=body))
    return archive


def every_page(archive: Archive, where: browse.EditFilter) -> list[tuple[int, str]]:
    seen: list[tuple[int, str]] = []
    cursor = ""
    while True:
        page = browse.list_edits(archive.db, where, before=cursor, limit=4)
        seen += [(edit.version_id, edit.cursor) for edit in page.edits]
        if not page.older:
            return seen
        cursor = page.older


@pytest.mark.parametrize("where", FILTERS, ids=str)
def test_both_ways_list_the_same_edits_page_by_page(archive: Archive, where: browse.EditFilter,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browse, "NARROW", 0)  # every filter too big to read first: walk
    walked = every_page(archive, where)
    monkeypatch.setattr(browse, "NARROW", 10**6)  # every filter small enough: read first
    narrowed = every_page(archive, where)
    assert walked == narrowed
    assert [c for _, c in walked] == sorted((c for _, c in walked), reverse=True)
    if where.label == "numbers" and not where.source:
        assert len(walked) == 30  # 5 articles x 6 edits, each a figure changed
    newer = browse.list_edits(archive.db, where, after=walked[-1][1], limit=1) if walked else None
    assert newer is None or [e.version_id for e in newer.edits] == [
        v for v, _ in walked[-2:-1]]


def test_a_label_no_edit_has_is_read_from_the_labels_index(archive: Archive) -> None:
    plan = " | ".join(browse.edit_plan(archive.db, browse.EditFilter(label="no-such-label")))
    assert "idx_version_labels_label" in plan and "SCAN v" not in plan, plan
    plan = " | ".join(browse.edit_plan(archive.db, browse.EditFilter(source="no-such-source")))
    assert "(source=?)" in plan and "SCAN v" not in plan, plan


@pytest.mark.parametrize("label", ["numbers", "headline", "no-such-label"])
def test_stet_changes_lists_a_label_the_same_both_ways(archive: Archive, label: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browse, "NARROW", 0)
    walked = archive.changes(label=label, limit=100)
    monkeypatch.setattr(browse, "NARROW", 10**6)
    assert archive.changes(label=label, limit=100) == walked
    assert len(walked) == {"numbers": 30, "headline": 20, "no-such-label": 0}[label]
