"""Real pages from ../shared/datasets, one case per failure class of issue 9.

Each case names the page (set/id), the class it stands for, strings that must appear in
the body (from the page's ground truth) and strings that must not (page furniture).
The data sets are not in the repository: the tests skip when the folder is absent.
"""

from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from scraper.clean import clean_page

DATASETS = Path(__file__).resolve().parents[3] / "shared" / "datasets"
pytestmark = pytest.mark.skipif(not DATASETS.is_dir(), reason="../shared/datasets not present")


@cache
def truth(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATASETS / name / "ground-truth.json").read_text("utf-8"))
    return data


def page(key: str) -> tuple[str, dict[str, Any]]:
    name, page_id = key.split("/")
    with gzip.open(DATASETS / name / "html" / f"{page_id}.html.gz", "rt", encoding="utf-8") as f:
        return f.read(), truth(name)[page_id]


# (page, failure class, must appear in the body, must not appear in it)
BODY_CASES = [
    ("wcxb-dev/0044", "7 story inside an unclosed header <button>",
     ["Digital marketing utilizes online platforms, including websites"],
     ["Newsletter Sign Up", "Terms of Service"]),
    ("wcxb-dev/4042", "7 story inside a <nav> left open",
     ["Coffee is the first most valuable commercial crop in the US"],
     ["Faculty/Staff", "Alumni & Friends"]),
    ("wcxb-dev/4459", "7 story inside an <aside> banner left open",
     ["Once you’ve established your top four or five values"], ["Recommended Posts"]),
    ("wcxb-dev/0093", "8 story split over <section>s classed 'richtext-title'",
     ["Laptops are optimized for efficiency, typically using 30 to 70 watts",
      "A 300W desktop running for 8 hours a day uses 2.4 kWh daily"],
     ["Warranty Policy", "Select your country or region:"]),
    ("wcxb-dev/0164", "8 story in CMS blocks classed 'hs_cos_wrapper_widget'",
     ["Nothing gives folks a more solid financial footing than awareness"],
     ["Skip to main content"]),
]


@pytest.mark.parametrize(("key", "kind", "present", "absent"), BODY_CASES,
                         ids=[c[0] for c in BODY_CASES])
def test_real_page_body(key: str, kind: str, present: list[str], absent: list[str]) -> None:
    html, item = page(key)
    body = " ".join(clean_page(html, item["url"]).body.split())
    for text in present:
        assert text in body, f"{kind}: missing {text!r}"
    for text in absent:
        assert text not in body, f"{kind}: furniture {text!r} kept"
