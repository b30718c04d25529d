"""A test web server that answers like the CDN front end of a real news site.

:class:`FrontEnd` is a :class:`archiver.demo.server.SiteServer` (loopback, free port, daemon
thread, every request recorded) whose resources are dynamic routes that behave the
way production front ends do rather than the way a tidy static server does:

* ``Content-Encoding`` negotiated from ``Accept-Encoding`` with q-values: ``br``
  preferred, then ``zstd``, then ``gzip``, then identity; ``Vary: Accept-Encoding``
  on every negotiated response;
* resources with a fixed coding whatever the client asked for: stacked codings
  (``Content-Encoding: gzip, br`` -- gzip applied first, then brotli), raw deflate
  announced as ``deflate``, and broken ones (``br`` over bytes that are not brotli);
* ``Transfer-Encoding: chunked`` bodies on HTTP/1.1 keep-alive connections, and an
  HTTP/1.0 answer with no ``Content-Length`` whose body ends when the connection
  closes;
* ``Set-Cookie`` on pages, a strong ``ETag`` per representation and ``304 Not
  Modified`` on a matching ``If-None-Match``;
* CDN-ish headers (``Cache-Control``, ``Age``, ``X-Cache``, ``Via``).

Every response is recorded in :attr:`FrontEnd.sent` with the entity body exactly as
it went on the wire (still content-coded, without the chunk framing), so a test can
compare a WARC record with what the server sent for that request.

:func:`news_site` builds the resources of a small news site -- articles with a
headline, several paragraphs, navigation and footer, in several charsets; robots.txt
and sitemaps served compressed; a sitemap index pointing at a gzipped child sitemap
(``.xml.gz``, gzip as the file format) that lists pages linked from nowhere else.
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import threading
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from types import TracebackType

import brotli

from archiver.demo.server import SiteServer

try:  # Python 3.14
    from compression import zstd  # type: ignore[import-not-found]
except ImportError:  # installed with Scrapy on older Pythons
    from backports import zstd  # type: ignore[no-redef]

__all__ = [
    "ENCODERS",
    "PREFERENCE",
    "FrontEnd",
    "Resource",
    "Sent",
    "decode_body",
    "encode_body",
    "negotiate",
    "news_site",
    "parse_accept_encoding",
]

#: codings the front end negotiates, most preferred first
PREFERENCE = ("br", "zstd", "gzip")


def _raw_deflate(body: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(body) + packer.flush()


#: content codings the server can apply; ``deflate-raw`` is sent as ``deflate``
#: (RFC 9110 says zlib format, but many servers send a bare deflate stream)
ENCODERS: dict[str, Callable[[bytes], bytes]] = {
    "identity": lambda body: body,
    "gzip": lambda body: gzip.compress(body, compresslevel=6, mtime=0),
    "x-gzip": lambda body: gzip.compress(body, compresslevel=6, mtime=0),
    "deflate": lambda body: zlib.compress(body, 6),
    "deflate-raw": _raw_deflate,
    "br": lambda body: brotli.compress(body),
    "zstd": lambda body: zstd.compress(body),
}

_DECODERS: dict[str, Callable[[bytes], bytes]] = {
    "identity": lambda body: body,
    "gzip": gzip.decompress,
    "x-gzip": gzip.decompress,
    "deflate": lambda body: (
        zlib.decompress(body) if body[:1] == b"\x78" else zlib.decompress(body, -15)
    ),
    "br": brotli.decompress,
    "zstd": zstd.decompress,
}


def wire_name(coding: str) -> str:
    """The token a coding is announced with in ``Content-Encoding``."""
    return "deflate" if coding == "deflate-raw" else coding


def encode_body(body: bytes, codings: Iterable[str]) -> bytes:
    """``body`` with ``codings`` applied in order (the order of ``Content-Encoding``)."""
    for coding in codings:
        body = ENCODERS[coding](body)
    return body


def decode_body(body: bytes, content_encoding: str | None) -> bytes:
    """Undo a ``Content-Encoding`` header value (a test-side reference decoder)."""
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    for coding in reversed(codings):
        body = _DECODERS[coding](body)
    return body


def parse_accept_encoding(value: str | None) -> dict[str, float]:
    """``{coding: q}`` from an ``Accept-Encoding`` header (``x-gzip`` counts as gzip)."""
    out: dict[str, float] = {}
    for part in (value or "").split(","):
        coding, *params = (p.strip() for p in part.split(";"))
        coding = coding.lower()
        if not coding:
            continue
        q = 1.0
        for param in params:
            name, _, number = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(number)))
                except ValueError:
                    q = 0.0
        out["gzip" if coding == "x-gzip" else coding] = q
    return out


def negotiate(accept_encoding: str | None, preference: Iterable[str] = PREFERENCE) -> str | None:
    """The coding to send: the highest q, ties broken by the server's preference;
    ``identity`` when nothing compressed is acceptable, None when not even identity
    is (the answer would be ``406``)."""
    accepted = parse_accept_encoding(accept_encoding)
    star = accepted.get("*")
    best: tuple[float, int, str] | None = None
    for rank, coding in enumerate(preference):
        q = accepted.get(coding, star if star is not None else 0.0)
        if q > 0 and (best is None or (q, -rank) > best[:2]):
            best = (q, -rank, coding)
    if best is not None:
        return best[2]
    identity = accepted.get("identity", star if star is not None else 1.0)
    return "identity" if identity > 0 or not accepted else None


@dataclass
class Resource:
    """One URL of the front end.

    ``codings``: None to negotiate from ``Accept-Encoding``; otherwise the codings
    sent whatever the client asked (``("gzip", "br")`` is stacked).  ``raw`` replaces
    the encoded body (a broken coding: ``codings=("br",), raw=b"not brotli"``).
    ``transfer``: ``"length"`` (``Content-Length``), ``"chunked"`` or ``"close"``
    (HTTP/1.0, no length, body ends at connection close).
    """

    path: str
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    codings: tuple[str, ...] | None = None
    raw: bytes | None = None
    transfer: str = "length"
    cookie: bool = False
    status: int = 200
    #: a label for tests: "page", "article", "sitemap-only", "robots", "sitemap", ...
    kind: str = "page"
    #: words a correct decoding of the page must show (charset checks)
    expect: tuple[str, ...] = ()
    extra_headers: dict[str, str] = field(default_factory=dict)
    #: with fixed ``codings``: send them only when the client offered them
    only_if_offered: bool = False

    @property
    def negotiated(self) -> bool:
        return self.codings is None

    def choose(self, accept_encoding: str | None) -> tuple[str, ...]:
        """The codings to apply for a request's ``Accept-Encoding``."""
        if self.codings is None:
            chosen = negotiate(accept_encoding)
            return () if chosen in (None, "identity") else (chosen,)
        codings = tuple(c for c in self.codings if c != "identity")
        if self.only_if_offered:
            offered = parse_accept_encoding(accept_encoding)
            if any(offered.get(wire_name(c).replace("x-gzip", "gzip"), 0) <= 0 for c in codings):
                return ()
        return codings

    def encoded(self, codings: tuple[str, ...]) -> bytes:
        """The entity bytes for ``codings`` (``raw`` when set: a broken coding)."""
        return self.raw if self.raw is not None else encode_body(self.body, codings)


