"""Issue 16's points, one test (or a few) each: what a new archivist, researcher or
ops user tripped over.  Real archives made by ``archiver demo`` and small local sites."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import closing
from pathlib import Path

import pytest

from tests.conftest import ROOT, free_port, run_archiver


def article(n: int) -> str:
    """A self-contained article page: no links, no requisites."""
    paras = "".join(
        f"<p>Paragraph {j} of story {n}: the harbour council debated the ferry "
        f"timetable again, and residents asked for more time to study it.</p>"
        for j in range(5)
    )
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Story {n}"
        "</title><meta property='article:published_time' content='2026-10-01T08:00:00Z'>"
        f"</head><body><article><h1>Story {n}</h1>{paras}</article></body></html>"
    )


@pytest.fixture(scope="module")
def demo_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo") / "demo-archive"
    proc = run_archiver("demo", "--out", str(folder), "-q", timeout=300)
    assert proc.returncode == 0, proc.stderr
    return folder


@pytest.fixture
def demo_copy(demo_archive: Path, tmp_path: Path) -> Path:
    """A private copy (tests that write)."""
    target = tmp_path / "demo-archive"
    shutil.copytree(demo_archive, target)
    return target


# -- 1. nothing a user made is deleted without asking ---------------------------------
def test_demo_refuses_a_folder_holding_a_user_archive(demo_copy: Path, tmp_path: Path) -> None:
    db = demo_copy / "archive.db"
    # an untouched demo archive may be made afresh
    again = run_archiver("demo", "--out", str(demo_copy), "-q", timeout=300)
    assert again.returncode == 0, again.stderr
    # a job added to it makes it the user's
    added = run_archiver(
        "jobs", "add", "mine", "--seed", "http://127.0.0.1:9/", "--every", "1h", "--db", str(db)
    )
    assert added.returncode == 0, added.stderr
    refused = run_archiver("demo", "--out", str(demo_copy), "-q")
    assert refused.returncode == 1
    assert refused.stderr.startswith("error: ") and "--force" in refused.stderr
    assert "Traceback" not in refused.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT name FROM jobs").fetchall() == [("mine",)]
    # any folder of other files is refused too, and left alone
    other = tmp_path / "mine"
    (other / "warc").mkdir(parents=True)
    (other / "warc" / "precious.warc.gz").write_bytes(b"x")
    refused = run_archiver("demo", "--out", str(other), "-q")
    assert refused.returncode == 1 and (other / "warc" / "precious.warc.gz").exists()
    forced = run_archiver("demo", "--out", str(demo_copy), "-q", "--force", timeout=300)
    assert forced.returncode == 0, forced.stderr


def test_writing_commands_do_not_overwrite_files(demo_archive: Path, tmp_path: Path) -> None:
    db, warc = str(demo_archive / "archive.db"), str(demo_archive / "warc")
    for name, args in (
        ("out.jsonl", ["export", "--db", db, "-o"]),
        ("out.wacz", ["wacz", "--db", db, "--warc-dir", warc]),
        ("out.warc.gz", ["export-warc", "--db", db, "--warc-dir", warc]),
        ("out.cdxj", ["cdx", "--warc-dir", warc, "--out"]),
    ):
        target = tmp_path / name
        target.write_text("mine")
        proc = run_archiver(*args, str(target))
        assert proc.returncode == 1, (name, proc.stderr)
        assert "already exists" in proc.stderr and "--force" in proc.stderr
        assert target.read_text() == "mine"
        proc = run_archiver(*args, str(target), "--force")
        assert proc.returncode == 0, (name, proc.stderr)
        assert target.read_bytes() != b"mine"


# -- 6. diff and show take the same arguments --------------------------------------------
def test_diff_takes_what_show_takes(demo_archive: Path) -> None:
    db = str(demo_archive / "archive.db")
    with closing(sqlite3.connect(db)) as conn:
        doc_id, url, record_id = conn.execute(
            "SELECT d.id, d.url, c.warc_record_id FROM documents d JOIN captures c "
            "ON c.id = d.capture_id WHERE d.page_type = 'article' ORDER BY d.id LIMIT 1"
        ).fetchone()
    for ref in (str(doc_id), url, record_id.strip("<>")):
        shown = run_archiver("show", ref, "--db", db)
        assert shown.returncode == 0, (ref, shown.stderr)
        assert url in shown.stdout, (ref, shown.stdout[:600], shown.stderr)
        diffed = run_archiver("diff", ref, "--db", db)
        assert diffed.returncode == 0, (ref, diffed.stderr)
        assert diffed.stdout.strip() == (
            f"{url}: one version (document {doc_id}), nothing to compare"
        )
    as_json = run_archiver("diff", str(doc_id), "--db", db, "--format", "json")
    assert json.loads(as_json.stdout) == {
        "url": url,
        "versions": 1,
        "document": doc_id,
        "diff": None,
    }
    missing = run_archiver("diff", "999999", "--db", db)
    assert missing.returncode == 1 and missing.stderr.startswith("error: ")


# -- 7. typed exports -----------------------------------------------------------------
def test_parquet_columns_are_typed_for_pandas(demo_archive: Path, tmp_path: Path) -> None:
    import pandas as pd

    out = tmp_path / "docs.parquet"
    proc = run_archiver(
        "export", "--db", str(demo_archive / "archive.db"), "--format", "parquet", "-o", str(out)
    )
    assert proc.returncode == 0, proc.stderr
    frame = pd.read_parquet(out)
    assert str(frame["published"].dtype).startswith("datetime64")
    assert str(frame["fetched_at"].dtype).startswith("datetime64")
    assert str(frame["word_count"].dtype) == "int64"
    assert str(frame["status"].dtype) == "int64"
    tagged = frame[frame["tags"].map(lambda t: t is not None and len(t) > 0)]
    assert len(tagged) and all(isinstance(t, str) for t in tagged["tags"].iloc[0])
    # filter by date without parsing
    recent = frame[frame["published"] >= pd.Timestamp("2000-01-01", tz="UTC")]
    assert 0 < len(recent) <= len(frame)
    csv_out = tmp_path / "docs.csv"
    proc = run_archiver(
        "export", "--db", str(demo_archive / "archive.db"), "--format", "csv", "-o", str(csv_out)
    )
    assert proc.returncode == 0, proc.stderr
    table = pd.read_csv(csv_out, encoding="utf-8")
    assert len(table) == len(frame)
    assert all(isinstance(json.loads(t), list) for t in table["tags"].dropna())  # JSON lists


# -- 9. the demo site on its own ---------------------------------------------------------
def test_demo_serve_on_a_fixed_port_for_crawls_and_jobs(tmp_path: Path) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "archiver", "demo", "--serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        first = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in first
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as resp:
            assert resp.status == 200 and b"<html" in resp.read().lower()
        work = tmp_path / "work"
        work.mkdir()
        crawled = run_archiver(
            "crawl",
            f"http://127.0.0.1:{port}/",
            "--db",
            "a.db",
            "--max-pages",
            "5",
            "--delay",
            "0",
            "-q",
            cwd=work,
        )
        assert crawled.returncode == 0, crawled.stderr
        # the default WARC folder: warc/ next to the archive
        assert list((work / "warc").glob("*.warc.gz"))
        taken = run_archiver("demo", "--serve", "--port", str(port))
        assert taken.returncode == 1 and taken.stderr.startswith("error: ")
        assert "--port" in taken.stderr
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
    assert proc.returncode == 0


def test_default_warc_folder_is_next_to_the_archive(tmp_path: Path) -> None:
    """``--db data/x.db`` without ``--warc-dir``: crawl, verify and the research
    commands all use data/warc, from any working directory."""
    from archiver.demo.server import demo_server

    with demo_server() as server:
        (tmp_path / "data").mkdir()
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        db = tmp_path / "data" / "x.db"
        proc = run_archiver(
            "crawl",
            server.url("/"),
            "--db",
            str(db),
            "--max-pages",
            "3",
            "--delay",
            "0",
            "-q",
            cwd=elsewhere,
        )
        assert proc.returncode == 0, proc.stderr
    assert list((tmp_path / "data" / "warc").glob("*.warc.gz"))
    assert not (elsewhere / "warc").exists()
    verified = run_archiver("verify", "--db", str(db), cwd=elsewhere)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert time.time()  # (no timing assertions)
    assert os.listdir(elsewhere) == []


# -- 2. jobs keep their files together ----------------------------------------------------
def test_job_warc_dir_is_resolved_when_added_not_when_run(tmp_path: Path) -> None:
    from archiver.demo.server import SiteServer

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(article(1))
    home = tmp_path / "home"
    (home / "data").mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    with SiteServer(site) as server:
        added = run_archiver(
            "jobs",
            "add",
            "j",
            "--seed",
            server.url("/"),
            "--every",
            "1h",
            "--warc-dir",
            "mywarc",
            "--db",
            "data/a.db",
            "--delay",
            "0",
            cwd=home,
        )
        assert added.returncode == 0, added.stderr
        shown = run_archiver(
            "jobs", "show", "j", "--db", str(home / "data" / "a.db"), cwd=elsewhere
        )
        assert f"--warc-dir {home / 'mywarc'}" in shown.stdout
        ran = run_archiver(
            "jobs", "run", "j", "--db", str(home / "data" / "a.db"), "-q", cwd=elsewhere
        )
        assert ran.returncode == 0, ran.stderr
    assert list((home / "mywarc").glob("*.warc.gz"))
    assert os.listdir(elsewhere) == []
    verified = run_archiver("verify", "--db", "data/a.db", "--warc-dir", "mywarc", cwd=home)
    assert verified.returncode == 0, verified.stdout


def test_old_relative_job_warc_dirs_are_migrated(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    added = run_archiver(
        "jobs", "add", "old", "--seed", "http://127.0.0.1:9/", "--every", "1h", "--db", str(db)
    )
    assert added.returncode == 0, added.stderr
    with sqlite3.connect(db) as conn:  # as saved before the rule
        conn.execute("""UPDATE jobs SET options = '{"warc_dir": "w"}'""")
    shown = run_archiver("jobs", "show", "old", "--db", str(db))
    assert "relative --warc-dir is now an absolute path" in shown.stderr
    assert f"--warc-dir {tmp_path / 'w'}" in shown.stdout


# -- 3. schedules that mean what they say -----------------------------------------------
def _feed_site(root: Path, articles: int = 6) -> None:
    (root / "news").mkdir(parents=True)
    links = "".join(f"<a href='/{p}.html'>{p}</a>" for p in ("section", "about", "contact"))
    (root / "index.html").write_text(
        f"<html><head><title>Home</title></head><body>{links}</body></html>"
    )
    for page in ("section", "about", "contact"):
        (root / f"{page}.html").write_text(f"<html><body><p>{page}</p></body></html>")
    for n in range(1, articles + 1):
        (root / "news" / f"a{n}.html").write_text(article(n))
    items = "".join(
        f"<item><title>A{n}</title><link>/news/a{n}.html</link></item>"
        for n in range(1, articles + 1)
    )
    (root / "feed.xml").write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>'
    )


def test_budget_goes_to_feed_articles_and_only_captured_items_count_as_new(tmp_path: Path) -> None:
    from archiver.demo.server import SiteServer

    root = tmp_path / "site"
    _feed_site(root)
    db = tmp_path / "a.db"
    with SiteServer(root) as server:
        added = run_archiver(
            "jobs",
            "add",
            "news",
            "--seed",
            server.url("/"),
            "--feed",
            server.url("/feed.xml"),
            "--every",
            "6h",
            "--max-pages",
            "4",
            "--delay",
            "0",
            "--no-requisites",
            "--db",
            str(db),
        )
        assert added.returncode == 0, added.stderr
        ran = run_archiver("jobs", "run", "news", "--db", str(db), "-q")
        assert ran.returncode == 0, ran.stderr
        fetched = server.fetched("GET")
    pages = [p for p in fetched if p.endswith(".html") or p == "/"]
    assert len(pages) == 4
    assert sum(p.startswith("/news/") for p in pages) == 3  # the seed, then feed articles
    assert not {"/about.html", "/contact.html", "/section.html"} & set(pages)
    with sqlite3.connect(db) as conn:
        items, new = conn.execute("SELECT items_last, new_last FROM sources").fetchone()
        assert (items, new) == (6, 3)  # 3 left out by the budget are not "new"
    shown = run_archiver("jobs", "show", "news", "--db", str(db))
    assert shown.returncode == 0, shown.stderr
    assert "PAGES" in shown.stdout and "CAPTURES" in shown.stdout
    next_line = next(line for line in shown.stdout.splitlines() if line.startswith("next run:"))
    assert "adaptive polling" in next_line or "every 6h after the last start" in next_line
    history = run_archiver("jobs", "show", "news", "--db", str(db)).stdout.split("runs:")[1]
    row = history.splitlines()[2].split()
    assert row[5:7] == ["ok", "4"]  # PAGES: the budget (robots.txt, the feed: captures)
    assert int(row[7]) > 4  # CAPTURES


def test_scheduler_once_says_what_it_did(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    none = run_archiver("scheduler", "--once", "--db", str(db))
    assert none.returncode == 0 and "nothing due: no active jobs" in none.stdout
    added = run_archiver(
        "jobs",
        "add",
        "later",
        "--seed",
        "http://127.0.0.1:9/",
        "--cron",
        "0 0 1 1 *",
        "--db",
        str(db),
    )
    assert added.returncode == 0, added.stderr
    idle = run_archiver("scheduler", "--once", "--db", str(db))
    assert idle.returncode == 0, idle.stderr
    assert idle.stdout.strip().startswith("nothing due, next: later at ")
    assert "-01-01 00:00:00 UTC" in idle.stdout


# -- 4. errors before noise ---------------------------------------------------------------
def test_a_job_whose_site_is_down_prints_one_error_line(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    port = free_port()  # nothing listens there
    added = run_archiver(
        "jobs",
        "add",
        "down",
        "--seed",
        f"http://127.0.0.1:{port}/",
        "--every",
        "1h",
        "--db",
        str(db),
    )
    assert added.returncode == 0, added.stderr
    ran = run_archiver("jobs", "run", "down", "--db", str(db), "-q")
    assert ran.returncode == 4
    assert ran.stderr.strip().splitlines() == [
        "error: nothing was fetched from the seeds: connection refused (ConnectionRefused)"
    ]
    loud = run_archiver("jobs", "run", "down", "--db", str(db), "--log-level", "INFO")
    assert loud.returncode == 4
    assert "Gave up retrying" in loud.stderr  # the detail is there when asked for


# -- 8. stable identifiers ----------------------------------------------------------------
def test_document_key_survives_reindex_and_reads_leave_no_wal(
    demo_archive: Path, tmp_path: Path
) -> None:
    db = demo_archive / "archive.db"
    rebuilt = tmp_path / "rebuilt.db"
    proc = run_archiver(
        "reindex", str(demo_archive / "warc"), "--db", str(rebuilt), "-q", "-j", "1", timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    with closing(sqlite3.connect(db)) as conn:
        rows = conn.execute(
            "SELECT c.warc_record_id, d.url, d.text_hash FROM documents d JOIN captures c "
            "ON c.id = d.capture_id ORDER BY d.id LIMIT 5"
        ).fetchall()
    for record_id, url, text_hash in rows:
        for archive in (db, rebuilt):
            shown = run_archiver(
                "show",
                record_id,
                "--db",
                str(archive),
                "--format",
                "json",
                "--warc-dir",
                str(demo_archive / "warc"),
            )
            assert shown.returncode == 0, shown.stderr
            doc = json.loads(shown.stdout)["document"]
            assert (doc["url"], doc["text_hash"]) == (url, text_hash)
    # read-only commands leave the folder as they found it
    for path in (Path(f"{db}-wal"), Path(f"{db}-shm")):
        assert not path.exists()
    for args in (
        ["search", "harbour"],
        ["stats"],
        ["show", "1"],
        ["diff", "1"],
        ["export", "-o", str(tmp_path / "x.jsonl")],
        ["verify"],
    ):
        proc = run_archiver(*args, "--db", str(db))
        assert proc.returncode == 0, (args, proc.stderr)
        assert sorted(p.name for p in demo_archive.iterdir()) == [
            ".archiver-demo",
            "archive.db",
            "warc",
        ], args


# -- 10. small explanations -----------------------------------------------------------------
def test_verify_explains_payload_digests_and_reextract_dry_run(demo_copy: Path) -> None:
    db = str(demo_copy / "archive.db")
    verified = run_archiver("verify", "--db", db)
    assert verified.returncode == 0, verified.stdout
    assert "records by type" in verified.stdout
    assert "payload digests not checked" in verified.stdout
    assert "warcinfo (no payload)" in verified.stdout
    report = json.loads(run_archiver("verify", "--db", db, "--format", "json").stdout)
    assert (
        report["payload_digests_ok"] + sum(report["payload_not_checked"].values())
        == report["records"]
    )
    with sqlite3.connect(db) as conn:
        before = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    dry = run_archiver("reextract", "--db", db, "--dry-run", "-j", "1", timeout=300)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith("dry run, nothing written: ")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == before


# -- 5. search that ranks what researchers look for ------------------------------------------
def test_search_ranks_articles_first_explains_the_score_and_keeps_urls(demo_archive: Path) -> None:
    db = str(demo_archive / "archive.db")
    hits = [
        json.loads(line)
        for line in run_archiver(
            "search", "ferry", "--db", db, "--format", "jsonl"
        ).stdout.splitlines()
    ]
    types = [h["page_type"] for h in hits]
    assert types[0] == "article" and "listing" in types
    assert types == sorted(types, key=lambda t: t != "article")  # articles, then the rest
    assert all(h["relevance"] == -h["score"] > 0 for h in hits)
    articles = [h["relevance"] for h in hits if h["page_type"] == "article"]
    assert articles == sorted(articles, reverse=True)
    mixed = [
        json.loads(line)
        for line in run_archiver(
            "search", "ferry", "--db", db, "--format", "jsonl", "--page-type", "any"
        ).stdout.splitlines()
    ]
    assert [h["relevance"] for h in mixed] == sorted((h["relevance"] for h in mixed), reverse=True)
    assert mixed[0]["title"] == "Tag: ferries"  # by relevance alone the tag page wins
    # paging through the two tiers gives every hit once, in the same order
    paged = []
    for offset in range(0, len(hits), 3):
        paged += [
            json.loads(line)["id"]
            for line in run_archiver(
                "search",
                "ferry",
                "--db",
                db,
                "--format",
                "jsonl",
                "--limit",
                "3",
                "--offset",
                str(offset),
            ).stdout.splitlines()
        ]
    assert paged == [h["id"] for h in hits]
    # on a terminal 80 columns wide the URL wraps, whole
    lines = on_terminal(["search", "ferry", "--db", db, "--limit", "3"], columns=80)
    assert lines and max(len(line) for line in lines) <= 80
    cells = "".join(line.split("│")[2].strip() for line in lines if line.count("│") >= 4)
    for hit in hits[:3]:
        assert hit["url"] in cells


def on_terminal(args: list[str], columns: int) -> list[str]:
    """Run archiver with its output on a pseudo-terminal of ``columns`` columns."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["TERM"] = "dumb"  # no colours: plain text to compare
    proc = subprocess.Popen(
        [sys.executable, "-m", "archiver", *args],
        stdout=slave,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        cwd=ROOT,
        env=env,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(master)
    text = b"".join(chunks).decode("utf-8", "replace")
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)  # any escape sequence left
    return [line.rstrip("\r") for line in text.splitlines()]


