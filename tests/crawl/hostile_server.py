"""A hostile HTTP server for the crawl's tests: routes by path or folder, raw
access to the socket (broken status lines, lying lengths, endless drips, bombs).

Each route is a function of the request handler; :func:`send` answers normally,
the others write what no well-behaved server would.  Every request is recorded
(``server.requests``: path with query) before its route runs.
"""

from __future__ import annotations

import contextlib
import threading
import time
import zlib
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from archiver.demo.server import send_body

Route = Callable[[BaseHTTPRequestHandler], None]


def send(
    h: BaseHTTPRequestHandler,
    status: int,
    body: bytes | str = b"",
    content_type: str = "text/html; charset=utf-8",
    headers: dict[str, str] | None = None,
) -> None:
    """The demo server's complete response, for a body given as text or bytes."""
    send_body(h, status, body.encode() if isinstance(body, str) else body, content_type, headers)


def page(body: str, status: int = 200, **headers: str) -> Route:
    return lambda h: send(h, status, body, headers=headers or None)


def xml(body: str) -> Route:
    return lambda h: send(h, 200, body, "application/xml")


def redirect(location: str, status: int = 302) -> Route:
    return lambda h: send(h, status, "moved", headers={"Location": location})


def raw(data: bytes) -> Route:
    """Write ``data`` as the whole answer and close the connection."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        h.close_connection = True
        h.wfile.write(data)
        h.wfile.flush()

    return handle


def drip(seconds: float = 20.0) -> Route:
    """A head, then one byte every half second, for ever (well, ``seconds``)."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        h.close_connection = True
        h.wfile.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"
        )
        end = time.monotonic() + seconds
        while time.monotonic() < end and not h.server.stopping.is_set():  # type: ignore[attr-defined]
            h.wfile.write(b"<")
            h.wfile.flush()
            time.sleep(0.5)

    return handle


def stream(total: int, chunk: bytes = b"<p>" + b"x" * (1024 * 1024 - 7) + b"</p>\n") -> Route:
    """An HTML page of ``total`` bytes, chunked (no length to refuse it by)."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        h.close_connection = True
        h.wfile.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        sent = 0
        while sent < total and not h.server.stopping.is_set():  # type: ignore[attr-defined]
            h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent += len(chunk)
        h.wfile.write(b"0\r\n\r\n")

    return handle


def gzip_bomb(size: int = 10 * 1024 * 1024) -> bytes:
    """About ``size`` bytes of gzip that unpack to a thousand times as many zeros (the
    same fully flushed deflate block, repeated; its trailer is never reached)."""
    block = b"\0" * (1024 * 1024)
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    start = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    piece = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    return start + piece * ((size - len(start)) // len(piece)) + c.flush()


def huge_head(size: int = 300 * 1024) -> Route:
    """A head of ``size`` bytes of header lines (each one short), sent line by line."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        h.close_connection = True
        h.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
        line = b"X-Padding-%d: " + b"p" * 1000 + b"\r\n"
        for n in range(size // 1000):
            h.wfile.write(line % n)
        h.wfile.write(b"Content-Length: 4\r\n\r\nbody")

    return handle


def calendar(h: BaseHTTPRequestHandler) -> None:
    """An endless calendar: each month links to the next and the previous one."""
    month = parse_qs(urlsplit(h.path).query).get("month", ["2026-01"])[0]
    year, mon = (int(x) for x in month.split("-"))
    nxt = f"{year + mon // 12}-{mon % 12 + 1:02d}"
    prev = f"{year - (mon == 1)}-{(mon - 2) % 12 + 1:02d}"
    send(
        h,
        200,
        f'<html><body><h1>Events of {month}</h1><a href="/calendar?month={prev}">previous</a>'
        f' <a href="/calendar?month={nxt}">next</a></body></html>',
    )


class Hostile:
    """The server: ``routes`` by path (with its query first, then without), else by the
    longest folder (a key ending with ``/``) the path is in; 404 for the rest."""

    def __init__(self, routes: dict[str, Route]) -> None:
        self.routes = routes
        self.requests: list[str] = []
        self.counts: dict[str, int] = {}
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                outer._dispatch(self)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._httpd.stopping = threading.Event()  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def url(self, path: str = "/") -> str:
        return self.origin + path

    def fetched(self, prefix: str) -> list[str]:
        with self._lock:
            return [p for p in self.requests if p.startswith(prefix)]

    def _dispatch(self, h: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.requests.append(h.path)
            self.counts[h.path] = self.counts.get(h.path, 0) + 1
        path = urlsplit(h.path).path
        route = self.routes.get(h.path) or self.routes.get(path)
        if route is None:
            folders = (p for p in self.routes if p.endswith("/") and p != "/")
            best = max((p for p in folders if path.startswith(p)), key=len, default=None)
            route = self.routes[best] if best is not None else None
        with contextlib.suppress(OSError):  # the crawler hung up: as it should
            if route is None:
                send(h, 404, "<html><body>not here</body></html>")
            else:
                route(h)

    def __enter__(self) -> Hostile:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._httpd.stopping.set()  # type: ignore[attr-defined]
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)
