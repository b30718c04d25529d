"""Crawl options and user errors, through the real command line."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.conftest import ROOT, SITE_EXIT

pytestmark = pytest.mark.e2e


def captured_urls(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT url FROM captures ORDER BY id")]
    finally:
        conn.close()


def pages(urls: list[str]) -> list[str]:
    return [u for u in urls if "/news/story-" in u]


def test_max_pages_and_depth(site: Any, crawl: Any, tmp_path: Path) -> None:
    run = crawl(site.url("/"), "--max-pages", "3", "--no-requisites")
    assert run.returncode == 0, run.stderr
    html = [u for u in captured_urls(run.db) if u.endswith((".html", "/"))]
    assert len(html) == 3
    run = crawl(site.url("/"), "--depth", "0", db=tmp_path / "d0.db")
    assert run.returncode == 1 and "use --seeds-only" in run.stderr  # ambiguous: refused
    assert not (tmp_path / "d0.db").exists()
    run = crawl(site.url("/"), "--seeds-only", db=tmp_path / "d0.db")
    assert run.returncode == 0, run.stderr
    assert pages(captured_urls(run.db)) == []  # the seed only (plus robots, sitemap, requisites)
    run = crawl(site.url("/"), "--depth", "1", db=tmp_path / "d1.db")
    urls = captured_urls(run.db)
    assert any(u.endswith("/news/story-1.html") for u in urls)
    assert any(u.endswith(f"/news/story-{site.info['sitemap_only']}.html") for u in urls)


def test_allow_and_deny(site: Any, crawl: Any, tmp_path: Path) -> None:
    run = crawl(site.url("/"), "--allow", r"story-[12]\.html", "--allow", r"/$", "--no-requisites")
    assert run.returncode == SITE_EXIT, run.stderr
    assert sorted(u.rsplit("/", 1)[-1] for u in pages(captured_urls(run.db))) == [
        "story-1.html",
        "story-2.html",
    ]
    run = crawl(site.url("/"), "--deny", r"story-[1-3]", "--deny", "gone", db=tmp_path / "b.db")
    urls = captured_urls(run.db)
    assert not any(
        u.endswith(("story-1.html", "story-2.html", "story-3.html", "gone.html")) for u in urls
    )
    assert any(u.endswith("story-4.html") for u in urls)


def test_ignore_robots_user_agent_and_prefix(site: Any, crawl: Any) -> None:
    run = crawl(
        site.url("/"),
        "--ignore-robots",
        "--user-agent",
        "TestArchiver/9",
        "--prefix",
        "mine",
        "--concurrency",
        "4",
        "--quiet",
    )
    assert run.returncode == SITE_EXIT, run.stderr
    assert run.stdout == ""
    assert any("/private/secret.html" in u for u in captured_urls(run.db))
    agents = {r.headers.get("User-Agent") for r in site.server.requests}
    assert agents == {"TestArchiver/9"}
    # sitemaps named in robots.txt are still found when robots.txt is not obeyed
    assert any(u.endswith(f"story-{site.info['sitemap_only']}.html") for u in captured_urls(run.db))
    assert [p.name[:5] for p in run.warc_dir.iterdir()] == ["mine-"]


def test_default_user_agent_names_archiver(site: Any, crawl: Any) -> None:
    run = crawl(site.url("/news/story-1.html"), "--seeds-only", "--no-requisites")
    assert run.returncode == 0, run.stderr
    agents = {r.headers.get("User-Agent") for r in site.server.requests}
    assert len(agents) == 1 and agents.pop().startswith("archiver/")


def test_rotation_at_size_limit(site: Any, crawl: Any) -> None:
    run = crawl(site.url("/"), "--warc-max-size", "4000")
    assert run.returncode == SITE_EXIT, run.stderr
    files = sorted(run.warc_dir.glob("*.warc.gz"))
    assert len(files) > 3
    assert not list(run.warc_dir.glob("*.open"))
    serials = [int(f.name.rsplit("-", 1)[-1].split(".")[0]) for f in files]
    assert sorted(serials) == list(range(len(files)))
    for path in files:
        with open(path, "rb") as fh:
            types = [r.rec_type for r in ArchiveIterator(fh)]
        assert types[0] == "warcinfo" and types.count("warcinfo") == 1


def test_seed_that_is_a_feed(site: Any, crawl: Any) -> None:
    run = crawl(site.url("/feed.xml"), "--no-requisites")
    assert run.returncode == SITE_EXIT, run.stderr
    assert any(u.endswith(f"story-{site.info['feed_only']}.html") for u in captured_urls(run.db))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ftp://example.org/"], "only http and https"),
        (["http://"], "no host name"),
        (["http://127.0.0.1:99999/"], "invalid seed URL"),
        (["http://127.0.0.1/", "--allow", "("], "invalid --allow pattern"),
        (["http://127.0.0.1/", "--max-pages", "0"], "--max-pages must be"),
        (["http://127.0.0.1/", "--delay", "-1"], "--delay must be"),
    ],
)
def test_bad_input_gives_one_line_error(args: list[str], message: str, tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "archiver",
            "crawl",
            *args,
            "--db",
            str(tmp_path / "a.db"),
            "--warc-dir",
            str(tmp_path / "w"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), proc.stderr
    assert message in lines[0]


def test_unwritable_paths(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for extra in (["--warc-dir", str(blocker / "warc")], ["--db", str(blocker / "a.db")]):
        args = ["--db", str(tmp_path / "a.db"), "--warc-dir", str(tmp_path / "w"), *extra]
        proc = subprocess.run(
            [sys.executable, "-m", "archiver", "crawl", "http://127.0.0.1:9/", *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
        )
        assert proc.returncode == 1
        assert proc.stderr.startswith("error: cannot write"), proc.stderr
        assert "Traceback" not in proc.stderr


def test_not_a_database(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "archiver",
            "crawl",
            "http://127.0.0.1:9/",
            "--db",
            str(bad),
            "--warc-dir",
            str(tmp_path / "w"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert proc.returncode == 1 and "not an archive database" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert bad.read_bytes() == b"this is not sqlite" * 100  # left untouched


def test_locked_database(site: Any, tmp_path: Path) -> None:
    db = tmp_path / "locked.db"
    from archiver import store

    store.open_db(db).close()
    holder = sqlite3.connect(db)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO crawls (started_at, status) VALUES ('x', 'holding')")
    try:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "archiver",
                "crawl",
                site.url("/"),
                "--db",
                str(db),
                "--warc-dir",
                str(tmp_path / "w"),
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
    finally:
        holder.rollback()
        holder.close()
    assert proc.returncode == 1
    assert "locked" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_nothing_fetched_exits_non_zero(tmp_path: Path) -> None:
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "archiver",
            "crawl",
            f"http://127.0.0.1:{port}/",
            "--db",
            str(tmp_path / "a.db"),
            "--warc-dir",
            str(tmp_path / "w"),
            "--delay",
            "0",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 4  # wget's "network failure"
    assert "nothing was fetched" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_scrapy_crawl_news_from_project_root(site: Any, tmp_path: Path) -> None:
    db, warc = tmp_path / "s.db", tmp_path / "warc"
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
            "LOG_LEVEL=WARNING",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    urls = captured_urls(db)
    assert any(u.endswith("/news/story-1.html") for u in urls)
    assert list(warc.glob("archiver-*.warc.gz"))


def test_crash_safety_rows_never_point_past_the_warc(site: Any, crawl: Any) -> None:
    """Kill a crawl mid-way: every committed row still reads back as a record."""
    import os
    import signal
    import time

    tmp = Path(site.root).parent / "crash"
    tmp.mkdir()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "archiver",
            "crawl",
            site.url("/"),
            "--db",
            str(tmp / "a.db"),
            "--warc-dir",
            str(tmp / "w"),
            "--delay",
            "0.05",
            "--quiet",
        ],
        cwd=ROOT,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        time.sleep(0.2)
        if (tmp / "a.db").exists():
            try:
                conn = sqlite3.connect(tmp / "a.db")
                n = conn.execute("SELECT count(*) FROM captures").fetchone()[0]
                conn.close()
            except sqlite3.Error:
                n = 0
            if n >= 3:
                break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    conn = sqlite3.connect(tmp / "a.db")
    caps = conn.execute("SELECT warc_file, warc_offset, warc_length FROM captures").fetchall()
    conn.close()
    assert caps
    import zlib

    for name, offset, length in caps:
        path = tmp / "w" / name
        if not path.exists():
            path = tmp / "w" / (name + ".open")
        with open(path, "rb") as fh:
            fh.seek(offset)
            member = fh.read(length)
        assert len(member) == length
        zlib.decompressobj(31).decompress(member)


def test_ctrl_c_stops_cleanly(site: Any, tmp_path: Path) -> None:
    """SIGINT: exit 130, WARC files closed and valid, crawl recorded as shutdown."""
    import signal
    import time

    db, warc = tmp_path / "a.db", tmp_path / "w"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "archiver",
            "crawl",
            site.url("/"),
            "--db",
            str(db),
            "--warc-dir",
            str(warc),
            "--delay",
            "0.3",
            "--quiet",
        ],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.time() + 30
    while time.time() < deadline and len(site.server.requests) < 4:
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert not list(warc.glob("*.open"))
    files = list(warc.glob("*.warc.gz"))
    assert files
    check = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", *map(str, files)],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout
    conn = sqlite3.connect(db)
    try:
        status = conn.execute("SELECT status FROM crawls").fetchone()[0]
    finally:
        conn.close()
    assert status == "shutdown"


def test_progress_display_on_a_terminal(site: Any, tmp_path: Path) -> None:
    """With stderr on a terminal the crawl shows a live progress line."""
    import os
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "archiver",
            "crawl",
            site.url("/"),
            "--db",
            str(tmp_path / "a.db"),
            "--warc-dir",
            str(tmp_path / "w"),
            "--delay",
            "0.05",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=slave,
        text=True,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    stdout, _ = proc.communicate(timeout=120)
    os.close(master)
    screen = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == SITE_EXIT
    assert "archiving" in screen and "pages/s" in screen and "articles" in screen
    assert "pages fetched" in stdout  # the summary table
