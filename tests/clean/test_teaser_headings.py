"""An <h1> that links to another story is a teaser card, never the page's headline.

Real pages from ../shared/datasets (wcxb-dev): a guide whose "next in your guide" cards
are <h1> links, in the order a rotating list serves them, and a blog whose own <h1> links
to the post itself (a permalink).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from scraper.clean import clean_page

DATASETS = Path(__file__).resolve().parents[3] / "shared" / "datasets"
pytestmark = pytest.mark.skipif(not DATASETS.is_dir(), reason="../shared/datasets not present")


def real_page(page_id: str) -> tuple[str, str]:
    truth = json.loads((DATASETS / "wcxb-dev" / "ground-truth.json").read_text("utf-8"))
    with gzip.open(DATASETS / "wcxb-dev" / "html" / f"{page_id}.html.gz", "rt",
                   encoding="utf-8") as handle:
        return handle.read(), truth[page_id]["url"]


def test_teaser_cards_in_any_order_leave_the_headline_alone() -> None:
    """wcxb-dev/4628: a card headed "Here's Where to Kayak and Paddle in Houston" shares
    more words with the <title> than the story's own <h1> does."""
    html, url = real_page("4628")
    card = ("<h1 class='item__title'><a href=\"/travel-and-outdoors/paddling-houston\">"
            "Here's Where to Kayak and Paddle in Houston</a></h1>")
    first_card = html.index("<h1 class='item__title'>")
    moved = html[:first_card] + card + html[first_card:]
    assert "Kayak" not in clean_page(html, url).headline
    assert clean_page(moved, url).headline == clean_page(html, url).headline


def test_an_h1_that_links_to_its_own_page_is_the_headline() -> None:
    html, url = real_page("0159")  # <h1><a href="/blog/<this post>" rel="bookmark">
    assert clean_page(html, url).headline == (
        "Cleaning Services Costs In The City Of San Diego In California")
