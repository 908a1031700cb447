"""Old table layouts (issue 9, class 2): the story shares a <td> with the site's furniture.

No page of the shared data sets is laid out this way (they are from 2019 and 2025), so
the page below is written after the old layout the issue describes: a left menu cell,
and one cell holding a date and weather line, a rotating "top stories" list set with
<br>, the headline in <font><b>, the byline, a "Posted:" line and the story, with
paragraphs made by <br><br>. Real pages check the rules' limits (test_clean_realpages).
"""

from __future__ import annotations

from scraper.clean import clean_page

URL = "http://www.springfieldgazette.example/news/2026/12/07/bridge.html"
TOP = ["School board delays vote on later start times",
       "Fire crews contain warehouse blaze on Route 9",
       "Hawks rally late to stay unbeaten at home",
       "Old paper mill finds a buyer after four years"]
STORY = [
    "SPRINGFIELD -- The city council voted 6-1 on Monday night to approve a $14.2 million "
    "budget for the replacement of the Elm Street bridge, ending a debate that has run for "
    "nearly three years.",
    "The current bridge, built in 1938, was rated structurally deficient by state inspectors "
    "in 2023, and weight limits have kept school buses and fire trucks off it since last spring.",
    "Council member Dana Ortiz, the lone vote against the plan, said the city should have "
    "sought more federal money before committing its own reserves.",
    "Mayor Tom Reyes said construction could begin as early as April, with a temporary "
    "footbridge in place while the work goes on.",
    "The project still needs approval from the state transportation department, which is "
    "expected to review the plans in February.",
]


def gazette(top: list[str] = TOP, today: str = "Monday, December 7, 2026",
            weather: str = "41&deg;F, light rain", story: list[str] = STORY,
            close: str = "</font>") -> str:
    links = "".join(f'<a href="/news/{i}.html">{title}</a><br>\n' for i, title in enumerate(top))
    paragraphs = "<br><br>\n".join(story)
    return f"""<html><head><title>Springfield Gazette - Council approves new bridge budget</title>
</head><body bgcolor="#ffffff"><table width="780" border="0" cellpadding="0">
<tr><td colspan="2"><img src="/img/logo.gif" alt="Springfield Gazette"></td></tr>
<tr><td width="160" valign="top"><a href="/news/">News</a><br><a href="/sports/">Sports</a><br>
<a href="/business/">Business</a><br><a href="/obits/">Obituaries</a><br></td>
<td width="620" valign="top">
<font size="1">{today} &nbsp;|&nbsp; Springfield: {weather}</font><br><br>
<font size="2"><b>TOP STORIES:</b><br>
{links}</font><br>
<font size="4"><b>Council approves new bridge budget</b></font><br>
<font size="2">By Martha Klein, Gazette Staff Writer</font><br>
<font size="1">Posted: December 6, 2026 at 9:14 p.m.</font><br><br>
<font size="2" face="Georgia">{paragraphs}{close}
<br><br><font size="1">Copyright 2026 Springfield Gazette. All rights reserved.</font>
</td></tr></table></body></html>"""


def test_table_cell_gives_the_story_only() -> None:
    page = clean_page(gazette(), URL)
    assert page.headline == "Council approves new bridge budget"
    assert page.byline == "Martha Klein"
    assert page.body.split("\n\n") == STORY


def test_rotating_list_date_and_weather_make_no_change() -> None:
    before = clean_page(gazette(), URL)
    after = clean_page(gazette(top=[*TOP[2:], "Library extends winter hours for students",
                                    *TOP[:1]],
                               today="Tuesday, December 8, 2026", weather="28&deg;F, snow"), URL)
    assert after == before


def test_an_edit_in_the_cell_is_a_change() -> None:
    edited = [*STORY[:2], STORY[2].replace("6-1", "5-2"), *STORY[3:],
              "Correction: An earlier version of this story misstated the vote."]
    body = clean_page(gazette(story=edited), URL).body
    assert body.split("\n\n") == edited


def test_unclosed_tags_in_the_cell_lose_no_story_text() -> None:
    """Class 7: the story's <font> left open, and a stray </td> before the story's end."""
    story = [*STORY[:3], f"</td>{STORY[3]}", STORY[4]]
    body = " ".join(clean_page(gazette(story=story, close=""), URL).body.split())
    for paragraph in STORY:
        assert paragraph in body
