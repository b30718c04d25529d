"""Streaming exports of an archive's documents: JSONL, CSV and Parquet.

Parquet columns are typed: integers for ids, counts, statuses and offsets; UTC
timestamps for ``published``, ``modified``, ``extracted_at`` and ``fetched_at``; a
list of strings for ``tags``.  CSV is UTF-8 without BOM, a header row, RFC 4180
quoting (text with newlines stays in one quoted field), dates as ISO 8601 strings as
stored, ``tags`` as a JSON list, empty fields for nulls.

One row per document: its metadata and text, then the location of the capture it was
extracted from (:data:`archiver.research.archive.DOCUMENT_FIELDS`).  Rows stream from SQLite in
batches, so memory stays constant whatever the archive's size.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import IO, Any

from archiver.research.archive import DOCUMENT_FIELDS, Archive, Filters

FORMATS = ("jsonl", "csv", "parquet")
INT_FIELDS = {"id", "word_count", "capture_id", "crawl_id", "status", "warc_offset", "warc_length"}
PARQUET_BATCH = 2000


def export(
    archive: Archive,
    out: IO[bytes],
    fmt: str = "jsonl",
    *,
    query: str | None = None,
    filters: Filters | None = None,
    fields: list[str] | None = None,
) -> int:
    """Write the documents matching ``filters`` (and ``query``) to the binary stream
    ``out`` in ``fmt``; return how many rows were written."""
    fields = list(fields or DOCUMENT_FIELDS)
    unknown = [f for f in fields if f not in DOCUMENT_FIELDS]
    if unknown:
        raise ValueError(f"unknown field(s): {', '.join(unknown)}")
    if fmt == "jsonl":  # SQLite's json_object encodes: the fast path
        return write_lines(
            archive.json_lines(query, filters=filters or Filters(), fields=fields), out
        )
    rows = archive.rows(query, filters=filters or Filters(), fields=fields)
    if fmt == "csv":
        return write_csv(rows, fields, out)
    if fmt == "parquet":
        return write_parquet(rows, fields, out)
    raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")


def write_lines(lines: Iterable[str], out: IO[bytes]) -> int:
    n = 0
    chunk: list[str] = []
    for line in lines:
        chunk.append(line)
        n += 1
        if len(chunk) >= 500:
            out.write(("\n".join(chunk) + "\n").encode("utf-8"))
            chunk = []
    if chunk:
        out.write(("\n".join(chunk) + "\n").encode("utf-8"))
    return n


class _BinaryWriter:
    def __init__(self, out: IO[bytes]) -> None:
        self.out = out

    def write(self, text: str) -> int:
        return self.out.write(text.encode("utf-8"))


def write_csv(rows: Iterable[tuple[Any, ...]], fields: list[str], out: IO[bytes]) -> int:
    writer = csv.writer(_BinaryWriter(out), lineterminator="\n")
    writer.writerow(fields)
    n = 0
    for row in rows:
        writer.writerow(row)
        n += 1
    return n


#: Parquet column types beyond strings: dates become UTC timestamps (a date without a
#: time is midnight UTC, a time without a zone is taken as UTC), tags a list of strings.
TIMESTAMP_FIELDS = {"published", "modified", "extracted_at", "fetched_at"}
LIST_FIELDS = {"tags"}


def _timestamp(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    text = str(value).strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _string_list(value: Any) -> list[str] | None:
    if value in (None, ""):
        return None
    try:
        items = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return [str(value)]
    if not isinstance(items, list):
        return [str(items)]
    return [str(v) for v in items]


def parquet_schema(fields: list[str]) -> Any:
    import pyarrow as pa

    def kind(name: str) -> Any:
        if name in INT_FIELDS:
            return pa.int64()
        if name in TIMESTAMP_FIELDS:
            return pa.timestamp("us", tz="UTC")
        if name in LIST_FIELDS:
            return pa.list_(pa.string())
        return pa.string()

    return pa.schema([(f, kind(f)) for f in fields])


def write_parquet(rows: Iterable[tuple[Any, ...]], fields: list[str], out: IO[bytes]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema(fields)
    convert: list[Callable[[Any], Any] | None] = [
        _timestamp if f in TIMESTAMP_FIELDS else _string_list if f in LIST_FIELDS else None
        for f in fields
    ]
    n = 0
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        batch: list[tuple[Any, ...]] = []

        def flush() -> None:
            columns: list[Any] = list(zip(*batch, strict=True)) if batch else [[] for _ in fields]
            arrays = []
            for i, col in enumerate(columns):
                fn = convert[i]
                values = [fn(v) for v in col] if fn is not None else col
                arrays.append(pa.array(values, type=schema.field(i).type))
            writer.write_batch(pa.record_batch(arrays, schema=schema))

        for row in rows:
            batch.append(row)
            n += 1
            if len(batch) >= PARQUET_BATCH:
                flush()
                batch = []
        if batch or n == 0:
            flush()
    return n
