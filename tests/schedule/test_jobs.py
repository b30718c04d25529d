"""Jobs: CLI commands and errors, TOML round trip, locks, adaptive sources, run
history, and the scheduler loop driven by an injected clock and fake processes."""

from __future__ import annotations

import json
import signal
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from archiver import store
from archiver.cli import cli
from archiver.schedule import jobs as j
from archiver.schedule.rules import parse_schedule
from archiver.schedule.scheduler import Scheduler
from tests.conftest import run_archiver

T0 = 1_800_000_000.0


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "archive.db")


def add(db: str, name: str, *args: str) -> Any:
    result = invoke("jobs", "add", name, "--db", db, *args)
    assert result.exit_code == 0, result.output
    return result


# -- CLI ---------------------------------------------------------------------------
def test_add_list_show_edit_pause_resume_remove(db: str) -> None:
    add(
        db,
        "city",
        "--seed",
        "https://news.example.org/",
        "--feed",
        "https://news.example.org/feed.xml",
        "--every",
        "6h",
        "--max-pages",
        "50",
        "--deny",
        "/private/",
        "--delay",
        "0.5",
    )
    add(db, "nightly", "--seed", "https://other.example.net/", "--cron", "0 3 * * *")
    listing = invoke("jobs", "list", "--db", db).output
    assert "city" in listing and "every 6h" in listing and "nightly" in listing
    assert "cron 0 3 * * *" in listing and "NEXT RUN" in listing and "ARTICLES" in listing
    shown = invoke("jobs", "show", "city", "--db", db).output
    assert "https://news.example.org/feed.xml" in shown
    assert "--max-pages 50" in shown and "--deny /private/" in shown
    assert "revisit schedule:  1h,6h,1d,7d" in shown and "none yet" in shown

    result = invoke(
        "jobs",
        "edit",
        "city",
        "--db",
        db,
        "--cron",
        "*/30 * * * *",
        "--unset",
        "max-pages",
        "--concurrency",
        "4",
    )
    assert result.exit_code == 0, result.output
    conn = store.open_db(db).conn
    job = j.get_job(conn, "city")
    assert job.schedule.describe() == "cron */30 * * * *"
    assert job.options == {"deny": ["/private/"], "delay": 0.5, "concurrency": 4}
    assert job.feeds == ["https://news.example.org/feed.xml"]

    assert invoke("jobs", "pause", "city", "--db", db).exit_code == 0
    assert j.get_job(conn, "city").paused
    assert "paused" in invoke("jobs", "list", "--db", db).output
    assert invoke("jobs", "resume", "city", "--db", db).exit_code == 0
    assert not j.get_job(conn, "city").paused
    assert invoke("jobs", "remove", "nightly", "--db", db).exit_code == 0
    assert [x.name for x in j.list_jobs(conn)] == ["city"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--seed", "https://a.example/", "--every", "5x"], "invalid --every interval '5x'"),
        (["--seed", "https://a.example/", "--cron", "61 * * * *"], "invalid cron expression"),
        (["--seed", "https://a.example/"], "give exactly one of --every and --cron"),
        (
            ["--seed", "https://a.example/", "--every", "1h", "--cron", "0 * * * *"],
            "give exactly one of --every and --cron",
        ),
        (["--every", "1h"], "needs at least one --seed"),
        (["--seed", "ftp://a.example/", "--every", "1h"], "ftp://a.example/"),
        (
            ["--seed", "https://a.example/", "--every", "1h", "--revisit-schedule", "6h,1h"],
            "steps must increase",
        ),
        (
            ["--seed", "https://a.example/", "--every", "1h", "--poll-min", "2d"],
            "--poll-min must not exceed --poll-max",
        ),
    ],
)
def test_add_errors_are_one_line(db: str, args: list[str], message: str) -> None:
    result = invoke("jobs", "add", "x", "--db", db, *args)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], lines


def test_unknown_names_and_duplicates_are_one_line_errors(db: str) -> None:
    add(db, "city", "--seed", "https://a.example/", "--every", "1h")
    for args in (
        ["show", "nope"],
        ["edit", "nope", "--every", "2h"],
        ["pause", "nope"],
        ["resume", "nope"],
        ["remove", "nope"],
        ["run", "nope"],
    ):
        result = invoke("jobs", *args, "--db", db)
        assert result.exit_code == 1, args
        assert result.stderr.strip() == "error: no job named 'nope'", args
    again = invoke(
        "jobs", "add", "city", "--db", db, "--seed", "https://b.example/", "--every", "1h"
    )
    assert again.exit_code == 1 and "already exists" in again.stderr
    bad = invoke(
        "jobs", "add", "two words", "--db", db, "--seed", "https://b.example/", "--every", "1h"
    )
    assert bad.exit_code == 1 and "invalid job name" in bad.stderr
    missing = invoke("jobs", "list", "--db", str(Path(db).parent / "none.db"))
    assert missing.exit_code == 1 and "does not exist" in missing.stderr


