"""Turn the bytes of an HTTP response body into text for the extraction layer.

The order of trust is: a byte-order mark, then the charset of the HTTP
``Content-Type`` header, then the charset declared in the document itself
(``<meta charset>`` or ``<meta http-equiv="Content-Type">``), then statistical
detection with charset-normalizer.  Declarations are checked against the bytes:
servers often announce ISO-8859-1 (the old HTTP default) for pages that are
really UTF-8, so when the bytes are valid UTF-8, contain non-ASCII sequences and
the document or the detector agrees, UTF-8 wins over the header.  Nothing here
raises: the last resort is UTF-8 with replacement characters.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Mapping
from typing import Any

logger = logging.getLogger(__name__)

_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
#: single-byte Latin charsets that servers announce by default; UTF-8 bytes
#: decode "successfully" with them, so they never prove anything on their own.
_WEAK_LATIN = {"latin-1", "iso8859-1", "cp1252", "ascii"}
_HEAD_BYTES = 16384


def normalise_charset(name: str | None) -> str | None:
    """Python codec name for a declared charset, or None when unknown."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    if name in {"utf8", "utf-8", "unicode-1-1-utf-8"}:
        return "utf-8"
    if name in {"x-sjis", "shift-jis", "sjis", "ms_kanji", "csshiftjis", "windows-31j"}:
        name = "cp932"  # browsers treat every Shift_JIS label as Windows-31J
    elif name in {"iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii", "iso8859-1"}:
        name = "cp1252"  # WHATWG: these labels mean windows-1252
    elif name in {"gb2312", "gbk", "x-gbk"}:
        name = "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def header_value(headers: Mapping[str, Any] | None, name: str) -> str | None:
    """Case-insensitive header lookup that accepts dicts, Scrapy Headers and bytes values."""
    if not headers:
        return None
    try:
        value = headers.get(name)
        if value is None:
            lname = name.lower()
            for key in list(headers.keys()):
                key_s = key.decode("latin-1") if isinstance(key, bytes) else str(key)
                if key_s.lower() == lname:
                    value = headers[key]
                    break
    except Exception:  # an odd mapping type: behave as if the header were absent
        return None
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    if isinstance(value, bytes):
        value = value.decode("latin-1", errors="replace")
    return str(value) if value is not None else None


def charset_from_headers(headers: Mapping[str, Any] | None) -> str | None:
    content_type = header_value(headers, "Content-Type")
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return normalise_charset(match.group(1)) if match else None


def charset_from_document(raw: bytes) -> str | None:
    head = raw[:_HEAD_BYTES]
    match = _XML_DECL.search(head) or _META_CHARSET.search(head)
    if not match:
        return None
    return normalise_charset(match.group(1).decode("ascii", errors="ignore"))


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _detect(raw: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - optional at runtime
        return None
    try:
        best = from_bytes(raw[:200_000]).best()
    except Exception:
        logger.debug("charset detection failed", exc_info=True)
        return None
    return normalise_charset(best.encoding) if best is not None else None


def decode_html(raw: bytes, headers: Mapping[str, Any] | None = None) -> tuple[str, str]:
    """Decode ``raw`` and return ``(text, codec used)``."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", errors="replace"), "utf-16"
    from_header = charset_from_headers(headers)
    from_doc = charset_from_document(raw)
    utf8_ok = _is_utf8(raw)
    has_high = utf8_ok and not raw.isascii()
    candidates: list[str] = []
    if from_header and from_header not in _WEAK_LATIN:
        candidates.append(from_header)
    if from_header in _WEAK_LATIN and has_high and from_doc in (None, "utf-8"):
        # a default Latin-1 header over bytes that are UTF-8: believe the bytes
        candidates.append("utf-8")
    if from_header:
        candidates.append(from_header)
    if from_doc:
        if from_doc in _WEAK_LATIN and has_high and not from_header:
            candidates.append("utf-8")
        candidates.append(from_doc)
    if not candidates:
        if utf8_ok:
            return raw.decode("utf-8"), "utf-8"
        detected = _detect(raw)
        if detected:
            candidates.append(detected)
    for codec in candidates:
        if codec == "utf-16" or codec.startswith("utf-16") or codec.startswith("utf-32"):
            continue  # a declared UTF-16 over ASCII-compatible bytes is always a lie
        try:
            return raw.decode(codec), codec
        except (UnicodeDecodeError, LookupError):
            continue
    # every declaration failed strictly: take the first plausible one leniently
    if utf8_ok:
        return raw.decode("utf-8"), "utf-8"
    detected = _detect(raw)
    codec = detected or (candidates[0] if candidates else "cp1252")
    try:
        return raw.decode(codec, errors="replace"), codec
    except LookupError:
        return raw.decode("utf-8", errors="replace"), "utf-8"
