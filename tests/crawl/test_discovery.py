"""Unit tests of archiver.crawl.discovery: sitemaps, feeds, robots.txt, sniffing."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from archiver.crawl.discovery import (
    MAX_XML_BYTES,
    DiscoveryError,
    parse_feed,
    parse_sitemap,
    robots_sitemaps,
    sniff,
)

BASE = "http://news.example.org/sitemaps/sitemap.xml"
SM = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'

URLSET = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset {SM}>
  <url><loc>http://news.example.org/a.html</loc><lastmod>2026-01-01</lastmod></url>
  <url><lastmod>2026-01-02</lastmod><loc>
     /b.html
  </loc></url>
  <url><loc>c.html</loc></url>
  <url><loc>   </loc></url>
  <url></url>
  <!-- <url><loc>/commented.html</loc></url> -->
</urlset>""".encode()

INDEX = f"""<?xml version="1.0"?>
<sitemapindex {SM}>
  <sitemap><loc>http://news.example.org/news-sitemap.xml</loc></sitemap>
  <sitemap><loc>/sitemap-2.xml.gz</loc><lastmod>2026-01-01</lastmod></sitemap>
</sitemapindex>""".encode()

NEWS = f"""<?xml version="1.0"?>
<urlset {SM} xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url>
    <image:image><image:loc>http://cdn.example.org/photo.jpg</image:loc></image:image>
    <loc>http://news.example.org/2026/story.html</loc>
    <news:news>
      <news:publication><news:name>Example News</news:name><news:language>en</news:language>
      </news:publication>
      <news:publication_date>2026-01-01T08:00:00Z</news:publication_date>
      <news:title>Story</news:title>
    </news:news>
  </url>
</urlset>""".encode()


def test_parse_urlset_resolves_relative_locs_and_skips_empty() -> None:
    assert parse_sitemap(URLSET, BASE) == (
        "urlset",
        [
            "http://news.example.org/a.html",
            "http://news.example.org/b.html",
            "http://news.example.org/sitemaps/c.html",
        ],
    )


def test_parse_sitemapindex() -> None:
    assert parse_sitemap(INDEX, BASE) == (
        "sitemapindex",
        [
            "http://news.example.org/news-sitemap.xml",
            "http://news.example.org/sitemap-2.xml.gz",
        ],
    )


def test_parse_news_sitemap_ignores_image_locs() -> None:
    assert parse_sitemap(NEWS, BASE) == ("urlset", ["http://news.example.org/2026/story.html"])


def test_parse_gzipped_sitemap() -> None:
    assert parse_sitemap(gzip.compress(INDEX), BASE) == parse_sitemap(INDEX, BASE)


def test_parse_sitemap_with_prefixed_namespace() -> None:
    body = (
        b'<sm:urlset xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sm:url><sm:loc>/p.html</sm:loc></sm:url></sm:urlset>"
    )
    assert parse_sitemap(body, BASE) == ("urlset", ["http://news.example.org/p.html"])


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   ",
        b"garbage << not xml",
        b"\x1f\x8b\x08\x00broken gzip",
        b"<html><body>x</body></html>",
        b"\x00\x01\x02",
        b"<?xml version='1.0'?>",
    ],
    ids=["empty", "blank", "garbage", "bad-gzip", "html", "binary", "decl-only"],
)
def test_parse_sitemap_garbage_is_reported(body: bytes) -> None:
    with pytest.raises(DiscoveryError) as info:
        parse_sitemap(body, BASE)
    assert info.value.cause == "unreadable-sitemap"


def test_sitemap_over_the_limit_is_reported_not_cut() -> None:
    entry = b"<url><loc>http://news.example.org/a-rather-long-path/article.html</loc></url>"
    body = b"<urlset>" + entry * (MAX_XML_BYTES // len(entry) + 10) + b"</urlset>"
    for packed in (body, gzip.compress(body, 1)):
        with pytest.raises(DiscoveryError) as info:
            parse_sitemap(packed, BASE)
        assert info.value.cause == "too-large"


def _doctype(entity: str) -> bytes:
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE urlset [\n  <!ENTITY e {entity}>\n]>\n'
        f"<urlset {SM}><url><loc>&e;</loc></url>"
        f"<url><loc>http://news.example.org/ok.html</loc></url></urlset>"
    ).encode()


