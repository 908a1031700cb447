"""A raw-socket web server on 127.0.0.1 for pages that misbehave (tracker issue 5).

``http.server`` cannot stall after the headers, reset a connection or stream a
gigabyte bomb, so each path here is a function that writes whatever it likes to
the socket::

    with HostileServer() as server:
        server.route("/", answer(b"<html>...</html>"))
        server.route("/stall", stall_after_headers)
        server.route("/bomb", gzip_bomb(4 * GIB))
        server.url("/stall")                # http://127.0.0.1:PORT/stall
        server.paths()                      # paths asked for, in order

Unknown paths answer 404; ``/robots.txt`` answers 404 unless routed. Handlers
that wait (stalls, silence) wait until the server stops, never longer.
"""

from __future__ import annotations

import socket
import socketserver
import struct
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType

Handler = Callable[[socket.socket, threading.Event], None]
GIB = 1024 ** 3
MIB = 1024 ** 2
HTML = "text/html; charset=utf-8"


def head(status: int = 200, headers: dict[str, str] | None = None,
         length: int | None = None) -> bytes:
    """A status line and headers; Content-Length when length is given."""
    lines = [f"HTTP/1.1 {status} X"]
    merged = {"Content-Type": HTML, "Connection": "close", **(headers or {})}
    if length is not None:
        merged["Content-Length"] = str(length)
    lines += [f"{name}: {value}" for name, value in merged.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def answer(body: bytes | str, status: int = 200,
           headers: dict[str, str] | None = None) -> Handler:
    """A well-formed answer with exactly these bytes (str is sent as UTF-8)."""
    data = body.encode("utf-8") if isinstance(body, str) else body

    def handle(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(head(status, headers, len(data)) + data)
    return handle


def redirect(location: str, status: int = 302) -> Handler:
    return answer(b"", status, {"Location": location})


def stream(chunks: Callable[[], Iterable[bytes]], headers: dict[str, str] | None = None,
           length: int | None = None) -> Handler:
    """200 with a body made chunk by chunk (never held whole); stops when the client goes."""
    def handle(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(head(200, headers, length))
        for chunk in chunks():
            if stop.is_set():
                return
            conn.sendall(chunk)
    return handle


def stall_after_headers(conn: socket.socket, stop: threading.Event) -> None:
    """Promise a body, send the headers, then say nothing more."""
    conn.sendall(head(200, None, 5000) + b"<html><body><p>Half")
    stop.wait()


def never_answer(conn: socket.socket, stop: threading.Event) -> None:
    """Accept the connection and the request, and never write a byte."""
    stop.wait()


def reset(conn: socket.socket, stop: threading.Event) -> None:
    """Close with a TCP RST (SO_LINGER 0) instead of an answer."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def gzip_bomb(size: int, block: int = MIB) -> Handler:
    """Content-Encoding: gzip whose body inflates to size bytes of spaces.

    The deflate stream is one compressed block repeated: each block ends with a full
    flush, so it does not depend on what came before (about 1 KiB per MiB)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    unit = compressor.compress(b" " * block) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.flush(zlib.Z_FINISH)
    count = size // block

    def chunks() -> Iterator[bytes]:
        yield b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # gzip header, no name
        for _ in range(count // 64):
            yield unit * 64
        # The client gives up long before the end; the trailer's CRC is not checked.
        yield tail + struct.pack("<II", 0, (count * block) & 0xFFFFFFFF)

    return stream(chunks, {"Content-Encoding": "gzip"})


class HostileServer:
    """Threaded raw-socket server; see the module docs."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.requests: list[str] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        server = self

        class Request(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                server.serve(self.request)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Request,
                                                      bind_and_activate=False)
        self.server.daemon_threads = True
        self.server.allow_reuse_address = True
        self.server.server_bind()
        self.server.server_activate()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str = "/") -> str:
        return self.base + path

    def route(self, path: str, handler: Handler) -> str:
        self.routes[path] = handler
        return self.url(path)

    def paths(self) -> list[str]:
        with self.lock:
            return list(self.requests)

    def serve(self, conn: socket.socket) -> None:
        path = read_path(conn)
        with self.lock:
            self.requests.append(path)
        handler = self.routes.get(path) or answer(b"<html><body>Not found</body></html>", 404)
        try:
            handler(conn, self.stop)
        except OSError:  # the client hung up: expected for bombs and oversized pages
            pass

    def __enter__(self) -> HostileServer:
        self.thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def read_path(conn: socket.socket) -> str:
    """The path of the request line (the headers are read and ignored)."""
    data = b""
    conn.settimeout(10)
    try:
        while b"\r\n\r\n" not in data and len(data) < 65536:
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
    except OSError:
        return ""
    finally:
        conn.settimeout(None)
    parts = data.split(b"\r\n", 1)[0].split(b" ")
    return parts[1].decode("latin-1") if len(parts) > 1 else ""