def test_cli_error_in_a_real_process_has_no_traceback(tmp_path: Path) -> None:
    proc = run_archiver(
        "jobs",
        "add",
        "x",
        "--seed",
        "https://a.example/",
        "--cron",
        "bad",
        "--db",
        str(tmp_path / "a.db"),
        cwd=tmp_path,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        "error: invalid cron expression 'bad': use 5 fields, e.g. \"0 */6 * * *\""
    ]


def test_toml_round_trip(tmp_path: Path, db: str) -> None:
    add(
        db,
        "city",
        "--seed",
        "https://news.example.org/",
        "--seed",
        "https://news.example.org/politics/",
        "--feed",
        "https://news.example.org/feed.xml",
        "--sitemap",
        "https://news.example.org/news-sitemap.xml",
        "--every",
        "30m",
        "--max-pages",
        "200",
        "--allow",
        "/news/",
        "--no-requisites",
        "--ignore-robots",
        "--revisit-schedule",
        "1h,1d,7d+",
        "--poll-min",
        "5m",
        "--poll-max",
        "12h",
    )
    add(
        db,
        "nightly",
        "--seed",
        "https://other.example.net/",
        "--cron",
        "0 3 * * 1-5",
        "--paused",
        "--user-agent",
        'Bot "quoted" / 1.0',
    )
    exported = invoke("jobs", "export", "--db", db)
    assert exported.exit_code == 0
    text = exported.output
    assert "[[jobs]]" in text and 'cron = "0 3 * * 1-5"' in text and 'every = "30m"' in text
    path = tmp_path / "jobs.toml"
    path.write_text(text)
    fresh = str(tmp_path / "fresh.db")
    imported = invoke("jobs", "import", str(path), "--db", fresh)
    assert imported.exit_code == 0, imported.output
    assert "created job city" in imported.output
    assert invoke("jobs", "export", "--db", fresh).output == text
    # importing again updates by name
    path.write_text(text.replace('every = "30m"', 'every = "2h"'))
    again = invoke("jobs", "import", str(path), "--db", fresh)
    assert "updated job city" in again.output
    conn = store.open_db(fresh).conn
    assert j.get_job(conn, "city").schedule.value == "2h"
    assert j.get_job(conn, "nightly").paused


def test_import_errors(tmp_path: Path, db: str) -> None:
    path = tmp_path / "jobs.toml"
    path.write_text('[[jobs]]\nname = "x"\nseeds = ["https://a.example/"]\ncron = "nope"\n')
    result = invoke("jobs", "import", str(path), "--db", db)
    assert result.exit_code == 1 and "invalid cron expression" in result.stderr
    path.write_text("[[jobs]\n")
    result = invoke("jobs", "import", str(path), "--db", db)
    assert result.exit_code == 1 and result.stderr.startswith("error: invalid TOML")


# -- locks -------------------------------------------------------------------------
def make_job(
    conn: sqlite3.Connection, name: str = "city", every: str = "1h", created: float = T0, **kw: Any
) -> j.Job:
    job = j.Job(
        name=name, seeds=[f"https://{name}.example/"], schedule=parse_schedule(every=every), **kw
    )
    return j.save_job(conn, job, now=created)


def test_lock_is_exclusive_and_released(db: str) -> None:
    conn = store.open_db(db).conn
    job = make_job(conn)
    alive = lambda pid: True  # noqa: E731
    lock = j.acquire_lock(conn, job.id, pid=101, now=T0, host="h", alive=alive)
    assert lock is not None
    assert j.acquire_lock(conn, job.id, pid=202, now=T0 + 1, host="h", alive=alive) is None
    assert j.lock_holder(conn, job.id, T0 + 1, host="h", alive=alive).pid == 101
    j.release_lock(conn, lock)
    assert j.lock_holder(conn, job.id, T0 + 2, host="h", alive=alive) is None
    assert j.acquire_lock(conn, job.id, pid=202, now=T0 + 2, host="h", alive=alive)


