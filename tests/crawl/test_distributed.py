"""Distributed crawls end to end: real ``redis-server`` processes, real worker processes
(``archiver crawl --redis``), a local site of several hundred pages, the shards merged
with ``archiver merge`` and checked with ``archiver verify``."""

from __future__ import annotations

import itertools
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from archiver.demo.server import SiteServer
from tests.conftest import ROOT, article_html, build_site, run_archiver, site_routes
from tests.redis_server import RedisServer

pytestmark = pytest.mark.e2e

ARTICLES = 300


@pytest.fixture
def redis_server(tmp_path: Path) -> Any:
    server = RedisServer(tmp_path / "redis")
    with server:
        yield server


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("bigsite")
    build_site(root, articles=ARTICLES)
    with SiteServer(root, routes=site_routes()) as server:
        yield server


def start_worker(
    redis_url: str, name: str, worker: str, out: Path, *args: str, seeds: list[str] | None = None
) -> subprocess.Popen[bytes]:
    cmd = [
        sys.executable,
        "-m",
        "archiver",
        "crawl",
        *(seeds or []),
        "--redis",
        redis_url,
        "--crawl",
        name,
        "--worker-id",
        worker,
        "--db",
        str(out / f"{worker}.db"),
        "--warc-dir",
        str(out / "warc"),
        "--quiet",
        *args,
    ]
    log = open(out / f"{worker}.log", "wb")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    return proc


def wait_all(procs: list[subprocess.Popen[bytes]], timeout: float = 240) -> list[int]:
    deadline = time.monotonic() + timeout
    codes = []
    try:
        for proc in procs:
            codes.append(proc.wait(timeout=max(1.0, deadline - time.monotonic())))
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    return codes


def status(redis_url: str, name: str) -> dict[str, Any]:
    proc = run_archiver("status", "--redis", redis_url, "--crawl", name, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)["crawls"][0]


