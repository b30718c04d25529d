"""Unit tests of archiver.crawl.capture: raw exchange bookkeeping, head helpers, the middleware."""

from __future__ import annotations

import sqlite3
import zlib
from pathlib import Path
from typing import Any

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse
from scrapy.utils.test import get_crawler

import archiver.crawl.settings as archiver_settings
from archiver.crawl import capture
from archiver.crawl.capture import (
    RAW_META_KEY,
    RawExchange,
    WarcCaptureMiddleware,
    note_transfer_encoding,
    split_request,
    synthesize_request,
    synthesize_response_head,
)
from archiver.warc import record_at, sha1_digest
from spiders.news import NewsSpider

HEAD = b"HTTP/1.1 200 Alright\r\nX-CuStOm: v\r\nContent-Length: 4\r\n\r\n"


def test_raw_exchange_head_fed_in_pieces() -> None:
    ex = RawExchange()
    data = HEAD + b"body"
    for i in range(0, len(data) - 4, 3):
        assert not ex.head_done
        assert ex.response_head is None
        ex.feed(data[i : i + 3])
    assert ex.head_done
    assert ex.response_head == HEAD
    ex.feed(b"more body bytes that are not kept")
    kept = bytes(ex.received)
    assert kept.startswith(HEAD) and data.startswith(kept)
    assert b"more body" not in kept


def test_raw_exchange_bare_lf_head() -> None:
    ex = RawExchange()
    ex.feed(b"HTTP/1.0 200 OK\nContent-Type: text/plain\n\nbody\r\n\r\n")
    assert ex.response_head == b"HTTP/1.0 200 OK\nContent-Type: text/plain\n\n"


def test_raw_exchange_request_bytes_joined() -> None:
    ex = RawExchange()
    ex.sent.extend([b"GET / HTTP/1.1\r\n", b"Host: a\r\n\r\n"])
    assert ex.request_bytes == b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"
    assert RawExchange().request_bytes == b""


@pytest.mark.parametrize(
    "interim",
    [
        b"HTTP/1.1 100 Continue\r\n\r\n",
        b"HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n",
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n",
    ],
    ids=["100", "103", "two-interim"],
)
def test_raw_exchange_skips_interim_responses_in_one_read(interim: bytes) -> None:
    ex = RawExchange()
    ex.feed(interim + HEAD + b"body")
    assert ex.response_head == HEAD


def test_raw_exchange_interim_response_in_separate_read() -> None:
    ex = RawExchange()
    ex.feed(b"HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n")
    ex.feed(HEAD + b"body")
    assert ex.response_head == HEAD


def test_raw_exchange_head_size_limit() -> None:
    ex = RawExchange()
    ex.feed(b"HTTP/1.1 200 OK\r\nX-Big: ")
    ex.feed(b"a" * capture.HEAD_LIMIT)
    assert ex.head_done
    assert ex.overflow  # the handler refuses the response (cause too-large)
    assert ex.response_head is None
    assert len(ex.received) == 0
    ex.feed(b"\r\n\r\n")
    assert ex.response_head is None


def test_raw_exchange_head_over_the_limit_in_one_read_is_refused_too() -> None:
    ex = RawExchange()
    ex.feed(b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * capture.HEAD_LIMIT + b"\r\n\r\nbody")
    assert ex.overflow
    small = RawExchange()
    small.feed(HEAD + b"a" * capture.HEAD_LIMIT)  # a small head, then a large body
    assert small.head_done and not small.overflow
    assert small.response_head == HEAD


def test_raw_exchange_interim_only_gives_none() -> None:
    ex = RawExchange()
    ex.feed(b"HTTP/1.1 100 Continue\r\n\r\n")
    assert ex.response_head is None


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/html\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nX-Archiver-Transfer-Encoding: chunked\r\nContent-Type: text/html"
            b"\r\n\r\n",
        ),
        (
            b"HTTP/1.1 200 OK\r\ntransfer-encoding:chunked\r\nX-A: b\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nX-Archiver-transfer-encoding:chunked\r\nX-A: b\r\n\r\n",
        ),
        (
            b"HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n",
            b"HTTP/1.1 200 OK\nX-Archiver-Transfer-Encoding: chunked\n\n",
        ),
    ],
    ids=["crlf", "lowercase-no-space", "bare-lf"],
)
def test_note_transfer_encoding_renames_only_that_line(head: bytes, expected: bytes) -> None:
    assert note_transfer_encoding(head) == expected


@pytest.mark.parametrize(
    "head",
    [
        HEAD,
        b"HTTP/1.1 200 OK\r\nX-Transfer-Encoding-Note: chunked\r\nX-Why: Transfer-Encoding\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n",
    ],
    ids=["none", "similar-names", "content-encoding"],
)
def test_note_transfer_encoding_leaves_other_heads_untouched(head: bytes) -> None:
    assert note_transfer_encoding(head) is head


