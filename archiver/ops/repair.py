"""``archiver repair``, also run at the start of every crawl: the debris of crashed
crawls made whole again.  The WARC files are the source of truth.

1. Every ``.open`` WARC file whose writer is gone (no process holds its ``flock``,
   see :class:`archiver.warc.WarcWriter`) is cut back to the end of its last complete
   record, synced, and closed (the ``.open`` suffix dropped).  A file left with no
   complete record is removed.
2. Records without a ``captures`` row get their rows (and their documents), as
   :func:`archiver.ops.reindex.reindex` builds them, attributed to the crawl the file
   belongs to (its ``warcinfo`` record's ``isPartOf: crawl-N``).  At a crawl's start
   only the files of crashed crawls are read (those just closed and those written
   since a dead crawl started); ``archiver repair`` reads every file.  At the start
   of ``crawl --resume``, the records of the crawl being resumed get their rows only:
   the resumed crawl extracts their documents alongside its fetching.
3. ``crawls`` rows still ``running`` become ``interrupted``: the caller holds the
   archive's lock (:mod:`archiver.store.lock`), so no live process writes them.

After a repair ``archiver verify`` is clean unless a file is damaged in its middle
(which a crash does not cause and a repair does not hide).
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
import time
from concurrent.futures import Executor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archiver import store
from archiver.extract.worker import default_workers, process_pool
from archiver.ops.reindex import ReindexResult, reindex_file
from archiver.ops.verify import list_warc_files
from archiver.warc import OPEN_SUFFIX, RawRecord, iter_records

logger = logging.getLogger(__name__)

_PART_OF = re.compile(rb"^isPartOf:\s*crawl-(\d+)\s*$", re.MULTILINE)


@dataclass
class RepairResult:
    #: ``.open`` files of dead crawls closed (names without the suffix)
    closed: list[str] = field(default_factory=list)
    #: bytes cut off their ends (partial records)
    bytes_cut: int = 0
    #: ``.open`` files removed because they held no complete record
    removed: list[str] = field(default_factory=list)
    #: ``.open`` files left alone because a live writer holds them
    in_use: list[str] = field(default_factory=list)
    files_read: int = 0
    captures: int = 0
    revisits: int = 0
    documents: int = 0
    #: crawl rows marked ``interrupted``
    interrupted: list[int] = field(default_factory=list)
    read_errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(
            self.closed
            or self.removed
            or self.captures
            or self.revisits
            or self.documents
            or self.interrupted
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        """One line for logs."""
        parts = []
        if self.closed:
            parts.append(
                f"closed {len(self.closed)} .open WARC file(s) "
                f"({self.bytes_cut} bytes of partial records cut)"
            )
        if self.removed:
            parts.append(f"removed {len(self.removed)} empty .open file(s)")
        if self.captures or self.revisits:
            parts.append(f"{self.captures + self.revisits} record(s) got their rows")
        if self.documents:
            parts.append(f"{self.documents} document(s) extracted")
        if self.interrupted:
            parts.append(
                "crawl(s) " + ", ".join(map(str, self.interrupted)) + " marked interrupted"
            )
        return "; ".join(parts) or "nothing to repair"


def complete_end(path: Path) -> int:
    """The offset just after the last complete record of a WARC file (0 if none)."""
    end = 0
    for item in iter_records(path):
        if isinstance(item, RawRecord) and item.error is None:
            end = max(end, item.offset + item.length)
    return end


def close_dead_file(path: Path, result: RepairResult) -> Path | None:
    """Cut a dead ``.open`` file back to its last complete record and close it;
    return the closed file's path (None if it was in use or removed)."""
    try:
        fh = open(path, "r+b")  # noqa: SIM115 - closed below
    except OSError as exc:
        result.read_errors.append(f"{path.name}: {exc.strerror or exc}")
        return None
    with fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            result.in_use.append(path.name)
            return None
        size = os.fstat(fh.fileno()).st_size
        end = complete_end(path)
        final = path.with_name(path.name[: -len(OPEN_SUFFIX)])
        if end == 0:
            path.unlink()
            result.removed.append(final.name)
            logger.warning("Removed %s: no complete record in it", path.name)
            return None
        if end < size:
            fh.truncate(end)
            result.bytes_cut += size - end
        fh.flush()
        os.fsync(fh.fileno())
        if final.exists():  # never overwrite: keep the dead file under its own name
            final = path.with_name(
                final.name.replace(".warc", f"-repaired{int(time.time())}.warc", 1)
            )
        os.replace(path, final)
        result.closed.append(final.name)
        logger.warning("Closed %s (%d bytes of a partial record cut)", final.name, size - end)
        return final


