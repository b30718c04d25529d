"""The SQLite archive: schema, migrations and the writes of a crawl.

Tables (documented in docs/archive-schema.md):

- ``crawls``: one row per run.
- ``captures``: one row per WARC response or revisit record, with its exact location.
- ``documents``: one row per distinct extracted text version of a page.
- ``documents_fts``: FTS5 index over ``documents(title, text)``, kept in sync by triggers.
- ``failures``: one row per request of a crawl that failed, with its cause.
- ``frontier``: the requests of an unfinished crawl, queued or done (``--resume``).

The database is opened in WAL mode so that readers (search, Datasette) never block a
running crawl.  During a crawl a single :class:`StoreWriter` thread owns the write
connection and commits in small batches; the WARC records a batch points at are
written and flushed before the batch is committed.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archiver.errors import SAID_AT_THE_END, StoreError, write_failure
from archiver.store import frontier
from archiver.store.jobs_tables import ensure_jobs_schema
from archiver.urls import site_key


def _import_sqlite_utils() -> Any:
    """``import sqlite_utils`` without pandas and numpy: sqlite-utils imports them when
    they are installed, only to convert their value types, which the archive never
    stores; that would cost every crawl (and each of its processes) ~100 MB of memory.
    They stay importable for whoever needs them."""
    import importlib
    import sys

    blocked = [name for name in ("pandas", "numpy") if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]  # import fails at once
    try:
        return importlib.import_module("sqlite_utils")
    finally:
        for name in blocked:
            if sys.modules.get(name) is None:
                del sys.modules[name]


if TYPE_CHECKING:
    import sqlite_utils
else:
    sqlite_utils = _import_sqlite_utils()

logger = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000

CRAWLS = {
    "id": int,
    "started_at": str,
    "finished_at": str,
    "seeds": str,
    "settings": str,
    "status": str,
    "stats": str,
    "job_id": int,
}
CAPTURES = {
    "id": int,
    "crawl_id": int,
    "url": str,
    "status": int,
    "mime_type": str,
    "fetched_at": str,
    "payload_digest": str,
    "content_length": int,
    "warc_file": str,
    "warc_offset": int,
    "warc_length": int,
    "warc_record_id": str,
    "revisit_of": int,
    "record_type": str,
    "ip_address": str,
    "site": str,
}
DOCUMENTS = {
    "id": int,
    "capture_id": int,
    "url": str,
    "canonical_url": str,
    "title": str,
    "author": str,
    "published": str,
    "modified": str,
    "sitename": str,
    "description": str,
    "language": str,
    "text": str,
    "word_count": int,
    "text_hash": str,
    "page_type": str,
    "extractor": str,
    "tags": str,
    "image": str,
    "extractor_options": str,
    "skip_reason": str,
    "extracted_at": str,
    "site": str,
}
FAILURES = {
    "id": int,
    "crawl_id": int,
    "url": str,
    "kind": str,
    "cause": str,
    "status": int,
    "detail": str,
    "failed_at": str,
    "warc_record_id": str,
    "site": str,
}
DOCUMENT_COLUMNS = [c for c in DOCUMENTS if c != "id"]
FAILURE_COLUMNS = [c for c in FAILURES if c != "id"]
CAPTURE_COLUMNS = [c for c in CAPTURES if c != "id"]


def utcnow() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class _ReadOnlyConnection(sqlite3.Connection):
    """A ``mode=ro`` connection that leaves no ``-wal``/``-shm`` files behind.

    In WAL mode a reader creates both files when they are missing, and a read-only
    connection cannot remove them on close.  When they were not there before it
    opened, closing opens the database read-write for a moment: the last connection
    to close checkpoints and removes them (while another process has the database
    open they stay, as they must)."""

    leave_clean: Path | None = None

    def close(self) -> None:
        super().close()
        path, self.leave_clean = self.leave_clean, None
        if path is None or not Path(f"{path}-wal").exists():
            return
        try:
            tidy = sqlite3.connect(str(path), timeout=0.1)
            try:
                tidy.execute("SELECT count(*) FROM sqlite_master").fetchone()
            finally:
                tidy.close()
        except sqlite3.Error:
            pass  # a read-only folder, or busy: the files stay


def connect(path: str | Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open the archive with the settings every connection uses."""
    conn: sqlite3.Connection
    if readonly:
        resolved = Path(path).resolve()
        clean = not Path(f"{resolved}-wal").exists() and not Path(f"{resolved}-shm").exists()
        uri = resolved.as_uri() + "?mode=ro"
        ro = sqlite3.connect(uri, uri=True, check_same_thread=False, factory=_ReadOnlyConnection)
        if clean and os.access(resolved.parent, os.W_OK):
            ro.leave_clean = resolved
        conn = ro
    else:
        conn = sqlite3.connect(str(path), check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def open_db(path: str | Path) -> sqlite_utils.Database:
    """Open (and create or migrate) the archive at ``path``; WAL mode."""
    try:
        db = sqlite_utils.Database(connect(path))
        db.enable_wal()
        ensure_schema(db)
    except sqlite3.OperationalError as exc:
        raise StoreError(f"cannot open archive database {path}: {exc}") from exc
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} is not an archive database: {exc}") from exc
    return db


