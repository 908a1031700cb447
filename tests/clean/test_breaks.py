"""The same words give the same text, whatever <br><br> a page puts between them (issue 9).

A story paragraph split in two by <br><br> gives two lines, and each line is judged on
its own by the line filters. A sentence of the story that looks like a call to action
or a relative time when alone ("More on the resampling approach below.", "We got the
keys 48 hours ago.") then came and went with the markup. Such a sentence stays with the
sentence beside it in its block; a line that is not a sentence, a stamp, or furniture
after <br><br> still goes. Real pages from ../shared/datasets (wcxb-dev).
"""

from __future__ import annotations

import gzip

import pytest

from scraper.clean import clean_page
from scraper.store.normalize import text_hash
from support.realpages import DATASETS

pytestmark = pytest.mark.skipif(not DATASETS.is_dir(), reason="../shared/datasets not present")

# (page, URL, a sentence boundary inside one story paragraph: text before, text after)
SPLITS = [
    ("0429", "https://playfultones.com/blog/reflections-on-building-a-pixel-perfect-ui-pipeline"
     "-in-juce-applications---part-1", "resample at runtime.", " More on the resampling"),
    ("0023", "https://happilyconnected.com/wedding-planning/wedding-planning-tools/planning-too"
     "ls-caterer-comparison-spreadsheet/", "signed into your own Google account to download.",
     " Next, click"),
]


def real_page(page_id: str) -> str:
    with gzip.open(DATASETS / "wcxb-dev" / "html" / f"{page_id}.html.gz", "rt",
                   encoding="utf-8") as f:
        return f.read()


def texts_hash(html: str, url: str) -> str:
    page = clean_page(html, url)
    return text_hash(page.headline, page.byline, page.body)


@pytest.mark.parametrize(("page_id", "url", "before", "after"), SPLITS)
def test_a_paragraph_split_by_two_breaks_gives_the_same_words(
        page_id: str, url: str, before: str, after: str) -> None:
    html = real_page(page_id)
    assert html.count(before + after) == 1
    split = html.replace(before + after, f"{before}<br><br>{after.lstrip()}")
    assert texts_hash(split, url) == texts_hash(html, url)
    assert after.strip() in clean_page(split, url).body


@pytest.mark.parametrize(("page_id", "url", "before", "after"), SPLITS)
def test_a_word_changed_in_the_split_sentence_still_shows(
        page_id: str, url: str, before: str, after: str) -> None:
    html = real_page(page_id)
    split = html.replace(before + after, f"{before}<br><br>{after.lstrip()}")
    edited = split.replace(after.lstrip(), after.lstrip().replace(" ", " so ", 1))
    assert texts_hash(edited, url) != texts_hash(split, url)


def test_a_line_that_is_not_a_sentence_still_goes_after_two_breaks() -> None:
    page_id, url, _, _ = SPLITS[0]
    html = real_page(page_id)
    plain = clean_page(html, url).body
    for line in ("Read more: Pixel-perfect UI in JUCE, part 2", "Posted 3 hours ago.",
                 "Updated 5 minutes ago"):
        extra = html.replace("approach below.</p>", f"approach below.<br><br>{line}</p>")
        assert extra != html and clean_page(extra, url).body == plain, line
