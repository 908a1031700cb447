"""General failure modes found on held-out news pages (hand-written pages, own text)."""

from __future__ import annotations

from scraper.clean import clean_page

NAV = "".join(f'<li><a href="/{w}">{w.title()}</a></li>' for w in
              ("news", "sport", "business", "weather", "opinion", "travel"))
OPENING = (
    "<div class='intro'><p><strong>THE harbour board has voted to keep the night ferry "
    "running through the winter, reversing a decision taken only a month ago.</strong></p></div>"
    "<p>Board members said a petition signed by four thousand residents, many of them shift "
    "workers at the cannery, had changed their minds.</p>"
    "<p>The service, which leaves the north quay at half past eleven, had been due to stop "
    "on the first of November to save fuel.</p>"
)
REST = "".join(
    f"<p>{text}</p>" for text in (
        "The chair of the board, Ines Harrow, said the savings had been smaller than the "
        "accountants first thought, once the cost of extra taxis was counted.",
        "Fares will rise by twenty pence from January, and the last crossing on Sundays will "
        "leave half an hour earlier, at eleven o'clock.",
        "The ferry crew's union welcomed the vote but said it wanted a written promise that "
        "the service would not be reviewed again before the spring.",
        "A consultation on the summer timetable opens next week at the harbour office and "
        "online, and will run until the end of the month.",
        "Regular passengers at the north quay said the late boat was the only way home for "
        "nurses and bar staff who finish after the last bus has gone.",
        "The harbour master said the boat would get a new engine in February, paid for from "
        "the repair fund rather than from fares, and would be out of service for a week.",
        "Shopkeepers on the south bank, who had feared losing the evening trade, said the news "
        "came just in time for the start of the Christmas market.",
        "The board will publish its accounts for the service, crossing by crossing, at its "
        "next meeting, which is open to the public.",
        "Councillors from both banks of the river said they would press the county to share "
        "the cost of the crossing from next year onwards.",
    )
)


def test_story_split_by_a_read_more_box_keeps_its_opening() -> None:
    """The first paragraphs sit beside a 'read more' wrapper that holds the rest."""
    page = (
        f"<html><body><ul class='menu'>{NAV}</ul><div id='story'>"
        "<h1>Night ferry saved for the winter</h1>"
        f"<div class='text'>{OPENING}"
        "<div id='more'><div id='more-link'><a href=''>Read more</a></div>"
        "<div class='ad-slot'></div>"
        f"<div id='more-content'>{REST}</div></div></div>"
        "<div class='related'><h2>Other columns</h2><p><a href='/x'>Bus lanes return</a></p></div>"
        "</div></body></html>"
    )
    body = clean_page(page).body
    assert body.startswith("THE harbour board has voted")
    assert "Board members said a petition" in body
    assert "half past eleven" in body
    assert body.endswith("from next year onwards.")
    assert "Read more" not in body and "Bus lanes" not in body
