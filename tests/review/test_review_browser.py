"""`stet serve` for real: run() in a subprocess, the history page in headless Chromium."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from scraper.model import CleanPage, PageItem
from scraper.store import Archive

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ROOT = Path(__file__).resolve().parents[2]
SERVE = "import sys; from pathlib import Path; from scraper.review.serve import run; " \
        "run(Path(sys.argv[1]), port=int(sys.argv[2]))"
SCRIPT = "<script>alert(1)</script>"

# CI (CI=true) installs Chromium with `make chromium` and must run these tests: there a
# missing browser is a failure, not a skip.
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("CI"),
    reason="needs Debian's chromium at /usr/bin/chromium: apt-get install -y chromium",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_up(url: str, server: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"stet serve exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise AssertionError(f"stet serve did not answer {url} within {seconds}s")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    path = tmp_path / "archive.db"
    archive = Archive(path)
    bodies = ["The council approved 120 million for roads.\n\nWork starts in May."]
    bodies.append(bodies[0].replace("120", "150") + "\n\nThe mayor welcomed the vote.")
    for day, (headline, body) in enumerate(zip(["Council approves budget", SCRIPT], bodies,
                                               strict=True), 1):
        item = PageItem(url="https://news.example/budget", source="example", status=200,
                        body=body.encode(), fetched_at=f"2026-01-0{day}T10:00:00Z")
        archive.save_page(item, CleanPage(headline=headline, byline="By Ana Writer", body=body))
    archive.close()
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", SERVE, str(path), str(port)], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/-/versions.json", process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_history_page_in_a_browser(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    alerts: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 900})
            page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
            response = page.goto(f"{server}/-/stet/article/1")
            assert response is not None and response.status == 200
            added = page.locator("#v2 ins", has_text="The mayor welcomed the vote.")
            expect(added).to_be_visible()
            expect(page.locator("#v2 del", has_text="120")).to_have_css(
                "text-decoration-line", "line-through")
            expect(page.locator("h1")).to_have_text(SCRIPT)
            page.screenshot(path=str(tmp_path / "article.png"), full_page=True)
        finally:
            browser.close()
    assert alerts == []
    assert (tmp_path / "article.png").stat().st_size > 10_000


def serve(path: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", SERVE, str(path), str(port)], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until_up(f"http://127.0.0.1:{port}/-/versions.json", process)
    return process, f"http://127.0.0.1:{port}"


def newsroom(path: Path) -> None:
    """Two articles edited today (one twice), and one edited yesterday."""
    archive = Archive(path)
    now = datetime.now(UTC).replace(microsecond=0)
    midnight = now.replace(hour=0, minute=0, second=0)
    stories = {
        "https://news.example/budget": [
            ("Council approves budget", "The council approved 120 million.\n\nWork starts in May."),
            ("Council approves budget", "The council approved 150 million.\n\nWork starts in May."),
            (f"{SCRIPT} Council approves budget", "The council approved 150 million.\n\n"
             "Work starts in June.\n\nThe zeppelin hangar was mentioned.")],
        "https://news.example/ferry": [
            ("Ferry runs", "The ferry runs today."), ("Ferry cancelled", "The ferry is off.")],
    }
    for url, texts in stories.items():
        for n, (headline, body) in enumerate(texts):
            # Today's edits stay today's when the test runs just after midnight (UTC).
            when = max(now - timedelta(minutes=30 * (len(texts) - n)),
                       midnight + timedelta(seconds=n)) if n else now - timedelta(2)
            item = PageItem(url=url, source="example", status=200, body=body.encode(),
                            fetched_at=when.strftime("%Y-%m-%dT%H:%M:%SZ"))
            archive.save_page(item, CleanPage(headline=headline, byline="By Ana", body=body))
    archive.close()


def test_review_flow_in_a_browser(tmp_path: Path) -> None:
    """Home -> today's edits -> a diff -> next edit -> side by side -> timeline -> search
    -> feed, in Chromium, with Stet's Content-Security-Policy and no script run."""
    from playwright.sync_api import expect, sync_playwright

    newsroom(tmp_path / "archive.db")
    process, base = serve(tmp_path / "archive.db")
    shots = Path(os.environ.get("STET_SCREENSHOTS", tmp_path))
    alerts: list[str] = []
    errors: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                 args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1100, "height": 900})
                page.on("dialog", lambda d: (alerts.append(d.message), d.dismiss()))
                page.on("console", lambda m: errors.append(m.text) if m.type == "error" else 0)
                page.goto(f"{base}/")
                expect(page.locator("h1")).to_have_text("Edits")
                page.screenshot(path=str(shots / "review-front.png"), full_page=True)
                page.click("text=today's edits")
                expect(page).to_have_url(re.compile(r"when=today"))
                expect(page.locator("select[name=when]")).to_have_value("today")
                expect(page.locator(".stet-edit")).to_have_count(3)
                page.locator(".stet-edit-link", has_text="Council").last.click()
                expect(page.locator(".stet-diff-box del", has_text="120")).to_be_visible()
                page.click(".stet-next-edit")
                expect(page).to_have_url(re.compile(r"/-/stet/diff/\d+/2/3"))
                expect(page.locator("h1")).to_have_text(f"{SCRIPT} Council approves budget")
                page.screenshot(path=str(shots / "review-diff.png"), full_page=True)
                page.click("text=side by side")
                expect(page.locator(".stet-sides td ins", has_text="June")).to_be_visible()
                expect(page.locator(".stet-sides td del", has_text="May")).to_be_visible()
                page.click("text=Timeline")
                expect(page.locator("#v3")).to_be_visible()
                page.fill("input[name=q]", "zeppelin")
                page.click("input[value=Search]")
                expect(page.locator(".stet-snippet mark")).to_have_text("zeppelin")
                page.screenshot(path=str(shots / "review-search.png"), full_page=True)
                feed = page.locator('link[rel=alternate][type="application/atom+xml"]')
                href = feed.get_attribute("href")
                assert href is not None
                response = page.goto(base + href)
                assert response is not None and response.status == 200
                assert response.headers["content-type"].startswith("application/atom+xml")
                assert "zeppelin" in response.text()
            finally:
                browser.close()
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert alerts == []
    assert [e for e in errors if "Content Security Policy" in e] == []
    assert (shots / "review-front.png").stat().st_size > 10_000


def test_datasette_pages_work_under_the_policy(tmp_path: Path) -> None:
    """Datasette's own table and SQL pages keep their scripts (served as files or allowed
    by hash): no Content-Security-Policy violation, the SQL editor starts."""
    from playwright.sync_api import expect, sync_playwright

    newsroom(tmp_path / "archive.db")
    process, base = serve(tmp_path / "archive.db")
    errors: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                 args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                page.on("console", lambda m: errors.append(m.text) if m.type == "error" else 0)
                page.goto(f"{base}/archive/versions")
                expect(page.locator("table.rows-and-columns")).to_be_visible()
                page.goto(f"{base}/archive?sql=select+count(*)+from+versions")
                expect(page.locator(".CodeMirror")).to_be_visible()
                page.goto(f"{base}/archive/revisions")
                expect(page.locator("td.col-review_page a").first).to_have_text("review")
            finally:
                browser.close()
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert [e for e in errors if "Content Security Policy" in e] == []
