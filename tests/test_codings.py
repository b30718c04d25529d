"""Unit tests of archiver.codings: the one decoder of HTTP bodies."""

from __future__ import annotations

import gzip
import zlib

import brotli
import pytest

from archiver import codings
from archiver.codings import (
    ACCEPT_ENCODING,
    ContentTooLarge,
    UndecodableContent,
    decode_body,
    parse_codings,
)

try:
    from compression import zstd  # type: ignore[import-not-found]
except ImportError:
    from backports import zstd

BODY = "<p>Zürich, Łódź, señal: décodé</p>".encode() * 200


def _raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


@pytest.mark.parametrize(
    ("coding", "encoded"),
    [
        ("gzip", gzip.compress(BODY)),
        ("x-gzip", gzip.compress(BODY)),
        (" GZIP ", gzip.compress(BODY)),
        ("deflate", zlib.compress(BODY)),
        ("deflate", _raw_deflate(BODY)),
        ("br", brotli.compress(BODY)),
        ("zstd", zstd.compress(BODY)),
        ("identity", BODY),
        ("", BODY),
        (None, BODY),
        ("gzip, br", brotli.compress(gzip.compress(BODY))),
        ("br,zstd", zstd.compress(brotli.compress(BODY))),
        ([b"gzip", b"identity", b"zstd"], zstd.compress(gzip.compress(BODY))),
        ("gzip", gzip.compress(BODY[:100]) + gzip.compress(BODY[100:])),
        ("zstd", zstd.compress(BODY[:100]) + zstd.compress(BODY[100:])),
    ],
    ids=[
        "gzip",
        "x-gzip",
        "gzip-case-space",
        "deflate-zlib",
        "deflate-raw",
        "br",
        "zstd",
        "identity",
        "empty",
        "none",
        "stacked-gzip-br",
        "stacked-br-zstd",
        "stacked-header-list",
        "gzip-members",
        "zstd-frames",
    ],
)
def test_decodes(coding: object, encoded: bytes) -> None:
    assert decode_body(encoded, coding) == BODY  # type: ignore[arg-type]


def test_gzip_without_trailer_keeps_what_it_holds() -> None:
    assert decode_body(gzip.compress(BODY)[:-8], "gzip") == BODY


@pytest.mark.parametrize(
    ("coding", "encoded"),
    [
        ("br", b"\x8b\x02\x80hello\x03" * 3 + b"not brotli"),
        ("compress", b"\x1f\x9d\x90abc"),
        ("gzip", b"not gzip at all"),
        ("gzip", b"\x1f\x8b"),
        ("zstd", b"not zstd"),
        ("deflate", b"\xff\xff not deflate"),
        ("gzip, br", gzip.compress(BODY)),
        ("sdch", BODY),
    ],
    ids=[
        "bad-brotli",
        "compress",
        "bad-gzip",
        "gzip-header-only",
        "bad-zstd",
        "bad-deflate",
        "stack-order-wrong",
        "unknown",
    ],
)
def test_unknown_or_broken_coding_raises_with_cause(coding: str, encoded: bytes) -> None:
    with pytest.raises(UndecodableContent) as info:
        decode_body(encoded, coding)
    assert info.value.cause == "undecodable-content-encoding"
    assert str(info.value)


@pytest.mark.parametrize(
    ("coding", "pack"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("br", brotli.compress),
        ("zstd", zstd.compress),
        ("identity", lambda b: b),
    ],
)
def test_limit_is_a_reported_failure_not_a_cut(coding: str, pack: object) -> None:
    big = b"x" * 200_000
    with pytest.raises(ContentTooLarge) as info:
        decode_body(pack(big), coding, limit=1000)  # type: ignore[operator]
    assert info.value.cause == "too-large"
    assert decode_body(pack(big), coding, limit=200_000) == big  # type: ignore[operator]


def test_parse_codings() -> None:
    assert parse_codings(None) == []
    assert parse_codings(b"gzip") == ["gzip"]
    assert parse_codings(["gzip, identity", b" BR "]) == ["gzip", "br"]


def test_advertises_exactly_what_decodes() -> None:
    offered = [c.strip() for c in ACCEPT_ENCODING.decode().split(",")]
    assert offered == list(codings.SUPPORTED)
    # every coding Scrapy itself would offer decodes here: brotli and zstd included
    from scrapy.downloadermiddlewares.httpcompression import ACCEPTED_ENCODINGS

    assert sorted(e.decode() for e in ACCEPTED_ENCODINGS) == sorted(offered)
    packers = {
        "gzip": gzip.compress,
        "deflate": zlib.compress,
        "br": brotli.compress,
        "zstd": zstd.compress,
    }
    for name in offered:
        assert decode_body(packers[name](BODY), name) == BODY


def test_brotli_is_the_real_module() -> None:
    """brotlipy (pulled in by pywb) installs a ``brotli`` without streaming
    decompression, which broke every brotli page: it must not be what is imported."""
    assert hasattr(brotli.Decompressor(), "process"), brotli.__file__
