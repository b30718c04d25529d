"""Unit tests of archiver.warc: record layout, digests, rotation, revisits, broken files."""

from __future__ import annotations

import io
import itertools
import subprocess
import tempfile
import uuid
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
import warcio.statusandheaders
from fastwarc.warc import ArchiveIterator as FastIterator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.warcwriter import WARCWriter

from archiver.warc import (
    REVISIT_PROFILE,
    RevisitOf,
    WarcWriter,
    parse_http_head,
    read_record_bytes,
    record_at,
    sha1_digest,
)

ROOT = Path(__file__).resolve().parents[1]
URL = "http://news.example.org/a?b=1"
REQ = b"GET /a?b=1 HTTP/1.1\r\nHost: news.example.org\r\nUser-Agent: test\r\n\r\n"
HEAD = (
    b"HTTP/1.1 200 Alright\r\nX-CuStOm: v\r\nX-Folded: first\r\n  second part\r\n"
    b"Content-Type: text/html\r\nContent-Length: 11\r\n\r\n"
)
BODY = b"<p>hi</p>\n\x00"
PLAIN_HEAD = b"HTTP/1.1 404 Not Here\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\n"
MOMENT = datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=UTC)


def members(data: bytes) -> list[tuple[int, int, bytes]]:
    """Split a gzip-per-record file into (offset, length, decompressed bytes)."""
    out, pos = [], 0
    while pos < len(data):
        d = zlib.decompressobj(31)
        plain = d.decompress(data[pos:])
        assert d.eof, f"incomplete gzip member at {pos}"
        length = len(data) - pos - len(d.unused_data)
        out.append((pos, length, plain))
        pos += length
    return out


def split_record(plain: bytes) -> tuple[str, list[tuple[str, str]], bytes]:
    head, _, rest = plain.partition(b"\r\n\r\n")
    lines = head.decode("utf-8").split("\r\n")
    headers = [tuple(line.split(": ", 1)) for line in lines[1:]]
    assert rest.endswith(b"\r\n\r\n")
    return lines[0], headers, rest[:-4]  # type: ignore[return-value]


def write_one(directory: Path, **kwargs: object) -> tuple[WarcWriter, object, Path]:
    writer = WarcWriter(directory, prefix="t")
    loc = writer.write_exchange(
        URL, REQ, b"", HEAD, BODY, moment=MOMENT, ip_address="127.0.0.1", **kwargs
    )  # type: ignore[arg-type]
    writer.close()
    return writer, loc, directory / loc.warc_file


def test_sha1_digest_is_base32_of_sha1() -> None:
    assert sha1_digest(b"") == "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ"
    assert sha1_digest(b"abc") == "sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5"


def test_response_record_golden_layout(tmp_path: Path) -> None:
    _, loc, path = write_one(tmp_path)
    raw = read_record_bytes(path, loc.offset, loc.length)
    first, headers, block = split_record(zlib.decompress(raw, 31))
    assert first == "WARC/1.1"
    names = [n for n, _ in headers]
    assert names == [
        "WARC-Type",
        "WARC-Record-ID",
        "WARC-Target-URI",
        "WARC-Date",
        "WARC-Warcinfo-ID",
        "WARC-IP-Address",
        "WARC-Payload-Digest",
        "WARC-Block-Digest",
        "Content-Type",
        "Content-Length",
    ]
    h = dict(headers)
    assert h["WARC-Type"] == "response"
    assert h["WARC-Record-ID"] == loc.record_id
    assert h["WARC-Target-URI"] == URL
    assert h["WARC-Date"] == "2026-03-04T05:06:07.890123Z" == loc.date
    assert h["WARC-IP-Address"] == "127.0.0.1"
    assert h["Content-Type"] == "application/http; msgtype=response"
    assert block == HEAD + BODY  # reason phrase, header case and folding kept
    assert int(h["Content-Length"]) == len(block)
    assert h["WARC-Block-Digest"] == sha1_digest(HEAD + BODY)
    assert h["WARC-Payload-Digest"] == sha1_digest(BODY) == loc.payload_digest
    assert loc.record_type == "response"


