"""Turn the bytes of an HTTP response body into text for the extraction layer.

The order of trust is: a byte-order mark, then the charset of the HTTP
``Content-Type`` header, then the charset declared in the document itself
(``<meta charset>``, ``<meta http-equiv="Content-Type">`` or the XML declaration),
then statistical detection with charset-normalizer.  Declarations are checked
against the bytes: servers often announce ISO-8859-1 (the old HTTP default) for
pages that are really UTF-8, so when the bytes are valid UTF-8, contain non-ASCII
sequences and the document or the detector agrees, UTF-8 wins over the header.
A page declared UTF-8 whose bytes are UTF-8 but for a few invalid sequences (a
truncated character, one stray Latin-1 byte) is decoded as UTF-8 with replacement
characters: guessing another charset for the whole page would garble every other
non-ASCII character.  Nothing here raises: the last resort is UTF-8 with
replacement characters.

Charset labels are resolved by ``w3lib.encoding`` (installed with Scrapy), which
follows the WHATWG Encoding Standard: ``latin1``/``us-ascii`` mean windows-1252,
``gb2312`` means GB18030, every Shift_JIS label means Windows-31J, UTF-7 is refused;
the header and the first 4 KB of the document are read by w3lib too.  Kept
hand-written, and why: the scan for a ``<meta>`` declaration *after* w3lib's 4 KB
window (some CMS heads carry kilobytes of inline CSS and scripts before it, up to
``_HEAD_BYTES``), the fallback to Python's own codec aliases for labels that the
WHATWG table does not list, the trust order between header, document, bytes and
detector, and the tolerance for a few invalid UTF-8 bytes.
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
    """Python codec name for a declared charset label, or None when unknown."""
    if not name:
        return None
    name = name.strip().strip("\"'").strip()
    if not name:
        return None
    from w3lib.encoding import resolve_encoding

    codec = resolve_encoding(name)
    if codec is None and name.lower() != "utf-7":
        if name.lower().replace("_", "-").endswith(("utf-8", "utf8")):
            return "utf-8"  # "unicode-1-1-utf-8", "x-unicode20utf8"
        try:  # a Python alias the WHATWG table does not list
            codec = codecs.lookup(name).name
        except LookupError:
            return None
    return codec


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
    from w3lib.encoding import http_content_type_encoding

    codec = http_content_type_encoding(content_type)
    if codec:
        return codec
    match = _HEADER_CHARSET.search(content_type)  # a label w3lib does not resolve
    return normalise_charset(match.group(1)) if match else None


def charset_from_document(raw: bytes) -> str | None:
    from w3lib.encoding import html_body_declared_encoding

    head = raw[:_HEAD_BYTES]
    codec = html_body_declared_encoding(head)  # the first 4 KB, by the WHATWG rules
    if codec:
        return codec
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


#: invalid sequences a declared-UTF-8 page may hold and still be read as UTF-8: at most
#: this many, and at most this share of its multi-byte characters
_UTF8_SLIPS = 16
_UTF8_SLIP_SHARE = 0.02


def _mostly_utf8(raw: bytes) -> bool:
    """UTF-8 but for a few invalid sequences (and with real multi-byte characters)."""
    slips = 0
    pos = 0
    while True:
        try:
            raw[pos:].decode("utf-8")
            break
        except UnicodeDecodeError as exc:
            slips += 1
            if slips > _UTF8_SLIPS:
                return False
            pos += exc.end
    good = sum(1 for b in raw if 0xC2 <= b <= 0xF4)  # lead bytes of multi-byte characters
    return good > 0 and slips <= max(2, _UTF8_SLIP_SHARE * good)


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
    if "utf-8" in candidates and _mostly_utf8(raw):
        # declared UTF-8 with a few broken bytes: keep UTF-8, mark the damage
        return raw.decode("utf-8", errors="replace"), "utf-8"
    detected = _detect(raw)
    codec = detected or (candidates[0] if candidates else "cp1252")
    try:
        return raw.decode(codec, errors="replace"), codec
    except LookupError:
        return raw.decode("utf-8", errors="replace"), "utf-8"