def test_lock_of_a_dead_process_is_taken_over(db: str) -> None:
    conn = store.open_db(db).conn
    job = make_job(conn)
    assert j.acquire_lock(conn, job.id, pid=101, now=T0, host="h", alive=lambda p: True)
    # same host, process gone: taken over at once
    lock = j.acquire_lock(conn, job.id, pid=202, now=T0 + 5, host="h", alive=lambda p: p != 101)
    assert lock is not None and lock.pid == 202
    # a lock of another host cannot be checked by pid: it holds until its heartbeat expires
    assert (
        j.acquire_lock(conn, job.id, pid=303, now=T0 + 10, host="other", alive=lambda p: False)
        is None
    )


def test_lock_with_expired_heartbeat_is_taken_over(db: str) -> None:
    conn = store.open_db(db).conn
    job = make_job(conn)
    lock = j.acquire_lock(conn, job.id, pid=101, now=T0, host="h1", alive=lambda p: True)
    assert j.heartbeat(conn, lock, T0 + 500)
    assert j.acquire_lock(conn, job.id, pid=5, now=T0 + 500 + j.LOCK_TTL - 1, host="h2") is None
    taken = j.acquire_lock(conn, job.id, pid=5, now=T0 + 500 + j.LOCK_TTL + 1, host="h2")
    assert taken is not None and taken.host == "h2"
    assert not j.heartbeat(conn, lock, T0 + 2000)  # the old owner lost it


def test_real_dead_pid_lock(db: str) -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead = int(proc.stdout)
    conn = store.open_db(db).conn
    job = make_job(conn)
    assert j.acquire_lock(conn, job.id, pid=dead, now=T0)
    assert j.lock_holder(conn, job.id, T0 + 1) is None
    assert j.acquire_lock(conn, job.id, pid=12345678, now=T0 + 1) is not None


# -- adaptive sources --------------------------------------------------------------
def test_sources_adapt_and_make_the_job_due(db: str) -> None:
    conn = store.open_db(db).conn
    job = make_job(
        conn, every="6h", feeds=["https://city.example/feed.xml"], poll_min="30m", poll_max="1d"
    )
    key = "archiver/source/https://city.example/feed.xml"
    j.update_sources(conn, job, {f"{key}/items": 10, f"{key}/new": 10}, T0)
    (src,) = j.sources(conn, job.id)
    assert src["interval"] == 6 * 3600 and src["fetches"] == 1  # first fetch: initial
    j.update_sources(conn, job, {f"{key}/items": 10, f"{key}/new": 2}, T0 + 100)
    (src,) = j.sources(conn, job.id)
    assert src["interval"] == 3 * 3600 and src["next_fetch_at"] == T0 + 100 + 3 * 3600
    for i in range(5):
        j.update_sources(conn, job, {f"{key}/items": 10, f"{key}/new": 1}, T0 + 200 + i)
    assert j.sources(conn, job.id)[0]["interval"] == 1800  # clamped at --poll-min
    j.update_sources(conn, job, {f"{key}/items": 10, f"{key}/new": 0}, T0 + 300)
    assert j.sources(conn, job.id)[0]["interval"] == 2700
    j.update_sources(conn, job, {}, T0 + 400)  # not fetched: unchanged
    assert j.sources(conn, job.id)[0]["fetches"] == 8
    # the busy feed makes the job due before its 6 h slot
    j.mark_started(conn, job.id, T0 + 300)
    job = j.get_job(conn, "city")
    assert j.job_next_due(conn, job) == T0 + 300 + 2700


