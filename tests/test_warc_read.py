"""Reading WARC and ARC files (archiver.warc.iter_records, record_at) and verifying
them: offsets and lengths checked against FastWARC, damaged files, ARC files, whole-file
gzip and uncompressed WARC files."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import pytest
from fastwarc.warc import ArchiveIterator as FastIterator

from archiver.ops.reindex import reindex
from archiver.ops.verify import check_record, verify
from archiver.warc import RawRecord, ReadError, WarcWriter, iter_records, record_at

URL = "http://news.example.org/story"
REQ = b"GET /story HTTP/1.1\r\nHost: news.example.org\r\n\r\n"
HTML_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"


def html(i: int) -> bytes:
    return (
        f"<html><head><title>Story {i}</title></head><body><article><h1>Story {i}</h1>"
        + "".join(f"<p>Paragraph {j} of story {i} tells what happened.</p>" for j in range(12))
        + "</article></body></html>"
    ).encode()


def write_warc(directory: Path, n: int = 4) -> tuple[Path, list]:
    writer = WarcWriter(directory, prefix="r")
    locs = [writer.write_exchange(f"{URL}{i}", REQ, b"", HTML_HEAD, html(i)) for i in range(n)]
    writer.close()
    return directory / writer.files_written[0], locs


def fast_offsets(path: Path) -> list[tuple[int, str]]:
    """(offset, record id) of every record, read by FastWARC."""
    with open(path, "rb") as fh:
        return [(r.stream_pos, r.record_id) for r in FastIterator(fh, parse_http=False)]


def records(path: Path) -> list[RawRecord]:
    return [r for r in iter_records(path) if isinstance(r, RawRecord)]


def members(data: bytes) -> list[tuple[int, bytes]]:
    """(offset, inflated bytes) of every gzip member."""
    out, pos = [], 0
    while pos < len(data):
        d = zlib.decompressobj(31)
        plain = d.decompress(data[pos:])
        out.append((pos, plain))
        pos = len(data) - len(d.unused_data)
    return out


def gz(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, 31)
    return packer.compress(data) + packer.flush()


# -- ARC ---------------------------------------------------------------------------
def arc_records(n: int) -> list[bytes]:
    """An ARC (version 1) file as its records: the filedesc record, then responses."""
    spec = b"1 0 Archiver Test\nURL IP-address Archive-date Content-type Archive-length\n"
    out = [b"filedesc://test.arc 0.0.0.0 20260304050607 text/plain %d\n" % len(spec) + spec + b"\n"]
    for i in range(n):
        block = HTML_HEAD + html(i)
        out.append(
            f"{URL}{i} 192.0.2.{i + 1} 2026030405060{i} text/html {len(block)}\n".encode()
            + block
            + b"\n"
        )
    return out


@pytest.fixture
def arc_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "arc"
    folder.mkdir()
    parts = arc_records(3)
    (folder / "test.arc.gz").write_bytes(b"".join(gz(p) for p in parts))
    (folder / "plain.arc").write_bytes(b"".join(parts))
    return folder


def test_arc_files_are_read_with_member_offsets(arc_dir: Path) -> None:
    path = arc_dir / "test.arc.gz"
    data = path.read_bytes()
    recs = records(path)
    assert [r.format for r in recs] == ["arc"] * 4
    assert [r.type for r in recs] == ["warcinfo", "response", "response", "response"]
    assert [(r.offset, r.offset + r.length) for r in recs] == [
        (m[0], nxt)
        for m, nxt in zip(
            members(data), [m[0] for m in members(data)[1:]] + [len(data)], strict=True
        )
    ]
    first = recs[1]
    assert first.target_uri == f"{URL}0"
    assert first.headers["warc-ip-address"] == "192.0.2.1"
    assert first.headers["warc-date"] == "2026-03-04T05:06:00Z"
    assert first.http_headers.get_statuscode() == "200"
    assert first.payload == html(0)
    assert first.block == HTML_HEAD + html(0)
    assert recs[0].headers["warc-filename"] == "test.arc"
    # record ids: one per record, the same at every reading
    assert len({r.record_id for r in recs}) == 4
    assert [r.record_id for r in records(path)] == [r.record_id for r in recs]
    assert all(check_record(r) == [("no_digest", "")] for r in recs)
    # the uncompressed ARC file holds the same records
    plain = records(arc_dir / "plain.arc")
    assert [(r.type, r.target_uri, r.block) for r in plain] == [
        (r.type, r.target_uri, r.block) for r in recs
    ]


def test_verify_reads_arc_files_and_does_not_flag_them(arc_dir: Path) -> None:
    report = verify(None, arc_dir)
    assert report.problems == []
    assert report.files == 2 and report.records == 8
    assert report.arc_records == 8 and report.no_digest == 8


def test_arc_files_reindex_and_verify_against_their_rows(arc_dir: Path, tmp_path: Path) -> None:
    (arc_dir / "plain.arc").unlink()
    db = tmp_path / "arc.db"
    result = reindex([str(arc_dir)], db, processes=1)
    assert result.captures == 3 and result.read_errors == []
    again = reindex([str(arc_dir)], db, processes=1)  # same record ids: nothing new
    assert again.captures == 0 and again.known == 3
    report = verify(db, arc_dir)
    assert report.problems == [] and report.rows_ok == 3


def test_record_at_an_arc_offset(arc_dir: Path) -> None:
    path = arc_dir / "test.arc.gz"
    recs = records(path)
    rec = record_at(path, recs[2].offset)
    assert rec.format == "arc" and rec.rec_type == "response"
    assert rec.record_id == recs[2].record_id
    assert rec.rec_headers.get_header("WARC-Target-URI") == f"{URL}1"
    assert rec.payload == html(1) and rec.length == recs[2].length
    plain = arc_dir / "plain.arc"
    second = records(plain)[1]
    assert record_at(plain, second.offset).payload == html(0)
    with pytest.raises(LookupError, match="no WARC record at offset"):
        record_at(path, recs[2].offset + 3)
    with pytest.raises(LookupError, match="no WARC record at offset"):
        record_at(plain, second.offset + 1)


# -- WARC -------------------------------------------------------------------------
def test_offsets_and_ids_agree_with_fastwarc(tmp_path: Path) -> None:
    path, locs = write_warc(tmp_path)
    recs = records(path)
    assert [(r.offset, r.record_id) for r in recs] == fast_offsets(path)
    data = path.read_bytes()
    for rec in recs:  # each length is exactly one whole gzip member
        d = zlib.decompressobj(31)
        d.decompress(data[rec.offset : rec.offset + rec.length])
        assert d.eof and not d.unused_data
    by_id = {r.record_id: r for r in recs}
    for loc in locs:
        assert (by_id[loc.record_id].offset, by_id[loc.record_id].length) == (
            loc.offset,
            loc.length,
        )


def test_record_at_good_and_bad_offsets(tmp_path: Path) -> None:
    path, locs = write_warc(tmp_path)
    rec = record_at(path, locs[2].offset)
    assert rec.record_id == locs[2].record_id and rec.payload == html(2)
    assert rec.http_headers.get_header("Content-Type") == "text/html; charset=utf-8"
    assert (rec.offset, rec.length) == (locs[2].offset, locs[2].length)
    for bad in (locs[2].offset + 1, -1, path.stat().st_size, path.stat().st_size + 10):
        with pytest.raises(LookupError, match=f"no WARC record at offset {bad} of "):
            record_at(path, bad)


def test_uncompressed_warc(tmp_path: Path) -> None:
    path, _ = write_warc(tmp_path / "gz")
    plain = tmp_path / "plain.warc"
    plain.write_bytes(gzip.decompress(path.read_bytes()))
    recs = records(plain)
    assert [(r.offset, r.record_id) for r in recs] == fast_offsets(plain)
    assert all(("ok_block", "") in check_record(r) for r in recs)
    third = record_at(plain, recs[3].offset)
    assert third.record_id == recs[3].record_id and third.block == recs[3].block
    assert verify(None, tmp_path / "gz").problems == []


def test_whole_file_gzip_records_share_the_member(tmp_path: Path) -> None:
    path, _ = write_warc(tmp_path / "gz")
    whole = tmp_path / "whole" / "whole.warc.gz"
    whole.parent.mkdir()
    whole.write_bytes(gz(gzip.decompress(path.read_bytes())))
    recs = records(whole)
    assert [r.record_id for r in recs] == [r.record_id for r in records(path)]
    assert {(r.offset, r.length) for r in recs} == {(0, whole.stat().st_size)}
    assert not any(isinstance(r, ReadError) for r in iter_records(whole))
    assert record_at(whole, 0).type == "warcinfo"
    report = verify(None, whole.parent)
    assert report.records == len(recs) and report.problems == []


def test_whole_file_gzip_member_then_members_per_record(tmp_path: Path) -> None:
    path, _ = write_warc(tmp_path / "gz")
    data = path.read_bytes()
    parts = members(data)
    head = gz(b"".join(p[1] for p in parts[:3]))
    mixed = tmp_path / "mixed.warc.gz"
    mixed.write_bytes(head + data[parts[3][0] :])
    recs = records(mixed)
    assert [r.record_id for r in recs] == [r.record_id for r in records(path)]
    assert [r.offset for r in recs[:4]] == [0, 0, 0, len(head)]
    assert recs[4].offset == len(head) + parts[4][0] - parts[3][0]


def test_corrupt_member_is_reported_and_reading_resumes(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path, locs = write_warc(tmp_path)
    data = bytearray(path.read_bytes())
    data[locs[1].offset + locs[1].length // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    items = list(iter_records(path))
    errors = [i for i in items if isinstance(i, ReadError)]
    assert [(e.offset, e.kind) for e in errors] == [(locs[1].offset, "corrupt")]
    assert "bad gzip data" in errors[0].message
    ids = [i.record_id for i in items if isinstance(i, RawRecord)]
    assert locs[1].record_id not in ids
    assert locs[1].request_record_id in ids  # the next member is read again
    assert locs[3].record_id in ids and locs[3].request_record_id in ids
    assert all(i.error is None for i in items if isinstance(i, RawRecord))
    with pytest.raises(LookupError):
        record_at(path, locs[1].offset)
    assert record_at(path, locs[2].offset).record_id == locs[2].record_id
    assert capfd.readouterr().err == ""  # nothing from warcio about the bad data


def test_garbage_between_members_and_at_the_end(tmp_path: Path) -> None:
    path, locs = write_warc(tmp_path)
    data = path.read_bytes()
    cut = locs[2].offset
    path.write_bytes(data[:cut] + b"\x00 not gzip \x00" * 5 + data[cut:] + b"trailing")
    items = list(iter_records(path))
    errors = [(i.offset, i.kind) for i in items if isinstance(i, ReadError)]
    assert errors == [(cut, "corrupt"), (len(data) + 60, "corrupt")]
    ids = {i.record_id for i in items if isinstance(i, RawRecord)}
    assert {loc.record_id for loc in locs} <= ids


def test_member_that_is_not_a_record(tmp_path: Path) -> None:
    path, locs = write_warc(tmp_path)
    data = path.read_bytes()
    cut = locs[1].offset
    path.write_bytes(data[:cut] + gz(b"this is not a WARC record\r\n\r\n") + data[cut:])
    items = list(iter_records(path))
    errors = [(i.offset, i.kind) for i in items if isinstance(i, ReadError)]
    assert errors == [(cut, "corrupt")]
    ids = {i.record_id for i in items if isinstance(i, RawRecord)}
    assert {loc.record_id for loc in locs} <= ids


def test_truncated_last_member_is_reported_not_raised(tmp_path: Path) -> None:
    path, locs = write_warc(tmp_path)
    data = path.read_bytes()
    last = locs[-1].offset + locs[-1].length  # the last request record
    path.write_bytes(data[: last + 60])
    items = list(iter_records(path))
    assert isinstance(items[-1], ReadError)
    assert (items[-1].offset, items[-1].kind) == (last, "truncated")
    good = [i for i in items if isinstance(i, RawRecord) and i.error is None]
    assert [r.record_id for r in good][-1] == locs[-1].record_id
    with pytest.raises(LookupError):
        record_at(path, last)
