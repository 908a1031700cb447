"""The bundled demo: a small news site that edits its articles, and Stet watching it.

``python -m scraper.demo`` serves ``data/demo/site/`` on 127.0.0.1, moves the site
through its revisions (``step1/``, ``step2/``, ...; a step holds only the files that
change, and a path is looked up from the current step back to ``step1``), runs one
``stet crawl --all`` pass per step, then shows ``stet changes`` and one ``stet diff``.

The server adds the noise real pages carry on every load -- a view counter, an
"Updated N minutes ago", a script nonce, a reshuffled "Most read" list -- in place of
``{{views}}``, ``{{ago}}``, ``{{nonce}}`` and ``{{most_read}}``; none of it may make a
new version. ``{{base}}`` becomes the site's own address. ETags hash the bytes sent,
so a page with per-request noise never answers 304 while the feed and sitemap can.
A ``gone.txt`` at a step lists paths that answer 410 Gone from that step on.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import os
import random
import secrets
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from scraper.errors import StetError
from scraper.store import DEFAULT_ARCHIVE, ArchiveQueries

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"
SITE_DIR = DEMO_DIR / "site"
DEFAULT_DB = Path(DEFAULT_ARCHIVE)
FRONT_PAGE = "http://127.0.0.1:8001/"  # where `stet serve` answers by default
# The day the demo's newsroom publishes; step N is served as if it were N-1 hours later.
SITE_EPOCH = datetime(2025, 3, 11, 8, 0, tzinfo=UTC)

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html",  # the legacy pages declare windows-1252 in a <meta>, as old CMSs did
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}
_FEED_TYPE = "application/rss+xml; charset=utf-8"
_PRIVATE_FILES = {"gone.txt", "most-read.txt"}  # data for the server, never served


class DemoError(StetError):
    """A demo step failed; the message says which and why."""


@dataclass(frozen=True)
class Page:
    """What the server sends for one request."""

    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    last_modified: datetime | None = None
    noisy: bool = False


class DemoSite:
    """The demo site at one step, served on 127.0.0.1 from a background thread."""

    def __init__(self, root: Path = SITE_DIR, port: int = 0, step: int = 1) -> None:
        self.root = root
        self.steps = count_steps(root)
        self._step = 1
        self.step = step
        handler = type("DemoHandler", (_Handler,), {"site": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def step(self) -> int:
        return self._step

    @step.setter
    def step(self, step: int) -> None:
        if not 1 <= step <= self.steps:
            raise DemoError(f"the demo site has steps 1 to {self.steps}, not {step}")
        self._step = step

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> DemoSite:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()

    def resolve(self, relpath: str) -> tuple[Path, int] | None:
        """The file for a path at the current step, and the step it comes from."""
        for step in range(self._step, 0, -1):
            candidate = self.root / f"step{step}" / relpath
            if candidate.is_file():
                return candidate, step
        return None

    def gone(self) -> set[str]:
        found = self.resolve("gone.txt")
        if found is None:
            return set()
        lines = found[0].read_text(encoding="utf-8").splitlines()
        return {line.strip() for line in lines if line.strip() and not line.startswith("#")}

    def page(self, path: str) -> Page:
        """The response for a URL path at the current step, noise included."""
        path = urlsplit(path).path or "/"
        if path in self.gone():
            return Page(HTTPStatus.GONE, b"410 Gone: this story has been removed.\n")
        relpath = path.lstrip("/") + ("index.html" if path.endswith("/") else "")
        found = None if ".." in relpath.split("/") or relpath in _PRIVATE_FILES else (
            self.resolve(relpath))
        if found is None:
            return Page(HTTPStatus.NOT_FOUND, b"404 Not Found\n")
        file, step = found
        raw = file.read_bytes().replace(b"{{base}}", self.base_url.encode())
        body = self._add_noise(raw)
        content_type = _FEED_TYPE if file.name == "feed.xml" else _TYPES.get(
            file.suffix, "application/octet-stream")
        return Page(HTTPStatus.OK, body, content_type, step_time(step), noisy=body != raw)

    def _add_noise(self, raw: bytes) -> bytes:
        if b"{{" not in raw:
            return raw
        noise = {
            b"{{views}}": f"{random.randint(1200, 98000):,}".encode(),
            b"{{ago}}": f"{random.randint(2, 59)} minutes ago".encode(),
            b"{{nonce}}": secrets.token_hex(12).encode(),
            b"{{most_read}}": self._most_read().encode(),
        }
        for placeholder, value in noise.items():
            raw = raw.replace(placeholder, value)
        return raw

    def _most_read(self) -> str:
        """The "Most read" list, in a different order on each load, as on a live site."""
        found = self.resolve("most-read.txt")
        lines = found[0].read_text(encoding="utf-8").splitlines() if found else []
        items = [line.split("|", 1) for line in lines if "|" in line]
        random.shuffle(items)
        return "\n".join(
            f'<li class="most-read__item"><a href="{html.escape(self.base_url + p.strip())}">'
            f"{html.escape(title.strip())}</a></li>"
            for p, title in items
        )


def count_steps(root: Path) -> int:
    """How many consecutive stepN directories the site has."""
    steps = 0
    while (root / f"step{steps + 1}").is_dir():
        steps += 1
    if steps == 0:
        raise DemoError(f"no demo site at {root} (expected {root}/step1/)")
    return steps


def step_time(step: int) -> datetime:
    return SITE_EPOCH + timedelta(hours=step - 1)


class _Handler(BaseHTTPRequestHandler):
    """Answers for the DemoSite set on a subclass (see DemoSite.__init__)."""

    site: DemoSite
    server_version = "HarbourCourierCMS/4.2"

    def do_GET(self) -> None:  # noqa: N802 -- the name http.server calls
        self._respond(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(send_body=False)

    def _respond(self, send_body: bool) -> None:
        page = self.site.page(self.path)
        etag = '"' + hashlib.sha1(page.body).hexdigest()[:20] + '"'
        status = HTTPStatus.NOT_MODIFIED if self._not_modified(page, etag) else page.status
        self.send_response(status)
        if page.status == HTTPStatus.OK:
            self.send_header("ETag", etag)
            if page.last_modified is not None:
                self.send_header("Last-Modified", format_datetime(page.last_modified, True))
            self.send_header("Cache-Control", "no-cache" if page.noisy else "max-age=60")
        if status != HTTPStatus.NOT_MODIFIED:
            self.send_header("Content-Type", page.content_type)
            self.send_header("Content-Length", str(len(page.body)))
        self.end_headers()
        if send_body and status != HTTPStatus.NOT_MODIFIED:
            self.wfile.write(page.body)

    def _not_modified(self, page: Page, etag: str) -> bool:
        if page.status != HTTPStatus.OK:
            return False
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            return etag in [tag.strip() for tag in if_none_match.split(",")]
        since = self.headers.get("If-Modified-Since")
        if since is None or page.noisy or page.last_modified is None:
            return False
        try:
            return page.last_modified <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the crawler's own log says what was fetched."""


