"""Volatile noise between two fetches of one page, and what always stays an edit."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from scraper.clean import clean_page
from scraper.model import CleanPage, Ordered, PageItem
from scraper.store import Archive
from scraper.store.noise import History, changing_lines, only_noise

STORY = ("The regional council approved the new budget on Tuesday after a debate that "
         "lasted most of the afternoon and ended with a narrow vote.")
MORE = ("Opposition members said the plan cuts bus services in the valley, while the "
        "majority argued that the savings were needed to keep taxes flat next year.")


def text(*lines: str, headline: str = "Council approves budget", byline: str = "") -> tuple[
        str, str, str]:
    return headline, byline, "\n\n".join(lines)


@pytest.mark.parametrize(("before", "after"), [
    ("Updated 17:35", "Updated 18:02"),
    ("December 6, 2026 at 9:41 am", "December 7, 2026 at 10:05 am"),
    ("06/12/2026 - 09:41", "07/12/2026 - 11:12"),
    ("2026-12-06T09:41:00Z", "2026-12-07T11:12:09Z"),
    ("Posted 3 hours ago", "Posted 5 hours ago"),
    ("1,204 views", "1,305 views"),
    ("5 min read · 12 comments", "5 min read · 14 comments"),
    ("Vor 3 Stunden aktualisiert", "Vor 5 Stunden aktualisiert"),
    ("Mis à jour le 6 décembre 2026 à 17h35", "Mis à jour le 7 décembre 2026 à 09h02"),
    ("Publicado el 3 de marzo de 2024 a las 10:32", "Publicado el 4 de marzo de 2024 a las 11:40"),
    ("Atualizado há 2 horas", "Atualizado há 7 horas"),
    ("Aggiornato: 6 dicembre 2026", "Aggiornato: 8 dicembre 2026"),
    ("On Behalf of O'Malley Tunstall PLLC | Apr 11, 2015 | Products Liability",
     "On Behalf of O'Malley Tunstall PLLC | Apr 12, 2019 | Products Liability"),
    ("11/02/2019 - Publicado por: Clarissa Borba - Categoria: Saúde - Tags: sad veiculo",
     "12/09/2017 - Publicado por: Clarissa Borba - Categoria: Saúde - Tags: sad veiculo"),
    ("Tags: Helena, smart thermostat Monday, August 01th, 2027 at 10:14 am | Categories: "
     "Helena, MT", "Tags: Helena, smart thermostat Monday, August 12th, 2026 at 4:53 pm | "
     "Categories: Helena, MT"),
    ("Almost Timely News: Using AI for Analytics, part two (2023-03-03) :: View in Browser",
     "Almost Timely News: Using AI for Analytics, part two (2024-01-01) :: View in Browser"),
])
def test_datelines_clocks_and_counters_are_noise(before: str, after: str) -> None:
    assert only_noise(text(before, STORY, MORE), text(after, STORY, MORE))


def test_a_stamp_glued_to_the_first_paragraph_is_noise() -> None:
    assert only_noise(text(f"Updated: December 21, 2025{STORY}", MORE),
                      text(f"Updated: December 22, 2025{STORY}", MORE))
    assert only_noise(text(f"We updated this article on 11 November 2027. {STORY}", MORE),
                      text(f"We updated this article on 03 November 2024. {STORY}", MORE))
    assert not only_noise(text(f"We updated this article on 11 November 2027. {STORY}", MORE),
                          text(f"We updated this article on 11 November 2027. {MORE}", MORE))


def test_a_citations_access_date_is_noise() -> None:
    assert only_noise(
        text(STORY, 'Allied Van Lines, "Home page," https://www.allied.example. Accessed April '
             '03, 2024.'),
        text(STORY, 'Allied Van Lines, "Home page," https://www.allied.example. Accessed April '
             '10, 2027.'))


def test_a_date_in_the_byline_line_is_noise_and_a_new_author_an_edit() -> None:
    assert only_noise(text(STORY, byline="By Ann Lee, Dec 6, 2026 17:35"),
                      text(STORY, byline="By Ann Lee, Dec 7, 2026 09:02"))
    assert not only_noise(text(STORY, byline="By Ann Lee, Dec 6, 2026"),
                          text(STORY, byline="By Bo Chan, Dec 6, 2026"))


def test_short_lines_that_only_change_places_are_noise() -> None:
    teasers = ["Ferry delays on the coast", "Harbour fire under control", "Storm warning"]
    rotated = teasers[1:] + teasers[:1]
    assert only_noise(text(STORY, MORE, *teasers), text(STORY, MORE, *rotated))


def test_noise_and_a_sentence_moved_across_a_paragraph_break_are_noise() -> None:
    first, second = STORY.split(" after ")
    assert only_noise(text(STORY, MORE, "By Ann Lee, November 04, 2020"),
                      text(first, f"after {second} {MORE}", "By Ann Lee, November 02, 2018"))


def test_noise_and_a_paragraph_split_by_markup_together_are_noise() -> None:
    first, second = STORY.split(" after ")
    assert only_noise(text("Updated 17:35", STORY, MORE),
                      text("Updated 18:02", first, f"after {second}", MORE))


@pytest.mark.parametrize(("before", "after"), [
    (text("12 injured", STORY), text("15 injured", STORY)),  # a figure on its own line
    (text("The vote is on Tuesday.", STORY), text("The vote is on Wednesday.", STORY)),
    (text("Polls close at 8 pm.", STORY), text("Polls close at 9 pm.", STORY)),
    (text("The hearing is set for March 3.", STORY),
     text("The hearing is set for March 5.", STORY)),
    (text("Price: $12", STORY), text("Price: $15", STORY)),
    (text(STORY, MORE), text(STORY.replace("narrow", "wide"), MORE)),  # a word
    (text(STORY.replace("Tuesday", "Tuesday, March 3"), MORE),  # a date in running text
     text(STORY.replace("Tuesday", "Tuesday, March 5"), MORE)),
    (text("Published on March 3, 2024 the report said the council acted within its rights "
          "and that the vote was valid under the rules in force.", MORE),
     text("Published on March 3, 2024 the report said the council acted outside its rights "
          "and that the vote was valid under the rules in force.", MORE)),
    (text(STORY, MORE), text(STORY, MORE, "Correction: an earlier version misspelled a name.")),
    (text(STORY, MORE, "Updated 17:35"), text(STORY, "Updated 18:02")),  # a paragraph removed
    (text(f"{STORY} It was the third vote this year.", MORE),  # long paragraphs moved
     text(MORE, f"{STORY} It was the third vote this year.")),
    (text("The plan - approved on Tuesday, March 3 after a long debate in the chamber - "
          "will cost the towns more than the council had said.", MORE),
     text("The plan - approved on Tuesday, March 5 after a long debate in the chamber - "
          "will cost the towns more than the council had said.", MORE)),
    (text("Almost Timely News: Using AI for Analytics, part two (2023-03-03) :: View in Browser",
          STORY),
     text("Almost Timely News: Using AI for Analytics, part three (2023-03-03) :: View in "
          "Browser", STORY)),  # a word in a line of fields
    (text(STORY), text(STORY, headline="Council rejects budget")),
    (text(STORY, byline="Ann Lee"), text(STORY, byline="Ann Lee and Bo Chan")),
])
def test_edits_stay_edits(before: tuple[str, str, str], after: tuple[str, str, str]) -> None:
    assert not only_noise(before, after)


def item(body: bytes, when: str) -> PageItem:
    return PageItem(url="https://news.example/2026/12/budget", source="news.example",
                    fetched_at=when, status=200, body=body)


def page_html(dateline: str, paragraphs: list[str], teasers: list[str]) -> str:
    story = "".join(f"<p>{p}</p>" for p in paragraphs)
    related = "".join(f'<li><a href="/t/{n}">{t}</a></li>' for n, t in enumerate(teasers))
    return (f"<html><head><title>Council approves budget</title></head><body><article>"
            f"<h1>Council approves budget</h1><p class='stamp'>{dateline}</p>{story}"
            f"<ul class='more'>{related}</ul></article></body></html>")


def cleaned(*lines: str) -> CleanPage:
    """A text as a cleaner that let the page's noise through would give it."""
    return CleanPage(headline="Council approves budget", body="\n\n".join(lines))


