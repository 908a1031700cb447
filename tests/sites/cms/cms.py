"""A small news site in five CMS markups, with edits and per-pass noise (tracker issue 4).

Used by ``tests/test_change_detection.py`` and ``tests/bench_changes.py``. The
templates (``*.html`` here) and the stories (``stories/*.txt``) are data; this
module fills them in. An ``Article`` is the editorial state of one page (headline,
byline, paragraphs, modified time); ``render`` turns it into the page's bytes with
fresh noise for the pass: rotated related and most-read lists, "Updated N minutes
ago", counters, nonces, ad-slot ids, cache-busting query strings, CSS-in-JS class
names, attribute order and indentation, and (Next.js) a bumped modified time.
Edits (``EDITS``) change the story the way newsrooms do and say which label the
new version must carry.
"""

from __future__ import annotations

import html
import json
import random
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

HERE = Path(__file__).resolve().parent
MARKUPS = ("wordpress", "nextjs", "ghost", "legacy", "readalso")
ENGLISH = ("bridge", "orchard", "library", "clinic", "stadium")
CYRILLIC = ("ru-tram",)
BASE_TIME = "2026-03-{day:02d}T{hour:02d}:{minute:02d}:00+00:00"
TEASERS = (
    "Council approves new cycle lanes on Quay Street", "Ferry fares to rise by 4 percent",
    "Schools brace for record enrolment", "Hospital car park to be rebuilt",
    "Fishing fleet returns early as storm nears", "Local choir wins national title",
    "Water bills to rise from April", "Police appeal after break-in at museum",
    "New bakery opens in the old post office", "Rail line reopens after landslip",
)
RU_TEASERS = ("Мэрия отчиталась о ремонте дорог", "В парке откроют каток",
              "Цены на проезд вырастут с января", "В школах начался карантин",
              "Новый мост построят к 2028 году", "Городу выделят 12 новых автобусов")
TWEET = ("We have received the library proposals and will respond in full during the "
         "consultation. Tell us what you think at the link below.")
CORRECTION = {
    "en": "Correction: An earlier version of this article gave the wrong day for the "
          "public meeting. It is on Wednesday, not Tuesday.",
    "ru": "Исправление: в первоначальной версии статьи была неверно указана дата "
          "заседания общественного совета.",
}
SOFTER = {" will not ": " may not ", " never ": " rarely ", " simply ": " largely ",
          " cannot ": " may not ", " nobody ": " hardly anybody ", "нельзя": "не стоит",
          "тяжело": "непросто", " only ": " main ", " will ": " may "}
QUOTED = re.compile(r'"[^"]+"|“[^”]+”|«[^»]+»')
NUMBER = re.compile(r"(?<![\d,.])\d{1,3}(?!\d)(?![,.]\d)")


@dataclass(frozen=True)
class Story:
    """One story file: the text and the material its edits use."""

    name: str
    language: str
    headline: str
    alts: tuple[str, ...]
    byline: str
    byline_alt: str
    sentences: tuple[str, ...]
    extras: tuple[str, ...]
    rename: tuple[str, str]
    paragraphs: tuple[str, ...]


def load_story(name: str) -> Story:
    head, _, text = (HERE / "stories" / f"{name}.txt").read_text("utf-8").partition("\n\n")
    fields: dict[str, list[str]] = {}
    for line in head.splitlines():
        key, _, value = line.partition(": ")
        fields.setdefault(key, []).append(value.strip())
    old, _, new = fields["name"][0].partition(" => ")
    return Story(
        name=name, language="ru" if name.startswith("ru-") else "en",
        headline=fields["headline"][0], alts=tuple(fields["alt"]), byline=fields["byline"][0],
        byline_alt=fields["byline-alt"][0], sentences=tuple(fields["sentence"]),
        extras=tuple(fields["extra"]), rename=(old, new),
        paragraphs=tuple(p.strip() for p in text.split("\n\n") if p.strip()))


def template(markup: str) -> string.Template:
    return string.Template((HERE / f"{markup}.html").read_text("utf-8"))


@dataclass
class Article:
    """The editorial state of one article page; what the newsroom changes."""

    key: str
    markup: str
    path: str
    story: Story
    headline: str
    byline: str
    paragraphs: list[str]
    published: str
    modified: str
    day: int
    typo: tuple[str, str] = ("", "")  # (misspelt, right) while the typo is in the text
    used: dict[str, int] = field(default_factory=dict)  # per edit kind: material used
    status: int = 200  # 200, 410 (gone) or 301 (moved to ``moved_to``)
    moved_to: str = ""
    collapsed: bool = False  # the page lost its container: only the first paragraph shows

    def text(self) -> tuple[str, str, tuple[str, ...]]:
        """What a version records (the collapsed page shows only the first paragraph)."""
        shown = self.paragraphs[:1] if self.collapsed else self.paragraphs
        return self.headline, self.byline, tuple(shown)


