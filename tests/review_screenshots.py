"""Screenshots of the review pages for the README: python tests/review_screenshots.py DB [OUT].

Serves the archive DB (for instance the demo's, `make demo`) with `stet serve`, opens the
front page, the diff of the most edited article and a search in Debian's Chromium, and
writes docs/review-front.png, docs/review-diff.png and docs/review-search.png.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).parent))  # a script, not a test: find the helpers

from review.test_review_browser import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402


def main(db: Path, out: Path, query: str) -> None:
    process, base = serve(db)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                 args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1100, "height": 1000})
            page.goto(f"{base}/")
            page.screenshot(path=str(out / "review-front.png"))
            page.locator(".stet-edit-link").first.click()
            page.screenshot(path=str(out / "review-diff.png"))
            page.goto(f"{base}/-/stet/search?q={query}")
            page.screenshot(path=str(out / "review-search.png"))
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=10)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2] if len(sys.argv) > 2 else "docs"),
         sys.argv[3] if len(sys.argv) > 3 else "injured")
