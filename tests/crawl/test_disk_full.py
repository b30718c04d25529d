"""Disk full: a crawl whose WARC folder or database runs out of space stops with one
line and exit status 3, leaves every WARC file ending on a complete record and
nothing committed pointing at missing bytes, and ``--resume`` completes it once
space is freed.  Real small file systems (tmpfs, mounted by the test: needs root,
as CI runs), real crawls of the local test site in subprocesses."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import re
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastwarc.warc import ArchiveIterator as FastIterator
from warcio.archiveiterator import ArchiveIterator

from archiver.crawl.failures import EXIT_WRITE
from archiver.errors import WriteError
from archiver.ops.verify import verify
from archiver.warc import WarcWriter, iter_records
from tests.conftest import SITE_EXIT, run_archiver
from tests.crawl.test_crash import articles

pytestmark = pytest.mark.e2e

ARTICLES = 40


@contextlib.contextmanager
def small_fs(where: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` mounted at ``where`` (skips the test when it cannot be)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs to fill up needs root (CI runs as root)")
    where.mkdir(parents=True, exist_ok=True)
    try:
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
            capture_output=True,
            text=True,
        )
    except OSError as exc:
        pytest.skip(f"cannot run mount: {exc}")
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        if subprocess.run(["umount", str(where)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(where)], capture_output=True)


def fill(fs: Path, leave: int) -> Path:
    """A file taking all the space of ``fs`` but ``leave`` bytes."""
    st = os.statvfs(fs)
    filler = fs / "filler"
    with open(filler, "wb") as fh:
        fh.write(b"\0" * max(st.f_bavail * st.f_frsize - leave, 0))
    return filler


@pytest.fixture
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from archiver.demo.server import SiteServer
    from tests.conftest import Site, build_site, site_routes

    root = tmp_path_factory.mktemp("bigsite")
    info = build_site(root, articles=ARTICLES)
    with SiteServer(root, routes=site_routes()) as server:
        yield Site(server, root, info)


def crawl(url: str, db: Path, warc: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_archiver(
        "crawl", url, "--db", str(db), "--warc-dir", str(warc), "--delay", "0", "-q", *extra
    )


def one_row(db: Path, sql: str) -> tuple[Any, ...]:
    conn = sqlite3.connect(db)
    try:
        return tuple(conn.execute(sql).fetchone())
    finally:
        conn.close()


def check_whole(warc: Path) -> int:
    """Every WARC file ends on a complete record, and reads to its end with
    warcio, FastWARC and the archiver's reader; returns the number of records."""
    files = sorted(warc.glob("*.warc.gz*"))
    assert files
    total = 0
    for path in files:
        data = path.read_bytes()
        gzip.decompress(data)  # raises on a cut gzip member
        with open(path, "rb") as fh:
            n = sum(1 for rec in ArchiveIterator(fh) if rec.content_stream().read() is not None)
        with open(path, "rb") as fh:
            fast = 0
            for rec in FastIterator(fh, parse_http=False):
                assert rec.verify_block_digest(), (path.name, rec.record_id)
                fast += 1
        ours = list(iter_records(path))
        assert all(r.error is None for r in ours), [r.error for r in ours if r.error]
        assert ours[-1].offset + ours[-1].length == len(data)
        assert n == fast == len(ours)
        total += n
    return total


def check_complete(site: Any, db: Path, warc: Path) -> None:
    docs = articles(db)
    assert len(docs) == ARTICLES and set(docs.values()) == {1}
    assert one_row(db, "SELECT count(*), min(status) FROM crawls") == (1, "partial")
    assert one_row(db, "SELECT count(*) FROM frontier") == (0,)
    report = verify(db, warc)
    assert report.problems == []
    check_whole(warc)


def check_stopped(run: subprocess.CompletedProcess[str], what: str) -> None:
    assert run.returncode == EXIT_WRITE, run.stderr
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith(f"error: disk full writing {what} (")
    assert lines[0].endswith(
        "; free space and run the same archiver crawl with --resume to continue crawl 1"
    )