def slug(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words[:8]) or "novost"


def article_path(markup: str, story: Story, number: int) -> str:
    day = 1 + number % 28
    name = slug(story.headline) if story.language == "en" else ""
    paths = {
        "wordpress": f"/2026/03/{day:02d}/{name}-{number}/",
        "nextjs": f"/news/2026/03/{day:02d}/{name}-{number}",
        "ghost": f"/{name}-{number}/",
        "legacy": f"/news/{4500 + number}.html",
        "readalso": f"/story/{name}-{number:06x}",
    }
    return paths[markup]


def make_article(markup: str, story: Story, number: int, rng: random.Random) -> Article:
    """A new article with one typo in it (for the typo fix), unedited otherwise."""
    day = 1 + number % 28
    stamp = BASE_TIME.format(day=day, hour=6 + number % 12, minute=number % 60)
    article = Article(
        key=f"{markup}-{number}", markup=markup, path=article_path(markup, story, number),
        story=story, headline=story.headline, byline=story.byline,
        paragraphs=list(story.paragraphs), published=stamp, modified=stamp, day=day)
    inject_typo(article, rng)
    return article


def inject_typo(article: Article, rng: random.Random) -> None:
    """Drop one inner letter of a long word: the misspelling the typo edit fixes."""
    index = rng.randrange(1, len(article.paragraphs))
    words = [w for w in re.findall(r"\w{8,}", article.paragraphs[index]) if w.isalpha()]
    body = " ".join(article.paragraphs)
    for word in rng.sample(words, len(words)):
        cut = rng.randrange(2, len(word) - 2)
        wrong = word[:cut] + word[cut + 1:]
        if wrong not in body and re.search(rf"\b{word}\b", article.paragraphs[index]):
            article.paragraphs[index] = re.sub(rf"\b{word}\b", wrong,
                                               article.paragraphs[index], count=1)
            article.typo = (wrong, word)
            return


# -- edits ---------------------------------------------------------------------------
# Each edit changes the article in place and returns the labels its version must carry
# (besides "stealth", which depends on the modified time), or None when the article has
# no material left for it.


def next_material(article: Article, kind: str, pool: tuple[str, ...]) -> str | None:
    used = article.used.get(kind, 0)
    if used >= len(pool):
        return None
    article.used[kind] = used + 1
    return pool[used]


def edit_headline(article: Article, rng: random.Random) -> set[str] | None:
    alt = next_material(article, "headline", article.story.alts)
    if alt is None:
        return None
    article.headline = alt
    return {"headline"}


def edit_numbers(article: Article, rng: random.Random) -> set[str] | None:
    """One figure changed, in a paragraph whose other figures stay as they are."""
    found = [(i, m) for i, p in enumerate(article.paragraphs) for m in NUMBER.finditer(p)]
    if not found:
        return None
    index, match = rng.choice(found)
    value = str(int(match.group()) + rng.randint(1, 9))
    paragraph = article.paragraphs[index]
    article.paragraphs[index] = paragraph[:match.start()] + value + paragraph[match.end():]
    return {"numbers"}


def edit_name(article: Article, rng: random.Random) -> set[str] | None:
    old, new = article.story.rename
    if not any(old in p for p in article.paragraphs):
        return None
    article.paragraphs = [p.replace(old, new) for p in article.paragraphs]
    return set()


def edit_sentence(article: Article, rng: random.Random) -> set[str] | None:
    sentence = next_material(article, "sentence", article.story.sentences)
    if sentence is None:
        return None
    index = rng.randrange(1, len(article.paragraphs))
    article.paragraphs[index] = f"{article.paragraphs[index]} {sentence}"
    return set()


def edit_remove(article: Article, rng: random.Random) -> set[str] | None:
    if len(article.paragraphs) < 8:
        return None
    index = rng.randrange(1, len(article.paragraphs))
    if article.typo[0] and article.typo[0] in article.paragraphs[index]:
        article.typo = ("", "")
    del article.paragraphs[index]
    return {"paragraph-removed"}


def edit_add(article: Article, rng: random.Random) -> set[str] | None:
    extra = next_material(article, "add", article.story.extras)
    if extra is None:
        return None
    article.paragraphs.insert(rng.randrange(1, len(article.paragraphs)), extra)
    return {"paragraph-added"}


