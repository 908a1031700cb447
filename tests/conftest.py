"""Shared fixtures: a real local web site, a temporary archive, a real crawl.

The machinery lives in ``tests/support`` (on pytest's ``pythonpath``): ``support.site``
has the local web site (see its docs), ``support.archive`` the crash and concurrency
helpers, ``support.hostile`` the raw-socket hostile server.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from support.site import FAST, ROOT, Site, serve_site


@pytest.fixture
def site() -> Iterator[Site]:
    """A local web site on a random port, for this test only (see the module docs)."""
    with serve_site() as pages:
        yield pages


@pytest.fixture
def tmp_db(tmp_path: Path) -> Path:
    """Where a test's archive goes (the file does not exist yet)."""
    return tmp_path / "archive.db"


@pytest.fixture
def crawl(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run one real ``scrapy crawl articles`` pass in a subprocess, from the repo root.

    ``crawl(sources, db, everything=False, settings={...})``: sources are
    ``scraper.crawl.sources.Source`` objects (``source_for_url(site.url("/"))`` for an ad-hoc
    one); settings are extra ``-s NAME=VALUE`` overrides on top of ``FAST``. Returns
    the CompletedProcess (stderr has the Scrapy log).
    """
    def run(sources: list[Any], db: Path, everything: bool = False,
            settings: dict[str, Any] | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
        plan = tmp_path / f"plan-{time.monotonic_ns()}.json"
        plan.write_text(json.dumps({"db": str(db), "all": everything,
                                    "sources": [s.to_plan() for s in sources]}))
        args = [sys.executable, "-m", "scrapy", "crawl", "articles", "-a", f"plan={plan}"]
        for name, value in {**FAST, **(settings or {})}.items():
            args += ["-s", f"{name}={value}"]
        env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "scraper.settings",
               "STET_DB": str(db)}
        return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=timeout, check=False)

    return run


