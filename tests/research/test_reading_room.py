"""The reading room of ``archiver serve``: search, document, diff, changes and sites
pages, as data (the Archive API underneath) and in real headless Chromium, with the
"archived page" button replayed by pywb (``archiver serve --replay``) after the site
is gone, JSON for every page, downloads, no-JavaScript use, a narrow screen, the
keyboard, and an axe-core accessibility check.  Screenshots go to test-artifacts/."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from archiver import Archive
from archiver.demo.server import SiteServer
from archiver.errors import ArchiveError, NotFound
from archiver.research import reading_room as rr
from tests.browser import chromium_page, save_screenshot
from tests.conftest import (
    ROOT,
    SITE_EXIT,
    article_html,
    build_site,
    free_port,
    run_archiver,
    site_routes,
)

pytestmark = pytest.mark.e2e

CHANGED_TITLE = "Story 2: the bridge vote"
UPDATE = "<p>Update: the council voted to approve the bridge plan.</p>"
AXE = ROOT / ".cache" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """An archive of two crawls of the test site (story 2 changes in between); the
    site's server is stopped afterwards."""
    root = tmp_path_factory.mktemp("site")
    build_site(root)
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
            "--quiet",
        ]
        first = run_archiver(*args, cwd=work)
        assert first.returncode == SITE_EXIT, first.stderr
        (root / "news" / "story-2.html").write_text(article_html(2, CHANGED_TITLE, extra=UPDATE))
        second = run_archiver(*args, cwd=work)
        assert second.returncode == SITE_EXIT, second.stderr
        info = {
            "db": db,
            "warc_dir": warc_dir,
            "work": work,
            "story2": server.url("/news/story-2.html"),
            "site": server.url("/").split("//")[1].rstrip("/"),
        }
    return info


@pytest.fixture(scope="module")
def archive(room: Any) -> Any:
    with Archive(room["db"], room["warc_dir"]) as a:
        yield a


def args(**values: Any) -> dict[str, list[str]]:
    return {k: v if isinstance(v, list) else [str(v)] for k, v in values.items()}


# -- the pages as data --------------------------------------------------------------
def test_search_page_ranks_like_archive_search_with_facets(archive: Any, room: Any) -> None:
    params = rr.SearchParams.parse(args(q="bridge"))
    page = rr.search_page(archive, params)
    assert [r["id"] for r in page["results"]] == [h.id for h in archive.search("bridge")]
    assert page["results"][0]["title"] == CHANGED_TITLE
    assert page["total"] == archive.count("bridge")
    body_hit = next(r for r in page["results"] if "<mark>" in r["snippet_html"])
    assert "<mark>bridge</mark>" in body_hit["snippet_html"].lower()
    facets = {f["name"]: {v["value"]: v["count"] for v in f["values"]} for f in page["facets"]}
    assert facets["site"] == {room["site"]: page["total"]}
    assert facets["lang"] == {"en": page["total"]}
    assert set(facets["type"]) <= {"article", "listing", "other"}
    assert "2026-10" in facets["month"]
    # a facet combines with the query; its link removes it again
    narrowed = rr.search_page(
        archive, rr.SearchParams.parse(args(q="bridge", type="article", month="2026-10"))
    )
    assert 0 < narrowed["total"] <= page["total"]
    assert all(r["page_type"] == "article" for r in narrowed["results"])
    type_facet = next(f for f in narrowed["facets"] if f["name"] == "type")
    chosen = next(v for v in type_facet["values"] if v["selected"])
    assert chosen["href"] == "/?q=bridge&month=2026-10"
    assert narrowed["exports"]["csv"] == (
        "/-/archiver/export.csv?q=bridge&type=article&month=2026-10"
    )