def test_synthesize_response_head() -> None:
    response = HtmlResponse(
        "http://example.com/",
        status=404,
        body=b"x",
        headers={"content-type": "text/html", "Set-Cookie": ["a=1", "b=2"]},
    )
    assert synthesize_response_head(response) == (
        b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nSet-Cookie: a=1\r\n"
        b"Set-Cookie: b=2\r\n\r\n"
    )


@pytest.mark.parametrize(
    ("status", "protocol", "first"),
    [
        (200, None, b"HTTP/1.1 200 OK"),
        (299, None, b"HTTP/1.1 299"),
        (301, "HTTP/1.0", b"HTTP/1.0 301 Moved Permanently"),
        (200, "h2", b"HTTP/1.1 200 OK"),
    ],
    ids=["ok", "unknown-status", "http10", "non-http-protocol"],
)
def test_synthesize_response_status_line(status: int, protocol: str | None, first: bytes) -> None:
    response = TextResponse("http://example.com/", status=status, body=b"", protocol=protocol)
    assert synthesize_response_head(response) == first + b"\r\n\r\n"


def test_synthesize_request() -> None:
    request = Request("http://example.com:8080/a/b?c=1&d=2#frag", headers={"User-Agent": "t"})
    assert synthesize_request(request) == (
        b"GET /a/b?c=1&d=2 HTTP/1.1\r\nHost: example.com:8080\r\nUser-Agent: t\r\n\r\n"
    )
    post = Request(
        "http://b\u00fccher.example/", method="POST", body=b"a=1", headers={"Host": "override"}
    )
    assert synthesize_request(post) == (
        b"POST / HTTP/1.1\r\nHost: override\r\nContent-Length: 3\r\n\r\na=1"
    )
    idn = Request("http://b\u00fccher.example/")
    assert b"Host: xn--bcher-kva.example\r\n" in synthesize_request(idn)


def test_synthesize_request_host_without_userinfo() -> None:
    raw = synthesize_request(Request("http://user:pw@example.com/"))
    assert raw.split(b"\r\n")[1] == b"Host: example.com"


def test_synthesize_request_with_body_has_content_length() -> None:
    raw = synthesize_request(Request("http://example.com/", method="POST", body=b"a=1"))
    assert b"\r\nContent-Length: 3\r\n" in raw


@pytest.mark.parametrize(
    ("raw", "head", "body"),
    [
        (b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", b""),
        (
            b"POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\na=1",
            b"POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\n",
            b"a=1",
        ),
        (b"GET / HTTP/1.0\nHost: a\n\nx", b"GET / HTTP/1.0\nHost: a\n\n", b"x"),
        (b"GET / HTTP/1.1\r\nHost: a", b"GET / HTTP/1.1\r\nHost: a", b""),
    ],
    ids=["get", "post", "bare-lf", "unterminated"],
)
def test_split_request(raw: bytes, head: bytes, body: bytes) -> None:
    assert split_request(raw) == (head, body)


# -- the middleware -----------------------------------------------------------
class Harness:
    def __init__(self, tmp: Path, **overrides: Any) -> None:
        settings = {
            k: getattr(archiver_settings, k)
            for k in dir(archiver_settings)
            if k.startswith("ARCHIVER_")
        }
        settings.update(
            {
                "ARCHIVER_DB": str(tmp / "a.db"),
                "ARCHIVER_WARC_DIR": str(tmp / "w"),
                "ARCHIVER_EXTRACT_WORKERS": 0,
                **overrides,
            }
        )
        self.crawler = get_crawler(NewsSpider, settings)
        self.spider = NewsSpider.from_crawler(self.crawler, seeds="http://example.com/")
        self.crawler.spider = self.spider
        self.mw = WarcCaptureMiddleware.from_crawler(self.crawler)
        self.recorder = self.mw.recorder
        self.recorder.spider_opened(self.spider)
        self.tmp = tmp

    def close(self) -> None:
        self.recorder.spider_closed(self.spider, "finished")

    def captures(self) -> list[dict[str, Any]]:
        conn = sqlite3.connect(self.tmp / "a.db")
        conn.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in conn.execute("SELECT * FROM captures ORDER BY id")]
        finally:
            conn.close()


def page(
    url: str = "http://example.com/a?x=1", body: bytes = b"<html>hi</html>", **kwargs: Any
) -> tuple[Request, HtmlResponse]:
    request = Request(url, headers={"User-Agent": "unit"})
    headers = {"Content-Type": "text/html; charset=utf-8", "X-Foo": "Bar"}
    response = HtmlResponse(url, body=body, headers=headers, request=request, **kwargs)
    return request, response


