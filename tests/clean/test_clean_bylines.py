"""Bylines: labelled lines, byline boxes cut to names, author bios closing the story (issue 3)."""

from __future__ import annotations

import pytest

from scraper.clean import clean_page

STORY = [
    "The county will close the Marrow Bridge for six weeks from Monday while engineers "
    "replace its expansion joints, the highways office said on Thursday.",
    "Drivers will be sent on a nine-mile diversion through Hollin and Stade, and the 42 "
    "bus will stop short of the river at the Mill Lane turning.",
    "Shopkeepers on the east bank said the timing, ahead of the Christmas market, could "
    "not be worse for trade in the old town.",
]
BODY = "\n\n".join(STORY)
PARAS = "".join(f"<p>{p}</p>" for p in STORY)


def page(before: str = "", after: str = "", head: str = "", outside: str = "") -> str:
    """A story page: `outside` between the <h1> and the body box, the rest inside it."""
    return (f"<html><head><title>Bridge to close</title>{head}</head><body><main>"
            f"<h1>Marrow Bridge to close for six weeks</h1>{outside}"
            f"<div class='story-body'>{before}{PARAS}{after}</div></main></body></html>")


# --- labelled bylines ------------------------------------------------------------------

@pytest.mark.parametrize(("line", "byline"), [
    ("Автор: Ирина Белозерова", "Ирина Белозерова"),
    ("Автори: Олена Коваль і Тарас Мельник", "Олена Коваль і Тарас Мельник"),
    ("Author: Ada Quill", "Ada Quill"),
    ("Authors: Ada Quill, Theo Brandt", "Ada Quill, Theo Brandt"),
    ("Written by Ada Quill", "Ada Quill"),
    ("Words by Ada Quill", "Ada Quill"),
    ("Text: Anna Berg", "Anna Berg"),
    ("Texte : Léa Dubois", "Léa Dubois"),
    ("Von Hans Müller", "Hans Müller"),
    ("Par Léa Dubois", "Léa Dubois"),
    ("Por María José García", "María José García"),
    ("Di Marco Rossi", "Marco Rossi"),
    ("Door Pieter de Vries", "Pieter de Vries"),
    ("Av Sven Lindqvist", "Sven Lindqvist"),
    ("Autor: Jan Nowak", "Jan Nowak"),
    ("Autorin: Petra Huber", "Petra Huber"),
    ("Reporting by Ada Quill", "Ada Quill"),
    ("<b>Author:</b> <a href='/staff/ada'>Ada Quill</a>", "Ada Quill"),
    ("Автор: Ирина Белозерова<br>Корреспондент", "Ирина Белозерова"),
    ("Text: Anna Berg; Fotos: Max Roe", "Anna Berg"),
    ("Von Hans Müller, Berlin", "Hans Müller"),
    ("Written by: Ada Quill", "Ada Quill"),
])
@pytest.mark.parametrize("where", ["outside", "before"])
def test_labelled_line_is_the_byline_and_not_body(line: str, byline: str, where: str) -> None:
    box = f"<div class='author'>{line}</div>" if where == "outside" else f"<p>{line}</p>"
    cleaned = clean_page(page(**{where: box}))
    assert (cleaned.byline, cleaned.body) == (byline, BODY)


def test_labelled_line_closing_the_story_goes() -> None:
    head = '<meta name="author" content="Ada Quill">'
    cleaned = clean_page(page(after="<p>Text: Anna Berg, Fotos: Max Roe</p>", head=head))
    assert (cleaned.byline, cleaned.body) == ("Ada Quill", BODY)


def test_structured_byline_wins_and_the_labelled_line_still_goes() -> None:
    head = '<meta name="author" content="Ada Quill">'
    cleaned = clean_page(page(before="<p>Text: Ada Quill</p>", head=head))
    assert (cleaned.byline, cleaned.body) == ("Ada Quill", BODY)


@pytest.mark.parametrize("line", [
    "Di Maio", "Von Berlin aus fuhr der Zug weiter nach Hamburg.",
    "Par exemple, la mairie a fermé le pont.", "By Monday, the council had approved it.",
    "Text: the council's statement in full",
])
def test_sentences_and_names_that_start_like_labels_are_not_bylines(line: str) -> None:
    cleaned = clean_page(page(before=f"<p>{line}</p>"))
    assert cleaned.byline == ""
    assert cleaned.body.startswith(line)


# --- byline boxes cut to the names -----------------------------------------------------

