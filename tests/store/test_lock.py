"""The archive's crawl lock (archiver.store.lock): one writer at a time, stale locks
taken over.  Holders are real processes."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from archiver.errors import LockedError
from archiver.store import lock
from tests.conftest import ROOT

HOLD = """
import sys
from archiver.store import lock
held = lock.acquire(sys.argv[1], "crawl")
held.set_crawl(7)
print("held", flush=True)
sys.stdin.read()
held.release()
"""


def holder(db: Path) -> subprocess.Popen[str]:
    """A process that holds the lock of ``db`` until its stdin closes."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db)],
        cwd=ROOT,
        text=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.kill()
    proc.communicate(timeout=30)


def test_acquire_release_reentrant(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    first = lock.acquire(db)
    again = lock.acquire(db)  # the same process: the same lock
    assert again is first
    data = json.loads(lock.lock_path(db).read_text())
    assert data["pid"] == os.getpid() and data["host"] == socket.gethostname()
    assert data["since"] and data["heartbeat"]
    again.release()
    assert lock.lock_path(db).exists()  # still held by the first user
    first.release()
    assert not lock.lock_path(db).exists()
    lock.acquire(db).release()


def test_live_holder_refuses_with_pid_host_since(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    proc = holder(db)
    try:
        with pytest.raises(LockedError) as err:
            lock.acquire(db)
        message = str(err.value)
        assert f"crawl 7 (pid {proc.pid} on {socket.gethostname()}, since " in message
        assert "\n" not in message
    finally:
        stop(proc)


def test_killed_holder_is_taken_over(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    proc = holder(db)
    proc.send_signal(signal.SIGKILL)
    stop(proc)
    assert lock.lock_path(db).exists()  # a SIGKILL leaves the file
    with lock.acquire(db) as taken:
        assert taken.previous["pid"] == proc.pid  # the dead holder it replaced
        assert json.loads(lock.lock_path(db).read_text())["pid"] == os.getpid()


def test_dead_pid_in_a_leftover_file_is_taken_over(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    lock.lock_path(db).write_text(
        json.dumps(
            {
                "pid": proc.pid,
                "host": socket.gethostname(),
                "since": "2026-01-01T00:00:00Z",
                "heartbeat": 1.0,
            }
        )
    )
    with lock.acquire(db) as taken:
        assert taken.previous["pid"] == proc.pid


def test_old_heartbeat_is_taken_over_even_when_still_locked(tmp_path: Path) -> None:
    """A holder that stopped beating (hung, or flock not shared) loses the lock."""
    db = tmp_path / "a.db"
    proc = holder(db)
    try:
        path = lock.lock_path(db)
        data = json.loads(path.read_text())
        data["heartbeat"] -= lock.STALE_AFTER + 60
        data["host"] = "elsewhere"  # its pid cannot be checked from here
        path.write_text(json.dumps(data))
        with lock.acquire(db) as taken:
            assert taken.previous["pid"] == proc.pid
    finally:
        stop(proc)


def test_other_host_with_fresh_heartbeat_is_respected(tmp_path: Path) -> None:
    """On a file system without shared flock, the file's word counts."""
    import time

    db = tmp_path / "a.db"
    lock.lock_path(db).write_text(
        json.dumps(
            {
                "pid": 1234,
                "host": "another-host",
                "since": "2026-01-01T00:00:00Z",
                "crawl_id": 3,
                "heartbeat": time.time(),
            }
        )
    )
    with pytest.raises(LockedError, match="crawl 3 \\(pid 1234 on another-host"):
        lock.acquire(db)


def test_heartbeat_refreshes(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with lock.acquire(db) as held:
        path = lock.lock_path(db)
        first = json.loads(path.read_text())["heartbeat"]
        held.heartbeat(force=True)
        assert json.loads(path.read_text())["heartbeat"] >= first
