"""``archiver wacz`` packages opened in the real ReplayWeb.page (the npm package
``replaywebpage``, which ``.ci/services`` installs into ``.cache/replaywebpage``) in
headless Chromium, served from 127.0.0.1 with range requests after the crawled site's
server has stopped: an article's text appears in the replayed page, also for a page
whose capture in the package is a revisit record."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from archiver.demo.server import SiteServer
from tests.browser import chromium_page, save_screenshot
from tests.conftest import ROOT, SITE_EXIT, article_html, build_site, run_archiver

pytestmark = pytest.mark.e2e

RWP_VERSION = "2.5.3"
RWP_DIR = ROOT / ".cache" / "replaywebpage"

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "application/javascript",
    ".wacz": "application/octet-stream",
}


def replaywebpage_dir() -> Path:
    """The installed ReplayWeb.page; skipped locally, failed under CI, when missing."""
    try:
        version = json.loads((RWP_DIR / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        version = None
    if version == RWP_VERSION and (RWP_DIR / "ui.js").is_file() and (RWP_DIR / "sw.js").is_file():
        return RWP_DIR
    message = f"replaywebpage {RWP_VERSION} is not in {RWP_DIR} (bash .ci/services installs it)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


class RangeHandler(BaseHTTPRequestHandler):
    """GET and HEAD of the files in ``server.files`` (URL path -> file), with
    single-range ``Range: bytes=`` requests answered by 206."""

    server: Any

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def do_GET(self) -> None:
        self._serve(body=True)

    def _serve(self, body: bool) -> None:
        path = self.server.files.get(self.path.split("?", 1)[0])
        if path is None:
            self.send_error(404)
            return
        size = path.stat().st_size
        start, end, code = 0, size - 1, 200
        match = re.fullmatch(r"bytes=(\d*)-(\d*)", self.headers.get("Range", "").strip())
        if match and (match[1] or match[2]):
            if match[1]:
                start = int(match[1])
                end = min(int(match[2]), size - 1) if match[2] else size - 1
            else:
                start = max(size - int(match[2]), 0)
            if start > end:
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            code = 206
        self.send_response(code)
        self.send_header("Content-Type", TYPES.get(path.suffix, "application/octet-stream"))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(end - start + 1))
        if code == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if body:
            with open(path, "rb") as fh:
                fh.seek(start)
                self.wfile.write(fh.read(end - start + 1))


@contextmanager
def range_server(files: dict[str, Path]) -> Iterator[str]:
    """Serve ``files`` on 127.0.0.1 (a free port); yield the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), RangeHandler)
    server.daemon_threads = True
    server.files = files  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def embed_page(source: str, url: str, ts: str) -> str:
    """A page embedding ReplayWeb.page as its docs describe: ui.js on the page, the
    service worker at <replayBase>sw.js on the same origin."""
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>package</title>
<script src="/ui.js"></script>
<style>html, body {{ width: 100%; height: 100%; margin: 0; }}</style></head>
<body><replay-web-page source="{source}" url="{url}" ts="{ts}" replayBase="/replay/"
embed="replayonly"></replay-web-page></body></html>
"""


def ts14(iso: str) -> str:
    return "".join(c for c in iso if c.isdigit())[:14]


def wait_for_text(page: Any, text: str, name: str, timeout: float = 45) -> None:
    """Wait until some frame of ``page`` (ReplayWeb.page nests the replayed page in
    frames) shows ``text``."""
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    reloads = 0
    while time.monotonic() < deadline:
        seen = []
        for frame in page.frames:
            try:
                body = frame.inner_text("body", timeout=1000)
            except Exception:  # frames come and go while the app loads
                continue
            if text in body:
                save_screenshot(page, name)
                return
            seen.append(f"{frame.url[:120]}: {body[:200]!r}")
        if reloads < 2 and any("Error code: 404" in s for s in seen):
            # the replay frame was asked of this server before ReplayWeb.page's
            # service worker took control of the page (a race of a fresh browser
            # profile's first visit): a reload, as a visitor would, lets it answer
            reloads += 1
            page.reload(wait_until="load")
            continue
        page.wait_for_timeout(300)
    save_screenshot(page, name)
    raise AssertionError(f"{text!r} not replayed; frames:\n" + "\n".join(seen))


def test_replaywebpage_replays_wacz_packages(tmp_path: Path) -> None:
    rwp = replaywebpage_dir()
    root = tmp_path / "site"
    build_site(root, articles=3)
    work = tmp_path / "archive"
    work.mkdir()
    db, warc_dir = work / "archive.db", work / "warc"
    with SiteServer(root) as server:
        args = [
            "crawl",
            server.url("/"),
            "--db",
            str(db),
            "--warc-dir",
            str(warc_dir),
            "--delay",
            "0",
            "-q",
        ]
        first = run_archiver(*args, cwd=work)
        assert first.returncode == SITE_EXIT, first.stderr
        (root / "news" / "story-2.html").write_text(
            article_html(2, extra="<p>Update: the ferry timetable changes in May.</p>")
        )
        second = run_archiver(*args, cwd=work)
        assert second.returncode == SITE_EXIT, second.stderr
        story1, story2 = server.url("/news/story-1.html"), server.url("/news/story-2.html")
    # the site is gone now: what the browser shows comes from the package
    with pytest.raises(OSError):
        urllib.request.urlopen(story1, timeout=2)

    conn = sqlite3.connect(db)
    crawl1, crawl2 = conn.execute("SELECT min(crawl_id), max(crawl_id) FROM captures").fetchone()
    since = conn.execute(
        "SELECT min(fetched_at) FROM captures WHERE crawl_id = ?", (crawl2,)
    ).fetchone()[0]
    captures = {
        (url, crawl): (kind, fetched)
        for url, crawl, kind, fetched in conn.execute(
            "SELECT url, crawl_id, record_type, fetched_at FROM captures"
        )
    }
    conn.close()
    assert captures[(story1, crawl2)][0] == "revisit"  # unchanged: a revisit record
    assert captures[(story2, crawl2)][0] == "response"

    full, part = tmp_path / "full.wacz", tmp_path / "part.wacz"
    made = run_archiver("wacz", str(full), "--db", str(db), "--warc-dir", str(warc_dir))
    assert made.returncode == 0, made.stderr
    made = run_archiver(
        "wacz", str(part), "--db", str(db), "--warc-dir", str(warc_dir), "--fetched-since", since
    )
    assert made.returncode == 0, made.stderr
    with zipfile.ZipFile(part) as zf:
        assert {"indexes/index.cdx.gz", "indexes/index.idx"} <= set(zf.namelist())
        pages = [json.loads(line) for line in zf.read("pages/pages.jsonl").splitlines()]
    # in the second crawl's package story 1 is only a revisit (its original rides along)
    [page1] = [p for p in pages[1:] if p["url"] == story1]
    assert page1["ts"] == captures[(story1, crawl2)][1]
    assert "Paragraph 0 of story 1." in page1["text"]

    story3 = story1.replace("story-1", "story-3")
    views = {
        "/full.html": embed_page("/full.wacz", story3, ts14(captures[(story3, crawl1)][1])),
        "/revisit.html": embed_page("/part.wacz", story1, ts14(page1["ts"])),
        "/changed.html": embed_page("/part.wacz", story2, ts14(captures[(story2, crawl2)][1])),
    }
    files = {
        "/ui.js": rwp / "ui.js",
        "/replay/sw.js": rwp / "sw.js",
        "/full.wacz": full,
        "/part.wacz": part,
    }
    for name, html in views.items():
        files[name] = tmp_path / name.lstrip("/")
        files[name].write_text(html)
    with range_server(files) as base, chromium_page(tmp_path) as page:
        page.goto(f"{base}/full.html", wait_until="load")
        wait_for_text(page, "Paragraph 0 of story 3.", "rwp-story-3")
        page.goto(f"{base}/revisit.html", wait_until="load")
        wait_for_text(page, "Paragraph 0 of story 1.", "rwp-story-1-revisit")
        page.goto(f"{base}/changed.html", wait_until="load")
        wait_for_text(page, "Update: the ferry timetable changes in May.", "rwp-story-2")
