"""The headline is the one readers see: real pages from ../shared/datasets, one case per
class of headline error (issue 9, class 4).

Each case names the page (set/id), the class it stands for, and the headline that page
shows in its story's <h1> (or, where no <h1> is the story's, its <title> without the
site's name). The tests skip when the data sets are absent.
"""

from __future__ import annotations

import pytest

from scraper.clean import clean_page
from support.realsite import real_page  # skips the module without ../shared

AE = "article-extraction"
CASES = [
    # The story's <h1> differs from og:title and <title> (an SEO or social variant), and no
    # title shares its words: the <h1> is still the headline.
    ("wcxb-dev", "0432", "h1 differs from every title", "Making Google Sans Flex"),
    ("wcxb-dev", "0114", "h1 differs from every title",
     "Everything You Need to Know About Online Classes and Learning Platforms"),
    (AE, "bc13ff87b2630ffbebc33bc37b11178b14f03109055e1d17bf644f804b63d98a",
     "h1 differs from every title (2019)", "Major WeWork layoffs to begin today"),
    (AE, "851498a2b9f4f0b578ac9700c245253dbc147a06c0fb3499adebf1c2d5663c29",
     "h1 differs from every title, beside an in-story recirculation <h1>",
     "The Disappearance of John M. Ford"),
    # og:title is a social variant; the JSON-LD headline gives the <h1>.
    ("wcxb-dev", "0212", "JSON-LD headline vouches for the h1",
     "Best live TV streaming service: The top 5 picks for entertainment, sports, and more"),
    ("wcxb-dev", "1821", "JSON-LD headline vouches for the h1",
     "The 12 Best Running Shoes of 2026"),
    # The site's name in the <title>, known from the host or a shorter og:site_name.
    ("wcxb-dev", "4182", "' | Bridgestone Tires' on tires.bridgestone.com, no h1",
     "The Ultimate Car Maintenance Checklist"),
    ("wcxb-dev", "4420", "' | Newegg.com' on promotions.newegg.com, no h1", "GAME CHANGER"),
    ("wcxb-dev", "4271", "' | Thrive Internet Marketing' (site: '... Agency')",
     "Website Design Portfolio"),
    ("wcxb-dev", "0378", "all-capitals h1, ' | TheFocus.AI Labs' on thefocus.ai",
     "Weekend Coding Agent"),
    ("wcxb-dev", "0452", "logo h1 linked home ('davidbau.com'), '<title>' = 'Site Headline'",
     "Vibe Coding"),
    # Words inside the <h1> that are not the headline.
    ("wcxb-dev", "0330", "a 'Posted on DATE by NAME' <h3> inside the h1",
     "Top Strategies to Optimize Blockchain Performance and Security"),
    ("wcxb-dev", "0450", "a <time> inside the h1", "Preparing a transition in Debusine"),
    ("wcxb-dev", "0396", "source link and comment count inside the h1",
     "Stanford Computer Science Grads Find Their Degrees No Longer Guarantee Jobs"),
    ("wcxb-dev", "3036", "'Blog:' label inside the h1",
     "Best Social Media Advertising Agencies in the U.S. in 2025 (Ranked & Reviewed)"),
    # Letters: lost case, UTF-8 read as Latin-1.
    ("wcxb-dev", "4043", "lower-case h1 ('history of coffee')", "History of coffee"),
    ("wcxb-dev", "4475", "all-capitals h1 worded a little differently from og:title",
     "Best Drip Coffee Maker 2026: Buying Tips From Coffee Pros"),
    ("wcxb-dev", "4656", "UTF-8 read as Latin-1 in every title",
     "A DIY Investor’s Guide to Retirement Calculators in 2025"),
    # <h1>s that are not the story's: the titles decide.
    (AE, "680c2848e94a96f961a0964631de94ac572f83c45bfd0bec2deafa893bcfe15c",
     "h1 is a card linking to another site (rel=bookmark)",
     "The Early Reviews For Google's Stadia Gaming Platform Are Here — And They're Not Great"),
    ("wcxb-dev", "0441", "h1s head the story's sections", "Small adventures with small language models"),
    ("wcxb-dev", "0118", "all-capitals kicker h1",
     "GAAP Compliance: Applying Accounting Best Practices To Your Business"),
    ("wcxb-dev", "4809", "h1 over an h2 that the titles give", "How Does Robot Vacuum Mapping Work"),
    ("wcxb-dev", "0391", "a title opening with the host's name keeps it",
     "Digjitale Signal #18 – The World Without Work?"),
]


@pytest.mark.parametrize(("dataset", "key", "kind", "headline"), CASES,
                         ids=[f"{c[0][:4]}-{c[1][:8]}" for c in CASES])
def test_real_page_headline(dataset: str, key: str, kind: str, headline: str) -> None:
    page = real_page(dataset, key)
    assert clean_page(page.html, page.url).headline == headline, kind


def test_twice_escaped_entities_read_as_meant() -> None:
    """wcxb-dev/0244: a hidden <h1> holds "SQL &amp;#x26; AI"; readers see "SQL & AI"."""
    page = real_page("wcxb-dev", "0244")
    headline = clean_page(page.html, page.url).headline
    assert "&#x26;" not in headline and "SQL & AI" in headline


def test_site_name_from_the_host_needs_a_short_part() -> None:
    """wcxb-dev/4182 with its <title>'s parts swapped: a site-name part is still cut, and a
    long part that only begins with the host's name is never taken for it."""
    page = real_page("wcxb-dev", "4182")
    html = page.html.replace(b"The Ultimate Car Maintenance Checklist | Bridgestone Tires",
                             b"Bridgestone Tires | The Ultimate Car Maintenance Checklist")
    assert b"Bridgestone Tires | The Ultimate" in html
    assert clean_page(html, page.url).headline == "The Ultimate Car Maintenance Checklist"
    html = page.html.replace(b"The Ultimate Car Maintenance Checklist | Bridgestone Tires",
                             b"Why we test tires | Bridgestone explains its winter tire lab")
    assert clean_page(html, page.url).headline.startswith("Why we test tires")