def _base_tables(db: sqlite_utils.Database) -> None:
    """Migration 1: crawls, captures, documents and their full-text index, the
    ``site`` columns (added and backfilled on archives made before them), the
    ``document_list`` and ``changes`` views, the scheduled jobs' tables."""
    if "crawls" not in db.table_names():
        db.table("crawls").create(CRAWLS, pk="id", not_null={"started_at"})
    if "captures" not in db.table_names():
        db.table("captures").create(
            CAPTURES,
            pk="id",
            foreign_keys=[("crawl_id", "crawls", "id")],
        )
        db.table("captures").create_index(["url", "fetched_at"])
        db.table("captures").create_index(["warc_record_id"], unique=True)
        db.table("captures").create_index(["crawl_id"])
        db.table("captures").create_index(["payload_digest"])
    if "documents" not in db.table_names():
        db.table("documents").create(
            DOCUMENTS,
            pk="id",
            foreign_keys=[("capture_id", "captures", "id")],
        )
        db.table("documents").create_index(["url", "id"])
        db.table("documents").create_index(["capture_id"])
        db.table("documents").create_index(["text_hash"])
    if "documents_fts" not in db.table_names():
        db.table("documents").enable_fts(
            ["title", "text"],
            fts_version="FTS5",
            create_triggers=True,
            tokenize="porter unicode61 remove_diacritics 2",
        )
    for table in ("captures", "documents"):
        if "site" not in db.table(table).columns_dict:
            db.conn.create_function("archiver_site_key", 1, site_key, deterministic=True)
            db.execute(f"ALTER TABLE {table} ADD COLUMN site TEXT")
            db.execute(f"UPDATE {table} SET site = archiver_site_key(url)")
    for sql in VIEWS:
        db.execute(sql)
    ensure_jobs_schema(db)


def _search_indexes(db: sqlite_utils.Database) -> None:
    """Migration 2: the covering indexes of the search filters, replacing those of
    version 1 (an analysed archive gets their statistics too); migration 6 narrows
    them."""
    existing = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    for name, cols in SEARCH_INDEXES_V2.items():
        db.execute(f"CREATE INDEX IF NOT EXISTS {name} ON documents ({cols})")
    for name in SUPERSEDED_INDEXES:
        db.execute(f"DROP INDEX IF EXISTS {name}")
    if "sqlite_stat1" in db.table_names():
        for name in SEARCH_INDEXES_V2.keys() - existing:
            db.execute(f"ANALYZE {name}")


def _smaller_search_indexes(db: sqlite_utils.Database) -> None:
    """Migration 6: the search indexes of :data:`SEARCH_INDEXES` (narrower date and
    language indexes, an author index that covers the page type), without the
    ``text_hash`` index no query uses (an analysed archive gets their statistics)."""
    existing = {
        r[0]: r[1] for r in db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'")
    }
    made = []
    for name, cols in SEARCH_INDEXES.items():
        sql = f"CREATE INDEX {name} ON documents ({cols})"
        if existing.get(name) != sql:
            db.execute(f"DROP INDEX IF EXISTS {name}")
            db.execute(sql)
            made.append(name)
    for name in UNUSED_INDEXES:
        db.execute(f"DROP INDEX IF EXISTS {name}")
    if "sqlite_stat1" in db.table_names():
        for name in made:
            db.execute(f"ANALYZE {name}")


