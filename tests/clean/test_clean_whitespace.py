"""White space that moves in the markup changes nothing (issue 9).

A page reloaded with its white space reflowed (newlines and indents between tags, a
line rewrapped inside a paragraph) shows the same text, so it must give the same
cleaned page. Runs of white space are one space from parsing on, so no length, density
or score reads them; preformatted text keeps its own. The real page is from
../shared/datasets (wcxb-dev): a Webflow page holding its story twice, one copy in a
hidden ("w-condition-invisible") layout, with a sign-up card after the story.
"""

from __future__ import annotations

import random

import pytest

from scraper.clean import clean_page
from scraper.clean.encoding import decode_html
from scraper.clean.prune import parse
from scraper.store.normalize import text_hash
from support.realdoc import parse as parse_doc
from support.realnoise import noise_br_split, noise_whitespace
from support.realpages import DATASETS
from support.realsite import real_page

pytestmark = pytest.mark.skipif(not DATASETS.is_dir(), reason="../shared/datasets not present")


def reflowed(source: str, seed: str) -> str:
    """The page with the change benchmark's white-space noise (tests/bench_realchanges.py)."""
    doc = parse_doc(source, "")
    raws = list(doc.raws)
    noise_whitespace(doc, raws, random.Random(seed))
    return "".join(raws)


@pytest.mark.parametrize("seed", ["s:2", "s:6", "0151:1"])
def test_reflowed_white_space_gives_the_same_page(seed: str) -> None:
    page = real_page("wcxb-dev", "0151")
    source = decode_html(page.html, None)
    noisy = reflowed(source, seed)
    assert noisy != source
    before, after = clean_page(source, page.url), clean_page(noisy, page.url)
    assert after == before
    assert "five-star service" not in after.body  # the sign-up card after the story
    assert "how much is a yoga class?" in after.body


@pytest.mark.parametrize("seed", ["0151:1", "0151:3", "0151:4"])
def test_a_paragraph_split_in_one_copy_keeps_the_shown_copy(seed: str) -> None:
    """The story's two copies score alike; a <br><br> in one must not hand the page to the
    copy in the hidden layout, whose wrappers bring the sign-up card's heading along."""
    page = real_page("wcxb-dev", "0151")
    source = decode_html(page.html, None)
    doc = parse_doc(source, page.body)
    raws = list(doc.raws)
    noise_br_split(doc, raws, random.Random(seed))
    split = "".join(raws)
    assert split.count("<br><br>") == source.count("<br><br>") + 1
    before, after = clean_page(source, page.url), clean_page(split, page.url)
    assert text_hash(after.headline, after.byline, after.body) == text_hash(
        before.headline, before.byline, before.body)
    assert "five-star service" not in after.body


def test_white_space_runs_are_one_space_except_in_preformatted_text() -> None:
    root = parse("<body><p>Two\n   lines,\tone <b>bold</b>\n\n word</p>"
                 "<pre>keep\n  this</pre>\n\n<p>after</p></body>")
    assert root is not None
    paras = root.findall(".//p")
    assert paras[0].text_content() == "Two lines, one bold word"
    pre = root.find(".//pre")
    assert pre is not None
    assert pre.text == "keep\n  this"
    assert pre.tail == " "


def test_a_control_character_reference_beside_white_space_keeps_the_story() -> None:
    story = " ".join(["The council voted on the new budget after a long debate."] * 6)
    html = f"<html><body><article><p>Today&#1;s   news:\n {story}</p></article></body></html>"
    page = clean_page(html, "https://example.com/news/budget")
    assert page.blocked == ""
    assert "The council voted on the new budget" in page.body