def test_request_record_follows_and_points_at_response(tmp_path: Path) -> None:
    _, loc, path = write_one(tmp_path)
    data = path.read_bytes()
    found = [m for m in members(data) if m[0] == loc.offset + loc.length]
    assert found, "request member must directly follow the response member"
    _first, headers, block = split_record(found[0][2])
    h = dict(headers)
    assert [n for n, _ in headers][:3] == ["WARC-Type", "WARC-Record-ID", "WARC-Target-URI"]
    assert h["WARC-Type"] == "request"
    assert h["WARC-Record-ID"] == loc.request_record_id != loc.record_id
    assert h["WARC-Concurrent-To"] == loc.record_id
    assert h["Content-Type"] == "application/http; msgtype=request"
    assert block == REQ
    assert h["WARC-Block-Digest"] == sha1_digest(REQ)


def test_warcinfo_first_with_info_fields(tmp_path: Path) -> None:
    writer = WarcWriter(tmp_path, info={"software": "archiver/test", "isPartOf": "crawl-7"})
    loc = writer.write_exchange(URL, REQ, b"", PLAIN_HEAD, b"nope")
    writer.close()
    first = members((tmp_path / loc.warc_file).read_bytes())[0]
    _, headers, block = split_record(first[2])
    h = dict(headers)
    assert h["WARC-Type"] == "warcinfo"
    assert h["WARC-Filename"] == loc.warc_file  # final name, not the .open one
    assert h["Content-Type"] == "application/warc-fields"
    fields = dict(line.split(": ", 1) for line in block.decode().splitlines() if line)
    assert fields["software"] == "archiver/test"
    assert fields["isPartOf"] == "crawl-7"
    assert fields["format"] == "WARC File Format 1.1"
    rec = record_at(tmp_path / loc.warc_file, loc.offset)
    assert rec.rec_headers.get_header("WARC-Warcinfo-ID") == h["WARC-Record-ID"]


def test_parse_http_head_keeps_raw_and_parses_fields() -> None:
    head = parse_http_head(HEAD)
    assert head.protocol == "HTTP/1.1"
    assert head.get_statuscode() == "200"
    assert head.get_header("x-custom") == "v"
    assert head.get_header("X-Folded") == "first second part"
    head.compute_headers_buffer()
    assert head.headers_buff == HEAD  # what warcio writes
    req = parse_http_head(REQ, request=True)
    assert req.protocol == "GET"
    assert req.statusline == "/a?b=1 HTTP/1.1"
    assert req.get_header("Host") == "news.example.org"


@pytest.mark.parametrize(
    "head",
    [
        PLAIN_HEAD,
        b"HTTP/1.0 301 Moved\r\nLocation: /b\r\n\r\n",
        b'HTTP/1.1 200 OK\r\nContent-Length: 4\r\nETag: "x"\r\n\r\n',
    ],
    ids=["404", "redirect", "etag"],
)
def test_warcio_reserialises_records_byte_for_byte(tmp_path: Path, head: bytes) -> None:
    writer = WarcWriter(tmp_path)
    writer.write_exchange(URL, REQ, b"", head, b"body", moment=MOMENT)
    writer.close()
    path = tmp_path / writer.files_written[0]
    originals = [m[2] for m in members(path.read_bytes())]
    with open(path, "rb") as fh:
        for original, rec in zip(originals, ArchiveIterator(fh), strict=True):
            buf = io.BytesIO()
            WARCWriter(buf, gzip=False, warc_version="WARC/1.1").write_record(rec)
            assert buf.getvalue() == original, rec.rec_type
    assert len(originals) == 3


PRINTABLE_LATIN1 = st.text(
    alphabet=st.characters(codec="latin-1", exclude_categories=("Cc",)), max_size=40
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=st.binary(max_size=2000), value=PRINTABLE_LATIN1, reason=PRINTABLE_LATIN1)
def test_arbitrary_payload_and_headers_read_back(payload: bytes, value: str, reason: str) -> None:
    head = (
        f"HTTP/1.1 200 {reason}\r\nX-Value: {value}\r\nContent-Length: {len(payload)}\r\n\r\n"
    ).encode("latin-1")
    with tempfile.TemporaryDirectory() as tmp:
        writer = WarcWriter(tmp)
        loc = writer.write_exchange(URL, REQ, b"", head, payload)
        writer.close()
        path = Path(tmp) / loc.warc_file
        with open(path, "rb") as fh:
            fh.seek(loc.offset)
            rec = next(iter(ArchiveIterator(fh)))
            assert rec.rec_headers.get_header("WARC-Record-ID") == loc.record_id
            assert rec.http_headers.get_statuscode() == "200"
            assert rec.content_stream().read() == payload
        assert record_at(path, loc.offset).payload == payload
        with open(path, "rb") as fh:
            blocks = []
            for r in FastIterator(fh, parse_http=False):
                blocks.append((r.record_id, r.verify_block_digest(), r.reader.read()))
        assert all(ok for _, ok, _ in blocks)
        assert (loc.record_id, True, head + payload) in blocks
        with open(path, "rb") as fh:
            checked = [
                r.verify_payload_digest()
                for r in FastIterator(fh, parse_http=True)
                if r.headers.get("WARC-Type") == "response"
            ]
        assert checked == [True]


