"""A real local web site for tests: ``serve_site()`` and the ``site`` fixture's ``Site``.

``site`` -- a threaded ``http.server`` on 127.0.0.1 (random port), started for the
test and stopped after it, serving pages kept in memory and changeable at any time::

    def test_something(site):
        site.set("/", "<html>...<a href='/news/2025/09/05/a-story'>...</html>")
        site.set("/feed.xml", rss, headers={"Content-Type": "application/rss+xml"})
        site.set("/robots.txt", "User-agent: *\\nDisallow: /private/")
        site.queue("/flaky", "busy", status=503, headers={"Retry-After": "1"})  # once
        site.remove("/old")                                # 404 from now on
        url = site.url("/news/2025/09/05/a-story")         # http://127.0.0.1:PORT/...
        ...
        assert site.paths().count("/feed.xml") == 1
        assert "/private/x" not in site.paths()
        method, path, headers = site.requests[0]           # headers: lower-case names

What it does, so that tests can rely on it:
- Unknown paths answer 404. Paths are matched with their query string first, then
  without it. ``str`` bodies are sent as UTF-8; ``Content-Type`` defaults to
  ``text/html; charset=utf-8`` (pass ``headers`` to change it; ``bytes`` bodies are
  sent exactly as given, for other encodings, gzip or images).
- Every 200 answer carries an ``ETag`` computed from the body (unless ``headers``
  sets one); a request whose ``If-None-Match`` matches gets ``304`` with no body.
  A page with a ``Last-Modified`` header also answers ``If-Modified-Since`` with
  the same value by 304.
- ``site.queue(path, ...)`` adds one-shot answers served, in order, before the page
  set with ``site.set`` (or before the 404): for flaky servers, 429s, 503s.
- ``delay=`` seconds makes a page slow; ``site.peak`` is the largest number of
  requests the server was answering at once (for concurrency limits).
- ``site.requests`` logs every request as ``(method, path, headers)`` and
  ``site.times`` the matching ``time.monotonic()`` arrival times.
"""

from __future__ import annotations

import hashlib
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parents[2]
HTML = "text/html; charset=utf-8"


class Hit(NamedTuple):
    method: str
    path: str
    headers: dict[str, str]  # names lower-cased


@dataclass
class Page:
    body: bytes
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


def _page(body: str | bytes, status: int, headers: dict[str, str] | None,
          delay: float) -> Page:
    data = body.encode("utf-8") if isinstance(body, str) else body
    merged = {"Content-Type": HTML, **(headers or {})}
    return Page(data, status, merged, delay)


class Site:
    """The pages of the local server and the log of what was asked for."""

    def __init__(self) -> None:
        self.base = ""  # http://127.0.0.1:PORT, set when the server starts
        self.pages: dict[str, Page] = {}
        self.queued: dict[str, list[Page]] = {}
        self.requests: list[Hit] = []
        self.times: list[float] = []
        self.active = 0
        self.peak = 0
        self.lock = threading.Lock()

    def url(self, path: str = "/") -> str:
        return self.base + path

    def set(self, path: str, body: str | bytes, status: int = 200,
            headers: dict[str, str] | None = None, delay: float = 0.0) -> str:
        """Serve body at path from now on; returns the page's full URL."""
        with self.lock:
            self.pages[path] = _page(body, status, headers, delay)
        return self.url(path)

    def queue(self, path: str, body: str | bytes = "", status: int = 503,
              headers: dict[str, str] | None = None, delay: float = 0.0) -> None:
        """Answer the next request for path with this, once (queued answers go in order)."""
        with self.lock:
            self.queued.setdefault(path, []).append(_page(body, status, headers, delay))

    def remove(self, path: str) -> None:
        with self.lock:
            self.pages.pop(path, None)

    def paths(self, method: str | None = None) -> list[str]:
        """The paths requested so far, in order (of one method when given)."""
        with self.lock:
            return [hit.path for hit in self.requests if method in (None, hit.method)]

    def times_of(self, path: str) -> list[float]:
        """Arrival times (time.monotonic) of the requests for one path."""
        with self.lock:
            return [t for hit, t in zip(self.requests, self.times, strict=True)
                    if hit.path == path]

    def answer(self, method: str, path: str, headers: dict[str, str]) -> Page:
        """Log the request and pick what to send (called by the server threads)."""
        with self.lock:
            self.requests.append(Hit(method, path, headers))
            self.times.append(time.monotonic())
            bare = path.split("?")[0]
            for key in (path, bare):
                if self.queued.get(key):
                    return self.queued[key].pop(0)
            page = self.pages.get(path) or self.pages.get(bare)
        if page is None:
            return Page(b"<html><body><h1>Not found</h1></body></html>", 404,
                        {"Content-Type": HTML})
        return _conditional(page, headers)


def _conditional(page: Page, request_headers: dict[str, str]) -> Page:
    """The page with its ETag, or a 304 when the client already has it."""
    if page.status != 200:
        return page
    headers = dict(page.headers)
    etag = headers.setdefault("ETag", f'"{hashlib.sha1(page.body).hexdigest()[:16]}"')
    matches = etag in [t.strip() for t in request_headers.get("if-none-match", "").split(",")]
    modified = headers.get("Last-Modified")
    if matches or (modified and request_headers.get("if-modified-since") == modified):
        return Page(b"", 304, {"ETag": etag}, page.delay)
    return Page(page.body, 200, headers, page.delay)


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._serve(send_body=True)

        def do_HEAD(self) -> None:
            self._serve(send_body=False)

        def _serve(self, send_body: bool) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            with site.lock:
                site.active += 1
                site.peak = max(site.peak, site.active)
            page = site.answer(self.command, self.path, headers)
            try:
                time.sleep(page.delay)
            finally:  # counted until the answer starts: the client cannot know sooner
                with site.lock:
                    site.active -= 1
            self.send_response(page.status)
            for name, value in page.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(page.body)))
            self.end_headers()
            if send_body and page.status not in (204, 304):
                self.wfile.write(page.body)

        def log_message(self, format: str, *args: Any) -> None:  # quiet: site.requests has it
            pass

    return Handler


@contextmanager
def serve_site(tls: ssl.SSLContext | None = None) -> Iterator[Site]:
    """A local web site on a random port until the block ends (HTTPS with tls)."""
    pages = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(pages))
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    scheme = "https" if tls is not None else "http"
    pages.base = f"{scheme}://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield pages
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# Settings that keep a test crawl fast: no politeness pauses against a local server.
FAST = {"AUTOTHROTTLE_ENABLED": "False", "DOWNLOAD_DELAY": "0", "LOG_LEVEL": "INFO",
        "RETRY_TIMES": "2", "DOWNLOAD_TIMEOUT": "10"}
