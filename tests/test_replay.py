"""``archiver replay`` end to end: a page captured from a local site renders, with its
captured stylesheet and image, in real headless Chromium from pywb after the site's
server has been stopped."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from archiver.sites import SiteServer
from tests.browser import chromium_page, save_screenshot
from tests.conftest import ROOT, SITE_EXIT, article_html, build_site, run_archiver

pytestmark = pytest.mark.e2e

CSS = "body { background-color: rgb(250, 240, 200); } h1 { color: rgb(200, 100, 50); }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_replay_in_chromium_after_the_site_is_gone(tmp_path: Path) -> None:
    root = tmp_path / "site"
    build_site(root, articles=3)
    (root / "static" / "site.css").write_text(CSS)
    (root / "news" / "story-1.html").write_text(article_html(1, "Replayed harbour story"))
    db, warc_dir = tmp_path / "archive.db", tmp_path / "warc"
    with SiteServer(root) as server:
        page_url = server.url("/news/story-1.html")
        crawl = run_archiver("crawl", server.url("/"), "--db", str(db), "--warc-dir",
                             str(warc_dir), "--delay", "0", "-q", cwd=tmp_path)
        assert crawl.returncode == SITE_EXIT, crawl.stderr
    # the site is gone now
    with pytest.raises(OSError):
        urllib.request.urlopen(page_url, timeout=2)
    conn = sqlite3.connect(db)
    fetched = conn.execute("SELECT fetched_at FROM captures WHERE url = ?",
                           (page_url,)).fetchone()[0]
    captured = {u for (u,) in conn.execute("SELECT url FROM captures")}
    conn.close()
    assert any(u.endswith("/static/site.css") for u in captured)
    assert any(u.endswith("/static/logo.png") for u in captured)
    ts = "".join(c for c in fetched if c.isdigit())[:14]

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "archiver", "replay", "--warc-dir", str(warc_dir), "--port",
         str(port)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        replay_url = f"http://127.0.0.1:{port}/archive/{ts}/{page_url}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(replay_url, timeout=10) as resp:
                    assert resp.status == 200
                    break
            except OSError:
                assert proc.poll() is None, proc.communicate()[1]
                assert time.monotonic() < deadline, "replay did not come up"
                time.sleep(0.3)
        with chromium_page(tmp_path) as page:
            page.goto(replay_url, wait_until="load")
            page.wait_for_selector("text=Paragraph 0 of story 1.")
            assert "Replayed harbour story" in page.inner_text("h1")
            body_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
            h1_color = page.evaluate(
                "getComputedStyle(document.querySelector('h1')).color")
            assert body_bg == "rgb(250, 240, 200)"  # the captured stylesheet applied
            assert h1_color == "rgb(200, 100, 50)"
            loaded = page.evaluate(
                "Array.from(document.images).filter(i => i.src.includes('logo.png'))"
                ".map(i => i.complete && i.naturalWidth > 0)")
            assert loaded == [True]  # the captured image came from the archive
            save_screenshot(page, "replay-story-1")
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert proc.returncode in (0, -15), proc.stderr.read() if proc.stderr else ""


def test_replay_user_errors(tmp_path: Path) -> None:
    proc = run_archiver("replay", "--warc-dir", str(tmp_path / "missing"))
    assert proc.returncode == 1 and proc.stderr.startswith("error: ")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        (tmp_path / "warc").mkdir()
        proc = run_archiver("replay", "--warc-dir", str(tmp_path / "warc"), "--port",
                            str(port))
    assert proc.returncode == 1 and "cannot listen" in proc.stderr
    assert "Traceback" not in proc.stderr
