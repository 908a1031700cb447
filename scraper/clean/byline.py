"""Bylines for clean.py: author names from byline elements, labelled lines and "By" blocks.

Also drops the author's bio closing a story. A byline is names only: the date, the read
time and "Updated ..." glued to it in the same element change without any edit (Ghost
computes the read time from the word count), so they are cut off here (issue 3).
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from scraper.clean import rules as rules

BREAK = rules.BREAK
# Part of an author's page link, not a name ("All articles", "View profile").
AUTHOR_LINK_XPATH = (
    ".//a[@rel='author'] | .//a[contains(@href, '/author/') or contains(@href, '/authors/')]"
    " | .//*[contains(@class, 'author-name') or contains(@class, 'author__name')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' author ') or @itemprop='name']"
)
BYLINE_XPATH = (
    "//a[@rel='author'] | //*[@itemprop='author'] | //*[contains(@class, 'byline')]"
    " | //*[contains(@class, 'author-name')]"
)
SKIPPED = frozenset({"script", "style", "head", "title", "noscript", "template", "textarea"})
SEPARATE = frozenset({"div", "p", "li", "time", "section", "header", "h1", "h2", "h3", "h4",
                      "h5", "h6", "ul", "ol", "dd", "dt", "td", "tr", "table"})
CONTAINER_MAX_CHARS = 400  # a byline element longer than this is a box, not a byline


def _label_re() -> re.Pattern[str]:
    parts = []
    for label in rules.BYLINE_LABELS:
        if label.endswith(":"):
            parts.append(rf"(?i:{re.escape(label[:-1])})\s*:")
        elif " " in label:
            words = r"\s+".join(re.escape(w) for w in label.split())  # "Written\n  by"
            parts.append(rf"(?i:{words})\b")
        else:
            parts.append(rf"(?:{re.escape(label)}|{re.escape(label.upper())})\b")
    return re.compile(rf"\s*(?P<label>{'|'.join(parts)})\s*")


LABEL_RE = _label_re()


def squash(text: str) -> str:
    return " ".join(text.split())  # runs of white space as one space, stripped


def unbreak(para: str) -> str:
    return squash(para.replace(BREAK, " "))


# --- byline elements --------------------------------------------------------------------

def element_byline(root: lxml.html.HtmlElement) -> str:
    """Names from the first byline/author element that gives any."""
    for el in root.xpath(BYLINE_XPATH):
        text = squash(el.text_content())
        if not 0 < len(text) < CONTAINER_MAX_CHARS:
            continue
        names = element_names(el) if el.tag != "a" else cut_byline(text)
        if names:
            return names
    return ""


def element_names(el: lxml.html.HtmlElement) -> str:
    """The author links' or name elements' texts when there are any, else the cut text."""
    found: list[str] = []
    for link in el.xpath(AUTHOR_LINK_XPATH):
        name = cut_byline(squash(link.text_content()))
        if name and name not in found and not any(name in f for f in found):
            found = [f for f in found if f not in name] + [name]
    if found:
        return ", ".join(found)
    return cut_byline(squash(line_text(el).replace(BREAK, " | ")))


def cut_byline(text: str) -> str:
    """"By Jane Doe, Political Editor · 2026-03-04 • 4 min read" -> "Jane Doe"."""
    match = LABEL_RE.match(text)
    if match:
        text = text[match.end():]
    text = re.sub(r"^(?:by|from)\s+", "", text, flags=re.I)
    parts = [p for p in rules.SEGMENT_SPLIT_RE.split(text) if p.strip(" ,:;")]
    text = parts[0] if parts else ""
    cut = rules.BYLINE_CUT_RE.search(text)
    if cut:
        text = text[:cut.start()]
    names: list[str] = []
    for part in text.split(","):
        if names and (rules.BYLINE_TITLE_RE.search(part)
                      or len(part.split()) == 1 < len(names[0].split())):
            break  # "Jane Doe, Political Editor", "Hans Müller, Berlin"
        names.append(part.strip())
    text = ", ".join(n for n in names if n).strip(" ,;:|-–—/")
    text = re.sub(r"\s+(?:on|at|and|&)$", "", text, flags=re.I)
    return text if len(text) < rules.BYLINE_MAX_CHARS else ""


# --- labelled lines ("Автор: Ирина Белозерова") ----------------------------------------

def labelled_byline(root: lxml.html.HtmlElement) -> str:
    """Names from the first labelled line after the <h1>, else from the first one before."""
    before = ""
    seen_h1 = False
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in SKIPPED:
            continue
        seen_h1 = seen_h1 or el.tag == "h1"
        if not (el.text and LABEL_RE.match(el.text)):
            continue
        names = line_names(el)
        if not names and el.getparent() is not None:  # <b>Author:</b> <a>Name</a>
            names = line_names(el.getparent())
        if names and seen_h1:
            return names
        before = before or names
    return before


def line_names(el: lxml.html.HtmlElement) -> str:
    """A "By A and B" line gives "A, B" as in the body; other labels keep their joiners."""
    if len(squash(el.text_content())) > rules.BYLINE_MAX_CHARS * 2:  # white space aside
        return ""
    line = squash(line_text(el))
    return byline_names(line) or label_names(line.replace(BREAK, " | "))


def line_text(el: lxml.html.HtmlElement) -> str:
    """The element's text with BREAK for each <br> and between blocks (text_content()
    glues "<div>Jane Doe</div><div>Dec 18</div>" into "Jane DoeDec 18")."""
    parts: list[str] = []
    for event, node in etree.iterwalk(el, events=("start", "end")):
        if event == "start":
            if node is not el and node.tag in SEPARATE:
                parts.append(BREAK)
            parts.append(BREAK if node.tag == "br" else node.text or "")
        elif node is not el:
            parts.append(BREAK if node.tag in SEPARATE else "")
            parts.append(node.tail or "")
    return "".join(parts).strip(f"{BREAK} \t\r\n")


def label_names(line: str) -> str:
    """"Автор: Ирина Белозерова" -> "Ирина Белозерова"; "" when line is no labelled byline."""
    match = LABEL_RE.match(line)
    if not match or len(line) > rules.BYLINE_MAX_CHARS * 2:
        return ""
    label = match["label"]
    names = cut_byline(line[match.end():])
    words = names.replace(",", " ").split()
    capitals = [w for w in words if w[0].isupper() and not w.isdigit()]
    others = [w for w in words if w not in capitals and w.lower() not in rules.BYLINE_JOINERS]
    if not capitals or others or len(words) > rules.BYLINE_LABEL_MAX_WORDS:
        return ""
    if re.fullmatch(r"[^\W\d_]+", label) and label.lower() != "by" and len(capitals) < 2:
        return ""  # "Di Maio", "Door 4": a bare word label wants a full name after it
    if rules.NOT_NAME_RE.match(names):
        return ""  # "By Monday", "Par The ..."
    return names


# --- the "By NAME" block right after the headline --------------------------------------

def take_byline(paras: list[str]) -> tuple[str, list[str]]:
    """The byline block just after the headline: its names, and paras without it."""
    for i, para in enumerate(paras[:rules.BYLINE_SEARCH_PARAS]):
        names = byline_names(para) or label_names(unbreak(para))
        if not names:
            continue
        end = i + 1
        if end < len(paras) and is_job_title(paras[end]):
            end += 1  # "By NAME" and "Community reporter" in two blocks
        return names, paras[:i] + paras[end:]
    return "", paras


def byline_names(para: str) -> str:
    """"By A, Title" -> "A"; "By A and B" -> "A, B"; "" when para is not a byline."""
    if len(unbreak(para).split()) > rules.BYLINE_MAX_WORDS:
        return ""
    first_part, *_ = rules.SEGMENT_SPLIT_RE.split(para.replace(BREAK, " | "), maxsplit=1)
    match = rules.BYLINE_START_RE.match(first_part)
    if not match:
        return ""
    rest = first_part[match.end():].strip(" ,")
    if rest and (len(rest.split()) > 6 or not rules.BYLINE_TITLE_RE.search(rest)
                 or rest.endswith(".")):
        return ""
    names: list[str] = []
    for part in match["names"].split(","):
        if names and (rules.BYLINE_TITLE_RE.search(part)
                      or len(part.split()) == 1 < len(names[0].split())):
            break  # "By Jane Doe, Political Editor", "Von Hans Müller, Berlin"
        names += [strip_title(n) for n in rules.BYLINE_NAME_SPLIT_RE.split(part) if n.strip()]
    return ", ".join(n for n in names if n)


def strip_title(name: str) -> str:
    words = name.split()
    while len(words) > 2 and rules.BYLINE_TITLE_RE.fullmatch(words[-1]):
        words.pop()  # "Orla Fitzwilliam Community" (a title after a lost <br>)
    return " ".join(words)


def is_job_title(para: str) -> bool:
    text = unbreak(para)
    return (len(text.split()) <= 5 and not re.search(r"[.!?:\d]", text)
            and bool(rules.BYLINE_TITLE_RE.search(text)))


def is_byline_line(para: str, byline: str) -> bool:
    """A labelled line naming the byline's authors, or any "Author:"/"Written by" line."""
    match = LABEL_RE.match(para)
    if match is None:
        return False
    names = label_names(para)
    explicit = not re.fullmatch(r"[^\W\d_]+", match["label"])
    return bool(names) and (explicit or names.lower() == byline.lower())


