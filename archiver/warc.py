"""WARC files: the one place that writes and reads records.

:class:`WarcWriter` writes WARC/1.1 files with one gzip member per record, a
``warcinfo`` record first in each file, request/response pairs linked by
``WARC-Concurrent-To``, revisit records for unchanged payloads, and rotation at a
size limit.  Files are named ``<prefix>-<UTC timestamp>-<serial>.warc.gz.open``
while they are written and lose the ``.open`` suffix when closed.

Records are built with warcio and compressed here, so that the exact offset and
length of every gzip member is known when it is written.  HTTP headers are kept
as the bytes that crossed the wire (see :mod:`archiver.capture`).
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import socket
import threading
import zlib
from base64 import b32encode
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.recordbuilder import RecordBuilder
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser
from warcio.warcwriter import WARCWriter

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


class _RawHttpHead(StatusAndHeaders):  # type: ignore[misc]
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
        self._serializer = WARCWriter(None, gzip=False, warc_version=WARC_VERSION)
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
                self._fh = open(path, "xb")  # noqa: SIM115 - closed in close()
            except FileExistsError:
                continue
            break
        self._name = name
        self._size = 0
        self._write_warcinfo()

    def _write_warcinfo(self) -> None:
        assert self._name is not None
        fields = {"format": "WARC File Format 1.1", "conformsTo": CONFORMS_TO}
        fields.setdefault("hostname", socket.gethostname())
        fields.update(self.info)
        record = self._builder.create_warcinfo_record(self._name, fields)
        self._warcinfo_id = record.rec_headers.get_header("WARC-Record-ID")
        self._append(record)

    def close(self) -> None:
        """Flush, sync and close the current file and drop its ``.open`` suffix."""
        with self._lock:
            self._close_locked()

    def _close_locked(self) -> None:
        if self._fh is None:
            return
        fh, name = self._fh, self._name
        assert name is not None
        fh.flush()
        os.fsync(fh.fileno())
        fh.close()
        os.replace(self.directory / (name + OPEN_SUFFIX), self.directory / name)
        self.files_written.append(name)
        logger.info("Closed WARC file %(name)s (%(size)d bytes)", {"name": name, "size": self._size})
        self._fh = None
        self._name = None

    def sync(self) -> None:
        """Make everything written so far durable (fsync of the current file)."""
        with self._lock:
            if self._fh is not None:
                self._fh.flush()
                os.fsync(self._fh.fileno())

    def __enter__(self) -> WarcWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- records -----------------------------------------------------------
    def _append(self, record: Any) -> tuple[int, int]:
        """Serialize ``record`` as one gzip member at the end of the current file."""
        assert self._fh is not None
        buf = io.BytesIO()
        self._serializer._write_warc_record(buf, record)
        packer = zlib.compressobj(self.gzip_level, zlib.DEFLATED, 31)
        member = packer.compress(buf.getvalue()) + packer.flush()
        offset = self._size
        self._fh.write(member)
        self._size += len(member)
        return offset, len(member)

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
            offset, length = self._append(record)

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
            self._append(req)
            self._fh.flush()  # type: ignore[union-attr]
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


def read_record_bytes(path: str | os.PathLike[str], offset: int, length: int) -> bytes:
    """Return the ``length`` raw bytes at ``offset`` of a WARC file (one gzip member)."""
    with open(path, "rb") as fh:
        fh.seek(offset)
        return fh.read(length)


def read_record(path: str | os.PathLike[str], offset: int) -> Any:
    """Read the record at ``offset``; return the warcio record with ``payload``
    (the bytes after the HTTP head, as stored) attached."""
    with open(path, "rb") as fh:
        fh.seek(offset)
        try:
            for record in ArchiveIterator(fh):
                if record.format != "warc" or not record.rec_type:
                    break
                record.payload = record.raw_stream.read()
                return record
        except Exception:  # warcio raises assorted errors on bytes that are not a record
            raise LookupError(f"no WARC record at offset {offset} of {path}") from None
    raise LookupError(f"no WARC record at offset {offset} of {path}")