@contextmanager
def serve_demo(step: int = 1, root: Path = SITE_DIR, port: int = 0) -> Iterator[str]:
    """Serve the demo site at a step for the duration of a with block; yields its base URL."""
    site = DemoSite(root, port=port, step=step).start()
    try:
        yield site.base_url
    finally:
        site.stop()


@dataclass(frozen=True)
class ArchiveCounts:
    """How much the archive holds, to report what one crawl pass did."""

    articles: int = 0
    versions: int = 0
    last_fetch_id: int = 0


def read_counts(db: Path) -> ArchiveCounts:
    if not db.exists():
        return ArchiveCounts()
    with ArchiveQueries.read_only(db) as archive:
        return ArchiveCounts(*archive.counts()) if archive.is_archive() else ArchiveCounts()


def outcomes_since(db: Path, fetch_id: int) -> dict[str, int]:
    with ArchiveQueries.read_only(db) as archive:
        return archive.outcomes_since(fetch_id)


def most_edited(db: Path) -> str | None:
    """The URL of the article with the most versions (the first seen, on a tie)."""
    with ArchiveQueries.read_only(db) as archive:
        return archive.most_edited()


def is_demo_archive(db: Path) -> bool:
    """True when every article in db comes from a demo site on 127.0.0.1."""
    try:
        with ArchiveQueries.read_only(db) as archive:
            if not archive.is_archive():
                return not archive.db.table_names()
            return archive.urls_outside("http://127.0.0.1:") == 0
    except sqlite3.DatabaseError:  # not an SQLite file: not ours to delete
        return False


