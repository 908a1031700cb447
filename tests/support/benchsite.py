"""A WordPress-style news site for the crawl benchmarks, served fast from memory.

``build_pages(count)`` makes ``count`` article pages from the WordPress pages of the
WCXB development set (real markup, ~100 KB each): page ``n`` is template ``n % T``
with its prose words reordered by a seeded shuffle (so no two articles share a body),
its own headline, and a relative canonical link (so one page serves any host).

``serve(sites, port)`` forks ``processes`` asyncio servers sharing one port
(SO_REUSEPORT) on each host of ``sites`` (``{host: [article indexes]}``): per host
a home page linking the newest 20 articles, an RSS feed, robots.txt naming
/sitemap.xml and the sitemap of every article. Every page has an ETag; a matching
If-None-Match gets 304. ``load(urls)`` fetches URLs with a raw asyncio client, to
time the server alone.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import multiprocessing
import os
import random
import re
import signal
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DATASET = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "wcxb-dev" / "html"
BUNDLED = Path(__file__).resolve().parents[1] / "sites" / "extraction"
PROSE = re.compile(r">([^<>]{60,})<")
SKIPPED = re.compile(r"(<script.*?</script>|<style.*?</style>)", re.S | re.I)
TITLE = re.compile(r"<title>.*?</title>", re.S | re.I)
H1 = re.compile(r"(<h1[^>]*>).*?(</h1>)", re.S | re.I)
CANONICAL = re.compile(r"<link[^>]+rel=[\"']canonical[\"'][^>]*>", re.I)
OG_URL = re.compile(r"<meta[^>]+property=[\"']og:url[\"'][^>]*>", re.I)
LAST_MODIFIED = "Sat, 28 Nov 2026 08:00:00 GMT"


def templates(low: int = 70_000, high: int = 130_000) -> list[str]:
    """The WordPress pages of the WCXB dev set between low and high bytes; in a clone
    without ../shared, the real pages kept with the tests (tests/sites/extraction)."""
    found = []
    for path in sorted(DATASET.glob("*.html.gz")):
        html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        if low < len(html) < high and "wp-content" in html:
            found.append(html)
    return found or [gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
                     for path in sorted(BUNDLED.glob("*.html.gz"))]


def article_path(n: int) -> str:
    day = 1 + n % 28
    return f"/2026/11/{day:02d}/harbour-council-story-number-{n}-about-the-ferry/"


def _shuffle(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    rng.shuffle(words)
    return " ".join(words)


def render(template: str, n: int) -> bytes:
    rng = random.Random(n)
    parts = SKIPPED.split(template)
    for i in range(0, len(parts), 2):  # odd parts are scripts and styles, left alone
        parts[i] = PROSE.sub(lambda m: ">" + _shuffle(m.group(1), rng) + "<", parts[i])
    html = "".join(parts)
    headline = f"Harbour council story number {n} about the ferry"
    html = TITLE.sub(f"<title>{headline}</title>", html, count=1)
    html = H1.sub(lambda m: m.group(1) + headline + m.group(2), html, count=1)
    html = OG_URL.sub("", html)
    link = f'<link rel="canonical" href="{article_path(n)}">'
    html = CANONICAL.sub(link, html, count=1) if CANONICAL.search(html) else html.replace(
        "</head>", link + "</head>", 1)
    return html.encode("utf-8")


def build_pages(count: int) -> list[bytes]:
    found = templates()
    return [render(found[n % len(found)], n) for n in range(count)]


def host_pages(pages: list[bytes], articles: list[int]) -> dict[str, tuple[bytes, str]]:
    """path -> (body, content type) for one host."""
    html = "text/html; charset=utf-8"
    site: dict[str, tuple[bytes, str]] = {
        article_path(n): (pages[n % len(pages)], html) for n in articles}
    newest = articles[-20:]
    links = "".join(f'<li><a href="{article_path(n)}">Harbour council story number {n} '
                    f"about the ferry</a></li>" for n in reversed(newest))
    site["/"] = (f'<!doctype html><html><head><title>Harbour News</title><link rel="alternate" '
                 f'type="application/rss+xml" href="/feed/"></head><body><h1>Harbour News'
                 f"</h1><ul>{links}</ul></body></html>".encode(), html)
    items = "".join(f"<item><title>Story {n}</title><link>{article_path(n)}</link></item>"
                    for n in reversed(newest[-10:]))
    site["/feed/"] = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour'
                      f"</title>{items}</channel></rss>".encode(), "application/rss+xml")
    site["/robots.txt"] = (b"User-agent: *\nSitemap: /sitemap.xml\n", "text/plain")
    urls = "".join(f"<url><loc>{article_path(n)}</loc></url>" for n in articles)
    site["/sitemap.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/'
        f'schemas/sitemap/0.9">{urls}</urlset>'.encode(), "application/xml")
    return site


def _answers(site: dict[str, tuple[bytes, str]], host: str,
             port: int) -> dict[str, tuple[bytes, bytes]]:
    """path -> (ETag, whole 200 answer); sitemap and feed links made absolute."""
    answers = {}
    for path, (body, kind) in site.items():
        if path in ("/sitemap.xml", "/feed/", "/robots.txt"):
            body = body.replace(b"<loc>/", f"<loc>http://{host}:{port}/".encode())
            body = body.replace(b"<link>/", f"<link>http://{host}:{port}/".encode())
            body = body.replace(b"Sitemap: /", f"Sitemap: http://{host}:{port}/".encode())
        etag = '"' + hashlib.md5(body).hexdigest() + '"'
        head = (f"HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {len(body)}\r\n"
                f"ETag: {etag}\r\nLast-Modified: {LAST_MODIFIED}\r\n\r\n").encode()
        answers[path] = (etag.encode(), head + body)
    return answers


NOT_FOUND = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
NOT_MODIFIED = b"HTTP/1.1 304 Not Modified\r\nContent-Length: 0\r\n\r\n"


class Server(asyncio.Protocol):
    """HTTP/1.1 keep-alive; GET only; answers from the prebuilt table."""

    def __init__(self, table: dict[bytes, dict[str, tuple[bytes, bytes]]]) -> None:
        self.table = table
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            request, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            assert self.transport is not None
            self.transport.write(self.answer(request))

    def answer(self, request: bytes) -> bytes:
        lines = request.split(b"\r\n")
        path = lines[0].split(b" ")[1].decode("latin-1")
        headers = dict(line.split(b":", 1) for line in lines[1:] if b":" in line)
        headers = {k.strip().lower(): v.strip() for k, v in headers.items()}
        host = headers.get(b"host", b"").split(b":")[0]
        found = self.table.get(host, {}).get(path)
        if found is None:
            return NOT_FOUND
        etag, whole = found
        return NOT_MODIFIED if headers.get(b"if-none-match") == etag else whole


def _serve_forever(table: dict[bytes, dict[str, tuple[bytes, bytes]]], hosts: list[str],
                   port: int) -> None:
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(loop.create_server(
        lambda: Server(table), host=hosts, port=port, reuse_port=True, backlog=1024))
    loop.run_until_complete(server.serve_forever())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(pages: list[bytes], sites: dict[str, list[int]],
          processes: int = 2) -> Iterator[int]:
    """Serve every host of sites on one free port, in `processes` processes; yields it."""
    port = free_port()
    table = {host.encode(): _answers(host_pages(pages, articles), host, port)
             for host, articles in sites.items()}
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_serve_forever, args=(table, list(sites), port),
                               daemon=True) for _ in range(processes)]
    for worker in workers:
        worker.start()
    _wait_for(next(iter(sites)), port)
    try:
        yield port
    finally:
        for worker in workers:
            worker.terminate()
            worker.join()


def _wait_for(host: str, port: int) -> None:
    for _ in range(200):
        try:
            socket.create_connection((host, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("benchmark server did not start")


async def _client(host: str, port: int, paths: list[str]) -> int:
    reader, writer = await asyncio.open_connection(host, port)
    received = 0
    for path in paths:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(re.search(rb"Content-Length: (\d+)", head).group(1))  # type: ignore[union-attr]
        received += len(await reader.readexactly(length))
    writer.close()
    return received


def load(host: str, port: int, paths: list[str], connections: int = 4) -> float:
    """Pages per second the server gives a raw client on `connections` connections."""
    async def run() -> None:
        await asyncio.gather(*(_client(host, port, paths[i::connections])
                               for i in range(connections)))
    started = time.perf_counter()
    asyncio.run(run())
    return len(paths) / (time.perf_counter() - started)
