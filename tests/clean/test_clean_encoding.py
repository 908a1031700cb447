"""clean_page on bytes: charsets from the header, <meta>, BOM or detection (issue 3)."""

from __future__ import annotations

from scraper.clean import clean_page

UKRAINIAN = ("Київ запустив першу спільну лінію виробництва дронів у Данії, заявив"
             " президент на пресконференції в Ужгороді у п'ятницю.")


def page_bytes(text: str, encoding: str, head: str = "") -> bytes:
    return f"<html><head>{head}<title>News</title></head><body><p>{text}</p></body></html>".encode(
        encoding
    )


def test_windows_1251_with_meta_charset_only() -> None:
    data = page_bytes(UKRAINIAN, "cp1251", '<meta charset="windows-1251">')
    assert clean_page(data).body == UKRAINIAN


def test_windows_1251_with_http_equiv() -> None:
    head = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
    assert clean_page(page_bytes(UKRAINIAN, "cp1251", head)).body == UKRAINIAN


def test_header_latin1_but_utf8_body() -> None:
    assert clean_page(page_bytes(UKRAINIAN, "utf-8"), encoding="ISO-8859-1").body == UKRAINIAN


def test_header_charset_beats_meta() -> None:
    data = page_bytes(UKRAINIAN, "koi8-u", '<meta charset="utf-8">')
    assert clean_page(data, encoding="koi8-u").body == UKRAINIAN


def test_latin1_header_with_real_latin1_bytes() -> None:
    text = "Le café de la gare a rouvert ses portes après trois ans de travaux, à Genève."
    assert clean_page(page_bytes(text, "cp1252"), encoding="iso-8859-1").body == text


def test_utf8_bom_beats_wrong_header() -> None:
    data = b"\xef\xbb\xbf" + page_bytes(UKRAINIAN, "utf-8")
    assert clean_page(data, encoding="windows-1251").body == UKRAINIAN


def test_detection_without_any_declaration() -> None:
    text = " ".join([UKRAINIAN] * 4)
    assert clean_page(page_bytes(text, "cp1251")).body == text


def test_invalid_bytes_are_replaced() -> None:
    data = b'<meta charset="utf-8"><p>Before \xff\xfe after, a sentence long enough to keep.</p>'
    body = clean_page(data).body
    assert body.startswith("Before ") and body.endswith("after, a sentence long enough to keep.")
    assert "\ufffd" in body
