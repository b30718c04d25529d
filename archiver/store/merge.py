"""Merge SQLite shards (one per worker of a distributed crawl) into one archive.

What is copied, and how a second merge of the same shard adds nothing:

- ``crawls``: a shard's crawl is the same crawl in the target when ``started_at``,
  ``seeds`` and ``settings`` are equal (a worker's settings name its WARC prefix,
  which holds its worker id); otherwise it gets a new id.
- ``captures``: keyed by ``warc_record_id`` (unique); ``warc_file`` names are kept, so
  the WARC files of all workers go in one folder.  A revisit record's ``revisit_of``
  points at the referred capture in the target: the same record, or, for a payload
  first fetched by another worker, the first full capture of that URL and digest.
- ``documents`` (the text versions): one per capture at most; a version equal to the
  latest one of its URL in the target is skipped, as during a crawl.
- ``failures``: keyed by crawl, URL, cause and time.
- ``crawls.job_id`` is kept as it is (the jobs of a shard's archive).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from archiver import store
from archiver.errors import StoreError


def merge(shards: list[Path], target: Path) -> dict[str, Any]:
    """Merge ``shards`` into ``target``; returns what each shard had and what was added."""
    db = store.open_db(target)
    conn = db.conn
    added = {"crawls": 0, "captures": 0, "documents": 0, "failures": 0}
    per_shard: dict[str, dict[str, int]] = {}
    try:
        for shard in shards:
            try:
                src = store.connect(shard, readonly=True)
                src.execute("SELECT 1 FROM captures LIMIT 1")
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"{shard} is not an archive database: {exc}") from None
            try:
                with conn:
                    counts = _merge_one(src, conn)
            finally:
                src.close()
            per_shard[str(shard)] = {k: v for k, v in counts.items() if not k.startswith("+")}
            for key in added:
                added[key] += counts["+" + key]
        with conn:  # revisits of a payload another shard brought in
            conn.execute(
                "UPDATE captures SET revisit_of = (SELECT r.id FROM captures r WHERE "
                "r.url = captures.url AND r.payload_digest = captures.payload_digest AND "
                "r.record_type = 'response' ORDER BY r.fetched_at, r.id LIMIT 1) "
                "WHERE record_type = 'revisit' AND revisit_of IS NULL"
            )
    finally:
        db.close()
    return {"shards": per_shard, "added": added}


def _rows(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...] = ()) -> Any:
    cur = conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    for row in cur:
        yield dict(zip(names, row, strict=True))


def _merge_one(src: sqlite3.Connection, dst: sqlite3.Connection) -> dict[str, int]:
    counts = {
        "crawls": 0,
        "captures": 0,
        "documents": 0,
        "failures": 0,
        "+crawls": 0,
        "+captures": 0,
        "+documents": 0,
        "+failures": 0,
    }
    crawl_ids: dict[int, int] = {}
    for row in _rows(src, "SELECT * FROM crawls ORDER BY id"):
        counts["crawls"] += 1
        found = dst.execute(
            "SELECT id FROM crawls WHERE started_at = ? AND seeds IS ? AND settings IS ?",
            (row["started_at"], row["seeds"], row["settings"]),
        ).fetchone()
        if found:
            crawl_ids[row["id"]] = found[0]
            dst.execute(
                "UPDATE crawls SET finished_at = ?, status = ?, stats = ? WHERE id = ?",
                (row["finished_at"], row["status"], row["stats"], found[0]),
            )
            continue
        cur = dst.execute(
            "INSERT INTO crawls (started_at, finished_at, seeds, settings, status, stats, "
            "job_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                row["started_at"],
                row["finished_at"],
                row["seeds"],
                row["settings"],
                row["status"],
                row["stats"],
                row["job_id"],
            ),
        )
        crawl_ids[row["id"]] = int(cur.lastrowid or 0)
        counts["+crawls"] += 1

    capture_ids: dict[int, int] = {}
    record_of: dict[int, str] = {}
    for row in _rows(src, "SELECT * FROM captures ORDER BY id"):
        counts["captures"] += 1
        record_of[row["id"]] = row["warc_record_id"]
        found = dst.execute(
            "SELECT id FROM captures WHERE warc_record_id = ?", (row["warc_record_id"],)
        ).fetchone()
        if found:
            capture_ids[row["id"]] = found[0]
            continue
        values = {c: row.get(c) for c in store.CAPTURE_COLUMNS}
        values["crawl_id"] = crawl_ids.get(row["crawl_id"])
        values["revisit_of"] = _revisit_target(src, dst, row, record_of, capture_ids)
        new_id = store.insert_capture(dst, values)
        if new_id is None:  # pragma: no cover - the lookup above found none
            continue
        capture_ids[row["id"]] = new_id
        counts["+captures"] += 1

    for row in _rows(src, "SELECT * FROM documents ORDER BY id"):
        counts["documents"] += 1
        capture_id = capture_ids.get(row["capture_id"])
        if capture_id is None:
            continue
        if dst.execute(
            "SELECT 1 FROM documents WHERE capture_id = ? LIMIT 1", (capture_id,)
        ).fetchone():
            continue
        doc = {c: row.get(c) for c in store.DOCUMENT_COLUMNS if c != "capture_id"}
        if store.insert_document(dst, capture_id, doc) is not None:
            counts["+documents"] += 1

    for row in _rows(src, "SELECT * FROM failures ORDER BY id"):
        counts["failures"] += 1
        crawl_id = crawl_ids.get(row["crawl_id"])
        if dst.execute(
            "SELECT 1 FROM failures WHERE crawl_id IS ? AND url = ? AND cause IS ? AND "
            "failed_at IS ? LIMIT 1",
            (crawl_id, row["url"], row["cause"], row["failed_at"]),
        ).fetchone():
            continue
        values = {c: row.get(c) for c in store.FAILURE_COLUMNS}
        values["crawl_id"] = crawl_id
        store.insert_failure(dst, values)
        counts["+failures"] += 1
    return counts


def _revisit_target(
    src: sqlite3.Connection,
    dst: sqlite3.Connection,
    row: dict[str, Any],
    record_of: dict[int, str],
    capture_ids: dict[int, int],
) -> int | None:
    """The target id of the capture a revisit record refers to."""
    if row.get("record_type") != "revisit":
        return None
    ref = row.get("revisit_of")
    if ref is not None and ref in capture_ids:
        return capture_ids[ref]
    found = dst.execute(
        "SELECT id FROM captures WHERE url = ? AND payload_digest = ? AND "
        "record_type = 'response' ORDER BY fetched_at, id LIMIT 1",
        (row["url"], row["payload_digest"]),
    ).fetchone()
    return found[0] if found else None
