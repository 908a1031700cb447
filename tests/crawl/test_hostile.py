"""Nothing breaks a pass, nothing is lost (tracker issue 5): hostile pages, real crawls.

One raw-socket server (tests/hostile_server.py) links from its home page to pages
that each misbehave one way, next to normal articles; one real ``scrapy crawl``
pass runs over all of them and the tests assert on the SQLite archive it wrote.
Every misbehaving page ends as one ``error`` or ``skipped`` fetch, or as a correct
version -- never a crash, never an empty version.

Covered elsewhere, not repeated here:
- 429 with Retry-After, 503 twice, then 200 -> archived:
  tests/test_politeness.py::test_retry_after_is_honoured
- robots.txt disallows a page -> never requested, even first on the host:
  tests/test_politeness.py::test_disallowed_page_is_never_requested and
  ::test_disallowed_start_url_is_never_requested
- an archived article now answers 410 -> ``gone``, no empty version:
  tests/test_end_to_end.py::test_gone_article_and_failed_pages
"""

from __future__ import annotations

import json
import math
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scraper.crawl.sources import Source, source_for_url
from support.hostile import (
    GIB,
    MIB,
    HostileServer,
    answer,
    gzip_bomb,
    never_answer,
    redirect,
    reset,
    stall_after_headers,
    stream,
)
from support.site import FAST, ROOT

UA_HEADLINE = "Київ відновлює енергосистему після нічної атаки"
UA_PARAGRAPHS = [
    "Енергетики відновили живлення для більшості споживачів столиці вже до ранку, "
    "повідомили в міській адміністрації в середу.",
    "За словами чиновників, ремонтні бригади працювали всю ніч, щоб повернути світло "
    "лікарням, школам і житловим будинкам у трьох районах міста.",
]
UA_WORDS = ["Київ", "енергосистему", "Енергетики", "лікарням", "житловим"]
LONG_WORD = "ж" * 2500 + "x" * 2500  # 5,000 characters, no space
HOSTILE_TEXT = ["<script>alert(1)</script>", "'; DROP TABLE versions;--", LONG_WORD]


def story(headline: str, paragraphs: list[str], charset: str = "utf-8") -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    return (f'<!doctype html><html><head>{meta}<title>{headline}</title>'
            f'<meta property="og:type" content="article"></head><body><article>'
            f"<h1>{headline}</h1>\n{body}</article></body></html>")


def english(name: str) -> str:
    return story(f"The {name} story", [f"The {name} story begins with a council vote that "
                                       "surprised nobody in the harbour town on Tuesday.",
                                       # Distinct per page: a sentence on every page of a
                                       # site is furniture (site learning, issue 9).
                                       f"Residents said they would keep watching the {name} "
                                       "vote closely."])


def path(slug: str) -> str:
    return f"/news/2025/09/05/{slug}"


def ukrainian(charset: str) -> str:
    return story(UA_HEADLINE, UA_PARAGRAPHS, charset)


def escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def deep_nesting(depth: int) -> str:
    return story("Deep nesting", ["<div>" * depth + "Deeply nested words here."
                                  + "</div>" * depth, "Second paragraph of the deep page."])


