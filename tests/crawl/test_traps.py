"""Crawler traps (archiver.crawl.traps), Retry-After parsing and DOCTYPE removal: pure
functions, no crawl (the crawls against a hostile server are in test_hostile.py)."""

from __future__ import annotations

import email.utils
import time

import pytest

from archiver.crawl.discovery import parse_feed, parse_sitemap, without_doctype
from archiver.crawl.middlewares import retry_after
from archiver.crawl.traps import pattern_key, repeated_segment, strip_session_ids, url_problem


@pytest.mark.parametrize(
    "url",
    [
        "http://user:secret@example.org/",
        "http://[bad/x",
        "http://example.org:99999/",
        "http://example.org:0/",
        "http://exa mple.org/",
        "http://xn--/",
        "http://a..b/",
        "http:///no-host",
        "ftp://example.org/file",
        "javascript:alert(1)",
    ],
)
def test_malformed_urls_have_a_reason(url: str) -> None:
    assert url_problem(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/",
        "https://www.example.org:8443/a/b?c=d",
        "http://127.0.0.1:8080/x",
        "http://[::1]:8080/x",
        "http://bücher.example/",
        "http://xn--bcher-kva.example/",
    ],
)
def test_fetchable_urls_pass(url: str) -> None:
    assert url_problem(url) is None


@pytest.mark.parametrize(
    ("url", "stripped"),
    [
        ("http://h/a?sid=123&page=2", "http://h/a?page=2"),
        ("http://h/a?PHPSESSID=abc", "http://h/a"),
        ("http://h/a;jsessionid=ABC123?x=1", "http://h/a?x=1"),
        ("http://h/a?page=2&SessionId=9&b=1", "http://h/a?page=2&b=1"),
        ("http://h/a?consider=1", "http://h/a?consider=1"),
        ("http://h/side/?q=x", "http://h/side/?q=x"),
    ],
)
def test_session_ids_are_stripped(url: str, stripped: str) -> None:
    assert strip_session_ids(url) == stripped


def test_repeated_segments() -> None:
    assert repeated_segment("http://h/a/b/a/b/a/b/a/", 3) == "a"
    assert repeated_segment("http://h/a/b/a/b/a/b/", 3) is None
    assert repeated_segment("http://h/2024/01/01/story", 3) is None
    assert repeated_segment("http://h/a/a/a/a/", 0) is None  # 0: no limit


def test_pattern_key_ignores_digits() -> None:
    assert pattern_key("http://h/cal?month=2026-05") == pattern_key("http://h/cal?month=1999-12")
    assert pattern_key("http://h/a/story-one") != pattern_key("http://h/a/story-two")


def test_retry_after() -> None:
    assert retry_after(b"120") == 120
    assert retry_after(None) is None
    assert retry_after(b"soon") is None
    later = email.utils.formatdate(time.time() + 30, usegmt=True).encode()
    assert 25 <= (retry_after(later) or 0) <= 31
    past = email.utils.formatdate(time.time() - 300, usegmt=True).encode()
    assert retry_after(past) == 0


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10) for i in range(3, 10))
    + b"]>"
)
SM = b'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def test_billion_laughs_sitemap_keeps_the_valid_entries() -> None:
    body = LAUGHS + b"<urlset " + SM + b"><url><loc>&lol9;</loc></url>"
    body += b"<url><loc>/after.html</loc></url></urlset>"
    assert parse_sitemap(body, "http://h/s.xml") == ("urlset", ["http://h/after.html"])


def test_billion_laughs_feed_keeps_the_valid_items() -> None:
    body = LAUGHS + b"<rss version='2.0'><channel><item><link>&lol9;</link></item>"
    body += b"<item><link>/after.html</link></item></channel></rss>"
    assert parse_feed(body, "http://h/f.xml") == ["http://h/after.html"]


def test_without_doctype() -> None:
    plain = b"<?xml version='1.0'?><urlset/>"
    assert without_doctype(plain) == plain
    assert without_doctype(b'<!DOCTYPE x SYSTEM "x.dtd"><urlset/>') == b"<urlset/>"
    assert without_doctype(b'<!DOCTYPE x [<!ENTITY a "]>">]><urlset/>').endswith(b"<urlset/>")
    # a DOCTYPE-like string inside the document is left alone
    inner = b"<urlset><loc>&lt;!DOCTYPE</loc></urlset>"
    assert without_doctype(inner) == inner
