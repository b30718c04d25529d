"""Discovery: find article URLs in sitemaps, RSS/Atom feeds and robots.txt.

Functions over bytes that were already freed of their ``Content-Encoding``.  The
parsing is left to libraries that do it every day: robots.txt ``Sitemap:`` lines to
Protego (Scrapy's robots.txt parser), sitemaps to ``scrapy.utils.sitemap`` (lxml,
entities and network off); a ``.xml.gz`` file is unpacked by
:func:`archiver.codings.decode_body`, the archiver's one decoder.  Kept here: feed
parsing (RSS 0.9x/1.0/2.0 and Atom, with ``xml:base``; no feed library resolves
links the way a crawler needs) and :func:`sniff`, which tells a sitemap from a feed
from a page by its first bytes.

Entities are never expanded: a sitemap or feed has no business declaring any, so a
document type declaration is cut out before parsing (:func:`without_doctype`; libxml2
would otherwise give up on the whole file at a "billion laughs" declaration, losing
the valid entries after it).  An entry that uses an entity has no URL and is skipped;
the next ones are kept.

Sitemaps are limited to :data:`MAX_XML_BYTES` once unpacked (the sitemap protocol's
own limit); a larger one, one that does not unpack or one that is not a sitemap at
all raises :class:`DiscoveryError` with a cause the crawl reports.
"""

from __future__ import annotations

import re
import zlib
from urllib.parse import urljoin

from lxml import etree
from protego import Protego
from scrapy.utils.sitemap import Sitemap

from archiver.codings import TOO_LARGE, UndecodableContent, decode_body
from archiver.errors import DiscoveryError

#: Largest sitemap or feed read, unpacked (the sitemap protocol allows 50 MB).
MAX_XML_BYTES = 50 * 1024 * 1024
UNREADABLE_SITEMAP = "unreadable-sitemap"
UNREADABLE_FEED = "unreadable-feed"

_ROOT = re.compile(rb"<(?:[A-Za-z][\w.-]*:)?(urlset|sitemapindex|rss|feed|RDF)[\s>/]")
_RSS1 = re.compile(rb"purl\.org/rss/1\.0|<(?:[A-Za-z]+:)?channel[\s>]")
_DOCTYPE = re.compile(rb"<!DOCTYPE[\s>]")
_HTML = re.compile(rb"<(?:!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE)
_XML_TYPES = ("xml", "rss", "atom")
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/feed+json",
        "application/xml",
        "text/xml",
    }
)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, recover=True, huge_tree=False, remove_comments=True
    )


def unpack(
    body: bytes, limit: int = MAX_XML_BYTES, *, unreadable: str = UNREADABLE_SITEMAP
) -> bytes:
    """The XML of a sitemap or feed file, gunzipped when it is a ``.gz`` file
    (raises :class:`DiscoveryError` when it does not unpack or is too large)."""
    try:
        if body.startswith(b"\x1f\x8b"):
            return decode_body(body, "gzip", limit=limit)
        return decode_body(body, None, limit=limit)
    except UndecodableContent as exc:
        cause = TOO_LARGE if exc.cause == TOO_LARGE else unreadable
        raise DiscoveryError(f"{cause}: {exc}", cause) from None


def without_doctype(data: bytes) -> bytes:
    """``data`` without its document type declaration (and the entities it declares)."""
    start = data.find(b"<!DOCTYPE")
    if start < 0 or not _DOCTYPE.match(data, start) or _ROOT.search(data, 0, start):
        return data
    bracket, close = data.find(b"[", start), data.find(b">", start)
    if close < 0:
        return data[:start]
    if 0 <= bracket < close:  # an internal subset: up to "]", spaces, ">"
        match = re.compile(rb"\]\s*>").search(data, bracket)
        end = match.end() if match else len(data)
    else:
        end = close + 1
    return data[:start] + data[end:]


def _head(body: bytes, size: int = 4096) -> bytes:
    """The first bytes of a file, unpacked if it is gzipped (for sniffing)."""
    if not body.startswith(b"\x1f\x8b"):
        return body[:size]
    try:
        return zlib.decompressobj(31).decompress(body, size)
    except zlib.error:
        return b""