def test_the_archive_keeps_one_version_through_noise_and_records_the_edit(
        tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive.db")
    teasers = ["Ferry delays on the coast", "Harbour fire under control", "Storm warning"]
    texts = [cleaned("Updated 17:35", STORY, MORE, *teasers),
             cleaned("Updated 18:02", STORY, MORE, *teasers[1:], teasers[0]),
             cleaned("Updated 19:10", STORY.replace("narrow", "wide"), MORE, *teasers)]
    html = page_html("", [STORY, MORE], []).encode()
    outcomes = [archive.save_page(item(html, f"2026-12-06T1{hour}:00:00Z"), text)
                for hour, text in enumerate(texts)]
    assert outcomes == ["new", "unchanged", "changed"]
    assert [v.version for v in archive.versions(1)] == [1, 2]


def test_a_cleaner_change_alone_makes_no_version(tmp_path: Path) -> None:
    """The current version's page cleaned again now gives the fetched text: no edit."""
    archive = Archive(tmp_path / "archive.db")
    html = page_html("", [STORY, MORE], [])
    first = item(html.encode(), "2026-12-06T10:00:00Z")
    old_cleaner = CleanPage(headline="Council approves budget", body=f"Share this\n\n{STORY}"
                            f"\n\n{MORE}")
    archive.save_page(first, old_cleaner)
    again = item(html.encode(), "2026-12-06T11:00:00Z")
    now = clean_page(html, again.url)
    kept = archive.stale_raw([again.url], now)
    assert kept is not None and kept[0] == html.encode()
    assert archive.save_page(again, now, baseline=clean_page(kept[0], again.url)) == "unchanged"
    assert archive.save_page(item(html.encode(), "2026-12-06T12:00:00Z"), now) == "changed"


def test_an_edit_next_to_noise_is_labelled_as_the_edit_alone(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive.db")
    html = page_html("", [STORY, MORE], []).encode()
    texts = [cleaned("Updated 17:35", STORY.replace("debate", "debtae"), MORE),
             cleaned("Updated 19:10", STORY, MORE)]
    for hour, text in enumerate(texts):
        archive.save_page(item(html, f"2026-12-06T1{hour}:00:00Z"), text)
    fixed = archive.versions(1)[-1]
    assert fixed.version == 2 and "typo" in fixed.labels and "numbers" not in fixed.labels


OTHER_HEADLINES = ["Ferry delays on the coast road continue", "Harbour fire under control "
                   "after two days", "Storm warning issued for the valley tonight"]


def test_a_related_list_that_gains_another_articles_headline_is_noise() -> None:
    from scraper.store.noise import teaser_key

    keys = {teaser_key(h) for h in OTHER_HEADLINES}
    before = text(STORY, MORE, OTHER_HEADLINES[0], OTHER_HEADLINES[1])
    after = text(STORY, MORE, f"{OTHER_HEADLINES[2]} - 3 min read", OTHER_HEADLINES[0])
    assert only_noise(before, after, keys)
    assert not only_noise(before, after)  # without the source's other articles: an edit
    added = text(STORY, MORE, "The mayor said she would veto the plan.", OTHER_HEADLINES[0],
                 OTHER_HEADLINES[1])
    assert not only_noise(before, added, keys)  # a story line is an edit, teasers or not


def test_the_archive_reads_other_articles_headlines_as_teasers(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive.db")
    html = page_html("", [STORY, MORE], []).encode()
    for n, headline in enumerate(OTHER_HEADLINES):
        other = PageItem(url=f"https://news.example/2026/12/other-{n}", source="news.example",
                         fetched_at="2026-12-06T09:00:00Z", status=200, body=html)
        archive.save_page(other, CleanPage(headline=headline, body=f"{MORE} {n}"))
    texts = [cleaned(STORY, MORE, OTHER_HEADLINES[0]),
             cleaned(STORY, MORE, OTHER_HEADLINES[1], OTHER_HEADLINES[0]),
             cleaned(STORY, MORE, "A line that no article of the site has as headline")]
    outcomes = [archive.save_page(item(html, f"2026-12-06T1{hour}:00:00Z"), page)
                for hour, page in enumerate(texts)]
    assert outcomes == ["new", "unchanged", "changed"]


def test_a_list_in_another_order_is_settled_by_the_pages_in_one_order(
        tmp_path: Path) -> None:
    """Resource cards longer than a teaser line that changed places are an edit by text
    alone; the kept page and the fetched one cleaned with their link lists in one order
    (`Ordered`) show the same page, unless those texts differ too."""
    archive = Archive(tmp_path / "archive.db")
    html = page_html("", [STORY, MORE], []).encode()
    cards = [f"{STORY} Read our guide to {topic}." for topic in ("budgets", "buses", "taxes")]
    archive.save_page(item(html, "2026-12-06T10:00:00Z"), cleaned(MORE, *cards))
    moved = cleaned(MORE, *cards[1:], cards[0])
    assert not only_noise(("Council approves budget", "", f"{MORE}\n\n" + "\n\n".join(cards)),
                          (moved.headline, moved.byline, moved.body))
    in_order = cleaned(MORE, *cards)
    settled = Ordered(kept=in_order, page=in_order)
    assert archive.save_page(item(html, "2026-12-06T11:00:00Z"), moved,
                             baseline=cleaned(MORE, *cards), ordered=settled) == "unchanged"
    edited = Ordered(kept=in_order, page=cleaned(MORE.replace("bus", "rail"), *cards))
    assert archive.save_page(item(html, "2026-12-06T12:00:00Z"), moved,
                             baseline=cleaned(MORE, *cards), ordered=edited) == "changed"


def test_today_s_date_is_noise_and_a_date_far_from_the_fetch_an_edit() -> None:
    """A dated line reads the clock when its date is the fetch's day (or the one before)."""
    read = History(since=datetime(2026, 12, 6, 9, tzinfo=UTC),
                   until=datetime(2026, 12, 7, 9, tzinfo=UTC))
    for before, after in [("Sunday, 6 December 2026", "Monday, 7 December 2026"),
                          ("Closing prices 12/05/2026", "Closing prices 12/06/2026")]:
        assert only_noise(text(before, STORY, MORE), text(after, STORY, MORE), history=read)
        assert not only_noise(text(before, STORY, MORE), text(after, STORY, MORE))
    assert not only_noise(text("Barcelona, Spain: March 2-5, 2026", STORY),
                          text("Barcelona, Spain: March 2-7, 2026", STORY), history=read)


def test_every_figure_of_a_changing_dateline_is_noise_and_a_figure_alone_an_edit() -> None:
    """wcxb-dev/4444: a promo line whose date changed before takes its year along; the
    first time, with nothing to tell it from a corrected date, it is an edit."""
    before = text(STORY, "Advertisement: London 2026 Event On 10 October", MORE)
    after = text(STORY, "Advertisement: London 2027 Event On 01 October", MORE)
    assert not only_noise(before, after)
    seen = History(changing=changing_lines([
        f"{STORY}\n\nAdvertisement: London 2025 Event On 31 October",
        f"{STORY}\n\nAdvertisement: London 2026 Event On 10 October"]))
    assert only_noise(before, after, history=seen)
    assert not only_noise(text(STORY, "London Event: 25 speakers", MORE),
                          text(STORY, "London Event: 26 speakers", MORE), history=seen)


def test_a_byline_or_an_attribution_carries_the_date_of_the_piece() -> None:
    """wcxb-dev 0415, 0267: an embedded post's signature, an author's line of fields."""
    assert only_noise(text(STORY, "— Ash Vardanian (@ashvardanian) December 10, 2023"),
                      text(STORY, "— Ash Vardanian (@ashvardanian) December 11, 2023"))
    assert only_noise(text(STORY, "Jacob Given •October 03, 2024"),
                      text(STORY, "Jacob Given •October 10, 2023"))
    assert only_noise(text(STORY, byline="Sat, 10 Dec, 2024"),
                      text(STORY, byline="Sat, 07 Dec, 2026"))


def test_the_day_figures_were_read_is_noise_and_the_figures_edits() -> None:
    """wcxb-dev/4506: fund data "as of" a day, for "the period ended" a day."""
    note = ("2For the 10-year period ended December 08, 2023, 30 of 56 Vanguard bond index "
            "funds outperformed. Sources: Vanguard and Morningstar, Inc., as of {}.")
    assert only_noise(text(STORY, note.format("December 31, 2025")),
                      text(STORY, note.replace("08, 2023", "06, 2027").format("06/12/2027")))
    assert not only_noise(text(STORY, note.format("December 31, 2025")),
                          text(STORY, note.replace("30 of", "31 of").format("December 31, 2025")))
    assert not only_noise(text("The fund had 500 staff as of March 2024.", STORY),
                          text("The fund had 500 staff as of March 2025.", STORY))
