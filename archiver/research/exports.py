"""Streaming exports of an archive's documents: JSONL, CSV and Parquet.

One row per document: its metadata and text, then the location of the capture it was
extracted from (:data:`archiver.research.archive.DOCUMENT_FIELDS`).  Rows stream from SQLite in
batches, so memory stays constant whatever the archive's size.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO, Any

from archiver.research.archive import DOCUMENT_FIELDS, Archive, Filters

FORMATS = ("jsonl", "csv", "parquet")
INT_FIELDS = {"id", "word_count", "capture_id", "crawl_id", "status", "warc_offset",
              "warc_length"}
PARQUET_BATCH = 2000


def export(archive: Archive, out: IO[bytes], fmt: str = "jsonl", *,
           query: str | None = None, filters: Filters | None = None,
           fields: list[str] | None = None) -> int:
    """Write the documents matching ``filters`` (and ``query``) to the binary stream
    ``out`` in ``fmt``; return how many rows were written."""
    fields = list(fields or DOCUMENT_FIELDS)
    unknown = [f for f in fields if f not in DOCUMENT_FIELDS]
    if unknown:
        raise ValueError(f"unknown field(s): {', '.join(unknown)}")
    if fmt == "jsonl":  # SQLite's json_object encodes: the fast path
        return write_lines(archive.json_lines(query, filters=filters or Filters(),
                                              fields=fields), out)
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


def write_parquet(rows: Iterable[tuple[Any, ...]], fields: list[str], out: IO[bytes]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(f, pa.int64() if f in INT_FIELDS else pa.string()) for f in fields])
    n = 0
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        batch: list[tuple[Any, ...]] = []

        def flush() -> None:
            columns = list(zip(*batch, strict=True)) if batch else [[] for _ in fields]
            writer.write_batch(pa.record_batch(
                [pa.array(col, type=schema.field(i).type) for i, col in enumerate(columns)],
                schema=schema))

        for row in rows:
            batch.append(row)
            n += 1
            if len(batch) >= PARQUET_BATCH:
                flush()
                batch = []
        if batch or n == 0:
            flush()
    return n