def prepare_archive(db: Path, fresh: bool) -> None:
    """Remove a previous demo archive so the demo starts from nothing, each time."""
    if db.is_dir():
        raise DemoError(f"{db} is a directory: give --db the path of an archive file")
    if db.exists():
        if not (fresh or is_demo_archive(db)):
            raise DemoError(
                f"{db} is not a demo archive (it holds other sites' articles, or is not"
                " SQLite); give --fresh to replace it, or --db another path"
            )
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    db.parent.mkdir(parents=True, exist_ok=True)


def run_stet(db: Path, *args: str, capture: bool = False) -> None:
    """Run a stet command through the real command line; DemoError if it fails."""
    sys.stdout.flush()
    done = subprocess.run(
        [sys.executable, "-m", "scraper", "--db", str(db), *args],
        capture_output=capture, text=True, check=False,
    )
    if done.returncode != 0:
        detail = (done.stderr or "").strip().splitlines()[-5:] if capture else []
        raise DemoError(
            f"`stet {' '.join(args)}` failed with exit status {done.returncode}"
            + "".join(f"\n  {line}" for line in detail)
        )


def crawl_step(site: DemoSite, db: Path, steps: int) -> str:
    """One crawl pass over the site at its current step; returns the progress line."""
    before = read_counts(db)
    run_stet(db, "crawl", site.base_url + "/", "--all", capture=True)
    after = read_counts(db)
    outcomes = outcomes_since(db, before.last_fetch_id)
    detail = ", ".join(f"{n} {outcome}" for outcome, n in outcomes.items())
    return (
        f"step {site.step}/{steps}: crawled, {after.articles} articles,"
        f" {after.versions - before.versions} new versions ({detail or 'no fetches'})"
    )


def run_demo(db: Path, port: int = 0, steps: int | None = None, fresh: bool = False) -> None:
    """Crawl the demo site through its first `steps` steps into db, then show the changes."""
    available = count_steps(SITE_DIR)
    steps = steps or available
    if not 1 <= steps <= available:
        raise DemoError(f"--steps must be between 1 and {available}")
    prepare_archive(db, fresh)
    site = DemoSite(port=port).start()
    try:
        sys.stderr.write(f"The Harbour Courier demo site is at {site.base_url}/\n")
        for step in range(1, steps + 1):
            site.step = step
            sys.stderr.write(crawl_step(site, db, steps) + "\n")
    finally:
        site.stop()
    sys.stderr.write("\n$ stet changes\n")
    run_stet(db, "changes")
    url = most_edited(db)
    if url is not None:
        # From version 1, so the one diff shows every edit the article went through.
        sys.stderr.write(f"\n$ stet diff {url} --from 1\n")
        run_stet(db, "diff", url, "--from", "1")
    stet = Path(sys.executable).parent / "stet"  # the stet of the environment running this
    command = os.path.relpath(stet) if stet.exists() else "stet"
    sys.stderr.write(f"\nThe archive is {db}. Review it with `{command} serve --db {db}`,\n"
                     f"then open the front page of edits: {FRONT_PAGE}\n")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m scraper.demo",
        description="Serve the bundled demo news site, crawl it through its revisions"
        " and show what changed.",
    )
    parser.add_argument("--db", type=Path, default=DEFAULT_DB,
                        help=f"the archive to write (default {DEFAULT_DB}; a previous demo"
                        " archive there is replaced)")
    parser.add_argument("--port", type=int, default=0,
                        help="port for the demo site (default: any free one)")
    parser.add_argument("--steps", type=int, default=None, help="run only the first N steps")
    parser.add_argument("--fresh", action="store_true",
                        help="replace the archive even if it holds other sites' articles")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        run_demo(args.db, port=args.port, steps=args.steps, fresh=args.fresh)
    except (DemoError, OSError) as error:
        sys.stderr.write(f"demo: {error}\n")
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
