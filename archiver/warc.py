"""WARC files: the one place that writes and reads records.

:class:`WarcWriter` writes WARC/1.1 files with one gzip member per record, a
``warcinfo`` record first in each file, request/response pairs linked by
``WARC-Concurrent-To``, revisit records for unchanged payloads, and rotation at a
size limit.  Files are named ``<prefix>-<UTC timestamp>-<serial>.warc.gz.open``
while they are written and lose the ``.open`` suffix when closed.

Records are built and serialised with warcio's public API and compressed here, one
gzip member each, so that the exact offset and length of every member is known when
it is written.  HTTP headers are kept as the bytes that crossed the wire (see
:mod:`archiver.crawl.capture`).

Reading: :func:`iter_records` (every record of a file, for verify, reindex and
replay) and :func:`record_at` (the record at an offset) parse records with warcio's
ArchiveIterator, which also gives their offsets and lengths; they read WARC and ARC
files, gzip per record, whole-file gzip and uncompressed.  What is hand-written is
about damaged files, which warcio reads past without a word: a tap between the file
and warcio that checks each gzip member with zlib before warcio sees it (a corrupt
member becomes a :class:`ReadError` instead of silently missing data, a truncated
last member is reported, and records sharing one member are recognised), and a scan
for the next gzip header after a corrupt member, where a fresh ArchiveIterator takes
over.  ARC records get the WARC headers they stand for, with a record id derived
from file name and offset (ARC has none; warcio's conversion makes a random one).
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import io
import logging
import os
import socket
import threading
import uuid
import zlib
from base64 import b32encode
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator, ARCIterator, WARCIterator
from warcio.recordbuilder import RecordBuilder
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser
from warcio.timeutils import timestamp_to_iso_date
from warcio.warcwriter import WARCWriter

from archiver.errors import WriteError, write_failure

logger = logging.getLogger(__name__)

WARC_VERSION = "WARC/1.1"
REVISIT_PROFILE = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
OPEN_SUFFIX = ".open"
CONFORMS_TO = "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"


def sha1_digest(data: bytes) -> str:
    """Return the WARC digest string (``sha1:`` + base32) of ``data``."""
    return "sha1:" + b32encode(hashlib.sha1(data).digest()).decode("ascii")


def warc_date(moment: datetime) -> str:
    """Format a UTC datetime as a WARC/1.1 date with microseconds."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def new_record_id() -> str:
    return StatusAndHeadersParser.make_warc_id()


class _RawHttpHead(StatusAndHeaders):
    """HTTP status line and headers that serialize back to their original bytes."""

    def __init__(self, raw: bytes, statusline: str, headers: list[tuple[str, str]], protocol: str):
        super().__init__(statusline, headers, protocol=protocol)
        self._raw = raw

    def compute_headers_buffer(self, header_filter: Any = None) -> None:
        self.headers_buff = self._raw


def parse_http_head(raw: bytes, *, request: bool = False) -> _RawHttpHead:
    """Parse an HTTP message head (status or request line plus headers, ending
    with the blank line) into a warcio header object that keeps ``raw`` exactly."""
    text = raw.decode("iso-8859-1")
    lines = text.split("\n")
    first = lines[0].rstrip("\r")
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        line = line.rstrip("\r")
        if not line:
            continue
        if line[0] in " \t" and headers:  # obsolete line folding
            name, value = headers[-1]
            headers[-1] = (name, value + " " + line.strip())
            continue
        name, sep, value = line.partition(":")
        if sep:
            headers.append((name.strip(), value.strip()))
    if request:
        # "GET /path HTTP/1.1": warcio keeps the method in protocol
        method, _, rest = first.partition(" ")
        return _RawHttpHead(raw, rest, headers, method)
    protocol, _, statusline = first.partition(" ")
    return _RawHttpHead(raw, statusline, headers, protocol)


def serialize_record(record: Any) -> bytes:
    """The uncompressed bytes of a warcio record (WARC headers, block, two CRLFs),
    written by warcio's public :class:`~warcio.warcwriter.WARCWriter`."""
    buf = io.BytesIO()
    WARCWriter(buf, gzip=False, warc_version=WARC_VERSION).write_record(record)
    return buf.getvalue()


