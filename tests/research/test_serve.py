"""``archiver serve``: Datasette over a crawled archive, driven in real headless Chromium."""

from __future__ import annotations

import hashlib
import json
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from archiver.research.serve import build_metadata
from tests.browser import chromium_page, save_screenshot
from tests.conftest import ROOT, SITE_EXIT, free_port

pytestmark = pytest.mark.e2e


def wait_until_up(url: str, proc: subprocess.Popen[Any], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {proc.stderr.read() if proc.stderr else ''}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer in {timeout} s")


def archive_state(db: Path) -> str:
    """A digest of everything SQLite keeps of ``db``: the file and its WAL (a missing WAL
    and an empty one are the same state)."""
    digest = hashlib.sha256()
    for path in (db, Path(f"{db}-wal")):
        digest.update(path.read_bytes() if path.exists() else b"")
        digest.update(b"\0")
    return digest.hexdigest()


def test_metadata_is_ready_to_use(tmp_path: Path) -> None:
    meta = build_metadata(tmp_path / "news.db", tmp_path / "warc", "http://127.0.0.1:8080/archive/")
    db = meta["databases"]["news"]
    docs = db["tables"]["documents"]
    assert docs["fts_table"] == "documents_fts" and docs["fts_pk"] == "id"
    assert {"site", "language", "page_type"} <= set(docs["facets"])
    assert "published_month" in db["tables"]["document_list"]["facets"]
    assert {
        "latest_articles",
        "changed_articles",
        "captures_by_status",
        "site_crawl_history",
    } <= set(db["queries"])
    assert db["tables"]["document_list"]["columns"]["published"]
    assert docs["columns"]["capture_id"]
    assert meta["plugins"]["archiver"]["replay_url"] == "http://127.0.0.1:8080/archive/"


def test_serve_search_in_chromium(site: Any, crawl: Any, tmp_path: Path) -> None:
    run = crawl(site.url("/"))
    assert run.returncode == SITE_EXIT, run.stderr
    port = free_port()
    before = archive_state(run.db)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "archiver",
            "serve",
            "--db",
            str(run.db),
            "--warc-dir",
            str(run.warc_dir),
            "--port",
            str(port),
            "--replay-url",
            "http://127.0.0.1:8080/archive/",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/-/versions.json", proc)
        with chromium_page(tmp_path) as page:
            page.goto(f"{base}/archive/documents")
            page.fill("input[name=_search]", "gzipped")
            page.press("input[name=_search]", "Enter")
            page.wait_for_url("**_search=gzipped**")
            page.wait_for_selector("table.rows-and-columns")
            body = page.inner_text("body")
            assert "Gzipped story" in body
            assert "Story 1: the budget question" not in body
            assert "1 row where search matches" in body
            save_screenshot(page, "serve-search")
            record_link = page.locator("a", has_text="WARC record").first
            href = record_link.get_attribute("href")
            assert href and href.startswith("/-/archiver/record/")
            replay = page.locator("a", has_text="replay").first.get_attribute("href")
            assert replay and replay.startswith("http://127.0.0.1:8080/archive/2")
            assert replay.endswith("/gz.html")
            with urllib.request.urlopen(base + href) as resp:  # may hold binary payloads
                assert resp.read().startswith(b"WARC/1.1\r\nWARC-Type: response")
            page.goto(f"{base}/archive/document_list?_facet=published_month")
            assert "2026-10" in page.inner_text("body")
            page.goto(f"{base}/archive/latest_articles")
            assert "Gzipped story" in page.inner_text("body")
            assert "Headline" in page.inner_text("thead")
            assert page.locator("a", has_text="WARC record").count() >= 8
        with urllib.request.urlopen(f"{base}/archive/captures_by_status.json?_shape=array") as r:
            statuses = {row["HTTP status"] for row in json.load(r)}
        assert {200, 404, 500} <= statuses
        with urllib.request.urlopen(
            f"{base}/archive/site_crawl_history.json?_shape=array&site="
            + site.url("/").split("//")[1].rstrip("/")
        ) as r:
            history = json.load(r)
        assert len(history) == 1 and history[0]["Captures"] > 10
        # read-only: serving and browsing (searches, facets, canned queries, raw
        # records) left the archive exactly as it was
        assert archive_state(run.db) == before
        # ... without holding it: a crawl can write meanwhile (no lock is held), and the
        # web interface shows the new row at once (a live read-only view, not a copy)
        with sqlite3.connect(run.db, timeout=10) as conn:
            conn.execute("BEGIN IMMEDIATE")
            new_id = conn.execute(
                "INSERT INTO crawls (started_at, status) VALUES ('2030-01-01T00:00:00Z', 'ok')"
            ).lastrowid
        conn.close()
        with urllib.request.urlopen(
            f"{base}/archive/crawls.json?_shape=array&_sort_desc=id&_size=1"
        ) as r:
            assert json.load(r)[0]["id"] == new_id
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{base}/-/versions.json", timeout=2)  # the child stopped too
    assert (ROOT / "test-artifacts" / "serve-search.png").stat().st_size > 5000