def edit_correction(article: Article, rng: random.Random) -> set[str] | None:
    note = next_material(article, "correction", (CORRECTION[article.story.language],))
    if note is None:
        return None
    article.paragraphs.append(note)
    return {"correction", "paragraph-added"}


def edit_typo(article: Article, rng: random.Random) -> set[str] | None:
    wrong, right = article.typo
    if not wrong:
        return None
    article.paragraphs = [re.sub(rf"\b{wrong}\b", right, p) for p in article.paragraphs]
    article.typo = ("", "")
    return {"typo"}


def edit_byline(article: Article, rng: random.Random) -> set[str] | None:
    if article.byline == article.story.byline_alt:
        return None
    article.byline = article.story.byline_alt
    return {"byline"}


def edit_quote(article: Article, rng: random.Random) -> set[str] | None:
    """A quote softened: one strong word inside quotation marks replaced."""
    for index, paragraph in enumerate(article.paragraphs):
        for quote in QUOTED.finditer(paragraph):
            for strong, soft in SOFTER.items():
                if strong in quote.group():
                    softened = quote.group().replace(strong, soft, 1)
                    article.paragraphs[index] = (paragraph[:quote.start()] + softened
                                                 + paragraph[quote.end():])
                    return {"quote"}
    return None


EDITS = {
    "headline": edit_headline, "numbers": edit_numbers, "name": edit_name,
    "sentence": edit_sentence, "paragraph-removed": edit_remove,
    "paragraph-added": edit_add, "correction": edit_correction, "typo": edit_typo,
    "byline": edit_byline, "quote": edit_quote,
}


# -- noise and rendering -------------------------------------------------------------


@dataclass(frozen=True)
class Noise:
    """What changes on every pass whatever the newsroom does."""

    number: int  # the pass
    rng: random.Random
    base: str  # http://127.0.0.1:PORT
    links: tuple[tuple[str, str], ...]  # (path, headline) of the site's articles

    def token(self, size: int = 8) -> str:
        return "".join(self.rng.choices(string.ascii_lowercase + string.digits, k=size))

    def ago(self) -> str:
        value = self.rng.randint(2, 59)
        return f"{value} {self.rng.choice(['minutes', 'hours'])} ago"

    def tracked(self, path: str, medium: str) -> str:
        return (f"{self.base}{path}?utm_source={medium}&amp;utm_medium=web"
                f"&amp;utm_campaign=p{self.number}{self.token(3)}")

    def teasers(self, count: int, own: str) -> list[tuple[str, str]]:
        """Other articles' links, rotated each pass."""
        others = [link for link in self.links if link[0] != own]
        return self.rng.sample(others, min(count, len(others)))


def teaser_list(noise: Noise, own: str, medium: str, count: int = 3) -> str:
    return "".join(f'<li><a href="{noise.tracked(path, medium)}">{html.escape(title)}</a></li>'
                   for path, title in noise.teasers(count, own))


