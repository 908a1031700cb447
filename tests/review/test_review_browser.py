"""`stet serve` for real: run() in a subprocess, the history page in headless Chromium."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
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

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
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
