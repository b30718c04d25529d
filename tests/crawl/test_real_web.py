"""Crawls against a CDN-like front end (:mod:`tests.frontend`): negotiated brotli,
zstd and gzip, chunked and close-delimited bodies, cookies, charsets, compressed
robots.txt and sitemaps, a gzipped child sitemap, stacked and broken codings.

Every page must be archived as sent (still content-coded) and extracted as if it
had been read offline from the decoded bytes.
"""

from __future__ import annotations

import http.client
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from fastwarc.warc import ArchiveIterator as FastIterator
from warcio.archiveiterator import ArchiveIterator

from archiver.extract import extract
from archiver.extract.worker import EXTRACTION_HEADERS
from tests.conftest import run_archiver
from tests.frontend import (
    ENCODERS,
    FrontEnd,
    Sent,
    broken_site,
    codings_site,
    decode_body,
    negotiate,
    news_site,
    parse_accept_encoding,
    wire_name,
)

e2e = pytest.mark.e2e

#: the site's resources, for parametrisation (the origin only matters for absolute URLs)
SITE = {r.path: r for r in news_site("http://127.0.0.1:1")}
PAGES = [p for p, r in SITE.items() if r.content_type.startswith("text/html")]
ARTICLES = [p for p, r in SITE.items() if r.kind in ("article", "sitemap-only")]
CHARSET_PAGES = [p for p, r in SITE.items() if r.expect]