def test_sitemap_internal_entity_not_expanded() -> None:
    _kind, urls = parse_sitemap(_doctype('"http://evil.example/injected"'), BASE)
    assert urls == ["http://news.example.org/ok.html"]
    assert not any("evil" in u for u in urls)


def test_sitemap_external_entity_not_loaded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("http://evil.example/from-file")
    _, urls = parse_sitemap(_doctype(f'SYSTEM "{secret.as_uri()}"'), BASE)
    assert urls == ["http://news.example.org/ok.html"]


def test_sitemap_entity_expansion_bomb_not_expanded() -> None:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        b"<urlset><url><loc>http://x.org/&c;</loc></url></urlset>"
    )
    _, urls = parse_sitemap(body, BASE)
    assert urls == ["http://x.org/"]


def test_feed_entities_not_expanded(tmp_path: Path) -> None:
    secret = tmp_path / "s.txt"
    secret.write_text("http://evil.example/x")
    for entity in ('"http://evil.example/y"', f'SYSTEM "{secret.as_uri()}"'):
        body = (
            f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY e {entity}>]>'
            "<rss><channel><item><link>&e;</link></item></channel></rss>"
        ).encode()
        assert parse_feed(body, BASE) == []


RSS2 = b"""<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
  <title>T</title><link>http://news.example.org/</link>
  <item><title>1</title><link>http://news.example.org/1.html</link></item>
  <item><guid>http://news.example.org/guid-only.html</guid></item>
  <item><guid isPermaLink="true">/perma.html</guid><link>/link-wins.html</link></item>
  <item><guid isPermaLink="false">tag:example.org,2026:3</guid></item>
  <item><guid isPermaLink="false">x</guid><link>  /rel.html  </link></item>
  <item><title>no link</title></item>
</channel></rss>"""


def test_parse_rss2_link_and_guid() -> None:
    assert parse_feed(RSS2, "http://news.example.org/feed/") == [
        "http://news.example.org/1.html",
        "http://news.example.org/guid-only.html",
        "http://news.example.org/link-wins.html",
        "http://news.example.org/rel.html",
    ]


def test_parse_rss1_rdf_about() -> None:
    body = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
  <channel rdf:about="http://news.example.org/"><title>T</title></channel>
  <item rdf:about="http://news.example.org/about-only.html"><title>A</title></item>
  <item rdf:about="http://news.example.org/ignored.html">
    <link>http://news.example.org/link.html</link></item>
</rdf:RDF>"""
    assert parse_feed(body, BASE) == [
        "http://news.example.org/about-only.html",
        "http://news.example.org/link.html",
    ]


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://news.example.org/blog/">
  <link rel="self" href="http://news.example.org/atom.xml"/>
  <entry><link rel="edit" href="/edit/1"/><link rel="alternate" href="one.html"/></entry>
  <entry><link href="two.html"/><link rel="enclosure" href="/two.mp3"/></entry>
  <entry><link rel="related" href="/related.html"/></entry>
  <entry><link rel="alternate" type="text/html" href="first.html"/>
         <link rel="alternate" type="application/pdf" href="second.pdf"/></entry>
  <entry xml:base="http://other.example.org/x/"><link rel="alternate" href="three.html"/></entry>
  <entry><link rel="alternate"/><title>no href</title></entry>
</feed>"""


def test_parse_atom_prefers_alternate_and_uses_xml_base() -> None:
    assert parse_feed(ATOM, "http://news.example.org/atom.xml") == [
        "http://news.example.org/blog/one.html",
        "http://news.example.org/blog/two.html",
        "http://news.example.org/related.html",
        "http://news.example.org/blog/first.html",
        "http://other.example.org/x/three.html",
    ]


def test_parse_atom_without_xml_base_uses_document_url() -> None:
    body = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="p/1.html"/></entry></feed>'
    )
    assert parse_feed(body, "http://news.example.org/feeds/atom.xml") == [
        "http://news.example.org/feeds/p/1.html"
    ]


def test_parse_atom_relative_xml_base_gives_absolute_urls() -> None:
    body = (
        b'<feed xmlns="http://www.w3.org/2005/Atom" xml:base="/blog/">'
        b'<entry><link href="a.html"/></entry>'
        b'<entry xml:base="sub/"><link href="b.html"/></entry></feed>'
    )
    assert parse_feed(body, "http://news.example.org/feed.xml") == [
        "http://news.example.org/blog/a.html",
        "http://news.example.org/blog/sub/b.html",
    ]


