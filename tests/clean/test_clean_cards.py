"""Real pages from ../shared/datasets whose list items open with a head that is all links:
the item's name in an <h2> and its address, each linked to the item's own page, in a
wrapper named for its title ("title-flex"). The head is the story's, not a link list or a
furniture title. The tests skip when the data sets are absent.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from scraper.clean import clean_page

DATASETS = Path(__file__).resolve().parents[3] / "shared" / "datasets"
pytestmark = pytest.mark.skipif(not DATASETS.is_dir(), reason="../shared/datasets not present")


def body(name: str, page_id: str) -> str:
    truth = json.loads((DATASETS / name / "ground-truth.json").read_text("utf-8"))
    with gzip.open(DATASETS / name / "html" / f"{page_id}.html.gz", "rt", encoding="utf-8") as f:
        return " ".join(clean_page(f.read(), truth[page_id]["url"]).body.split())


def test_a_linked_item_head_stays() -> None:
    text = body("wcxb-dev", "0057")
    assert "218 Withers St Apt. 1A, Brooklyn, NY 11211" in text
    assert "48 Wall St #1100, New York, NY 10005" in text
    assert "Get a Quote" not in text
