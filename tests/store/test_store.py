"""Unit tests of archiver.store: schema, crawl rows, captures, documents, FTS, StoreWriter."""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import sqlite3
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver import store
from archiver.store import StoreError, StoreWriter, open_db

README_COLUMNS = {
    "crawls": {"id", "started_at", "finished_at", "seeds", "settings", "status", "stats", "job_id"},
    "captures": {
        "id",
        "crawl_id",
        "url",
        "status",
        "mime_type",
        "fetched_at",
        "payload_digest",
        "content_length",
        "warc_file",
        "warc_offset",
        "warc_length",
        "warc_record_id",
        "revisit_of",
        "record_type",
        "ip_address",
        "site",
    },
    "documents": {
        "id",
        "capture_id",
        "url",
        "canonical_url",
        "title",
        "author",
        "sitename",
        "description",
        "published",
        "modified",
        "language",
        "text",
        "word_count",
        "text_hash",
        "page_type",
        "extractor",
        "extractor_options",
        "tags",
        "image",
        "skip_reason",
        "extracted_at",
        "site",
    },
}


def capture_row(n: int, **extra: Any) -> dict[str, Any]:
    row = {
        "crawl_id": None,
        "url": f"http://example.org/{n}",
        "status": 200,
        "mime_type": "text/html",
        "fetched_at": f"2026-01-01T00:00:{n:02d}.000000Z",
        "payload_digest": f"sha1:D{n}",
        "content_length": 10,
        "warc_file": "a.warc.gz",
        "warc_offset": 100 * n,
        "warc_length": 50,
        "warc_record_id": f"<urn:uuid:{n}>",
        "record_type": "response",
        "ip_address": "127.0.0.1",
    }
    row.update(extra)
    return row


def doc(url: str, text: str, **extra: Any) -> dict[str, Any]:
    values = {
        "url": url,
        "title": "Title",
        "text": text,
        "word_count": len(text.split()),
        "text_hash": hashlib.sha256(text.encode()).hexdigest(),
        "page_type": "article",
    }
    values.update(extra)
    return values


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "archive.db"
    open_db(path).close()
    return path


@pytest.fixture
def conn(db_path: Path) -> Any:
    c = store.connect(db_path)
    yield c
    c.close()


def test_open_db_creates_schema_in_wal_mode(tmp_path: Path) -> None:
    db = open_db(tmp_path / "new.db")
    names = set(db.table_names())
    assert {"crawls", "captures", "documents", "documents_fts"} <= names
    for table, columns in README_COLUMNS.items():
        assert set(db[table].columns_dict) == columns, table
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    fts_sql = db.execute("SELECT sql FROM sqlite_master WHERE name = 'documents_fts'").fetchone()[0]
    assert "fts5" in fts_sql.lower() and "porter" in fts_sql
    indexes = {tuple(i.columns) for i in db["captures"].indexes if i.unique}
    assert ("warc_record_id",) in indexes
    db.close()


def test_open_db_is_idempotent_and_keeps_rows(db_path: Path) -> None:
    db = open_db(db_path)
    crawl_id = store.start_crawl(db, ["http://a.org/"], {})
    schema = db.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()
    db.close()
    db = open_db(db_path)
    assert db.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall() == schema
    assert db.execute("SELECT id FROM crawls").fetchall() == [(crawl_id,)]
    db.close()