def gzip_member(data: bytes, level: int = 6) -> bytes:
    """``data`` as one complete gzip member."""
    packer = zlib.compressobj(level, zlib.DEFLATED, 31)
    return packer.compress(data) + packer.flush()


def _leading(rtype: str, record_id: str, url: str) -> dict[str, str]:
    """The headers that conventionally open a record, in their usual order."""
    return {"WARC-Type": rtype, "WARC-Record-ID": record_id, "WARC-Target-URI": url}


@dataclass(frozen=True, slots=True)
class RecordLocation:
    """Where a record was written: file name (relative to the WARC directory),
    byte offset and length of its gzip member, and its identity."""

    warc_file: str
    offset: int
    length: int
    record_id: str
    date: str
    record_type: str
    payload_digest: str
    request_record_id: str | None = None


@dataclass(frozen=True, slots=True)
class RevisitOf:
    """The earlier capture a revisit record refers to."""

    record_id: str
    target_uri: str
    date: str


class WarcWriter:
    """Rotating, gzip-per-record WARC/1.1 writer.

    :param directory: folder for the WARC files (created if missing)
    :param prefix: file name prefix
    :param max_size: rotate to a new file once the current one reaches this many bytes
    :param info: fields of the ``warcinfo`` record written first in each file
    :param gzip_level: zlib compression level of each record
    """

    def __init__(
        self,
        directory: str | os.PathLike[str],
        prefix: str = "archiver",
        max_size: int = 1_000_000_000,
        info: dict[str, str] | None = None,
        gzip_level: int = 6,
    ) -> None:
        self.directory = Path(directory)
        self.prefix = prefix
        self.max_size = max(int(max_size), 1)
        self.info = dict(info or {})
        self.gzip_level = gzip_level
        self.files_written: list[str] = []
        self._serial = 0
        self._fh: BinaryIO | None = None
        self._name: str | None = None
        self._size = 0
        self._warcinfo_id: str | None = None
        self._builder = RecordBuilder(warc_version=WARC_VERSION)
        self._lock = threading.Lock()

    # -- files -------------------------------------------------------------
    @property
    def current_file(self) -> str | None:
        return self._name

    def _open(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        while True:
            stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")[:17]
            name = f"{self.prefix}-{stamp}-{self._serial:05d}.warc.gz"
            self._serial += 1
            path = self.directory / (name + OPEN_SUFFIX)
            if (self.directory / name).exists():
                continue
            try:
                # unbuffered: each write reaches the file whole or fails, so a failed
                # one can be cut back (see _write)
                self._fh = open(path, "xb", buffering=0)  # noqa: SIM115 - closed in close()
            except FileExistsError:
                continue
            except OSError as exc:
                raise self._write_error(exc) from exc
            # held while the file is written: archiver.ops.repair leaves a locked
            # .open file alone (its writer is alive) and closes the others
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        self._name = name
        self._size = 0
        try:
            self._write_warcinfo()
        except WriteError:
            # a file without its warcinfo record is no WARC file: gone again
            fh, self._fh, self._name = self._fh, None, None
            fh.close()
            path.unlink(missing_ok=True)
            raise

    def _write_warcinfo(self) -> None:
        assert self._name is not None
        fields = {"format": "WARC File Format 1.1", "conformsTo": CONFORMS_TO}
        fields.setdefault("hostname", socket.gethostname())
        fields.update(self.info)
        record = self._builder.create_warcinfo_record(self._name, fields)
        self._warcinfo_id = record.rec_headers.get_header("WARC-Record-ID")
        self._write(self._member(record))

    def close(self) -> None:
        """Flush, sync and close the current file and drop its ``.open`` suffix."""
        with self._lock:
            self._close_locked()

    def _close_locked(self) -> None:
        if self._fh is None:
            return
        fh, name = self._fh, self._name
        assert name is not None
        try:
            os.fsync(fh.fileno())
        except OSError as exc:
            # left .open, unlocked: the next crawl's repair checks and closes it
            self._fh = None
            self._name = None
            fh.close()
            raise self._write_error(exc) from exc
        fh.close()
        os.replace(self.directory / (name + OPEN_SUFFIX), self.directory / name)
        self.files_written.append(name)
        logger.info(
            "Closed WARC file %(name)s (%(size)d bytes)", {"name": name, "size": self._size}
        )
        self._fh = None
        self._name = None

    def sync(self) -> None:
        """Make everything written so far durable (fsync of the current file)."""
        with self._lock:
            if self._fh is not None:
                try:
                    os.fsync(self._fh.fileno())
                except OSError as exc:
                    raise self._write_error(exc) from exc

    def __enter__(self) -> WarcWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- records -----------------------------------------------------------
    def _member(self, record: Any) -> bytes:
        """``record`` serialized as one gzip member."""
        return gzip_member(serialize_record(record), self.gzip_level)

    def _write(self, data: bytes) -> None:
        """Append ``data`` (whole records) to the current file.  A write that fails
        (disk full, quota, I/O error) is cut back to where it started, so the file
        always ends with a complete record, and raises :class:`WriteError`."""
        assert self._fh is not None
        start = self._size
        view = memoryview(data)
        done = 0
        try:
            while done < len(data):
                n = self._fh.write(view[done:])
                if not n:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                done += n
        except OSError as exc:
            error = self._write_error(exc)
            self._cut_back(start)
            raise error from exc
        self._size += len(data)

    def _cut_back(self, size: int) -> None:
        """Truncate the current file to ``size`` bytes (the end of its last record)."""
        assert self._fh is not None
        try:
            os.ftruncate(self._fh.fileno(), size)
            self._fh.seek(size)
        except OSError as exc:
            # cannot even cut: leave the file .open and unlocked, for repair to cut
            logger.warning("Could not cut %s back to %d bytes: %s", self._name, size, exc)
            fh, self._fh, self._name = self._fh, None, None
            fh.close()

    def _write_error(self, exc: OSError) -> WriteError:
        reason = write_failure(exc) or "error"
        detail = exc.strerror or str(exc)
        return WriteError(f"WARC files in {self.directory} ({detail})", reason, exc.errno)

    def write_exchange(
        self,
        url: str,
        request_head: bytes,
        request_body: bytes,
        response_head: bytes,
        response_body: bytes,
        *,
        moment: datetime | None = None,
        ip_address: str | None = None,
        revisit_of: RevisitOf | None = None,
        payload_digest: str | None = None,
    ) -> RecordLocation:
        """Write a response (or revisit) record and its request record.

        ``response_head`` is the status line and headers as received, including the
        blank line that ends them; ``response_body`` the entity body as received
        (content-coding intact, transfer-coding removed).
        """
        moment = moment or datetime.now(UTC)
        date = warc_date(moment)
        digest = payload_digest or sha1_digest(response_body)
        with self._lock:
            if self._fh is None or self._size >= self.max_size:
                self._close_locked()
                self._open()
            assert self._name is not None
            record_id = new_record_id()
            common = {"WARC-Date": date, "WARC-Warcinfo-ID": self._warcinfo_id}
            if ip_address:
                common["WARC-IP-Address"] = ip_address
            head = parse_http_head(response_head)
            if revisit_of is None:
                rtype = "response"
                record = self._builder.create_warc_record(
                    url,
                    "response",
                    payload=io.BytesIO(response_body),
                    length=len(response_body),
                    http_headers=head,
                    warc_headers_dict={
                        **_leading("response", record_id, url),
                        **common,
                        "WARC-Payload-Digest": digest,
                    },
                )
            else:
                rtype = "revisit"
                record = self._builder.create_warc_record(
                    url,
                    "revisit",
                    http_headers=head,
                    warc_headers_dict={
                        **_leading("revisit", record_id, url),
                        **common,
                        "WARC-Profile": REVISIT_PROFILE,
                        "WARC-Refers-To": revisit_of.record_id,
                        "WARC-Refers-To-Target-URI": revisit_of.target_uri,
                        "WARC-Refers-To-Date": revisit_of.date,
                        "WARC-Payload-Digest": digest,
                    },
                )
            response_member = self._member(record)

            req_head = parse_http_head(request_head, request=True)
            req = self._builder.create_warc_record(
                url,
                "request",
                payload=io.BytesIO(request_body),
                length=len(request_body),
                http_headers=req_head,
                warc_headers_dict={
                    **_leading("request", new_record_id(), url),
                    **common,
                    "WARC-Concurrent-To": record_id,
                },
            )
            # both records in one write: a failed write leaves neither
            offset, length = self._size, len(response_member)
            self._write(response_member + self._member(req))
            return RecordLocation(
                warc_file=self._name,
                offset=offset,
                length=length,
                record_id=record_id,
                date=date,
                record_type=rtype,
                payload_digest=digest,
                request_record_id=req.rec_headers.get_header("WARC-Record-ID"),
            )


# -- reading -------------------------------------------------------------------
#
# Records are parsed by warcio's ArchiveIterator (WARCIterator/ARCIterator), which
# also gives each record's offset and length.  Two small pieces are our own, both
# about damaged files, which warcio reads on without saying so (it writes zlib
# errors to stderr, drops the data and keeps inflating the rest of the file):
#
# * :class:`_GzipTap`, the file object handed to warcio, runs every gzip member
#   through zlib before warcio sees its bytes.  It stops at the first member that
#   does not inflate (so warcio only ever reads whole, valid members), knows
#   whether the file ends inside a member (truncated) and where each member ends
#   (to tell a record with a gzip member of its own from several records sharing
#   one member, as in a whole-file gzip).
# * :func:`_resync` scans for the next gzip header after a corrupt member, where a
#   fresh ArchiveIterator takes over.

GZIP_MAGIC = b"\x1f\x8b\x08"
ARC_SUFFIXES = (".arc", ".arc.gz")
_CHUNK = 1 << 16
_INFLATE_LIMIT = 1 << 20


@dataclass(slots=True)
class RawRecord:
    """One record as stored: location (offset and length of its gzip member; of
    the record itself in an uncompressed file), WARC headers (names lower-cased),
    the record block, and ``error`` when the record is incomplete.

    ``format`` is ``"warc"`` or ``"arc"``; ARC records are given the WARC headers
    they stand for (``WARC-Type``, ``WARC-Target-URI``, ``WARC-Date``, ...) and a
    ``WARC-Record-ID`` derived from the file name and offset, the same at every
    reading.  ``rec_type``, ``rec_headers``, ``http_headers`` and ``payload`` read
    like a warcio record's."""

    offset: int
    length: int
    headers: dict[str, str]
    block: bytes
    error: str | None = None
    format: str = "warc"
    rec_headers: StatusAndHeaders | None = None

    @property
    def type(self) -> str:
        return self.headers.get("warc-type", "")

    @property
    def rec_type(self) -> str:
        return self.type

    @property
    def record_id(self) -> str:
        return self.headers.get("warc-record-id", "")

    @property
    def target_uri(self) -> str:
        return self.headers.get("warc-target-uri", "")

    @property
    def http_headers(self) -> StatusAndHeaders | None:
        """The HTTP status (or request) line and headers, None for non-HTTP blocks."""
        head = split_http(self)[0]
        if head is None:
            return None
        return parse_http_head(head, request=self.type == "request")

    @property
    def payload(self) -> bytes:
        """The bytes after the HTTP head, as stored (the whole block if not HTTP)."""
        return split_http(self)[1]


@dataclass(slots=True)
class ReadError:
    """A part of a file that could not be read as records."""

    offset: int
    kind: str  # "corrupt" (bad gzip data or record headers) or "truncated"
    message: str


def split_http(record: RawRecord) -> tuple[bytes | None, bytes]:
    """(HTTP head, payload) of a record; head is None for non-HTTP blocks."""
    ctype = record.headers.get("content-type", "").lower()
    if record.type in ("response", "request", "revisit") and (
        "application/http" in ctype or record.block.startswith(b"HTTP/") or record.type == "request"
    ):
        idx = record.block.find(b"\r\n\r\n")
        if idx >= 0:
            return record.block[: idx + 4], record.block[idx + 4 :]
        if record.type == "revisit":
            return record.block, b""
        idx = record.block.find(b"\n\n")
        if idx >= 0:
            return record.block[: idx + 2], record.block[idx + 2 :]
    return None, record.block


def is_arc_name(name: str) -> bool:
    """Whether a file name (``.open`` suffix allowed) is an ARC file's."""
    base = name[: -len(OPEN_SUFFIX)] if name.endswith(OPEN_SUFFIX) else name
    return base.endswith(ARC_SUFFIXES)


def _base_name(path: str | os.PathLike[str]) -> str:
    name = Path(path).name
    return name[: -len(OPEN_SUFFIX)] if name.endswith(OPEN_SUFFIX) else name


@dataclass(slots=True)
class _Damage:
    offset: int  # start of the gzip member that is damaged
    kind: str  # "corrupt" or "truncated"
    message: str


class _GzipTap:
    """The file object warcio reads a gzip file through (see the notes above).

    Bytes are handed on only once zlib has inflated them without error; at a
    member that fails, the bytes before that member are handed on and then the
    file appears to end (``damage`` says why).  ``ends`` holds the end offset of
    every member found complete."""

    def __init__(self, fh: BinaryIO, start: int) -> None:
        fh.seek(start)
        self._fh = fh
        self._pos = start  # file offset of the next byte handed on
        self._member = start  # start of the member being inflated
        self._in_member = False
        self._inflater = zlib.decompressobj(31)
        self.ends: set[int] = set()
        self.damage: _Damage | None = None

    def tell(self) -> int:
        return self._pos

    def read(self, size: int = -1) -> bytes:
        if self.damage is not None:
            return b""
        data = self._fh.read(size if size and size > 0 else _CHUNK)
        if not data:
            if self._in_member:
                self.damage = _Damage(
                    self._member, "truncated", "truncated gzip member (file ends inside a record)"
                )
            return b""
        good = self._check(data)
        self._pos += good
        return data[:good]

    def _check(self, data: bytes) -> int:
        """How many bytes of ``data`` (which starts at ``self._pos``) to hand on."""
        base = self._pos
        buf = data
        while buf:
            self._in_member = True
            try:
                self._inflater.decompress(buf, _INFLATE_LIMIT)
                while self._inflater.unconsumed_tail and not self._inflater.eof:
                    self._inflater.decompress(self._inflater.unconsumed_tail, _INFLATE_LIMIT)
            except zlib.error as exc:
                self.damage = _Damage(self._member, "corrupt", f"bad gzip data: {exc}")
                return max(0, self._member - base)
            if not self._inflater.eof:
                return len(data)
            buf = self._inflater.unused_data
            end = base + len(data) - len(buf)
            self.ends.add(end)
            self._member = end
            self._in_member = False
            self._inflater = zlib.decompressobj(31)
        return len(data)


def _resync(fh: BinaryIO, start: int) -> int | None:
    """Offset of the next gzip header at or after ``start``, None if there is none."""
    fh.seek(start)
    scan = start
    carry = b""
    while True:
        chunk = fh.read(_CHUNK)
        if not chunk:
            return None
        window = carry + chunk
        idx = window.find(GZIP_MAGIC)
        if idx >= 0:
            return scan - len(carry) + idx
        carry = window[-(len(GZIP_MAGIC) - 1) :]
        scan += len(chunk)


def _iterator(fh: Any, arc: bool) -> ArchiveIterator:
    # no_record_parse: the block is read whole (HTTP head included), as the block
    # digest covers it; the HTTP head is split off by split_http when asked for
    kind = ARCIterator if arc else WARCIterator
    return kind(fh, no_record_parse=True)


def _problem(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"not a record: {text[:200]}" if text else f"not a record ({type(exc).__name__})"


def _arc_headers(rec: Any, ident: str) -> list[tuple[str, str]]:
    """The WARC headers an ARC record stands for; its record id is derived from
    ``ident`` (file name and offset), as ARC records have none."""
    arc = rec.rec_headers
    uri = arc.get_header("uri") or ""
    stamp = arc.get_header("archive-date") or ""
    try:
        date = timestamp_to_iso_date(stamp)
    except (ValueError, TypeError):
        date = stamp
    record_id = f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'arc:' + ident)}>"
    if rec.rec_type == "arc_header":
        return [
            ("WARC-Type", "warcinfo"),
            ("WARC-Record-ID", record_id),
            ("WARC-Filename", uri[len("filedesc://") :]),
            ("WARC-Date", date),
            ("Content-Type", arc.get_header("content-type") or ""),
            ("Content-Length", str(rec.length)),
        ]
    http = uri.startswith(("http:", "https:"))
    out = [
        ("WARC-Type", "response" if http else "resource"),
        ("WARC-Record-ID", record_id),
        ("WARC-Target-URI", uri),
        ("WARC-Date", date),
    ]
    if arc.get_header("ip-address"):
        out.append(("WARC-IP-Address", arc.get_header("ip-address")))
    ctype = "application/http;msgtype=response" if http else arc.get_header("content-type")
    out += [("Content-Type", ctype or ""), ("Content-Length", str(rec.length))]
    return out