def test_rotation_open_suffix_and_files_written(tmp_path: Path) -> None:
    writer = WarcWriter(tmp_path, prefix="rot", max_size=1, info={"isPartOf": "crawl-1"})
    names = []
    for i in range(3):
        loc = writer.write_exchange(f"{URL}{i}", REQ, b"", PLAIN_HEAD, b"nope")
        names.append(loc.warc_file)
        assert writer.current_file == loc.warc_file
        assert (tmp_path / (loc.warc_file + ".open")).exists()
        assert not (tmp_path / loc.warc_file).exists()
    writer.close()
    writer.close()  # idempotent
    assert writer.current_file is None
    assert writer.files_written == names
    assert len(set(names)) == 3
    assert [n.rsplit("-", 1)[1] for n in names] == [f"{i:05d}.warc.gz" for i in range(3)]
    assert all(n.startswith("rot-") for n in names)
    assert not list(tmp_path.glob("*.open"))
    for name in names:
        with open(tmp_path / name, "rb") as fh:
            types = [r.rec_type for r in ArchiveIterator(fh)]
        assert types == ["warcinfo", "response", "request"]


def test_no_rotation_below_max_size(tmp_path: Path) -> None:
    with WarcWriter(tmp_path, max_size=10_000_000) as writer:
        for i in range(3):
            writer.write_exchange(f"{URL}{i}", REQ, b"", PLAIN_HEAD, b"nope")
        writer.sync()
        assert (tmp_path / (writer.current_file + ".open")).stat().st_size > 0
    assert len(writer.files_written) == 1
    with open(tmp_path / writer.files_written[0], "rb") as fh:
        types = [r.rec_type for r in ArchiveIterator(fh)]
    assert types == ["warcinfo"] + ["response", "request"] * 3


def test_sync_makes_records_readable_while_open(tmp_path: Path) -> None:
    writer = WarcWriter(tmp_path)
    loc = writer.write_exchange(URL, REQ, b"", HEAD, BODY)
    writer.sync()
    rec = record_at(tmp_path / (loc.warc_file + ".open"), loc.offset)
    assert rec.payload == BODY
    writer.close()


