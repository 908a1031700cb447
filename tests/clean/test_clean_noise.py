"""Noise containers named the way component frameworks name them."""

from __future__ import annotations

import pytest

from scraper.clean import clean_page

STORY = "".join(
    f"<p>{text}</p>" for text in (
        "The county will close the Marrow Bridge for six weeks from Monday while engineers "
        "replace its expansion joints, the highways office said on Thursday.",
        "Drivers will be sent on a nine-mile diversion through Hollin and Stade, and the 42 "
        "bus will stop short of the river at the Mill Lane turning.",
        "Shopkeepers on the east bank said the timing, ahead of the Christmas market, could "
        "not be worse for trade in the old town.",
    )
)


@pytest.mark.parametrize("box", [
    '<div class="AuthorCard_root__w2Hnq"><strong>Ada Quill</strong> covers transport. '
    '<a href="/author/ada-quill/">All articles</a></div>',
    '<section class="RelatedStories_wrapper__9xQz1"><h2>More from the county</h2>'
    '<p>Ferry fares rise in January after a long winter of delays on the crossing</p></section>',
    '<div class="ShareBar_container__a1B2c">Share this story on your favourite network</div>',
])
def test_css_module_noise_boxes_are_dropped(box: str) -> None:
    page = ("<html><body><article><h1>Marrow Bridge to close for six weeks</h1>"
            f"<div class='ArticleBody_body__Zk3p0'>{STORY}</div>{box}</article></body></html>")
    body = clean_page(page).body
    assert body.startswith("The county will close") and body.endswith("old town.")
    assert body.count("\n\n") == 2


def test_camel_case_words_outside_css_modules_are_not_noise() -> None:
    page = ("<html><body><article><h1>Gift guide</h1>" + STORY
            + "<h3 class='productTitle'>Marrow Bridge souvenir mug, hand-thrown in Stade</h3>"
            "</article></body></html>")
    assert "souvenir mug" in clean_page(page).body