def common_fields(article: Article, noise: Noise) -> dict[str, str]:
    url = f"{noise.base}{article.moved_to or article.path}"
    return {
        "base": noise.base, "url": url, "headline": html.escape(article.headline),
        "byline": html.escape(article.byline), "published": article.published,
        "modified": article.modified, "pubdate": article.published[:10],
        "ago": noise.ago(), "views": str(noise.rng.randint(100, 90000)),
        "comments": str(noise.rng.randint(0, 400)), "nonce": noise.token(16),
        "ver": noise.token(6), "adslot": noise.token(10), "build": noise.token(12),
        "postid": str(1000 + sum(map(ord, article.key))), "authorslug": slug(article.byline),
        "description": html.escape(article.paragraphs[0][:150]),
        "readmin": str(max(1, -(-len(" ".join(article.paragraphs).split()) // 265))),
        "related": teaser_list(noise, article.path, "related"),
        "mostread": teaser_list(noise, article.path, "mostread", 5),
        "comment": html.escape(noise.rng.choice(TEASERS)), "ticker": noise.rng.choice(TEASERS),
    }


def paragraphs_html(article: Article, css: str = "") -> list[str]:
    shown = article.text()[2]
    attr = f' class="{css}"' if css else ""
    return [f"<p{attr}>{html.escape(p, quote=False)}</p>" for p in shown]


def body_wordpress(article: Article, noise: Noise) -> str:
    parts = paragraphs_html(article)
    figure = (f'<figure class="wp-block-image size-large"><img src="{noise.base}/wp-content/'
              f'uploads/2026/03/photo.jpg?v={noise.token(5)}" alt=""><figcaption class="'
              'wp-element-caption">The scene on Wednesday. Photo: Gazette staff</figcaption>'
              '</figure>')
    ad = f'<div class="wp-block-group ad-slot" id="gpt-mid-{noise.token(6)}"></div>'
    return "\n".join(insert_after(parts, {2: figure, 5: ad}))


def insert_after(parts: list[str], extra: dict[int, str]) -> list[str]:
    result = []
    for index, part in enumerate(parts, 1):
        result.append(part)
        if index in extra and index < len(parts):
            result.append(extra[index])
    return result


def body_ghost(article: Article, noise: Noise) -> str:
    embed = ('<figure class="kg-card kg-embed-card kg-card-hascaption"><iframe width="200" '
             f'height="113" src="https://www.youtube.com/embed/Xk29dLq?feature=oembed&amp;'
             f'si={noise.token(10)}" frameborder="0" allowfullscreen></iframe>'
             '<figcaption>Video: the view from the quay</figcaption></figure>')
    bookmark = ('<figure class="kg-card kg-bookmark-card"><a class="kg-bookmark-container" '
                f'href="{noise.tracked("/about/", "bookmark")}"><div class="kg-bookmark-content">'
                '<div class="kg-bookmark-title">How we report on local government</div>'
                '<div class="kg-bookmark-description">Our standards and corrections policy.'
                '</div></div></a></figure>')
    return "\n".join(insert_after(paragraphs_html(article), {3: embed, 8: bookmark}))


def body_legacy(article: Article, noise: Noise) -> str:
    shown = article.text()[2]
    return "<br>\n<br>\n".join(html.escape(p, quote=False) for p in shown)


def body_readalso(article: Article, noise: Noise) -> str:
    teasers = [(path, title) for path, title in noise.teasers(2, article.path)]
    read = [f'<div class="read-also"><strong>Read also:</strong> <a href="'
            f'{noise.tracked(path, "readalso")}">{html.escape(title)}</a></div>'
            for path, title in teasers]
    tweet = ('<blockquote class="twitter-tweet" data-dnt="true"><p lang="en" dir="ltr">'
             f'{TWEET}</p>&mdash; Brannock Council (@BrannockCouncil) <a href="https://'
             'twitter.com/BrannockCouncil/status/1765012345678">March 3, 2026</a></blockquote>'
             f'<script async src="https://platform.twitter.com/widgets.js?v={noise.token(4)}">'
             '</script>')
    video = ('<div class="video-embed"><iframe src="https://player.vimeo.com/video/81234?'
             f'h={noise.token(8)}" allowfullscreen></iframe><p class="video-caption">Watch: '
             'residents at the meeting</p></div>')
    extra = {3: read[0], 6: tweet, 8: read[-1], 10: video}
    return "\n".join(insert_after(paragraphs_html(article), extra))


def body_nextjs(article: Article, noise: Noise, css: dict[str, str]) -> str:
    parts = paragraphs_html(article, f"css-{css['cls_r']} e1x9z2a4")
    ad = f'<div class="css-{css["cls_l"]}" data-component="ad-slot" id="ad-{noise.token(6)}"></div>'
    return "".join(insert_after(parts, {4: ad}))


def nextjs_fields(article: Article, noise: Noise) -> dict[str, str]:
    """Class names hashed per deploy, JSON-LD, __NEXT_DATA__, modified time bumped."""
    css = {f"cls_{c}": noise.token(6) for c in "abcdefghijklmnopqr"}
    modified = BASE_TIME.format(day=28, hour=noise.number % 24, minute=noise.rng.randint(0, 59))
    shown = article.text()[2]
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": article.headline,
          "author": [{"@type": "Person", "name": article.byline}],
          "datePublished": article.published, "dateModified": modified,
          "articleBody": "\n\n".join(shown),
          "publisher": {"@type": "Organization", "name": "The Northern Ledger"}}
    data = {"props": {"pageProps": {"article": {"title": article.headline, "id": article.key,
                                               "paragraphs": list(shown)}, "nonce": noise.token(16)}},
            "page": "/news/[...slug]", "buildId": noise.token(21), "isFallback": False}
    return {**css, "modified": modified, "jsonld": script_json(ld),
            "nextdata": script_json(data), "body": body_nextjs(article, noise, css)}


def script_json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


BODIES = {"wordpress": body_wordpress, "ghost": body_ghost, "legacy": body_legacy,
          "readalso": body_readalso}


def render(article: Article, noise: Noise) -> bytes:
    """The page as the server sends it this pass."""
    fields = common_fields(article, noise)
    if article.markup == "nextjs":
        fields.update(nextjs_fields(article, noise))
    else:
        fields["body"] = BODIES[article.markup](article, noise)
    if article.markup == "legacy":
        fields["related"] = "<br>".join(
            f'<a href="{noise.tracked(p, "also")}">{t}</a>' for p, t in noise.teasers(3, article.path))
        fields["mostread"] = "<br>".join(noise.rng.sample(RU_TEASERS, 4))
    page = template(article.markup).substitute(fields)
    page = reindent(shuffle_attributes(page, noise.rng), noise.rng)
    return page.encode("windows-1251" if article.markup == "legacy" else "utf-8")


ATTRS = re.compile(r'\s+[\w:-]+(?:="[^"]*")?')
START_TAG = re.compile(r'<([a-zA-Z][\w-]*)((?:\s+[\w:-]+(?:="[^"]*")?)+)\s*>')


def shuffle_attributes(page: str, rng: random.Random) -> str:
    """The same tags with their attributes in another order (some CMS caches do this)."""
    def shuffle(match: re.Match[str]) -> str:
        attrs = ATTRS.findall(match.group(2))
        rng.shuffle(attrs)
        return f"<{match.group(1)}{''.join(attrs)}>"
    return START_TAG.sub(shuffle, page)


def reindent(page: str, rng: random.Random) -> str:
    """The same lines with other indentation (a new template engine version, a minifier)."""
    indent = rng.choice(["  ", "    ", "\t", " \t"])
    return "\n".join(indent * rng.randint(0, 3) + line.lstrip() for line in page.splitlines())


def home_page(noise: Noise, paths: list[tuple[str, str]], feed_link: bool = True) -> str:
    links = "\n".join(f'<li><a href="{noise.tracked(p, "home")}">{html.escape(t)}</a></li>'
                      for p, t in paths)
    alternate = (f'<link rel="alternate" type="application/rss+xml" '
                 f'href="/feed.xml?v={noise.token(4)}">' if feed_link else "")
    return (f'<!doctype html><html><head><title>Velmar News Network</title>{alternate}'
            '</head><body><nav>'
            '<a href="/category/news/">News</a> <a href="/about/">About</a></nav><h1>Latest</h1>'
            f'<ul>{links}</ul><p>Updated {noise.ago()}</p></body></html>')


def feed(noise: Noise, paths: list[tuple[str, str]]) -> str:
    items = "".join(f"<item><title>{html.escape(t)}</title><link>{noise.tracked(p, 'rss')}</link>"
                    f"<guid>{noise.base}{p}</guid></item>" for p, t in paths)
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Velmar '
            f'News Network</title><link>{noise.base}/</link>{items}</channel></rss>')


# -- the site --------------------------------------------------------------------------

RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}
NO_CHARSET = {"Content-Type": "text/html"}  # the legacy site: charset only in <meta>
GONE = "<html><body><h1>410 Gone</h1><p>This article has been removed.</p></body></html>"