def _convert(rec: Any, block: bytes, offset: int, length: int, ident: str) -> RawRecord | ReadError:
    """A warcio record (read with ``no_record_parse``) and its block as a RawRecord;
    ``ident`` names the record's place in its file (for the ids of ARC records)."""
    if rec.format == "arc":
        stamp = rec.rec_headers.get_header("archive-date") or ""
        try:
            int(rec.rec_headers.get_header("length") or "")
        except ValueError:
            stamp = ""
        if not stamp.isdigit():
            return ReadError(offset, "corrupt", "ARC header without a valid date and length")
        declared = rec.length
        pairs = _arc_headers(rec, ident)
        rec_headers = StatusAndHeaders("", pairs, protocol="WARC/1.0")
    else:
        pairs = rec.rec_headers.headers
        rec_headers = rec.rec_headers
        try:
            declared = int(rec.rec_headers.get_header("Content-Length") or "")
        except ValueError:
            return ReadError(offset, "corrupt", "WARC header without a valid Content-Length")
    headers: dict[str, str] = {}
    for key, value in pairs:
        headers.setdefault(key.lower(), value)
    error = None
    if len(block) < declared:
        error = f"record block truncated: {len(block)} of {declared} bytes"
    return RawRecord(offset, length, headers, block, error, rec.format, rec_headers)