# --- the author's bio closing the story -----------------------------------------------

def drop_author_tail(paras: list[str], byline: str) -> list[str]:
    """Drop "Read more" lines closing the story, and the author's bio among its last paras."""
    while paras and is_tail_line(paras[-1]):
        paras = paras[:-1]
    keys = name_keys(byline)
    if not keys:
        return paras
    for i in range(max(0, len(paras) - rules.BIO_SEARCH_PARAS), len(paras)):
        if is_bio(paras[i], keys) and all(is_bio_rest(p, keys) for p in paras[i + 1:]):
            while i > 0 and (paras[i - 1] in keys or is_job_title(paras[i - 1])):
                i -= 1  # the name and "Senior News Editor" above the bio
            return paras[:i]
    return paras


def is_tail_line(para: str) -> bool:
    return (len(para.split()) <= rules.AUTHOR_TAIL_MAX_WORDS
            and bool(rules.AUTHOR_TAIL_RE.fullmatch(para.rstrip(" →›»>…"))))


def name_keys(byline: str) -> list[str]:
    """Full names, then surnames, of the byline's authors."""
    names = [n.strip() for n in re.split(r"\s*(?:,|&|\b(?:and|und|et|y|и|і|та|en|och)\b)\s*",
                                         byline) if n.strip()]
    surnames = [n.split()[-1] for n in names if len(n.split()) > 1]
    return names + [s for s in surnames if len(s) > 2]


def is_bio_rest(para: str, keys: list[str]) -> bool:
    """What may follow a bio: more of it ("She was ..."), or links to the author's page."""
    return (is_tail_line(para) or is_bio(para, keys)
            or bool(rules.BIO_PRONOUN_RE.match(para)) and len(para) < rules.BIO_MAX_CHARS)


def is_bio(para: str, keys: list[str]) -> bool:
    return any(para.startswith(key) and rules.BIO_VERB_RE.match(para, len(key))
               for key in keys)