class Server(Protocol):
    """What the newsroom needs of a server: the ``site`` fixture's ``Site`` has it."""

    def url(self, path: str = "/") -> str: ...

    def set(self, path: str, body: str | bytes, status: int = 200,
            headers: dict[str, str] | None = None, delay: float = 0.0) -> str: ...


class Newsroom:
    """Publishes the articles to a server (the ``site`` fixture's ``Site``) pass after pass."""

    def __init__(self, site: Server, articles: list[Article], seed: int = 0,
                 home: int = 0, feed_link: bool = True) -> None:
        self.site = site
        self.articles = {a.key: a for a in articles}
        self.seed = seed
        self.number = 0
        self.home = home  # articles the home page links (0: all; the feed lists all)
        self.feed_link = feed_link  # whether the home page names its feed

    def publish(self) -> None:
        """Every page again with new noise: the next pass sees this."""
        self.number += 1
        site = self.site
        links = [(a.path, a.headline) for a in self.articles.values()]
        noise = Noise(self.number, random.Random(self.seed * 7919 + self.number),
                      site.url(""), tuple(links))
        site.set("/", home_page(noise, links[-self.home:] if self.home else links,
                                self.feed_link))
        site.set("/feed.xml", feed(noise, links), headers=RSS)
        site.set("/robots.txt", "User-agent: *\nDisallow: /wp-admin/\n")
        for article in self.articles.values():
            self.publish_article(article, noise)

    def publish_article(self, article: Article, noise: Noise) -> None:
        site = self.site
        headers = NO_CHARSET if article.markup == "legacy" else None
        if article.status == 410:
            site.set(article.path, GONE, status=410)
            return
        if article.moved_to:
            site.set(article.path, "", status=301,
                     headers={"Location": site.url(article.moved_to)})
        target = article.moved_to or article.path
        site.set(target, render(article, noise), headers=headers)
