"""Edits to a real page's story show in what the cleaner keeps (issue 9): the block that
holds the story must stay the one readers see when the story changes. Pages come from
../shared/datasets; the tests skip when the folder is absent.
"""

from __future__ import annotations

from scraper.clean import clean_page
from support.realsite import real_page  # skips the module without ../shared


def body(html: str, url: str) -> str:
    return " ".join(clean_page(html, url).body.split())


def test_paragraph_cut_from_the_shown_copy_of_a_story_held_twice() -> None:
    """wcxb-dev/1396 holds its story twice, the second copy in <main class="post-main
    hide">; with one paragraph fewer, the shown copy still wins over the hidden one."""
    page = real_page("wcxb-dev", "1396")
    html = page.html.decode("utf-8")
    cut = "<p>Onya employs a <strong>five-step approach</strong> to marketing:</p>"
    assert html.count(cut) == 2 and html.index(cut) < html.index('class="post-main hide"')
    assert "Onya employs a five-step approach" in body(html, page.url)
    edited = body(html.replace(cut, "", 1), page.url)
    assert "Onya employs a five-step approach" not in edited
    assert "Onya is a digital marketing agency specializing in organic" in edited


def test_typo_fixed_in_an_intro_apart_from_the_body() -> None:
    """wcxb-dev/4531 has its headline and intro in an image-text widget and the catalogue
    index in a text widget under class-less wrappers; the intro is the story's too."""
    page = real_page("wcxb-dev", "4531")
    html = page.html.decode("utf-8")
    fixed = "to have a catalog sent to you"
    assert html.count(fixed) == 1
    assert fixed in body(html, page.url)
    assert "to have a ctaalog sent to you" in body(html.replace(fixed, "to have a ctaalog sent "
                                                                      "to you"), page.url)
