"""Crash safety of crawls: one writer at a time, nothing outlives a crawl, crash debris
repaired.  Real crawls of the local test site in subprocesses, real signals."""

from __future__ import annotations

import json
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from archiver.store import lock
from tests.conftest import ROOT, SITE_EXIT, descendants, lock_held_elsewhere, run_archiver

pytestmark = pytest.mark.e2e


def count(db: Path, sql: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


def captured(db: Path) -> int:
    """Captures committed so far (0 while the archive is being created)."""
    try:
        return count(db, "SELECT count(*) FROM captures") if db.exists() else 0
    except sqlite3.Error:
        return 0


def start_crawl(
    url: str, db: Path, warc: Path, *extra: str, delay: str = "0.2"
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "archiver",
            "crawl",
            url,
            "--db",
            str(db),
            "--warc-dir",
            str(warc),
            "--delay",
            delay,
            "--quiet",
            *extra,
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(predicate: Any, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.1)


def lock_says(db: Path) -> dict[str, Any]:
    return lock.read_holder(lock.lock_path(db))


def test_second_crawl_is_refused_before_writing_anything(site: Any, tmp_path: Path) -> None:
    db, warc = tmp_path / "a.db", tmp_path / "w"
    first = start_crawl(site.url("/"), db, warc)
    try:
        wait_for(lambda: lock_says(db).get("crawl_id"))
        crawls_before = count(db, "SELECT count(*) FROM crawls")
        files_before = sorted(p.name for p in tmp_path.rglob("*"))
        other_warc = tmp_path / "w2"
        second = run_archiver(
            "crawl",
            site.url("/"),
            "--db",
            str(db),
            "--warc-dir",
            str(other_warc),
            "--delay",
            "0",
            cwd=tmp_path,
        )
        assert second.returncode == 1
        lines = second.stderr.strip().splitlines()
        assert len(lines) == 1, second.stderr
        holder = lock_says(db)
        assert lines[0].startswith("error: archive ")
        assert (
            f"crawl {holder['crawl_id']} (pid {first.pid} on {socket.gethostname()}, "
            f"since {holder['since']})"
        ) in lines[0]
        # no row, no file: not even the second crawl's WARC folder
        assert count(db, "SELECT count(*) FROM crawls") == crawls_before
        assert not other_warc.exists()
        # (the first crawl's WARC files and SQLite's -wal/-shm files come and go)
        files_after = {
            p.name
            for p in tmp_path.rglob("*")
            if not p.name.endswith(("-wal", "-shm")) and p.parent != warc
        }
        assert files_after <= set(files_before)
    finally:
        first.wait(timeout=120)
        first.communicate()
    assert first.returncode == SITE_EXIT
    assert not lock.lock_path(db).exists()  # released at the end
    verify = run_archiver("verify", "--db", str(db), "--warc-dir", str(warc))
    assert verify.returncode == 0, verify.stdout  # no orphan robots.txt record


def test_lock_held_by_another_process_refuses_crawl(site: Any, tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with lock_held_elsewhere(db) as proc:
        run = run_archiver(
            "crawl", site.url("/"), "--db", str(db), "--warc-dir", str(tmp_path / "w"), cwd=tmp_path
        )
    assert run.returncode == 1
    assert f"pid {proc.pid} on " in run.stderr and "since" in run.stderr
    assert not db.exists() and not (tmp_path / "w").exists()


def test_scrapy_crawl_news_respects_the_lock(site: Any, tmp_path: Path) -> None:
    db, warc = tmp_path / "s.db", tmp_path / "w"
    with lock.acquire(db):
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "scrapy.cmdline",
                "crawl",
                "news",
                "-a",
                f"seeds={site.url('/')}",
                "-s",
                f"ARCHIVER_DB={db}",
                "-s",
                f"ARCHIVER_WARC_DIR={warc}",
                "-s",
                "DOWNLOAD_DELAY=0",
                "-s",
                "LOG_LEVEL=ERROR",
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
    assert "being written by" in proc.stderr
    assert not warc.exists()
    assert not db.exists() or count(db, "SELECT count(*) FROM crawls") == 0


def test_killed_crawl_leaves_no_process_and_its_lock_is_taken_over(
    site: Any, tmp_path: Path
) -> None:
    db, warc = tmp_path / "a.db", tmp_path / "w"
    before = descendants()
    proc = start_crawl(site.url("/"), db, warc, delay="0.3")
    wait_for(lambda: lock_says(db).get("crawl_id"))
    wait_for(lambda: len(site.server.requests) >= 3)
    # the crawl's extraction workers are running
    workers = [
        p for p, cmd in descendants().items() if p not in before and "multiprocessing" in cmd
    ]
    assert workers
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    # the workers notice their parent is gone and exit on their own
    wait_for(lambda: not [p for p in workers if p in descendants()], timeout=20)
    data = json.loads(lock.lock_path(db).read_text())
    assert data["pid"] == proc.pid  # the dead crawl's lock file is still there
    again = start_crawl(site.url("/"), db, warc, delay="0")
    _out, err = again.communicate(timeout=120)
    assert again.returncode == SITE_EXIT, err
    assert not lock.lock_path(db).exists()
    assert count(db, "SELECT count(*) FROM crawls") == 2


def test_killed_crawl_repaired_verify_clean(site: Any, tmp_path: Path) -> None:
    """SIGKILL in the middle of a crawl, then `archiver repair`: every file closed,
    every record has its row, the crawl is `interrupted`, `verify` is clean."""
    db, warc = tmp_path / "a.db", tmp_path / "w"
    proc = start_crawl(site.url("/"), db, warc, delay="0.1")
    wait_for(lambda: captured(db) >= 4)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    assert list(warc.glob("*.open"))
    broken = run_archiver("verify", "--db", str(db), "--warc-dir", str(warc))
    assert broken.returncode == 1
    repaired = run_archiver("repair", "--db", str(db), "--warc-dir", str(warc))
    assert repaired.returncode == 0, repaired.stderr
    assert not list(warc.glob("*.open"))
    verify = run_archiver("verify", "--db", str(db), "--warc-dir", str(warc))
    assert verify.returncode == 0, verify.stdout
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT status FROM crawls").fetchall() == [("interrupted",)]
    finally:
        conn.close()


# -- resume ---------------------------------------------------------------------------
@pytest.fixture
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The test site with 40 articles: long enough to be killed in the middle."""
    from archiver.demo.server import SiteServer
    from tests.conftest import Site, build_site, site_routes

    root = tmp_path_factory.mktemp("bigsite")
    info = build_site(root, articles=40)
    with SiteServer(root, routes=site_routes()) as server:
        yield Site(server, root, info)


def articles(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return dict(
            conn.execute(
                "SELECT url, count(*) FROM documents WHERE url LIKE '%/news/story-%' GROUP BY url"
            ).fetchall()
        )
    finally:
        conn.close()


#: requests in flight of the killed crawl (its --concurrency; the site is one site)
IN_FLIGHT = 4


@pytest.mark.parametrize("kill_after", [3, 30])
def test_kill_and_resume_loses_nothing(big_site: Any, tmp_path: Path, kill_after: int) -> None:
    """SIGKILL after some captures, then --resume: every article exactly once, verify
    clean, refetches bounded by what was in flight."""
    db, warc = tmp_path / "a.db", tmp_path / "w"
    url = big_site.url("/")
    proc = start_crawl(url, db, warc, "--concurrency", str(IN_FLIGHT), delay="0.02")
    wait_for(lambda: captured(db) >= kill_after)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    fetched_before = len(big_site.server.requests)
    plain = run_archiver(
        "crawl",
        url,
        "--db",
        str(db),
        "--warc-dir",
        str(warc),
        "--resume",
        "--delay",
        "0",
        "-q",
        cwd=tmp_path,
    )
    assert plain.returncode == SITE_EXIT, plain.stderr
    assert "Traceback" not in plain.stderr
    paths = [r.path for r in big_site.server.requests]
    again = [
        p for p in set(paths[fetched_before:]) if p in paths[:fetched_before] and p != "/robots.txt"
    ]
    # at most the requests in flight (--concurrency 4, one site): what was answered
    # and archived is read from its record (with the rows the repair gives the dead
    # run's last records), not fetched again
    assert len(again) <= IN_FLIGHT, again
    docs = articles(db)
    if len(docs) != 40:
        names = {u.rsplit("/", 1)[1] for u in docs}
        lost = [f"story-{n}.html" for n in range(1, 41) if f"story-{n}.html" not in names]
        conn = sqlite3.connect(db)
        detail = [
            conn.execute(
                "SELECT id, status, record_type, revisit_of, mime_type FROM "
                "captures WHERE url LIKE ?",
                ("%/" + n,),
            ).fetchall()
            + conn.execute("SELECT * FROM frontier WHERE url LIKE ?", ("%/" + n,)).fetchall()
            + conn.execute(
                "SELECT url, cause FROM failures WHERE url LIKE ?", ("%/" + n,)
            ).fetchall()
            for n in lost
        ]
        conn.close()
        pytest.fail(
            f"lost {lost}: {detail}; server saw "
            f"{[r.path for r in big_site.server.requests if r.path.endswith(lost[0])]}"
        )
    assert set(docs.values()) == {1}
    conn = sqlite3.connect(db)
    try:
        crawls = conn.execute("SELECT id, status, stats FROM crawls").fetchall()
        left = conn.execute("SELECT count(*) FROM frontier").fetchone()[0]
    finally:
        conn.close()
    assert len(crawls) == 1 and crawls[0][1] == "partial"  # one crawl, continued
    assert json.loads(crawls[0][2])["archiver/resumed"] == 1
    assert left == 0  # a finished crawl's frontier is dropped
    verify = run_archiver("verify", "--db", str(db), "--warc-dir", str(warc))
    assert verify.returncode == 0, verify.stdout


def test_resume_without_unfinished_crawl_and_the_hint(site: Any, tmp_path: Path) -> None:
    db, warc = tmp_path / "a.db", tmp_path / "w"
    args = ["crawl", site.url("/"), "--db", str(db), "--warc-dir", str(warc), "--delay", "0", "-q"]
    nothing = run_archiver(*args, "--resume", cwd=tmp_path)
    assert nothing.returncode == 1
    assert nothing.stderr.strip() == (
        f"error: no unfinished crawl of these seeds in {db} to resume"
    )
    proc = start_crawl(site.url("/"), db, warc, delay="0.2")
    wait_for(lambda: captured(db) >= 2)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    fresh = run_archiver(*args, cwd=tmp_path)
    assert fresh.returncode == SITE_EXIT
    assert fresh.stderr.splitlines()[0] == (
        "note: crawl 1 of these seeds did not finish "
        "(interrupted); add --resume to continue it "
        "instead of starting afresh"
    )


def _interrupt(db: Path, frontier_rows: list[tuple[str, str]]) -> None:
    """Make the archive's one finished crawl look as if it had been killed: status
    ``interrupted``, with these (url, state) frontier rows."""
    conn = sqlite3.connect(db)
    try:
        with conn:
            conn.execute("UPDATE crawls SET status = 'interrupted'")
            conn.execute("DELETE FROM frontier")
            conn.executemany(
                "INSERT INTO frontier (crawl_id, url, kind, depth, priority, probe, state) "
                "VALUES (1, ?, 'page', 0, 0, 0, ?)",
                frontier_rows,
            )
    finally:
        conn.close()


def test_resume_with_nothing_left_ends_and_without_frontier_starts_from_seeds(
    site: Any, tmp_path: Path
) -> None:
    db, warc = tmp_path / "a.db", tmp_path / "w"
    url = site.url("/")
    args = ["crawl", url, "--db", str(db), "--warc-dir", str(warc), "--delay", "0", "-q"]
    first = run_archiver(*args, cwd=tmp_path)
    assert first.returncode == SITE_EXIT, first.stderr
    docs = count(db, "SELECT count(*) FROM documents")
    # killed after its last request was handled, three extractions pending: nothing
    # queued, nothing to fetch; the extractions are done alongside
    _interrupt(db, [(url, "done")])
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(
            "DELETE FROM documents WHERE id IN (SELECT id FROM documents "
            "WHERE url LIKE '%/news/story-%' ORDER BY id LIMIT 3)"
        )
    conn.close()
    fetched = len(site.server.requests)
    done = run_archiver(*args, "--resume", cwd=tmp_path)
    assert done.returncode == SITE_EXIT, done.stderr
    assert "nothing was fetched" not in done.stderr
    assert [r.path for r in site.server.requests[fetched:]] == []
    assert count(db, "SELECT count(*) FROM crawls WHERE status = 'partial'") == 1
    assert count(db, "SELECT count(*) FROM documents") == docs
    stats = json.loads(sqlite3.connect(db).execute("SELECT stats FROM crawls").fetchone()[0])
    assert stats["archiver/resume/pending_extractions"] == 3
    assert stats["archiver/resume/extracted"] == 3
    # killed (or its database full) before its first commit: no frontier at all
    _interrupt(db, [])
    again = run_archiver(*args, "--resume", cwd=tmp_path)
    assert again.returncode == SITE_EXIT, again.stderr
    assert "/" in [r.path for r in site.server.requests[fetched:]]  # from the seed again
    assert count(db, "SELECT count(*) FROM documents") == docs  # same texts: no new rows
    assert count(db, "SELECT count(*) FROM crawls") == 1
    verify = run_archiver("verify", "--db", str(db), "--warc-dir", str(warc))
    assert verify.returncode == 0, verify.stdout


def _resume_fetching_nothing(
    site: Any, db: Path, args: list[str], frontier_rows: list[tuple[str, str]]
) -> None:
    """Interrupt the finished crawl with these frontier rows and the 404's failure row
    lost, resume it, and check it fetched nothing again (robots.txt aside: it is
    fetched per run)."""
    _interrupt(db, frontier_rows)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("DELETE FROM failures WHERE url LIKE '%/gone.html'")
    conn.close()
    fetched = len(site.server.requests)
    again = run_archiver(*args, "--resume", cwd=db.parent)
    assert again.returncode == SITE_EXIT, again.stderr
    assert "Traceback" not in again.stderr
    assert [r.path for r in site.server.requests[fetched:] if r.path != "/robots.txt"] == []


def test_resume_reads_what_was_captured_from_the_archive(site: Any, tmp_path: Path) -> None:
    """Killed after some answers were captured and committed but before they were
    handled: --resume fetches none of them again; a page's links, a redirect's
    target and an HTTP error's failure come from the archived records."""
    db, warc = tmp_path / "a.db", tmp_path / "w"
    home = site.url("/")
    args = ["crawl", home, "--db", str(db), "--warc-dir", str(warc), "--delay", "0", "-q"]
    first = run_archiver(*args, cwd=tmp_path)
    assert first.returncode == SITE_EXIT, first.stderr
    docs = count(db, "SELECT count(*) FROM documents")
    # a 200 page, a gzip-encoded page, a 301 and a 404 answered, their handling lost
    answered = ["/", "/gz.html", "/moved.html", "/gone.html"]
    _resume_fetching_nothing(site, db, args, [(site.url(p), "queued") for p in answered])
    conn = sqlite3.connect(db)
    try:
        stats = json.loads(conn.execute("SELECT stats FROM crawls").fetchone()[0])
        gone = conn.execute("SELECT status FROM failures WHERE url LIKE '%/gone.html'").fetchall()
    finally:
        conn.close()
    # the four, and the pages _interrupt left without a frontier row that their links
    # lead to again: answered from the archive too
    assert stats["archiver/resume/from_archive"] >= len(answered)
    assert gone == [(404,)]  # the 404's failure is recorded again
    assert count(db, "SELECT count(*) FROM documents") == docs
    assert count(db, "SELECT count(*) FROM crawls WHERE status = 'partial'") == 1
    verify = run_archiver("verify", "--db", str(db), "--warc-dir", str(warc))
    assert verify.returncode == 0, verify.stdout


def test_resume_follows_the_links_of_a_captured_page(site: Any, tmp_path: Path) -> None:
    """The links of a page captured before the kill are read from its record: its
    articles are fetched, the page itself is not."""
    db, warc = tmp_path / "a.db", tmp_path / "w"
    home = site.url("/")
    args = ["crawl", home, "--db", str(db), "--warc-dir", str(warc), "--delay", "0", "-q"]
    first = run_archiver(*args, "--seeds-only", cwd=tmp_path)  # the home page only
    assert first.returncode in (0, SITE_EXIT), first.stderr
    assert articles(db) == {}
    _interrupt(db, [(home, "queued")])
    fetched = len(site.server.requests)
    again = run_archiver(*args, "--resume", cwd=tmp_path)
    assert again.returncode == SITE_EXIT, again.stderr
    paths = [r.path for r in site.server.requests[fetched:]]
    assert "/" not in paths
    for n in site.info["linked"]:
        assert paths.count(f"/news/story-{n}.html") == 1, paths
    assert set(articles(db).values()) == {1} and len(articles(db)) >= len(site.info["linked"])
    stats = json.loads(sqlite3.connect(db).execute("SELECT stats FROM crawls").fetchone()[0])
    # the home page, and what else the first run captured that a link leads to again
    assert stats["archiver/resume/from_archive"] >= 1
    verify = run_archiver("verify", "--db", str(db), "--warc-dir", str(warc))
    assert verify.returncode == 0, verify.stdout


def test_resume_follows_a_captured_redirect(site: Any, tmp_path: Path) -> None:
    """A redirect captured before the kill is not fetched again: its target is."""
    db, warc = tmp_path / "a.db", tmp_path / "w"
    moved = site.url("/moved.html")  # 301 to /news/story-1.html
    args = ["crawl", moved, "--db", str(db), "--warc-dir", str(warc), "--delay", "0", "-q"]
    # the first run does not follow it (its target denied), its handling is lost
    first = run_archiver(*args, "--seeds-only", "--deny", "story-1", cwd=tmp_path)
    assert first.returncode in (0, SITE_EXIT), first.stderr
    assert articles(db) == {}
    _interrupt(db, [(moved, "queued")])
    fetched = len(site.server.requests)
    again = run_archiver(*args, "--resume", "--seeds-only", cwd=tmp_path)
    assert again.returncode in (0, SITE_EXIT), again.stderr
    paths = [r.path for r in site.server.requests[fetched:]]
    assert "/moved.html" not in paths
    assert paths.count("/news/story-1.html") == 1, paths
    assert list(articles(db).values()) == [1]
    verify = run_archiver("verify", "--db", str(db), "--warc-dir", str(warc))
    assert verify.returncode == 0, verify.stdout


def test_resume_answers_captures_whose_frontier_rows_were_lost(site: Any, tmp_path: Path) -> None:
    """Records written (and given rows by the repair) after the last frontier commit:
    no frontier row names them.  The links that lead to them again are answered from
    the archive: nothing is fetched twice, and a 404 among them is a failure again
    (the crawl does not end `ok`)."""
    db, warc = tmp_path / "a.db", tmp_path / "w"
    home = site.url("/")
    args = ["crawl", home, "--db", str(db), "--warc-dir", str(warc), "--delay", "0", "-q"]
    first = run_archiver(*args, cwd=tmp_path)
    assert first.returncode == SITE_EXIT, first.stderr
    _resume_fetching_nothing(site, db, args, [(home, "queued")])  # other rows lost
    conn = sqlite3.connect(db)
    try:
        gone = conn.execute("SELECT status FROM failures WHERE url LIKE '%/gone.html'").fetchall()
        status = conn.execute("SELECT status FROM crawls").fetchone()[0]
    finally:
        conn.close()
    assert gone == [(404,)] and status == "partial"