@dataclass(frozen=True)
class Sent:
    """One response the front end sent."""

    method: str
    path: str
    request_headers: dict[str, str]
    status: int
    headers: tuple[tuple[str, str], ...]
    #: the entity body as sent: content-coded, without chunk framing
    body: bytes
    #: ``Content-Encoding`` value, "" for identity
    content_encoding: str

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


class FrontEnd:
    """A CDN-like front end serving ``resources`` (see the module docstring).

    ``resources`` may be a callable taking the server's origin (``http://127.0.0.1:PORT``)
    and returning the resources, for sites whose files carry absolute URLs.  Paths not
    among the resources get ``404`` from the underlying :class:`SiteServer`, which
    serves the (normally empty) folder ``root``.
    """

    def __init__(
        self,
        root: Path | str,
        resources: Iterable[Resource] | Callable[[str], Iterable[Resource]],
        chunk_size: int = 512,
    ) -> None:
        self.server = SiteServer(root, gzip_enabled=False)
        self._resources_source = resources
        self.resources: dict[str, Resource] = {}
        self.sent: list[Sent] = []
        self.chunk_size = chunk_size
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, tuple[str, ...]], bytes] = {}
        self._session_ids = itertools.count(1)

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> FrontEnd:
        self.server.start()
        source = self._resources_source
        found = source(self.server.origin) if callable(source) else source
        self.resources = {r.path: r for r in found}
        for path in self.resources:
            self.server.routes[path] = self._handle
        return self

    def stop(self) -> None:
        self.server.stop()

    def __enter__(self) -> FrontEnd:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- addresses and records ---------------------------------------------------------------

    @property
    def origin(self) -> str:
        return self.server.origin

    def url(self, path: str = "/") -> str:
        return self.server.url(path)

    @property
    def requests(self) -> list:
        """Every request received (method, path, headers), from :class:`SiteServer`."""
        return list(self.server.requests)

    def sent_for(self, path: str, method: str = "GET") -> list[Sent]:
        with self._lock:
            return [s for s in self.sent if s.path == path and s.method == method]

    # -- answering ----------------------------------------------------------------------------

    def _representation(
        self, resource: Resource, accept: str | None
    ) -> tuple[tuple[str, ...], bytes]:
        codings = resource.choose(accept)
        key = (resource.path, codings)
        body = self._cache.get(key)
        if body is None:
            body = resource.encoded(codings)
            with self._lock:
                self._cache[key] = body
        return codings, body

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path.split("?", 1)[0]
        resource = self.resources[path]
        accept = handler.headers.get("Accept-Encoding")
        if resource.negotiated and negotiate(accept) is None:
            self._answer(
                handler,
                resource,
                406,
                [("Content-Type", "text/plain")],
                b"no acceptable content-coding\n",
                "",
            )
            return
        codings, body = self._representation(resource, accept)
        content_encoding = ", ".join(wire_name(c) for c in codings)
        digest = hashlib.blake2b(resource.body, digest_size=8).hexdigest()
        etag = f'"{digest}-{"+".join(codings) or "identity"}"'
        headers: list[tuple[str, str]] = [("Content-Type", resource.content_type)]
        if content_encoding:
            headers.append(("Content-Encoding", content_encoding))
        if resource.negotiated:
            headers.append(("Vary", "Accept-Encoding"))
        headers += [
            ("ETag", etag),
            ("Cache-Control", "public, max-age=120"),
            ("Age", "17"),
            ("X-Cache", "HIT"),
            ("Via", "1.1 edge-cache (front end)"),
        ]
        headers += list(resource.extra_headers.items())
        if resource.cookie:
            session = next(self._session_ids)
            headers += [
                ("Set-Cookie", f"edge_session=s{session:06d}; Path=/; HttpOnly; SameSite=Lax"),
                ("Set-Cookie", "consent=essential; Path=/; Max-Age=31536000"),
            ]
        if_none_match = handler.headers.get("If-None-Match")
        if if_none_match is not None and resource.status == 200:
            tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
            if etag in tags or "*" in tags:
                kept = [
                    (k, v)
                    for k, v in headers
                    if k in ("ETag", "Vary", "Cache-Control", "Age", "X-Cache", "Via")
                ]
                self._answer(
                    handler,
                    resource,
                    304,
                    kept,
                    b"",
                    content_encoding,
                    transfer="length",
                    send_length=False,
                )
                return
        self._answer(
            handler,
            resource,
            resource.status,
            headers,
            body,
            content_encoding,
            transfer=resource.transfer,
        )

    def _answer(
        self,
        handler: BaseHTTPRequestHandler,
        resource: Resource,
        code: int,
        headers: list[tuple[str, str]],
        body: bytes,
        content_encoding: str,
        transfer: str = "length",
        send_length: bool = True,
    ) -> None:
        has_body = handler.command != "HEAD" and code not in (204, 304)
        framing: list[tuple[str, str]] = []
        if transfer == "chunked" and code not in (204, 304):
            framing.append(("Transfer-Encoding", "chunked"))
        elif transfer == "length" and send_length:
            framing.append(("Content-Length", str(len(body))))
        if transfer == "close":
            # an old origin behind the CDN: HTTP/1.0, the body ends at connection close
            handler.protocol_version = "HTTP/1.0"
        handler.send_response(code)
        for name, value in (*headers, *framing):
            handler.send_header(name, value)
        handler.end_headers()
        if transfer == "close":
            handler.close_connection = True
        sent_body = body if has_body else b""
        if has_body and transfer == "chunked":
            for start in range(0, len(body), self.chunk_size):
                piece = body[start : start + self.chunk_size]
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            handler.wfile.write(b"0\r\n\r\n")
        elif sent_body:
            handler.wfile.write(sent_body)
        handler.wfile.flush()
        record = Sent(
            handler.command,
            resource.path,
            dict(handler.headers.items()),
            code,
            (*headers, *framing),
            sent_body,
            content_encoding,
        )
        with self._lock:
            self.sent.append(record)


