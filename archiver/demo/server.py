"""A small local HTTP server for the demo, the tests and the benchmarks.

:class:`SiteServer` serves a directory of static files on the loopback interface, on
a free port, from a daemon thread.  It behaves like a tidy production web server so
that crawls against it look like crawls against the real thing:

* ``Content-Type`` from the file name (HTML as ``text/html; charset=utf-8``, sitemaps
  as ``application/xml``, feeds as ``application/rss+xml`` / ``application/atom+xml``,
  ``robots.txt`` as ``text/plain``, ...), ``index.html`` for directories, a redirect
  from ``/dir`` to ``/dir/``, a small HTML body on 404;
* ``HEAD``, conditional ``GET`` with ``ETag`` / ``If-None-Match`` and
  ``Last-Modified`` / ``If-Modified-Since`` (answered with ``304``);
* ``Content-Encoding: gzip`` for text types when the client sends
  ``Accept-Encoding: gzip``;
* HTTP/1.1 keep-alive (every response has a ``Content-Length`` or is chunked);
* no logging to stderr.

Sites whose files carry absolute URLs (sitemaps, feeds, canonical links) cannot know
the port they will be served on, so their files are written with a placeholder
origin such as ``http://demo.archiver.invalid``; the server replaces it in every
text response with its own origin (``http://127.0.0.1:PORT``).  The placeholder is
given with ``placeholder_origin=`` or read from the ``origin_placeholder`` key of a
``manifest.json`` at the root of the site.

Tests can add dynamic routes: ``routes`` maps a path (``"/moved"``, or a path with
its query string, ``"/search?q=x"``) to a callable that receives the
:class:`http.server.BaseHTTPRequestHandler` and writes the whole response.  Ready
made route handlers: :func:`redirect`, :func:`status`, :func:`chunked`,
:func:`gzipped`, :func:`slow` and :func:`content`.

Every request is recorded in :attr:`SiteServer.requests` (method, path, headers), so
a test can assert what a crawler fetched, or did not fetch.

Example::

    with SiteServer(root, routes={"/old": redirect("/new/")}) as server:
        urllib.request.urlopen(server.url("/old"))
"""

from __future__ import annotations

import datetime
import email.utils
import gzip
import hashlib
import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import unquote, urlsplit

__all__ = [
    "RequestRecord",
    "RouteHandler",
    "SiteServer",
    "chunked",
    "content",
    "content_type_for",
    "demo_server",
    "demo_site_root",
    "gzipped",
    "redirect",
    "send_body",
    "slow",
    "status",
]

RouteHandler = Callable[[BaseHTTPRequestHandler], None]
"""A dynamic route: gets the request handler and writes the whole response."""

HTML = "text/html; charset=utf-8"

#: Content types by exact file name, checked before the extension.
_TYPES_BY_NAME: dict[str, str] = {
    "robots.txt": "text/plain; charset=utf-8",
    "rss.xml": "application/rss+xml; charset=utf-8",
    "feed.xml": "application/rss+xml; charset=utf-8",
    "atom.xml": "application/atom+xml; charset=utf-8",
}

#: Content types by file extension (lower case, with the dot).
_TYPES_BY_EXT: dict[str, str] = {
    ".html": HTML,
    ".htm": HTML,
    ".xml": "application/xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".pdf": "application/pdf",
    ".gz": "application/gzip",
}

_COMPRESSIBLE_PREFIXES = (
    "text/",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/json",
    "image/svg+xml",
)

#: Bodies (and gzipped bodies) kept in memory; the cache is emptied when full.
_CACHE_ENTRIES = 1024

#: Files smaller than this are sent uncompressed even when the client accepts gzip.
GZIP_MIN_SIZE = 256


def content_type_for(path: str | Path) -> str:
    """The ``Content-Type`` the server sends for a file name."""
    name = Path(path).name.lower()
    if name in _TYPES_BY_NAME:
        return _TYPES_BY_NAME[name]
    return _TYPES_BY_EXT.get(Path(name).suffix, "application/octet-stream")


def _compressible(content_type: str) -> bool:
    return content_type.startswith(_COMPRESSIBLE_PREFIXES)


def _accepts_gzip(handler: BaseHTTPRequestHandler) -> bool:
    accept = handler.headers.get("Accept-Encoding", "")
    for part in accept.split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "x-gzip", "*"):
            return params.replace(" ", "").lower() not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def send_body(
    handler: BaseHTTPRequestHandler,
    code: int,
    body: bytes,
    content_type: str = HTML,
    headers: Mapping[str, str] | None = None,
) -> None:
    """Write a complete response with a ``Content-Length`` (no body for ``HEAD``)."""
    handler.send_response(code)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    if handler.command != "HEAD" and code not in (204, 304) and body:
        handler.wfile.write(body)


def _page(code: int, message: str) -> bytes:
    phrase = HTTPStatus(code).phrase if code in HTTPStatus._value2member_map_ else "Status"
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{code} {phrase}</title></head>\n<body><h1>{code} {phrase}</h1>"
        f"<p>{message}</p></body></html>\n"
    ).encode()