def _next(it: ArchiveIterator) -> tuple[Any, bytes, int, int] | None:
    """The next record of ``it`` with its block, offset and length; None at the end."""
    rec = next(it, None)
    if rec is None:
        return None
    block = rec.raw_stream.read()
    return rec, block, it.get_record_offset(), it.get_record_length()


def _read_plain(
    fh: BinaryIO, start: int, arc: bool, name: str, member: tuple[int, int] | None = None
) -> Generator[RawRecord | ReadError, None, None]:
    """Records of an uncompressed file from ``start``; or, with ``member`` (offset,
    length), of the inflated bytes of one gzip member holding several records, which
    all get the member's offset and length."""
    fh.seek(start)
    it = _iterator(fh, arc)
    at = start
    while True:
        try:
            got = _next(it)
        except Exception as exc:  # warcio raises assorted errors on bytes that are not records
            yield ReadError(member[0] if member else at, "corrupt", _problem(exc))
            return
        if got is None:
            return
        rec, block, offset, length = got
        at = offset + length
        ident = f"{name}#{offset}"
        if member is not None:
            ident = f"{name}#{member[0]}+{offset}"
            offset, length = member
        item = _convert(rec, block, offset, length, ident)
        yield item
        if isinstance(item, ReadError):
            return
        if item.error:
            yield ReadError(offset, "truncated", "file ends inside a record")
            return


