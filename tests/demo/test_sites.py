"""Tests for :mod:`archiver.demo.server`: the local static site server and its route helpers."""

from __future__ import annotations

import gzip
import http.client
import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from archiver.demo.server import (
    SiteServer,
    chunked,
    content,
    content_type_for,
    gzipped,
    redirect,
    send_body,
    slow,
    status,
)

PAGE = (
    "<!DOCTYPE html><html lang='en'><head><title>Home</title></head><body>"
    + ("<p>Harbour news of the day, told at length so that it compresses well.</p>" * 20)
    + "</body></html>"
)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "index.html").write_text(PAGE, "utf-8")
    (tmp_path / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n", "utf-8")
    (tmp_path / "sitemap.xml").write_text(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>http://placeholder.invalid/news/</loc></url></urlset>",
        "utf-8",
    )
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    (feeds / "rss.xml").write_text("<rss version='2.0'><channel/></rss>", "utf-8")
    (feeds / "atom.xml").write_text("<feed xmlns='http://www.w3.org/2005/Atom'/>", "utf-8")
    news = tmp_path / "news"
    news.mkdir()
    (news / "index.html").write_text("<html><body>News front</body></html>", "utf-8")
    (tmp_path / "style.css").write_text("body { color: #222; }\n", "utf-8")
    (tmp_path / "dot.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)
    (tmp_path / "_build.py").write_text("print('secret')\n", "utf-8")
    return tmp_path


@pytest.fixture
def server(site: Path) -> Iterator[SiteServer]:
    routes = {
        "/moved": redirect("/news/"),
        "/found": redirect("/", status=302),
        "/boom": status(500),
        "/gone": status(410, b"gone for good", "text/plain"),
        "/stream": chunked(PAGE.encode(), chunk_size=100),
        "/packed": gzipped("<html><body>always packed</body></html>"),
        "/slow": slow(0.3, "<html>late</html>"),
        "/search?q=harbour": content("<html>results</html>"),
    }
    with SiteServer(site, routes=routes, placeholder_origin="http://placeholder.invalid") as srv:
        yield srv


def get(
    server: SiteServer, path: str, method: str = "GET", headers: dict[str, str] | None = None
) -> tuple[http.client.HTTPResponse, bytes]:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        return response, response.read()
    finally:
        conn.close()


def test_url_and_port(server: SiteServer) -> None:
    assert server.port > 0
    assert server.url() == f"http://127.0.0.1:{server.port}/"
    assert server.url("news/") == f"http://127.0.0.1:{server.port}/news/"


def test_serves_index_and_directories(server: SiteServer) -> None:
    with urllib.request.urlopen(server.url("/")) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"
        assert response.read().decode() == PAGE
    response, body = get(server, "/news/")
    assert response.status == 200 and b"News front" in body


def test_directory_without_slash_redirects(server: SiteServer) -> None:
    response, _ = get(server, "/news")
    assert response.status == 301
    assert response.headers["Location"] == "/news/"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/feeds/rss.xml", "application/rss+xml; charset=utf-8"),
        ("/feeds/atom.xml", "application/atom+xml; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/dot.png", "image/png"),
    ],
)
def test_content_types(server: SiteServer, path: str, expected: str) -> None:
    response, body = get(server, path)
    assert response.status == 200
    assert response.headers["Content-Type"] == expected
    assert int(response.headers["Content-Length"]) == len(body)


def test_content_type_for_names() -> None:
    assert content_type_for("a/b/page.html").startswith("text/html")
    assert content_type_for("logo.svg") == "image/svg+xml"
    assert content_type_for("blob.bin") == "application/octet-stream"


def test_404_has_html_body(server: SiteServer) -> None:
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(server.url("/no/such/page.html"))
    assert info.value.code == 404
    assert info.value.headers["Content-Type"].startswith("text/html")
    assert b"404" in info.value.read()


@pytest.mark.parametrize("path", ["/_build.py", "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd"])
def test_hidden_and_outside_files_are_404(server: SiteServer, path: str) -> None:
    response, _ = get(server, path)
    assert response.status == 404


def test_head_has_headers_but_no_body(server: SiteServer) -> None:
    response, body = get(server, "/", method="HEAD")
    assert response.status == 200
    assert body == b""
    assert int(response.headers["Content-Length"]) == len(PAGE.encode())