def test_a_query_the_cli_takes_works_in_datasette(demo_archive: Path) -> None:
    db = str(demo_archive / "archive.db")
    cli = run_archiver("search", "ferry-timetable", "--db", db, "--format", "json")
    assert cli.returncode == 0 and json.loads(cli.stdout)
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "archiver", "serve", "--db", db, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}/archive"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + ".json", timeout=2):
                    break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None
                time.sleep(0.3)
        for query in ("covid-19", "ferry-timetable", "e.on", "!!!"):
            quoted = urllib.parse.quote(query)
            for path in (
                f"/documents.json?_search={quoted}&_shape=array",
                f"/document_list.json?_search={quoted}&_shape=array",
                f"/search.json?q={quoted}&_shape=array",
            ):
                with urllib.request.urlopen(base + path, timeout=30) as resp:
                    assert resp.status == 200, path
                    rows = json.loads(resp.read())
                    assert isinstance(rows, list), (path, rows)
                    if query == "ferry-timetable":
                        assert rows, path
        with urllib.request.urlopen(base + "/search.json?q=ferry&_shape=array") as resp:
            rows = json.loads(resp.read())
        kinds = [r["Page type"] for r in rows]
        assert kinds[0] == "article" and kinds == sorted(kinds, key=lambda t: t != "article")
        assert all(r["Relevance"] > 0 for r in rows)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=15)
