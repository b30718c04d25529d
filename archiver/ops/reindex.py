"""``archiver reindex`` and ``archiver reextract``: rows from WARC files alone.

``reindex`` reads WARC and ARC files (the archiver's or other tools') with
:func:`archiver.warc.iter_records` and builds the ``captures`` rows exactly as a
crawl does (see :meth:`archiver.crawl.recorder.Recorder.capture`) plus the ``documents`` of
every status-200 HTML response (Content-Encoding undone first, as ``archiver
extract`` does), extracted in a process pool.  It is idempotent: a record whose
``WARC-Record-ID`` is already in ``captures`` is skipped with its document.  Each
WARC file is committed in one transaction together with its documents.

``reextract`` re-runs extraction on the stored WARC records of existing documents
and adds new document versions tagged with the running extractor's version.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archiver import store
from archiver.codings import UndecodableContent, decode_body
from archiver.crawl.discovery import sniff
from archiver.errors import ReindexError
from archiver.extract.worker import EXTRACTION_HEADERS, default_workers, extract_page, process_pool
from archiver.ops.verify import dechunk, head_fields, is_warc_name
from archiver.urls import site_key
from archiver.warc import OPEN_SUFFIX, RawRecord, iter_records, record_at, sha1_digest, split_http

#: the HTTP headers a crawl hands to the extractor (spiders/news.py)


def _extract_job(job: tuple[bytes, str, dict[str, str]]) -> dict[str, Any] | None:
    return extract_page(*job)


def run_extractions(
    pool: Executor | None, jobs: list[tuple[bytes, str, dict[str, str]]]
) -> list[dict[str, Any] | None]:
    if not jobs:
        return []
    if pool is None:
        return [_extract_job(j) for j in jobs]
    chunk = max(1, min(16, len(jobs) // 16 or 1))
    return list(pool.map(_extract_job, jobs, chunksize=chunk))


# -- records to rows -------------------------------------------------------------
@dataclass
class Exchange:
    """What a crawl knew about one response or revisit record."""

    row: dict[str, Any]
    refers_to_uri: str | None = None
    job: tuple[bytes, str, dict[str, str]] | None = None
    #: why the body could not be decoded (no extraction then), e.g. a broken coding
    undecodable: str | None = None


def _body_of(head_fields_: dict[str, str], payload: bytes) -> bytes:
    """The entity body as received: chunked transfer coding removed (foreign WARCs
    keep it; the archiver's own records never have it)."""
    if "chunked" in head_fields_.get("transfer-encoding", "").lower():
        body = dechunk(payload)
        if body is not None:
            return body
    return payload


def exchange_of(rec: RawRecord, warc_file: str, crawl_id: int | None) -> Exchange | None:
    """The ``captures`` row (and extraction job) of a response or revisit record."""
    if rec.type not in ("response", "revisit") or rec.error:
        return None
    head, payload = split_http(rec)
    status = None
    fields: dict[str, str] = {}
    if head is not None:
        first, fields = head_fields(head)
        parts = first.split(" ", 2)
        if len(parts) >= 2 and parts[1].isdigit():
            status = int(parts[1])
    if head is None and rec.type == "response":
        return None  # not an HTTP response (e.g. a DNS record): no capture row
    body = _body_of(fields, payload) if rec.type == "response" else b""
    digest = rec.headers.get("warc-payload-digest") or (
        sha1_digest(body) if rec.type == "response" else None
    )
    ctype = fields.get("content-type", "")
    mime = ctype.split(";", 1)[0].strip().lower() or None
    length: int | None = len(body)
    if rec.type == "revisit":
        try:
            length = int(fields.get("content-length", ""))
        except ValueError:
            length = None
    row = {
        "crawl_id": crawl_id,
        "url": rec.target_uri,
        "status": status,
        "mime_type": mime,
        "fetched_at": rec.headers.get("warc-date"),
        "payload_digest": digest,
        "content_length": length,
        "warc_file": warc_file,
        "warc_offset": rec.offset,
        "warc_length": rec.length,
        "warc_record_id": rec.record_id,
        "revisit_of_record": rec.headers.get("warc-refers-to") if rec.type == "revisit" else None,
        "record_type": rec.type,
        "ip_address": rec.headers.get("warc-ip-address"),
    }
    job = None
    undecodable = None
    if rec.type == "response" and status == 200:
        try:
            decoded = decode_body(body, fields.get("content-encoding"))
        except UndecodableContent as exc:
            decoded, undecodable = b"", f"{exc.cause}: {exc}"
        if sniff(ctype, decoded) == "html":
            headers = {
                name: fields[name.lower()]
                for name in EXTRACTION_HEADERS
                if fields.get(name.lower())
            }
            job = (decoded, rec.target_uri, headers)
    return Exchange(row, rec.headers.get("warc-refers-to-target-uri"), job, undecodable)


# -- reindex ---------------------------------------------------------------------
@dataclass
class ReindexResult:
    files: list[str] = field(default_factory=list)
    skipped_open: list[str] = field(default_factory=list)
    records: int = 0
    captures: int = 0
    revisits: int = 0
    known: int = 0
    documents: int = 0
    documents_unchanged: int = 0
    extraction_errors: int = 0
    #: responses kept as captures but not extracted: "URL: cause: detail"
    undecodable: list[str] = field(default_factory=list)
    bytes: int = 0
    read_errors: list[str] = field(default_factory=list)
    crawl_id: int | None = None
    seconds: float = 0.0


def resolve_inputs(
    inputs: Iterable[str], warc_dir: str | None
) -> tuple[list[tuple[Path, str]], list[str]]:
    """(path, name stored in ``warc_file``) of every WARC file to read, in order; and
    the ``.open`` files skipped.

    Names: relative to ``warc_dir`` when given (every file must be inside it);
    otherwise relative to the directory argument a file was found in, and the bare
    file name for a file given directly."""
    root = Path(warc_dir).resolve() if warc_dir else None
    out: list[tuple[Path, str]] = []
    skipped: list[str] = []
    seen: set[Path] = set()
    for raw in inputs:
        arg = Path(raw)
        if arg.is_dir():
            base = arg.resolve()
            found = sorted(p for p in base.rglob("*") if p.is_file() and is_warc_name(p.name))
            candidates = [(p, p.relative_to(base).as_posix()) for p in found]
        elif arg.is_file():
            candidates = [(arg.resolve(), arg.name)]
        else:
            raise ReindexError(f"{raw}: no such file or directory")
        for path, name in candidates:
            if path in seen:
                continue
            seen.add(path)
            if path.name.endswith(OPEN_SUFFIX):
                skipped.append(str(path))
                continue
            if not is_warc_name(path.name):
                raise ReindexError(f"{raw}: not a WARC file (.warc, .warc.gz, .arc, .arc.gz)")
            if root is not None:
                try:
                    name = path.relative_to(root).as_posix()
                except ValueError:
                    raise ReindexError(f"{path} is not inside --warc-dir {warc_dir}") from None
            out.append((path, name))
    return out, skipped


def reindex(
    inputs: Iterable[str],
    db_path: str | Path,
    *,
    warc_dir: str | None = None,
    processes: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> ReindexResult:
    """Rebuild ``captures`` and ``documents`` of ``db_path`` from WARC files."""
    started = time.perf_counter()
    files, skipped = resolve_inputs(inputs, warc_dir)
    result = ReindexResult(skipped_open=skipped)
    db = store.open_db(db_path)
    conn = db.conn
    procs = default_workers() if processes is None else processes
    pool = process_pool(procs) if procs > 1 else None
    try:
        with conn:
            crawl_id = store.start_crawl(
                db,
                [],
                {
                    "reindex": [name for _p, name in files],
                    "warc_dir": str(warc_dir) if warc_dir else None,
                    "processes": procs,
                },
            )
        result.crawl_id = crawl_id
        for path, name in files:
            result.files.append(name)
            reindex_file(conn, path, name, crawl_id, pool, result)
            if progress:
                progress(name)
        # revisits whose original came later in the input order, or is known only by
        # URL and digest (no WARC-Refers-To): resolve now
        with conn:
            conn.execute(
                "UPDATE captures SET revisit_of = (SELECT o.id FROM captures o WHERE "
                "o.record_type = 'response' AND o.url = captures.url AND "
                "o.payload_digest = captures.payload_digest ORDER BY o.id LIMIT 1) "
                "WHERE crawl_id = ? AND record_type = 'revisit' AND revisit_of IS NULL",
                (crawl_id,),
            )
        result.seconds = time.perf_counter() - started
        added = result.captures + result.revisits + result.documents
        with conn:
            if added == 0:
                conn.execute("DELETE FROM crawls WHERE id = ?", (crawl_id,))
                result.crawl_id = None
            else:
                store.finish_crawl(
                    db,
                    crawl_id,
                    "ok",
                    {
                        "archiver/reindex/files": len(result.files),
                        "archiver/reindex/records": result.records,
                        "archiver/captures": result.captures,
                        "archiver/revisits": result.revisits,
                        "archiver/documents": result.documents,
                        "archiver/documents_unchanged": result.documents_unchanged,
                        "archiver/extraction_errors": result.extraction_errors,
                        "archiver/reindex/read_errors": result.read_errors,
                    },
                )
    finally:
        if pool is not None:
            pool.shutdown(wait=True)
        db.close()
    return result


def reindex_file(
    conn: Any,
    path: Path,
    name: str,
    crawl_id: int,
    pool: Executor | None,
    result: ReindexResult,
    *,
    extract: bool = True,
) -> None:
    """Give the records of one file their rows, and (``extract``) their documents."""
    result.bytes += path.stat().st_size
    pending: list[tuple[int, Any]] = []  # (capture id, future or result)
    conn.execute("BEGIN")
    try:
        for item in iter_records(path):
            if not isinstance(item, RawRecord):
                result.read_errors.append(f"{name} at {item.offset}: {item.message}")
                continue
            result.records += 1
            if item.error:
                result.read_errors.append(f"{name} at {item.offset}: {item.error}")
                continue
            ex = exchange_of(item, name, crawl_id)
            if ex is None:
                continue
            if ex.row["revisit_of_record"] is None and ex.row["record_type"] == "revisit":
                prev = store.find_previous_capture(
                    conn, ex.refers_to_uri or ex.row["url"], ex.row["payload_digest"] or ""
                )
                ex.row["revisit_of_record"] = prev[0] if prev else None
            row_id = store.insert_capture(conn, ex.row)
            if row_id is None:
                result.known += 1
                continue
            if ex.row["record_type"] == "revisit":
                result.revisits += 1
                if ex.row["content_length"] is None and ex.row["revisit_of"]:
                    conn.execute(
                        "UPDATE captures SET content_length = (SELECT content_length FROM "
                        "captures WHERE id = ?) WHERE id = ?",
                        (ex.row["revisit_of"], row_id),
                    )
            else:
                result.captures += 1
            if ex.undecodable:
                result.undecodable.append(f"{ex.row['url']}: {ex.undecodable}")
            if ex.job is not None and extract:
                # submitted as soon as read: extraction overlaps the reading
                pending.append(
                    (row_id, pool.submit(_extract_job, ex.job) if pool else _extract_job(ex.job))
                )
        for row_id, job in pending:
            doc = job.result() if pool else job
            if not doc:
                continue
            if "error" in doc:
                result.extraction_errors += 1
                continue
            if store.insert_document(conn, row_id, doc) is None:
                result.documents_unchanged += 1
            else:
                result.documents += 1
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


# -- reextract -------------------------------------------------------------------
_VERSION = re.compile(r"archiver-extract/(\d+(?:\.\d+)*)")


def parse_version(text: str | None) -> tuple[int, ...] | None:
    """The extractor version of a ``documents.extractor`` value
    (``archiver-extract/<N[.M...]> trafilatura/<version>``) as a tuple of ints."""
    if not text:
        return None
    match = _VERSION.search(text)
    if not match:
        return None
    return tuple(int(p) for p in match.group(1).split("."))


def version_tuple(text: str) -> tuple[int, ...]:
    if not re.fullmatch(r"\d+(?:\.\d+)*", text.strip()):
        raise ReindexError(f"bad extractor version {text!r} (expected digits like 2 or 1.3)")
    return tuple(int(p) for p in text.strip().split("."))


def site_filter(site: str | None) -> str | None:
    if not site:
        return None
    url = site if "://" in site else f"http://{site}/"
    key = site_key(url)
    if not key:
        raise ReindexError(f"bad --site {site!r}")
    return key


@dataclass
class ReextractResult:
    selected: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    missing: int = 0
    extractor: str = ""
    seconds: float = 0.0
    dry_run: bool = False


def _read_job(
    warc_dir: Path, warc_file: str, offset: int, url: str
) -> tuple[bytes, str, dict[str, str]] | None:
    path = warc_dir / warc_file
    if not path.is_file() and Path(f"{path}{OPEN_SUFFIX}").is_file():
        path = Path(f"{path}{OPEN_SUFFIX}")
    try:
        rec = record_at(path, offset)
    except (OSError, LookupError):
        return None
    ex = exchange_of(rec, warc_file, None)
    return ex.job if ex is not None else None


def reextract(
    db_path: str | Path,
    warc_dir: str | Path,
    *,
    site: str | None = None,
    since: str | None = None,
    below: str | None = None,
    processes: int | None = None,
    dry_run: bool = False,
) -> ReextractResult:
    """Re-extract the documents selected by the filters from their WARC records.

    ``dry_run``: extract and count as usual, write nothing (the database is opened
    read-only): ``changed`` is then how many new versions a real run would add.

    New versions are added (with the running extractor in ``documents.extractor``)
    only when the text differs from the version re-extracted and from the latest
    version extracted from the same capture (so a second run adds nothing);
    unchanged texts are counted, not stored; old rows are never modified."""
    from archiver.extract import EXTRACTOR

    started = time.perf_counter()
    key = site_filter(site)
    limit = version_tuple(below) if below else None
    result = ReextractResult(extractor=EXTRACTOR, dry_run=dry_run)
    conn = store.connect(db_path, readonly=True) if dry_run else store.open_db(db_path).conn
    try:
        sql = (
            "SELECT d.id, d.url, d.text_hash, d.extractor, c.id, c.warc_file, "
            "c.warc_offset, c.url FROM documents d JOIN captures c ON c.id = d.capture_id "
            "WHERE c.record_type = 'response'"
        )
        params: list[Any] = []
        if since:
            sql += " AND c.fetched_at >= ?"
            params.append(since)
        sql += " ORDER BY d.id"
        selected = []
        for row in conn.execute(sql, params).fetchall():
            if key and site_key(row[1] or row[7]) != key:
                continue
            if limit is not None:
                version = parse_version(row[3])
                if version is not None and version >= limit:
                    continue
            selected.append(row)
        result.selected = len(selected)
        procs = default_workers() if processes is None else processes
        pool = process_pool(procs) if procs > 1 and len(selected) > 1 else None
        try:
            jobs: list[tuple[Any, tuple[bytes, str, dict[str, str]]]] = []
            for row in selected:
                job = _read_job(Path(warc_dir), row[5], row[6], row[7])
                if job is None:
                    result.missing += 1
                    continue
                jobs.append((row, job))
            docs = run_extractions(pool, [j for _r, j in jobs])
        finally:
            if pool is not None:
                pool.shutdown(wait=True)
        with conn:
            for (row, _job), doc in zip(jobs, docs, strict=True):
                if not doc or "error" in doc:
                    result.failed += 1
                    continue
                latest = conn.execute(
                    "SELECT text_hash FROM documents WHERE capture_id = ? ORDER BY id DESC LIMIT 1",
                    (row[4],),
                ).fetchone()
                if doc.get("text_hash") in (row[2], latest[0] if latest else None):
                    result.unchanged += 1
                    continue
                if not dry_run:
                    _insert_version(conn, row[4], doc)
                result.changed += 1
    finally:
        conn.close()
    result.seconds = time.perf_counter() - started
    return result


@dataclass
class MissingResult:
    """What ``reextract --missing`` found and did."""

    selected: int = 0
    documents: int = 0
    unchanged: int = 0
    not_extracted: int = 0
    failed: int = 0
    missing_records: int = 0
    seconds: float = 0.0


def missing_jobs(
    conn: Any,
    warc_dir: str | Path,
    *,
    crawl_id: int | None = None,
    result: MissingResult | None = None,
) -> list[tuple[int, str, tuple[bytes, str, dict[str, str]]]]:
    """The extractions :func:`extract_missing` does: ``(capture id, its WARC record
    id, job)`` for every status-200 HTML capture without a document (see there)."""
    result = result if result is not None else MissingResult()
    sql = (
        "SELECT c.id, c.warc_record_id, c.url, c.record_type, c.warc_file, c.warc_offset, "
        "o.warc_file, o.warc_offset FROM captures c "
        "LEFT JOIN captures o ON o.id = c.revisit_of "
        "WHERE c.status = 200 AND (c.mime_type IS NULL OR c.mime_type LIKE '%html%' "
        "OR c.mime_type LIKE '%xml%') "
        "AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.capture_id = c.id) "
        "AND (c.record_type = 'response' OR (c.record_type = 'revisit' AND "
        "NOT EXISTS (SELECT 1 FROM documents d2 WHERE d2.url = c.url)))"
    )
    params: list[Any] = []
    if crawl_id is not None:
        sql += " AND c.crawl_id = ?"
        params.append(crawl_id)
    selected = conn.execute(sql + " ORDER BY c.id", params).fetchall()
    result.selected = len(selected)
    jobs: list[tuple[int, str, tuple[bytes, str, dict[str, str]]]] = []
    done_urls: set[str] = set()
    for capture_id, record_id, url, rtype, wfile, woffset, ofile, ooffset in selected:
        if rtype == "revisit":
            if ofile is None or url in done_urls:
                result.missing_records += ofile is None
                continue
            done_urls.add(url)
            wfile, woffset = ofile, ooffset
        job = _read_job(Path(warc_dir), wfile, woffset, url)
        if job is None:
            result.not_extracted += 1
            continue
        jobs.append((capture_id, record_id, job))
    return jobs


def extract_missing(
    db_path: str | Path,
    warc_dir: str | Path,
    *,
    crawl_id: int | None = None,
    processes: int | None = None,
) -> MissingResult:
    """Extract every status-200 HTML capture that has no document: responses whose
    extraction never finished (a crawl killed with extractions pending), and revisits
    of a URL that has no document at all (their text comes from the original record).

    A capture whose text equals the URL's latest document is counted ``unchanged``
    (as during a crawl, no row is added), so a second run adds nothing.  With
    ``crawl_id``, only that crawl's captures."""
    started = time.perf_counter()
    result = MissingResult()
    db = store.open_db(db_path)
    conn = db.conn
    try:
        jobs = missing_jobs(conn, warc_dir, crawl_id=crawl_id, result=result)
        procs = default_workers() if processes is None else processes
        pool = process_pool(procs) if procs > 1 and len(jobs) > 1 else None
        try:
            docs = run_extractions(pool, [j for _c, _r, j in jobs])
        finally:
            if pool is not None:
                pool.shutdown(wait=True)
        with conn:
            for (capture_id, _record, _job), doc in zip(jobs, docs, strict=True):
                if not doc or "error" in doc:
                    result.failed += 1
                elif store.insert_document(conn, capture_id, doc) is None:
                    result.unchanged += 1
                else:
                    result.documents += 1
    finally:
        db.close()
    result.seconds = time.perf_counter() - started
    return result


def _insert_version(conn: Any, capture_id: int, doc: dict[str, Any]) -> int:
    values = dict(doc)
    values["capture_id"] = capture_id
    for k in ("tags", "extractor_options"):
        if not isinstance(values.get(k), (str, type(None))):
            values[k] = json.dumps(values[k], ensure_ascii=False, sort_keys=True)
    values.setdefault("extracted_at", store.utcnow())
    cols = store.DOCUMENT_COLUMNS
    cur = conn.execute(
        f"INSERT INTO documents ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
        [values.get(c) for c in cols],
    )
    return int(cur.lastrowid)