# -- run history ---------------------------------------------------------------------
def test_job_runs_view(db: str) -> None:
    sdb = store.open_db(db)
    conn = sdb.conn
    job = make_job(conn)

    def crawl(status: str, pages: list[tuple[str, int, str | None, str]], stats: dict) -> int:
        cid = store.start_crawl(sdb, [], {}, job_id=job.id)
        for n, (url, code, text, kind) in enumerate(pages):
            rid = f"<urn:uuid:{cid}-{n}>"
            cap = store.insert_capture(
                conn,
                {
                    "crawl_id": cid,
                    "url": url,
                    "status": code,
                    "fetched_at": store.utcnow(),
                    "content_length": 100,
                    "warc_record_id": rid,
                    "record_type": kind,
                },
            )
            if text is not None:
                store.insert_document(
                    conn, cap, {"url": url, "text_hash": text, "page_type": "article", "text": text}
                )
        conn.commit()
        store.finish_crawl(sdb, cid, status, stats)
        return cid

    crawl(
        "ok",
        [("https://a/1", 200, "one", "response"), ("https://a/2", 200, "two", "response")],
        {"archiver/fetch_errors": 1, "downloader/response_bytes": 5000},
    )
    crawl(
        "shutdown",
        [
            ("https://a/1", 304, None, "response"),
            ("https://a/2", 200, "two v2", "response"),
            ("https://a/3", 200, "three", "response"),
        ],
        {},
    )
    crawl("finished_weird", [], {})
    rows = conn.execute(
        "SELECT status, pages, new_articles, changed_articles, unchanged, "
        "errors, bytes FROM job_runs WHERE job = 'city' ORDER BY crawl_id"
    ).fetchall()
    assert rows == [
        ("ok", 2, 2, 0, 0, 1, 5000),
        ("interrupted", 3, 1, 1, 1, 0, 300),
        ("failed", 0, 0, 0, 0, 0, 0),
    ]
    assert j.articles_found(conn, job.id) == 3
    shown = invoke("jobs", "show", "city", "--db", db).output
    assert "interrupted" in shown and "CHANGED" in shown


# -- scheduler with an injected clock ---------------------------------------------------
class FakeProcess:
    def __init__(self, name: str, pid: int) -> None:
        self.name, self.pid = name, pid
        self.code: int | None = None
        self.signals: list[int] = []

    def poll(self) -> int | None:
        return self.code

    def send_signal(self, sig: int) -> None:
        self.signals.append(sig)


class Harness:
    def __init__(self, db: str, max_parallel: int = 2) -> None:
        self.now = T0
        self.procs: list[FakeProcess] = []
        self.sched = Scheduler(
            db,
            max_parallel=max_parallel,
            clock=lambda: self.now,
            spawn=self.spawn,
            sleep=self.sleep,
            alive=lambda p: True,
        )
        self.conn = self.sched.conn

    def spawn(self, db: str, name: str) -> FakeProcess:
        proc = FakeProcess(name, 1000 + len(self.procs))
        self.procs.append(proc)
        return proc

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        for proc in self.procs:  # every fake run takes one tick
            if proc.code is None:
                proc.code = 0

    def started(self) -> list[str]:
        return [p.name for p in self.procs]


def test_scheduler_starts_due_jobs_one_at_a_time(db: str) -> None:
    """The archive takes one writer: due jobs start one after the other, each waiting
    (still due) while another run writes, never started together to be refused."""
    conn = store.open_db(db).conn
    for name in ("a", "b", "c"):
        make_job(conn, name=name, every="1h")
    make_job(conn, name="off", every="1h", paused=True)
    h = Harness(db, max_parallel=2)
    assert h.sched.start_due() == ["a"]
    assert h.sched.start_due() == []  # a writes: b and c wait; a never twice
    h.procs[0].code = 0
    h.sched.reap()
    assert h.sched.start_due() == ["b"]
    h.sleep(1)
    h.sched.reap()
    assert h.sched.start_due() == ["c"]
    h.sleep(1)
    h.sched.reap()
    assert h.sched.start_due() == []  # nothing due until an hour after each start
    h.now = T0 + 3600 - 1
    assert h.sched.start_due() == []
    h.now = T0 + 3600
    assert h.sched.start_due() == ["a"]
    assert "off" not in h.started()


def test_scheduler_waits_while_another_crawl_writes_the_archive(db: str) -> None:
    from archiver.store import lock

    conn = store.open_db(db).conn
    make_job(conn, name="a", every="1h")
    h = Harness(db)
    held = lock.acquire(db, "crawl")  # as a crawl started by hand would
    try:
        assert lock.holder(db) is not None
        assert h.sched.start_due() == []  # due, waiting
    finally:
        held.release()
    assert lock.holder(db) is None
    assert h.sched.start_due() == ["a"]


def test_scheduler_runs_once_after_downtime(db: str) -> None:
    conn = store.open_db(db).conn
    make_job(conn, name="a", every="1h")
    j.mark_started(conn, j.get_job(conn, "a").id, T0)
    h = Harness(db)
    h.now = T0 + 10 * 3600 + 60  # ten missed slots
    assert h.sched.start_due() == ["a"]
    h.sleep(1)
    h.sched.reap()
    assert h.sched.start_due() == []
    h.now += 3600
    assert h.sched.start_due() == ["a"]