def test_search_page_paging_browsing_and_errors(archive: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(rr, "PAGE_SIZE", 3)
    first = rr.search_page(archive, rr.SearchParams.parse(args(q="story")))
    second = rr.search_page(archive, rr.SearchParams.parse(args(q="story", page=2)))
    assert first["next"] == "/?q=story&page=2" and first["previous"] is None
    assert second["previous"] == "/?q=story" and second["first"] == 4
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}
    assert [r["id"] for r in first["results"] + second["results"]] == [
        h.id for h in archive.search("story", limit=6)
    ]
    browse = rr.search_page(archive, rr.SearchParams.parse({}))
    assert browse["query"] is None and browse["total"] == archive.count()
    assert [r["id"] for r in browse["results"]] == sorted(
        (r["id"] for r in browse["results"]), reverse=True
    )
    with pytest.raises(ArchiveError, match="unbalanced quote"):
        rr.search_page(archive, rr.SearchParams.parse(args(q='"open')))
    for bad in (args(month="May"), args(type="poem"), args(since="yesterday")):
        with pytest.raises(ArchiveError):
            rr.SearchParams.parse(bad)


def test_document_diff_changes_and_sites_pages(archive: Any, room: Any) -> None:
    versions = archive.versions(room["story2"])
    assert len(versions) == 2
    page = rr.document_page(archive, versions[1].id, replay_url="http://127.0.0.1:8080/archive/")
    assert page["document"]["title"] == CHANGED_TITLE and page["version"] == 2
    assert page["paragraphs"][-1] == "Update: the council voted to approve the bridge plan."
    assert page["previous_id"] == versions[0].id
    assert page["diff_href"] == f"/-/archiver/diff?from={versions[0].id}&to={versions[1].id}"
    assert page["record_href"] == f"/-/archiver/record/{versions[1].capture_id}"
    stamp = "".join(c for c in versions[1].fetched_at if c.isdigit())[:14]
    assert page["replay_href"] == f"http://127.0.0.1:8080/archive/{stamp}/{room['story2']}"
    assert [c["id"] for c in page["captures"]] == [c.id for c in archive.captures(room["story2"])]
    assert rr.document_page(archive, versions[0].id)["replay_href"] is None  # no replay
    with pytest.raises(NotFound):
        rr.document_page(archive, 999_999)

    diff = rr.diff_page(archive, args(to=versions[1].id))  # default: the previous version
    assert (diff["from"]["id"], diff["to"]["id"]) == (versions[0].id, versions[1].id)
    assert {"op": "+", "text": "bridge vote"} in diff["title"]
    assert diff["words_added"] > 0 and diff["title_changed"]
    same = rr.diff_page(archive, args(**{"from": versions[1].id, "to": versions[0].id}))
    assert (same["from"]["id"], same["to"]["id"]) == (versions[0].id, versions[1].id)
    for bad in (args(), args(to="x")):
        with pytest.raises(ArchiveError):
            rr.diff_page(archive, bad)

    changes = rr.changes_page(archive, {})
    assert [c["url"] for c in changes["changes"]] == [room["story2"]]
    assert changes["changes"][0]["diff_href"] == diff_href(versions)
    assert rr.changes_page(archive, args(site="elsewhere.example"))["changes"] == []
    assert rr.changes_page(archive, args(until="2001"))["changes"] == []

    sites = rr.sites_page(archive)["sites"]
    assert [s["site"] for s in sites] == [room["site"]]
    crawls = sites[0]["crawls"]
    assert [c["crawl"] for c in crawls] == sorted((c["crawl"] for c in crawls), reverse=True)
    newest, oldest = crawls[0], crawls[-1]
    assert oldest["new_articles"] >= 8 and oldest["changed_articles"] == 0
    assert newest["changed_articles"] == 1 and newest["new_articles"] == 0
    assert oldest["errors"] >= 2 and oldest["pages"] > 10  # the 404 and 500 pages


def diff_href(versions: list[Any]) -> str:
    return f"/-/archiver/diff?from={versions[0].id}&to={versions[1].id}"