def test_gzip_when_accepted(server: SiteServer) -> None:
    response, body = get(server, "/", headers={"Accept-Encoding": "gzip, deflate"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert int(response.headers["Content-Length"]) == len(body) < len(PAGE)
    assert gzip.decompress(body).decode() == PAGE


def test_no_gzip_without_accept_or_for_images(server: SiteServer) -> None:
    response, body = get(server, "/")
    assert response.headers["Content-Encoding"] is None
    assert body.decode() == PAGE
    response, _ = get(server, "/dot.png", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] is None
    response, _ = get(server, "/", headers={"Accept-Encoding": "gzip;q=0"})
    assert response.headers["Content-Encoding"] is None


def test_conditional_get_etag(server: SiteServer) -> None:
    first, _ = get(server, "/")
    etag = first.headers["ETag"]
    assert etag
    again, body = get(server, "/", headers={"If-None-Match": etag})
    assert again.status == 304 and body == b""
    assert again.headers["ETag"] == etag
    changed, body = get(server, "/", headers={"If-None-Match": '"other"'})
    assert changed.status == 200 and body


def test_conditional_get_if_modified_since(server: SiteServer) -> None:
    first, _ = get(server, "/")
    last_modified = first.headers["Last-Modified"]
    again, body = get(server, "/", headers={"If-Modified-Since": last_modified})
    assert again.status == 304 and body == b""
    old, body = get(server, "/", headers={"If-Modified-Since": "Mon, 01 Jan 1990 00:00:00 GMT"})
    assert old.status == 200 and body


def test_keep_alive_serves_several_requests_on_one_connection(server: SiteServer) -> None:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        for path in ("/", "/robots.txt", "/news/", "/nope", "/style.css"):
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            assert response.version == 11
            assert not response.will_close
        first_socket = conn.sock
        conn.request("GET", "/")
        conn.getresponse().read()
        assert conn.sock is first_socket
    finally:
        conn.close()


def test_placeholder_origin_is_rewritten(server: SiteServer) -> None:
    _, body = get(server, "/sitemap.xml")
    assert f"<loc>{server.url('/news/')}</loc>".encode() in body
    assert b"placeholder.invalid" not in body


def test_placeholder_from_manifest(site: Path) -> None:
    (site / "manifest.json").write_text(
        json.dumps({"origin_placeholder": "http://placeholder.invalid"}), "utf-8"
    )
    with SiteServer(site) as srv:
        assert srv.placeholder_origin == "http://placeholder.invalid"
        _, body = get(srv, "/sitemap.xml")
        assert srv.origin.encode() in body


def test_redirect_routes(server: SiteServer) -> None:
    response, _ = get(server, "/moved")
    assert response.status == 301 and response.headers["Location"] == "/news/"
    response, _ = get(server, "/found")
    assert response.status == 302
    with urllib.request.urlopen(server.url("/moved")) as followed:
        assert followed.url == server.url("/news/")


def test_status_routes(server: SiteServer) -> None:
    response, body = get(server, "/boom")
    assert response.status == 500 and b"500" in body
    response, body = get(server, "/gone")
    assert response.status == 410 and body == b"gone for good"
    assert response.headers["Content-Type"] == "text/plain"


def test_route_with_query_string(server: SiteServer) -> None:
    response, body = get(server, "/search?q=harbour")
    assert response.status == 200 and body == b"<html>results</html>"


def test_chunked_route(server: SiteServer) -> None:
    response, body = get(server, "/stream")
    assert response.headers["Transfer-Encoding"] == "chunked"
    assert response.headers["Content-Length"] is None
    assert body.decode() == PAGE


def test_chunked_keeps_connection_usable(server: SiteServer) -> None:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        conn.request("GET", "/stream")
        assert conn.getresponse().read().decode() == PAGE
        conn.request("GET", "/robots.txt")
        assert b"Disallow" in conn.getresponse().read()
    finally:
        conn.close()


def test_gzipped_route_ignores_accept_encoding(server: SiteServer) -> None:
    response, body = get(server, "/packed")
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == b"<html><body>always packed</body></html>"


def test_slow_route(server: SiteServer) -> None:
    started = time.monotonic()
    response, body = get(server, "/slow")
    assert time.monotonic() - started >= 0.25
    assert response.status == 200 and body == b"<html>late</html>"


def test_requests_are_recorded(server: SiteServer) -> None:
    get(server, "/robots.txt", headers={"User-Agent": "probe/1.0"})
    get(server, "/", method="HEAD")
    assert server.fetched() == ["/robots.txt", "/"]
    assert server.fetched("HEAD") == ["/"]
    assert server.requests[0].headers["User-Agent"] == "probe/1.0"


def test_stop_is_idempotent_and_frees_port(site: Path) -> None:
    srv = SiteServer(site).start()
    port = srv.port
    srv.stop()
    srv.stop()
    with pytest.raises(OSError):
        http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/")


def test_threads_serve_concurrently(site: Path) -> None:
    """A response that is held up must not hold up other requests: "/" is answered
    while "/held" is still waiting (a server serving one request at a time would
    never answer "/", and the fetch would time out)."""
    import threading

    entered, release = threading.Event(), threading.Event()

    def held(handler: Any) -> None:
        entered.set()
        release.wait(30)
        send_body(handler, 200, b"<html>released</html>", "text/html")

    answers: list[bytes] = []
    with SiteServer(site, routes={"/held": held}) as srv:
        thread = threading.Thread(target=lambda: answers.append(get(srv, "/held")[1]))
        thread.start()
        try:
            assert entered.wait(10), "the held request never reached the server"
            response, body = get(srv, "/")
            assert response.status == 200 and b"Harbour news" in body
            assert not release.is_set() and not answers  # "/held" is still waiting
        finally:
            release.set()
            thread.join(30)
    assert answers == [b"<html>released</html>"]
