"""End-to-end crawls of a local site: WARC records, SQLite rows, discovery, revisits."""

from __future__ import annotations

import gzip
import io
import json
import sqlite3
import subprocess
import zlib
from pathlib import Path
from typing import Any

import pytest
from fastwarc.warc import ArchiveIterator as FastIterator
from warcio.archiveiterator import ArchiveIterator

from archiver.demo.server import SiteServer
from tests.conftest import ROOT, SITE_EXIT, article_html, build_site, run_archiver, site_routes

pytestmark = pytest.mark.e2e


def records(warc_dir: Path) -> list[Any]:
    out = []
    for path in sorted(warc_dir.glob("*.warc.gz")):
        with open(path, "rb") as fh:
            for rec in ArchiveIterator(fh):
                body = rec.content_stream().read() if rec.rec_type in ("response",) else b""
                out.append((path.name, rec.rec_type, rec.rec_headers, rec.http_headers, body))
    return out


def rows(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Crawl the test site twice into one archive; story 2 changes in between."""
    root = tmp_path_factory.mktemp("site")
    info = build_site(root)
    work = tmp_path_factory.mktemp("archive")
    db, warc_dir = work / "archive.db", work / "warc"
    with SiteServer(root, routes=site_routes()) as server:
        args = [
            "crawl",
            server.url("/"),
            "--db",
            str(db),
            "--warc-dir",
            str(warc_dir),
            "--delay",
            "0",
            "--prefix",
            "test",
        ]
        first = run_archiver(*args, cwd=work)
        requests_first = list(server.requests)
        (root / "news" / "story-2.html").write_text(
            article_html(2, extra="<p>Update: the council voted to approve the bridge plan.</p>")
        )
        second = run_archiver(*args, cwd=work)
    return {
        "first": first,
        "second": second,
        "db": db,
        "warc_dir": warc_dir,
        "info": info,
        "requests": requests_first,
        "url": args[1],
    }


def test_crawls_succeed_with_summary(archive: Any) -> None:
    for run in (archive["first"], archive["second"]):
        # the site links to two 404 pages and a 500 page: reported, counted, exit status 8
        assert run.returncode == SITE_EXIT, run.stderr
        assert "pages fetched" in run.stdout
        summary = " ".join(run.stdout.replace("│", " ").split())
        assert "3 failed: 2 http-4xx, 1 http-5xx" in summary, run.stdout
        last = run.stderr.strip().splitlines()[-1]
        assert last.endswith(
            "3 failed: 2 http-4xx, 1 http-5xx; 2 denied by robots.txt "
            "(listed in the failures table)"
        ), run.stderr
        assert "Traceback" not in run.stderr


def test_every_file_passes_warcio_check(archive: Any) -> None:
    files = sorted(archive["warc_dir"].glob("*.warc.gz"))
    assert len(files) == 2  # one per crawl
    assert not list(archive["warc_dir"].glob("*.open"))
    for path in files:
        assert path.name.startswith("test-")
        proc = subprocess.run(
            [
                str(Path(ROOT, ".venv/bin/warcio"))
                if Path(ROOT, ".venv/bin/warcio").exists()
                else "warcio",
                "check",
                "-v",
                str(path),
            ],
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "digest pass" in proc.stdout


def test_every_record_passes_fastwarc_digest_verification(archive: Any) -> None:
    checked = 0
    for path in sorted(archive["warc_dir"].glob("*.warc.gz")):
        with open(path, "rb") as fh:
            for rec in FastIterator(fh, parse_http=False):
                assert rec.verify_block_digest(), (path, rec.record_id)
                checked += 1
        with open(path, "rb") as fh:
            for rec in FastIterator(fh, parse_http=True):
                if rec.headers.get("WARC-Type") in ("response", "request"):
                    assert rec.verify_payload_digest(), (path, rec.record_id)
    assert checked > 20


def test_warcinfo_first_and_request_response_pairs(archive: Any) -> None:
    by_file: dict[str, list[Any]] = {}
    for name, rtype, headers, http, _ in records(archive["warc_dir"]):
        by_file.setdefault(name, []).append((rtype, headers, http))
    for recs in by_file.values():
        assert recs[0][0] == "warcinfo"
        assert [r for r in recs if r[0] == "warcinfo"] == recs[:1]
        assert recs[0][1].protocol == "WARC/1.1"
        ids = {h.get_header("WARC-Record-ID"): t for t, h, _ in recs}
        for rtype, headers, _http in recs[1:]:
            assert headers.get_header("WARC-Block-Digest")
            assert headers.get_header("WARC-Payload-Digest")
            assert headers.get_header("WARC-Warcinfo-ID") == recs[0][1].get_header("WARC-Record-ID")
            if rtype == "request":
                assert ids[headers.get_header("WARC-Concurrent-To")] in ("response", "revisit")
        responses = [h for t, h, _ in recs if t in ("response", "revisit")]
        requests = [h for t, h, _ in recs if t == "request"]
        assert len(responses) == len(requests)


def test_warcinfo_describes_crawl(archive: Any) -> None:
    path = sorted(archive["warc_dir"].glob("*.warc.gz"))[0]
    with open(path, "rb") as fh:
        info = next(iter(ArchiveIterator(fh)))
        text = info.content_stream().read().decode()
    assert "software: archiver/" in text and "Scrapy/" in text and "warcio/" in text
    assert "robots: obey" in text
    assert "crawl-settings:" in text and '"robots_obey": true' in text


def test_statuses_and_types_are_all_captured(archive: Any) -> None:
    caps = rows(archive["db"], "SELECT * FROM captures WHERE crawl_id = 1")
    by_path = {c["url"].split("/", 3)[-1]: c for c in caps}
    assert by_path["robots.txt"]["status"] == 200
    assert by_path["gone.html"]["status"] == 404
    assert by_path["moved.html"]["status"] == 301
    assert by_path["report.pdf"]["mime_type"] == "application/pdf"
    assert by_path["static/logo.png"]["mime_type"] == "image/png"
    assert by_path["feed.xml"]["status"] == 200
    assert by_path["news-sitemap.xml"]["status"] == 200
    assert by_path["sitemap-index.xml"]["status"] == 200
    assert [c["status"] for c in caps if c["url"].endswith("/broken.html")] == [500] * 3  # retries


def test_robots_txt_is_obeyed(archive: Any) -> None:
    paths = [r.path for r in archive["requests"]]
    assert "/robots.txt" in paths
    assert not any(p.startswith("/private/") for p in paths)
    assert not rows(archive["db"], "SELECT id FROM captures WHERE url LIKE '%/private/%'")


def test_sitemap_only_and_feed_only_articles_are_captured(archive: Any) -> None:
    info = archive["info"]
    for n in (info["sitemap_only"], info["feed_only"]):
        docs = rows(
            archive["db"], "SELECT * FROM documents WHERE url LIKE ?", (f"%/news/story-{n}.html",)
        )
        assert docs and docs[0]["page_type"] == "article"
        assert f"Paragraph 0 of story {n}." in docs[0]["text"]


def test_every_capture_row_points_at_its_own_gzip_member(archive: Any) -> None:
    caps = rows(archive["db"], "SELECT * FROM captures")
    assert len(caps) > 30
    for cap in caps:
        with open(archive["warc_dir"] / cap["warc_file"], "rb") as fh:
            fh.seek(cap["warc_offset"])
            member = fh.read(cap["warc_length"])
        dec = zlib.decompressobj(31)
        raw = dec.decompress(member)
        assert dec.eof and not dec.unused_data  # exactly one whole gzip member
        rec = next(iter(ArchiveIterator(io.BytesIO(raw))))
        assert rec.rec_headers.get_header("WARC-Record-ID") == cap["warc_record_id"]
        assert rec.rec_headers.get_header("WARC-Target-URI") == cap["url"]
        assert rec.rec_headers.get_header("WARC-Payload-Digest") == cap["payload_digest"]
        assert rec.rec_type == cap["record_type"]
        assert cap["fetched_at"].endswith("Z") and "T" in cap["fetched_at"]


def test_gzip_response_stored_encoded(archive: Any) -> None:
    for _name, rtype, headers, http, _body in records(archive["warc_dir"]):
        if rtype == "response" and headers.get_header("WARC-Target-URI").endswith("/gz.html"):
            assert http.get_header("Content-Encoding") == "gzip"
            break
    else:
        pytest.fail("no gz.html response")
    cap = rows(archive["db"], "SELECT * FROM captures WHERE url LIKE '%/gz.html' LIMIT 1")[0]
    from archiver.warc import record_at

    rec = record_at(archive["warc_dir"] / cap["warc_file"], cap["warc_offset"])
    assert rec.payload[:2] == b"\x1f\x8b"  # the bytes as received
    assert b"Gzipped story" in gzip.decompress(rec.payload)
    assert cap["content_length"] == len(rec.payload)
    docs = rows(archive["db"], "SELECT title FROM documents WHERE url LIKE '%/gz.html'")
    assert docs and "Gzipped story" in docs[0]["title"]


def test_chunked_response_readable(archive: Any) -> None:
    for _, rtype, headers, http, body in records(archive["warc_dir"]):
        if rtype == "response" and headers.get_header("WARC-Target-URI").endswith("/chunked.html"):
            assert http.get_header("Transfer-Encoding") is None
            assert http.get_header("X-Archiver-Transfer-Encoding") == "chunked"
            assert body.startswith(b"<!DOCTYPE html>") and body.rstrip().endswith(b"</html>")
            break
    else:
        pytest.fail("no chunked.html response")


def test_status_line_and_headers_as_received(archive: Any) -> None:
    cap = rows(archive["db"], "SELECT * FROM captures WHERE url LIKE '%/raw.html' LIMIT 1")[0]
    with open(archive["warc_dir"] / cap["warc_file"], "rb") as fh:
        fh.seek(cap["warc_offset"])
        raw = gzip.decompress(fh.read(cap["warc_length"]))
    assert b"\r\n\r\nHTTP/1.1 200 Alright Then\r\n" in raw
    assert b"X-CUSTOM-header: MixedCase\r\n" in raw
    # the request record holds the request as sent, Host header included
    reqs = [
        h
        for _, t, rh, h, _ in records(archive["warc_dir"])
        if t == "request" and rh.get_header("WARC-Concurrent-To") == cap["warc_record_id"]
    ]
    assert reqs and reqs[0].get_header("Host", "").startswith("127.0.0.1:")
    assert "archiver/" in reqs[0].get_header("User-Agent")


def test_revisits_on_recrawl(archive: Any) -> None:
    second = rows(archive["db"], "SELECT * FROM captures WHERE crawl_id = 2")
    assert second
    unchanged = next(c for c in second if c["url"].endswith("/news/story-1.html"))
    assert unchanged["record_type"] == "revisit"
    original = rows(
        archive["db"], "SELECT * FROM captures WHERE id = ?", (unchanged["revisit_of"],)
    )[0]
    assert original["url"] == unchanged["url"] and original["crawl_id"] == 1
    assert original["payload_digest"] == unchanged["payload_digest"]
    for _, rtype, headers, _h, _b in records(archive["warc_dir"]):
        if (
            rtype == "revisit"
            and headers.get_header("WARC-Record-ID") == unchanged["warc_record_id"]
        ):
            assert headers.get_header("WARC-Profile").endswith("identical-payload-digest")
            assert headers.get_header("WARC-Refers-To-Target-URI") == original["url"]
            assert headers.get_header("WARC-Refers-To-Date") == original["fetched_at"]
            break
    else:
        pytest.fail("revisit record not found")
    changed = next(c for c in second if c["url"].endswith("/news/story-2.html"))
    assert changed["record_type"] == "response"


def test_documents_only_for_new_text(archive: Any) -> None:
    docs = rows(
        archive["db"],
        "SELECT d.*, c.crawl_id FROM documents d JOIN captures c ON c.id = d.capture_id",
    )
    assert all(d["crawl_id"] == 1 for d in docs if not d["url"].endswith("/story-2.html"))
    story2 = [d for d in docs if d["url"].endswith("/news/story-2.html")]
    assert [d["crawl_id"] for d in story2] == [1, 2]
    assert "voted to approve the bridge plan" in story2[1]["text"]
    assert len({d["text_hash"] for d in story2}) == 2


def test_document_fields_and_fts(archive: Any) -> None:
    doc = rows(archive["db"], "SELECT * FROM documents WHERE url LIKE '%/news/story-3.html'")[0]
    assert doc["title"].startswith("Story 3")
    assert doc["author"] == "Ana Writer"
    assert doc["published"].startswith("2026-10-04")
    assert doc["language"] == "en"
    assert doc["canonical_url"].endswith("/news/story-3.html")
    assert doc["page_type"] == "article"
    assert "trafilatura" in doc["extractor"]
    assert "We use cookies" not in doc["text"] and "Share on" not in doc["text"]
    assert doc["word_count"] > 100
    hits = rows(
        archive["db"],
        "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?",
        ('"voted to approve"',),
    )
    assert len(hits) == 1


def test_crawls_rows(archive: Any) -> None:
    crawls = rows(archive["db"], "SELECT * FROM crawls ORDER BY id")
    assert [c["status"] for c in crawls] == ["partial", "partial"]  # finished, 3 failed
    for c in crawls:
        assert c["finished_at"] > c["started_at"]
        assert json.loads(c["seeds"]) == [archive["url"]]
        settings = json.loads(c["settings"])
        assert settings["robots_obey"] is True and settings["warc_prefix"] == "test"
        stats = json.loads(c["stats"])
        assert stats["archiver/records/response"] + stats.get("archiver/records/revisit", 0) > 20
        assert stats["archiver/failed/http-4xx"] == 2 and stats["archiver/failed/http-5xx"] == 1
    base = archive["url"]
    failed = rows(
        archive["db"],
        "SELECT f.url, f.kind, f.cause, f.status, f.detail, c.status "
        "AS captured FROM failures f LEFT JOIN captures c ON c.warc_record_id = "
        "f.warc_record_id WHERE f.crawl_id = 1 ORDER BY f.url",
    )
    assert [
        (f["url"].removeprefix(base), f["cause"], f["status"], f["captured"]) for f in failed
    ] == [
        ("broken.html", "http-5xx", 500, 500),  # the error page is archived too
        ("gone.html", "http-4xx", 404, 404),
        ("news/", "http-4xx", 404, 404),
        ("private/", "robots-denied", None, None),
        ("private/secret.html", "robots-denied", None, None),
    ]
    assert all(f["kind"] == "page" and f["detail"] for f in failed)


def test_database_in_wal_mode(archive: Any) -> None:
    conn = sqlite3.connect(archive["db"])
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
