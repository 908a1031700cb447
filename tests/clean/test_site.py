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


def test_a_date_line_learned_as_furniture_hides_tomorrows_date_too() -> None:
    page, story = real_page("article-extraction", AUTORACING), stories("wcxb-dev", 1)[0]
    old_date = "segunda-feira, 22 de janeiro de 2018 às 0:13"
    new_date = "terça-feira, 23 de janeiro de 2018 às 10:45"
    before = clean_page(restory(page, story), page.url).body
    after = clean_page(restory(page, story, {old_date: new_date}), page.url).body
    assert old_date in before and new_date in after  # the single-page cleaner keeps it
    assert site.maybe_volatile(old_date)
    profile = SiteProfile("autoracing", volatile=frozenset({site.shape_fingerprint(old_date)}))
    assert site.apply(before, profile) == site.apply(after, profile)
    assert old_date not in site.apply(before, profile)


def test_a_date_shape_hides_no_story_paragraph() -> None:
    """Story paragraphs with figures, edited or not, never match a date line's shape."""
    page = real_page("article-extraction", AUTORACING)
    profile = SiteProfile("autoracing", volatile=frozenset(
        {site.shape_fingerprint("segunda-feira, 22 de janeiro de 2018 às 0:13")}))
    story = next(s for s in stories("wcxb-dev", 20) if any(has_figure(p) for p in s))
    edited = [p.replace(next(c for c in p if c.isdigit()), "7", 1) if has_figure(p) else p
              for p in story]
    for text in (story, edited):
        body = clean_page(restory(page, text), page.url, profile=profile).body
        assert all(para in body for para in text)


def has_figure(para: str) -> bool:
    return any(c.isdigit() and c != "7" for c in para)


def test_thresholds_one_article_is_never_furniture() -> None:
    assert not site.is_furniture(1, 1)
    assert not site.is_furniture(2, 2)
    assert site.is_furniture(3, 10)
    assert not site.is_furniture(3, 1000)  # three stories of a thousand quoting one line
