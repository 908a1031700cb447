"""Link lists in one order (clean_page(..., ordered=True)), on a real page.

wcxb-dev/0041 (conductor.com) keeps "Useful resources" boxes inside the story. When the
site shows their items in another order, the plain text moves paragraphs longer than a
teaser line, which is an edit (store/noise.py); cleaned with its link lists in one
order, the page reads the same. Words changed, and story paragraphs moved, still show.
"""

from __future__ import annotations

import pytest

from scraper.clean import clean_page
from scraper.store.noise import only_noise
from support.realpages import DATASETS
from support.resourcelists import ITEM, STORY, URL, real_page, rotated, story_paragraph_moved

pytestmark = pytest.mark.skipif(not DATASETS.is_dir(), reason="../shared/datasets not present")


def texts(html: str, ordered: bool) -> tuple[str, str, str]:
    page = clean_page(html, URL, ordered=ordered)
    return page.headline, page.byline, page.body


def test_a_rotated_resource_list_moves_long_paragraphs_in_the_plain_text() -> None:
    html = real_page()
    before, after = texts(html, False), texts(rotated(html), False)
    assert ITEM in before[2] and before != after
    assert not only_noise(before, after)  # moved lines of 25+ words: not noise by text alone


def test_in_one_order_a_rotated_list_reads_the_same() -> None:
    html = real_page()
    assert texts(html, True) == texts(rotated(html), True) == texts(rotated(html, 2), True)
    assert ITEM in texts(html, True)[2]  # the list is still read, only in one order


def test_a_word_changed_in_a_list_item_still_shows() -> None:
    html = real_page()
    edited = rotated(html).replace("resident SEO expert", "senior SEO expert")
    assert texts(html, True) != texts(edited, True)


def test_a_story_paragraph_moved_still_shows() -> None:
    html = real_page()
    before, after = texts(html, True), texts(story_paragraph_moved(html), True)
    assert STORY in after[2] and before != after
    assert not only_noise(before, after)
