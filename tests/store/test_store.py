"""The archive on a real SQLite file: when versions are written, and what else is kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scraper.clean import CleanPage, clean_page
from scraper.model import FetchItem, PageItem
from scraper.store import Archive
from scraper.timeutil import parse_iso

STORY = [
    "Twelve people were injured when a bus left the coast road near Harwick on Tuesday "
    "morning, the county police said in a statement.",
    "The bus, carrying 31 passengers from the ferry terminal, overturned on a bend that "
    "residents have long described as dangerous.",
    '"We have asked for a barrier for ten years," said Mara Lindqvist, who chairs the '
    "residents' association. \"Nobody listened.\"",
    "Emergency crews closed the road for six hours while the vehicle was recovered, and "
    "the regional transport office said an inquiry would begin next week.",
]


def page(body: list[str], headline: str = "Bus crash on coast road injures 12",
         byline: str = "Jane Roe", modified: str = "") -> CleanPage:
    return CleanPage(headline=headline, byline=byline, body="\n\n".join(body), modified=modified)


def item(url: str = "https://news.example/2026/11/bus-crash", when: str = "2026-11-28T08:00:00Z",
         requested: str = "", body: bytes = b"<html>raw</html>") -> PageItem:
    return PageItem(url=url, source="example", status=200, body=body, fetched_at=when,
                    requested_url=requested, etag='"v1"')


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    opened = Archive(tmp_path / "archive.db")
    yield opened
    opened.close()


def outcomes(archive: Archive) -> list[str]:
    return [row[0] for row in archive.db.execute("select outcome from fetches order by id")]


def test_first_fetch_is_version_one_and_same_text_is_unchanged(archive: Archive) -> None:
    assert archive.save_page(item(), page(STORY)) == "new"
    assert archive.save_page(item(when="2026-11-28T09:00:00Z"), page(STORY)) == "unchanged"
    article = archive.find_article("https://news.example/2026/11/bus-crash")
    assert article is not None and article.current_version == 1
    assert [v.version for v in archive.versions(article.id)] == [1]
    assert outcomes(archive) == ["new", "unchanged"]


def test_typography_and_white_space_make_no_version(archive: Archive) -> None:
    archive.save_page(item(), page(STORY))
    retyped = [p.replace('"', "\u201c", 1).replace(" ", "\u00a0", 2) + "  " for p in STORY]
    retyped[0] = retyped[0].replace("Tuesday", "Tues\u200bday")
    assert archive.save_page(item(when="2026-11-28T09:00:00Z"), page(retyped)) == "unchanged"


def test_paragraphs_broken_elsewhere_with_the_same_words_make_no_version(
        archive: Archive) -> None:
    """A <br><br> splitting a paragraph, or a template merging two, is no edit (issue 9)."""
    archive.save_page(item(), page(STORY))
    first, second = STORY[2].split(". ", 1)
    split = [*STORY[:2], f"{first}.", second, STORY[3]]
    assert archive.save_page(item(when="2026-11-28T09:00:00Z"), page(split)) == "unchanged"
    merged = [f"{STORY[0]} {STORY[1]}", *STORY[2:]]
    assert archive.save_page(item(when="2026-11-28T10:00:00Z"), page(merged)) == "unchanged"
    assert [v.version for v in archive.versions(1)] == [1]


def test_typo_fix_beside_a_split_paragraph_is_labelled_as_the_typo(archive: Archive) -> None:
    archive.save_page(item(), page(STORY))
    first, second = STORY[2].split(". ", 1)
    edited = [STORY[0].replace("Harwick", "Harwich"), STORY[1], f"{first}.", second, STORY[3]]
    assert archive.save_page(item(when="2026-11-28T09:00:00Z"), page(edited)) == "changed"
    labels = set(archive.versions(1)[-1].labels)
    assert "typo" in labels
    assert not labels & {"paragraph-added", "paragraph-removed"}


def test_a_break_moved_between_sentences_leaves_the_labels_to_the_edit(
        archive: Archive) -> None:
    """A <br><br> moved from one sentence to another (neither a split nor a merge of
    whole paragraphs) beside a real edit: the labels describe the edit alone."""
    archive.save_page(item(), page([STORY[0], f"{STORY[1]} {STORY[2]}", STORY[3]]))
    fixed = STORY[2].replace("Lindqvist", "Lindkvist")  # a typo fixed, the break moved
    typo = [f"{STORY[0]} {STORY[1]}", fixed, STORY[3]]
    assert archive.save_page(item(when="2026-11-28T09:00:00Z"), page(typo)) == "changed"
    assert set(archive.versions(1)[-1].labels) == {"typo", "stealth"}
    figure = [STORY[0], f"{STORY[1]} {fixed}".replace("31", "32"), STORY[3]]
    assert archive.save_page(item(when="2026-11-28T10:00:00Z"), page(figure)) == "changed"
    assert set(archive.versions(1)[-1].labels) == {"numbers", "stealth"}
    added = [*figure[:2], "Correction: the bus carried 32 passengers, not 31.", STORY[3]]
    assert archive.save_page(item(when="2026-11-28T11:00:00Z"), page(added)) == "changed"
    assert "paragraph-added" in archive.versions(1)[-1].labels


def test_one_character_fix_is_a_new_version_with_a_summary(archive: Archive) -> None:
    archive.save_page(item(), page(STORY))
    fixed = [STORY[0].replace("Harwick", "Harwich"), *STORY[1:]]
    assert archive.save_page(item(when="2026-11-28T09:00:00Z"), page(fixed)) == "changed"
    version = archive.versions(1)[-1]
    assert (version.version, version.diff_from) == (2, 1)
    assert "typo" in version.labels and "stealth" in version.labels
    labels = {r[0] for r in archive.db.execute("select label from version_labels")}
    assert labels == set(version.labels)


def test_headline_returning_to_an_earlier_state_is_a_flip_flop_not_a_version(
        archive: Archive) -> None:
    archive.save_page(item(), page(STORY))
    archive.save_page(item(when="2026-11-28T09:00:00Z"), page(STORY, headline="Crash: 12 hurt"))
    assert archive.save_page(item(when="2026-11-28T10:00:00Z"), page(STORY)) == "changed"
    assert [v.version for v in archive.versions(1)] == [1, 2]
    article = archive.find_article(1)
    assert article is not None and article.current_version == 1
    event = archive.db.execute("select kind, version, detail from events").fetchone()
    assert event[:2] == ("flip-flop", 1) and json.loads(event[2]) == {"from": 2, "to": 1}


def test_collapsed_body_is_quarantined_until_seen_again(archive: Archive) -> None:
    long_story = STORY * 3
    archive.save_page(item(), page(long_story))
    archive.save_page(item(when="2026-11-28T09:00:00Z"), page(STORY[:1]))
    quarantined = archive.versions(1)[-1]
    assert quarantined.quarantined and quarantined.health == "collapsed"
    assert archive.find_article(1).current_version == 1  # type: ignore[union-attr]
    assert archive.save_page(item(when="2026-11-28T10:00:00Z"), page(STORY[:1])) == "changed"
    assert not archive.versions(1)[-1].quarantined
    assert archive.find_article(1).current_version == 2  # type: ignore[union-attr]


def test_blocked_page_is_a_failed_fetch_not_a_version(archive: Archive) -> None:
    archive.save_page(item(), page(STORY))
    challenge = CleanPage(headline="Just a moment...", body="Checking your browser.",
                          blocked="bot-challenge")
    assert archive.save_page(item(when="2026-11-28T09:00:00Z"), challenge) == "error"
    assert len(archive.versions(1)) == 1
    error = archive.db.execute("select error from fetches where outcome = 'error'").fetchone()[0]
    assert "bot-challenge" in error


def test_empty_first_page_makes_no_article(archive: Archive) -> None:
    assert archive.save_page(item(), CleanPage()) == "error"
    assert archive.db.table("articles").count == 0


def test_gone_then_back(archive: Archive) -> None:
    archive.save_page(item(), page(STORY))
    gone = FetchItem(url=item().url, source="example", fetched_at="2026-11-28T09:00:00Z",
                     outcome="gone", status=410)
    assert archive.save_fetch(gone) == "gone"
    assert archive.find_article(1).state == "gone"  # type: ignore[union-attr]
    assert archive.save_page(item(when="2026-11-28T10:00:00Z"), page(STORY)) == "unchanged"
    kinds = [r[0] for r in archive.db.execute("select kind from events order by id")]
    assert kinds == ["gone", "returned"]
    assert len(archive.versions(1)) == 1


def test_404_for_a_page_that_never_had_a_version_is_an_error(archive: Archive) -> None:
    missing = FetchItem(url="https://news.example/nope", source="example",
                        fetched_at="2026-11-28T09:00:00Z", outcome="gone", status=404)
    assert archive.save_fetch(missing) == "error"


def test_redirect_keeps_one_article(archive: Archive) -> None:
    old_url = "https://news.example/2026/11/bus-crash"
    new_url = "https://news.example/2026/11/bus-crash-coast-road"
    archive.save_page(item(url=old_url), page(STORY))
    moved = item(url=new_url, requested=old_url, when="2026-11-28T09:00:00Z")
    assert archive.save_page(moved, page(STORY)) == "unchanged"
    assert archive.db.table("articles").count == 1
    assert archive.find_article(old_url) == archive.find_article(new_url)
    assert archive.find_article(1).url == new_url  # type: ignore[union-attr]
    assert old_url in archive.known_urls("example")


def test_raw_html_is_kept_compressed_and_deduplicated(archive: Archive) -> None:
    html = b"<html><body><p>" + b"same bytes " * 500 + b"</p></body></html>"
    archive.save_page(item(body=html), page(STORY))
    archive.save_page(item(url="https://news.example/other", body=html), page(STORY[:2]))
    rows = archive.db.execute("select hash, size, length(content) from raw_pages").fetchall()
    assert len(rows) == 1 and rows[0][1] == len(html) and rows[0][2] < len(html) / 10
    assert archive.raw_html(rows[0][0]) == html


def test_revisit_schedule_follows_the_age_of_the_last_change(archive: Archive) -> None:
    archive.save_page(item(), page(STORY))
    article = archive.find_article(1)
    assert article is not None and article.next_check == "2026-11-28T08:15:00Z"
    assert archive.due_articles("example", parse_iso("2026-11-28T08:10:00Z")) == []
    due = archive.due_articles("example", parse_iso("2026-11-28T08:20:00Z"))
    assert [d.url for d in due] == [article.url] and due[0].etag == '"v1"'
    later = item(when="2026-11-29T09:00:00Z")  # unchanged for a day: every 3 hours
    archive.save_page(later, page(STORY))
    assert archive.find_article(1).next_check == "2026-11-29T12:00:00Z"  # type: ignore[union-attr]
    assert archive.due_articles("example", parse_iso("2026-11-29T09:00:00Z"), everything=True)


def test_the_contract_columns_exist(archive: Archive) -> None:
    contract = {
        "articles": {"id", "url", "source", "first_seen", "last_checked"},
        "versions": {"id", "article_id", "version", "fetched_at", "headline", "byline", "body"},
        "fetches": {"id", "article_id", "url", "fetched_at", "status", "outcome", "error"},
    }
    for table, columns in contract.items():
        assert columns <= set(archive.db[table].columns_dict), table  # fetches: a view
    unique = [i.columns for i in archive.db.table("versions").indexes if i.unique]
    assert ["article_id", "version"] in unique
    assert archive.db.journal_mode == "wal"


def test_real_pages_with_the_same_text_and_new_markup_make_no_version(archive: Archive) -> None:
    first = ("<html><body><nav>Home</nav><article><h1>Bus crash injures 12</h1>"
             + "".join(f"<p>{p}</p>" for p in STORY) + "</article>"
             "<aside class='related'>Read also: Ferry delays</aside><span>812 views</span>"
             "</body></html>")
    second = (first.replace("<article>", "<article class='css-1x9z2a story'>")
              .replace("812 views", "2,113 views").replace("Ferry delays", "Harbour fire"))
    archive.save_page(item(body=first.encode()), clean_page(first, item().url))
    outcome = archive.save_page(item(body=second.encode(), when="2026-11-28T09:00:00Z"),
                                clean_page(second, item().url))
    assert outcome == "unchanged"


def test_reextract_rewrites_alike_and_merges_false_versions(archive: Archive) -> None:
    from scraper.crawl.reextract import reextract

    def html(paragraphs: list[str], teaser: str) -> bytes:
        text = "".join(f"<p>{p}</p>" for p in paragraphs)
        return (f"<html><body><article><h1>Bus crash injures 12</h1>{text}</article>"
                f"<aside class='related'><p>Read also: {teaser}</p></aside></body></html>"
                ).encode()

    # An old cleaner kept a related-story teaser in the body: two versions that are noise.
    for n, teaser in enumerate(("Ferry delays", "Harbour fire")):
        raw = html(STORY, teaser)
        noisy = page([*STORY, f"Read also: {teaser}"])
        archive.save_page(item(body=raw, when=f"2026-11-28T0{n + 8}:00:00Z"), noisy)
    fixed = [STORY[0].replace("Twelve", "Fifteen"), *STORY[1:]]
    archive.save_page(item(body=html(fixed, "Storm warning"), when="2026-11-28T10:00:00Z"),
                      page([*fixed, "Read also: Storm warning"]))
    assert [v.version for v in archive.versions(1)] == [1, 2, 3]

    result = reextract(archive)
    assert (result.versions, result.rewritten, result.merged) == (3, 3, 1)
    versions = archive.versions(1)
    assert all("Read also" not in v.body for v in versions)
    assert versions[1].merged_into == 1 and versions[2].merged_into is None
    assert "numbers" in versions[2].labels
    assert [c.version for c in archive.changes()] == [3]
    again = reextract(archive)
    assert (again.rewritten, again.merged) == (0, 1)


def test_article_found_at_its_new_url_before_the_redirect_is_merged(archive: Archive) -> None:
    old_url = "https://news.example/2026/11/bus-crash"
    new_url = "https://news.example/2026/11/bus-crash-coast-road"
    archive.save_page(item(url=old_url), page(STORY))
    # The same pass finds the new URL linked from the home page before following the 301.
    archive.save_page(item(url=new_url, when="2026-11-28T09:00:00Z"), page(STORY))
    assert archive.db.table("articles").count == 2
    moved = item(url=new_url, requested=old_url, when="2026-11-28T09:00:01Z")
    assert archive.save_page(moved, page(STORY)) == "unchanged"
    assert archive.db.table("articles").count == 1
    article = archive.find_article(old_url)
    assert article is not None and article.id == 1 and article.url == new_url
    assert [v.version for v in archive.versions(1)] == [1]
    assert archive.db.execute("select count(*) from versions").fetchone()[0] == 1
    assert {r[0] for r in archive.db.execute("select article_id from fetches")} == {1}


def test_gone_article_answering_304_has_returned(archive: Archive) -> None:
    archive.save_page(item(), page(STORY))
    url = item().url
    archive.save_fetch(FetchItem(url=url, source="example", fetched_at="2026-11-28T09:00:00Z",
                                 outcome="gone", status=410))
    back = FetchItem(url=url, source="example", fetched_at="2026-11-28T10:00:00Z",
                     outcome="not_modified", status=304)
    assert archive.save_fetch(back) == "not_modified"
    assert archive.find_article(1).state == "active"  # type: ignore[union-attr]
    kinds = [r[0] for r in archive.db.execute("select kind from events order by id")]
    assert kinds == ["gone", "returned"]