# -- the news site ----------------------------------------------------------------------------


_NAV = (
    '<header class="masthead"><a class="logo" href="/">The Lakeside Courier</a>'
    '<nav class="main-nav"><ul><li><a href="/">Home</a></li><li><a href="/news/">News</a>'
    '</li><li><a href="/about.html">About us</a></li></ul></nav></header>'
)
_FOOTER = (
    '<footer class="site-footer"><p>&copy; 2026 The Lakeside Courier. All rights reserved.</p>'
    '<ul><li><a href="/about.html">Contact</a></li><li><a href="/about.html">Privacy</a>'
    "</li></ul></footer>"
)


def article_page(
    title: str,
    paragraphs: Iterable[str],
    *,
    lang: str = "en",
    meta_charset: str | None = "utf-8",
    published: str = "2026-03-14",
    author: str = "Mara Lindqvist",
    path: str = "",
) -> str:
    """A news article with masthead, navigation, byline, body and footer."""
    meta = f'<meta charset="{meta_charset}">' if meta_charset else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head>{meta}<title>{title} | The Lakeside '
        f'Courier</title><meta name="author" content="{author}">'
        f'<meta property="article:published_time" content="{published}T07:30:00+00:00">'
        f'<link rel="canonical" href="{path}"></head><body>{_NAV}'
        f'<main><article class="story"><h1 class="headline">{title}</h1>'
        f'<p class="byline">By {author}, {published}</p>'
        f'<div class="story-body">{body}</div></article>'
        '<aside class="related"><h2>Most read</h2><ul><li><a href="/news/">More news</a></li>'
        f"</ul></aside></main>{_FOOTER}</body></html>\n"
    )