@pytest.mark.parametrize(
    "content",
    [
        b"this is not a database, just some text\n" * 20,
        b"SQLite format 3\x00" + b"\xff" * 200,
        bytes(range(256)) * 8,
    ],
    ids=["text", "bad-header", "binary"],
)
def test_open_db_on_foreign_file_raises_and_leaves_it_alone(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    with pytest.raises(StoreError, match=r"notes\.db"):
        open_db(path)
    assert path.read_bytes() == content
    assert (
        not (tmp_path / "notes.db-wal").exists() or (tmp_path / "notes.db-wal").stat().st_size == 0
    )


def test_open_db_in_missing_directory_raises_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot open archive database"):
        open_db(tmp_path / "missing" / "dir" / "a.db")


def test_start_and_finish_crawl(db_path: Path) -> None:
    db = open_db(db_path)
    crawl_id = store.start_crawl(
        db, ["http://a.org/", "http://b.org/"], {"z": 1, "a": Path("/x")}, job_id=7
    )
    row = next(store.iter_rows(db, "SELECT * FROM crawls WHERE id = ?", [crawl_id]))
    assert row["status"] == "running" and row["finished_at"] is None
    assert json.loads(row["seeds"]) == ["http://a.org/", "http://b.org/"]
    assert row["settings"] == '{"a": "/x", "z": 1}'
    assert row["job_id"] == 7 and row["started_at"].endswith("Z")
    store.finish_crawl(db, crawl_id, "ok", {"pages": 3})
    row = next(store.iter_rows(db, "SELECT * FROM crawls WHERE id = ?", [crawl_id]))
    assert row["status"] == "ok" and json.loads(row["stats"]) == {"pages": 3}
    assert row["finished_at"] >= row["started_at"]
    assert store.start_crawl(db, [], {}) == crawl_id + 1
    db.close()


def test_insert_capture_resolves_revisit_and_ignores_duplicates(conn: Any) -> None:
    first = store.insert_capture(conn, capture_row(1))
    assert first is not None
    revisit = store.insert_capture(
        conn, capture_row(2, record_type="revisit", revisit_of_record="<urn:uuid:1>")
    )
    dangling = store.insert_capture(
        conn, capture_row(3, record_type="revisit", revisit_of_record="<urn:uuid:unknown>")
    )
    assert store.insert_capture(conn, capture_row(1, url="http://changed/")) is None
    conn.commit()
    rows = conn.execute("SELECT id, url, revisit_of FROM captures ORDER BY id").fetchall()
    assert rows == [
        (first, "http://example.org/1", None),
        (revisit, "http://example.org/2", first),
        (dangling, "http://example.org/3", None),
    ]


def test_find_previous_capture_ignores_revisits(conn: Any) -> None:
    store.insert_capture(
        conn, capture_row(1, url="http://u/", payload_digest="sha1:X", record_type="revisit")
    )
    store.insert_capture(conn, capture_row(2, url="http://u/", payload_digest="sha1:X"))
    store.insert_capture(conn, capture_row(3, url="http://u/", payload_digest="sha1:X"))
    assert store.find_previous_capture(conn, "http://u/", "sha1:X") == (
        "<urn:uuid:2>",
        "http://u/",
        "2026-01-01T00:00:02.000000Z",
    )
    assert store.find_previous_capture(conn, "http://u/", "sha1:Y") is None
    assert store.find_previous_capture(conn, "http://v/", "sha1:X") is None


def test_insert_document_skips_unchanged_text(conn: Any) -> None:
    cap = store.insert_capture(conn, capture_row(1))
    url = "http://example.org/story"
    a = store.insert_document(conn, cap, doc(url, "first version", tags=["x", "y"]))
    assert store.insert_document(conn, cap, doc(url, "first version")) is None
    b = store.insert_document(conn, cap, doc(url, "second version"))
    c = store.insert_document(conn, cap, doc(url, "first version"))  # back to A: a change
    other = store.insert_document(conn, cap, doc("http://example.org/other", "first version"))
    assert None not in (a, b, c, other) and len({a, b, c, other}) == 4
    row = conn.execute(
        "SELECT capture_id, tags, extracted_at FROM documents WHERE id = ?", (a,)
    ).fetchone()
    assert row[0] == cap and json.loads(row[1]) == ["x", "y"] and row[2].endswith("Z")


def test_fts_triggers_keep_index_in_sync(conn: Any) -> None:
    cap = store.insert_capture(conn, capture_row(1))
    doc_id = store.insert_document(
        conn, cap, doc("http://x/1", "The council debated bridges", title="Café opening")
    )
    conn.commit()

    def match(query: str) -> list[int]:
        return [
            r[0]
            for r in conn.execute(
                "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?", (query,)
            )
        ]

    assert match("council") == [doc_id]
    assert match("bridge") == [doc_id]  # porter stemming
    assert match("cafe") == [doc_id]  # diacritics removed
    assert match("harbour") == []
    conn.execute("UPDATE documents SET text = 'harbour ferry' WHERE id = ?", (doc_id,))
    assert match("harbour") == [doc_id] and match("council") == []
    conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
    assert match("harbour") == []


def test_store_writer_commits_after_before_commit(db_path: Path) -> None:
    calls: list[int] = []
    observer = store.connect(db_path)

    def before_commit() -> None:
        calls.append(observer.execute("SELECT count(*) FROM captures").fetchone()[0])

    # interval 0: every batch handed over (at batch_size rows) is committed at once
    writer = StoreWriter(db_path, interval=0, batch_size=2, before_commit=before_commit)
    writer.start()
    producer = threading.Thread(
        target=lambda: [writer.add_capture(capture_row(n)) for n in range(1, 6)]
    )
    producer.start()
    producer.join()
    writer.close(timeout=10)
    assert not writer.is_alive() and writer.error is None
    # each sync ran while the batch it precedes was still invisible to other connections
    assert calls == [0, 2, 4]
    assert observer.execute("SELECT count(*) FROM captures").fetchone()[0] == 5
    observer.close()
    assert writer.counts["captures"] == 5


def _count_when(path: Path, predicate: Any, timeout: float = 5.0) -> int:
    observer = store.connect(path)
    try:
        deadline = time.monotonic() + timeout
        while True:
            count = observer.execute("SELECT count(*) FROM captures").fetchone()[0]
            if predicate(count) or time.monotonic() > deadline:
                return count
            time.sleep(0.02)
    finally:
        observer.close()


def test_store_writer_flush_hands_rows_over_and_interval_commits(db_path: Path) -> None:
    writer = StoreWriter(db_path, interval=0.05, batch_size=1000)
    writer.start()
    writer.add_capture(capture_row(1))
    # below batch_size and not flushed: still in the producer's buffer
    assert _count_when(db_path, lambda c: c > 0, timeout=0.3) == 0
    writer.flush()
    assert _count_when(db_path, lambda c: c == 1) == 1  # committed by the interval
    assert writer.is_alive()
    writer.add_capture(capture_row(2))
    writer.close(timeout=10)  # close flushes what is left
    assert _count_when(db_path, lambda c: c == 2, timeout=0) == 2


def test_store_writer_documents_and_counts(db_path: Path, caplog: Any) -> None:
    # interval 0, batch_size 2: each pair of rows is its own committed batch, so the
    # documents of record 1 are resolved from the database, not the current batch
    writer = StoreWriter(db_path, interval=0, batch_size=2)
    writer.start()
    writer.add_capture(capture_row(1))
    writer.add_capture(capture_row(2, record_type="revisit", revisit_of_record="<urn:uuid:1>"))
    writer.add_capture(capture_row(1))  # duplicate record id: ignored
    writer.add_document("<urn:uuid:1>", doc("http://example.org/1", "text one"))
    writer.add_document("<urn:uuid:1>", doc("http://example.org/1", "text one"))
    writer.add_document("<urn:uuid:1>", doc("http://example.org/1", "listing", page_type="listing"))
    with caplog.at_level(logging.WARNING, logger="archiver.store"):
        writer.add_document("<urn:uuid:nope>", doc("http://example.org/9", "lost"))
        writer.close(timeout=10)
    assert writer.error is None
    assert writer.counts == {
        "captures": 1,
        "revisits": 1,
        "documents": 2,
        "documents_unchanged": 1,
        "articles": 1,
    }
    assert "No capture row for record <urn:uuid:nope>; document dropped" in caplog.text
    c = store.connect(db_path)
    assert c.execute("SELECT url, capture_id FROM documents ORDER BY id").fetchall() == [
        ("http://example.org/1", 1),
        ("http://example.org/1", 1),
    ]
    assert c.execute("SELECT revisit_of FROM captures WHERE id = 2").fetchone() == (1,)
    c.close()


def test_store_writer_unopenable_database_sets_error(tmp_path: Path) -> None:
    writer = StoreWriter(tmp_path / "no" / "such" / "dir.db")
    writer.start()
    writer.add_capture(capture_row(1))
    writer.close(timeout=10)
    assert not writer.is_alive()
    assert isinstance(writer.error, sqlite3.Error)


def test_store_writer_write_error_stops_writing(tmp_path: Path, caplog: Any) -> None:
    path = tmp_path / "empty.db"
    sqlite3.connect(path).close()  # a database without the archive schema
    writer = StoreWriter(path, interval=60)
    writer.start()
    with caplog.at_level(logging.ERROR, logger="archiver.store"):
        writer.add_capture(capture_row(1))
        writer.add_capture(capture_row(2))
        writer.close(timeout=10)
    assert not writer.is_alive()
    assert "no such table: captures" in str(writer.error)
    assert "Archive database write failed" in caplog.text


_hypo_dir = tempfile.TemporaryDirectory()
_hypo_db = Path(_hypo_dir.name) / "h.db"
_hypo_ids = itertools.count(1)


@settings(max_examples=60, deadline=None)
@given(title=st.text(), text=st.text(), author=st.one_of(st.none(), st.text(max_size=30)))
def test_document_round_trip(title: str, text: str, author: str | None) -> None:
    n = next(_hypo_ids)
    conn = sqlite3.connect(_hypo_db) if _hypo_db.exists() else open_db(_hypo_db).conn
    try:
        cap = store.insert_capture(conn, capture_row(n))
        doc_id = store.insert_document(
            conn, cap, doc(f"http://h/{n}", text, title=title, author=author)
        )
        conn.commit()
        row = conn.execute(
            "SELECT title, text, author FROM documents WHERE id = ?", (doc_id,)
        ).fetchone()
        assert row == (title, text, author)
        fts = conn.execute(
            "SELECT title, text FROM documents_fts WHERE rowid = ?", (doc_id,)
        ).fetchone()
        assert fts == (title, text)
    finally:
        conn.close()


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_store_writer_before_commit_failure_is_reported(db_path: Path) -> None:
    def failing_sync() -> None:
        raise OSError(28, "No space left on device")

    writer = StoreWriter(db_path, interval=60, batch_size=1, before_commit=failing_sync)
    writer.start()
    writer.add_capture(capture_row(1))
    writer.close(timeout=10)
    assert not writer.is_alive()
    assert writer.error is not None


def test_migrations_are_numbered_recorded_and_newer_archives_refused(tmp_path: Path) -> None:
    from archiver.errors import ArchiveError
    from archiver.research.archive import Archive

    path = tmp_path / "a.db"
    open_db(path).close()
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
    assert [v for v, _ in rows] == list(range(1, store.SCHEMA_VERSION + 1))
    assert all(name for _, name in rows)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    # an archive from a newer archiver: refused by writers and readers, untouched
    conn.execute(
        "INSERT INTO schema_migrations VALUES (?, 'from the future', '2030-01-01')",
        (store.SCHEMA_VERSION + 1,),
    )
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer than this archiver knows"):
        open_db(path)
    with pytest.raises(ArchiveError, match="upgrade archiver"):
        Archive(path)
    assert path.read_bytes() == before