def test_warc_folder_full_stops_cleanly_and_resume_completes(big_site: Any, tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with small_fs(tmp_path / "fs", "1m") as fs:
        warc = fs / "warc"
        filler = fill(fs, 24 * 1024)  # room for about a third of the site's records
        url = big_site.url("/")
        stopped = crawl(url, db, warc)
        check_stopped(stopped, f"WARC files in {warc}")
        assert one_row(db, "SELECT status FROM crawls") == ("interrupted",)
        assert 0 < len(articles(db)) < ARTICLES
        assert not list(warc.glob("*.open"))  # closed, cut back to its last record
        records = check_whole(warc)
        # nothing committed points at missing bytes; every record has its row
        assert verify(db, warc).problems == []
        assert one_row(db, "SELECT count(*) FROM captures")[0] * 2 + 1 == records
        # still full: --resume stops the same way, losing nothing
        again = crawl(url, db, warc, "--resume")
        check_stopped(again, f"WARC files in {warc}")
        check_whole(warc)
        filler.unlink()
        resumed = crawl(url, db, warc, "--resume")
        assert resumed.returncode == SITE_EXIT, resumed.stderr
        assert "Traceback" not in resumed.stderr
        check_complete(big_site, db, warc)
        # the earlier runs' counters continue; what stopped them does not
        stats = json.loads(one_row(db, "SELECT stats FROM crawls")[0])
        assert stats["archiver/resumed"] == 2 and "archiver/write_error" not in stats


def test_database_full_stops_cleanly_and_resume_completes(big_site: Any, tmp_path: Path) -> None:
    from archiver import store

    warc = tmp_path / "warc"
    with small_fs(tmp_path / "fs", "2m") as fs:
        db = fs / "a.db"
        store.open_db(db).close()  # the archive's tables, then little room for rows
        filler = fill(fs, 96 * 1024)
        url = big_site.url("/")
        stopped = crawl(url, db, warc)
        check_stopped(stopped, f"the archive database {db}")
        check_whole(warc)
        # rows not committed, records written: no row points at missing bytes, and
        # the records without rows get theirs when the crawl is resumed
        assert {p.kind for p in verify(db, warc).problems} <= {"orphan"}
        filler.unlink()
        resumed = crawl(url, db, warc, "--resume")
        assert resumed.returncode == SITE_EXIT, resumed.stderr
        assert "Traceback" not in resumed.stderr
        check_complete(big_site, db, warc)


def exchange(writer: WarcWriter, n: int, size: int) -> Any:
    body = os.urandom(size // 2).hex().encode()  # incompressible
    return writer.write_exchange(
        f"http://example.test/{n}",
        b"GET /%d HTTP/1.1\r\nHost: example.test\r\n\r\n" % n,
        b"",
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n",
        body,
        moment=datetime(2026, 3, 1, tzinfo=UTC),
    )


def test_writer_cuts_a_failed_write_back_and_goes_on_once_there_is_room(tmp_path: Path) -> None:
    with small_fs(tmp_path / "fs", "256k") as fs:
        filler = fill(fs, 64 * 1024)
        writer = WarcWriter(fs / "warc", prefix="full", max_size=10**9)
        written = []
        with pytest.raises(WriteError) as raised:
            for n in range(100):
                written.append(exchange(writer, n, 9000))
        assert raised.value.reason == "disk full"
        assert str(raised.value).startswith(f"disk full writing WARC files in {fs / 'warc'} (")
        assert 2 <= len(written) < 100
        path = fs / "warc" / f"{writer.current_file}.open"
        last = written[-1]
        # the file ends where the last complete exchange (response + request) ended
        recs = list(iter_records(path))
        assert recs[-1].type == "request" and recs[-2].record_id == last.record_id
        assert path.stat().st_size == recs[-1].offset + recs[-1].length
        filler.unlink()
        end = path.stat().st_size
        more = exchange(writer, 999, 9000)
        assert more.offset == end  # written where the cut left the file
        writer.close()
        final = fs / "warc" / writer.files_written[0]
        check_whole(final.parent)
        ids = [r.record_id for r in iter_records(final)]
        assert ids.count(more.record_id) == 1 and ids[-2] == more.record_id
        assert len(ids) == 1 + 2 * (len(written) + 1)


def test_write_error_message() -> None:
    err = WriteError("WARC files in w (No space left on device)", "disk full", 28)
    assert str(err) == "disk full writing WARC files in w (No space left on device)"
    assert isinstance(err, OSError)
    from archiver.errors import write_failure

    assert write_failure(OSError(28, "No space left on device")) == "disk full"
    assert write_failure(OSError(122, "Disk quota exceeded")) == "disk quota exceeded"
    assert write_failure(OSError(5, "Input/output error")) == "I/O error"
    assert write_failure(OSError(13, "Permission denied")) is None
    full = sqlite3.OperationalError("database or disk is full")
    assert write_failure(full) == "disk full"
    assert write_failure(sqlite3.OperationalError("no such table: x")) is None


def test_database_full_before_the_crawl_starts(site: Any, tmp_path: Path) -> None:
    """No room even for the archive's lock file: one line, exit 3, nothing to resume."""
    from archiver import store

    with small_fs(tmp_path / "fs", "1m") as fs:
        db = fs / "a.db"
        store.open_db(db).close()
        fill(fs, 0)
        run = crawl(site.url("/"), db, tmp_path / "warc")
        assert run.returncode == EXIT_WRITE, run.stderr
        assert "Traceback" not in run.stderr
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1, run.stderr
        assert lines[0].startswith(f"error: disk full writing the archive's lock file {db}.lock")
        assert lines[0].endswith("; free space and run the crawl again")


def test_new_archive_database_that_does_not_fit(site: Any, tmp_path: Path) -> None:
    """Room for the lock file, not for a new archive's tables: one line naming the
    database, exit 3, no traceback."""
    with small_fs(tmp_path / "fs", "1m") as fs:
        db = fs / "a.db"
        fill(fs, 12 * 1024)
        run = crawl(site.url("/"), db, tmp_path / "warc")
        assert run.returncode == EXIT_WRITE, run.stderr
        assert "Traceback" not in run.stderr
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1, run.stderr
        # SQLite says "disk full" or, when its WAL index does not fit, "disk I/O error"
        assert re.match(
            rf"error: (disk full|I/O error) writing the archive database {db} ", lines[0]
        )
        assert lines[0].endswith("; free space and run the crawl again")
