"""Bulk ingestion of documents into an archive: the store's normal insert path
(:func:`archiver.store.insert_capture`, :func:`archiver.store.insert_document`, FTS kept
in sync by the triggers), in large transactions, with FTS5 segment merging deferred
to the end of the load."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from contextlib import contextmanager
from typing import Any

from archiver import store

FTS_HASHSIZE = 32 * 1024 * 1024  # in-memory FTS terms before a segment is written
DEFAULT_AUTOMERGE = 4


@contextmanager
def bulk_mode(conn: sqlite3.Connection) -> Any:
    """Defer FTS5 merges and WAL checkpoints, sync the WAL only at checkpoints
    (``synchronous = NORMAL``: safe against a crash of the process) and enlarge the
    caches while loading; restore and checkpoint after."""
    conn.execute("PRAGMA cache_size = -200000")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("INSERT INTO documents_fts(documents_fts, rank) VALUES ('automerge', 0)")
    conn.execute(f"INSERT INTO documents_fts(documents_fts, rank) VALUES "
                 f"('hashsize', {FTS_HASHSIZE})")
    conn.commit()
    try:
        yield conn
    finally:
        conn.execute("INSERT INTO documents_fts(documents_fts, rank) VALUES "
                     f"('automerge', {DEFAULT_AUTOMERGE})")
        conn.commit()
        conn.execute("PRAGMA wal_autocheckpoint = 1000")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def insert_many(conn: sqlite3.Connection, pairs: Iterable[tuple[dict[str, Any], dict[str, Any]]],
                *, batch: int = 5000) -> int:
    """Insert (capture row, document) pairs in transactions of ``batch`` pairs;
    return the number of new documents."""
    added = 0
    pending = 0
    conn.execute("BEGIN")
    try:
        for capture, doc in pairs:
            capture_id = store.insert_capture(conn, capture)
            if capture_id is not None and store.insert_document(conn, capture_id, doc):
                added += 1
            pending += 1
            if pending >= batch:
                conn.execute("COMMIT")
                conn.execute("BEGIN")
                pending = 0
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return added


def optimize(conn: sqlite3.Connection) -> None:
    """Merge the FTS index into one segment and refresh the planner's statistics."""
    conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('optimize')")
    conn.execute("ANALYZE")
    conn.commit()
