"""Headlines learned across a source's articles (issue 9): its name in an <h1> or a
<title> is not a story's headline. In process, as the crawl's pipeline stores pages."""

from __future__ import annotations

from pathlib import Path

from scraper.clean import clean_page
from scraper.model import PageItem
from scraper.store import Archive
from scraper.store.profiles import SiteLearning, learned_blocks

SOURCE = "courier.example"
HEADLINES = ["Council approves the new budget after a long debate",
             "Ferry timetable changes from Monday for the winter",
             "Harbour fire under control after two days of work",
             "School opens a new library in the old town hall",
             "Storm warning issued for the valley tonight and tomorrow"]
STORY = ("The story of the day, told in a paragraph long enough to be kept by the cleaner "
         "as running text, with enough words that it reads like the report it is. ")


def page(number: int, *, site_title: bool, og_title: bool = True) -> str:
    """A title naming the story and the site; or a <title> and an <h1> naming only the
    site, with the story's headline in og:title alone (the page alone cannot tell which
    is the social variant: the one many articles share is)."""
    title = "The Valley Courier" if site_title else f"{HEADLINES[number]} | The Valley Courier"
    head = f'<meta property="og:title" content="{HEADLINES[number]}">' if site_title else ""
    h1 = "<h1>The Valley Courier</h1>" if site_title else ""
    if site_title and not og_title:  # the story's headline in the <h1> instead
        head, h1 = "", f"<h1>{HEADLINES[number]}</h1>"
    body = "".join(f"<p>{STORY}{number} {n}</p>" for n in range(4))
    return (f"<html><head><title>{title}</title>{head}</head><body><article>{h1}{body}"
            "</article></body></html>")


def store_all(tmp_path: Path, *, site_title: bool,
              og_title: bool = True) -> tuple[Archive, list[str]]:
    archive = Archive(tmp_path / "archive.db")
    learning = SiteLearning(archive)
    headlines = []
    for number in range(len(HEADLINES)):
        url = f"https://courier.example/2026/12/0{number + 1}/story-{number}"
        html = page(number, site_title=site_title, og_title=og_title)
        cleaned = clean_page(html, url, profile=learning.profile(SOURCE))
        headlines.append(cleaned.headline)
        item = PageItem(url=url, source=SOURCE, status=200, body=html.encode(),
                        fetched_at=f"2026-12-06T10:0{number}:00Z")
        archive.save_page(item, learning.settle(SOURCE, cleaned))
        learning.observe_page(SOURCE, url, item.fetched_at, cleaned.template)
    return archive, headlines


def stored_headlines(archive: Archive) -> list[str]:
    return [archive.versions(article_id)[-1].headline for article_id in archive.article_ids()]


def test_the_site_name_a_title_carries_is_learned_and_cut_from_new_and_stored_headlines(
        tmp_path: Path) -> None:
    archive, seen = store_all(tmp_path, site_title=False)
    assert seen[0] == f"{HEADLINES[0]} | The Valley Courier"  # nothing learned yet
    assert seen[-1] == HEADLINES[-1]  # learned from the articles before it
    assert stored_headlines(archive) == HEADLINES  # history follows
    kinds = {block.kind: block.example for block in learned_blocks(archive, SOURCE)}
    assert kinds["affix"] == "suffix: | The Valley Courier"


def test_an_h1_and_title_that_name_only_the_site_give_way_to_og_title(tmp_path: Path) -> None:
    archive, seen = store_all(tmp_path, site_title=True)
    assert seen[0] == "The Valley Courier"  # the single-page cleaner's choice
    assert seen[-1] == HEADLINES[-1]
    assert any(block.kind == "headline" for block in learned_blocks(archive, SOURCE))


def test_a_title_that_names_only_the_site_gives_way_to_the_h1_at_once(tmp_path: Path) -> None:
    """The story's <h1>, sharing no word with a <title> that names the site, is the
    headline from the first article on (clean/headline.py); nothing is learned."""
    archive, seen = store_all(tmp_path, site_title=True, og_title=False)
    assert seen == HEADLINES
    assert not any(block.kind == "headline" for block in learned_blocks(archive, SOURCE))


def test_a_headline_two_articles_share_is_not_learned(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive.db")
    learning = SiteLearning(archive)
    for number in range(2):
        url = f"https://courier.example/2026/12/0{number + 1}/letters"
        html = page(number, site_title=False).replace(HEADLINES[number],
                                                      "Letters to the editor")
        item = PageItem(url=url, source=SOURCE, status=200, body=html.encode(),
                        fetched_at=f"2026-12-06T10:0{number}:00Z")
        archive.save_page(item, clean_page(html, url, profile=learning.profile(SOURCE)))
        learning.observe_page(SOURCE, url, item.fetched_at)
    assert learned_blocks(archive, SOURCE) == []