def crawl_of(path: Path) -> int | None:
    """The crawl id a WARC file's ``warcinfo`` names (``isPartOf: crawl-N``)."""
    for item in iter_records(path):
        if isinstance(item, RawRecord) and item.type == "warcinfo":
            found = _PART_OF.search(item.block)
            return int(found.group(1)) if found else None
        return None
    return None


def _parse_time(text: str | None) -> float | None:
    if not text:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC).timestamp()
    except ValueError:
        return None


def repair(
    db_path: str | Path,
    warc_dir: str | Path,
    *,
    all_files: bool = False,
    processes: int | None = 1,
    resuming: int | None = None,
) -> RepairResult:
    """Repair the archive at ``db_path`` and its WARC folder (see the module notes).

    The caller holds the archive's lock.  ``processes``: extraction processes for the
    records that get rows (1 = in this process; None = one per core).  ``resuming``:
    the crawl about to be resumed, whose files are read as a dead crawl's (it may
    have stopped on a failed database write, its last records without rows); its
    records get their rows but not their documents: the resumed crawl extracts them
    alongside its fetching (``archiver.ops.reindex.missing_jobs``)."""
    started = time.perf_counter()
    result = RepairResult()
    warc_dir = Path(warc_dir)
    db = store.open_db(db_path)
    conn = db.conn
    try:
        dead = conn.execute(
            "SELECT id, started_at FROM crawls WHERE status = 'running' ORDER BY id"
        ).fetchall()
        read_since = list(dead)
        if resuming is not None:
            read_since += conn.execute(
                "SELECT id, started_at FROM crawls WHERE id = ?", (resuming,)
            ).fetchall()
        closed: list[Path] = []
        for path in list_warc_files(warc_dir):
            if path.name.endswith(OPEN_SUFFIX):
                final = close_dead_file(path, result)
                if final is not None:
                    closed.append(final)
        if all_files:
            to_read = list_warc_files(warc_dir, include_open=False)
        else:
            since = [t for _id, started_at in read_since if (t := _parse_time(started_at))]
            oldest = min(since) - 5 if since else None
            to_read = [
                p
                for p in list_warc_files(warc_dir, include_open=False)
                if p in closed or (oldest is not None and p.stat().st_mtime >= oldest)
            ]
        known = {row[0] for row in conn.execute("SELECT id FROM crawls")}
        procs = default_workers() if processes is None else processes
        pool: Executor | None = process_pool(procs) if procs > 1 and to_read else None
        try:
            for path in to_read:
                _read_file(conn, db, path, known, pool, result, defer=resuming)
        finally:
            if pool is not None:
                pool.shutdown(wait=True)
        with conn:
            for crawl_id, started_at in dead:
                last = conn.execute(
                    "SELECT max(fetched_at) FROM captures WHERE crawl_id = ?", (crawl_id,)
                ).fetchone()[0]
                conn.execute(
                    "UPDATE crawls SET status = 'interrupted', finished_at = ? "
                    "WHERE id = ? AND status = 'running'",
                    (last or started_at, crawl_id),
                )
                result.interrupted.append(crawl_id)
    finally:
        db.close()
    result.seconds = time.perf_counter() - started
    return result


def _read_file(
    conn: Any,
    db: Any,
    path: Path,
    known: set[int],
    pool: Executor | None,
    result: RepairResult,
    defer: int | None = None,
) -> None:
    """Give the records of one file that have no row their rows (and documents,
    unless the file is of crawl ``defer``)."""
    crawl_id = crawl_of(path)
    if crawl_id not in known:
        with conn:
            crawl_id = store.start_crawl(db, [], {"repair": path.name})
        known.add(crawl_id)
        fresh = True
    else:
        fresh = False
    part = ReindexResult()
    extract = defer is None or crawl_id != defer
    reindex_file(conn, path, path.name, crawl_id, pool, part, extract=extract)
    result.files_read += 1
    result.captures += part.captures
    result.revisits += part.revisits
    result.documents += part.documents
    result.read_errors += part.read_errors
    if fresh:
        with conn:
            if part.captures + part.revisits == 0:
                conn.execute("DELETE FROM crawls WHERE id = ?", (crawl_id,))
                known.discard(crawl_id)
            else:
                store.finish_crawl(
                    db,
                    crawl_id,
                    "ok",
                    {
                        "archiver/repair/file": path.name,
                        "archiver/captures": part.captures,
                        "archiver/revisits": part.revisits,
                    },
                )
    with conn:  # revisits whose original came in another file: resolve now
        conn.execute(
            "UPDATE captures SET revisit_of = (SELECT o.id FROM captures o WHERE "
            "o.record_type = 'response' AND o.url = captures.url AND "
            "o.payload_digest = captures.payload_digest ORDER BY o.id LIMIT 1) "
            "WHERE crawl_id = ? AND record_type = 'revisit' AND revisit_of IS NULL",
            (crawl_id,),
        )