def _paragraphs(topic: str, place: str, count: int = 5) -> list[str]:
    lines = [
        f"The {topic} in {place} was the main subject of a long council meeting on "
        "Tuesday evening, where residents filled the public gallery and several speakers "
        "asked for the decision to be postponed until the autumn.",
        f"Officials said the plan for the {topic} had been studied for almost two years "
        "and that the budget, approved last spring, would not stretch to a second round "
        "of consultation without cuts elsewhere.",
        f"Local business owners in {place} told the Courier that they supported the "
        "project in principle but worried about months of roadworks in the busiest "
        "season of the year.",
        "A spokesperson for the regional authority confirmed that a final vote is "
        "expected next month, after an independent review of the costs is published.",
        f"Residents who want to comment on the {topic} can write to the council until the "
        "end of the month; the submissions will be published online.",
        "The meeting ended shortly before midnight, with a promise from the chair to hold "
        "an open session in the town library before any contract is signed.",
    ]
    return lines[:count]


ARTICLES: tuple[tuple[str, str, str], ...] = (
    # path, topic, place
    ("/news/harbour-ferry.html", "new harbour ferry", "Lakeside"),
    ("/news/tram-extension.html", "tram extension", "the old town"),
    ("/news/library-roof.html", "library roof repairs", "the north quarter"),
)


