"""``archiver verify``: check WARC files against their digests and the archive's rows.

Files are read with :func:`archiver.warc.iter_records` (warcio's ArchiveIterator,
plus a gzip check of our own so that damage is reported, not skipped): WARC files
with one gzip member per record, whole-file gzip (records sharing one member share
its offset and length), uncompressed WARC files, and ARC files (``.arc.gz``,
``.arc``), whose records carry no digests (they are counted, not flagged).

Checks, per record: ``WARC-Block-Digest`` over the record block and
``WARC-Payload-Digest`` over the HTTP payload (after the HTTP head; a chunked payload
that does not match is also tried de-chunked).  Revisit records carry the payload
digest of the record they refer to and have no payload: only their block digest is
checked.  Records without digests are counted, not flagged.  Then, per ``captures``
row: the record at ``(warc_file, warc_offset)`` exists, its gzip member has length
``warc_length``, and it has the row's target URI, record id and payload digest.
Response and revisit records without a row are *orphans*; rows whose file or record
is missing are *dangling*.  Files still ending in ``.open`` are reported (a crawl in
progress or one that crashed) and checked like the others.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import sqlite3
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from archiver.codings import UndecodableContent, decode_body
from archiver.warc import (
    OPEN_SUFFIX,
    RawRecord,
    ReadError,
    iter_records,
    split_http,
)

WARC_SUFFIXES = (".warc.gz", ".warc", ".arc.gz", ".arc")


def is_warc_name(name: str) -> bool:
    base = name[: -len(OPEN_SUFFIX)] if name.endswith(OPEN_SUFFIX) else name
    return base.endswith(WARC_SUFFIXES)


def list_warc_files(directory: Path, *, include_open: bool = True) -> list[Path]:
    """WARC files directly in ``directory`` (sorted by name; ``.open`` files optional)."""
    if not directory.is_dir():
        return []
    out = []
    for path in sorted(directory.iterdir()):
        if path.is_file() and is_warc_name(path.name):
            if path.name.endswith(OPEN_SUFFIX) and not include_open:
                continue
            out.append(path)
    return out


# -- digests and HTTP ----------------------------------------------------------
def head_fields(head: bytes) -> tuple[str, dict[str, str]]:
    """(first line, headers with lower-cased names) of an HTTP head."""
    lines = head.decode("iso-8859-1").split("\n")
    fields: dict[str, str] = {}
    for line in lines[1:]:
        name, sep, value = line.rstrip("\r").partition(":")
        if sep:
            fields.setdefault(name.strip().lower(), value.strip())
    return lines[0].rstrip("\r"), fields


def dechunk(body: bytes) -> bytes | None:
    """Undo HTTP chunked transfer coding; None if ``body`` is not chunked."""
    out: list[bytes] = []
    pos = 0
    try:
        while True:
            eol = body.index(b"\r\n", pos)
            size = int(body[pos:eol].split(b";", 1)[0].strip(), 16)
            pos = eol + 2
            if size == 0:
                return b"".join(out)
            out.append(body[pos : pos + size])
            pos += size + 2
            if pos > len(body):
                return None
    except ValueError:
        return None


_ALGOS = {"sha1": "sha1", "sha256": "sha256", "sha-256": "sha256", "md5": "md5", "sha512": "sha512"}


def digest_matches(expected: str, data: bytes) -> bool | None:
    """Whether ``data`` has the WARC digest ``expected`` (``algo:base32|hex|base64``);
    None for an algorithm or encoding this module does not know."""
    algo, sep, value = expected.strip().partition(":")
    name = _ALGOS.get(algo.lower())
    if not sep or name is None:
        return None
    raw = hashlib.new(name, data).digest()
    value = value.strip()
    if value.upper() == base64.b32encode(raw).decode("ascii"):
        return True
    if value.lower() == binascii.hexlify(raw).decode("ascii"):
        return True
    return value == base64.b64encode(raw).decode("ascii")


# -- the check -----------------------------------------------------------------
@dataclass
class Problem:
    kind: str
    file: str | None
    offset: int | None = None
    record_id: str | None = None
    url: str | None = None
    detail: str = ""


@dataclass
class Report:
    files: int = 0
    records: int = 0
    bytes: int = 0
    block_digests_ok: int = 0
    payload_digests_ok: int = 0
    no_digest: int = 0
    arc_records: int = 0
    rows: int = 0
    rows_ok: int = 0
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    #: responses whose Content-Encoding does not decode: archived as the server sent
    #: them (not a fault of the archive), but their text could not be extracted
    undecodable: list[Problem] = field(default_factory=list)
    #: records by WARC-Type; and the records whose payload digest was not checked, by
    #: WARC-Type (revisits carry their original's digest; warcinfo, metadata and
    #: bodiless requests have none): why payload digests are fewer than records
    record_types: dict[str, int] = field(default_factory=dict)
    payload_not_checked: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for p in self.problems:
            out[p.kind] = out.get(p.kind, 0) + 1
        return out

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ok"] = not self.problems
        data["problem_counts"] = self.counts()
        return data


def check_record(rec: RawRecord) -> list[tuple[str, str]]:
    """Digest problems of one record, as (kind, detail); empty when all is well.
    Also returns ``("ok_block", "")``/``("ok_payload", "")``/``("no_digest", "")``
    markers for the counters."""
    out: list[tuple[str, str]] = []
    block_digest = rec.headers.get("warc-block-digest")
    if block_digest:
        ok = digest_matches(block_digest, rec.block)
        if ok is False:
            out.append(("block_digest", f"WARC-Block-Digest {block_digest} does not match"))
        elif ok:
            out.append(("ok_block", ""))
    payload_digest = rec.headers.get("warc-payload-digest")
    if payload_digest and rec.type in ("response", "resource", "request"):
        head, payload = split_http(rec)
        ok = digest_matches(payload_digest, payload)
        if ok is False and head is not None:
            body = dechunk(payload)
            if body is not None and digest_matches(payload_digest, body):
                ok = True
        if ok is False:
            out.append(("payload_digest", f"WARC-Payload-Digest {payload_digest} does not match"))
        elif ok:
            out.append(("ok_payload", ""))
    if rec.type == "response":
        out.extend(_decoding(rec))
    if not block_digest and not payload_digest:
        out.append(("no_digest", ""))
    return out


def _decoding(rec: RawRecord) -> list[tuple[str, str]]:
    """``[("undecodable", why)]`` for a response whose body does not decode with
    :func:`archiver.codings.decode_body` (the decoder of the crawl and of reindex)."""
    head, payload = split_http(rec)
    if head is None:
        return []
    _first, fields = head_fields(head)
    coding = fields.get("content-encoding")
    if not coding or coding.strip().lower() == "identity":
        return []
    if "chunked" in fields.get("transfer-encoding", "").lower():
        payload = dechunk(payload) or payload
    try:
        decode_body(payload, coding)
    except UndecodableContent as exc:
        return [("undecodable", f"{exc.cause}: {exc}")]
    return []


def verify(db_path: Path | None, warc_dir: Path) -> Report:
    """Check every WARC file of ``warc_dir`` and every ``captures`` row of ``db_path``."""
    import time

    started = time.perf_counter()
    report = Report()
    # records[file name without .open][offset] = (length, type, id, uri, payload digest)
    index: dict[str, dict[int, tuple[int, str, str, str, str]]] = {}
    for path in list_warc_files(warc_dir):
        name = path.name
        report.files += 1
        with contextlib.suppress(OSError):
            report.bytes += path.stat().st_size
        if name.endswith(OPEN_SUFFIX):
            report.problems.append(
                Problem(
                    "open_file",
                    name,
                    detail="file still ends in .open: a crawl is writing it "
                    "or crashed before closing it",
                )
            )
            name = name[: -len(OPEN_SUFFIX)]
        records = index.setdefault(name, {})
        try:
            for item in iter_records(path):
                if isinstance(item, ReadError):
                    report.problems.append(
                        Problem(item.kind, path.name, item.offset, detail=item.message)
                    )
                    continue
                report.records += 1
                if item.format == "arc":
                    report.arc_records += 1
                if item.error:
                    report.problems.append(
                        Problem(
                            "truncated",
                            path.name,
                            item.offset,
                            item.record_id or None,
                            item.target_uri or None,
                            item.error,
                        )
                    )
                    continue
                kind_name = item.type or ("arc" if item.format == "arc" else "unknown")
                report.record_types[kind_name] = report.record_types.get(kind_name, 0) + 1
                kinds = check_record(item)
                if not any(k in ("ok_payload", "payload_digest") for k, _ in kinds):
                    report.payload_not_checked[kind_name] = (
                        report.payload_not_checked.get(kind_name, 0) + 1
                    )
                for kind, detail in kinds:
                    if kind == "ok_block":
                        report.block_digests_ok += 1
                    elif kind == "ok_payload":
                        report.payload_digests_ok += 1
                    elif kind == "no_digest":
                        report.no_digest += 1
                    elif kind == "undecodable":
                        report.undecodable.append(
                            Problem(
                                kind,
                                path.name,
                                item.offset,
                                item.record_id,
                                item.target_uri,
                                detail,
                            )
                        )
                    else:
                        report.problems.append(
                            Problem(
                                kind,
                                path.name,
                                item.offset,
                                item.record_id,
                                item.target_uri,
                                detail,
                            )
                        )
                if item.type in ("response", "revisit"):
                    records.setdefault(
                        item.offset,
                        (
                            item.length,
                            item.type,
                            item.record_id,
                            item.target_uri,
                            item.headers.get("warc-payload-digest", ""),
                        ),
                    )
        except OSError as exc:
            report.problems.append(Problem("unreadable", path.name, detail=str(exc)))
    if db_path is not None:
        _check_rows(db_path, warc_dir, index, report)
    report.seconds = time.perf_counter() - started
    return report


def _check_rows(
    db_path: Path,
    warc_dir: Path,
    index: dict[str, dict[int, tuple[int, str, str, str, str]]],
    report: Report,
) -> None:
    from archiver import store

    conn = store.connect(db_path, readonly=True)
    try:
        rows = conn.execute(
            "SELECT id, url, warc_file, warc_offset, warc_length, warc_record_id, "
            "payload_digest FROM captures ORDER BY warc_file, warc_offset"
        ).fetchall()
    except sqlite3.DatabaseError as exc:
        raise ValueError(f"{db_path} is not an archive database: {exc}") from None
    finally:
        conn.close()
    seen: dict[str, set[int]] = {}
    outside: dict[str, dict[int, tuple[int, str, str, str, str]]] = {}
    for row_id, url, warc_file, offset, length, record_id, digest in rows:
        report.rows += 1
        records = index.get(warc_file)
        if records is None:
            # a file outside the folder's top level (rows may name sub-folders)
            path = warc_dir / warc_file
            if warc_file not in outside and (
                path.is_file() or Path(f"{path}{OPEN_SUFFIX}").is_file()
            ):
                real = path if path.is_file() else Path(f"{path}{OPEN_SUFFIX}")
                outside[warc_file] = {
                    r.offset: (
                        r.length,
                        r.type,
                        r.record_id,
                        r.target_uri,
                        r.headers.get("warc-payload-digest", ""),
                    )
                    for r in iter_records(real)
                    if isinstance(r, RawRecord)
                }
            records = outside.get(warc_file)
        if records is None:
            report.problems.append(
                Problem(
                    "dangling",
                    warc_file,
                    offset,
                    record_id,
                    url,
                    f"capture {row_id}: WARC file is missing",
                )
            )
            continue
        found = records.get(offset)
        if found is None:
            report.problems.append(
                Problem(
                    "dangling",
                    warc_file,
                    offset,
                    record_id,
                    url,
                    f"capture {row_id}: no record at this offset",
                )
            )
            continue
        seen.setdefault(warc_file, set()).add(offset)
        rec_len, _rtype, rec_id, rec_uri, rec_digest = found
        wrong = []
        if rec_len != length:
            wrong.append(f"length {rec_len} != {length}")
        if rec_id != record_id:
            wrong.append(f"record id {rec_id} != {record_id}")
        if rec_uri != url:
            wrong.append(f"target URI {rec_uri} != {url}")
        if rec_digest and digest and rec_digest != digest:
            wrong.append(f"payload digest {rec_digest} != {digest}")
        if wrong:
            report.problems.append(
                Problem(
                    "row_mismatch",
                    warc_file,
                    offset,
                    record_id,
                    url,
                    f"capture {row_id}: " + "; ".join(wrong),
                )
            )
        else:
            report.rows_ok += 1
    for name, records in index.items():
        used = seen.get(name, set())
        for offset, (_len, rtype, rec_id, uri, _digest) in records.items():
            if offset not in used:
                report.problems.append(
                    Problem(
                        "orphan",
                        name,
                        offset,
                        rec_id,
                        uri,
                        f"{rtype} record without a captures row",
                    )
                )