def sniff(content_type: str | None, body: bytes) -> str:
    """Classify a response body: ``sitemap``, ``feed``, ``html`` or ``other``."""
    ctype = (content_type or "").split(";", 1)[0].strip().lower()
    head = _head(body)
    looks_html = ctype in ("text/html", "application/xhtml+xml") or (
        not ctype and _HTML.search(head)
    )
    if looks_html and (ctype == "application/xhtml+xml" or not _ROOT.search(head)):
        return "html"
    match = _ROOT.search(head)
    if (
        match
        and match.group(1) == b"RDF"
        and not _RSS1.search(head)
        and ctype not in ("application/rdf+xml", "application/rss+xml")
    ):
        match = None  # RDF metadata (SVG, XMP), not an RSS 1.0 feed
    if ctype.startswith(("image/", "audio/", "video/", "font/")):
        return "other"
    if match and (
        not ctype
        or any(t in ctype for t in _XML_TYPES)
        or ctype
        in ("text/plain", "application/octet-stream", "application/x-gzip", "application/gzip")
    ):
        root = match.group(1)
        return "sitemap" if root in (b"urlset", b"sitemapindex") else "feed"
    if ctype in ("text/html", "application/xhtml+xml"):
        return "html"
    return "other"


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_sitemap(body: bytes, base_url: str) -> tuple[str, list[str]]:
    """Return (``"sitemapindex"`` or ``"urlset"``, the ``<loc>`` URLs).  News
    sitemaps and image/video extensions are plain ``urlset`` files here.  Raises
    :class:`DiscoveryError` for a file that is no sitemap, does not unpack or is
    larger than :data:`MAX_XML_BYTES`."""
    data = without_doctype(unpack(body))
    try:
        sitemap = Sitemap(data)
        kind = sitemap.type
        entries = [entry["loc"] for entry in sitemap if entry.get("loc")]
    except (etree.XMLSyntaxError, StopIteration, ValueError) as exc:
        why = str(exc) or "no root element"
        raise DiscoveryError(f"{UNREADABLE_SITEMAP}: not XML ({why})", UNREADABLE_SITEMAP) from None
    if kind not in ("urlset", "sitemapindex"):
        raise DiscoveryError(
            f"{UNREADABLE_SITEMAP}: root element <{kind}> is not a sitemap", UNREADABLE_SITEMAP
        )
    return kind, [urljoin(base_url, loc) for loc in entries]


def parse_feed(body: bytes, base_url: str) -> list[str]:
    """Return the item links of an RSS 0.9x/1.0/2.0 or Atom feed, in feed order (none
    for XML that does not parse; :class:`DiscoveryError` for a file that does not
    unpack or is too large)."""
    data = without_doctype(unpack(body, unreadable=UNREADABLE_FEED))
    try:
        root = etree.fromstring(data, parser=_parser())
    except (etree.XMLSyntaxError, ValueError):
        return []
    if root is None:
        return []
    urls: list[str] = []
    base = urljoin(base_url, root.get("{http://www.w3.org/XML/1998/namespace}base") or "")
    for item in root.iter():
        name = _local(item.tag)
        if name == "item":  # RSS
            link = None
            for child in item:
                cname = _local(child.tag)
                if cname == "link" and (child.text or "").strip():
                    link = child.text.strip()
                    break
                if cname == "guid" and child.get("isPermaLink", "true") != "false":
                    link = link or (child.text or "").strip() or None
            link = link or item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
            if link:
                urls.append(urljoin(base, link))
        elif name == "entry":  # Atom
            chosen = None
            for child in item:
                if _local(child.tag) != "link" or not child.get("href"):
                    continue
                rel = child.get("rel", "alternate")
                if rel == "alternate" and (chosen is None or chosen[0] != "alternate"):
                    chosen = (rel, child.get("href"))
                elif chosen is None:
                    chosen = (rel, child.get("href"))
            if chosen:
                entry_base = urljoin(
                    base, item.get("{http://www.w3.org/XML/1998/namespace}base") or ""
                )
                urls.append(urljoin(entry_base, chosen[1]))
    return urls


def robots_sitemaps(text: str, base_url: str) -> list[str]:
    """Return the ``Sitemap:`` URLs of a robots.txt file, absolute."""
    return [urljoin(base_url, url) for url in Protego.parse(text).sitemaps]