def _failures_table(db: sqlite_utils.Database) -> None:
    """Migration 3: the failed requests of each crawl, by cause."""
    if "failures" not in db.table_names():
        db.table("failures").create(
            FAILURES,
            pk="id",
            foreign_keys=[("crawl_id", "crawls", "id")],
        )
        db.table("failures").create_index(["crawl_id", "cause"])
        db.table("failures").create_index(["url"])


def _frontier_table(db: sqlite_utils.Database) -> None:
    """Migration 4: the durable frontier of each crawl (``--resume``)."""
    frontier.ensure_schema(db.conn)


def _job_runs_view(db: sqlite_utils.Database) -> None:
    """Migration 5: the run history view with pages, captures and failures."""
    ensure_jobs_schema(db)


#: The archive's schema, as numbered migrations applied in order and recorded in
#: ``schema_migrations`` (version, name, applied_at).  Each is idempotent, so an
#: archive made before migrations were recorded (``PRAGMA user_version`` 1 or 2, with
#: or without the tables of later versions) is brought up to date by running them all.
MIGRATIONS: tuple[tuple[int, str, Any], ...] = (
    (1, "crawls, captures, documents, full-text index, site columns, views, jobs", _base_tables),
    (2, "covering indexes of the search filters", _search_indexes),
    (3, "failures table", _failures_table),
    (4, "frontier table", _frontier_table),
    (5, "job_runs view with pages, captures and failures", _job_runs_view),
    (6, "smaller search indexes, no text_hash index", _smaller_search_indexes),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]


def schema_version(conn: sqlite3.Connection) -> int:
    """The archive's schema version: its last recorded migration; for an archive
    made before migrations were recorded, 0 (so that every idempotent migration runs
    once and is recorded)."""
    try:
        row = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
    except sqlite3.OperationalError:  # no such table
        return 0
    return int(row[0] or 0)


def recorded_version(conn: sqlite3.Connection) -> int:
    """The version an archive says it has: its last recorded migration, else its
    ``PRAGMA user_version`` (archives made before migrations were recorded)."""
    return schema_version(conn) or int(conn.execute("PRAGMA user_version").fetchone()[0])


def check_not_newer(conn: sqlite3.Connection, path: str | Path) -> None:
    """Refuse an archive made by a newer archiver (its schema is unknown here)."""
    version = schema_version(conn)
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} has schema version {version}, newer than this archiver knows "
            f"({SCHEMA_VERSION}): upgrade archiver to use it"
        )


def migrate(db: sqlite_utils.Database) -> list[tuple[int, str]]:
    """Apply the pending migrations in order, each in its own transaction with its
    record; return those applied.  Refuses an archive of a newer schema."""
    db.execute("PRAGMA foreign_keys = ON")
    check_not_newer(db.conn, db.conn.execute("PRAGMA database_list").fetchone()[2])
    db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
        "name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    applied = []
    done = schema_version(db.conn)
    for number, name, step in MIGRATIONS:
        if number <= done:
            continue
        with db.conn:
            step(db)
            db.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                [number, name, utcnow()],
            )
        applied.append((number, name))
    if applied:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    return applied


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create the schema of a new archive, or bring an older one up to date."""
    migrate(db)


#: Indexes of the filters of search/export and the ``changes`` view (docs/search.md).  The
#: indexes are ordered by document id within a site, language, page type or author
#: (and page type), so search reads the filtered documents of a recent id range
#: directly; each also holds the page type (every search filters on it: articles
#: first) and the filters usually combined with it, so that they are answered from
#: one index, without reading the wide document rows (migration 6).
SEARCH_INDEXES = {
    "idx_documents_filter_site": "site, id, published, language, page_type, author",
    "idx_documents_filter_language": "language, id, published, page_type",
    "idx_documents_page_type": "page_type",
    "idx_documents_author": "author, page_type",
    "idx_documents_filter_published": "published, page_type",
}
#: The search indexes as migration 2 made them (migration 6 narrows them).
SEARCH_INDEXES_V2 = {
    "idx_documents_filter_site": "site, id, published, language, page_type, author",
    "idx_documents_filter_language": "language, id, published, site, page_type, author",
    "idx_documents_page_type": "page_type",
    "idx_documents_author": "author",
    "idx_documents_filter_published": "published, site, language, page_type, author",
}
#: Indexes no query uses, dropped by migration 6: ``text_hash`` is only ever compared
#: with the previous version of the same URL (found through ``url, id``).
UNUSED_INDEXES = ["idx_documents_text_hash"]
#: Indexes of schema version 1 that the ones above replace.
SUPERSEDED_INDEXES = [
    "idx_documents_site_published",
    "idx_documents_published",
    "idx_documents_language",
]
#: The site index of captures and the views of migration 1.
VIEWS = [
    "CREATE INDEX IF NOT EXISTS idx_captures_site ON captures (site)",
    """CREATE VIEW IF NOT EXISTS document_list AS