def forty_megabytes() -> Iterator[bytes]:
    yield b"<html><body><article><h1>Huge</h1><p>"
    for _ in range(40):
        yield b"big " * (MIB // 4)
    yield b"</p></article></body></html>"


def pages(other: str) -> dict[str, Any]:
    """Path -> handler: the misbehaving pages (other: the base URL of another host)."""
    utf8 = ukrainian("").encode("utf-8")
    invalid = ukrainian("utf-8").encode("utf-8").replace("Енергетики".encode(),
                                                          b"\xff\xfe\xc3" + "Енергетики".encode())
    hostile = story(escaped(HOSTILE_TEXT[0] + " " + HOSTILE_TEXT[1]),
                    [escaped(" ".join(HOSTILE_TEXT)), f"Then a long word: {LONG_WORD} ends."])
    line = ("<html><head><title>One line</title></head><body><article><h1>One line</h1><p>"
            + "word " * (MIB + MIB // 16) + "</p></article></body></html>")
    return {
        path("header-latin1-body-utf8"): answer(utf8, headers={
            "Content-Type": "text/html; charset=ISO-8859-1"}),
        path("meta-windows-1251"): answer(ukrainian("windows-1251").encode("cp1251"),
                                          headers={"Content-Type": "text/html"}),
        path("utf8-bom"): answer(b"\xef\xbb\xbf" + utf8, headers={"Content-Type": "text/html"}),
        path("invalid-utf8-bytes"): answer(invalid),
        path("forty-megabytes"): stream(forty_megabytes),
        path("png-as-html"): answer(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40),
        path("empty-200"): answer(b""),
        path("only-html-tag"): answer(b"<html>"),
        path("nested-20000-deep"): answer(deep_nesting(20_000)),
        path("five-megabyte-line"): answer(line),
        path("nul-bytes"): answer(english("nul").replace("council", "coun\x00cil")
                                  .encode() + b"\x00" * 3),
        path("mostly-nul-bytes"): answer(english("zero").encode() + b"\x00" * 1000),
        path("script-sql-long-words"): answer(hostile),
        path("redirect-loop-a"): redirect(path("redirect-loop-b")),
        path("redirect-loop-b"): redirect(path("redirect-loop-a")),
        path("moved-to-another-site"): redirect(other + path("the-other-site-story"), 301),
        path("redirect-to-file"): redirect("file:///etc/passwd"),
        path("redirect-to-data"): redirect("data:text/html,<h1>Injected%20story</h1>"),
        path("normal-story-one"): answer(english("first")),
        path("normal-story-two"): answer(english("second")),
    }


def run_crawl(sources: list[Source], db: Path, tmp: Path, settings: dict[str, str],
              wrapper: tuple[str, ...] = ()) -> tuple[subprocess.CompletedProcess[str], float]:
    """One real ``scrapy crawl articles`` pass (as the ``crawl`` fixture), and its wall time."""
    plan = tmp / f"plan-{time.monotonic_ns()}.json"
    plan.write_text(json.dumps({"db": str(db), "sources": [s.to_plan() for s in sources]}))
    args = [*wrapper, sys.executable, "-m", "scrapy", "crawl", "articles", "-a", f"plan={plan}"]
    for name, value in {**FAST, **settings}.items():
        args += ["-s", f"{name}={value}"]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "scraper.settings", "STET_DB": str(db)}
    started = time.monotonic()
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-4000:]
    return result, time.monotonic() - started


def query(db: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, args).fetchall()


def last_fetch(db: Path, url: str) -> tuple[str, int | None, str | None]:
    rows = query(db, "select outcome, status, error from fetches where url = ? order by id", url)
    assert rows, f"no fetch row for {url}"
    return rows[-1]


def stored_text(db: Path, url: str) -> str:
    rows = query(db, "select v.headline || char(10) || v.body from versions v join articles a "
                     "on a.id = v.article_id where a.url = ? order by v.version", url)
    assert len(rows) == 1, f"expected one version of {url}, found {len(rows)}"
    return str(rows[0][0])


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[HostileServer, Path]]:
    """The hostile site crawled once; yields the server (its request log) and the archive."""
    tmp = tmp_path_factory.mktemp("hostile")
    with HostileServer() as server, HostileServer() as other:
        site = pages(other.url("").replace("127.0.0.1", "localhost"))
        for page in site:
            server.route(page, site[page])
        server.route("/", answer("<html><body>" + "".join(
            f'<a href="{p}">{p}</a>' for p in site) + "</body></html>"))
        db = tmp / "archive.db"
        run_crawl([source_for_url(server.url("/"))], db, tmp, {})
        assert other.paths() == []  # the other site was never contacted
        yield server, db


@pytest.mark.parametrize("slug", ["header-latin1-body-utf8", "meta-windows-1251", "utf8-bom",
                                  "invalid-utf8-bytes"])
def test_encodings_give_the_right_cyrillic_words(hostile: tuple[HostileServer, Path],
                                                 slug: str) -> None:
    server, db = hostile
    assert last_fetch(db, server.url(path(slug)))[0] == "new"
    text = stored_text(db, server.url(path(slug)))
    assert all(word in text for word in UA_WORDS), text[:300]
    assert "Ð" not in text and "\ufeff" not in text  # no mojibake, no BOM


@pytest.mark.parametrize(("slug", "error"), [
    ("forty-megabytes", "DOWNLOAD_MAXSIZE"),
    ("empty-200", ""),
    ("only-html-tag", ""),
    ("png-as-html", ""),
])
def test_broken_pages_are_one_error_row(hostile: tuple[HostileServer, Path], slug: str,
                                        error: str) -> None:
    server, db = hostile
    outcome, _status, text = last_fetch(db, server.url(path(slug)))
    assert outcome == "error" and text and error in text and "\n" not in text
    assert not query(db, "select 1 from articles a join versions v on v.article_id = a.id "
                         "where a.url = ?", server.url(path(slug)))


@pytest.mark.parametrize(("slug", "words", "may_fail"), [
    # The cleaner loses text below lxml's nesting limit: an honest error row is fine.
    ("nested-20000-deep", ["Deeply nested words here.", "Second paragraph"], True),
    ("five-megabyte-line", ["word word word"], False),
    ("nul-bytes", ["The nul story", "council vote", "harbour town"], False),
    # Mostly NULs reads as a binary body to the cleaner: error row, or the text.
    ("mostly-nul-bytes", ["The zero story", "harbour town"], True),
    ("normal-story-one", ["The first story", "council vote"], False),
    ("normal-story-two", ["The second story", "Residents said"], False),
])
def test_odd_pages_are_archived_or_one_error_row(hostile: tuple[HostileServer, Path], slug: str,
                                                 words: list[str], may_fail: bool) -> None:
    server, db = hostile
    outcome, _status, text = last_fetch(db, server.url(path(slug)))
    if may_fail and outcome == "error":
        assert text and "\n" not in text
        return
    assert outcome == "new", text
    stored = stored_text(db, server.url(path(slug)))
    assert all(word in stored for word in words) and "\x00" not in stored