def test_middleware_synthesizes_head_and_request(tmp_path: Path) -> None:
    h = Harness(tmp_path)
    request, response = page()
    assert h.mw.process_response(request, response) is response
    from archiver.crawl.protocol import captured

    meta = captured(request)
    assert meta is not None and not meta.revisit
    h.close()
    assert h.crawler.stats.get_value("archiver/capture/synthesized_head") == 1
    [row] = h.captures()
    assert row["warc_record_id"] == meta.record_id
    assert (row["url"], row["status"], row["mime_type"]) == (response.url, 200, "text/html")
    assert row["payload_digest"] == sha1_digest(b"<html>hi</html>")
    assert row["content_length"] == 15 and row["record_type"] == "response"
    assert row["warc_file"] == meta.warc_file and not row["warc_file"].endswith(".open")
    assert row["crawl_id"] == h.recorder.crawl_id
    path = tmp_path / "w" / row["warc_file"]
    assert path.exists()
    rec = record_at(path, row["warc_offset"])
    assert rec.rec_headers.get_header("WARC-Record-ID") == row["warc_record_id"]
    assert rec.http_headers.to_bytes() == (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nX-Foo: Bar\r\n\r\n"
    )
    assert rec.payload == b"<html>hi</html>"
    req = record_at(path, row["warc_offset"] + row["warc_length"])
    assert req.rec_type == "request"
    assert req.rec_headers.get_header("WARC-Concurrent-To") == row["warc_record_id"]
    assert req.http_headers.protocol == "GET"
    assert req.http_headers.statusline == "/a?x=1 HTTP/1.1"
    assert req.http_headers.get_header("Host") == "example.com"
    assert req.http_headers.get_header("User-Agent") == "unit"


def test_middleware_uses_raw_exchange_bytes(tmp_path: Path) -> None:
    h = Harness(tmp_path)
    request, response = page(body=b"chunk body")
    raw_head = (
        b"HTTP/1.1 200 Fine Thanks\r\ncontent-TYPE: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    exchange = RawExchange()
    exchange.sent.append(b"GET /a?x=1 HTTP/1.1\r\nHost: example.com\r\nX-Order: 1\r\n\r\n")
    exchange.feed(raw_head + b"a\r\nchunk body\r\n0\r\n\r\n")
    request.meta[RAW_META_KEY] = exchange
    h.mw.process_response(request, response)
    assert RAW_META_KEY not in request.meta
    h.close()
    assert h.crawler.stats.get_value("archiver/capture/synthesized_head") is None
    [row] = h.captures()
    path = tmp_path / "w" / row["warc_file"]
    data = path.read_bytes()[row["warc_offset"] : row["warc_offset"] + row["warc_length"]]
    block = zlib.decompress(data, 31).split(b"\r\n\r\n", 1)[1]
    assert block == note_transfer_encoding(raw_head) + b"chunk body\r\n\r\n"
    assert b"X-Archiver-Transfer-Encoding: chunked" in block
    req = record_at(path, row["warc_offset"] + row["warc_length"])
    assert req.http_headers.get_header("X-Order") == "1"


def test_middleware_skips_cached_responses(tmp_path: Path) -> None:
    h = Harness(tmp_path)
    request, response = page(flags=["cached"])
    assert h.mw.process_response(request, response) is response
    assert "archiver" not in request.meta
    h.close()
    assert h.captures() == []


def test_middleware_writes_revisit_for_same_payload(tmp_path: Path) -> None:
    h = Harness(tmp_path)
    for _ in range(2):
        h.mw.process_response(*page())
    request, response = page(body=b"<html>changed</html>")
    h.mw.process_response(request, response)
    h.close()
    rows = h.captures()
    assert [r["record_type"] for r in rows] == ["response", "revisit", "response"]
    assert rows[1]["revisit_of"] == rows[0]["id"]
    rec = record_at(tmp_path / "w" / rows[1]["warc_file"], rows[1]["warc_offset"])
    assert rec.rec_headers.get_header("WARC-Refers-To") == rows[0]["warc_record_id"]
    assert rec.payload == b""
    assert h.crawler.stats.get_value("archiver/records/revisit") == 1


def test_middleware_signals_robots_txt(tmp_path: Path) -> None:
    from archiver.crawl.protocol import robots_txt_captured

    h = Harness(tmp_path)
    seen: list[str] = []
    h.crawler.signals.connect(
        lambda response: seen.append(response.url), signal=robots_txt_captured, weak=False
    )
    h.mw.process_response(*page("http://example.com/robots.txt"))
    h.mw.process_response(*page("http://example.com/robots.txt", status=404))
    h.mw.process_response(*page("http://example.com/other.txt"))
    h.close()
    assert seen == ["http://example.com/robots.txt"]
    assert len(h.captures()) == 3
