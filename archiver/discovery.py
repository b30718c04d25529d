"""Discovery: find article URLs in sitemaps, RSS/Atom feeds and robots.txt.

Pure functions over bytes; no Scrapy.  XML is parsed with entity resolution and
network access off, and gzip bodies are size-limited, so hostile files cannot
expand without bound.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from urllib.parse import urljoin

from lxml import etree

MAX_XML_BYTES = 50 * 1024 * 1024

_ROOT = re.compile(rb"<(?:[A-Za-z][\w.-]*:)?(urlset|sitemapindex|rss|feed|RDF)[\s>/]")
_RSS1 = re.compile(rb"purl\.org/rss/1\.0|<(?:[A-Za-z]+:)?channel[\s>]")
_HTML = re.compile(rb"<(?:!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE)
_XML_TYPES = ("xml", "rss", "atom")
FEED_TYPES = frozenset({
    "application/rss+xml", "application/atom+xml", "application/rdf+xml",
    "application/feed+json", "application/xml", "text/xml",
})


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, recover=True,
                           huge_tree=False, remove_comments=True)


def maybe_gunzip(body: bytes, limit: int = MAX_XML_BYTES) -> bytes:
    """Decompress a gzip file body (``sitemap.xml.gz``), at most ``limit`` bytes."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as fh:
            return fh.read(limit)
    except (OSError, EOFError, zlib.error):
        return b""


def decode_content(body: bytes, coding: str, limit: int = MAX_XML_BYTES) -> bytes:
    """Undo a gzip or deflate ``Content-Encoding`` (for bodies read before Scrapy
    decodes them); other codings give an empty body."""
    coding = coding.strip().lower()
    if coding in ("", "identity"):
        return body
    try:
        if coding in ("gzip", "x-gzip"):
            return zlib.decompressobj(31).decompress(body, limit)
        if coding == "deflate":
            try:
                return zlib.decompressobj().decompress(body, limit)
            except zlib.error:
                return zlib.decompressobj(-15).decompress(body, limit)
    except zlib.error:
        pass
    return b""


def sniff(content_type: str | None, body: bytes) -> str:
    """Classify a response body: ``sitemap``, ``feed``, ``html`` or ``other``."""
    ctype = (content_type or "").split(";", 1)[0].strip().lower()
    head = maybe_gunzip(body, limit=4096) if body.startswith(b"\x1f\x8b") else body[:4096]
    if ctype in ("text/html", "application/xhtml+xml") or (not ctype and _HTML.search(head)):
        if ctype == "application/xhtml+xml" or not _ROOT.search(head):
            return "html"
    match = _ROOT.search(head)
    if (match and match.group(1) == b"RDF" and not _RSS1.search(head)
            and ctype not in ("application/rdf+xml", "application/rss+xml")):
        match = None  # RDF metadata (SVG, XMP), not an RSS 1.0 feed
    if ctype.startswith(("image/", "audio/", "video/", "font/")):
        return "other"
    if match and (not ctype or any(t in ctype for t in _XML_TYPES)
                  or ctype in ("text/plain", "application/octet-stream", "application/x-gzip",
                               "application/gzip")):
        root = match.group(1)
        return "sitemap" if root in (b"urlset", b"sitemapindex") else "feed"
    if ctype in ("text/html", "application/xhtml+xml"):
        return "html"
    return "other"


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_sitemap(body: bytes, base_url: str) -> tuple[str, list[str]]:
    """Return (``"sitemapindex"`` or ``"urlset"``, the ``<loc>`` URLs).  News
    sitemaps and image/video extensions are plain ``urlset`` files here."""
    data = maybe_gunzip(body)
    try:
        root = etree.fromstring(data, parser=_parser())
    except (etree.XMLSyntaxError, ValueError):
        return "urlset", []
    if root is None:
        return "urlset", []
    kind = "sitemapindex" if _local(root.tag) == "sitemapindex" else "urlset"
    urls = []
    for entry in root:
        if _local(entry.tag) not in ("url", "sitemap"):
            continue
        for child in entry:
            if _local(child.tag) == "loc" and child.text and child.text.strip():
                urls.append(urljoin(base_url, child.text.strip()))
                break
    return kind, urls


def parse_feed(body: bytes, base_url: str) -> list[str]:
    """Return the item links of an RSS 0.9x/1.0/2.0 or Atom feed, in feed order."""
    try:
        root = etree.fromstring(maybe_gunzip(body), parser=_parser())
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
                entry_base = urljoin(base, item.get(
                    "{http://www.w3.org/XML/1998/namespace}base") or "")
                urls.append(urljoin(entry_base, chosen[1]))
    return urls


def robots_sitemaps(text: str, base_url: str) -> list[str]:
    """Return the ``Sitemap:`` URLs of a robots.txt file."""
    urls = []
    for line in text.splitlines():
        name, sep, value = line.partition(":")
        if sep and name.strip().lower() == "sitemap":
            value = value.split("#", 1)[0].strip()
            if value:
                urls.append(urljoin(base_url, value))
    return urls