def test_markup_and_sql_in_text_are_stored_literally(hostile: tuple[HostileServer, Path]) -> None:
    server, db = hostile
    stored = stored_text(db, server.url(path("script-sql-long-words")))
    assert all(text in stored for text in HOSTILE_TEXT)
    assert query(db, "select count(*) from versions")[0][0] >= 1  # the table survived


@pytest.mark.parametrize(("slug", "outcome", "error"), [
    ("redirect-loop-a", "error", "redirect loop"),
    ("moved-to-another-site", "skipped", "redirect to another site: http://localhost:"),
    ("redirect-to-file", "skipped", "blocked: redirect to a non-HTTP URL file:///etc/passwd"),
    ("redirect-to-data", "skipped", "blocked: redirect to a non-HTTP URL data:"),
])
def test_redirects_that_are_not_followed(hostile: tuple[HostileServer, Path], slug: str,
                                         outcome: str, error: str) -> None:
    server, db = hostile
    found = last_fetch(db, server.url(path(slug)))
    assert found[0] == outcome and error in (found[2] or ""), found


def test_no_empty_version_and_every_link_has_a_row(hostile: tuple[HostileServer, Path]) -> None:
    server, db = hostile
    assert query(db, "select count(*) from versions where trim(body) = ''")[0][0] == 0
    asked = {url for (url,) in query(db, "select url from fetches")}
    links = [p for p in server.routes if p.startswith("/news/") and "loop-b" not in p]
    assert {server.url(p) for p in links} <= asked


def test_stalled_and_reset_connections_end_the_pass(tmp_path: Path) -> None:
    """Bound: every stalled page costs at most (RETRY_TIMES + 1) x DOWNLOAD_TIMEOUT, and
    CONCURRENT_REQUESTS_PER_DOMAIN of them wait side by side."""
    timeout, retries, per_host, slack = 3, 1, 4, 12.0
    stalls = {path("headers-then-silence"): stall_after_headers,
              path("accepts-never-answers"): never_answer, path("connection-reset"): reset}
    with HostileServer() as server:
        for page, handler in stalls.items():
            server.route(page, handler)
        server.route(path("normal-story-one"), answer(english("first")))
        server.route("/", answer("".join(f'<a href="{p}">x</a>' for p in server.routes)))
        db = tmp_path / "archive.db"
        _result, wall = run_crawl([source_for_url(server.url("/"))], db, tmp_path, {
            "DOWNLOAD_TIMEOUT": str(timeout), "RETRY_TIMES": str(retries)})
    bound = (retries + 1) * timeout * math.ceil(len(stalls) / per_host) + slack
    print(f"pass with stalled servers: {wall:.1f} s (bound {bound:.0f} s)")
    assert wall < bound, f"pass took {wall:.1f} s, bound {bound:.1f} s"
    for page in stalls:
        outcome, status, error = last_fetch(db, server.url(page))
        assert (outcome, status) == ("error", None) and error and "\n" not in error
    assert last_fetch(db, server.url(path("normal-story-one")))[0] == "new"


def test_gzip_bomb_is_an_error_and_memory_stays_small(tmp_path: Path) -> None:
    """4 GiB of spaces in about 4 MB of gzip: refused at DOWNLOAD_MAXSIZE while inflating."""
    time_cmd = shutil.which("time") or "/usr/bin/time"
    wrapper = (time_cmd, "-f", "STET_MAXRSS_KB=%M") if os.path.exists(time_cmd) else ()
    with HostileServer() as server:
        server.route(path("gzip-bomb"), gzip_bomb(4 * GIB))
        server.route(path("normal-story-one"), answer(english("first")))
        server.route("/", answer("".join(f'<a href="{p}">x</a>' for p in server.routes)))
        db = tmp_path / "archive.db"
        result, _wall = run_crawl([source_for_url(server.url("/"))], db, tmp_path, {}, wrapper)
    if wrapper:
        peak_kb = int(result.stderr.rsplit("STET_MAXRSS_KB=", 1)[1].split()[0])
    else:  # the largest child this test process has waited for: an upper bound
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"peak RSS of the crawl with a 4 GiB gzip bomb: {peak_kb / 1024:.0f} MiB")
    assert peak_kb < 1024 * 1024
    outcome, _status, error = last_fetch(db, server.url(path("gzip-bomb")))
    assert outcome == "error" and error and "DOWNLOAD_MAXSIZE" in error
    assert last_fetch(db, server.url(path("normal-story-one")))[0] == "new"