SELECT d.id, d.title, d.site, d.url, d.published, substr(d.published, 1, 7) AS published_month,
       d.language, d.page_type, d.author, d.word_count, c.fetched_at, d.capture_id
FROM documents d LEFT JOIN captures c ON c.id = d.capture_id""",
    """CREATE VIEW IF NOT EXISTS changes AS
WITH v AS (
  SELECT d.id, d.url, d.site, d.title, d.page_type, d.text_hash, d.word_count,
         length(d.text) AS chars, c.fetched_at,
         lag(d.id) OVER w AS prev_id, lag(d.title) OVER w AS prev_title,
         lag(d.text_hash) OVER w AS prev_hash, lag(d.word_count) OVER w AS prev_words,
         lag(length(d.text)) OVER w AS prev_chars, lag(c.fetched_at) OVER w AS prev_fetched,
         lag(d.page_type) OVER w AS prev_page_type
  FROM documents d LEFT JOIN captures c ON c.id = d.capture_id
  WINDOW w AS (PARTITION BY d.url ORDER BY d.id)
)
SELECT url, site, title, prev_title AS from_title, prev_id AS from_id, id AS to_id,
       prev_fetched AS from_fetched_at, fetched_at AS to_fetched_at,
       CAST(round((julianday(fetched_at) - julianday(prev_fetched)) * 86400) AS INTEGER)
         AS seconds_between,
       prev_words AS from_word_count, word_count AS to_word_count,
       word_count - prev_words AS word_count_change,
       chars - prev_chars AS chars_change,
       abs(chars - prev_chars) AS change_size
