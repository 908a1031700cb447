"""Dated lines on real pages through the archive: an event's corrected date is an edit, a
line that changes on every load is learned from the page's history (issue 9)."""

from __future__ import annotations

from pathlib import Path

from scraper.clean import clean_page
from scraper.model import PageItem
from scraper.store import Archive
from support.realsite import real_page

CONFERENCES = "4363"  # business.booking.com: the ten best tech conferences of 2026
NEWSLETTER = "4444"  # a newsletter with a promo line: "Advertisement: London 2025 Event On ..."


def save(archive: Archive, url: str, html: bytes, when: str) -> str:
    item = PageItem(url=url, source="site.example", fetched_at=when, status=200, body=html)
    return archive.save_page(item, clean_page(html, url))


def test_a_corrected_event_date_makes_a_version(tmp_path: Path) -> None:
    page = real_page("wcxb-dev", CONFERENCES)
    assert b"Barcelona, Spain: March 2&ndash;5, 2026" in page.html
    edited = page.html.replace(b"March 2&ndash;5, 2026", b"March 2&ndash;7, 2026")
    archive = Archive(tmp_path / "archive.db")
    outcomes = [save(archive, page.url, html, f"2026-12-0{day}T10:00:00Z")
                for day, html in enumerate([page.html, page.html, edited], start=5)]
    assert outcomes == ["new", "unchanged", "changed"]
    assert "March 2–7, 2026" in archive.versions(1)[-1].body


def test_a_line_that_changed_before_is_noise_when_it_changes_again(tmp_path: Path) -> None:
    page = real_page("wcxb-dev", NEWSLETTER)
    line = b"London 2025 Event On 31 October"
    assert line in page.html
    pages = [page.html.replace(line, new) for new in (
        line, b"London 2026 Event On 10 October", b"London 2027 Event On 01 October")]
    archive = Archive(tmp_path / "archive.db")
    outcomes = [save(archive, page.url, html, f"2026-12-0{day}T10:00:00Z")
                for day, html in enumerate(pages, start=5)]
    assert outcomes == ["new", "changed", "unchanged"]
    edited = pages[2].replace(b"Part 3: Cooking the Dish", b"Part 3: Serving the Dish")
    assert save(archive, page.url, edited, "2026-12-08T10:00:00Z") == "changed"