def test_parse_feed_gzip_and_garbage() -> None:
    assert parse_feed(gzip.compress(RSS2), BASE)[0] == "http://news.example.org/1.html"
    for body in (b"", b"not a feed", b"<html><body/></html>"):
        assert parse_feed(body, BASE) == []
    with pytest.raises(DiscoveryError) as info:
        parse_feed(b"\x1f\x8b\x08\x00broken", BASE)
    assert info.value.cause == "unreadable-feed"


def test_robots_sitemaps() -> None:
    text = (
        "User-agent: *\nDisallow: /private/\n"
        "Sitemap: http://news.example.org/sitemap.xml\n"
        "SITEMAP: /news-sitemap.xml   # the news one\r\n"
        "  sitemap :relative.xml\n"
        "# Sitemap: /commented-out.xml\n"
        "Sitemap:\n"
        "Sitemap:    # only a comment\n"
        "Disallow: /sitemap: not-a-directive\n"
        "Sitemap: https://cdn.example.net/s.xml.gz\n"
    )
    assert robots_sitemaps(text, "http://news.example.org/robots.txt") == [
        "http://news.example.org/sitemap.xml",
        "http://news.example.org/news-sitemap.xml",
        "http://news.example.org/relative.xml",
        "https://cdn.example.net/s.xml.gz",
    ]
    assert robots_sitemaps("", "http://x.org/robots.txt") == []


SITEMAP_XML = b'<?xml version="1.0"?><urlset xmlns="x"><url><loc>/a</loc></url></urlset>'


@pytest.mark.parametrize(
    ("ctype", "body", "kind"),
    [
        ("text/html; charset=utf-8", b"<!DOCTYPE html><html><body>x</body></html>", "html"),
        (None, b"<!doctype html>\n<html lang=en>", "html"),
        ("", b"  <HTML><HEAD><title>x</title>", "html"),
        ("application/xhtml+xml", b'<html xmlns="http://www.w3.org/1999/xhtml"><feed ', "html"),
        ("text/html", b"<rss version='2.0'>", "html"),
        (None, SITEMAP_XML, "sitemap"),
        ("application/xml", b"<sitemapindex xmlns='x'>", "sitemap"),
        ("text/plain", SITEMAP_XML, "sitemap"),
        ("application/octet-stream", gzip.compress(SITEMAP_XML), "sitemap"),
        ("application/x-gzip", gzip.compress(b"<sitemapindex>"), "sitemap"),
        (None, gzip.compress(SITEMAP_XML), "sitemap"),
        ("application/rss+xml", b'<?xml version="1.0"?><rss version="2.0">', "feed"),
        ("application/atom+xml", b'<feed xmlns="http://www.w3.org/2005/Atom">', "feed"),
        ("application/rdf+xml", b"<rdf:RDF xmlns:rdf='x'>", "feed"),
        ("text/xml; charset=iso-8859-1", b"<rss>", "feed"),
        ("image/png", b"\x89PNG\r\n\x1a\n", "other"),
        ("application/json", b'{"urlset": 1}', "other"),
        ("text/xml", b"<note>x</note>", "other"),
        (None, b"", "other"),
    ],
    ids=[
        "html",
        "html-sniffed",
        "html-upper",
        "xhtml",
        "html-type-wins",
        "sitemap-sniffed",
        "sitemapindex",
        "sitemap-text-plain",
        "sitemap-octet-gz",
        "index-x-gzip",
        "sitemap-gz-sniffed",
        "rss",
        "atom",
        "rdf",
        "rss-text-xml",
        "png",
        "json",
        "other-xml",
        "empty",
    ],
)
def test_sniff(ctype: str | None, body: bytes, kind: str) -> None:
    assert sniff(ctype, body) == kind


INKSCAPE_SVG = b"""<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
     xmlns:cc="http://creativecommons.org/ns#" width="10" height="10">
  <metadata><rdf:RDF><cc:Work rdf:about=""/></rdf:RDF></metadata><rect width="10"/></svg>"""


def test_sniff_svg_with_rdf_metadata_is_not_a_feed() -> None:
    assert sniff("image/svg+xml", INKSCAPE_SVG) == "other"
