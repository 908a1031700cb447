"""clean_page on hostile input: empty, binary, deep, truncated, huge or odd markup (issue 3)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scraper.clean import CleanPage, clean_page
from support.clean import unguarded

HAND = Path(__file__).parent.parent / "sites" / "clean"
SENTENCE = ("The harbor city opened its first fully protected bike lane on Friday, a two-kilometer"
            " stretch of Quay Street separated from traffic by concrete planters.")
UKRAINIAN = ("Київ запустив першу спільну лінію виробництва дронів у Данії, заявив"
             " президент на пресконференції в Ужгороді у п'ятницю.")


def test_guard_logs_what_it_catches() -> None:
    """The helper above can fail: a non-text input reaches the guard and is logged."""
    with pytest.raises(AssertionError), unguarded():
        clean_page(12345)  # type: ignore[arg-type]
    assert clean_page(12345) == CleanPage(blocked="empty")  # type: ignore[arg-type]


def png_bytes() -> bytes:
    raw = b"\x00" + b"\xff\x00\x00" * 4
    chunk = b"IDAT" + zlib.compress(raw)
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR"
            + struct.pack(">IIBBBBB", 4, 1, 8, 2, 0, 0, 0) + b"\0\0\0\0"
            + struct.pack(">I", len(chunk) - 4) + chunk + b"\0\0\0\0" * 2 + b"IEND")


def test_empty_inputs() -> None:
    for data in (b"", "", "   ", b"\n\n"):
        with unguarded():
            assert clean_page(data) == CleanPage(blocked="empty")


def test_png_bytes_give_empty_page() -> None:
    with unguarded():
        assert clean_page(png_bytes(), encoding="utf-8") == CleanPage(blocked="empty")


@pytest.mark.parametrize("tag", ["div", "span", "blockquote"])
def test_deep_nesting_keeps_the_shallow_text(tag: str) -> None:
    deep = f"<{tag}>" * 20_000 + "deep" + f"</{tag}>" * 20_000
    html = f"<html><body><p>{SENTENCE}</p>{deep}</body></html>"
    with unguarded():
        page = clean_page(html)
    assert page.body.startswith(SENTENCE)


def test_text_after_deep_nesting_does_not_raise() -> None:
    html = "<body>" + "<div>" * 20_000 + "deep" + "</div>" * 20_000 + "<p>after</p>"
    with unguarded():
        page = clean_page(html)
    assert page.blocked in ("", "empty") and page.body in ("", "deep", "after", "deep\n\nafter")


def test_deep_nesting_of_inline_tags_keeps_shallow_text() -> None:
    html = f"<p>{SENTENCE}</p>" + "<span><b>" * 10_000 + "x"
    assert SENTENCE in clean_page(html.encode()).body


def test_nul_bytes_are_dropped() -> None:
    data = f"<p>{SENTENCE}</p>".replace("harbor", "har\x00bor").encode()
    assert clean_page(data).body == SENTENCE


def test_truncated_document_gives_partial_text() -> None:
    whole = (HAND / "furniture.html").read_bytes()
    cut = whole[: whole.index(b"Some shop owners") + 43]
    with unguarded():
        page = clean_page(cut)
    assert page.body.startswith(SENTENCE)
    assert page.body.endswith("Some shop owners on Quay Street had opposed")


def test_truncated_inside_multibyte_character() -> None:
    data = f"<html><head><title>News</title></head><body><p>{UKRAINIAN}</p></body></html>".encode()[:-30]
    data = data[: data.rindex("ї".encode()) + 1]  # ends inside a two-byte character
    assert clean_page(data, encoding="iso-8859-1").body.startswith("Київ запустив")


def test_five_megabyte_single_line() -> None:
    html = "<html><body><p>" + "word " * 1_000_000 + "</p></body></html>"
    assert "\n" not in html
    with unguarded():
        page = clean_page(html)
    assert page.body.startswith("word word") and len(page.body) > 4_000_000


@pytest.mark.parametrize(
    "markup",
    ["http://example.com/just-a-url", "C:\\pages\\index.html", '<?xml version="1.0"?><rss/>',
     '<?xml version="1.0" encoding="utf-8"?><html><p>Ok</p></html>', "<", "</p>", "<!--",
     "<script>", "<html><head><title>t</title>"],
)
def test_odd_markup_never_raises_or_warns(markup: str) -> None:
    for data in (markup, markup.encode()):
        with unguarded():  # filterwarnings=error turns a bs4 warning into a guarded failure
            page = clean_page(data)
        assert page.blocked in ("", "empty")


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.binary(max_size=400), st.text(max_size=400)))
def test_any_input_gives_a_clean_page(data: bytes | str) -> None:
    with unguarded():
        page = clean_page(data, encoding="utf-8")
    assert page.blocked in ("", "empty", "paywall", "consent", "bot-challenge")
    assert page.body == page.body.strip()
    assert "\n\n\n" not in page.body
