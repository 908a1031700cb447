"""Site profiles on real pages (issue 9): what a learned profile hides, and what it never does."""

from __future__ import annotations

import pickle
from concurrent.futures import ProcessPoolExecutor

import pytest

from scraper.clean import clean_page
from scraper.clean import site as site
from scraper.clean.site import SiteProfile
from support.realsite import real_page, restory, stories, truth

MOREBIKES = "612cd29826624e68ce96789c8049e16279dfd2fceb27434eea7943b2aaf84e90"
AUTORACING = "cc03ddb5ef7d5f1fdb8a87f5e6dfd058a2a70acedf2551655a898dc5c18eb79e"
FURNITURE = ("Get Motor Cycle Monthly delivered", "Tell us what YOU think")


def furniture_of(body: str) -> SiteProfile:
    found = [fp for fp, para in site.body_fingerprints(body).items()
             if para.startswith(FURNITURE)]
    return SiteProfile("morebikes", furniture=frozenset(found))


def morebikes() -> tuple[str, SiteProfile]:
    page = real_page("article-extraction", MOREBIKES)
    body = clean_page(page.html, page.url).body
    assert all(f in body for f in FURNITURE)  # the single-page cleaner keeps them
    return body, furniture_of(body)


def test_learned_furniture_leaves_the_page_and_the_story_stays() -> None:
    body, profile = morebikes()
    page = real_page("article-extraction", MOREBIKES)
    cleaned = clean_page(page.html, page.url, profile=profile).body
    assert not any(f in cleaned for f in FURNITURE)
    for para in page.paragraphs():
        assert site.normal(para)[:40] in site.normal(cleaned)
    assert site.apply(body, profile) == cleaned


@pytest.mark.parametrize("key", sorted(truth("article-extraction"))[:40])
def test_no_profile_and_another_sites_profile_change_nothing(key: str) -> None:
    """A new site (nothing learned) gets the single-page cleaner's text exactly."""
    page = real_page("article-extraction", key)
    before = clean_page(page.html, page.url)
    _, other = morebikes()
    assert clean_page(page.html, page.url, profile=None) == before
    assert clean_page(page.html, page.url, profile=SiteProfile(page.url)) == before
    if "morebikes.co.uk" not in page.url:  # the same site's other page does share it
        assert clean_page(page.html, page.url, profile=other) == before


def test_a_profile_crosses_into_a_worker_process() -> None:
    _, profile = morebikes()
    assert pickle.loads(pickle.dumps(profile)) == profile
    page = real_page("article-extraction", MOREBIKES)
    with ProcessPoolExecutor(1) as pool:
        remote = pool.submit(clean_page, page.html, page.url, profile=profile).result()
    assert remote == clean_page(page.html, page.url, profile=profile)


def test_a_body_made_only_of_known_blocks_is_kept_whole() -> None:
    """A syndicated copy shares everything with another article: never emptied."""
    body, _ = morebikes()
    everything = SiteProfile("x", furniture=frozenset(site.body_fingerprints(body)))
    assert site.apply(body, everything) == body


def test_a_date_line_that_alone_changed_is_a_volatile_shape() -> None:
    page, story = real_page("article-extraction", AUTORACING), stories("wcxb-dev", 1)[0]
    old_date = "segunda-feira, 22 de janeiro de 2018 às 0:13"
    new_date = "terça-feira, 23 de janeiro de 2018 às 10:45"
    before = clean_page(restory(page, story), page.url).body
    after = clean_page(restory(page, story, {old_date: new_date}), page.url).body
    shapes = site.volatile_shapes(before, after)
    assert shapes == {site.shape_fingerprint(new_date)}
    profile = SiteProfile("autoracing", volatile=shapes)
    assert site.apply(before, profile) == site.apply(after, profile)
    assert old_date not in site.apply(before, profile)


def test_real_edits_are_never_volatile() -> None:
    """A figure changed in the story, a paragraph added or removed: no volatile shape."""
    page, (story, other) = real_page("article-extraction", AUTORACING), stories("wcxb-dev", 2)
    before = clean_page(restory(page, story), page.url).body
    longer = clean_page(restory(page, [*story[:2], other[0], *story[2:]]), page.url).body
    shorter = clean_page(restory(page, story[:-1]), page.url).body
    assert site.volatile_shapes(before, longer) == frozenset()
    assert site.volatile_shapes(before, shorter) == frozenset()
    story = next(s for s in stories("wcxb-dev", 20) if any(is_long_with_figure(p) for p in s))
    before = clean_page(restory(page, story), page.url).body
    edited = [p.replace(next(c for c in p if c.isdigit()), "7", 1) if is_long_with_figure(p)
              else p for p in story]
    changed = clean_page(restory(page, edited), page.url).body
    assert changed != before
    assert site.volatile_shapes(before, changed) == frozenset()


def is_long_with_figure(para: str) -> bool:
    return any(c.isdigit() and c != "7" for c in para) and len(para.split()) > 30


def test_thresholds_one_article_is_never_furniture() -> None:
    assert not site.is_furniture(1, 1)
    assert not site.is_furniture(2, 2)
    assert site.is_furniture(3, 10)
    assert not site.is_furniture(3, 1000)  # three stories of a thousand quoting one line
    assert not site.is_volatile(1)
