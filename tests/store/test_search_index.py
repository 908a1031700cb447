"""The compact search index (m060, issue 10): words, phrases and snippets through it."""

from __future__ import annotations

from pathlib import Path

from scraper.model import CleanPage, PageItem
from scraper.store import Archive
from scraper.store.browse import SNIPPET_CLOSE, SNIPPET_OPEN, search
from scraper.store.phrases import index_query, words

STORY = ("The harbour council said on Tuesday that the ferry to Île-aux-Moines "
         "would run again. The council's harbour master disagreed.")


def archive_with(path: Path, bodies: dict[str, str]) -> Archive:
    archive = Archive(path)
    for url, body in bodies.items():
        page = PageItem(url=url, source="news", status=200, body=b"<html></html>",
                        fetched_at="2026-12-01T09:00:00Z")
        archive.save_page(page, CleanPage(headline="Harbour news", byline="", body=body))
    return archive


def test_the_index_keeps_no_word_positions(tmp_path: Path) -> None:
    archive = archive_with(tmp_path / "a.db", {})
    sql = archive.db.execute("select sql from sqlite_master where name = 'versions_fts'")
    assert "detail=column" in sql.fetchone()[0]
    archive.close()


def test_phrases_match_words_side_by_side_only(tmp_path: Path) -> None:
    archive = archive_with(tmp_path / "a.db", {
        "https://news.example/1": STORY,
        "https://news.example/2": "The ferry said the harbour would close; council later.",
    })
    found = search(archive.db, '"harbour council"')
    assert [hit.url for hit in found.hits] == ["https://news.example/1"]
    assert f"The {SNIPPET_OPEN}harbour council{SNIPPET_CLOSE} said" in found.hits[0].snippet
    assert len(search(archive.db, "harbour council").hits) == 2  # words alone: both
    assert [h.url for h in search(archive.db, '"ile aux moines"').hits] == [
        "https://news.example/1"]  # accents and hyphens as the index's tokenizer sees them
    assert search(archive.db, '"council harbour"').hits == ()
    archive.close()


def test_any_input_is_a_query_of_plain_words() -> None:
    assert index_query('"unbalanced').match == '"unbalanced"'
    assert index_query("AND OR NOT near( *").match == '"and" "or" "not" "near"'
    assert index_query("o'neil").phrases == (("o", "neil"),)
    assert index_query("'; drop").match == '"drop"'
    assert words("Île-aux-Moines Café") == ["ile", "aux", "moines", "cafe"]
