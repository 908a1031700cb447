"""A shareable image of one edit: the headline and the changed paragraphs, as PNG.

Drawn with Pillow and its bundled font, so no system font is needed.  Scraped text is
only ever drawn as pixels; the PNG's text chunks carry the article URL and versions.
Removed words are struck through and added ones underlined, not told apart by colour
alone (issue 11).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

from scraper.diff import WordOp, diff_versions
from scraper.diff.render import _segments
from scraper.model import Version

WIDTH, MARGIN, MAX_HEIGHT = 1200, 48, 1800
SIZES = {"headline": 40, "text": 26, "small": 20}
COLOURS = {"equal": (34, 34, 34), "insert": (11, 90, 28), "delete": (138, 22, 22),
           "note": (90, 90, 90)}
BACKGROUNDS = {"insert": (215, 245, 221), "delete": (251, 220, 220)}
CHANGED = ("insert", "delete", "change", "move")


@dataclass(frozen=True)
class Word:
    style: str
    text: str


def render_card(url: str, old: Version, new: Version) -> bytes:
    """The PNG of the edit from ``old`` to ``new`` of the article at ``url``."""
    diff = diff_versions(old.text(), new.text())
    blocks: list[tuple[int, list[Word]]] = [(SIZES["headline"], list(_words(diff.headline)))]
    blocks += [(SIZES["text"], list(_words(op.words))) for op in diff.body if op.op in CHANGED]
    if len(blocks) == 1 and not diff.changed:
        blocks.append((SIZES["text"], [Word("note", "No differences.")]))
    image = Image.new("RGB", (WIDTH, MAX_HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    y = _line(draw, MARGIN, f"Version {old.version} to {new.version} · {new.fetched_at}", "small")
    for size, words in blocks:
        y = _paragraph(draw, y + size // 2, words, size)
        if y > MAX_HEIGHT - 3 * MARGIN:
            y = _line(draw, y, "…", "small")
            break
    y = _line(draw, y + SIZES["small"], url, "small")
    info = PngInfo()
    info.add_itxt("Source", url)
    info.add_itxt("Comment", f"versions {old.version}->{new.version}")
    out = io.BytesIO()
    image.crop((0, 0, WIDTH, min(y + MARGIN, MAX_HEIGHT))).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def _words(ops: Iterable[WordOp]) -> Iterator[Word]:
    for segment in _segments(ops):
        for token in segment.text.split():
            yield Word(segment.style, token)


def _line(draw: ImageDraw.ImageDraw, y: int, text: str, size: str) -> int:
    font = ImageFont.load_default(size=SIZES[size])
    draw.text((MARGIN, y), text[:140], fill=COLOURS["note"], font=font)
    return y + int(SIZES[size] * 1.4)


def _paragraph(draw: ImageDraw.ImageDraw, y: int, words: list[Word], size: int) -> int:
    """Word-wrapped text; each changed word on its colour, struck or underlined."""
    font = ImageFont.load_default(size=size)
    space, height = font.getlength(" "), int(size * 1.45)
    x = float(MARGIN)
    for word in words:
        width = font.getlength(word.text)
        if x + width > WIDTH - MARGIN and x > MARGIN:
            x, y = float(MARGIN), y + height
        if y > MAX_HEIGHT - 3 * MARGIN:
            return y
        box = (x - 2, y - 2, x + width + 2, y + size + 4)
        if word.style in BACKGROUNDS:
            draw.rectangle(box, fill=BACKGROUNDS[word.style])
        draw.text((x, y), word.text, fill=COLOURS[word.style], font=font)
        mark = y + size * 0.55 if word.style == "delete" else y + size + 2
        if word.style in BACKGROUNDS:
            draw.line((x, mark, x + width, mark), fill=COLOURS[word.style], width=2)
        x += width + space
    return y + height