def rows(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def crawl(server: FrontEnd, work: Path, *extra: str) -> dict[str, Any]:
    db, warc_dir = work / "archive.db", work / "warc"
    proc = run_archiver(
        "crawl",
        server.url("/"),
        "--db",
        str(db),
        "--warc-dir",
        str(warc_dir),
        "--delay",
        "0",
        "--prefix",
        "realweb",
        *extra,
        cwd=work,
    )
    return {
        "proc": proc,
        "db": db,
        "warc_dir": warc_dir,
        "sent": list(server.sent),
        "requests": server.requests,
        "origin": server.origin,
        "resources": dict(server.resources),
    }


@pytest.fixture(scope="module")
def real_web(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One crawl of the front-end news site."""
    root = tmp_path_factory.mktemp("frontend-root")  # empty: unknown paths are 404
    work = tmp_path_factory.mktemp("realweb")
    with FrontEnd(root, news_site) as server:
        result = crawl(server, work)
    return result


def capture(run: dict[str, Any], path: str) -> dict[str, Any]:
    caps = rows(
        run["db"], "SELECT * FROM captures WHERE url = ? ORDER BY id", (run["origin"] + path,)
    )
    assert caps, f"{path} was not archived"
    return caps[-1]


def last_sent(run: dict[str, Any], path: str) -> Sent:
    sent = [s for s in run["sent"] if s.path == path and s.method == "GET"]
    assert sent, f"the server never answered GET {path}"
    return sent[-1]


def warcio_record(run: dict[str, Any], cap: dict[str, Any]) -> tuple[Any, bytes]:
    """(http headers, payload as stored) of a capture, read with warcio."""
    with open(run["warc_dir"] / cap["warc_file"], "rb") as fh:
        fh.seek(cap["warc_offset"])
        rec = next(iter(ArchiveIterator(fh)))
        assert rec.rec_headers.get_header("WARC-Record-ID") == cap["warc_record_id"]
        return rec.http_headers, rec.raw_stream.read()


def fastwarc_payload(run: dict[str, Any], cap: dict[str, Any]) -> tuple[dict[str, str], bytes]:
    """(http headers, payload as stored) of a capture, read with FastWARC."""
    with open(run["warc_dir"] / cap["warc_file"], "rb") as fh:
        for rec in FastIterator(fh, parse_http=True, auto_decode="none"):
            if rec.record_id == cap["warc_record_id"]:
                assert rec.verify_payload_digest()
                return dict(rec.http_headers.items()), rec.reader.read()
    pytest.fail(f"FastWARC did not find {cap['warc_record_id']}")


def header(headers: Any, name: str) -> str | None:
    if hasattr(headers, "get_header"):
        return headers.get_header(name)
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None


# -- the server itself ------------------------------------------------------------------------


def test_negotiation_follows_q_values() -> None:
    assert negotiate("gzip, deflate, br, zstd") == "br"
    assert negotiate("gzip, zstd") == "zstd"
    assert negotiate("br;q=0.5, gzip;q=0.9, zstd;q=0.9") == "zstd"
    assert negotiate("br;q=0, gzip") == "gzip"
    assert negotiate("x-gzip") == "gzip"
    assert negotiate("*") == "br"
    assert negotiate("*;q=0.2, br;q=0") == "zstd"
    assert negotiate("deflate") == "identity"
    assert negotiate(None) == "identity" and negotiate("") == "identity"
    assert negotiate("identity;q=0") is None and negotiate("*;q=0") is None
    assert parse_accept_encoding("gzip;q=0.8, br; q=1.0") == {"gzip": 0.8, "br": 1.0}


def test_front_end_answers_like_a_cdn(tmp_path: Path) -> None:
    with FrontEnd(tmp_path, news_site) as server:
        conn = http.client.HTTPConnection("127.0.0.1", server.server.port, timeout=10)
        try:
            # keep-alive, chunked, negotiated br, cookies
            conn.request("GET", "/", headers={"Accept-Encoding": "gzip, br"})
            resp = conn.getresponse()
            body = resp.read()
            assert resp.status == 200 and resp.version == 11
            assert resp.getheader("Content-Encoding") == "br"
            assert resp.getheader("Vary") == "Accept-Encoding"
            assert resp.getheader("Transfer-Encoding") == "chunked"
            assert "edge_session=" in resp.getheader("Set-Cookie", "")
            assert decode_body(body, "br") == server.resources["/"].body
            etag = resp.getheader("ETag")
            # same connection: a 304 for the same representation, a 200 for another one
            conn.request("GET", "/", headers={"Accept-Encoding": "gzip, br", "If-None-Match": etag})
            resp = conn.getresponse()
            assert resp.status == 304 and resp.read() == b"" and resp.getheader("ETag") == etag
            conn.request("GET", "/", headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
            resp = conn.getresponse()
            assert resp.status == 200 and resp.getheader("Content-Encoding") == "gzip"
            assert decode_body(resp.read(), "gzip") == server.resources["/"].body
            # stacked codings, whatever was asked
            conn.request("GET", "/news/stacked-coding.html")
            resp = conn.getresponse()
            assert resp.getheader("Content-Encoding") == "gzip, br"
            stacked = server.resources["/news/stacked-coding.html"].body
            assert decode_body(resp.read(), "gzip, br") == stacked
            # gzip as a file format, not a content-coding
            conn.request("GET", "/sitemaps/archive-2019.xml.gz", headers={"Accept-Encoding": "br"})
            resp = conn.getresponse()
            assert resp.getheader("Content-Encoding") is None
            assert resp.getheader("Content-Type") == "application/x-gzip"
            assert resp.read().startswith(b"\x1f\x8b")
            conn.request("GET", "/nowhere.html")
            resp = conn.getresponse()
            assert resp.status == 404
            resp.read()
            # HTTP/1.0, no Content-Length: the body ends when the server closes
            conn.request("GET", "/news/old-server.html", headers={"Accept-Encoding": "br"})
            resp = conn.getresponse()
            assert resp.version == 10 and resp.getheader("Content-Length") is None
            assert resp.getheader("Content-Encoding") is None
            assert resp.read() == server.resources["/news/old-server.html"].body
            assert resp.will_close
        finally:
            conn.close()
        assert [r.path for r in server.requests][:3] == ["/", "/", "/"]
        assert server.requests[0].headers["Accept-Encoding"] == "gzip, br"
        assert [s.status for s in server.sent_for("/")] == [200, 304, 200]


# -- one crawl of the news site ------------------------------------------------------------------


@e2e
def test_crawl_succeeds(real_web: dict[str, Any]) -> None:
    proc = real_web["proc"]
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    # cookies were set: the public suffix list came from the installed snapshot, with
    # no attempt to download it (stock Scrapy's cookies middleware would try)
    assert "Public Suffix List" not in proc.stderr


@e2e
def test_crawler_offers_compression_and_returns_cookies(real_web: dict[str, Any]) -> None:
    requests = real_web["requests"]
    assert requests
    for req in requests:
        offered = parse_accept_encoding(req.headers.get("Accept-Encoding"))
        assert {"gzip", "br"} <= {c for c, q in offered.items() if q > 0}, req
    html = [s for s in real_web["sent"] if s.path in PAGES and SITE[s.path].negotiated]
    assert html and all(s.content_encoding == "br" for s in html)
    # the session cookie the front end set on the first page comes back
    later = [r for r in requests if r.path.startswith("/news/")]
    assert later and all("edge_session=" in r.headers.get("Cookie", "") for r in later)


@e2e
def test_robots_txt_was_served_compressed(real_web: dict[str, Any]) -> None:
    sent = [s for s in real_web["sent"] if s.path == "/robots.txt"]
    assert sent and all(s.content_encoding == "br" for s in sent)


@e2e
def test_sitemaps_were_served_compressed(real_web: dict[str, Any]) -> None:
    sent = {s.path: s for s in real_web["sent"]}
    assert sent["/sitemaps/index.xml"].content_encoding == "br"
    assert sent["/sitemaps/news.xml"].content_encoding == "br"
    gz = sent["/sitemaps/archive-2019.xml.gz"]
    assert gz.content_encoding == "" and gz.body.startswith(b"\x1f\x8b")


@e2e
@pytest.mark.parametrize("path", list(SITE))
def test_every_resource_archived_with_status_200(real_web: dict[str, Any], path: str) -> None:
    assert capture(real_web, path)["status"] == 200


@e2e
def test_sitemap_only_pages_came_from_the_gzipped_child_sitemap(real_web: dict[str, Any]) -> None:
    hidden = [p for p, r in SITE.items() if r.kind == "sitemap-only"]
    assert hidden
    child = "/sitemaps/archive-2019.xml.gz"
    linked_anywhere = b"".join(
        r.body for r in SITE.values() if r.kind != "sitemap-only" and r.path != child
    )
    fetched = [r.path for r in real_web["requests"]]
    for path in hidden:
        assert path.encode() not in linked_anywhere
        assert path in fetched
        assert fetched.index(child) < fetched.index(path)


@e2e
@pytest.mark.parametrize("path", list(SITE))
def test_warc_record_holds_the_body_as_sent(real_web: dict[str, Any], path: str) -> None:
    cap = capture(real_web, path)
    sent = last_sent(real_web, path)
    http_headers, payload = warcio_record(real_web, cap)
    assert payload == sent.body  # still content-coded, chunk framing removed
    assert (header(http_headers, "Content-Encoding") or "") == sent.content_encoding
    fast_headers, fast_payload = fastwarc_payload(real_web, cap)
    assert fast_payload == sent.body
    assert (header(fast_headers, "Content-Encoding") or "") == sent.content_encoding
    assert decode_body(payload, sent.content_encoding) == real_web["resources"][path].body
    if SITE[path].transfer == "chunked":
        assert header(http_headers, "Transfer-Encoding") is None
        assert header(http_headers, "X-Archiver-Transfer-Encoding") == "chunked"
    if SITE[path].transfer == "close":
        assert http_headers.protocol == "HTTP/1.0"
        assert header(http_headers, "Content-Length") is None
    assert cap["content_length"] == len(sent.body)


@e2e
@pytest.mark.parametrize("path", PAGES)
def test_stored_text_equals_offline_extraction(real_web: dict[str, Any], path: str) -> None:
    cap = capture(real_web, path)
    http_headers, payload = warcio_record(real_web, cap)
    decoded = decode_body(payload, header(http_headers, "Content-Encoding"))
    assert decoded == real_web["resources"][path].body
    headers = {
        name: value
        for name in EXTRACTION_HEADERS
        if (value := header(http_headers, name)) is not None
    }
    offline = extract(decoded, url=cap["url"], headers=headers)
    docs = rows(
        real_web["db"], "SELECT text, title FROM documents WHERE capture_id = ?", (cap["id"],)
    )
    if path in ARTICLES:
        assert offline is not None and offline.page_type == "article"
        assert docs, f"no document for {path}"
    if docs:
        assert offline is not None
        assert docs[0]["text"] == offline.text
        assert docs[0]["title"] == offline.title


@e2e
@pytest.mark.parametrize("path", CHARSET_PAGES)
def test_charset_decoded_right(real_web: dict[str, Any], path: str) -> None:
    """Header charset, <meta> charset only, and a Latin-1 header over UTF-8 bytes."""
    cap = capture(real_web, path)
    docs = rows(
        real_web["db"], "SELECT text, title FROM documents WHERE capture_id = ?", (cap["id"],)
    )
    assert docs
    text = docs[0]["title"] + "\n" + docs[0]["text"]
    for word in SITE[path].expect:
        assert word in text, (word, text[:300])
    assert "\ufffd" not in text and "Ã" not in text


@e2e
def test_verify_is_clean(real_web: dict[str, Any]) -> None:
    proc = run_archiver(
        "verify", "--db", str(real_web["db"]), "--warc-dir", str(real_web["warc_dir"])
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "verify: ok" in proc.stdout


# -- codings the crawler offers --------------------------------------------------------------


@e2e
def test_every_offered_coding_is_decoded(tmp_path: Path) -> None:
    """Each coding Scrapy puts in Accept-Encoding is sent and must be decoded: this
    fails when the crawler offers a coding the environment cannot decode."""
    root = tmp_path / "root"
    root.mkdir()
    with FrontEnd(root, codings_site) as server:
        # depth 1: the coding pages, not the site navigation they link to
        run = crawl(server, tmp_path, "--depth", "1")
    assert run["proc"].returncode == 0, run["proc"].stdout + run["proc"].stderr
    seed = [r for r in run["requests"] if r.path == "/"]
    assert seed
    offered = [
        c
        for c, q in parse_accept_encoding(seed[0].headers.get("Accept-Encoding")).items()
        if q > 0 and c not in ("identity", "*")
    ]
    assert offered, "the crawler offers no content-coding"
    missing = [c for c in offered if c not in ENCODERS]
    assert not missing, f"the crawler offers codings the test server cannot send: {missing}"
    if "deflate" in offered:
        offered.append("deflate-raw")  # the other deflate servers send
    failed = []
    for coding in offered:
        path = f"/coding/{coding}.html"
        sent = last_sent(run, path)
        assert sent.content_encoding == wire_name(coding)
        caps = rows(
            run["db"], "SELECT id, status FROM captures WHERE url = ?", (run["origin"] + path,)
        )
        docs = rows(
            run["db"],
            "SELECT d.text FROM documents d JOIN captures c ON c.id = d.capture_id WHERE c.url = ?",
            (run["origin"] + path,),
        )
        marker = f"Marker paragraph for the {coding} content coding."
        if not (caps and caps[0]["status"] == 200 and docs and marker in docs[0]["text"]):
            failed.append(coding)
    assert not failed, f"offered but not decoded: {failed}\n{run['proc'].stderr[-3000:]}"


# -- a coding that does not decode ---------------------------------------------------------------


@e2e
def test_undecodable_coding_is_kept_and_reported(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    with FrontEnd(root, broken_site) as server:
        run = crawl(server, tmp_path)
    proc = run["proc"]
    bad = run["origin"] + "/news/broken-br.html"
    # the record is kept in WARC, as received
    cap = capture(run, "/news/broken-br.html")
    http_headers, payload = warcio_record(run, cap)
    assert payload == last_sent(run, "/news/broken-br.html").body
    assert header(http_headers, "Content-Encoding") == "br"
    # no text for it, while the good article next to it is extracted
    assert not rows(run["db"], "SELECT id FROM documents WHERE capture_id = ?", (cap["id"],))
    good = capture(run, "/news/fares.html")
    assert rows(run["db"], "SELECT id FROM documents WHERE capture_id = ?", (good["id"],))
    # reported: a failures row, a non-zero exit and a message naming the cause
    failures = rows(run["db"], "SELECT * FROM failures WHERE url = ?", (bad,))
    assert [f["cause"] for f in failures] == ["undecodable-content-encoding"]
    assert proc.returncode == 7  # wget's "protocol error"
    assert "undecodable-content-encoding" in proc.stderr.strip().splitlines()[-1]
    verify = run_archiver("verify", "--db", str(run["db"]), "--warc-dir", str(run["warc_dir"]))
    assert verify.returncode == 0, verify.stdout + verify.stderr
    # verify names it, as a note: the archive holds what the server sent
    assert "/news/broken-br.html undecodable-content-encoding" in verify.stderr
    # reindex keeps the capture and says why it has no text
    rebuilt = run_archiver("reindex", str(run["warc_dir"]), "--db", str(tmp_path / "re.db"))
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "not extracted: " + bad + ": undecodable-content-encoding" in rebuilt.stderr
    # and so does extract on the archived page
    shown = run_archiver("extract", bad, "--db", str(run["db"]), "--warc-dir", str(run["warc_dir"]))
    assert shown.returncode == 1
    assert shown.stderr.startswith("error: cannot decode the archived body of " + bad)