FROM v
WHERE prev_id IS NOT NULL AND text_hash IS NOT prev_hash
  AND 'article' IN (page_type, prev_page_type)""",
]


# -- crawl rows --------------------------------------------------------------
def start_crawl(
    db: sqlite_utils.Database, seeds: list[str], settings: dict[str, Any], job_id: int | None = None
) -> int:
    with db.conn:
        cur = db.execute(
            "INSERT INTO crawls (started_at, seeds, settings, status, job_id) "
            "VALUES (?, ?, ?, 'running', ?)",
            [
                utcnow(),
                json.dumps(seeds),
                json.dumps(settings, default=str, sort_keys=True),
                job_id,
            ],
        )
    return int(cur.lastrowid or 0)


def finish_crawl(
    db: sqlite_utils.Database, crawl_id: int, status: str, stats: dict[str, Any]
) -> None:
    with db.conn:
        db.execute(
            "UPDATE crawls SET finished_at = ?, status = ?, stats = ? WHERE id = ?",
            [utcnow(), status, json.dumps(stats, default=str, sort_keys=True), crawl_id],
        )


def find_previous_capture(
    conn: sqlite3.Connection, url: str, digest: str
) -> tuple[str, str, str] | None:
    """Return (record id, url, WARC date) of the first full capture of ``url``
    with payload ``digest``, or None."""
    row = conn.execute(
        "SELECT warc_record_id, url, fetched_at FROM captures WHERE url = ? AND "
        "payload_digest = ? AND record_type = 'response' ORDER BY id LIMIT 1",
        (url, digest),
    ).fetchone()
    return tuple(row) if row else None


# -- row writing -------------------------------------------------------------
_INSERT_CAPTURE = (
    f"INSERT OR IGNORE INTO captures ({', '.join(CAPTURE_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in CAPTURE_COLUMNS)})"
)
_INSERT_DOCUMENT = (
    f"INSERT INTO documents ({', '.join(DOCUMENT_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in DOCUMENT_COLUMNS)})"
)


def insert_capture(conn: sqlite3.Connection, row: dict[str, Any]) -> int | None:
    """Insert one capture row; ``row["revisit_of_record"]`` (a WARC record id) is
    resolved to the referred capture's id.  Returns the new row id (None if the
    record was already in the archive)."""
    ref = row.get("revisit_of_record")
    if ref and not row.get("revisit_of"):
        found = conn.execute("SELECT id FROM captures WHERE warc_record_id = ?", (ref,)).fetchone()
        row["revisit_of"] = found[0] if found else None
    if not row.get("site"):
        row["site"] = site_key(row.get("url") or "")
    cur = conn.execute(_INSERT_CAPTURE, [row.get(c) for c in CAPTURE_COLUMNS])
    return cur.lastrowid if cur.rowcount else None


def insert_document(conn: sqlite3.Connection, capture_id: int, doc: dict[str, Any]) -> int | None:
    """Insert an extracted document for ``capture_id`` unless the latest document
    of the same URL has the same text.  Returns the new id or None."""
    last = conn.execute(
        "SELECT text_hash FROM documents WHERE url = ? ORDER BY id DESC LIMIT 1",
        (doc.get("url"),),
    ).fetchone()
    if last and last[0] == doc.get("text_hash"):
        return None
    values = dict(doc)
    values["capture_id"] = capture_id
    for key in ("tags", "extractor_options"):
        if not isinstance(values.get(key), (str, type(None))):
            values[key] = json.dumps(values[key], ensure_ascii=False, sort_keys=True)
    values.setdefault("extracted_at", utcnow())
    values["site"] = values.get("site") or site_key(values.get("url") or "")
    cur = conn.execute(_INSERT_DOCUMENT, [values.get(c) for c in DOCUMENT_COLUMNS])
    return cur.lastrowid


_INSERT_FAILURE = (
    f"INSERT INTO failures ({', '.join(FAILURE_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in FAILURE_COLUMNS)})"
)


def insert_failure(conn: sqlite3.Connection, row: dict[str, Any]) -> None:
    """Insert one ``failures`` row."""
    values = dict(row)
    values.setdefault("failed_at", utcnow())
    values["site"] = values.get("site") or site_key(values.get("url") or "")
    conn.execute(_INSERT_FAILURE, [values.get(c) for c in FAILURE_COLUMNS])


class StoreWriter(threading.Thread):
    """The single writer of a crawl's rows, in its own thread.

    Rows arrive through :meth:`add_capture`, :meth:`add_document` and
    :meth:`add_failure` from one
    producer thread (the crawl's reactor thread), are handed over in batches
    (:meth:`flush`, at ``batch_size`` rows or when the producer's timer calls it)
    so the two threads rarely contend for the GIL, and are committed every
    ``interval`` seconds.  ``before_commit`` runs first (the WARC writer's sync),
    so no committed row points at bytes that are not on disk.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        interval: float = 0.5,
        batch_size: int = 200,
        before_commit: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(name="archiver-store", daemon=True)
        self.path = path
        self.interval = interval
        self.batch_size = batch_size
        self.before_commit = before_commit
        self.counts = {
            "captures": 0,
            "revisits": 0,
            "documents": 0,
            "documents_unchanged": 0,
            "articles": 0,
        }
        self.error: BaseException | None = None
        self._queue: queue.SimpleQueue[list[tuple[str, Any]] | None] = queue.SimpleQueue()
        self._buffer: list[tuple[str, Any]] = []
        self._capture_ids: dict[str, int] = {}
        # batches handed to the thread, and how many of them are committed: a row
        # added before flush() returned n is committed once batches_committed >= n
        self.batches_handed = 0
        self.batches_committed = 0
        self._batches_written = 0

    def add_capture(self, row: dict[str, Any]) -> None:
        self._buffer.append(("capture", row))
        if len(self._buffer) >= self.batch_size:
            self.flush()

    def add_document(self, record_id: str, doc: dict[str, Any]) -> None:
        self._buffer.append(("document", (record_id, doc)))
        if len(self._buffer) >= self.batch_size:
            self.flush()

    def add_failure(self, row: dict[str, Any]) -> None:
        """A failed request's row, and its URL done in the frontier, in one batch (so
        one transaction): a crash never keeps one without the other."""
        self._buffer.append(("failure", row))
        self._buffer.append(("frontier_done", (row["crawl_id"], row["url"])))
        if len(self._buffer) >= self.batch_size:
            self.flush()

    def add_frontier(self, row: dict[str, Any]) -> None:
        """A request the crawl scheduled (:mod:`archiver.store.frontier`)."""
        self._buffer.append(("frontier", row))
        if len(self._buffer) >= self.batch_size:
            self.flush()

    def frontier_done(self, crawl_id: int, url: str) -> None:
        """A scheduled request answered, failed or dropped: not to be fetched again."""
        self._buffer.append(("frontier_done", (crawl_id, url)))
        if len(self._buffer) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        """Hand the rows added so far to the writer thread."""
        if self._buffer:
            batch, self._buffer = self._buffer, []
            self.batches_handed += 1
            self._queue.put(batch)

    def close(self, timeout: float | None = None) -> None:
        """Commit everything added so far and stop the thread."""
        self.flush()
        self._queue.put(None)
        self.join(timeout)

    def run(self) -> None:
        try:
            conn = connect(self.path)
        except sqlite3.Error as exc:
            self.error = exc
            self._drain()
            return
        pending = 0
        last_commit = time.monotonic()
        stopping = False
        try:
            while True:
                try:
                    timeout = max(0.0, self.interval - (time.monotonic() - last_commit))
                    batch = self._queue.get(timeout=timeout if pending else None)
                except queue.Empty:
                    batch = []
                if batch is None:
                    stopping = True
                    break
                if batch:
                    if not pending:
                        conn.execute("BEGIN")
                    for kind, payload in batch:
                        self._write(conn, kind, payload)
                    pending += len(batch)
                    self._batches_written += 1
                if pending and time.monotonic() - last_commit >= self.interval:
                    self._commit(conn)
                    pending = 0
                    last_commit = time.monotonic()
            if pending:
                self._commit(conn)
        except Exception as exc:  # sqlite errors and a failed WARC sync alike
            # a disk full is said once, by the crawl's final error line
            quiet = {SAID_AT_THE_END: True} if write_failure(exc) else {}
            logger.error("Archive database write failed: %s", exc, extra=quiet)
            self.error = exc
            if not stopping:
                self._drain()
        finally:
            conn.close()

    def _drain(self) -> None:
        while self._queue.get() is not None:
            pass

    def _commit(self, conn: sqlite3.Connection) -> None:
        if self.before_commit is not None:
            self.before_commit()
        conn.execute("COMMIT")
        self.batches_committed = self._batches_written
        self._capture_ids.clear()

    def _write(self, conn: sqlite3.Connection, kind: str, payload: Any) -> None:
        if kind == "capture":
            row_id = insert_capture(conn, payload)
            if row_id is not None:
                self._capture_ids[payload["warc_record_id"]] = row_id
                key = "revisits" if payload.get("record_type") == "revisit" else "captures"
                self.counts[key] += 1
        elif kind == "failure":
            insert_failure(conn, payload)
        elif kind == "frontier":
            frontier.add(conn, payload)
        elif kind == "frontier_done":
            frontier.done(conn, *payload)
        elif kind == "document":
            record_id, doc = payload
            capture_id = self._capture_ids.get(record_id)
            if capture_id is None:
                found = conn.execute(
                    "SELECT id FROM captures WHERE warc_record_id = ?", (record_id,)
                ).fetchone()
                capture_id = found[0] if found else None
            if capture_id is None:
                logger.warning("No capture row for record %s; document dropped", record_id)
                return
            if insert_document(conn, capture_id, doc) is None:
                self.counts["documents_unchanged"] += 1
            else:
                self.counts["documents"] += 1
                if doc.get("page_type") == "article":
                    self.counts["articles"] += 1


def iter_rows(
    db: sqlite_utils.Database, sql: str, params: Iterable[Any] = ()
) -> Iterable[dict[str, Any]]:
    cur = db.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    for row in cur:
        yield dict(zip(names, row, strict=True))


def default_warc_dir(db: str | Path) -> str:
    """The WARC folder of an archive when none is given: ``warc`` next to the archive
    file (``archive.db`` → ``warc``, ``data/news.db`` → ``data/warc``), whatever the
    working directory; every command that writes or reads WARC files uses this rule."""
    return str(Path(db).parent / "warc")