def _inflate_member(fh: BinaryIO, start: int) -> tuple[bytes, int] | _Damage:
    """The inflated bytes and compressed length of the gzip member at ``start``."""
    fh.seek(start)
    inflater = zlib.decompressobj(31)
    parts: list[bytes] = []
    consumed = 0
    while not inflater.eof:
        chunk = fh.read(_CHUNK)
        if not chunk:
            return _Damage(start, "truncated", "truncated gzip member (file ends inside a record)")
        try:
            parts.append(inflater.decompress(chunk))
        except zlib.error as exc:
            return _Damage(start, "corrupt", f"bad gzip data: {exc}")
        consumed += len(chunk) - len(inflater.unused_data)
    return b"".join(parts), consumed


def _shared_member(
    fh: BinaryIO, start: int, arc: bool, name: str
) -> Generator[RawRecord | ReadError, None, int | None]:
    """Records of the gzip member at ``start`` that holds several (a whole-file
    gzip); returns where reading goes on."""
    got = _inflate_member(fh, start)
    if isinstance(got, _Damage):
        yield ReadError(got.offset, got.kind, got.message)
        return _resync(fh, start + 1) if got.kind == "corrupt" else None
    data, length = got
    yield from _read_plain(io.BytesIO(data), 0, arc, name, member=(start, length))
    return start + length