def test_revisit_record(tmp_path: Path) -> None:
    writer = WarcWriter(tmp_path)
    first = writer.write_exchange(URL, REQ, b"", HEAD, BODY, moment=MOMENT)
    ref = RevisitOf(first.record_id, URL, first.date)
    again = writer.write_exchange(URL, REQ, b"", HEAD, BODY, revisit_of=ref)
    writer.close()
    path = tmp_path / again.warc_file
    assert again.record_type == "revisit"
    _, headers, block = split_record(
        zlib.decompress(read_record_bytes(path, again.offset, again.length), 31)
    )
    h = dict(headers)
    assert [n for n, _ in headers][:3] == ["WARC-Type", "WARC-Record-ID", "WARC-Target-URI"]
    assert h["WARC-Type"] == "revisit"
    assert h["WARC-Profile"] == REVISIT_PROFILE
    assert REVISIT_PROFILE.endswith("/warc/1.1/revisit/identical-payload-digest")
    assert h["WARC-Refers-To"] == first.record_id
    assert h["WARC-Refers-To-Target-URI"] == URL
    assert h["WARC-Refers-To-Date"] == first.date
    assert h["WARC-Payload-Digest"] == sha1_digest(BODY)
    assert block == HEAD  # no payload stored
    assert h["WARC-Block-Digest"] == sha1_digest(HEAD)
    assert record_at(path, again.offset).payload == b""
    warcio = ROOT / ".venv/bin/warcio"
    proc = subprocess.run(
        [str(warcio) if warcio.exists() else "warcio", "check", "-v", str(path)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("digest pass") == 4  # warcinfo, response, 2 requests
    with open(path, "rb") as fh:
        checks = {
            r.headers.get("WARC-Type"): r.verify_block_digest()
            for r in FastIterator(fh, parse_http=False)
            if r.headers.get("WARC-Type") == "revisit"
        }
    assert checks == {"revisit": True}


def test_explicit_payload_digest_is_used(tmp_path: Path) -> None:
    _, loc, path = write_one(tmp_path, payload_digest="sha1:AAAA")
    assert loc.payload_digest == "sha1:AAAA"
    assert record_at(path, loc.offset).rec_headers.get_header("WARC-Payload-Digest") == "sha1:AAAA"


@pytest.fixture
def broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, list]:
    """A good file and, next to it, the same file cut in the middle of its last member.
    Record ids and dates are fixed so that the compressed bytes are reproducible."""
    counter = itertools.count(1)
    monkeypatch.setattr(warcio.statusandheaders.uuid, "uuid4", lambda: uuid.UUID(int=next(counter)))
    writer = WarcWriter(tmp_path / "warc")
    locs = [
        writer.write_exchange(f"{URL}{i}", REQ, b"", HEAD, BODY + bytes([i]), moment=MOMENT)
        for i in range(3)
    ]
    writer.close()
    good = tmp_path / "warc" / writer.files_written[0]
    data = good.read_bytes()
    last = members(data)[-1]
    cut = tmp_path / "warc" / "truncated.warc.gz"
    cut.write_bytes(data[: last[0] + last[1] // 2])
    return good, cut, locs


def test_truncated_file_earlier_records_still_readable(broken: tuple) -> None:
    good, cut, locs = broken
    for i, loc in enumerate(locs):
        for path in (good, cut):
            rec = record_at(path, loc.offset)
            assert rec.rec_headers.get_header("WARC-Record-ID") == loc.record_id
            assert rec.payload == BODY + bytes([i])
            assert read_record_bytes(path, loc.offset, loc.length) == read_record_bytes(
                good, loc.offset, loc.length
            )


def test_truncated_last_member_is_dropped_and_not_readable(broken: tuple) -> None:
    good, cut, locs = broken
    with open(cut, "rb") as fh:
        seen = [rec.rec_headers.get_header("WARC-Record-ID") for rec in ArchiveIterator(fh)]
    # warcio stops silently at the cut member: everything before it is intact
    expected = [x for loc in locs for x in (loc.record_id, loc.request_record_id)]
    assert seen[1:] == expected[:-1]
    last_offset = locs[-1].offset + locs[-1].length
    assert record_at(good, last_offset).rec_type == "request"
    with pytest.raises(LookupError, match=f"no WARC record at offset {last_offset}"):
        record_at(cut, last_offset)


def test_read_record_in_the_middle_of_a_member_raises(broken: tuple) -> None:
    good, _, locs = broken
    with pytest.raises(LookupError, match="no WARC record at offset"):
        record_at(good, locs[1].offset + 5)


def test_read_record_at_any_offset_inside_a_member_raises(broken: tuple, tmp_path: Path) -> None:
    writer = WarcWriter(tmp_path / "scan")
    for i in range(6):
        writer.write_exchange(
            f"{URL}{i}", REQ, b"", PLAIN_HEAD, bytes(range(256)) * 2, moment=MOMENT
        )
    writer.close()
    path = tmp_path / "scan" / writer.files_written[0]
    data = path.read_bytes()
    starts = {m[0] for m in members(data)}
    returned = []
    for offset in range(len(data)):
        if offset in starts:
            continue
        try:
            rec = record_at(path, offset)
        except (ArchiveLoadFailed, LookupError, OSError, ValueError):
            continue
        returned.append((offset, rec.format, rec.rec_type))
    assert returned == []


def test_read_record_at_end_of_file_raises_lookup_error(broken: tuple) -> None:
    good, _, _ = broken
    with pytest.raises(LookupError, match="no WARC record at offset"):
        record_at(good, good.stat().st_size)