GHOST_META = (
    '<div class="article-byline"><ul class="author-list"><li><a href="/author/colm/" '
    'class="author-avatar"><img alt="Colm Hartigan"></a></li></ul><div class="article-'
    'byline-meta"><h4 class="author-name"><a href="/author/colm/">Colm Hartigan</a></h4>'
    '<div class="byline-meta-content"><time datetime="2026-03-04">2026-03-04</time>'
    '<span class="byline-reading-time"><span class="bull">&bull;</span> {n} min read</span>'
    "</div></div></div>"
)


@pytest.mark.parametrize(("box", "byline"), [
    (GHOST_META.format(n=4), "Colm Hartigan"),
    ('<div class="byline">By Jane Doe | Updated March 4, 2026 3:15 PM</div>', "Jane Doe"),
    ('<div class="byline">Jane Doe, Political Editor · 5 min read</div>', "Jane Doe"),
    ('<p class="byline">By Jane Doe and 2 others</p>', "Jane Doe"),
    ('<div class="byline">Jane Doe • 12.03.2026, 14:05</div>', "Jane Doe"),
    ('<div class="byline">Published 4 March 2026 by <a href="/author/jane-doe/">Jane Doe'
     '</a> and <a href="/author/john-roe/">John Roe</a></div>', "Jane Doe, John Roe"),
    ('<span class="byline">by <span class="author vcard"><a class="url fn n" '
     'href="/author/jane/">Jane Doe</a></span></span> <span class="posted-on">'
     'Posted on <time>March 4, 2026</time></span>', "Jane Doe"),
    ('<div class="post-byline">Jane Doe<br>Updated 3 hours ago</div>', "Jane Doe"),
    ('<div class="byline-section"><span class="author">Jane Doe and John Roe</span> '
     '<span class="publication">Harbour Ledger</span> <div>Published 10:02 AM EST</div></div>',
     "Jane Doe and John Roe"),
    ('<div class="byline">Jane Doe @janedoe</div>', "Jane Doe"),
])
def test_byline_box_gives_names_only(box: str, byline: str) -> None:
    cleaned = clean_page(page(outside=box))
    assert (cleaned.byline, cleaned.body) == (byline, BODY)


def test_read_time_change_does_not_change_the_byline() -> None:
    one = clean_page(page(outside=GHOST_META.format(n=4)))
    two = clean_page(page(outside=GHOST_META.format(n=5), after="<p>One more line.</p>"))
    assert one.byline == two.byline == "Colm Hartigan"


# --- author bios closing the story ------------------------------------------------------

BIO_HEAD = '<meta name="author" content="Abbey Fenbert">'


@pytest.mark.parametrize("tail", [
    "<p>Abbey Fenbert is a senior news editor at the Ledger. She holds an MFA.</p>",
    "<p>Fenbert covers transport and the county council.</p>",
    "<p>Abbey Fenbert</p><p>Senior News Editor</p><p>Abbey Fenbert is a senior news editor "
    "at the Ledger.</p><p>Read more</p>",
    "<p>Abbey Fenbert has covered local politics since 2015.</p><p>Follow Abbey on X</p>",
    "<p>Abbey Fenbert joined the Ledger in 2019 from the Stade Courier.</p>",
    "<p>Abbey Fenbert writes about transport.</p><p>All articles by Abbey Fenbert</p>",
    "<p>Show more</p>",
    "<p>More from Abbey Fenbert</p>",
])
def test_author_bio_at_the_end_is_dropped(tail: str) -> None:
    assert clean_page(page(after=tail, head=BIO_HEAD)).body == BODY


def test_bio_sentence_inside_the_story_is_kept() -> None:
    quote = "<p>Fenbert is a regular at the Mill Lane cafe, the owner said.</p>"
    html = page(head=BIO_HEAD).replace(f"<p>{STORY[1]}</p>", f"{quote}<p>{STORY[1]}</p>")
    assert "Fenbert is a regular" in clean_page(html).body


def test_bio_like_ending_without_a_known_byline_is_kept() -> None:
    tail = "<p>Abbey Fenbert is a senior news editor at the Ledger.</p>"
    assert clean_page(page(after=tail)).body.endswith("at the Ledger.")


def test_someone_else_described_at_the_end_is_kept() -> None:
    tail = "<p>Mira Stade is a councillor for the east bank ward.</p>"
    assert clean_page(page(after=tail, head=BIO_HEAD)).body.endswith("east bank ward.")


def test_story_ending_like_an_author_link_is_kept() -> None:
    tail = "<p>More by luck than judgement.</p>"
    assert clean_page(page(after=tail, head=BIO_HEAD)).body.endswith("judgement.")