def _read_gzip(
    fh: BinaryIO, start: int, arc: bool, name: str
) -> Generator[RawRecord | ReadError, None, None]:
    pos: int | None = start
    while pos is not None:
        tap = _GzipTap(fh, pos)
        it = _iterator(tap, arc)
        at = pos  # where the next record starts
        resume: int | None = None
        while True:
            failure: Exception | None = None
            try:
                got = _next(it)
            except Exception as exc:  # warcio raises assorted errors on bytes that are not records
                got, failure = None, exc
            damage = tap.damage
            if got is not None and (damage is None or got[2] < damage.offset):
                rec, block, offset, length = got
                if offset + length not in tap.ends:  # not the only record in its member
                    resume = yield from _shared_member(fh, offset, arc, name)
                    break
                yield _convert(rec, block, offset, length, f"{name}#{offset}")
                at = offset + length
                continue
            if damage is not None and damage.kind == "truncated":
                if got is not None:
                    rec, block, _offset, length = got
                    item = _convert(rec, block, damage.offset, length, f"{name}#{damage.offset}")
                    if isinstance(item, RawRecord):
                        item.error = item.error or "record in a truncated gzip member"
                        yield item
                yield ReadError(damage.offset, "truncated", damage.message)
            elif damage is not None:
                yield ReadError(damage.offset, "corrupt", damage.message)
                resume = _resync(fh, damage.offset + 1)
            elif failure is not None:
                yield ReadError(at, "corrupt", _problem(failure))
                later = [end for end in tap.ends if end > at]
                resume = min(later) if later else _resync(fh, at + 1)
            break
        pos = resume


