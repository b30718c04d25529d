"""End to end: the real ``archiver scheduler`` process runs a short-interval job
twice against a local site whose articles change between runs, then stops on
SIGTERM."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from archiver.demo.server import SiteServer, slow
from tests.conftest import ROOT, article_html, run_archiver


def finished_runs(db: Path) -> list[tuple[int, str]]:
    if not db.exists():
        return []
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT crawl_id, status FROM job_runs WHERE status != 'running' ORDER BY crawl_id"
        ).fetchall()
    except sqlite3.OperationalError:
        return []
    finally:
        conn.close()


def wait_for(predicate: Any, timeout: float, what: str, log: Path) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}; scheduler log:\n{log.read_text()}")


def test_scheduler_runs_a_job_twice_and_stops_on_sigterm(site: Any, tmp_path: Path) -> None:
    db, warc = tmp_path / "archive.db", tmp_path / "warc"
    added = run_archiver(
        "jobs",
        "add",
        "local",
        "--seed",
        site.url("/"),
        "--feed",
        site.url("/feed.xml"),
        "--every",
        "4s",
        "--revisit-schedule",
        "1s",
        "--db",
        str(db),
        "--warc-dir",
        str(warc),
        "--delay",
        "0",
        "--concurrency",
        "8",
        cwd=tmp_path,
    )
    assert added.returncode == 0, added.stderr
    log = tmp_path / "scheduler.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "archiver", "scheduler", "--db", str(db), "--tick", "0.2"],
            cwd=tmp_path,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            first = wait_for(lambda: finished_runs(db), 60, "the first run", log)
            # change one article between the runs
            story = site.root / "news" / "story-2.html"
            story.write_text(
                article_html(
                    2,
                    extra="<p>Update: the council reversed its decision on the bridge late on "
                    "Wednesday evening after a long and heated debate.</p>",
                )
            )
            wait_for(lambda: len(finished_runs(db)) >= 2, 60, "the second run", log)
        finally:
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=60)
    text = log.read_text()
    assert code == 0, text
    # the test site links to 404 pages and a 500 page: each run finishes "partial"
    assert "start job local" in text and "end job local: partial" in text
    assert "scheduler stopped" in text
    assert "Traceback" not in text
    assert first[0][1] == "partial"
    assert not list(warc.glob("*.open")), "a WARC file was left open"

    conn = sqlite3.connect(db)
    runs = conn.execute(
        "SELECT crawl_id, status, new_articles, changed_articles, unchanged "
        "FROM job_runs ORDER BY crawl_id"
    ).fetchall()
    assert [r[1] for r in runs[:2]] == ["partial", "partial"], runs
    assert all(r[1] in ("partial", "interrupted") for r in runs), runs
    first_id, second_id = runs[0][0], runs[1][0]
    assert runs[0][2] >= 6  # the first run found the articles
    assert runs[1][2] == 0 and runs[1][3] == 1  # no new article, one changed
    changed = site.url("/news/story-2.html")
    versions = conn.execute("SELECT count(*) FROM documents WHERE url = ?", (changed,)).fetchone()
    assert versions == (2,)
    # unchanged articles: conditional requests answered 304, captured, no new document
    rows = conn.execute(
        "SELECT url, status FROM captures WHERE crawl_id = ? AND url LIKE '%/news/story-%'",
        (second_id,),
    ).fetchall()
    statuses = dict(rows)
    assert statuses[changed] == 200
    unchanged = [u for u, s in statuses.items() if u != changed]
    assert unchanged and all(statuses[u] == 304 for u in unchanged), statuses
    for url in unchanged:
        assert conn.execute("SELECT count(*) FROM documents WHERE url = ?", (url,)).fetchone() == (
            1,
        )
    requests = [r for r in site.server.requests if r.path.startswith("/news/story-")]
    conditional = [r for r in requests if r.headers.get("If-None-Match")]
    assert conditional, "no conditional request was sent"
    assert first_id < second_id
    shown = run_archiver("jobs", "show", "local", "--db", str(db), cwd=tmp_path)
    assert shown.returncode == 0 and "partial" in shown.stdout
    assert "http://" in shown.stdout and "sources (adaptive polling)" in shown.stdout


def test_scheduler_once_runs_due_jobs_and_exits(site: Any, tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    for name, extra in (("due", []), ("paused", ["--paused"])):
        added = run_archiver(
            "jobs",
            "add",
            name,
            "--seed",
            site.url("/"),
            "--every",
            "1h",
            "--db",
            str(db),
            "--warc-dir",
            str(tmp_path / "warc"),
            "--delay",
            "0",
            "--max-pages",
            "3",
            *extra,
            cwd=tmp_path,
        )
        assert added.returncode == 0, added.stderr
    proc = subprocess.run(
        [sys.executable, "-m", "archiver", "scheduler", "--once", "--db", str(db)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert proc.returncode == 0, proc.stderr
    assert "start job due" in proc.stderr and "end job due: ok" in proc.stderr
    assert "job paused" not in proc.stderr
    again = subprocess.run(
        [sys.executable, "-m", "archiver", "scheduler", "--once", "--db", str(db)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert again.returncode == 0 and "start job" not in again.stderr  # not due again yet
    listing = run_archiver("jobs", "list", "--db", str(db), cwd=ROOT)
    assert "due" in listing.stdout and " ok " in listing.stdout


def test_sigterm_interrupts_a_running_crawl_cleanly(tmp_path: Path) -> None:
    root = tmp_path / "site"
    root.mkdir()
    links = "".join(f'<a href="/slow-{n}.html">slow {n}</a>' for n in range(30))
    (root / "index.html").write_text(f"<html><body>{links}</body></html>")
    routes = {f"/slow-{n}.html": slow(0.5, article_html(n)) for n in range(30)}
    db, warc = tmp_path / "archive.db", tmp_path / "warc"
    with SiteServer(root, routes=routes) as server:
        added = run_archiver(
            "jobs",
            "add",
            "slowjob",
            "--seed",
            server.url("/"),
            "--every",
            "1h",
            "--db",
            str(db),
            "--warc-dir",
            str(warc),
            "--delay",
            "0",
            "--concurrency",
            "2",
            "--no-requisites",
            cwd=tmp_path,
        )
        assert added.returncode == 0, added.stderr
        log = tmp_path / "scheduler.log"
        with log.open("w") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "archiver", "scheduler", "--db", str(db), "--tick", "0.2"],
                cwd=tmp_path,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
            try:
                wait_for(lambda: len(server.fetched()) >= 4, 60, "the crawl to start", log)
            finally:
                proc.send_signal(signal.SIGTERM)
                code = proc.wait(timeout=60)
    text = log.read_text()
    assert code == 0, text
    assert "end job slowjob: interrupted" in text, text
    assert not list(warc.glob("*.open"))
    assert list(warc.glob("*.warc.gz"))
    conn = sqlite3.connect(db)
    (row,) = conn.execute("SELECT status, pages FROM job_runs").fetchall()
    assert row[0] == "interrupted" and 0 < row[1] < 31
    assert conn.execute("SELECT count(*) FROM job_locks").fetchone() == (0,)