# -- the server -------------------------------------------------------------------------
def get(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status, resp.read(), resp.headers.get("content-type", "")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers.get("content-type", "")


def start_serve(room: Any, *extra: str) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "archiver",
            "serve",
            "--db",
            str(room["db"]),
            "--warc-dir",
            str(room["warc_dir"]),
            "--port",
            str(port),
            *extra,
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        if proc.poll() is not None:
            raise AssertionError(f"serve exited: {proc.communicate()[1]}")
        try:
            with urllib.request.urlopen(f"{base}/-/versions.json", timeout=2):
                return proc, base
        except OSError:
            assert time.monotonic() < deadline, "serve did not come up"
            time.sleep(0.3)


def stop(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise


def axe_check(page: Any, name: str) -> list[dict[str, Any]]:
    """Run axe-core in the page; return its violations (critical ones fail the test)."""
    if not AXE.is_file():
        if os.environ.get("CI"):
            pytest.fail("axe-core is not installed (.ci/services installs it)")
        pytest.skip("axe-core is not installed (bash .ci/axecore)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    violations = [
        {"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"]), "help": v["help"]}
        for v in result["violations"]
    ]
    critical = [v for v in violations if v["impact"] == "critical"]
    assert not critical, f"{name}: critical accessibility errors: {critical}"
    return violations