def iter_records(path: str | os.PathLike[str]) -> Iterator[RawRecord | ReadError]:
    """Every record of a WARC or ARC file (gzip per record, whole-file gzip or
    uncompressed) with the offset and length of its gzip member (in an uncompressed
    file: of the record), plus :class:`ReadError` items for what cannot be read.
    Never raises on bad data, only on I/O errors."""
    arc = is_arc_name(Path(path).name)
    with open(path, "rb") as fh:
        gzipped = fh.read(2) == GZIP_MAGIC[:2]
        read = _read_gzip if gzipped else _read_plain
        yield from read(fh, 0, arc, _base_name(path))


def record_at(path: str | os.PathLike[str], offset: int) -> RawRecord:
    """The record at ``offset`` of a WARC or ARC file (the start of its gzip member,
    as in ``captures.warc_offset``).  Raises :class:`LookupError` when no whole
    record starts there (an offset inside a record, past the end, or a damaged
    record), :class:`OSError` when the file cannot be read."""
    arc = is_arc_name(Path(path).name)
    with open(path, "rb") as fh:
        gzipped = fh.read(2) == GZIP_MAGIC[:2]
        # a gzip member starts with its magic, an uncompressed record at a line start
        fh.seek(max(offset - 1, 0))
        before = fh.read(1) if offset > 0 else b"\n"
        here = fh.read(2)
        starts = here == GZIP_MAGIC[:2] if gzipped else before == b"\n"
        if offset >= 0 and here and starts:
            read = _read_gzip if gzipped else _read_plain
            items = read(fh, offset, arc, _base_name(path))
            try:
                item = next(items, None)
            finally:
                items.close()
            if isinstance(item, RawRecord) and item.error is None and item.offset == offset:
                return item
    raise LookupError(f"no WARC record at offset {offset} of {path}")


def read_record_bytes(path: str | os.PathLike[str], offset: int, length: int) -> bytes:
    """Return the ``length`` raw bytes at ``offset`` of a WARC file (one gzip member)."""
    with open(path, "rb") as fh:
        fh.seek(offset)
        return fh.read(length)
