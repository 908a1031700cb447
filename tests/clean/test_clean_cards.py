"""Real pages from ../shared/datasets whose list items open with a head that is all links:
the item's name in an <h2> and its address, each linked to the item's own page, in a
wrapper named for its title ("title-flex"). The head is the story's, not a link list or a
furniture title. The tests skip when the data sets are absent.
"""

from __future__ import annotations

from scraper.clean import clean_page
from support.realsite import real_page  # skips the module without ../shared


def body(name: str, page_id: str) -> str:
    page = real_page(name, page_id)
    return " ".join(clean_page(page.html.decode("utf-8"), page.url).body.split())


def test_a_linked_item_head_stays() -> None:
    text = body("wcxb-dev", "0057")
    assert "218 Withers St Apt. 1A, Brooklyn, NY 11211" in text
    assert "48 Wall St #1100, New York, NY 10005" in text
    assert "Get a Quote" not in text