def merge_and_verify(out: Path, workers: list[str], killed: str | None = None) -> tuple[Path, int]:
    """Merge the shards twice, verify the result; returns it and the number of the killed
    worker's records that were written but never committed (orphans)."""
    merged = out / "archive.db"
    shards = [str(out / f"{w}.db") for w in workers]
    proc = run_archiver("merge", *shards, "--db", str(merged), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    first = json.loads(proc.stdout)["added"]
    again = run_archiver("merge", *shards, "--db", str(merged), "--format", "json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["added"] == {
        "crawls": 0,
        "captures": 0,
        "documents": 0,
        "failures": 0,
    }, "merging twice added rows"
    assert first["captures"] > ARTICLES
    check = run_archiver(
        "verify", "--db", str(merged), "--warc-dir", str(out / "warc"), "--format", "json"
    )
    report = json.loads(check.stdout)
    assert report["rows"] == report["rows_ok"] == first["captures"]
    # a SIGKILLed worker cannot close its last WARC file (it keeps its .open suffix),
    # and the records it wrote after its last commit have no row (orphans: their
    # claims were requeued and fetched again); nothing else may be wrong
    killed_file = [p for p in report["problems"] if killed and f"-{killed}-" in p["file"]]
    assert all(p["kind"] in ("open_file", "orphan") for p in killed_file), killed_file
    problems = [p for p in report["problems"] if p not in killed_file]
    assert problems == [], problems
    assert check.returncode == (1 if report["problems"] else 0), check.stdout + check.stderr
    return merged, sum(p["kind"] == "orphan" for p in killed_file)


def page_captures(db: Path) -> Counter[str]:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT url FROM captures WHERE status = 200").fetchall()
    finally:
        conn.close()
    return Counter(u for (u,) in rows)


def expected_pages(site: SiteServer) -> set[str]:
    pages = {site.url(f"/news/story-{n}.html") for n in range(1, ARTICLES + 1)}
    return pages | {
        site.url("/"),
        site.url("/about.html"),
        site.url("/cookies.html"),
        site.url("/chunked.html"),
        site.url("/gz.html"),
        site.url("/raw.html"),
    }


def test_three_workers_archive_every_page_once(
    redis_server: RedisServer, big_site: SiteServer, tmp_path: Path
) -> None:
    out = tmp_path
    workers = ["w1", "w2", "w3"]
    seeds = [big_site.url("/")]
    # the same command on every worker; the third joins without seeds once the crawl exists
    procs = [
        start_worker(
            redis_server.url, "three", w, out, "--delay", "0", "--concurrency", "4", seeds=seeds
        )
        for w in workers[:2]
    ]
    deadline = time.monotonic() + 60
    while status_or_none(redis_server.url, "three") is None and time.monotonic() < deadline:
        time.sleep(0.2)
    procs.append(start_worker(redis_server.url, "three", "w3", out))
    codes = wait_all(procs)
    # the site links to 404/500 pages: each worker that met one exits 8; none crashed
    assert set(codes) <= {0, 8}, [(out / f"{w}.log").read_text()[-2000:] for w in workers]
    report = status(redis_server.url, "three")
    assert report["finished"] and report["queued"] == 0 and report["claimed"] == 0
    assert report["requeued"] == 0 and report["workers_alive"] == 0
    assert report["definition"]["seeds"] == seeds
    merged, _ = merge_and_verify(out, workers)
    counts = page_captures(merged)
    assert not expected_pages(big_site) - set(counts), "pages lost"
    assert [u for u, n in counts.items() if n > 1] == []
    # each worker its own WARC files (worker id in the prefix) and shard
    names = [p.name for p in (out / "warc").iterdir()]
    for w in workers:
        assert (out / f"{w}.db").is_file()
    assert all(any(f"-{w}-" in n for w in workers) for n in names)
    # robots.txt once per crawl, not once per worker
    assert big_site.fetched().count("/robots.txt") == 1


def status_or_none(redis_url: str, name: str) -> dict[str, Any] | None:
    proc = run_archiver("status", "--redis", redis_url, "--crawl", name, "--format", "json")
    return json.loads(proc.stdout)["crawls"][0] if proc.returncode == 0 else None


def test_killed_worker_claims_are_requeued(
    redis_server: RedisServer, big_site: SiteServer, tmp_path: Path
) -> None:
    out = tmp_path
    workers = ["k1", "k2", "k3"]
    seeds = [big_site.url("/")]
    procs = {
        w: start_worker(
            redis_server.url,
            "kill",
            w,
            out,
            "--delay",
            "0.01",
            "--concurrency",
            "3",
            "--heartbeat-timeout",
            "4",
            seeds=seeds,
        )
        for w in workers
    }
    victim = procs["k2"]
    deadline = time.monotonic() + 90
    killed_at_pages = 0
    while time.monotonic() < deadline:
        report = status_or_none(redis_server.url, "kill")
        if report is not None:
            mine = {w["id"]: w for w in report["workers"]}.get("k2")
            if mine and mine["pages"] >= 15 and mine["claimed"] > 0:
                killed_at_pages = mine["pages"]
                os.kill(victim.pid, signal.SIGKILL)
                break
        time.sleep(0.1)
    assert killed_at_pages, "the worker to kill never had claims"
    victim.wait()
    codes = wait_all([procs["k1"], procs["k3"]])
    assert set(codes) <= {0, 8}
    report = status(redis_server.url, "kill")
    assert report["finished"] and report["queued"] == 0 and report["claimed"] == 0
    assert report["requeued"] >= 1, report
    dead = {w["id"]: w for w in report["workers"]}["k2"]
    assert dead["state"] == "dead"
    merged, orphans = merge_and_verify(out, workers, killed="k2")
    # what the killed worker left (its .open file, records without rows) is crash
    # debris: `archiver repair` closes the file and gives the records their rows
    fixed = run_archiver("repair", "--db", str(merged), "--warc-dir", str(out / "warc"))
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    clean = run_archiver("verify", "--db", str(merged), "--warc-dir", str(out / "warc"))
    assert clean.returncode == 0, clean.stdout + clean.stderr
    counts = page_captures(merged)
    assert not expected_pages(big_site) - set(counts), "pages lost"
    twice = [u for u, n in counts.items() if n > 1]
    # only a page in flight at the kill may have been fetched twice: fetched and
    # committed by the killed worker but not yet given up (twice), or fetched and in
    # its WARC file but not committed (orphans)
    assert len(twice) <= report["requeued"], (twice, orphans, report["requeued"])
    assert all(n == 2 for n in counts.values() if n > 1)
    print(
        f"\nkilled worker: {killed_at_pages} pages before the kill, {report['requeued']} "
        f"claims requeued, {len(twice)} pages with two rows, {orphans} records without "
        "a row, 0 pages lost"
    )


class TimedSite(SiteServer):
    """A site server that logs when each file request began and ended."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.spans: list[tuple[float, float, str]] = []
        self._spans_lock = threading.Lock()

    def _serve_file(self, handler: Any, path: str) -> None:
        began = time.time()
        super()._serve_file(handler, path)
        with self._spans_lock:
            self.spans.append((began, time.time(), path))


def test_politeness_holds_across_workers(redis_server: RedisServer, tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "news").mkdir(parents=True)
    n = 30
    links = "".join(f'<a href="/news/{i}.html">{i}</a>' for i in range(n))
    (root / "index.html").write_text(f"<html><body>{links}</body></html>")
    for i in range(n):
        (root / "news" / f"{i}.html").write_text(article_html(i))
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    out = tmp_path / "out"
    out.mkdir()
    delay = 0.2
    with TimedSite(root) as site:
        procs = [
            start_worker(
                redis_server.url,
                "polite",
                w,
                out,
                "--concurrency",
                "1",
                "--delay",
                str(delay),
                "--no-requisites",
                seeds=[site.url("/")],
            )
            for w in ("p1", "p2", "p3")
        ]
        codes = wait_all(procs)
        spans = sorted(site.spans)
    # the articles' menus link to pages this site lacks (404: exit 8)
    assert set(codes) <= {0, 8}, [(out / f"{w}.log").read_text()[-2000:] for w in ("p1", "p2")]
    paths = [p for _, _, p in spans]
    assert len(paths) >= n + 2 and paths.count("/robots.txt") == 1
    for (b1, e1, p1), (b2, _e2, p2) in itertools.pairwise(spans):
        assert b2 >= e1, f"{p1} and {p2} overlapped"
        assert b2 - b1 >= delay, f"{p2} came {b2 - b1:.3f} s after {p1}"
    # the three workers shared the work
    conn = [sqlite3.connect(out / f"{w}.db") for w in ("p1", "p2", "p3")]
    fetched = [c.execute("SELECT count(*) FROM captures").fetchone()[0] for c in conn]
    for c in conn:
        c.close()
    assert sum(fetched) == len(paths)


def test_redis_restart_mid_crawl(
    redis_server: RedisServer, big_site: SiteServer, tmp_path: Path
) -> None:
    out = tmp_path
    workers = ["r1", "r2"]
    procs = [
        start_worker(
            redis_server.url,
            "restart",
            w,
            out,
            "--delay",
            "0.01",
            "--concurrency",
            "2",
            seeds=[big_site.url("/")],
        )
        for w in workers
    ]
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        report = status_or_none(redis_server.url, "restart")
        if report is not None and report["done"] >= 40:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the crawl did not get going")
    redis_server.restart()  # AOF on: the queue, seen set and claims come back
    codes = wait_all(procs)
    assert set(codes) <= {0, 8}, [(out / f"{w}.log").read_text()[-3000:] for w in workers]
    report = status(redis_server.url, "restart")
    assert report["finished"], report
    merged, _ = merge_and_verify(out, workers)
    counts = page_captures(merged)
    assert not expected_pages(big_site) - set(counts), "pages lost"


def test_join_needs_an_existing_crawl(redis_server: RedisServer, tmp_path: Path) -> None:
    proc = run_archiver(
        "crawl",
        "--redis",
        redis_server.url,
        "--crawl",
        "nothing",
        "--db",
        str(tmp_path / "x.db"),
        "--warc-dir",
        str(tmp_path / "warc"),
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: crawl 'nothing' does not exist")
    assert "Traceback" not in proc.stderr
    proc = run_archiver(
        "crawl",
        "http://127.0.0.1:1/",
        "--redis",
        "redis://127.0.0.1:1/0",
        "--db",
        str(tmp_path / "x.db"),
    )
    assert proc.returncode == 1 and proc.stderr.startswith("error: cannot reach Redis")
    proc = run_archiver("status", "--redis", redis_server.url, "--crawl", "nothing")
    assert proc.returncode == 1 and proc.stderr.startswith("error: no crawl 'nothing'")
    proc = run_archiver("merge", str(tmp_path / "missing.db"), "--db", str(tmp_path / "a.db"))
    assert proc.returncode == 1 and proc.stderr.startswith("error: shard")


def test_unreadable_robots_txt_disallows_the_site_on_every_worker(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    """robots.txt answering 503 is fetched by one worker and shared as such: no worker
    reads the error page as rules (RFC 9309: disallow all), each fails its requests to
    the site with the cause."""
    from archiver.demo.server import status as answer

    root = tmp_path / "site"
    root.mkdir()
    build_site(root)
    out = tmp_path / "out"
    out.mkdir()
    workers = ("r1", "r2", "r3")
    # an error page that would read as "allow all" if taken for rules
    robots = answer(503, b"User-agent: *\nAllow: /\n", "text/plain")
    with SiteServer(root, routes={"/robots.txt": robots}) as site:
        seeds = [site.url(p) for p in ("/", "/news/story-1.html", "/news/story-2.html")]
        procs = [
            start_worker(redis_server.url, "robots5xx", w, out, "--no-requisites", seeds=seeds)
            for w in workers
        ]
        codes = wait_all(procs)
        paths = [r.path for r in site.requests]
    logs = [(out / f"{w}.log").read_text()[-1500:] for w in workers]
    assert set(paths) == {"/robots.txt"}, paths  # nothing else fetched by any worker
    assert len(paths) <= 3  # one worker, with its retries
    assert any(code != 0 for code in codes), logs
    causes: Counter[str] = Counter()
    for w in workers:
        conn = sqlite3.connect(out / f"{w}.db")
        try:
            causes.update(c for (c,) in conn.execute("SELECT cause FROM failures"))
        finally:
            conn.close()
    assert set(causes) == {"robots-unavailable"} and causes["robots-unavailable"] >= 3, causes
