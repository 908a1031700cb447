"""A real page whose story holds link lists that a site shows in any order (issue 9).

wcxb-dev/0041 (conductor.com) keeps two "Useful resources" boxes inside the story's
container: lists of three items of 25 to 35 words, each with a link, which the site's
lists may serve in another order on the next load.
"""

from __future__ import annotations

import gzip
import re

from support.realpages import DATASETS

KEY = "wcxb-dev/0041"
URL = "https://www.conductor.com/academy/seo-content-predictions/"
ITEM = "Learn more on how to educate leadership about the changing search landscape"
STORY = "Keyword rankings and ranking positions on SERPs will lessen in importance"


def real_page() -> str:
    name, page_id = KEY.split("/")
    with gzip.open(DATASETS / name / "html" / f"{page_id}.html.gz", "rt",
                   encoding="utf-8") as f:
        return f.read()


def rotated(html: str, shift: int = 1) -> str:
    """The page with the items of each "Useful resources" list in another order."""
    def rotate(match: re.Match[str]) -> str:
        items = re.findall(r"<li>.*?</li>", match.group(2))
        return f"{match.group(1)}<ul>{''.join(items[shift:] + items[:shift])}</ul>"
    html, count = re.subn(r"(>Useful resources</div>.*?)<ul>(.*?)</ul>", rotate, html,
                          flags=re.S)
    assert count == 2
    return html


def story_paragraph_moved(html: str) -> str:
    """The page with one story paragraph (30+ words) moved two paragraphs up."""
    paragraph = re.search(rf"<p>{STORY}.*?</p>", html)
    assert paragraph is not None
    moved = html.replace(paragraph.group(), "", 1)
    at = moved.index("<p>", moved.index("<p>", moved.index("<h2") + 1) + 1)
    return moved[:at] + paragraph.group() + moved[at:]