def news_site(origin: str) -> list[Resource]:
    """The resources of the test news site served at ``origin``."""
    res: list[Resource] = []
    linked = [path for path, _, _ in ARTICLES] + [
        "/news/zurich-visit.html",
        "/news/lodz-festival.html",
        "/news/signal-failure.html",
        "/news/old-server.html",
        "/news/stacked-coding.html",
    ]
    items = "".join(
        f'<li><a href="{p}">{p.rsplit("/", 1)[-1][:-5].replace("-", " ")}</a></li>' for p in linked
    )
    front = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>The Lakeside '
        f'Courier</title></head><body>{_NAV}<main><h1>Today</h1><ul class="teasers">'
        f"{items}</ul></main>{_FOOTER}</body></html>\n"
    )
    res.append(Resource("/", front.encode(), transfer="chunked", cookie=True, kind="page"))
    res.append(
        Resource(
            "/news/",
            front.replace("<h1>Today</h1>", "<h1>News</h1>").encode(),
            cookie=True,
            kind="page",
        )
    )
    res.append(
        Resource(
            "/about.html",
            article_page(
                "About the Courier",
                [
                    "The Lakeside Courier has reported on the towns around the lake since 1921, "
                    "first as a weekly paper and now online every day of the year.",
                    "Our newsroom has eleven reporters and editors; we are owned by a reader "
                    "cooperative and carry no sponsored content.",
                    "Write to the newsroom with tips and corrections; we answer every letter.",
                ],
                path=origin + "/about.html",
            ).encode(),
            cookie=True,
            kind="article",
        )
    )
    for n, (path, topic, place) in enumerate(ARTICLES):
        title = f"Council delays decision on the {topic}"
        html = article_page(
            title, _paragraphs(topic, place), path=origin + path, published=f"2026-03-1{n}"
        )
        res.append(
            Resource(
                path,
                html.encode(),
                cookie=True,
                kind="article",
                transfer="chunked" if n == 1 else "length",
            )
        )

    # charset: named only in the header (ISO-8859-2 bytes, no meta)
    lodz = article_page(
        "Łódź light festival draws record crowds",
        [
            "The light festival in Łódź drew more visitors than ever: organisers counted "
            "nearly a million people on Piotrkowska Street over four nights.",
            "Artists from Gdańsk, Wrocław and Kraków showed installations on façades "
            "of the old textile mills; the most popular was a projection about the city's "
            "weavers.",
            "Next year the festival will move to October, the city said, to avoid the "
            "cold nights that kept families at home this time.",
        ],
        lang="en",
        meta_charset=None,
        path=origin + "/news/lodz-festival.html",
    )
    res.append(
        Resource(
            "/news/lodz-festival.html",
            lodz.encode("iso-8859-2"),
            content_type="text/html; charset=iso-8859-2",
            cookie=True,
            kind="article",
            expect=("Łódź", "Gdańsk", "Wrocław"),
        )
    )
    # charset: only in <meta charset> (windows-1252 bytes, no charset in the header)
    signal = article_page(
        "Rail signal failure: the señal that stopped the line",
        [
            "A signal failure stopped trains on the lake line for three hours on Monday; "
            "the fault was traced to a relay box installed by a Spanish supplier, whose "
            "manual calls it the señal de parada.",
            "Passengers were offered a replacement bus service and refunds of up to 5 € "
            "per journey, the operator said.",
            "The operator’s spokesperson said the relay would be replaced “within days”, "
            "and apologised for the disruption.",
        ],
        meta_charset="windows-1252",
        path=origin + "/news/signal-failure.html",
    )
    res.append(
        Resource(
            "/news/signal-failure.html",
            signal.encode("cp1252"),
            content_type="text/html",
            cookie=True,
            kind="article",
            expect=("señal", "5 €", "“within days”"),
        )
    )
    # charset: wrong in the header (ISO-8859-1 announced, the bytes are UTF-8)
    zurich = article_page(
        "Mayor of Zürich visits the lakeside towns",
        [
            "The mayor of Zürich spent Friday in the lakeside towns, visiting the new "
            "ferry pier and the rebuilt market hall in Müllerstraße.",
            "She said the two regions would share the costs of a study into a cross-lake "
            "tram; the study is due to report in the spring.",
            "Local officials served a lunch of Älplermagronen and discussed tourism, "
            "schools and the future of the ferry fleet.",
        ],
        meta_charset=None,
        path=origin + "/news/zurich-visit.html",
    )
    res.append(
        Resource(
            "/news/zurich-visit.html",
            zurich.encode("utf-8"),
            content_type="text/html; charset=iso-8859-1",
            cookie=True,
            kind="article",
            expect=("Zürich", "Müllerstraße", "Älplermagronen"),
        )
    )
    # an old origin answering HTTP/1.0, no Content-Length, identity
    old = article_page(
        "Archive of the ferry timetables goes online",
        _paragraphs("ferry timetable archive", "the harbour office", 4),
        path=origin + "/news/old-server.html",
    )
    res.append(
        Resource(
            "/news/old-server.html",
            old.encode(),
            codings=("identity",),
            transfer="close",
            kind="article",
        )
    )
    # stacked codings: gzip applied first, then brotli
    stacked = article_page(
        "School board approves the new timetable",
        _paragraphs("school timetable", "the east district", 5),
        path=origin + "/news/stacked-coding.html",
    )
    res.append(
        Resource(
            "/news/stacked-coding.html",
            stacked.encode(),
            codings=("gzip", "br"),
            cookie=True,
            kind="article",
        )
    )

    # reachable only through the gzipped child sitemap
    hidden = [
        ("/archive/2019/flood-defences.html", "flood defences", "the river mouth"),
        ("/archive/2019/market-hall.html", "market hall rebuild", "the main square"),
    ]
    for path, topic, place in hidden:
        html = article_page(
            f"From the archive: the {topic}",
            _paragraphs(topic, place, 4),
            path=origin + path,
            published="2019-05-02",
        )
        res.append(Resource(path, html.encode(), cookie=True, kind="sitemap-only"))

    # robots.txt and sitemaps, compressed
    robots = f"User-agent: *\nDisallow: /admin/\nAllow: /\n\nSitemap: {origin}/sitemaps/index.xml\n"
    res.append(Resource("/robots.txt", robots.encode(), "text/plain; charset=utf-8", kind="robots"))
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    index = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex {ns}>'
        f"<sitemap><loc>{origin}/sitemaps/news.xml</loc></sitemap>"
        f"<sitemap><loc>{origin}/sitemaps/archive-2019.xml.gz</loc></sitemap>"
        "</sitemapindex>\n"
    )
    res.append(Resource("/sitemaps/index.xml", index.encode(), "application/xml", kind="sitemap"))
    news = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset {ns}>'
        + "".join(f"<url><loc>{origin}{p}</loc></url>" for p, _, _ in ARTICLES)
        + "</urlset>\n"
    )
    res.append(Resource("/sitemaps/news.xml", news.encode(), "application/xml", kind="sitemap"))
    child = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset {ns}>'
        + "".join(
            f"<url><loc>{origin}{p}</loc><lastmod>2019-05-02</lastmod></url>" for p, _, _ in hidden
        )
        + "</urlset>\n"
    )
    # gzip as the file format, not as a content-coding
    res.append(
        Resource(
            "/sitemaps/archive-2019.xml.gz",
            gzip.compress(child.encode(), mtime=0),
            "application/x-gzip",
            codings=("identity",),
            kind="sitemap",
        )
    )
    return res


