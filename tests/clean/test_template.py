"""Template containers (issue 9): learned from scored pages, found again on the next ones."""

from __future__ import annotations

import lxml.html

from scraper.clean import clean_page, template
from scraper.clean.blocks import story_chars
from scraper.clean.site import SiteProfile
from support.realsite import real_page, restory, stories

MOREBIKES = "612cd29826624e68ce96789c8049e16279dfd2fceb27434eea7943b2aaf84e90"
WCXB_PAGES = ("0007", "0009", "0013")


def articles(dataset: str, key: str, count: int) -> list[bytes]:
    page = real_page(dataset, key)
    return [restory(page, story) for story in stories("wcxb-dev", count)]


def test_one_templates_articles_share_a_signature_and_it_gives_the_scored_text() -> None:
    for dataset, key in [("article-extraction", MOREBIKES),
                         *(("wcxb-dev", k) for k in WCXB_PAGES)]:
        pages = articles(dataset, key, 5)
        found = {clean_page(html, "").template for html in pages[:3]}
        assert len(found) == 1 and "" not in found, (key, found)
        profile = SiteProfile(source=key, containers=tuple(found))
        for html in pages[3:]:
            plain, learned = clean_page(html, ""), clean_page(html, "", profile=profile)
            assert learned.body == plain.body and learned.template == plain.template


def test_a_learned_container_that_holds_little_of_the_story_is_not_used() -> None:
    html = articles("article-extraction", MOREBIKES, 1)[0]
    root = lxml.html.document_fromstring(html)
    small = next(sig for el in root.iter("div", "ul", "section", "footer", "aside")
                 if (sig := template.signature([el])) and story_chars(el) == 0)
    missing = "div > div.no-such-container"
    assert template.find(root, (small, missing)) == ([], "")
    plain = clean_page(html, "")
    learned = clean_page(html, "", profile=SiteProfile(containers=(small, missing)))
    assert learned.body == plain.body and learned.template == plain.template


def test_signatures_leave_out_ids_and_class_names_with_digits() -> None:
    root = lxml.html.fragment_fromstring(
        '<main><div id="post-4411" class="entry-content post-4411 css-1x9z2a body">x</div>'
        '<div class="row-12">y</div></main>')
    first, second = root.findall("div")
    assert template.signature([first]) == "main > div.body.entry-content"
    assert template.signature([second]) == ""  # nothing stable to name it by
    assert template.signature([first, second]) == ""
