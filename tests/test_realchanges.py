"""A slice of bench_realchanges.py: real pages, one real edit and one round of noise each.

Four pages of the shared data sets are served at their own URLs through a local proxy
(``support.realpages``) and crawled twice with ``stet crawl --all``. Between the passes
every page gets noise outside its story (rotated lists, changed dates and counters,
reordered attributes, new script contents and class hashes, comments, white space, a
paragraph split by ``<br><br>``) and two of them a real edit of their ground-truth text.
Only the edited pages may get a version 2. Skipped when ``../shared`` is absent.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
from collections import defaultdict
from contextlib import closing
from pathlib import Path

import pytest

from scraper.urls import canonicalize_url
from support.realdoc import parse
from support.realedits import edit_correction, edit_sentence
from support.realnoise import NOISE_KINDS, add_noise
from support.realpages import DATASETS, ProxySite, RealPage, host_pages, make_page, proxy_env
from support.site import ROOT

PAGES = (  # (set, page id, the real edit made before the second pass or "")
    ("article-extraction", "04a6711caa7c687592777718866e781e976e0fe684faebe8b3cedcef8cd0ea34", "sentence"),
    ("article-extraction", "06ee193de4bd611f7fafbab0c59b0f6fe3495093516720632cd093b24c7a0e98", ""),
    ("wcxb-dev", "0007", "correction"),
    ("wcxb-dev", "0009", ""),
)
EDITS = {"sentence": edit_sentence, "correction": edit_correction}
FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "LOG_LEVEL=WARNING",
        "-s", "STET_ALLOW_PRIVATE=True"]

pytestmark = pytest.mark.skipif(not DATASETS.is_dir(), reason="../shared/datasets is absent")


def load(name: str, page_id: str) -> RealPage:
    truth = json.loads((DATASETS / name / "ground-truth.json").read_text(encoding="utf-8"))
    return make_page(f"{name}/{page_id}", truth[page_id],
                     DATASETS / name / "html" / f"{page_id}.html.gz")


def publish(site: ProxySite, pages: list[RealPage], number: int) -> None:
    served: dict[str, bytes] = {}
    hosts: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for page in pages:
        html, _ = add_noise(page.doc, dict.fromkeys(NOISE_KINDS, number), page.key)
        for url in (page.url, *page.aliases):
            served[canonicalize_url(url)] = html.encode("utf-8")
        hosts[page.host].append((page.url, page.headline))
    for host, listed in hosts.items():
        served.update(host_pages(host, listed))
    site.publish(served)


def crawl(db: Path, pages: list[RealPage], site: ProxySite) -> None:
    homes = sorted({f"http://{page.host}/" for page in pages})
    result = subprocess.run([sys.executable, "-m", "scraper", "--db", str(db), "crawl", *homes,
                             "--all", *FAST], cwd=ROOT, capture_output=True, text=True,
                            timeout=240, check=False, env=proxy_env(dict(os.environ), site.proxy))
    assert result.returncode == 0, result.stderr[-2000:]


def versions(db: Path, pages: list[RealPage]) -> dict[str, int]:
    with closing(sqlite3.connect(db)) as conn:
        rows = conn.execute("select a.url, count(*) from versions v join articles a "
                            "on a.id = v.article_id group by a.url").fetchall()
    count = {canonicalize_url(url): n for url, n in rows}
    return {page.key: max(count.get(canonicalize_url(u), 0) for u in (page.url, *page.aliases))
            for page in pages}


def test_real_edits_make_one_version_each_and_noise_none(tmp_path: Path) -> None:
    pages = [load(name, page_id) for name, page_id, _ in PAGES]
    site = ProxySite()
    try:
        publish(site, pages, 0)
        crawl(tmp_path / "archive.db", pages, site)
        assert set(versions(tmp_path / "archive.db", pages).values()) == {1}
        for page, (_, _, edit) in zip(pages, PAGES, strict=True):
            if edit:
                changed = EDITS[edit](page.doc, random.Random(page.key))
                assert changed is not None
                page.doc = parse(changed, page.story)
        publish(site, pages, 1)
        crawl(tmp_path / "archive.db", pages, site)
    finally:
        site.close()
    expected = {page.key: 2 if edit else 1 for page, (_, _, edit) in zip(pages, PAGES,
                                                                           strict=True)}
    assert versions(tmp_path / "archive.db", pages) == expected
