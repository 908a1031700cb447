"""An <h1> that links to another story is a teaser card, never the page's headline.

Real pages from ../shared/datasets (wcxb-dev): a guide whose "next in your guide" cards
are <h1> links, in the order a rotating list serves them, and a blog whose own <h1> links
to the post itself (a permalink).
"""

from __future__ import annotations

from scraper.clean import clean_page
from support.realsite import real_page as shared_page  # skips the module without ../shared


def real_page(page_id: str) -> tuple[str, str]:
    page = shared_page("wcxb-dev", page_id)
    return page.html.decode("utf-8"), page.url


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


def test_a_malformed_address_loses_no_text() -> None:
    """An og:url or a heading link that urlsplit refuses ("http://[x") is bad input: the
    page is still read, its <h1> linked to that address a headline like any other."""
    story = "".join(f"<p>Sentence {n} of the story, long enough to be running text in a "
                    "body of several paragraphs.</p>" for n in range(8))
    html = ('<html><head><meta property="og:url" content="http://[y"></head><body><article>'
            f'<h1><a href="http://[x">Quay wall repairs delayed</a></h1>{story}'
            "</article></body></html>")
    page = clean_page(html, "https://example.com/a")
    assert "Sentence 7 of the story" in page.body
    assert page.headline == "Quay wall repairs delayed"
