"""Content codings: the one decoder of HTTP bodies, for the crawl and every reader.

WARC response records keep bodies as they were sent, still content-coded.  Every
place that needs the entity itself (the crawl, robots.txt, sitemaps, feeds,
``reindex``, ``reextract``, ``extract URL``, the archive's record view) goes through
:func:`decode_body`, so that all of them accept the same codings and fail the same
way.  Supported: ``gzip`` (``x-gzip``; several members), ``deflate`` (zlib-wrapped
or raw, as some servers send it), ``br``, ``zstd`` (several frames) and
``identity``, stacked in any order (``Content-Encoding: gzip, br`` is undone right
to left).  The decompressors are the standard library's ``zlib``, Google's
``brotli`` and ``zstd`` (``compression.zstd``, or its backport before Python 3.14),
the same modules Scrapy uses.

A coding that is unknown, or data that does not decode, raises
:class:`UndecodableContent` (cause ``undecodable-content-encoding``); output beyond
the size limit raises :class:`ContentTooLarge` (cause ``too-large``).  A stream that
stops early (a missing gzip trailer) gives what it holds, as browsers do.

:data:`ACCEPT_ENCODING` is what the crawler advertises: exactly the codings this
module can decode in the running environment, never one it cannot.
"""

from __future__ import annotations

import sys
import zlib
from collections.abc import Iterable

from archiver.errors import ContentTooLarge, UndecodableContent

try:
    import brotli
except ImportError:  # pragma: no cover - a dependency; checked by ACCEPT_ENCODING
    brotli = None

if sys.version_info >= (3, 14):  # pragma: no cover
    from compression import zstd
else:
    try:
        from backports import zstd
    except ImportError:  # pragma: no cover - a dependency
        zstd = None  # type: ignore[assignment]  # no zstd module: SUPPORTED leaves zstd out

#: Decompressed bytes kept at most by default (Scrapy's ``DOWNLOAD_MAXSIZE``).
DEFAULT_LIMIT = 1024 * 1024 * 1024
_CHUNK = 64 * 1024

UNDECODABLE = UndecodableContent.cause  # "undecodable-content-encoding"
TOO_LARGE = ContentTooLarge.cause  # "too-large"


def _brotli_works() -> bool:
    # brotlipy installs a module of the same name without streaming decompression
    return (
        brotli is not None
        and hasattr(brotli, "Decompressor")
        and hasattr(brotli.Decompressor(), "process")
    )


def _available() -> tuple[str, ...]:
    names = ["gzip", "deflate"]
    if _brotli_works():
        names.append("br")
    if zstd is not None:
        names.append("zstd")
    return tuple(names)


#: The codings this environment decodes, in the crawler's order of preference.
SUPPORTED: tuple[str, ...] = _available()
#: The ``Accept-Encoding`` request header the crawler sends.
ACCEPT_ENCODING: bytes = ", ".join(SUPPORTED).encode("ascii")


def parse_codings(values: str | bytes | Iterable[str | bytes] | None) -> list[str]:
    """The codings of one or more ``Content-Encoding`` header values, in the order
    they were applied, lower-cased, ``identity`` left out."""
    if values is None:
        return []
    if isinstance(values, (str, bytes)):
        values = [values]
    out = []
    for value in values:
        text = value.decode("latin-1") if isinstance(value, bytes) else value
        for part in text.split(","):
            name = part.strip().lower()
            if name and name != "identity":
                out.append(name)
    return out


def _check(size: int, limit: int) -> None:
    if size > limit:
        raise ContentTooLarge(f"decoded body larger than {limit} bytes")


def _some(out: list[bytes]) -> None:
    """A stream that ended early is kept for what it decoded, if anything."""
    if not any(out):
        raise UndecodableContent("truncated stream: nothing decoded")


def _zlib(data: bytes, wbits: int, limit: int) -> bytes:
    out: list[bytes] = []
    size = 0
    while data:
        inflater = zlib.decompressobj(wbits)
        chunk = inflater.decompress(data, _CHUNK)
        while True:
            size += len(chunk)
            _check(size, limit)
            out.append(chunk)
            if inflater.eof or not inflater.unconsumed_tail:
                break
            chunk = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
        if not inflater.eof:  # stream ended early: keep what it held
            out.append(inflater.flush())
            _some(out)
            break
        data = inflater.unused_data
        if wbits != 31 or not data.startswith(b"\x1f\x8b"):
            break  # only gzip has several members; anything else after the end is junk
    return b"".join(out)


def _inflate(data: bytes, limit: int) -> bytes:
    try:
        return _zlib(data, zlib.MAX_WBITS, limit)
    except zlib.error:  # raw deflate, as some servers send "deflate"
        return _zlib(data, -zlib.MAX_WBITS, limit)


def _unbrotli(data: bytes, limit: int) -> bytes:
    if not _brotli_works():
        raise UndecodableContent("br: no brotli decoder in this environment")
    decompressor = brotli.Decompressor()
    out = [decompressor.process(data, output_buffer_limit=_CHUNK)]
    size = len(out[0])
    _check(size, limit)
    while not decompressor.is_finished():
        chunk = decompressor.process(b"", output_buffer_limit=_CHUNK)
        if not chunk:
            break
        size += len(chunk)
        _check(size, limit)
        out.append(chunk)
    if not decompressor.is_finished():
        _some(out)
    return b"".join(out)


def _unzstd(data: bytes, limit: int) -> bytes:
    if zstd is None:
        raise UndecodableContent("zstd: no zstd decoder in this environment")
    out: list[bytes] = []
    size = 0
    while data:
        decompressor = zstd.ZstdDecompressor()
        chunk = decompressor.decompress(data, _CHUNK)
        while True:
            size += len(chunk)
            _check(size, limit)
            out.append(chunk)
            if decompressor.eof or decompressor.needs_input:
                break
            chunk = decompressor.decompress(b"", _CHUNK)
        if not decompressor.eof:
            _some(out)
            break
        data = decompressor.unused_data
    return b"".join(out)


#: What the decompressors raise on bad data.
_ERRORS: tuple[type[BaseException], ...] = (
    zlib.error,
    OSError,
    EOFError,
    ValueError,
    *((brotli.error,) if brotli is not None and hasattr(brotli, "error") else ()),
    *((zstd.ZstdError,) if zstd is not None else ()),
)

_DECODERS = {
    "gzip": lambda data, limit: _zlib(data, 31, limit),
    "x-gzip": lambda data, limit: _zlib(data, 31, limit),
    "deflate": _inflate,
    "br": _unbrotli,
    "zstd": _unzstd,
}


def decode_body(
    body: bytes,
    content_encoding: str | bytes | Iterable[str | bytes] | None,
    *,
    limit: int = DEFAULT_LIMIT,
) -> bytes:
    """Undo the content codings named by ``content_encoding`` (the header's value or
    values).  Raises :class:`UndecodableContent` or :class:`ContentTooLarge`."""
    codings = parse_codings(content_encoding)
    for name in reversed(codings):
        decoder = _DECODERS.get(name)
        if decoder is None:
            raise UndecodableContent(f"unknown content coding {name!r}")
        try:
            body = decoder(body, limit)
        except UndecodableContent:
            raise
        except _ERRORS as exc:
            raise UndecodableContent(f"{name}: {exc}") from None
    if len(body) > limit:
        raise ContentTooLarge(f"body larger than {limit} bytes")
    return body