def test_reading_room_in_chromium(room: Any, tmp_path: Path) -> None:
    """Search a word, open the first result, read its text, open the archived page
    (pywb, started by --replay, the site gone), open the diff of the changed article;
    JSON, downloads, no JavaScript, a narrow screen, the keyboard, axe-core."""
    with pytest.raises(OSError):
        urllib.request.urlopen(room["story2"], timeout=2)  # the site is gone
    proc, base = start_serve(room, "--replay", "--replay-port", str(free_port()))
    accessibility: dict[str, list[dict[str, Any]]] = {}
    try:
        with chromium_page(tmp_path) as page:
            # search from the home page, by keyboard: "/" focuses the box
            page.goto(base + "/")
            assert page.title().startswith("Search the archive")
            accessibility["home"] = axe_check(page, "home")
            page.keyboard.press("/")
            page.keyboard.type("approve bridge")
            page.keyboard.press("Enter")
            page.wait_for_url("**q=approve+bridge**")
            first = page.locator("ol.results li h3 a").first
            assert first.inner_text() == CHANGED_TITLE
            assert "<mark>" in page.inner_html("ol.results")
            assert page.locator("aside.facets a", has_text=room["site"]).count() == 1
            save_screenshot(page, "reading-room-search")
            accessibility["search"] = axe_check(page, "search")
            # a facet narrows the results and keeps the query
            page.locator("aside.facets a", has_text="article").first.click()
            page.wait_for_url("**type=article**")
            assert "q=approve+bridge" in page.url
            assert page.locator("ol.results li").count() == 1

            # the first result, opened from the keyboard
            first = page.locator("ol.results li h3 a").first
            first.focus()
            page.keyboard.press("Enter")
            page.wait_for_url("**/-/archiver/document/**")
            assert page.inner_text("h1") == CHANGED_TITLE
            text = page.inner_text("article .text")
            assert "Update: the council voted to approve the bridge plan." in text
            assert "Paragraph 0 of story 2." in text
            assert "Share on Facebook" not in text  # the clean text, no boilerplate
            facts = page.inner_text("dl.facts")
            assert "Published" in facts and "Fetched" in facts and "2 of 2" in facts
            assert (
                page.locator("section", has_text="Captures of this URL").locator("tbody tr").count()
                == 2
            )
            save_screenshot(page, "reading-room-document")
            accessibility["document"] = axe_check(page, "document")
            record = page.locator("a.button", has_text="WARC record").get_attribute("href")
            status, body, _ = get(base + record)
            assert status == 200 and body.startswith(b"WARC/1.1\r\nWARC-Type: response")
            doc_url = page.url

            # the archived page, replayed by pywb from the WARC files
            replay = page.locator("a.button", has_text="Archived page")
            assert replay.get_attribute("href").endswith("/news/story-2.html")
            replay.click()
            page.wait_for_selector("text=Update: the council voted to approve the bridge plan.")
            assert CHANGED_TITLE in page.inner_text("h1")
            save_screenshot(page, "reading-room-archived-page")

            # the diff of the changed article, from the changes page
            page.goto(base + "/-/archiver/changes")
            assert page.locator("tbody tr").count() == 1
            save_screenshot(page, "reading-room-changes")
            accessibility["changes"] = axe_check(page, "changes")
            page.locator("a", has_text="see the changes").click()
            page.wait_for_url("**/-/archiver/diff?**")
            inserted = page.locator("section.diff ins").all_inner_texts()
            removed = page.locator("section.diff del").all_inner_texts()
            assert "bridge vote" in inserted and "river question" in removed
            assert any("approve the bridge plan" in t for t in inserted)
            save_screenshot(page, "reading-room-diff")
            accessibility["diff"] = axe_check(page, "diff")

            page.goto(base + "/-/archiver/sites")
            assert room["site"] in page.inner_text("h2")
            save_screenshot(page, "reading-room-sites")
            accessibility["sites"] = axe_check(page, "sites")
            page.locator("a", has_text="Search this site").click()
            page.wait_for_url("**site=**")
            assert page.locator("ol.results li").count() > 5

            # a narrow screen: nothing wider than the viewport
            page.set_viewport_size({"width": 360, "height": 740})
            for path in ("/?q=bridge", doc_url.removeprefix(base), "/-/archiver/changes"):
                page.goto(base + path)
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 0, f"{path} is {overflow}px wider than a phone screen"
            page.goto(base + "/?q=bridge")
            save_screenshot(page, "reading-room-search-narrow")
            page.goto(doc_url)
            save_screenshot(page, "reading-room-document-narrow")

            # without JavaScript: search, open, compare
            context = page.context.browser.new_context(java_script_enabled=False)
            nojs = context.new_page()
            nojs.goto(base + "/")
            nojs.fill("#q", "bridge")
            nojs.click("form.search button")
            nojs.wait_for_url("**q=bridge**")
            nojs.locator("ol.results li h3 a").first.click()
            nojs.wait_for_url("**/-/archiver/document/**")
            nojs.click("form.compare button")
            nojs.wait_for_url("**/-/archiver/diff?**")
            assert nojs.locator("section.diff ins").count() > 0
            context.close()
        (ROOT / "test-artifacts").mkdir(exist_ok=True)
        (ROOT / "test-artifacts" / "reading-room-axe.json").write_text(
            json.dumps(accessibility, indent=2)
        )

        # every page as JSON
        status, body, ctype = get(base + "/-/archiver/search.json?q=bridge&type=article")
        data = json.loads(body)
        assert status == 200 and ctype.startswith("application/json") and data["ok"]
        assert data["results"][0]["title"] == CHANGED_TITLE
        doc_id = data["results"][0]["id"]
        doc = json.loads(get(f"{base}/-/archiver/document/{doc_id}.json")[1])
        assert doc["document"]["id"] == doc_id and len(doc["versions"]) == 2
        assert doc["replay_href"].startswith("http://127.0.0.1:")
        diff = json.loads(get(f"{base}/-/archiver/diff.json?to={doc_id}")[1])
        assert diff["words_added"] > 0
        changes = json.loads(get(base + "/-/archiver/changes.json")[1])
        assert len(changes["changes"]) == 1
        sites = json.loads(get(base + "/-/archiver/sites.json")[1])
        assert sites["sites"][0]["site"] == room["site"]
        status, body, _ = get(base + "/-/archiver/search.json?q=%22open")
        assert status == 400 and "unbalanced quote" in json.loads(body)["error"]
        status, body, _ = get(base + "/?q=%22open")
        assert status == 400 and b"unbalanced quote" in body
        assert get(base + "/-/archiver/document/999999")[0] == 404
        # Datasette's own tables and JSON API are still there
        status, body, _ = get(base + "/archive/documents.json?_shape=array&_size=1")
        assert status == 200 and len(json.loads(body)) == 1

        # downloads: the search's documents with the same filters
        query = "?q=bridge&type=article"
        status, body, ctype = get(base + "/-/archiver/export.csv" + query)
        rows = list(csv.DictReader(io.StringIO(body.decode())))
        assert status == 200 and ctype.startswith("text/csv")
        assert {int(r["id"]) for r in rows} == {r["id"] for r in data["results"]} and rows[0][
            "text"
        ]
        lines = get(base + "/-/archiver/export.jsonl" + query)[1].decode().splitlines()
        assert len(lines) == len(rows)
        table = pq.read_table(io.BytesIO(get(base + "/-/archiver/export.parquet" + query)[1]))
        assert table.num_rows == len(rows)
        assert get(base + "/-/archiver/export.csv?month=May")[0] == 400
    finally:
        stop(proc)
    for port_base in (base, doc["replay_href"].split("/archive/")[0]):
        with pytest.raises(OSError):  # both servers stopped
            urllib.request.urlopen(port_base + "/", timeout=2)
    for name in (
        "search",
        "document",
        "archived-page",
        "changes",
        "diff",
        "sites",
        "search-narrow",
    ):
        assert (ROOT / "test-artifacts" / f"reading-room-{name}.png").stat().st_size > 5000