# -- ready-made route handlers ---------------------------------------------------------


def redirect(location: str, status: int = 301) -> RouteHandler:
    """A route answering with a redirect to ``location`` (absolute or root-relative)."""

    def handle(handler: BaseHTTPRequestHandler) -> None:
        body = _page(status, f'Moved to <a href="{location}">{location}</a>.')
        send_body(handler, status, body, HTML, {"Location": location})

    return handle


def status(code: int, body: bytes = b"", content_type: str = HTML) -> RouteHandler:
    """A route answering with status ``code`` and ``body`` (a small HTML page if empty)."""
    payload = body or _page(code, "Generated by the test server.")

    def handle(handler: BaseHTTPRequestHandler) -> None:
        send_body(handler, code, payload, content_type)

    return handle


def content(
    body: bytes | str, content_type: str = HTML, headers: Mapping[str, str] | None = None
) -> RouteHandler:
    """A route answering ``200`` with ``body`` (any content type, extra headers)."""
    payload = body.encode() if isinstance(body, str) else body

    def handle(handler: BaseHTTPRequestHandler) -> None:
        send_body(handler, 200, payload, content_type, headers)

    return handle


def chunked(
    body: bytes | str, content_type: str = HTML, chunk_size: int = 1024, delay: float = 0.0
) -> RouteHandler:
    """A route sending ``body`` with ``Transfer-Encoding: chunked``.

    ``chunk_size`` bytes per chunk, and ``delay`` seconds of sleep between chunks.
    """
    payload = body.encode() if isinstance(body, str) else body
    if chunk_size < 1:
        raise ValueError("chunk_size must be positive")

    def handle(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        if handler.command == "HEAD":
            return
        for start in range(0, len(payload), chunk_size):
            piece = payload[start : start + chunk_size]
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            handler.wfile.flush()
            if delay:
                time.sleep(delay)
        handler.wfile.write(b"0\r\n\r\n")
        handler.wfile.flush()

    return handle


def gzipped(body: bytes | str, content_type: str = HTML) -> RouteHandler:
    """A route that always answers with a gzip ``Content-Encoding``, asked for or not."""
    payload = gzip.compress(body.encode() if isinstance(body, str) else body, mtime=0)

    def handle(handler: BaseHTTPRequestHandler) -> None:
        send_body(
            handler,
            200,
            payload,
            content_type,
            {"Content-Encoding": "gzip", "Vary": "Accept-Encoding"},
        )

    return handle


def slow(
    delay: float, body: bytes | str = b"", content_type: str = HTML, code: int = 200
) -> RouteHandler:
    """A route that waits ``delay`` seconds before it answers."""
    payload = body.encode() if isinstance(body, str) else body
    payload = payload or _page(code, f"Answered after {delay} seconds.")

    def handle(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(delay)
        send_body(handler, code, payload, content_type)

    return handle


# -- the server ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestRecord:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    time: float = 0.0


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ArchiverSiteServer/1.0"
    # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's
    # algorithm and delayed ACKs add ~40 ms to every keep-alive response.
    disable_nagle_algorithm = True
    site: SiteServer  # set on the per-server subclass

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: no access log on stderr."""

    def log_error(self, format: str, *args: object) -> None:
        """Quiet: no error log on stderr."""

    def do_GET(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        site = self.site
        site._record(self)
        split = urlsplit(self.path)
        route = site.routes.get(self.path) or site.routes.get(split.path)
        if route is not None:
            route(self)
            return
        site._serve_file(self, unquote(split.path))


class SiteServer:
    """Serve ``root`` over HTTP on ``host`` (loopback) from a daemon thread.

    ``port=0`` picks a free port; read it from :attr:`port` after :meth:`start`.
    Use it as a context manager, or call :meth:`start` and :meth:`stop`.

    ``hidden_prefixes``: files and folders whose name starts with one of these are
    answered with 404 (build scripts, dot files, ``__pycache__``).
    """

    def __init__(
        self,
        root: Path | str,
        host: str = "127.0.0.1",
        port: int = 0,
        routes: Mapping[str, RouteHandler] | None = None,
        *,
        placeholder_origin: str | None = None,
        gzip_enabled: bool = True,
        hidden_prefixes: tuple[str, ...] = ("_", "."),
    ) -> None:
        self.root = Path(root).resolve()
        self.host = host
        self._requested_port = port
        self.routes: dict[str, RouteHandler] = dict(routes or {})
        self.gzip_enabled = gzip_enabled
        self.hidden_prefixes = hidden_prefixes
        self.placeholder_origin = placeholder_origin or self._manifest_placeholder()
        self.requests: list[RequestRecord] = []
        self._lock = threading.Lock()
        self._cache: dict[Path, tuple[int, int, bytes, str]] = {}
        self._gzip_cache: dict[str, bytes] = {}
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------

    def start(self) -> SiteServer:
        """Bind and start serving; returns ``self``."""
        if self._httpd is not None:
            return self
        handler = type("SiteHandler", (_Handler,), {"site": self})
        httpd = ThreadingHTTPServer((self.host, self._requested_port), handler)
        httpd.daemon_threads = True
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"SiteServer:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- addresses ---------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The bound port (only meaningful once started)."""
        if self._httpd is None:
            return self._requested_port
        return int(self._httpd.server_address[1])

    @property
    def origin(self) -> str:
        """``http://HOST:PORT`` with no trailing slash."""
        return f"http://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        """The absolute URL of ``path`` on this server."""
        if not path.startswith("/"):
            path = "/" + path
        return self.origin + path

    def fetched(self, method: str | None = None) -> list[str]:
        """Paths requested so far (optionally only those with ``method``)."""
        with self._lock:
            return [r.path for r in self.requests if method is None or r.method == method]

    # -- internals ---------------------------------------------------------------------

    def _manifest_placeholder(self) -> str | None:
        manifest = self.root / "manifest.json"
        if not manifest.is_file():
            return None
        try:
            value = json.loads(manifest.read_text("utf-8")).get("origin_placeholder")
        except (ValueError, AttributeError):
            return None
        return value if isinstance(value, str) and value else None

    def _record(self, handler: BaseHTTPRequestHandler) -> None:
        record = RequestRecord(
            handler.command, handler.path, dict(handler.headers.items()), time.time()
        )
        with self._lock:
            self.requests.append(record)

    def _resolve(self, path: str) -> Path | None:
        """The file for a URL path, or None (missing, hidden or outside the root)."""
        parts = [p for p in path.split("/") if p]
        if any(p in ("..", ".") or p.startswith(self.hidden_prefixes) or "\\" in p for p in parts):
            return None
        target = self.root.joinpath(*parts)
        try:
            target = target.resolve()
        except OSError:
            return None
        if target != self.root and self.root not in target.parents:
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def _load(self, file: Path) -> tuple[bytes, str, float]:
        """Body (origin rewritten), ETag and mtime of a file; cached by mtime and size."""
        stat = file.stat()
        cached = self._cache.get(file)
        if cached and cached[0] == stat.st_mtime_ns and cached[1] == stat.st_size:
            return cached[2], cached[3], stat.st_mtime
        body = file.read_bytes()
        if self.placeholder_origin and _compressible(content_type_for(file)):
            body = body.replace(self.placeholder_origin.encode(), self.origin.encode())
        etag = '"' + hashlib.blake2b(body, digest_size=8).hexdigest() + '"'
        with self._lock:
            if len(self._cache) >= _CACHE_ENTRIES:
                self._cache.clear()
            self._cache[file] = (stat.st_mtime_ns, stat.st_size, body, etag)
        return body, etag, stat.st_mtime

    def _gzip(self, etag: str, body: bytes) -> bytes:
        """Gzip a body once per ETag (benchmarks fetch the same files many times)."""
        packed = self._gzip_cache.get(etag)
        if packed is None:
            packed = gzip.compress(body, compresslevel=6, mtime=0)
            with self._lock:
                if len(self._gzip_cache) >= _CACHE_ENTRIES:
                    self._gzip_cache.clear()
                self._gzip_cache[etag] = packed
        return packed

    def _serve_file(self, handler: BaseHTTPRequestHandler, path: str) -> None:
        file = self._resolve(path)
        if file is None:
            send_body(handler, 404, _page(404, f"Nothing here: {_escape(path)}"))
            return
        if file.name == "index.html" and not path.endswith("/") and not path.endswith("index.html"):
            query = urlsplit(handler.path).query
            redirect(path + "/" + (f"?{query}" if query else ""))(handler)
            return
        body, etag, mtime = self._load(file)
        ctype = content_type_for(file)
        headers = {
            "ETag": etag,
            "Last-Modified": email.utils.formatdate(mtime, usegmt=True),
            "Cache-Control": "public, max-age=60",
        }
        if _compressible(ctype):
            headers["Vary"] = "Accept-Encoding"
        if _not_modified(handler, etag, mtime):
            handler.send_response(304)
            for name, value in headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            return
        if (
            self.gzip_enabled
            and _compressible(ctype)
            and len(body) >= GZIP_MIN_SIZE
            and _accepts_gzip(handler)
        ):
            body = self._gzip(etag, body)
            headers["Content-Encoding"] = "gzip"
        send_body(handler, 200, body, ctype, headers)


def _not_modified(handler: BaseHTTPRequestHandler, etag: str, mtime: float) -> bool:
    if_none_match = handler.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return "*" in tags or etag in tags
    since = handler.headers.get("If-Modified-Since")
    if since:
        try:
            when = email.utils.parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.UTC)
        return int(mtime) <= when.timestamp()
    return False


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# -- the bundled demo site ----------------------------------------------------------------


def demo_site_root() -> Path:
    """The folder of the bundled demo news site (``archiver/demo/site``)."""
    return Path(__file__).resolve().parent / "site"


def demo_server(
    host: str = "127.0.0.1", port: int = 0, routes: Mapping[str, RouteHandler] | None = None
) -> SiteServer:
    """A (not yet started) :class:`SiteServer` for the bundled demo site."""
    return SiteServer(demo_site_root(), host=host, port=port, routes=routes)