def broken_site(origin: str) -> list[Resource]:
    """A front page linking to one good article and one whose ``br`` body is not brotli."""
    good = article_page(
        "Ferry fares stay the same",
        _paragraphs("ferry fares", "Lakeside"),
        path=origin + "/news/fares.html",
    )
    bad = article_page(
        "This body never decodes",
        _paragraphs("broken coding", "nowhere"),
        path=origin + "/news/broken-br.html",
    )
    front = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>The Lakeside '
        f'Courier</title></head><body>{_NAV}<main><ul><li><a href="/news/fares.html">fares'
        '</a></li><li><a href="/news/broken-br.html">broken</a></li></ul></main>'
        f"{_FOOTER}</body></html>\n"
    )
    garbage = b"this is not a brotli stream, although the header says it is\n" * 8
    return [
        Resource("/", front.encode(), cookie=True),
        Resource("/news/fares.html", good.encode(), kind="article"),
        Resource("/news/broken-br.html", bad.encode(), codings=("br",), raw=garbage, kind="broken"),
        Resource(
            "/robots.txt", b"User-agent: *\nAllow: /\n", "text/plain; charset=utf-8", kind="robots"
        ),
    ]


def codings_site(origin: str) -> list[Resource]:
    """One article per content-coding the server can produce, at ``/coding/NAME.html``,
    sent in that coding when the client offered it (identity otherwise)."""
    del origin
    res = []
    links = []
    for name in ENCODERS:
        path = f"/coding/{name}.html"
        links.append(f'<li><a href="{path}">{name}</a></li>')
        html = article_page(
            f"Sent with the {name} coding",
            [
                f"Marker paragraph for the {name} content coding.",
                *_paragraphs("coding test", "the lab", 3),
            ],
        )
        res.append(Resource(path, html.encode(), codings=(name,), only_if_offered=True, kind=name))
    front = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Codings'
        f"</title></head><body><ul>{''.join(links)}</ul></body></html>\n"
    )
    res.append(Resource("/", front.encode(), codings=("identity",)))
    res.append(
        Resource(
            "/robots.txt",
            b"User-agent: *\nAllow: /\n",
            "text/plain",
            codings=("identity",),
            kind="robots",
        )
    )
    return res
