"""One writer at a time: the crawl lock of an archive.

A crawl (or ``archiver repair``) takes the lock of its archive before it writes
anything, and holds it until it ends.  The lock is a file next to the database,
``<db>.lock``, locked with ``flock`` (released by the kernel when the holding
process dies, however it dies) and holding a JSON line that names the holder:
pid, host, start time, the crawl's id once it has one, and a heartbeat the holder
refreshes while it runs.

A second writer is refused with a :class:`~archiver.errors.LockedError` naming the
holder, before it has written a byte: no crawl row, no file.  A stale lock is taken
over: a lock file nobody holds (its writer died), and one whose holder is a dead
process on this host or whose heartbeat is older than :data:`STALE_AFTER` seconds
(a file system where ``flock`` is not shared, a hung or stopped holder).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import socket
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archiver.errors import LockedError

logger = logging.getLogger(__name__)

#: seconds between heartbeats of a running holder
HEARTBEAT_EVERY = 10.0
#: a holder whose heartbeat is older than this is taken for dead
STALE_AFTER = 300.0

_held: dict[Path, ArchiveLock] = {}


def lock_path(db_path: str | os.PathLike[str]) -> Path:
    """The lock file of the archive at ``db_path``."""
    path = Path(db_path)
    return path.with_name(path.name + ".lock")


def pid_alive(pid: int) -> bool:
    """Whether a process ``pid`` exists on this host (a zombie counts as dead)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            state = fh.read().rsplit(b")", 1)[1].split()[0]
        return state not in (b"Z", b"X")
    except (OSError, IndexError):
        return True


def read_holder(path: Path) -> dict[str, Any]:
    """What a lock file says about its holder ({} if nothing readable)."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return {}
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def describe(holder: dict[str, Any]) -> str:
    """``crawl 3 (pid 123 on host, since 2026-...)`` for messages."""
    what = (
        f"crawl {holder['crawl_id']}"
        if holder.get("crawl_id")
        else str(holder.get("what") or "another writer")
    )
    return (
        f"{what} (pid {holder.get('pid', '?')} on {holder.get('host', '?')}, "
        f"since {holder.get('since', '?')})"
    )


def is_stale(holder: dict[str, Any], now: float | None = None) -> bool:
    """Whether a holder that still has the file locked is dead all the same."""
    now = time.time() if now is None else now
    if (
        holder.get("host") == socket.gethostname()
        and isinstance(holder.get("pid"), int)
        and not pid_alive(holder["pid"])
    ):
        return True
    beat = holder.get("heartbeat")
    return isinstance(beat, (int, float)) and now - beat > STALE_AFTER


class ArchiveLock:
    """The held lock of one archive (see the module notes); :func:`acquire` makes one."""

    def __init__(self, path: Path, fd: int, what: str, previous: dict[str, Any]) -> None:
        self.path = path
        self._fd = fd
        self.what = what
        #: the stale holder this lock was taken over from ({} if none)
        self.previous = previous
        self.crawl_id: int | None = None
        self.since = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self._users = 1
        self._last_beat = 0.0
        self._write()

    def _write(self) -> None:
        self._last_beat = time.time()
        data = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "since": self.since,
            "what": self.what,
            "crawl_id": self.crawl_id,
            "heartbeat": self._last_beat,
        }
        raw = (json.dumps(data, sort_keys=True) + "\n").encode("utf-8")
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, raw, 0)

    def set_crawl(self, crawl_id: int | None) -> None:
        """Name the crawl that holds the lock (shown to a refused writer)."""
        self.crawl_id = crawl_id
        self.heartbeat(force=True)

    def heartbeat(self, force: bool = False) -> None:
        """Refresh the heartbeat (at most every :data:`HEARTBEAT_EVERY` s unless forced)."""
        if self._fd < 0 or (not force and time.time() - self._last_beat < HEARTBEAT_EVERY):
            return
        try:
            self._write()
        except OSError as exc:  # a full disk must not stop the crawl here
            logger.warning("Could not refresh the lock %s: %s", self.path, exc)

    @property
    def held(self) -> bool:
        return self._fd >= 0

    def release(self) -> None:
        """Give the lock up (the last user of this process removes the file)."""
        self._users -= 1
        if self._users > 0 or self._fd < 0:
            return
        _held.pop(self.path, None)
        with contextlib.suppress(OSError):
            self.path.unlink()
        with contextlib.suppress(OSError):
            os.close(self._fd)
        self._fd = -1

    def __enter__(self) -> ArchiveLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def holder(db_path: str | os.PathLike[str]) -> dict[str, Any] | None:
    """Who holds the lock of the archive at ``db_path`` now (its JSON line, ``{}`` if
    unreadable), or None when no live writer does.  Takes nothing, writes nothing."""
    path = lock_path(db_path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None  # no lock file: nobody writes
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            found = read_holder(path)
            return None if found and is_stale(found) else found
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None  # a file nobody holds: its writer died
    finally:
        os.close(fd)


def acquire(db_path: str | os.PathLike[str], what: str = "crawl") -> ArchiveLock:
    """Take the lock of the archive at ``db_path`` (re-entrant within a process).

    Raises :class:`LockedError` naming the holder when a live writer holds it;
    creates nothing then (the lock file exists already when someone holds it)."""
    path = lock_path(db_path).absolute()
    mine = _held.get(path)
    if mine is not None and mine.held:
        mine._users += 1
        return mine
    broken: dict[str, Any] = {}
    for _attempt in range(20):
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except FileNotFoundError:
            raise LockedError(f"cannot create the lock file {path}: no such folder") from None
        except OSError as exc:
            raise LockedError(
                f"cannot create the lock file {path}: {exc.strerror or exc}"
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            holder = read_holder(path)
            if holder and is_stale(holder):
                logger.warning("Taking over the stale lock of %s", describe(holder))
                broken = holder
                with contextlib.suppress(OSError):
                    path.unlink()  # the old holder keeps a lock on a file nobody sees
                continue
            raise LockedError(
                f"archive {db_path} is being written by {describe(holder)}; "
                f"one writer at a time (lock file {path})"
            ) from None
        # the file may have been removed (released or taken over) between open and flock
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path))
        except FileNotFoundError:
            same = False
        if not same:
            os.close(fd)
            continue
        previous = read_holder(path) or broken
        if previous and previous.get("pid") != os.getpid():
            fresh = previous.get("heartbeat")
            if (
                previous.get("host") != socket.gethostname()
                and isinstance(fresh, (int, float))
                and time.time() - fresh <= STALE_AFTER
            ):
                # another host's live writer, on a file system without shared flock
                os.close(fd)
                raise LockedError(
                    f"archive {db_path} is being written by "
                    f"{describe(previous)}; one writer at a time "
                    f"(lock file {path})"
                )
            logger.info("Taking over the lock of %s (no longer running)", describe(previous))
        lock = ArchiveLock(path, fd, what, previous)
        _held[path] = lock
        return lock
    raise LockedError(f"could not take the lock {path}: it keeps changing")