def test_serve_without_replay_hides_the_archived_page_button(room: Any) -> None:
    proc, base = start_serve(room)
    try:
        data = json.loads(get(base + "/-/archiver/search.json?q=bridge")[1])
        status, body, _ = get(f"{base}/-/archiver/document/{data['results'][0]['id']}")
        assert status == 200 and b"WARC record" in body and b"Archived page" not in body
    finally:
        stop(proc)


def test_serve_replay_user_errors(room: Any, tmp_path: Path) -> None:
    both = run_archiver(
        "serve",
        "--db",
        str(room["db"]),
        "--replay",
        "--replay-url",
        "http://127.0.0.1:8080/archive/",
    )
    assert both.returncode == 1 and both.stderr.startswith("error: ")
    missing = run_archiver(
        "serve", "--db", str(room["db"]), "--warc-dir", str(tmp_path / "nowhere"), "--replay"
    )
    assert missing.returncode == 1 and "does not exist" in missing.stderr
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = run_archiver(
            "serve",
            "--db",
            str(room["db"]),
            "--warc-dir",
            str(room["warc_dir"]),
            "--replay",
            "--replay-port",
            str(busy.getsockname()[1]),
        )
    assert taken.returncode == 1 and "cannot listen" in taken.stderr
    for proc in (both, missing, taken):
        assert "Traceback" not in proc.stderr


def test_sites_page_of_an_archive_from_before_the_failures_table(tmp_path: Path) -> None:
    """Reading never writes: an archive of schema 2 (no failures table yet) is read as it
    is, and its sites page lists its sites without per-crawl errors."""
    import sqlite3

    from archiver import store

    path = tmp_path / "old.db"
    store.open_db(path).close()
    conn = sqlite3.connect(path)
    conn.execute("DROP VIEW IF EXISTS job_runs")
    conn.execute("DROP TABLE failures")
    conn.execute("DELETE FROM schema_migrations WHERE version > 2")
    conn.execute("INSERT INTO crawls (id, started_at, status) VALUES (1, '2026-11-01', 'ok')")
    conn.execute(
        "INSERT INTO captures (id, crawl_id, url, site, warc_record_id) "
        "VALUES (1, 1, 'https://example.org/a', 'example.org', '<urn:uuid:a>')"
    )
    conn.execute(
        "INSERT INTO documents (id, capture_id, url, site, title, text, page_type) VALUES "
        "(1, 1, 'https://example.org/a', 'example.org', 'Harbour', 'harbour news', 'article')"
    )
    conn.commit()
    conn.close()
    with Archive(path) as old:
        sites = rr.sites_page(old)["sites"]
    assert [(s["site"], s["articles"]) for s in sites] == [("example.org", 1)]
    assert [c.get("errors", 0) for c in sites[0]["crawls"]] == [0]
