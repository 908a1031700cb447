"""Site learning in a real SQLite archive (issue 9): the pipeline's steps, without a crawl."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from scraper.clean import clean_page
from scraper.clean import site as site
from scraper.model import PageItem
from scraper.store import Archive
from scraper.store.migrations import migrations
from scraper.store.profiles import SiteLearning, learned_blocks
from support.realsite import real_page, restory, stories

MOREBIKES = "612cd29826624e68ce96789c8049e16279dfd2fceb27434eea7943b2aaf84e90"
SOURCE = "morebikes"


def store(archive: Archive, learning: SiteLearning, texts: list[list[str]],
          day: int = 6) -> None:
    """What the pipeline does with each page: clean with the profile, save, learn."""
    page = real_page("article-extraction", MOREBIKES)
    for number, story in enumerate(texts):
        html = restory(page, story)
        url = f"https://www.morebikes.co.uk/{number}/a-review-of-number-{number}/"
        cleaned = clean_page(html, url, profile=learning.profile(SOURCE))
        item = PageItem(url=url, source=SOURCE, status=200, body=html,
                        fetched_at=f"2026-12-0{day}T10:0{number}:00Z")
        assert archive.save_page(item, cleaned) in (("new",) if day == 6 else (
            "new", "changed", "unchanged"))
        learning.observe_page(SOURCE, url, item.fetched_at)


def current_bodies(archive: Archive) -> list[str]:
    found = []
    for article_id in archive.article_ids(SOURCE):
        article = archive.find_article(article_id)
        assert article is not None
        found += [v.body for v in archive.versions(article_id)
                  if v.version == article.current_version]
    return found


def test_furniture_is_learned_from_the_third_article_and_history_follows(
        tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive.db")
    learning = SiteLearning(archive)
    texts = stories("wcxb-dev", 4)
    store(archive, learning, texts)
    examples = {b.example for b in learned_blocks(archive, SOURCE) if b.kind == "furniture"}
    assert "Tell us what YOU think..." in examples
    block = next(b for b in learned_blocks(archive, SOURCE) if b.example == "Advert")
    assert block.articles == (1, 2, 3) and block.pages == 3
    for body, story in zip(current_bodies(archive), texts, strict=True):
        assert "Tell us what YOU think" not in body and "\n\nAdvert\n\n" not in body
        assert all(para in body for para in story)


def test_a_story_published_at_several_urls_is_never_furniture(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive.db")
    learning = SiteLearning(archive)
    story = stories("wcxb-dev", 1)[0]
    store(archive, learning, [story] * 4)
    examples = {b.example for b in learned_blocks(archive, SOURCE)}
    assert not any(para in examples for para in story)
    assert all(all(para in body for para in story) for body in current_bodies(archive))


def test_a_templated_line_edited_on_many_articles_is_a_change_each_time(
        tmp_path: Path) -> None:
    """The same sentence form with its figure edited on every article: real edits, kept."""
    archive = Archive(tmp_path / "archive.db")
    learning = SiteLearning(archive)
    texts = stories("wcxb-dev", 4)

    def with_figure(amount: int) -> list[list[str]]:
        return [[f"Shares of company {n} closed at {amount} dollars.", *story]
                for n, story in enumerate(texts)]

    store(archive, learning, with_figure(12))
    page = real_page("article-extraction", MOREBIKES)
    for number, story in enumerate(with_figure(15)):
        html = restory(page, story)
        url = f"https://www.morebikes.co.uk/{number}/a-review-of-number-{number}/"
        item = PageItem(url=url, source=SOURCE, status=200, body=html,
                        fetched_at=f"2026-12-07T10:0{number}:00Z")
        cleaned = clean_page(html, url, profile=learning.profile(SOURCE))
        assert archive.save_page(item, cleaned) == "changed"
        learning.observe_page(SOURCE, url, item.fetched_at)
    assert all("closed at 15 dollars" in body for body in current_bodies(archive))
    assert len(archive.changes()) == 4


def test_a_note_appended_to_several_stories_is_an_edit_of_each_never_furniture(
        tmp_path: Path) -> None:
    """The same correction added to three of four stories in one pass: three edits, kept in
    each body; furniture the articles held from their first version is still learned."""
    archive = Archive(tmp_path / "archive.db")
    learning = SiteLearning(archive)
    texts = stories("wcxb-dev", 4)
    store(archive, learning, texts)
    note = "Correction: An earlier version of this article misstated the date of the event."
    page = real_page("article-extraction", MOREBIKES)
    for number, story in enumerate(texts[:3]):
        html = restory(page, [*story, note])
        url = f"https://www.morebikes.co.uk/{number}/a-review-of-number-{number}/"
        item = PageItem(url=url, source=SOURCE, status=200, body=html,
                        fetched_at=f"2026-12-07T10:0{number}:00Z")
        assert archive.save_page(item, clean_page(html, url, profile=learning.profile(
            SOURCE))) == "changed"
        learning.observe_page(SOURCE, url, item.fetched_at)
    examples = {b.example for b in learned_blocks(archive, SOURCE)}
    assert note not in examples and "Tell us what YOU think..." in examples
    assert sum(note in body for body in current_bodies(archive)) == 3
    assert len(archive.changes()) == 3


def test_a_box_added_to_every_page_later_is_learned_from_a_new_article(
        tmp_path: Path) -> None:
    """A box the site adds to all its articles makes a version of each until a new article
    shows it from its first version; then it is furniture and those versions merge away."""
    archive = Archive(tmp_path / "archive.db")
    learning = SiteLearning(archive)
    texts = stories("wcxb-dev", 5)
    store(archive, learning, texts[:4])
    box = ("Our coverage of the region is supported by readers like you and by a grant from "
           "the Valley Community Foundation, which has no say over what we publish.")
    store(archive, learning, [[*story, box] for story in texts[:4]], day=7)
    assert len(archive.changes()) == 4
    store(archive, learning, [[*story, box] for story in texts], day=8)
    assert box in {b.example for b in learned_blocks(archive, SOURCE)}
    assert archive.changes() == [] and not any(box in b for b in current_bodies(archive))


def test_learned_blocks_are_browsable_in_datasette(tmp_path: Path) -> None:
    import asyncio

    from scraper.review.serve import build_datasette

    archive = Archive(tmp_path / "archive.db")
    store(archive, SiteLearning(archive), stories("wcxb-dev", 4))
    archive.close()
    ds = build_datasette(tmp_path / "archive.db")
    response = asyncio.run(ds.client.get(
        "/archive/site_blocks.json?_shape=objects&source=morebikes&kind=furniture"))
    assert response.status_code == 200
    rows = response.json()["rows"]
    assert "Tell us what YOU think..." in {row["example"] for row in rows}
    page = asyncio.run(ds.client.get("/archive/site_blocks"))
    assert "What Stet learned about each source" in page.text


def test_evidence_from_before_the_compact_sightings_moves_over_and_still_teaches(
        tmp_path: Path) -> None:
    """An archive at the schema before m070 upgrades: every sighting reads back through the
    site_sightings view as it was written, and learning goes on from it."""
    path = tmp_path / "old.db"
    old = Database(path)
    migrations.apply(old, stop_before="m070_compact_sightings")
    advert, high = site.fingerprint("Advert"), "f" + site.fingerprint("Advert")[1:]
    rows = [(SOURCE, "furniture", advert, 1, 1), (SOURCE, "furniture", advert, 2, 1),
            (SOURCE, "shape", high, 2, 1), ("other", "headline", advert, 9, 2)]
    for number in (1, 2):
        old.execute("insert into articles (id, url, source) values (?, ?, ?)",
                    [number, f"https://www.morebikes.co.uk/old-{number}/", SOURCE])
    old.conn.executemany("insert into site_sightings (source, kind, fingerprint, article_id, "
                         "version, seen_at) values (?, ?, ?, ?, ?, '2026-12-01T08:00:00Z')",
                         rows)
    old.conn.commit()
    old.close()
    archive = Archive(path)
    assert sorted(archive.db.execute("select source, kind, fingerprint, article_id, version "
                                     "from site_sightings").fetchall()) == sorted(rows)
    store(archive, SiteLearning(archive), stories("wcxb-dev", 1))
    block = next(b for b in learned_blocks(archive, SOURCE) if b.example == "Advert")
    assert block.articles == (1, 2, 3) and block.pages == 3