def test_scheduler_skips_jobs_locked_elsewhere(db: str) -> None:
    conn = store.open_db(db).conn
    job = make_job(conn, name="a", every="1h")
    h = Harness(db)
    assert j.acquire_lock(conn, job.id, pid=4242, now=T0, alive=lambda p: True)
    assert h.sched.start_due() == []
    h.now = T0 + j.LOCK_TTL + 1  # no heartbeat: stale, the job runs
    assert h.sched.start_due() == ["a"]


def test_scheduler_marks_a_crashed_run_failed(db: str) -> None:
    sdb = store.open_db(db)
    job = make_job(sdb.conn, name="a", every="1h")
    h = Harness(db)
    h.sched.start_due()
    store.start_crawl(sdb, [], {}, job_id=job.id)  # the run's row, left 'running'
    h.procs[0].code = -9
    assert h.sched.reap() == [("a", -9)]
    (run,) = j.runs(sdb.conn, job.id)
    assert run["status"] == "failed"
    stats = json.loads(sdb.conn.execute("SELECT stats FROM crawls").fetchone()[0])
    assert "exited with status -9" in stats["error"]


def test_scheduler_stop_forwards_sigterm_and_starts_nothing(db: str) -> None:
    conn = store.open_db(db).conn
    make_job(conn, name="a", every="1h")
    make_job(conn, name="b", every="1h")
    h = Harness(db, max_parallel=1)
    assert h.sched.start_due() == ["a"]
    h.sched.request_stop()
    assert h.procs[0].signals == [signal.SIGTERM]
    assert h.sched.start_due() == []
    h.sched.run_forever()  # returns once the running crawl ended
    assert h.started() == ["a"] and not h.sched.running


def test_scheduler_once(db: str) -> None:
    conn = store.open_db(db).conn
    make_job(conn, name="a", every="1h")
    make_job(conn, name="b", every="1h")
    make_job(conn, name="later", every="1h", created=T0 + 600)
    h = Harness(db, max_parallel=4)
    ended = h.sched.run_once()
    assert sorted(ended) == [("a", 0), ("b", 0)]


def test_import_checks_option_types(tmp_path: Path, db: str) -> None:
    path = tmp_path / "jobs.toml"
    path.write_text(
        '[[jobs]]\nname = "x"\nseeds = ["https://a.example/"]\nevery = "1h"\n'
        '[jobs.options]\nmax_pages = "many"\n'
    )
    result = invoke("jobs", "import", str(path), "--db", db)
    assert result.exit_code == 1
    assert (
        result.stderr.strip() == "error: job 'x': crawl option max_pages: 'many' is not a "
        "valid value"
    )
    path.write_text(
        '[[jobs]]\nname = "x"\nseeds = ["https://a.example/"]\nevery = "1h"\n'
        "[jobs.options]\nspeed = 3\n"
    )
    result = invoke("jobs", "import", str(path), "--db", db)
    assert result.exit_code == 1 and "unknown crawl option(s): speed" in result.stderr


def test_a_run_that_cannot_start_is_recorded_failed(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    (tmp_path / "afile").write_text("not a folder")
    add(
        str(db),
        "broken",
        "--seed",
        "http://127.0.0.1:9/",
        "--every",
        "1h",
        "--warc-dir",
        str(tmp_path / "afile"),
    )
    proc = run_archiver("jobs", "run", "broken", "--db", str(db), cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.strip().startswith("error: cannot write WARC folder")
    conn = store.open_db(db).conn
    (run,) = j.runs(conn, j.get_job(conn, "broken").id)
    assert run["status"] == "failed" and run["errors"] == 1
    assert conn.execute("SELECT count(*) FROM job_locks").fetchone() == (0,)
    assert j.get_job(conn, "broken").last_started_at is not None


def test_a_run_refused_by_a_running_crawl_writes_nothing(tmp_path: Path) -> None:
    """Another process holds the archive's crawl lock: `jobs run` says who, exits 1,
    and writes nothing (no crawl row, no job lock row, the job not marked started)."""
    from tests.conftest import lock_held_elsewhere

    db = tmp_path / "archive.db"
    add(str(db), "city", "--seed", "http://127.0.0.1:9/", "--every", "1h")
    conn = sqlite3.connect(db)
    before = conn.execute("SELECT * FROM jobs").fetchall()
    conn.close()
    with lock_held_elsewhere(db) as holder:
        proc = run_archiver("jobs", "run", "city", "--db", str(db), cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert f"pid {holder.pid} on " in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT count(*) FROM crawls").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM job_locks").fetchone() == (0,)
        assert conn.execute("SELECT * FROM jobs").fetchall() == before
    finally:
        conn.close()
