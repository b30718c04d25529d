"""Bulk ingestion of documents into an archive: the store's normal insert path
(:func:`archiver.store.insert_capture`, :func:`archiver.store.insert_document`).

Inside :func:`bulk_mode` the whole load is one transaction: the FTS insert trigger is
set aside and the new documents are indexed in one statement at the end (FTS5 indexes
a batch several times faster than row by row from a trigger), FTS merges and WAL
checkpoints wait until the end.  Readers never see documents missing from the index
(the transaction commits the rows, the index and the restored trigger together); a
crawl writing to the same archive waits for the load (or gives up after SQLite's busy
timeout), so load archives that are not being crawled.  Outside bulk mode
:func:`insert_many` commits every ``batch`` pairs and the trigger indexes each row.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from archiver import store

FTS_HASHSIZE = 32 * 1024 * 1024  # in-memory FTS terms before a segment is written
DEFAULT_AUTOMERGE = 4
FTS_INSERT_TRIGGER = "documents_ai"


def _fts_config(conn: sqlite3.Connection, key: str, value: int) -> None:
    conn.execute(f"INSERT INTO documents_fts(documents_fts, rank) VALUES ('{key}', {value})")


@contextmanager
def bulk_mode(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Load many documents in one transaction, indexing them in FTS at the end."""
    if conn.in_transaction:
        conn.commit()
    conn.execute("PRAGMA cache_size = -200000")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("BEGIN IMMEDIATE")
    try:
        _fts_config(conn, "automerge", 0)
        _fts_config(conn, "hashsize", FTS_HASHSIZE)
        row = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
            (FTS_INSERT_TRIGGER,),
        ).fetchone()
        trigger_sql = row[0] if row else None
        last_id = conn.execute("SELECT coalesce(max(id), 0) FROM documents").fetchone()[0]
        if trigger_sql:
            conn.execute(f"DROP TRIGGER {FTS_INSERT_TRIGGER}")
        yield conn
        if trigger_sql:
            conn.execute(
                "INSERT INTO documents_fts (rowid, title, text) "
                "SELECT id, title, text FROM documents WHERE id > ?",
                (last_id,),
            )
            conn.execute(trigger_sql)
        _fts_config(conn, "automerge", DEFAULT_AUTOMERGE)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")  # the trigger comes back with the rollback
        raise
    finally:
        conn.execute("PRAGMA wal_autocheckpoint = 1000")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def insert_many(
    conn: sqlite3.Connection,
    pairs: Iterable[tuple[dict[str, Any], dict[str, Any]]],
    *,
    batch: int = 5000,
) -> int:
    """Insert (capture row, document) pairs; return the number of new documents.
    Outside a transaction, commits every ``batch`` pairs; inside one (bulk mode),
    leaves committing to it."""
    own = not conn.in_transaction
    added = 0
    pending = 0
    if own:
        conn.execute("BEGIN")
    try:
        for capture, doc in pairs:
            capture_id = store.insert_capture(conn, capture)
            if capture_id is not None and store.insert_document(conn, capture_id, doc):
                added += 1
            pending += 1
            if own and pending >= batch:
                conn.execute("COMMIT")
                conn.execute("BEGIN")
                pending = 0
        if own:
            conn.execute("COMMIT")
    except BaseException:
        if own:
            conn.execute("ROLLBACK")
        raise
    return added


def optimize(conn: sqlite3.Connection) -> None:
    """Merge the FTS index into one segment and refresh the planner's statistics."""
    conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('optimize')")
    conn.execute("ANALYZE")
    conn.commit()
